"""Test data for the results part: a survey with one question of every kind and
submitted responses written as rows (with their ledger entry, as
services.responses.response_submit writes them; no counter: the snapshot counts) — the questionnaire part's services
are on another branch. No tests here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.consultations import rules
from hromada.consultations.models import Answer, Consultation, Option, Question, Response, TextState
from hromada.consultations.services.consultations import consultation_publish
from hromada.consultations.tests.factories import make_consultation
from hromada.ledger.services import ledger_append

KINDS = ("single", "multiple", "ranking", "scale", "number", "short", "long", "point")


def add_question(consultation: Consultation, kind: str, text: str, options=(), **fields) -> Question:
    order = consultation.questions.count() + 1
    question = Question.objects.create(
        hromada=consultation.hromada, consultation=consultation, order=order, kind=kind, text=text, **fields
    )
    for n, label in enumerate(options, 1):
        Option.objects.create(hromada=consultation.hromada, question=question, order=n, label=label)
    return question


def survey(
    hromada, *, current: str = "open", publish: bool = True, **fields
) -> tuple[Consultation, dict[str, Question]]:
    """A published survey with a question of each kind (keys of KINDS)."""
    actor = staff_user(hromada, "admin")
    consultation = make_consultation(
        hromada, actor=actor, current=current, questions=False, publish=False, **fields
    )
    questions = {
        "single": add_question(consultation, "single", "Чи потрібен парк?", ("Так", "Ні")),
        "multiple": add_question(
            consultation, "multiple", "Що додати?", ("Лави", "Ліхтарі", "Дитячий майданчик"), max_choices=2
        ),
        "ranking": add_question(consultation, "ranking", "Упорядкуйте", ("Дороги", "Школи", "Парки")),
        "scale": add_question(consultation, "scale", "Оцініть", scale_min=1, scale_max=5),
        "number": add_question(consultation, "number", "Скільки разів на тиждень?", required=False),
        "short": add_question(consultation, "short", "Одним словом", required=False),
        "long": add_question(consultation, "long", "Ваші побажання", required=False),
        "point": add_question(consultation, "point", "Де саме?", required=False),
    }
    if publish:
        consultation = consultation_publish(
            consultation=consultation, actor=actor, now=consultation.opens_at - dt.timedelta(hours=1)
        )
    return consultation, questions


def option(question: Question, label: str) -> Option:
    return question.options.get(label=label)


def submit(
    consultation: Consultation,
    questions: dict[str, Question],
    values: dict,
    *,
    user=None,
    age_group: str = "",
    area=None,
    text_state: str = TextState.PENDING,
    status: str = "submitted",
) -> Response:
    """One response with `values` by kind: single "label", multiple ["label", …],
    ranking ["first", …], scale/number a number, short/long a text, point (lat, lon)."""
    user = user or verified_user()
    hromada = consultation.hromada
    participant = rules.pseudonym_of(user, consultation)
    response = Response.objects.create(
        hromada=hromada,
        consultation=consultation,
        participant=participant,
        user=user,
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
        age_group=age_group,
        area=area,
    )
    rows = []
    for kind, value in values.items():
        q = questions[kind]
        base = {"hromada": hromada, "response": response, "question": q}
        if kind == "single":
            rows.append(Answer(**base, option=option(q, value)))
        elif kind == "multiple":
            rows += [Answer(**base, option=option(q, label)) for label in value]
        elif kind == "ranking":
            rows += [Answer(**base, option=option(q, label), rank=i) for i, label in enumerate(value, 1)]
        elif kind in ("scale", "number"):
            rows.append(Answer(**base, number=Decimal(str(value))))
        elif kind in ("short", "long"):
            rows.append(Answer(**base, text=value, text_state=text_state))
        elif kind == "point":
            rows.append(Answer(**base, lat=value[0], lon=value[1]))
    Answer.objects.bulk_create(rows)
    if status == "submitted":
        ledger_append(
            hromada=hromada,
            kind="consultations.response_submitted",
            payload={
                "consultation": str(consultation.public_id),
                "participant": participant,
                "answers": len(rows),
            },
        )
    consultation.refresh_from_db(fields=["response_count"])
    return response
