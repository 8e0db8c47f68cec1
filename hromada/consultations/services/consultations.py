"""A consultation's life: created as a draft, edited, published (its number and its
phase plan), extended or closed early through the kernel's phases, cancelled; the phase
hook (announcements, the report's draft at closing). Owned by the lifecycle part."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core import phases
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append
from hromada.tenancy.selectors import module_settings

from .. import rules
from ..models import PHASE_OPEN, PHASE_REPORT, Audience, Consultation, Kind, ResultsVisibility, Status

PHASE_LEDGER_KIND = "consultations.phase_changed"


def owner_of(consultation: Consultation) -> str:
    """The kernel plan's owner key."""
    return f"consultations:{consultation.public_id}"


def _require_manage(actor, hromada) -> None:
    if not rules.can_manage(actor, hromada):
        raise PermissionDenied(_("Немає права керувати консультаціями."))


def _check_dates(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if opens_at is None or closes_at is None:
        raise DomainError("dates_required", _("Вкажіть дати початку й завершення."), field="closes_at")
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("consultation dates must be aware")
    if closes_at <= opens_at:
        raise DomainError("dates_order", _("Завершення має бути пізніше за початок."), field="closes_at")


def consultation_create(
    *,
    hromada,
    actor,
    kind: str,
    title: str,
    summary: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    question: str = "",
    body: str = "",
    initiator: str = "",
    contact: str = "",
    audience: str = Audience.EMAIL,
    min_age: int = 0,
    area=None,
    ask_area: bool = True,
    anonymous: bool = True,
    results_visibility: str = ResultsVisibility.AFTER,
    allow_proposals: bool | None = None,
    allow_comments: bool = True,
) -> Consultation:
    """A draft consultation (not public, nothing ledgered until it is published)."""
    _require_manage(actor, hromada)
    if kind not in Kind.values:
        raise DomainError(
            "kind_invalid", _("Оберіть вид: опитування, консультація чи обговорення."), field="kind"
        )
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("Вкажіть назву."), field="title")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("summary_required", _("Коротко опишіть, про що консультація."), field="summary")
    _check_dates(opens_at, closes_at)
    if audience not in Audience.values:
        raise DomainError("audience_invalid", _("Оберіть, хто може брати участь."), field="audience")
    if not 0 <= int(min_age) <= 100:
        raise DomainError("min_age_invalid", _("Мінімальний вік — від 0 до 100 років."), field="min_age")
    if area is not None and area.hromada_id != hromada.pk:
        raise DomainError("area_invalid", _("Такого району чи округу в громаді немає."), field="area")
    if allow_proposals is None:
        allow_proposals = kind in (Kind.CONSULTATION, Kind.DISCUSSION)
    return Consultation.objects.create(
        hromada=hromada,
        kind=kind,
        title=title,
        summary=summary,
        question=(question or "").strip(),
        body=(body or "").strip(),
        initiator=(initiator or "").strip(),
        contact=(contact or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        min_age=int(min_age),
        area=area,
        ask_area=ask_area,
        anonymous=anonymous,
        results_visibility=results_visibility,
        allow_proposals=allow_proposals,
        allow_comments=allow_comments,
        salt=secrets.token_hex(16),
        created_by=actor,
    )


def consultation_publish(
    *, consultation: Consultation, actor, now: dt.datetime | None = None
) -> Consultation:
    """Publish a draft: its consecutive number, its phase plan (open from opens_at to
    closes_at, then the report's term), ledgered. The questionnaire is frozen from now on."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    now = now or timezone.now()
    settings_row = module_settings(hromada=hromada, label="consultations")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=hromada)
        if locked.status != Status.DRAFT:
            raise DomainError("not_draft", _("Консультацію вже оприлюднено."), status=409)
        if locked.closes_at <= now:
            raise DomainError(
                "closes_in_past", _("Дата завершення вже минула: змініть дати."), field="closes_at"
            )
        if locked.kind == Kind.SURVEY and not locked.questions.exists():
            raise DomainError("questions_required", _("Додайте до опитування хоча б одне питання."))
        if locked.kind == Kind.DISCUSSION and not locked.paragraphs.exists():
            raise DomainError("text_required", _("Додайте текст проєкту акта."))
        report_end = locked.closes_at + dt.timedelta(days=settings_row.report_days)
        locked.plan = phases.plan_create(
            hromada=hromada,
            owner=owner_of(locked),
            title=locked.title,
            phases=[
                phases.PhaseSpec(PHASE_OPEN, str(_("Триває")), locked.opens_at, locked.closes_at),
                phases.PhaseSpec(PHASE_REPORT, str(_("Підготовка звіту")), locked.closes_at, report_end),
            ],
            ledger_kind=PHASE_LEDGER_KIND,
        )
        top = Consultation.objects.for_hromada(hromada).aggregate(n=Max("number"))["n"] or 0
        locked.number = top + 1
        locked.status = Status.PUBLISHED
        locked.published_at = now
        try:
            locked.save()
        except IntegrityError:
            raise DomainError("publish_conflict", _("Спробуйте ще раз."), status=409) from None
        ledger_append(
            hromada=hromada,
            kind="consultations.published",
            payload={
                "consultation": str(locked.public_id),
                "number": locked.number,
                "kind": locked.kind,
                "title": locked.title,
                "opens_at": locked.opens_at.isoformat(),
                "closes_at": locked.closes_at.isoformat(),
                "audience": locked.audience,
                "min_age": locked.min_age,
                "area": str(locked.area.public_id) if locked.area_id else None,
                "questions": [
                    str(q) for q in locked.questions.order_by("order").values_list("public_id", flat=True)
                ],
            },
        )
    return locked


def consultation_phase_changed(*, hromada, plan, old, new) -> None:
    """The kernel's hook after the plan moved (module.py `phase_changed`): filled by the
    lifecycle part (announcement at opening, the report's draft at closing)."""
    return None
