"""The report on the results (Порядок проведення консультацій з громадськістю: within two
weeks of the end): drafted from the data when the consultation closes (and again on
staff's request while unpublished), edited by staff, published once — ledgered with the
SHA-256 of its text and of the figures it was drafted from, and sent to everyone who
took part or follows the consultation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core import phases
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import result_selectors, rules
from ..models import (
    PHASE_OPEN,
    TEXT_MAX,
    Audience,
    Consultation,
    Follow,
    Proposal,
    ProposalStatus,
    QuestionKind,
    Report,
    Response,
    ResponseStatus,
    Support,
)

REPORT_TEXT_MAX = 100_000
RESPONSE_KIND = "consultations.response_submitted"
PUBLISHED_KIND = "consultations.report_published"


def _require_report(actor, consultation: Consultation) -> None:
    if not rules.can_report(actor, consultation.hromada):
        raise PermissionDenied("forbidden", _("Немає права складати звіти про результати консультацій."))


def _open_dates(consultation: Consultation) -> tuple[dt.datetime, dt.datetime]:
    """The open phase's dates from the plan (the truth once published: extended or closed
    early there), else the consultation's own."""
    if consultation.plan is not None:
        for phase in phases.plan_phases(consultation.plan):
            if phase.code == PHASE_OPEN:
                return phase.starts_at, phase.ends_at
    return consultation.opens_at, consultation.closes_at


def ledger_response_count(consultation: Consultation) -> int:
    """consultations.response_submitted entries of this consultation in the ledger."""
    return (
        LedgerEntry.objects.filter(
            hromada_id=consultation.hromada_id,
            kind=RESPONSE_KIND,
            payload__consultation=str(consultation.public_id),
        )
        .order_by()
        .count()
    )


def _proposals(consultation: Consultation) -> list[Proposal]:
    return list(
        Proposal.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .select_related("paragraph")
        .order_by("number")
    )


def report_figures(consultation: Consultation) -> dict[str, Any]:
    """The numbers the report is drafted from (stored as Report.figures)."""
    opens_at, closes_at = _open_dates(consultation)
    responses = Response.objects.for_hromada(consultation.hromada_id).filter(
        consultation=consultation, status=ResponseStatus.SUBMITTED
    )
    proposals = _proposals(consultation)
    authors = {p.participant for p in proposals}
    supporters = set(
        Support.objects.for_hromada(consultation.hromada_id)
        .filter(proposal__consultation=consultation)
        .values_list("participant", flat=True)
    )
    respondents = set(responses.values_list("participant", flat=True)) if authors or supporters else set()
    submitted = responses.count()
    results = result_selectors.compute_results(consultation)
    by_status = {s: 0 for s in ProposalStatus.values}
    for p in proposals:
        by_status[p.status] += 1
    subscribers = (
        Follow.objects.for_hromada(consultation.hromada_id).filter(consultation__isnull=True).count()
    )
    return {
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
        "audience": consultation.audience,
        "min_age": consultation.min_age,
        "area": consultation.area.name if consultation.area is not None else "",
        "published_at": consultation.published_at.isoformat() if consultation.published_at else None,
        "subscribers": subscribers,
        "responses": submitted,
        "proposal_authors": len(authors),
        "supporters": len(supporters),
        # One pseudonym per person per consultation: answering, proposing and supporting
        # count one participant once.
        "participants": len(respondents | authors | supporters) if authors or supporters else submitted,
        "ledger_responses": ledger_response_count(consultation),
        "by_age_group": [
            {"group": g["key"], "count": g["count"]}
            for g in result_selectors.group_counts(consultation, "age_group")
        ],
        "by_area": [
            {"area": g["label"], "count": g["count"]}
            for g in result_selectors.group_counts(consultation, "area")
        ],
        "questions": [_question_figures(q) for q in results.questions],
        "proposals": {
            "total": len(proposals),
            **by_status,
        },
        "proposal_list": [
            {
                "number": p.number,
                "paragraph": p.paragraph.number if p.paragraph is not None else "",
                "title": p.title,
                "status": p.status,
                "reason": p.reason,
                "supports": p.support_count,
            }
            for p in proposals
            if p.status not in (ProposalStatus.WITHDRAWN, ProposalStatus.HIDDEN)
        ],
    }


def _question_figures(q: result_selectors.QuestionResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "order": q.order,
        "kind": q.kind,
        "text": q.text,
        "answered": q.answered,
    }
    if q.is_choice:
        out["options"] = [
            {"label": o.label, "count": o.count, "share": round(o.share, 4)}
            | ({"mean_rank": o.mean_rank, "borda": o.borda, "first": o.first} if q.kind == "ranking" else {})
            for o in q.options
        ]
    if q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        out |= {"mean": q.mean, "median": q.median, "min": q.minimum, "max": q.maximum}
    if q.kind == QuestionKind.SCALE:
        out["distribution"] = [[v, n] for v, n in q.distribution]
    if q.is_text:
        out["shown"] = q.shown_texts
    return out


