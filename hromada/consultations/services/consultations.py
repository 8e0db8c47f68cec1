"""A consultation's life: created as a draft, edited, published (its number and its
phase plan), extended or closed early through the kernel's phases, cancelled; the phase
hook (announcements, the report's draft at closing). Owned by the lifecycle part.

Announcements (ADR 0007): subscribers hear of a new consultation once, when it OPENS
(the hook's entry into `open`) — for one open at once that is right after publication,
for one that opens later it is the moment they can take part, not a notice weeks ahead.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core import phases
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.selectors import module_settings

from .. import rules
from ..models import (
    PHASE_OPEN,
    PHASE_REPORT,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Audience,
    Consultation,
    Kind,
    ResultsVisibility,
    Status,
)

logger = logging.getLogger("hromada.consultations")

PHASE_LEDGER_KIND = "consultations.phase_changed"
CANCEL_REASON_MAX = 500
# The fields consultation_update may change (the same rules as consultation_create).
EDITABLE = (
    "kind",
    "title",
    "summary",
    "opens_at",
    "closes_at",
    "question",
    "body",
    "initiator",
    "contact",
    "audience",
    "min_age",
    "area",
    "ask_area",
    "anonymous",
    "results_visibility",
    "allow_proposals",
    "allow_comments",
)


def owner_of(consultation: Consultation) -> str:
    """The kernel plan's owner key."""
    return f"consultations:{consultation.public_id}"


def page_url(consultation: Consultation) -> str:
    try:
        return reverse("consultations:detail", args=[consultation.number]) if consultation.number else ""
    except NoReverseMatch:
        return ""


def _require_manage(actor, hromada) -> None:
    if not rules.can_manage(actor, hromada):
        raise PermissionDenied("forbidden", _("Немає права керувати консультаціями."))


