"""Answering a questionnaire: the pure check of the answers (`answers_check`, also used
by the hot submit route), saving a draft (`response_save`: whatever is valid is kept,
nothing valid is ever lost) and the final submission (`response_submit`: one per person —
the response row's (consultation, participant) unique constraint and a conditional
UPDATE draft→submitted decide, so a race of two submissions is one response).

Raw answers: `{"<question id>": value}` — an option id (single), a list of option ids
(multiple; ranking in rank order, or `{option id: rank}`), a number or its text (scale,
number), text (short, long), `{"lat": …, "lon": …}` (point). Conditions are evaluated in
order: a hidden question's answer is dropped, and a hidden question is not required."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.text import text_problem
from hromada.ledger.services import ledger_append

from ..models import (
    ANSWER_TEXT_MAX,
    SHORT_TEXT_MAX,
    Answer,
    Consultation,
    QuestionKind,
    Response,
    ResponseStatus,
    TextState,
)
from ..questionnaire_selectors import Questionnaire, QuestionSpec, questionnaire_of
from . import participation

NUMBER_LIMIT = Decimal("999999999999.99")
QUOTE_MAX = 80


@dataclass(frozen=True)
class AnswerValue:
    """One Answer row to write."""

    question_id: str
    option_id: str | None = None
    rank: int | None = None
    number: Decimal | None = None
    text: str = ""
    lat: float | None = None
    lon: float | None = None


class AnswersInvalid(DomainError):
    """Some answers break the questionnaire's rules: `errors` {question id: message},
    `codes` {question id: rule code}, `values` the answers that are valid."""

    def __init__(
        self, errors: dict[str, str], codes: dict[str, str], values: list[AnswerValue] | None = None
    ):
        first = next(iter(errors.values()))
        super().__init__("answers_invalid", first, field=next(iter(errors)), status=400)
        self.errors = errors
        self.codes = codes
        self.values = values or []

    @property
    def details(self) -> list[dict]:
        """The per-question errors for the API's `errors` list."""
        return [
            {"field": question_id, "code": self.codes.get(question_id, "invalid"), "message": message}
            for question_id, message in self.errors.items()
        ]


class _Bad(Exception):
    def __init__(self, code: str, rule: str):
        self.code = code
        self.rule = rule


def question_name(question: QuestionSpec) -> str:
    """«Питання 3 «Як часто ви…»» — how an error names the question."""
    text = question.text if len(question.text) <= QUOTE_MAX else question.text[: QUOTE_MAX - 1] + "…"
    return _("Питання %(number)d «%(text)s»") % {"number": question.number, "text": text}


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        if isinstance(value, dict) and set(value) <= {"lat", "lon"}:
            return all(_empty(v) for v in value.values())
        return len(value) == 0 or all(
            _empty(v) for v in (value.values() if isinstance(value, dict) else value)
        )
    return False


def _option_id(value: Any) -> str:
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def _known(question: QuestionSpec, value: Any) -> str:
    option_id = _option_id(value)
    if question.option(option_id) is None:
        raise _Bad("option_unknown", _("такого варіанта відповіді немає серед запропонованих"))
    return option_id


