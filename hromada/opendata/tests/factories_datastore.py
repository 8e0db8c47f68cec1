"""Catalogue rows for the DataStore's tests, made with the ORM (the catalogue's
services are another part's): a published dataset with one resource whose version
holds a real file."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from hromada.opendata.models import Dataset, DatasetState, Publisher, Resource, ResourceVersion


def publisher(hromada, name: str = "miska-rada") -> Publisher:
    return Publisher.objects.get_or_create(hromada=hromada, name=name, defaults={"title": "Міська рада"})[0]


def dataset(hromada, name: str = "shkoly", *, state: str = DatasetState.PUBLISHED) -> Dataset:
    now = timezone.now()
    return Dataset.objects.create(
        hromada=hromada,
        publisher=publisher(hromada),
        name=name,
        title=f"Набір {name}",
        state=state,
        published_at=now if state == DatasetState.PUBLISHED else None,
        metadata_modified=now,
    )


def resource(hromada, content: bytes, *, filename: str = "data.csv", fmt: str = "CSV", ds=None) -> Resource:
    ds = ds or dataset(hromada)
    res = Resource.objects.create(hromada=hromada, dataset=ds, name=f"Ресурс {filename}", format=fmt)
    version(res, content, filename=filename)
    return res


def version(res: Resource, content: bytes, *, filename: str = "data.csv") -> ResourceVersion:
    number = (res.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    v = ResourceVersion(
        hromada_id=res.hromada_id,
        resource=res,
        number=number,
        original_name=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    v.file.save(filename, ContentFile(content), save=False)
    v.save()
    Resource.objects.filter(pk=res.pk).update(current=v, last_modified=timezone.now())
    res.refresh_from_db()
    return v