def _day(value: str) -> str:
    return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "j E Y")


def _num(value) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def report_text(consultation: Consultation, figures: dict[str, Any]) -> str:
    """The draft's words (plain text, paragraphs separated by blank lines)."""
    audience = {
        Audience.ACCOUNT: _("усі охочі з обліковим записом на порталі громади"),
        Audience.EMAIL: _("мешканці з підтвердженою електронною поштою"),
        Audience.VERIFIED: _("мешканці з підтвердженою особою"),
    }.get(figures["audience"], figures["audience"])
    if figures["min_age"]:
        audience += _(", віком від %(age)d років") % {"age": figures["min_age"]}
    if figures["area"]:
        audience += _(", які проживають: %(area)s") % {"area": figures["area"]}
    parts = [
        _("Звіт про результати: «%(title)s» (№%(number)s)")
        % {"title": consultation.title, "number": consultation.number or "—"},
        _("Строки: з %(start)s до %(end)s. Хто міг узяти участь: %(audience)s.")
        % {"start": _day(figures["opens_at"]), "end": _day(figures["closes_at"]), "audience": audience},
        _(
            "Як оголошено: оприлюднено на порталі громади %(day)s; повідомлення отримали підписники "
            "новин про консультації (%(subscribers)d)."
        )
        % {
            "day": _day(figures["published_at"]) if figures["published_at"] else "—",
            "subscribers": figures["subscribers"],
        },
    ]
    # Plurals avoided ("записів: N"): the report is edited as plain text by staff.
    taking_part = _("Учасників: %(participants)d.") % {"participants": figures["participants"]}
    if figures["questions"]:
        taking_part += " " + _(
            "Надіслали відповіді на анкету: %(responses)d; кожну відповідь записано в публічний реєстр "
            "подій (записів: %(ledger)d)."
        ) % {"responses": figures["responses"], "ledger": figures["ledger_responses"]}
    if figures["proposal_authors"] or figures["proposals"]["total"]:
        taking_part += " " + _("Подали пропозиції: %(authors)d, підтримали пропозиції: %(supporters)d.") % {
            "authors": figures["proposal_authors"],
            "supporters": figures.get("supporters", 0),
        }
    parts.append(taking_part)
    groups = [
        f"{g['group'] or _('вік невідомий')}: {_num(g['count']) if g['count'] is not None else _('менше 5')}"
        for g in figures["by_age_group"]
    ]
    if groups:
        parts.append(_("За віком: %(groups)s.") % {"groups": "; ".join(groups)})
    areas = [
        f"{g['area']}: {_num(g['count']) if g['count'] is not None else _('менше 5')}"
        for g in figures["by_area"]
    ]
    if areas and any(g["area"] != _("Не вказано") for g in figures["by_area"]):
        parts.append(_("За районами: %(areas)s.") % {"areas": "; ".join(areas)})
    for q in figures["questions"]:
        parts.append(_question_words(q))
    counts = figures["proposals"]
    if counts["total"]:
        parts.append(
            _(
                "Пропозицій: %(total)d. Враховано: %(accepted)d, враховано частково: %(partly)d, "
                "відхилено: %(rejected)d, ще розглядаються: %(pending)d."
            )
            % counts
        )
        labels = dict(ProposalStatus.choices)
        for p in figures["proposal_list"]:
            where = _(" (до пункту %(n)s)") % {"n": p["paragraph"]} if p["paragraph"] else ""
            line = f"{p['number']}. {p['title']}{where} — {labels[p['status']]}"
            if p["reason"]:
                line += f": {p['reason']}"
            parts.append(line)
    return "\n\n".join(parts)[:REPORT_TEXT_MAX]


def _question_words(q: dict[str, Any]) -> str:
    head = _("Питання %(order)d. %(text)s Відповіли: %(n)d.") % {
        "order": q["order"],
        "text": q["text"],
        "n": q["answered"],
    }
    if "options" in q:
        if q["kind"] == "ranking":
            body = "; ".join(
                _("%(label)s — балів: %(borda)d, першими обрали: %(first)d, середнє місце: %(rank)s")
                % {
                    "label": o["label"],
                    "borda": o["borda"],
                    "first": o["first"],
                    "rank": _num(o["mean_rank"]),
                }
                for o in q["options"]
            )
        else:
            body = "; ".join(
                f"{o['label']} — {o['count']} ({_num(round(o['share'] * 100, 1))} %)" for o in q["options"]
            )
        return f"{head} {body}."
    if "mean" in q:
        return (
            head
            + " "
            + _("Середнє: %(mean)s, медіана: %(median)s, від %(min)s до %(max)s.")
            % {
                "mean": _num(q["mean"]),
                "median": _num(q["median"]),
                "min": _num(q["min"]),
                "max": _num(q["max"]),
            }
        )
    if "shown" in q:
        return head + " " + _("Після модерації оприлюднено відповідей: %(n)d.") % {"n": q["shown"]}
    return head


