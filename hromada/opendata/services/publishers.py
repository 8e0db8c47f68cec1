"""Publishers (CKAN's organizations), their members, and groups (themes).

These writes have no ledger kind of their own (module.py declares the datasets' and
resources' events, which are what the public record needs); who published a dataset is
in those entries' payloads."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from ..models import Dataset, Group, MemberRole, Publisher, PublisherKind, PublisherMember
from ._common import (
    can_admin_publisher,
    clean_email,
    clean_name,
    clean_text,
    clean_title,
    clean_url,
    require_manage,
    touch,
)

EDRPOU_RE = re.compile(r"^\d{8}(\d{2})?$")  # ЄДРПОУ: 8 digits (10 for some registers)


def _publisher_fields(fields: dict) -> dict:
    out: dict = {}
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "description" in fields:
        out["description"] = clean_text(fields["description"], field="description")
    if "email" in fields:
        out["email"] = clean_email(fields["email"], field="email")
    if "url" in fields:
        out["url"] = clean_url(fields["url"], field="url", max_length=200)
    if "identifier" in fields:
        identifier = (fields["identifier"] or "").strip()
        if identifier and not EDRPOU_RE.match(identifier):
            raise DomainError(
                "publisher_identifier_invalid",
                _("Код ЄДРПОУ складається з 8 цифр."),
                field="identifier",
            )
        out["identifier"] = identifier
    if "kind" in fields:
        if fields["kind"] not in PublisherKind.values:
            raise DomainError("publisher_kind_unknown", _("Невідомий вид розпорядника."), field="kind")
        out["kind"] = fields["kind"]
    return out


def publisher_create(
    hromada,
    actor,
    *,
    name: str,
    title: str,
    description: str = "",
    kind: str = PublisherKind.DEPARTMENT,
    email: str = "",
    url: str = "",
    identifier: str = "",
) -> Publisher:
    require_manage(actor, hromada)
    name = clean_name(name, code="publisher_name_invalid")
    values = _publisher_fields(
        {
            "title": title,
            "description": description,
            "kind": kind,
            "email": email,
            "url": url,
            "identifier": identifier,
        }
    )
    if Publisher.objects.for_hromada(hromada).filter(name=name).exists():
        raise DomainError(
            "publisher_name_taken",
            _("Розпорядник з адресою «%(n)s» уже є.") % {"n": name},
            field="name",
            status=409,
        )
    if kind == PublisherKind.PLATFORM and Publisher.objects.for_hromada(hromada).filter(kind=kind).exists():
        raise DomainError(
            "publisher_platform_exists", _("Розпорядник-платформа у громади вже є."), field="kind", status=409
        )
    try:
        with transaction.atomic():
            return Publisher.objects.create(hromada=hromada, name=name, **values)
    except IntegrityError:  # a concurrent create of the same name
        raise DomainError(
            "publisher_name_taken",
            _("Розпорядник з адресою «%(n)s» уже є.") % {"n": name},
            field="name",
            status=409,
        ) from None


def publisher_update(publisher: Publisher, actor, **fields) -> Publisher:
    """Change a publisher's title, description, kind, contacts, identifier or `active`.
    Its name (the address) stays: harvesters know its datasets by it. The platform's
    own publisher (the modules' datasets) neither becomes nor stops being one."""
    require_manage(actor, publisher.hromada)
    unknown = set(fields) - {"title", "description", "kind", "email", "url", "identifier", "active"}
    if unknown:
        raise DomainError("field_unknown", _("Невідомі поля: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    values = _publisher_fields(fields)
    if (
        "kind" in values
        and values["kind"] != publisher.kind
        and PublisherKind.PLATFORM
        in (
            values["kind"],
            publisher.kind,
        )
    ):
        raise DomainError(
            "publisher_kind_fixed",
            _("Розпорядник-платформа публікує дані модулів: його вид не змінюють, і інший ним не стає."),
            field="kind",
            status=409,
        )
    if "active" in fields:
        values["active"] = bool(fields["active"])
    with transaction.atomic():
        publisher = Publisher.objects.select_for_update().get(pk=publisher.pk)
        for key, value in values.items():
            setattr(publisher, key, value)
        publisher.save()
        if "title" in values:
            # The publisher's title is among the words its datasets are found by.
            for dataset in Dataset.objects.for_hromada(publisher.hromada).filter(publisher=publisher):
                touch(dataset)
    return publisher


def publisher_member_add(
    publisher: Publisher, actor, user, *, role: str = MemberRole.EDITOR
) -> PublisherMember:
    """Make `user` (a staff member of the hromada) an editor or administrator of
    `publisher`; adding an existing member changes the role."""
    from hromada.accounts.rules import is_staff_member

    if not can_admin_publisher(actor, publisher):
        from hromada.core.errors import PermissionDenied

        raise PermissionDenied("opendata_forbidden", _("Призначати редакторів розпорядника ви не можете."))
    if role not in MemberRole.values:
        raise DomainError("member_role_unknown", _("Невідома роль редактора."), field="role")
    if not is_staff_member(user, publisher.hromada):
        raise DomainError(
            "member_not_staff", _("Редактором може бути лише працівник громади."), field="user", status=409
        )
    with transaction.atomic():
        member, _created = PublisherMember.objects.update_or_create(
            publisher=publisher, user=user, defaults={"hromada": publisher.hromada, "role": role}
        )
    return member


def publisher_member_remove(publisher: Publisher, actor, user) -> None:
    if not can_admin_publisher(actor, publisher):
        from hromada.core.errors import PermissionDenied

        raise PermissionDenied("opendata_forbidden", _("Змінювати редакторів розпорядника ви не можете."))
    with transaction.atomic():
        PublisherMember.objects.filter(publisher=publisher, user=user).delete()


def group_create(hromada, actor, *, name: str, title: str, description: str = "") -> Group:
    require_manage(actor, hromada)
    name = clean_name(name, code="group_name_invalid")
    title = clean_title(title)
    description = clean_text(description, field="description")
    if Group.objects.for_hromada(hromada).filter(name=name).exists():
        raise DomainError(
            "group_name_taken", _("Тема з адресою «%(n)s» уже є.") % {"n": name}, field="name", status=409
        )
    try:
        with transaction.atomic():
            return Group.objects.create(hromada=hromada, name=name, title=title, description=description)
    except IntegrityError:
        raise DomainError(
            "group_name_taken", _("Тема з адресою «%(n)s» уже є.") % {"n": name}, field="name", status=409
        ) from None


def group_update(group: Group, actor, *, title: str | None = None, description: str | None = None) -> Group:
    require_manage(actor, group.hromada)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if title is not None:
            group.title = clean_title(title)
        if description is not None:
            group.description = clean_text(description, field="description")
        group.save()
        if title is not None:
            for dataset in group.datasets.all():
                touch(dataset)
    return group


__all__ = [
    "group_create",
    "group_update",
    "publisher_create",
    "publisher_member_add",
    "publisher_member_remove",
    "publisher_update",
]
