"""CKAN's write actions for publishers with an API token: package_create,
package_update (and package_patch), resource_create (a link, or a file sent as
multipart `upload`). Thin: read CKAN's fields, call the catalogue's services
(hromada.opendata.services), which check the permission (opendata.publish and
membership of the publisher, or opendata.manage), write the ledger and refresh the
search text. Each docstring is the action's help_show text."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.dateparse import parse_date

from ..models import Dataset, Group, Publisher
from . import dicts
from .actions_read import _bool, _by_id_or_name, _dataset_for, _required, _str, _with_resources
from .dispatch import Context, NotAuthorized, ValidationError, action

# CKAN's (and data.gov.ua's) names of the fields -> the services' keyword arguments.
PLAIN_FIELDS = {
    "title": "title",
    "notes": "notes",
    "license_id": "license_id",
    "maintainer": "maintainer",
    "maintainer_email": "maintainer_email",
}
EXTRA_FIELDS = {
    "update_frequency": "frequency",
    "purpose_of_collecting_information": "purpose",
    "language": "language",
    "spatial_text": "spatial",
    "spatial": "spatial",
    "temporal_start": "temporal_start",
    "temporal_end": "temporal_end",
}


def _services():
    from .. import services

    return services


def _actor(context: Context):
    if context.user is None:
        raise NotAuthorized("an API token of a publisher's member is required")
    return context.user


def _fields(context: Context, data: dict) -> dict[str, Any]:
    """The services' fields present in CKAN's `data` (absent ones are left as they are)."""
    out: dict[str, Any] = {}
    for key, target in PLAIN_FIELDS.items():
        if key in data:
            out[target] = _str(data, key)
    extras = data.get("extras")
    values: dict[str, Any] = {}
    if extras is not None:
        if not isinstance(extras, list) or not all(isinstance(e, dict) and "key" in e for e in extras):
            raise ValidationError({"extras": ["Must be a list of {key, value}"]})
        values.update({str(e["key"]): e.get("value") for e in extras})
    values.update({k: data[k] for k in EXTRA_FIELDS if k in data})
    for key, value in values.items():
        if key not in EXTRA_FIELDS:
            continue
        target = EXTRA_FIELDS[key]
        if target.startswith("temporal_"):
            day = parse_date(str(value)) if value else None
            if value and day is None:
                raise ValidationError({key: ["Date format incorrect"]})
            out[target] = day
        else:
            out[target] = "" if value is None else str(value)
    if "tags" in data or "tag_string" in data:
        out["tags"] = _tags(data)
    if "groups" in data:
        out["groups"] = _groups(context, data.get("groups"))
    return out


def _tags(data: dict) -> list[str]:
    tags = data.get("tags")
    if tags is None:
        return [t.strip() for t in _str(data, "tag_string").split(",") if t.strip()]
    if not isinstance(tags, list):
        raise ValidationError({"tags": ["Must be a list of {name}"]})
    names = []
    for tag in tags:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if not isinstance(name, str) or not name.strip():
            raise ValidationError({"tags": ["Each tag needs a name"]})
        names.append(name.strip())
    return names


def _groups(context: Context, groups) -> list[Group]:
    if not isinstance(groups, list):
        raise ValidationError({"groups": ["Must be a list of {name} or {id}"]})
    out = []
    qs = Group.objects.for_hromada(context.hromada)
    for item in groups:
        key = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        group = _by_id_or_name(qs, str(key or ""))
        if group is None:
            raise ValidationError({"groups": [f"Group {str(key)[:100]!r} does not exist"]})
        out.append(group)
    return out


def _shown(context: Context, dataset: Dataset) -> dict:
    dataset = Dataset.objects.select_related("publisher", "hromada").get(pk=dataset.pk)
    _with_resources([dataset])
    return dicts.package_dict(dataset, context.base_url)


@action(side_effect_free=False)
def package_create(context: Context, data: dict) -> dict:
    """Create a dataset (needs an API token of a member of the publisher).

    :param name: the dataset's address, 2–100 lower-case latin letters, digits, - and _
    :type name: string
    :param title: its title
    :type title: string
    :param owner_org: the id or name of the publisher (organization)
    :type owner_org: string
    :param notes: its description (optional)
    :param tags: ``[{"name": …}]``, or ``tag_string`` ``"a,b"`` (optional)
    :param groups: ``[{"name": …}]`` (optional)
    :param license_id: see license_list (optional, default CC-BY-4.0)
    :param extras: ``[{"key": "update_frequency", "value": "Щомісяця"}, …]`` — also
        ``purpose_of_collecting_information`` and ``language`` (optional)
    :param private: ``true`` keeps it a draft (optional, default false: published)
    :type private: bool
    :rtype: dictionary (the dataset, as package_show)
    """
    actor = _actor(context)
    name = _required(data, "name")
    owner = _required(data, "owner_org")
    publisher = _by_id_or_name(Publisher.objects.for_hromada(context.hromada), owner)
    if publisher is None:
        raise ValidationError({"owner_org": ["Organization does not exist"]})
    fields = _fields(context, data)
    fields.setdefault("title", name)
    publish = not _bool(data, "private") and _str(data, "state", "active") != "draft"
    dataset = _services().dataset_create(
        context.hromada, actor, publisher, name=name, publish=publish, **fields
    )
    return _shown(context, dataset)


@action(side_effect_free=False)
def package_update(context: Context, data: dict) -> dict:
    """Update a dataset (needs an API token of a member of its publisher). Only the
    fields given change (as package_patch): a field left out keeps its value, so an
    update can never erase what it did not mention. ``tags`` and ``groups`` given
    replace the dataset's.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary (the dataset, as package_show)
    """
    actor = _actor(context)
    dataset = _dataset_for(context, _required(data, "id", "name"))
    fields = _fields(context, data)
    if "name" in data and _str(data, "name") not in (dataset.name, str(dataset.public_id)):
        fields["name"] = _str(data, "name")
    dataset = _services().dataset_update(dataset, actor, **fields)
    return _shown(context, dataset)


@action(side_effect_free=False)
def package_patch(context: Context, data: dict) -> dict:
    """Update the given fields of a dataset; the same as package_update here.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    return package_update(context, data)


