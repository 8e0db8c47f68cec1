"""Results of a consultation's questionnaire: aggregates per question from submitted
responses only, each kind with one GROUP BY over the whole questionnaire (five queries
whatever the number of questions), the cross-tabulation by age group and district with
small cells hidden, the moderated free-text answers, and a per-process live cache.

Nothing here names a person: counts, shares, means, points rounded to about 100 m."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from .models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    AgeGroup,
    Answer,
    Consultation,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    TextState,
)

# A cross-tabulation cell (and a report's age-group or district count) of fewer people
# than this is shown as "fewer than 5", as the budget's turnout is.
SMALL_CELL = 5
# Live results: a fresh computation is reused this long even while responses arrive
# (a poll's peak changes response_count many times a second, and every worker process
# computes its own: at 3 s the recomputation took a third of PostgreSQL in the bench) ...
LIVE_TTL = 10.0
# ... and for this long when response_count has not changed since (moderation and the
# closing are cleared through cache_clear, module.py `caches`).
IDLE_TTL = 60.0
POINT_DECIMALS = 3  # about 100 m: a point answer is often someone's home
TEXT_PAGE = 20
BY_CHOICES = ("age_group", "area")


def suppress(n: int) -> int | None:
    """A count for the public: None (shown "fewer than 5") for 1–4."""
    return None if 0 < n < SMALL_CELL else n


@dataclass
class OptionResult:
    id: str
    label: str
    count: int = 0
    share: float = 0.0  # of the question's respondents
    mean_rank: float | None = None  # ranking
    borda: int | None = None  # ranking: n options − rank + 1 points per ranking
    first: int | None = None  # ranking: how many put it first

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class QuestionResult:
    id: str
    pk: int
    order: int
    kind: str
    text: str
    answered: int = 0  # respondents who answered it
    options: list[OptionResult] = field(default_factory=list)
    # scale: value → count (every value of the scale, zeros included); number: none
    distribution: list[tuple[int, int]] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    shown_texts: int = 0  # text kinds: how many moderated answers are public
    points: dict[str, Any] | None = None  # point: a GeoJSON FeatureCollection

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def top(self) -> int:
        """The largest count of the chart (its bars are drawn against it)."""
        counts = [o.count for o in self.options] or [n for _v, n in self.distribution]
        return max(counts, default=0)

    def bars(self) -> list[dict[str, Any]]:
        top = self.top
        if self.kind == QuestionKind.SCALE:
            return [
                {"label": str(v), "count": n, "percent": round(100 * n / top) if top else 0}
                for v, n in self.distribution
            ]
        return [
            {
                "label": o.label,
                "count": o.count,
                "percent": round(100 * o.count / top) if top else 0,
                "share": o.percent,
            }
            for o in self.options
        ]


@dataclass
class Results:
    consultation_id: int
    respondents: int  # submitted responses
    questions: list[QuestionResult]
    computed_at: float = 0.0

    def question(self, public_id) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == str(public_id)), None)


def _median_of(distribution: list[tuple[Any, int]]) -> float | None:
    """The median of a sorted (value, count) distribution, without expanding it."""
    total = sum(n for _v, n in distribution)
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2  # the middle positions (0-based)
    seen, low_value, high_value = 0, None, None
    for value, n in distribution:
        if low_value is None and seen + n > lower:
            low_value = value
        if seen + n > upper:
            high_value = value
            break
        seen += n
    assert low_value is not None and high_value is not None
    return (float(low_value) + float(high_value)) / 2


def questions_of(consultation: Consultation) -> list[Question]:
    """The questionnaire's questions with their options, in order (two queries)."""
    return list(
        Question.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
        .prefetch_related("options")
    )


def _submitted_answers(consultation: Consultation):
    return Answer.objects.for_hromada(consultation.hromada_id).filter(
        response__consultation=consultation, response__status=ResponseStatus.SUBMITTED
    )