def _check_dates(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if opens_at is None or closes_at is None:
        raise DomainError("dates_required", _("Вкажіть дати початку й завершення."), field="closes_at")
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("consultation dates must be aware")
    if closes_at <= opens_at:
        raise DomainError("dates_order", _("Завершення має бути пізніше за початок."), field="closes_at")


def _text(value, *, field: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(
            f"{field}_too_long",
            _("Поле «%(label)s» задовге: до %(n)d знаків.") % {"label": label, "n": limit},
            field=field,
        )
    return value


def _clean_fields(
    *,
    hromada,
    kind,
    title,
    summary,
    opens_at,
    closes_at,
    question,
    body,
    initiator,
    contact,
    audience,
    min_age,
    area,
    ask_area,
    anonymous,
    results_visibility,
    allow_proposals,
    allow_comments,
) -> dict:
    """The checked, trimmed fields of a draft (consultation_create and _update)."""
    if kind not in Kind.values:
        raise DomainError(
            "kind_invalid", _("Оберіть вид: опитування, консультація чи обговорення."), field="kind"
        )
    title = _text(title, field="title", limit=TITLE_MAX, label=_("Назва"))
    if not title:
        raise DomainError("title_required", _("Вкажіть назву."), field="title")
    summary = _text(summary, field="summary", limit=500, label=_("Коротко"))
    if not summary:
        raise DomainError("summary_required", _("Коротко опишіть, про що консультація."), field="summary")
    _check_dates(opens_at, closes_at)
    if audience not in Audience.values:
        raise DomainError("audience_invalid", _("Оберіть, хто може брати участь."), field="audience")
    try:
        min_age = int(min_age)
    except (TypeError, ValueError):
        min_age = -1
    if not 0 <= min_age <= 100:
        raise DomainError("min_age_invalid", _("Мінімальний вік — від 0 до 100 років."), field="min_age")
    if area is not None and area.hromada_id != hromada.pk:
        raise DomainError("area_invalid", _("Такого району чи округу в громаді немає."), field="area")
    if results_visibility not in ResultsVisibility.values:
        raise DomainError(
            "results_visibility_invalid", _("Оберіть, коли видно результати."), field="results_visibility"
        )
    if allow_proposals is None:
        allow_proposals = kind in (Kind.CONSULTATION, Kind.DISCUSSION)
    return {
        "kind": kind,
        "title": title,
        "summary": summary,
        "question": _text(question, field="question", limit=TEXT_MAX, label=_("Питання")),
        "body": _text(body, field="body", limit=TEXT_MAX, label=_("Опис і обґрунтування")),
        "initiator": _text(initiator, field="initiator", limit=TITLE_MAX, label=_("Ініціатор")),
        "contact": _text(contact, field="contact", limit=TITLE_MAX, label=_("Контактна особа")),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "audience": audience,
        "min_age": min_age,
        "area": area,
        "ask_area": bool(ask_area),
        "anonymous": bool(anonymous),
        "results_visibility": results_visibility,
        "allow_proposals": bool(allow_proposals),
        "allow_comments": bool(allow_comments),
    }


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
    fields = _clean_fields(
        hromada=hromada,
        kind=kind,
        title=title,
        summary=summary,
        opens_at=opens_at,
        closes_at=closes_at,
        question=question,
        body=body,
        initiator=initiator,
        contact=contact,
        audience=audience,
        min_age=min_age,
        area=area,
        ask_area=ask_area,
        anonymous=anonymous,
        results_visibility=results_visibility,
        allow_proposals=allow_proposals,
        allow_comments=allow_comments,
    )
    with transaction.atomic():
        return Consultation.objects.create(
            hromada=hromada, **fields, salt=secrets.token_hex(16), created_by=actor
        )


def consultation_update(*, consultation: Consultation, actor, **changes) -> Consultation:
    """Change a draft (the fields of consultation_create, same rules). A published
    consultation is fixed: its dates move only through consultation_extend / _close_now."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"consultation_update: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=hromada)
        if locked.status != Status.DRAFT:
            raise DomainError(
                "not_draft",
                _("Оприлюднену консультацію змінити не можна: строки продовжують або скорочують окремо."),
                status=409,
            )
        current = {name: getattr(locked, name) for name in EDITABLE}
        current.update(changes)
        fields = _clean_fields(hromada=hromada, **current)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def consultation_publish(
    *, consultation: Consultation, actor, now: dt.datetime | None = None
) -> Consultation:
    """Publish a draft: its consecutive number, its phase plan (open from opens_at to
    closes_at, then the report's term), ledgered. The questionnaire is frozen from now on.
    After commit the plan is brought to its phase at once, so a consultation open now is
    announced to subscribers now (the hook, on entering `open`)."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    now = now or timezone.now()
    settings_row = module_settings(hromada=hromada, label="consultations")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=hromada)
        problem = publish_refusal(locked, now=now)
        if problem is not None:
            raise problem
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
                "documents": [
                    {"title": d.title, "url": d.url, "size": d.size}
                    for d in locked.documents.order_by("order")
                ],
            },
        )
        plan = locked.plan
        transaction.on_commit(lambda: _advance(plan), robust=True)
    return locked


def publish_refusal(consultation: Consultation, *, now: dt.datetime | None = None) -> DomainError | None:
    """Why a draft cannot be published now (shown on the confirmation page before the
    button), or None."""
    now = now or timezone.now()
    if consultation.status != Status.DRAFT:
        return DomainError("not_draft", _("Консультацію вже оприлюднено."), status=409)
    if consultation.closes_at <= now:
        return DomainError(
            "closes_in_past", _("Дата завершення вже минула: змініть дати."), field="closes_at"
        )
    if consultation.kind == Kind.SURVEY and not consultation.questions.exists():
        return DomainError("questions_required", _("Додайте до опитування хоча б одне питання."))
    if consultation.kind == Kind.DISCUSSION and not consultation.paragraphs.exists():
        return DomainError("text_required", _("Додайте текст проєкту акта."))
    return None


def _advance(plan) -> None:
    fresh = type(plan).objects.get(pk=plan.pk)
    phases.plan_advance(fresh)


