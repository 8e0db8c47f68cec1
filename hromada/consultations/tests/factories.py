"""Consultations test data, built through the services (so published ones have their
plan and ledger entry). Questions and paragraphs are added with the builder's services
once they exist; until then `make_consultation` writes the minimum rows itself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hromada.accounts.tests.factories import staff_user
from hromada.consultations.models import Consultation, Question
from hromada.consultations.services.consultations import consultation_create, consultation_publish

DAY = dt.timedelta(days=1)


def dates_for(current: str, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """(opens_at, closes_at) so that `current` holds now: "upcoming", "open", "report"
    (closed 2 days ago, report due) or "closed" (closed 30 days ago, report term over)."""
    now = now or timezone.now()
    return {
        "upcoming": (now + DAY, now + 8 * DAY),
        "open": (now - 3 * DAY, now + 4 * DAY),
        "report": (now - 9 * DAY, now - 2 * DAY),
        "closed": (now - 40 * DAY, now - 30 * DAY),
    }[current]


def add_single_question(
    consultation: Consultation, *, text="Чи підтримуєте ви пропозицію?", options=("Так", "Ні"), **fields
):
    return add_question(consultation, "single", text=text, options=options, **fields)


def add_question(consultation: Consultation, kind: str, *, text: str | None = None, actor=None, **fields):
    """A question of `kind` added through the builder (the consultation must be a draft).
    Choice kinds get options ("Перший", "Другий", "Третій") unless given."""
    from hromada.consultations.services.questionnaire import question_add

    if kind in ("single", "multiple", "ranking"):
        fields.setdefault("options", ("Перший", "Другий", "Третій"))
    return question_add(
        consultation=consultation,
        actor=actor or consultation.created_by or staff_user(consultation.hromada, "admin"),
        kind=kind,
        text=text or f"Питання типу {kind}",
        **fields,
    )


def add_condition(question: Question, option_label: str, source: Question, *, actor=None):
    """Show `question` only when `source`'s answer includes the option `option_label`."""
    from hromada.consultations.services.questionnaire import condition_add

    option = source.options.get(label=option_label)
    return condition_add(
        question=question,
        actor=actor or question.consultation.created_by or staff_user(question.hromada, "admin"),
        option=option,
    )


def add_paragraphs(
    consultation: Consultation, texts=("Загальні положення", "Текст пункту 1.1.", "Текст пункту 1.2.")
):
    """The draft act's paragraphs through the staff's service: "1" (a heading), "1.1", "1.2", …"""
    from hromada.consultations.services.paragraphs import paragraph_add

    actor = consultation.created_by or staff_user(consultation.hromada, "admin")
    return [
        paragraph_add(
            consultation=consultation,
            actor=actor,
            number="1" if n == 1 else f"1.{n - 1}",
            heading=n == 1,
            text=text,
        )
        for n, text in enumerate(texts, 1)
    ]


def make_consultation(
    hromada,
    *,
    actor=None,
    kind: str = "survey",
    current: str = "open",
    publish: bool = True,
    title: str = "Опитування щодо благоустрою парку",
    questions: bool = True,
    **fields,
) -> Consultation:
    """A consultation of `kind` whose phase `current` holds now (a draft when
    publish=False). A survey gets one single-choice question, a discussion three
    paragraphs, unless questions=False."""
    actor = actor or staff_user(hromada, "admin")
    opens_at, closes_at = dates_for(current)
    consultation = consultation_create(
        hromada=hromada,
        actor=actor,
        kind=kind,
        title=title,
        summary=fields.pop("summary", "Коротко про те, що обговорюємо."),
        opens_at=fields.pop("opens_at", opens_at),
        closes_at=fields.pop("closes_at", closes_at),
        **fields,
    )
    if questions and kind == "survey":
        add_single_question(consultation)
    if questions and kind == "discussion":
        add_paragraphs(consultation)
    if publish:
        consultation = consultation_publish(
            consultation=consultation, actor=actor, now=consultation.opens_at - dt.timedelta(hours=1)
        )
    return consultation