def compute_results(consultation: Consultation) -> Results:
    """The aggregates, uncached (the report drafts from this)."""
    questions = questions_of(consultation)
    respondents = (
        Response.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, status=ResponseStatus.SUBMITTED)
        .count()
    )
    answers = _submitted_answers(consultation).order_by()
    per_question = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            respondents=Count("response_id", distinct=True),
            shown=Count("id", filter=Q(text_state=TextState.SHOWN)),
        )
    }
    per_option = {
        row["option_id"]: row
        for row in answers.filter(option__isnull=False)
        .values("option_id")
        .annotate(n=Count("id"), rank_sum=Sum("rank"), first=Count("id", filter=Q(rank=1)))
    }
    numeric_kinds = (QuestionKind.SCALE, QuestionKind.NUMBER)
    numeric_ids = [q.pk for q in questions if q.kind in numeric_kinds]
    values: dict[int, list[tuple[Decimal, int]]] = {}
    if numeric_ids:
        for row in (
            answers.filter(question_id__in=numeric_ids, number__isnull=False)
            .values("question_id", "number")
            .annotate(n=Count("id"))
            .order_by("question_id", "number")
        ):
            values.setdefault(row["question_id"], []).append((row["number"], row["n"]))
    point_ids = [q.pk for q in questions if q.kind == QuestionKind.POINT]
    points: dict[int, list[tuple[float, float, int]]] = {}
    if point_ids:
        for row in (
            answers.filter(question_id__in=point_ids, lat__isnull=False, lon__isnull=False)
            .values("question_id", rlat=Round("lat", POINT_DECIMALS), rlon=Round("lon", POINT_DECIMALS))
            .annotate(n=Count("id"))
            .order_by("question_id", "rlat", "rlon")
        ):
            points.setdefault(row["question_id"], []).append((row["rlat"], row["rlon"], row["n"]))
    results = [
        _question_result(q, per_question.get(q.pk, {}), per_option, values.get(q.pk, []), points.get(q.pk))
        for q in questions
    ]
    return Results(consultation.pk, respondents, results, time.monotonic())


def _question_result(q: Question, counts: dict, per_option: dict, values: list, points) -> QuestionResult:
    answered = counts.get("respondents", 0)
    result = QuestionResult(str(q.public_id), q.pk, q.order, q.kind, q.text, answered=answered)
    options: list[Option] = list(q.options.all())
    if q.kind in CHOICE_KINDS:
        n_options = len(options)
        for option in options:
            row = per_option.get(option.pk, {})
            n = row.get("n", 0)
            item = OptionResult(str(option.public_id), option.label, n, (n / answered) if answered else 0.0)
            if q.kind == QuestionKind.RANKING:
                rank_sum = row.get("rank_sum") or 0
                item.mean_rank = round(rank_sum / n, 2) if n else None
                item.borda = n * (n_options + 1) - rank_sum
                item.first = row.get("first", 0)
            result.options.append(item)
        if q.kind == QuestionKind.RANKING:
            result.options.sort(key=lambda o: (-(o.borda or 0), o.mean_rank or 99))
    elif q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        total = sum(n for _v, n in values)
        if total:
            result.mean = round(float(sum(v * n for v, n in values)) / total, 2)
            result.median = _median_of(values)
            result.minimum = float(values[0][0])
            result.maximum = float(values[-1][0])
        if q.kind == QuestionKind.SCALE:
            by_value = {int(v): n for v, n in values}
            result.distribution = [(v, by_value.get(v, 0)) for v in range(q.scale_min, q.scale_max + 1)]
    elif q.kind in TEXT_KINDS:
        result.shown_texts = counts.get("shown", 0)
    elif q.kind == QuestionKind.POINT:
        result.points = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                    "properties": {"label": _("Відповідей: %(n)d") % {"n": n}, "count": n},
                }
                for lat, lon, n in points or ()
            ],
        }
    return result


# --- the live cache -----------------------------------------------------------------------

_cache: dict[int, tuple[float, int, Results]] = {}
_lock = threading.Lock()


def cache_clear() -> None:
    """Forget the live results (and the submit route's consultations: module.py `caches`)."""
    from . import edge_questionnaire

    with _lock:
        _cache.clear()
    edge_questionnaire.cache_clear()


def results_of(consultation: Consultation) -> Results:
    """compute_results, cached per process by consultation and response_count: while
    responses arrive a computation is reused for LIVE_TTL seconds, so the live page
    costs one GROUP BY set per process every few seconds whatever the poll's peak."""
    now = time.monotonic()
    with _lock:
        found = _cache.get(consultation.pk)
    if found is not None:
        at, count, results = found
        if now - at < LIVE_TTL or (count == consultation.response_count and now - at < IDLE_TTL):
            return results
    results = compute_results(consultation)
    with _lock:
        _cache[consultation.pk] = (now, consultation.response_count, results)
    return results


