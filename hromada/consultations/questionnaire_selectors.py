"""Reads of a consultation's questionnaire: an immutable tree (sections, questions with
their options and conditions) read in four queries. A published questionnaire is frozen
(services.questionnaire refuses changes after publication), so its tree is cached per
process, keyed by the consultation and its publication time: the hot submit route reads
it from memory."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .models import CHOICE_KINDS, Condition, Consultation, Option, Question, QuestionKind, Section, Status

CACHE_MAX = 256


@dataclass(frozen=True)
class OptionSpec:
    id: str  # the option's public id (canonical UUID text)
    pk: int
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    id: str  # the question's public id
    pk: int
    number: int  # its place in the questionnaire, 1-based, as people see it
    kind: str
    text: str
    help: str
    required: bool
    section: str | None  # the section's id (str of its pk), None before any section
    options: tuple[OptionSpec, ...] = ()
    conditions: tuple[str, ...] = ()  # option ids: shown when any is chosen earlier
    min_choices: int = 0
    max_choices: int = 0
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""
    number_min: Decimal | None = None
    number_max: Decimal | None = None

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def rank_count(self) -> int:
        """How many options a ranking asks to rank (all of them when 0)."""
        if self.kind != QuestionKind.RANKING:
            return 0
        total = len(self.options)
        return min(self.max_choices, total) if self.max_choices else total

    def option(self, option_id: str) -> OptionSpec | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


@dataclass(frozen=True)
class SectionSpec:
    id: str | None  # str of the section's pk; None for the questions before any section
    title: str
    description: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class Questionnaire:
    consultation: str  # the consultation's public id
    consultation_pk: int
    hromada_pk: int
    sections: tuple[SectionSpec, ...]
    questions: tuple[QuestionSpec, ...]  # in order
    by_id: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # option id -> (question id, option spec), for conditions and results
    options: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def question(self, question_id: str) -> QuestionSpec | None:
        return self.by_id.get(str(question_id))

    def condition_sources(self, question: QuestionSpec) -> list[tuple[QuestionSpec, OptionSpec]]:
        """(the earlier question, its option) for each of `question`'s conditions."""
        out = []
        for option_id in question.conditions:
            found = self.options.get(option_id)
            if found is not None:
                out.append((self.by_id[found[0]], found[1]))
        return out


_cache: dict[tuple[int, Any], Questionnaire] = {}
_lock = threading.Lock()


def cache_clear() -> None:
    with _lock:
        _cache.clear()


def _read(consultation: Consultation) -> Questionnaire:
    hromada_id = consultation.hromada_id
    sections = list(
        Section.objects.for_hromada(hromada_id).filter(consultation=consultation).order_by("order")
    )
    questions = list(
        Question.objects.for_hromada(hromada_id).filter(consultation=consultation).order_by("order")
    )
    options: dict[int, list[OptionSpec]] = {}
    option_rows = Option.objects.for_hromada(hromada_id).filter(question__consultation=consultation)
    option_ids: dict[int, str] = {}
    for opt in option_rows.order_by("question_id", "order"):
        spec = OptionSpec(id=str(opt.public_id), pk=opt.pk, label=opt.label)
        options.setdefault(opt.question_id, []).append(spec)
        option_ids[opt.pk] = spec.id
    conditions: dict[int, list[str]] = {}
    for question_id, option_id in (
        Condition.objects.for_hromada(hromada_id)
        .filter(question__consultation=consultation)
        .order_by("id")
        .values_list("question_id", "option_id")
    ):
        if option_id in option_ids:
            conditions.setdefault(question_id, []).append(option_ids[option_id])
    section_order = {s.pk: s.order for s in sections}
    questions.sort(key=lambda q: (section_order.get(q.section_id, 0) if q.section_id else 0, q.order))
    specs: list[QuestionSpec] = []
    for number, q in enumerate(questions, 1):
        specs.append(
            QuestionSpec(
                id=str(q.public_id),
                pk=q.pk,
                number=number,
                kind=q.kind,
                text=q.text,
                help=q.help,
                required=q.required,
                section=str(q.section_id) if q.section_id else None,
                options=tuple(options.get(q.pk, ())),
                conditions=tuple(conditions.get(q.pk, ())),
                min_choices=q.min_choices,
                max_choices=q.max_choices,
                scale_min=q.scale_min,
                scale_max=q.scale_max,
                scale_min_label=q.scale_min_label,
                scale_max_label=q.scale_max_label,
                number_min=q.number_min,
                number_max=q.number_max,
            )
        )
    groups: list[SectionSpec] = []
    loose = tuple(s for s in specs if s.section is None)
    if loose:
        groups.append(SectionSpec(id=None, title="", description="", questions=loose))
    for section in sections:
        key = str(section.pk)
        groups.append(
            SectionSpec(
                id=key,
                title=section.title,
                description=section.description,
                questions=tuple(s for s in specs if s.section == key),
            )
        )
    by_option = {opt.id: (q.id, opt) for q in specs for opt in q.options}
    return Questionnaire(
        consultation=str(consultation.public_id),
        consultation_pk=consultation.pk,
        hromada_pk=hromada_id,
        sections=tuple(groups),
        questions=tuple(specs),
        by_id=MappingProxyType({q.id: q for q in specs}),
        options=MappingProxyType(by_option),
    )


def questionnaire_of(consultation: Consultation) -> Questionnaire:
    """The questionnaire of `consultation` (cached once published: it is frozen then)."""
    if consultation.status == Status.DRAFT or consultation.published_at is None:
        return _read(consultation)
    key = (consultation.pk, consultation.published_at)
    found = _cache.get(key)
    if found is None:
        found = _read(consultation)
        with _lock:
            if len(_cache) >= CACHE_MAX:
                _cache.clear()
            _cache[key] = found
    return found


def response_raw(response, questionnaire: Questionnaire) -> dict[str, Any]:
    """A stored response's answers in the raw form `answers_check` takes (to fill the
    form again with a draft): option id, option ids in rank order, number, text, point."""
    if response is None:
        return {}
    option_ids = {opt.pk: opt.id for q in questionnaire.questions for opt in q.options}
    by_pk = {q.pk: q for q in questionnaire.questions}
    rows = sorted(
        response.answers.all().values_list(
            "question_id", "option_id", "rank", "number", "text", "lat", "lon"
        ),
        key=lambda r: (r[0], r[2] or 0, r[1] or 0),
    )
    raw: dict[str, Any] = {}
    for question_id, option_id, _rank, number, text, lat, lon in rows:
        q = by_pk.get(question_id)
        if q is None:
            continue
        if q.kind == QuestionKind.SINGLE:
            raw[q.id] = option_ids.get(option_id, "")
        elif q.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
            raw.setdefault(q.id, []).append(option_ids.get(option_id, ""))
        elif q.kind == QuestionKind.SCALE:
            raw[q.id] = int(number) if number is not None else ""
        elif q.kind == QuestionKind.NUMBER:
            raw[q.id] = _number_text(number)
        elif q.kind == QuestionKind.POINT:
            raw[q.id] = {"lat": lat, "lon": lon}
        else:
            raw[q.id] = text
    return raw


def _number_text(number: Decimal | None) -> str:
    if number is None:
        return ""
    normal = number.normalize()
    text = format(normal, "f")
    return text