@action(side_effect_free=False)
def resource_create(context: Context, data: dict) -> dict:
    """Add a resource to a dataset: a link (``url``) or a file (``upload``, sent as
    multipart/form-data). Needs an API token of a member of its publisher.

    :param package_id: the id or name of the dataset
    :type package_id: string
    :param name: the resource's name (optional: the file's name)
    :param url: a link to data kept elsewhere (optional with upload)
    :param upload: the file (optional with url)
    :param format: CSV, XLSX, JSON … (optional: from the file's name)
    :param description: (optional)
    :rtype: dictionary (the resource, as resource_show)
    """
    actor = _actor(context)
    dataset = _dataset_for(context, _required(data, "package_id"))
    upload = data.get("upload")
    if upload is not None and not isinstance(upload, UploadedFile):
        if upload == "":
            upload = None
        else:
            raise ValidationError({"upload": ["Send the file as multipart/form-data"]})
    url = _str(data, "url")
    if upload is None and not url:
        raise ValidationError({"url": ["Missing value"]})
    name = _str(data, "name") or (upload.name if upload is not None else url.rsplit("/", 1)[-1])
    resource = _services().resource_create(
        dataset,
        actor,
        name=name,
        upload=upload,
        url="" if upload is not None else url,
        format=_str(data, "format"),
        description=_str(data, "description"),
    )
    resource = (
        type(resource).objects.select_related("dataset", "dataset__publisher", "current").get(pk=resource.pk)
    )
    return dicts.resource_dict(resource, context.base_url)
