"""CKAN's dictionaries of the catalogue: package (dataset), resource, organization
(publisher), group and tag, with CKAN's field names and shapes (CKAN 2.10's
package_show), so that ckanapi and data.gov.ua's harvester read them as they read a
CKAN. The four data.gov.ua fields are `extras` only: a CKAN that receives the dict
(a harvester's package_create) refuses an extra named like a top-level field.

Moments are CKAN's: UTC, ISO 8601 without a zone ("2024-05-01T10:00:00.123456").
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.urls import NoReverseMatch, reverse

from ..models import Dataset, DatasetState, Group, Publisher, Resource, Tag
from ..vocabularies import licence

# Deterministic ids for rows that have no public UUID of their own (tags).
_TAG_NAMESPACE = uuid.UUID("6f1c2a0e-2b7d-4f0e-9a57-0c1b6b9e7a14")

STATE: dict[str, str] = {
    DatasetState.PUBLISHED: "active",
    DatasetState.WITHDRAWN: "deleted",
    DatasetState.DRAFT: "draft",
}


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat()


def tag_id(tag: Tag) -> str:
    return str(uuid.uuid5(_TAG_NAMESPACE, f"{tag.hromada_id}:{tag.name}"))


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag_id(tag),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def _download_url(resource: Resource, base_url: str) -> str:
    """A link's own address, or our download view of the current version."""
    if resource.url:
        return resource.url
    try:  # the catalogue's download view (hromada/opendata/urls.py)
        return base_url + reverse(
            "opendata:download", kwargs={"name": resource.dataset.name, "rid": resource.public_id}
        )
    except NoReverseMatch:
        pass
    # The catalogue's pages are not mounted (yet): CKAN's own address shape.
    filename = resource.current.original_name if resource.current else ""
    return f"{base_url}/opendata/dataset/{resource.dataset.name}/resource/{resource.public_id}/download/{filename}"


def resource_dict(resource: Resource, base_url: str, *, dataset: Dataset | None = None) -> dict[str, Any]:
    dataset = dataset or resource.dataset
    resource.dataset = dataset  # no second query for _download_url
    version = resource.current
    modified = resource.last_modified or (version.created_at if version else None)
    return {
        "id": str(resource.public_id),
        "package_id": str(dataset.public_id),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "url": _download_url(resource, base_url),
        "url_type": "upload" if version is not None and not resource.url else None,
        "mimetype": (version.mimetype or None) if version else None,
        "mimetype_inner": None,
        "size": version.size if version else None,
        "hash": version.sha256 if version else "",
        "created": iso(resource.created_at),
        "last_modified": iso(modified),
        "metadata_modified": iso(resource.updated_at),
        "position": resource.position,
        "state": "active",
        "resource_type": None,
        "datastore_active": resource.datastore_active,
        "cache_url": None,
        "cache_last_updated": None,
    }


def organization_dict(publisher: Publisher, *, package_count: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(publisher.public_id),
        "name": publisher.name,
        "title": publisher.title,
        "display_name": publisher.title,
        "type": "organization",
        "description": publisher.description,
        "image_url": "",
        "image_display_url": "",
        "created": iso(publisher.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active" if publisher.active else "deleted",
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(group: Group, *, package_count: int | None = None, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(group.public_id),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "image_display_url": "",
    }
    if full:
        out.update(
            {
                "type": "group",
                "image_url": "",
                "created": iso(group.created_at),
                "is_organization": False,
                "approval_status": "approved",
                "state": "active",
            }
        )
    if package_count is not None:
        out["package_count"] = package_count
    return out


def package_dict(dataset: Dataset, base_url: str) -> dict[str, Any]:
    """CKAN's package dict of `dataset` (its tags, groups and resources prefetched when
    many are serialised: search results)."""
    lic = licence(dataset.license_id)
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    resources = sorted(
        (r for r in dataset.resources.all() if r.withdrawn_at is None),  # withdrawn: not served
        key=lambda r: (r.position, r.created_at),
    )
    publisher = dataset.publisher
    extras = {
        "update_frequency": dataset.frequency,
        "purpose_of_collecting_information": dataset.purpose,
        "language": dataset.language,
        "tag_string": ",".join(t.name for t in tags),
    }
    if dataset.spatial:
        extras["spatial_text"] = dataset.spatial
    if dataset.temporal_start:
        extras["temporal_start"] = dataset.temporal_start.isoformat()
    if dataset.temporal_end:
        extras["temporal_end"] = dataset.temporal_end.isoformat()
    if publisher.identifier:
        extras["publisher_identifier"] = publisher.identifier
    return {
        "id": str(dataset.public_id),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": STATE.get(dataset.state, "draft"),
        "private": False,
        "author": publisher.title,
        "author_email": publisher.email or None,
        "maintainer": dataset.maintainer or None,
        "maintainer_email": dataset.maintainer_email or None,
        "license_id": dataset.license_id,
        "license_title": lic.title if lic else dataset.license_id,
        "license_url": (lic.url or None) if lic else None,
        "isopen": bool(lic and lic.od_conformance == "approved"),
        "url": "",
        "version": None,
        "metadata_created": iso(dataset.published_at or dataset.created_at),
        "metadata_modified": iso(dataset.metadata_modified),
        "creator_user_id": None,
        "owner_org": str(publisher.public_id),
        "organization": organization_dict(publisher),
        "groups": [group_dict(g) for g in sorted(dataset.groups.all(), key=lambda g: g.name)],
        "tags": [tag_dict(t) for t in tags],
        "num_tags": len(tags),
        "resources": [resource_dict(r, base_url, dataset=dataset) for r in resources],
        "num_resources": len(resources),
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