def report_draft(*, consultation: Consultation) -> Report:
    """Create or refresh the unpublished report's text and figures from the data
    (idempotent); a published report is returned unchanged. Staff's outcome and
    decision link are kept."""
    figures = report_figures(consultation)
    text = report_text(consultation, figures)
    now = timezone.now()
    with transaction.atomic():
        report = (
            Report.objects.for_hromada(consultation.hromada_id)
            .select_for_update()
            .filter(consultation=consultation)
            .first()
        )
        if report is None:
            return Report.objects.create(
                hromada_id=consultation.hromada_id,
                consultation=consultation,
                text=text,
                figures=figures,
                drafted_at=now,
            )
        if report.published_at is None:
            report.text, report.figures, report.drafted_at = text, figures, now
            report.save(update_fields=["text", "figures", "drafted_at", "updated_at"])
    return report


def report_of(consultation: Consultation) -> Report | None:
    return Report.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation).first()


def report_update(*, report: Report, actor, text: str, outcome: str = "", decision_url: str = "") -> Report:
    """Staff's edit of the unpublished report."""
    consultation = report.consultation
    _require_report(actor, consultation)
    if report.published_at is not None:
        raise DomainError("report_published", _("Звіт уже оприлюднено: змінити його не можна."), status=409)
    text = (text or "").strip()
    outcome = (outcome or "").strip()
    decision_url = (decision_url or "").strip()
    if not text:
        raise DomainError("text_required", _("Текст звіту не може бути порожнім."), field="text")
    if len(text) > REPORT_TEXT_MAX:
        raise DomainError(
            "text_too_long",
            _("Текст звіту задовгий: до %(n)d символів.") % {"n": REPORT_TEXT_MAX},
            field="text",
        )
    if len(outcome) > TEXT_MAX:
        raise DomainError(
            "outcome_too_long",
            _("Опис рішення задовгий: до %(n)d символів.") % {"n": TEXT_MAX},
            field="outcome",
        )
    if decision_url:
        try:
            URLValidator(schemes=["http", "https"])(decision_url)
        except ValidationError:
            raise DomainError(
                "decision_url_invalid",
                _("Посилання на рішення має бути адресою сторінки (https://…)."),
                field="decision_url",
            ) from None
    with transaction.atomic():
        Report.objects.for_hromada(consultation.hromada_id).filter(
            pk=report.pk, published_at__isnull=True
        ).update(text=text, outcome=outcome, decision_url=decision_url, updated_at=timezone.now())
        report.refresh_from_db()
    return report


def participant_user_ids(consultation: Consultation) -> set[int]:
    """Everyone to tell of the report: submitted responses' users, proposal authors,
    supporters and followers (selectors.participants_of)."""
    from ..selectors import participants_of

    return set(participants_of(consultation).values_list("pk", flat=True))


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def figures_hash(figures: dict[str, Any]) -> str:
    return _sha256(json.dumps(figures, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def _report_url(consultation: Consultation) -> str:
    try:
        return reverse("consultations:report", args=[consultation.number])
    except NoReverseMatch:
        return ""


def report_publish(*, consultation: Consultation, actor, now: dt.datetime | None = None) -> Report:
    """Publish the report: only once the consultation is closed and every proposal is
    answered. Ledgered; participants and followers are told after commit."""
    _require_report(actor, consultation)
    now = now or timezone.now()
    if not rules.is_closed(consultation, now):
        raise DomainError("not_closed", _("Звіт оприлюднюють після завершення консультації."), status=409)
    pending = (
        Proposal.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, status=ProposalStatus.PENDING)
        .aggregate(n=Count("id"))["n"]
    )
    if pending:
        raise DomainError(
            "proposals_pending",
            _("Спершу дайте відповідь на кожну пропозицію: без відповіді ще %(n)d.") % {"n": pending},
            status=409,
        )
    if report_of(consultation) is None:
        report_draft(consultation=consultation)
    with transaction.atomic():
        report = (
            Report.objects.for_hromada(consultation.hromada_id)
            .select_for_update()
            .get(consultation=consultation)
        )
        if report.published_at is not None:
            raise DomainError("report_published", _("Звіт уже оприлюднено."), status=409)
        report.published_at = now
        report.published_by = actor
        report.save(update_fields=["published_at", "published_by", "updated_at"])
        ledger_append(
            hromada=consultation.hromada,
            kind=PUBLISHED_KIND,
            payload={
                "consultation": str(consultation.public_id),
                "number": consultation.number,
                "text_sha256": _sha256(report.text),
                "figures_sha256": figures_hash(report.figures),
                "participants": report.figures.get("participants", 0),
            },
        )
        users = participant_user_ids(consultation)
        if users:
            url = _report_url(consultation)
            transaction.on_commit(
                lambda: notify_send(
                    hromada=consultation.hromada,
                    users=sorted(users),
                    kind=PUBLISHED_KIND,
                    title=lazy_format(
                        gettext_lazy("Оприлюднено звіт про результати: «%(title)s»"), title=consultation.title
                    ),
                    url=url,
                ),
                robust=True,
            )
    return report