# --- cross-tabulation ---------------------------------------------------------------------


@dataclass
class Crosstab:
    by: str
    question: QuestionResult
    columns: list[tuple[str, str]]  # (option id or scale value, label)
    rows: list[dict[str, Any]]  # {"key", "label", "cells": [count or None], "total": count or None}


def _group_labels(consultation: Consultation, by: str, keys) -> dict[Any, str]:
    if by == "age_group":
        return {value: str(label) for value, label in AgeGroup.choices}
    from hromada.places.models import Area

    names = dict(
        Area.objects.for_hromada(consultation.hromada_id)
        .filter(pk__in=[k for k in keys if k is not None])
        .values_list("pk", "name")
    )
    names[None] = _("Не вказано")
    return names


def crosstab(consultation: Consultation, question: Question, by: str = "age_group") -> Crosstab:
    """Counts per option (a scale: per value) per age group or district of submitted
    responses; a cell of 1–4 people is None ("fewer than 5")."""
    if by not in BY_CHOICES:
        raise ValueError(f"crosstab by {by!r}")
    if question.consultation_id != consultation.pk:
        raise ValueError("the question is not this consultation's")
    group = "response__age_group" if by == "age_group" else "response__area_id"
    answers = _submitted_answers(consultation).filter(question=question).order_by()
    if question.kind in CHOICE_KINDS:
        options = list(question.options.all())
        columns = [(str(o.pk), o.label) for o in options]
        column_of = {o.pk: str(o.pk) for o in options}
        raw = answers.values(group, "option_id").annotate(n=Count("id"))
        cells = [(row[group], column_of.get(row["option_id"]), row["n"]) for row in raw]
    elif question.kind == QuestionKind.SCALE:
        columns = [(str(v), str(v)) for v in range(question.scale_min, question.scale_max + 1)]
        raw = answers.values(group, "number").annotate(n=Count("id"))
        cells = [(row[group], str(int(row["number"])), row["n"]) for row in raw if row["number"] is not None]
    else:
        raise ValueError("only choice and scale questions are cross-tabulated")
    totals = dict(
        answers.values(group).annotate(n=Count("response_id", distinct=True)).values_list(group, "n")
    )
    keys = sorted(totals, key=lambda k: (k is None or k == "", str(k)))
    labels = _group_labels(consultation, by, keys)
    table: dict[Any, dict[str, int]] = {}
    for key, column, n in cells:
        if column is not None:
            table.setdefault(key, {})[column] = n
    rows = [
        {
            "key": key,
            "label": labels.get(key, str(key)),
            "cells": [suppress(table.get(key, {}).get(col, 0)) for col, _label in columns],
            "total": suppress(totals[key]),
        }
        for key in keys
    ]
    result = results_of(consultation).question(question.public_id) or _question_result(
        question, {}, {}, [], None
    )
    return Crosstab(by, result, columns, rows)


def group_counts(consultation: Consultation, by: str) -> list[dict[str, Any]]:
    """Submitted responses per age group or district, small ones hidden (the report)."""
    column = "age_group" if by == "age_group" else "area_id"
    counts = dict(
        Response.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, status=ResponseStatus.SUBMITTED)
        .order_by()
        .values(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )
    labels = _group_labels(consultation, by, counts)
    keys = sorted(counts, key=lambda k: (k is None or k == "", str(k)))
    return [{"key": k, "label": labels.get(k, str(k)), "count": suppress(counts[k])} for k in keys]


# --- free text ----------------------------------------------------------------------------


def text_answers(consultation: Consultation, question: Question, *, page: int = 1) -> Page:
    """The moderated ("shown") answers to a text question, newest first, paginated;
    the text only — never who wrote it."""
    texts = (
        _submitted_answers(consultation)
        .filter(question=question, text_state=TextState.SHOWN)
        .order_by("-id")
        .values_list("text", flat=True)
    )
    return Paginator(texts, TEXT_PAGE).get_page(page)
