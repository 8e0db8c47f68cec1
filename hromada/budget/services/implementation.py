"""Implementation of the winning projects: stages, published updates (progress, money
spent, the Prozorro tender, delays with reasons, photos), and the project's people told."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.uploads import MB, check_upload
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import (
    ALT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Ballot,
    CoAuthor,
    ImplementationUpdate,
    Outcome,
    Project,
    ProjectFile,
    Stage,
    Support,
)
from ._staff_common import clean_text, project_url

# Outcomes of a project being implemented (a winner, until it is done).
IMPLEMENTED = (Outcome.WINNER, Outcome.IMPLEMENTING, Outcome.DELAYED, Outcome.DONE)
# Prozorro's tender id: UA-<date of publication>-<six digits>-<letter>.
TENDER_RE = re.compile(r"^UA-\d{4}-\d{2}-\d{2}-\d{6}-[a-z]$")
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * MB
MAX_PHOTOS = 6


@dataclass
class Photo:
    """An uploaded photo of an update with its description (and the form field names,
    so an error lands beside the right input)."""

    file: Any
    alt_text: str = ""
    file_field: str = "photos"
    alt_field: str = "photos"


def _check_may(actor, project: Project) -> None:
    if not rules.can_report_progress(actor, project.hromada):
        raise PermissionDenied("forbidden", _("Звітувати про реалізацію можуть працівники громади."))
    if project.outcome not in IMPLEMENTED:
        raise DomainError("not_a_winner", _("Звітувати можна лише про проєкти-переможці."), status=409)


def stage_add(*, project: Project, actor, title: str, planned_end: dt.date | None = None) -> Stage:
    _check_may(actor, project)
    title = clean_text(title, field="title", multiline=False)
    if not title:
        raise DomainError("stage_title_required", _("Вкажіть назву етапу."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            "stage_title_too_long",
            _("Назва етапу задовга (до %(max)d символів).") % {"max": TITLE_MAX},
            field="title",
        )
    with transaction.atomic():
        order = (
            Stage.objects.for_hromada(project.hromada_id)
            .filter(project=project)
            .aggregate(m=Max("order"))["m"]
            or 0
        ) + 1
        stage = Stage.objects.create(
            hromada=project.hromada, project=project, order=order, title=title, planned_end=planned_end
        )
        ledger_append(
            hromada=project.hromada,
            kind="budget.implementation_updated",
            payload={
                "project": str(project.public_id),
                "event": "stage_added",
                "stage": title,
                "planned_end": planned_end.isoformat() if planned_end else None,
            },
        )
    return stage


def stage_done(*, stage: Stage, actor, done_on: dt.date) -> Stage:
    project = stage.project
    _check_may(actor, project)
    if done_on is None or done_on > timezone.localdate():
        raise DomainError("done_on_invalid", _("Дата виконання не може бути в майбутньому."), field="done_on")
    with transaction.atomic():
        stage.done_on = done_on
        stage.save(update_fields=["done_on"])
        ledger_append(
            hromada=project.hromada,
            kind="budget.implementation_updated",
            payload={
                "project": str(project.public_id),
                "event": "stage_done",
                "stage": stage.title,
                "done_on": done_on.isoformat(),
            },
        )
    return stage


def _check_photos(photos: Iterable) -> list[tuple[Photo, Any]]:
    items = [p if isinstance(p, Photo) else Photo(file=p[0], alt_text=p[1]) for p in photos]
    if len(items) > MAX_PHOTOS:
        raise DomainError(
            "too_many_files",
            _("Можна додати не більше %(n)d фото.") % {"n": MAX_PHOTOS},
            field=items[0].file_field,
        )
    checked = []
    for photo in items:
        info = check_upload(
            photo.file, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES, field=photo.file_field
        )
        alt = " ".join(clean_text(photo.alt_text, field=photo.alt_field, multiline=False).split())
        if not alt:
            raise DomainError(
                "alt_text_required",
                _("Опишіть фото «%(name)s» кількома словами: опис прочитає програма екранного доступу.")
                % {"name": os.path.basename(photo.file.name)[:100]},
                field=photo.alt_field,
            )
        if len(alt) > ALT_TEXT_MAX:
            raise DomainError(
                "alt_text_too_long",
                _("Опис зображення задовгий: %(len)d символів, дозволено до %(max)d.")
                % {"len": len(alt), "max": ALT_TEXT_MAX},
                field=photo.alt_field,
            )
        photo.alt_text = alt
        checked.append((photo, info))
    return checked


def implementation_update(
    *,
    project: Project,
    actor,
    text: str,
    progress: int,
    spent: int = 0,
    tender_id: str = "",
    delay_reason: str = "",
    stage: Stage | None = None,
    photos: Iterable = (),
) -> ImplementationUpdate:
    """Publish a report on a winning project. `spent` is the total spent so far. A delay
    reason marks the project delayed; 100 % marks it done; otherwise it is implementing."""
    _check_may(actor, project)
    text = clean_text(text, field="text")
    delay_reason = clean_text(delay_reason, field="delay_reason")
    tender_id = (tender_id or "").strip()
    if not text:
        raise DomainError("update_text_required", _("Напишіть, що зроблено."), field="text")
    if len(text) > TEXT_MAX or len(delay_reason) > TEXT_MAX:
        raise DomainError(
            "update_text_too_long",
            _("Текст задовгий: до %(max)d символів.") % {"max": TEXT_MAX},
            field="text" if len(text) > TEXT_MAX else "delay_reason",
        )
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise DomainError("progress_invalid", _("Виконання — ціле число від 0 до 100 %."), field="progress")
    if not isinstance(spent, int) or spent < 0:
        raise DomainError(
            "spent_invalid", _("Використані кошти — ціле число гривень, не менше за нуль."), field="spent"
        )
    if tender_id and not TENDER_RE.match(tender_id):
        raise DomainError(
            "tender_id_invalid",
            _(
                "Ідентифікатор закупівлі Prozorro має вигляд UA-РРРР-ММ-ДД-NNNNNN-a, напр. UA-2026-03-14-004512-a."
            ),
            field="tender_id",
        )
    if delay_reason and progress == 100:
        raise DomainError(
            "delay_when_done",
            _("Проєкт виконано на 100 %: причина затримки тут зайва."),
            field="delay_reason",
        )
    if stage is not None and stage.project_id != project.pk:
        raise DomainError("stage_invalid", _("Оберіть етап цього проєкту."), field="stage")
    checked = _check_photos(photos)
    with transaction.atomic():
        project = (
            Project.objects.select_for_update()
            .select_related("hromada")
            .get(pk=project.pk, hromada_id=project.hromada_id)
        )
        now = timezone.now()
        update = ImplementationUpdate.objects.create(
            hromada=project.hromada,
            project=project,
            author=actor,
            text=text,
            progress=progress,
            spent=spent,
            tender_id=tender_id,
            delay_reason=delay_reason,
            stage=stage,
            published_at=now,
        )
        for photo, info in checked:
            name = os.path.basename(photo.file.name)[:200] or f"photo.{info.extension}"
            photo.file.name = f"{uuid.uuid4().hex}.{info.extension}"
            ProjectFile.objects.create(
                hromada=project.hromada,
                project=project,
                update=update,
                file=photo.file,
                original_name=name,
                content_type=info.content_type,
                size=photo.file.size,
                alt_text=photo.alt_text,
            )
        if progress == 100:
            project.outcome = Outcome.DONE
        elif delay_reason:
            project.outcome = Outcome.DELAYED
        else:
            project.outcome = Outcome.IMPLEMENTING
        project.save(update_fields=["outcome", "updated_at"])
        ledger_append(
            hromada=project.hromada,
            kind="budget.implementation_updated",
            payload={
                "project": str(project.public_id),
                "progress": progress,
                "spent": spent,
                "tender_id": tender_id,
                "delayed": bool(delay_reason),
            },
        )
        notify_send(
            hromada=project.hromada,
            users=project_people(project),
            kind="budget.implementation_updated",
            title=lazy_format(
                gettext_lazy("Новини реалізації проєкту «%(title)s»: виконано %(p)d %%"),
                title=project.title[:120],
                p=progress,
            ),
            body=text[:500],
            url=project_url(project),
        )
    return update


def project_people(project: Project) -> list[int]:
    """Who hears of a winner's implementation: the author, accepted co-authors,
    supporters and the online voters whose ballot chose it (choices are checked in
    Python: JSON containment differs between SQLite and PostgreSQL)."""
    hromada_id = project.hromada_id
    people: set[int] = {project.author_id} if project.author_id else set()
    people |= set(
        CoAuthor.objects.for_hromada(hromada_id)
        .filter(project=project, accepted_at__isnull=False, user__isnull=False)
        .values_list("user_id", flat=True)
    )
    people |= set(
        Support.objects.for_hromada(hromada_id)
        .filter(project=project, user__isnull=False)
        .values_list("user_id", flat=True)
    )
    wanted = str(project.public_id)
    for user_id, choices in (
        Ballot.objects.for_hromada(hromada_id)
        .filter(category_id=project.category_id, user__isnull=False)
        .values_list("user_id", "choices")
        .iterator(chunk_size=2000)
    ):
        if isinstance(choices, list) and wanted in choices:
            people.add(user_id)
    active = get_user_model().objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True)
    return sorted(active)


KPKVK_RE = re.compile(r"^\d{7}$")


def project_funding_set(*, project: Project, actor, kpkvk: str) -> Project:
    """Name the budget programme (КПКВК) that funds a winning project; empty clears it.
    The open budget explorer links the programme's line to the project."""
    _check_may(actor, project)
    kpkvk = re.sub(r"\s", "", kpkvk or "")
    if kpkvk and not KPKVK_RE.match(kpkvk):
        raise DomainError("kpkvk_invalid", _("КПКВК — сім цифр, наприклад 1216030."), field="kpkvk")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.kpkvk == kpkvk:
            return locked
        locked.kpkvk = kpkvk
        locked.save(update_fields=["kpkvk", "updated_at"])
        ledger_append(
            hromada=project.hromada,
            kind="budget.implementation_updated",
            payload={"project": str(project.public_id), "event": "funding_programme", "kpkvk": kpkvk},
        )
    return locked