def _choices(question: QuestionSpec, value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        if _empty(item):
            continue
        option_id = _known(question, item)
        if option_id not in out:
            out.append(option_id)
    return out


def _ranking(question: QuestionSpec, value: Any, final: bool) -> list[str]:
    if isinstance(value, dict):  # {option id: rank} — the form's "rank of each option"
        ranks: dict[int, str] = {}
        for key, rank in value.items():
            if _empty(rank):
                continue
            option_id = _known(question, key)
            try:
                place = int(str(rank).strip())
            except ValueError:
                raise _Bad("rank_invalid", _("місце має бути числом")) from None
            if not 1 <= place <= len(question.options):
                raise _Bad("rank_invalid", _("місце має бути від 1 до %(n)d") % {"n": len(question.options)})
            if place in ranks:
                raise _Bad(
                    "ranking_duplicate",
                    _("два варіанти не можуть посідати одне місце (%(place)d)") % {"place": place},
                )
            ranks[place] = option_id
        places = sorted(ranks)
        if places != list(range(1, len(places) + 1)):
            raise _Bad("ranking_gap", _("місця мають іти підряд, починаючи з 1"))
        ordered = [ranks[p] for p in places]
    else:
        items = value if isinstance(value, (list, tuple)) else [value]
        ordered = []
        for item in items:
            if _empty(item):
                continue
            option_id = _known(question, item)
            if option_id in ordered:
                raise _Bad("ranking_duplicate", _("кожен варіант можна поставити лише на одне місце"))
            ordered.append(option_id)
    need = question.rank_count
    if len(ordered) > need:
        raise _Bad("ranking_count", _("розставте рівно %(n)d варіантів за місцями") % {"n": need})
    if final and ordered and len(ordered) < need:
        raise _Bad("ranking_count", _("розставте рівно %(n)d варіантів за місцями") % {"n": need})
    return ordered


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _Bad("not_a_number", _("відповідь має бути числом"))
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad("not_a_number", _("відповідь має бути числом"))
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        raise _Bad("not_a_number", _("відповідь має бути числом")) from None
    if not number.is_finite():
        raise _Bad("not_a_number", _("відповідь має бути числом"))
    return number


def _scale(question: QuestionSpec, value: Any) -> Decimal:
    number = _decimal(value)
    if number != number.to_integral_value() or not question.scale_min <= number <= question.scale_max:
        raise _Bad(
            "out_of_range",
            _("оберіть ціле число від %(low)d до %(high)d")
            % {"low": question.scale_min, "high": question.scale_max},
        )
    return number.quantize(Decimal(1))


def _number(question: QuestionSpec, value: Any) -> Decimal:
    number = _decimal(value)
    if abs(number) > NUMBER_LIMIT:
        raise _Bad("out_of_range", _("число завелике"))
    if number != number.quantize(Decimal("0.01")):
        raise _Bad("too_precise", _("не більше двох знаків після коми"))
    low, high = question.number_min, question.number_max
    if low is not None and number < low:
        raise _Bad("out_of_range", _("число має бути не менше за %(low)s") % {"low": _plain(low)})
    if high is not None and number > high:
        raise _Bad("out_of_range", _("число має бути не більше за %(high)s") % {"high": _plain(high)})
    return number.quantize(Decimal("0.01"))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def _text(question: QuestionSpec, value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _Bad("text_invalid", _("відповідь має бути текстом"))
    text = str(value).strip().replace("\r\n", "\n")
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT else ANSWER_TEXT_MAX
    if len(text) > limit:
        raise _Bad(
            "text_too_long",
            _("відповідь задовга: до %(limit)d символів, зараз %(n)d") % {"limit": limit, "n": len(text)},
        )
    if text_problem(text, multiline=question.kind == QuestionKind.LONG) is not None:
        raise _Bad("invalid_text", _("текст містить недозволені символи"))
    return text


def _point(value: Any) -> tuple[float, float]:
    if not isinstance(value, dict):
        raise _Bad("point_invalid", _("позначте точку на карті або вкажіть широту й довготу"))
    try:
        lat = float(str(value.get("lat", "")).strip().replace(",", "."))
        lon = float(str(value.get("lon", "")).strip().replace(",", "."))
    except ValueError:
        raise _Bad("point_invalid", _("широта й довгота мають бути числами")) from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _Bad("point_invalid", _("широта має бути від −90 до 90, довгота — від −180 до 180"))
    return round(lat, 6), round(lon, 6)


def _values(question: QuestionSpec, value: Any, final: bool) -> list[AnswerValue]:
    qid = question.id
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if isinstance(value, (list, tuple)):
            picked = [v for v in value if not _empty(v)]
            if len(picked) > 1:
                raise _Bad("too_many_choices", _("оберіть лише один варіант"))
            value = picked[0]
        return [AnswerValue(qid, option_id=_known(question, value))]
    if kind == QuestionKind.MULTIPLE:
        picked = _choices(question, value)
        if question.max_choices and len(picked) > question.max_choices:
            raise _Bad(
                "too_many_choices", _("оберіть не більше %(n)d варіантів") % {"n": question.max_choices}
            )
        if final and picked and len(picked) < question.min_choices:
            raise _Bad(
                "too_few_choices", _("оберіть щонайменше %(n)d варіантів") % {"n": question.min_choices}
            )
        return [AnswerValue(qid, option_id=o) for o in picked]
    if kind == QuestionKind.RANKING:
        return [
            AnswerValue(qid, option_id=o, rank=n) for n, o in enumerate(_ranking(question, value, final), 1)
        ]
    if kind == QuestionKind.SCALE:
        return [AnswerValue(qid, number=_scale(question, value))]
    if kind == QuestionKind.NUMBER:
        return [AnswerValue(qid, number=_number(question, value))]
    if kind == QuestionKind.POINT:
        lat, lon = _point(value)
        return [AnswerValue(qid, lat=lat, lon=lon)]
    text = _text(question, value)
    return [AnswerValue(qid, text=text)] if text else []


def answers_sort(
    questionnaire: Questionnaire, raw: dict, *, final: bool
) -> tuple[list[AnswerValue], dict[str, str], dict[str, str]]:
    """(valid answers, {question id: message}, {question id: code}) — answers_check's
    work without raising, for a draft that keeps what is valid."""
    raw = {str(k): v for k, v in (raw or {}).items()} if isinstance(raw, dict) else {}
    values: list[AnswerValue] = []
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    chosen: set[str] = set()  # options chosen in the valid answers so far
    for question in questionnaire.questions:
        if question.conditions and not chosen.intersection(question.conditions):
            continue  # hidden: its answer is dropped, and it is not required
        value = raw.get(question.id)
        if _empty(value):
            if final and question.required:
                errors[question.id] = _("%(question)s: це обов'язкове питання — дайте відповідь.") % {
                    "question": question_name(question)
                }
                codes[question.id] = "required"
            continue
        try:
            found = _values(question, value, final)
        except _Bad as bad:
            errors[question.id] = f"{question_name(question)}: {bad.rule}."
            codes[question.id] = bad.code
            continue
        if final and question.required and not found:
            errors[question.id] = _("%(question)s: це обов'язкове питання — дайте відповідь.") % {
                "question": question_name(question)
            }
            codes[question.id] = "required"
            continue
        values.extend(found)
        chosen.update(v.option_id for v in found if v.option_id)
    return values, errors, codes


def answers_check(questionnaire: Questionnaire, raw: dict, *, final: bool) -> list[AnswerValue]:
    """The answers to write, or AnswersInvalid naming each failing question and its rule.
    Pure: no database. `final=False` (a draft) skips what only a finished questionnaire
    needs (required answers, the least number of choices, a complete ranking)."""
    values, errors, codes = answers_sort(questionnaire, raw, final=final)
    if errors:
        raise AnswersInvalid(errors, codes, values)
    return values


def answered_count(values: list[AnswerValue]) -> int:
    return len({v.question_id for v in values})


# --- writes ----------------------------------------------------------------------------


def point_problems(
    consultation: Consultation, questionnaire: Questionnaire, values: list[AnswerValue]
) -> dict:
    """Points outside the hromada's boundary (when one is drawn): {question id: message}.
    Also the edge's check (edge_questionnaire.py): the same words on both paths."""
    from hromada.places import selectors as places

    problems = {}
    for v in values:
        if v.lat is None or v.lon is None:
            continue
        if places.inside_boundary(hromada=consultation.hromada, lat=v.lat, lon=v.lon) is False:
            question = questionnaire.question(v.question_id)
            assert question is not None
            problems[v.question_id] = _(
                "%(question)s: точка поза межами громади — позначте місце в громаді."
            ) % {"question": question_name(question)}
    return problems


def _rows(
    consultation: Consultation, questionnaire: Questionnaire, response: Response, values
) -> list[Answer]:
    option_pk = {o.id: o.pk for q in questionnaire.questions for o in q.options}
    rows = []
    for v in values:
        question = questionnaire.question(v.question_id)
        assert question is not None
        is_text = question.kind in (QuestionKind.SHORT, QuestionKind.LONG)
        rows.append(
            Answer(
                hromada_id=consultation.hromada_id,
                response=response,
                question_id=question.pk,
                option_id=option_pk[v.option_id] if v.option_id else None,
                rank=v.rank,
                number=v.number,
                text=v.text,
                text_state=TextState.PENDING if is_text else "",
                lat=v.lat,
                lon=v.lon,
            )
        )
    return rows


def _already_answered() -> DomainError:
    return DomainError(
        "already_answered",
        _("Ви вже надіслали відповіді на це опитування: кожна людина відповідає один раз."),
        status=409,
    )


@dataclass
class DraftSaved:
    response: Response
    errors: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return self.response.answers.values("question_id").distinct().count()


def response_save(*, consultation: Consultation, user, raw: dict, address: str = "", area=None) -> DraftSaved:
    """Save `user`'s draft: every valid answer is stored (replacing the draft's answer to
    that question, or clearing it when left empty); an invalid one keeps the draft's
    earlier answer and comes back in `errors`. Creates the participation (the response)
    when missing; refused like any participation."""
    response = participation.participation_join(
        consultation=consultation, user=user, address=address, area=area
    )
    if response.status == ResponseStatus.SUBMITTED:
        raise _already_answered()
    questionnaire = questionnaire_of(consultation)
    values, errors, codes = answers_sort(questionnaire, raw, final=False)
    errors.update(point_problems(consultation, questionnaire, values))
    for qid in errors:
        codes.setdefault(qid, "point_outside")
    values = [v for v in values if v.question_id not in errors]
    keep = {questionnaire.by_id[q].pk for q in errors}  # the earlier answers stay
    with transaction.atomic():
        locked = Response.objects.for_hromada(consultation.hromada_id).select_for_update().get(pk=response.pk)
        if locked.status == ResponseStatus.SUBMITTED:
            raise _already_answered()
        Answer.objects.for_hromada(consultation.hromada_id).filter(response=locked).exclude(
            question_id__in=keep
        ).delete()
        Answer.objects.bulk_create(_rows(consultation, questionnaire, locked, values))
    return DraftSaved(response=locked, errors=errors, codes=codes)


def response_submit(*, consultation: Consultation, user, raw: dict, address: str = "", area=None) -> Response:
    """Submit `user`'s answers (final): every rule of the questionnaire, one response per
    person (already_answered 409 for a second), the ledger's
    `consultations.response_submitted` with the participant's pseudonym (the receipt)."""
    existing = participation.response_of(consultation, user)
    if existing is not None and existing.status == ResponseStatus.SUBMITTED:
        raise _already_answered()
    response = participation.participation_join(
        consultation=consultation, user=user, address=address, area=area
    )
    questionnaire = questionnaire_of(consultation)
    values, errors, codes = answers_sort(questionnaire, raw, final=True)
    for qid, message in point_problems(consultation, questionnaire, values).items():
        errors[qid], codes[qid] = message, "point_outside"
    if errors:
        ordered = {q.id: errors[q.id] for q in questionnaire.questions if q.id in errors}
        raise AnswersInvalid(ordered, codes, [v for v in values if v.question_id not in errors])
    now = timezone.now()
    hromada_id = consultation.hromada_id
    with transaction.atomic():
        # The conditional UPDATE decides a race: only one submission turns the draft.
        turned = (
            Response.objects.for_hromada(hromada_id)
            .filter(pk=response.pk, status=ResponseStatus.DRAFT)
            .update(status=ResponseStatus.SUBMITTED, submitted_at=now)
        )
        if not turned:
            raise _already_answered()
        Answer.objects.for_hromada(hromada_id).filter(response_id=response.pk).delete()
        Answer.objects.bulk_create(_rows(consultation, questionnaire, response, values))
        ledger_append(
            hromada=consultation.hromada,
            kind="consultations.response_submitted",
            payload={
                "consultation": str(consultation.public_id),
                "participant": response.participant,
                "answers": answered_count(values),
            },
        )
        # No counter on the consultation's row (one row everybody would lock at a poll's
        # peak): the count is the results snapshot's (services.snapshots).
    response.status, response.submitted_at = ResponseStatus.SUBMITTED, now
    return response


def receipt_of(response: Response) -> str:
    return response.participant