def _open_phase(consultation: Consultation):
    if consultation.status != Status.PUBLISHED or consultation.plan is None:
        raise DomainError("not_published", _("Строки змінюють лише в оприлюдненої консультації."), status=409)
    phase = next((p for p in phases.plan_phases(consultation.plan) if p.code == PHASE_OPEN), None)
    if phase is None:  # pragma: no cover - every plan has it (consultation_publish)
        raise DomainError("phase_unknown", _("У консультації немає етапу участі."))
    return phase


def consultation_extend(
    *, consultation: Consultation, actor, ends_at: dt.datetime, reason: str
) -> Consultation:
    """Move the end of taking part later (the report's term moves with it), with the
    reason: recorded by the kernel (PhaseExtension + ledger) and announced to the
    participants (people with a draft too) and followers after commit. The closing
    reminder goes out again before the new end."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    phase = _open_phase(consultation)
    if timezone.is_naive(ends_at):
        raise ValueError("ends_at must be aware")
    with transaction.atomic():
        phases.phase_extend(
            actor=actor,
            phase=phase,
            new_ends_at=ends_at,
            reason=(reason or "")[:REASON_MAX],
            shift_following=True,
            ledger_kind=PHASE_LEDGER_KIND,
        )
        Consultation.objects.filter(pk=consultation.pk, hromada=hromada).update(
            closes_at=ends_at, reminded_at=None
        )
        consultation.closes_at = ends_at
        consultation.reminded_at = None
        reason_text = reason.strip()
        transaction.on_commit(lambda: _announce_extension(consultation, ends_at, reason_text), robust=True)
    return consultation


def _announce_extension(consultation: Consultation, ends_at: dt.datetime, reason: str) -> None:
    from ..selectors import participants_of

    with transaction.atomic():
        notify_send(
            hromada=consultation.hromada,
            users=participants_of(consultation, drafts=True),
            kind="consultations.extended",
            title=lazy_format(
                gettext_lazy("Консультацію №%(n)s продовжено до %(ends)s"),
                n=consultation.number,
                ends=timezone.localtime(ends_at).strftime("%d.%m.%Y %H:%M"),
            ),
            body=f"{consultation.title}. {reason}",
            url=page_url(consultation),
        )


def consultation_close_now(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """End taking part now (the report's term starts now), with the reason; the plan is
    advanced at once, so the hook drafts the report and tells staff it is due."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    phase = _open_phase(consultation)
    assert consultation.plan is not None
    phases.plan_advance(consultation.plan)  # so the hook hears the true "old" phase
    now = timezone.now()
    with transaction.atomic():
        extension = phases.phase_shorten(
            actor=actor,
            phase=phase,
            new_ends_at=now,
            reason=(reason or "")[:REASON_MAX],
            shift_following=True,
            ledger_kind=PHASE_LEDGER_KIND,
        )
        Consultation.objects.filter(pk=consultation.pk, hromada=hromada).update(
            closes_at=extension.new_ends_at
        )
        consultation.closes_at = extension.new_ends_at
    _advance(consultation.plan)
    return consultation


def consultation_cancel(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """Cancel a published consultation that has not ended, with the reason: ledgered, the
    participants and followers told after commit. Its answers are kept (not counted)."""
    hromada = consultation.hromada
    _require_manage(actor, hromada)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Вкажіть причину скасування."), field="reason")
    if len(reason) > CANCEL_REASON_MAX:
        raise DomainError(
            "reason_too_long",
            _("Причина задовга: до %(n)d знаків.") % {"n": CANCEL_REASON_MAX},
            field="reason",
        )
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=hromada)
        code = rules.phase_code(locked)
        if code == "draft":
            raise DomainError(
                "not_published", _("Чернетку не скасовують: її просто не оприлюднюють."), status=409
            )
        if code == "cancelled":
            raise DomainError("already_cancelled", _("Консультацію вже скасовано."), status=409)
        if code in (PHASE_REPORT, "closed"):
            raise DomainError(
                "already_closed", _("Консультацію вже завершено: скасувати її не можна."), status=409
            )
        locked.status = Status.CANCELLED
        locked.cancelled_reason = reason
        locked.save()
        ledger_append(
            hromada=hromada,
            kind="consultations.cancelled",
            payload={"consultation": str(locked.public_id), "number": locked.number, "reason": reason},
        )
        transaction.on_commit(lambda: _announce_cancel(locked), robust=True)
    return locked


def _announce_cancel(consultation: Consultation) -> None:
    from ..selectors import participants_of

    with transaction.atomic():
        notify_send(
            hromada=consultation.hromada,
            users=participants_of(consultation, drafts=True),
            kind="consultations.cancelled",
            title=lazy_format(gettext_lazy("Консультацію №%(n)s скасовано"), n=consultation.number),
            body=f"{consultation.title}. {consultation.cancelled_reason}",
            url=page_url(consultation),
        )


# --- the phase hook ---------------------------------------------------------------------


def _draft_report(consultation: Consultation) -> None:
    """The report's draft from the data (services/reports.py); imported here because
    reports reads the lifecycle's selectors."""
    from . import reports

    reports.report_draft(consultation=consultation)


def consultation_phase_changed(*, hromada, plan, old, new) -> None:
    """The kernel's hook after the plan moved (module.py `phase_changed`), after commit:
    entering `open` announces the consultation to the hromada's subscribers; leaving
    `open` (into `report`, or straight past it if the worker was down) drafts the report
    and tells the staff who manage consultations that it is due. Cancelled ones: nothing."""
    consultation = Consultation.objects.for_hromada(hromada).filter(plan=plan).select_related("plan").first()
    if consultation is None or consultation.status != Status.PUBLISHED:
        return
    new_code = new.code if new is not None else ""
    old_code = old.code if old is not None else ""
    if new_code == PHASE_OPEN:
        _announce_open(consultation)
    if new_code == PHASE_REPORT or (old_code == PHASE_OPEN and new_code == ""):
        try:
            _draft_report(consultation)
        finally:
            _announce_report_due(consultation, new)


def _announce_open(consultation: Consultation) -> None:
    from ..selectors import subscribers_of

    with transaction.atomic():
        notify_send(
            hromada=consultation.hromada,
            users=subscribers_of(consultation),
            kind="consultations.published",
            title=lazy_format(
                gettext_lazy("%(kind)s №%(n)s: %(title)s"),
                kind=Kind(consultation.kind).label,
                n=consultation.number,
                title=consultation.title,
            ),
            body=lazy_format(
                gettext_lazy("Узяти участь можна до %(ends)s. %(summary)s"),
                ends=timezone.localtime(consultation.closes_at).strftime("%d.%m.%Y %H:%M"),
                summary=consultation.summary,
            ),
            url=page_url(consultation),
        )


def _staff_url(name: str, consultation: Consultation) -> str:
    try:
        return reverse(name, kwargs={"cid": consultation.public_id})
    except NoReverseMatch:
        return ""


def report_url_for_staff(consultation: Consultation) -> str:
    return _staff_url("staff_consultations:report", consultation) or _staff_url(
        "staff_consultations:edit", consultation
    )


def _announce_report_due(consultation: Consultation, phase) -> None:
    from ..selectors import staff_holders

    due = phase.ends_at if phase is not None else timezone.now()
    with transaction.atomic():
        notify_send(
            hromada=consultation.hromada,
            users=staff_holders(hromada=consultation.hromada, codename="consultations.manage"),
            kind="consultations.report_due",
            title=lazy_format(
                gettext_lazy("Консультацію №%(n)s завершено: оприлюдніть звіт до %(due)s"),
                n=consultation.number,
                due=timezone.localtime(due).strftime("%d.%m.%Y"),
            ),
            body=consultation.title,
            url=report_url_for_staff(consultation),
        )
