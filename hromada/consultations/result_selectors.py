"""Results of a consultation's questionnaire: aggregates per question from submitted
responses only, each kind with one GROUP BY over the whole questionnaire (five queries
whatever the number of questions), the cross-tabulation by age group and district with
small cells hidden, the moderated free-text answers — computed into the results
snapshot (ResultSnapshot, services.snapshots) that pages and the API read.

Nothing here names a person: counts, shares, means, points rounded to about 100 m."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Round
from django.utils.functional import cached_property
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


# --- cross-tabulations (computed for the snapshot) ------------------------------------


def compute_crosstabs(consultation: Consultation, questions: list[Question], by: str) -> dict[str, Any]:
    """{question pk (str): {"columns", "rows"}} for every choice and scale question, by
    age group or district of the submitted response, in three GROUP BYs whatever the
    number of questions; a cell or row total of 1–4 people is stored as None ("fewer
    than 5"), so the snapshot never holds a small cell. Rows' `key` is the age group or
    the district's pk (None: not given); districts' names are kept as `label`."""
    if by not in BY_CHOICES:
        raise ValueError(f"crosstab by {by!r}")
    group = "response__age_group" if by == "age_group" else "response__area_id"
    choice = {q.pk: q for q in questions if q.kind in CHOICE_KINDS}
    scale = {q.pk: q for q in questions if q.kind == QuestionKind.SCALE}
    if not choice and not scale:
        return {}
    answers = _submitted_answers(consultation).order_by()
    cells: dict[int, dict[Any, dict[str, int]]] = {}
    if choice:
        for row in (
            answers.filter(question_id__in=list(choice), option__isnull=False)
            .values("question_id", group, "option_id")
            .annotate(n=Count("id"))
        ):
            cells.setdefault(row["question_id"], {}).setdefault(row[group], {})[str(row["option_id"])] = row[
                "n"
            ]
    if scale:
        for row in (
            answers.filter(question_id__in=list(scale), number__isnull=False)
            .values("question_id", group, "number")
            .annotate(n=Count("id"))
        ):
            key = str(int(row["number"]))
            cells.setdefault(row["question_id"], {}).setdefault(row[group], {})[key] = row["n"]
    totals: dict[int, dict[Any, int]] = {}
    for row in (
        answers.filter(question_id__in=[*choice, *scale])
        .values("question_id", group)
        .annotate(n=Count("response_id", distinct=True))
    ):
        totals.setdefault(row["question_id"], {})[row[group]] = row["n"]
    names: dict[Any, str] = {}
    if by == "area":
        from hromada.places.models import Area

        areas = {k for per in totals.values() for k in per if k is not None}
        names = dict(
            Area.objects.for_hromada(consultation.hromada_id).filter(pk__in=areas).values_list("pk", "name")
        )
    out: dict[str, Any] = {}
    for pk, question in {**choice, **scale}.items():
        if pk in choice:
            columns = [[str(o.pk), o.label] for o in question.options.all()]
        else:
            columns = [[str(v), str(v)] for v in range(question.scale_min, question.scale_max + 1)]
        per_group = totals.get(pk, {})
        keys = sorted(per_group, key=lambda k: (k is None or k == "", str(k)))
        out[str(pk)] = {
            "columns": columns,
            "rows": [
                {
                    "key": key,
                    "label": names.get(key, "") if by == "area" else "",
                    "cells": [suppress(cells.get(pk, {}).get(key, {}).get(col, 0)) for col, _l in columns],
                    "total": suppress(per_group[key]),
                }
                for key in keys
            ],
        }
    return out


# --- the snapshot: what pages and the API read -----------------------------------------


def results_data(results: Results, crosstabs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The snapshot's JSON (ResultSnapshot.data) of computed results and cross-tabs.
    Point features keep their counts only: their words are the reader's language."""
    questions = []
    for q in results.questions:
        item = {
            "id": q.id,
            "pk": q.pk,
            "order": q.order,
            "kind": q.kind,
            "text": q.text,
            "answered": q.answered,
            "options": [o.__dict__.copy() for o in q.options],
            "distribution": [list(pair) for pair in q.distribution],
            "mean": q.mean,
            "median": q.median,
            "minimum": q.minimum,
            "maximum": q.maximum,
            "shown_texts": q.shown_texts,
            "points": None
            if q.points is None
            else [[*f["geometry"]["coordinates"], f["properties"]["count"]] for f in q.points["features"]],
        }
        questions.append(item)
    return {"questions": questions, "crosstabs": crosstabs}


def _points(points: list | None) -> dict[str, Any] | None:
    if points is None:
        return None
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"label": _("Відповідей: %(n)d") % {"n": n}, "count": n},
            }
            for lon, lat, n in points
        ],
    }


def results_from_data(consultation_id: int, respondents: int, data: dict[str, Any]) -> Results:
    questions = [
        QuestionResult(
            id=item["id"],
            pk=item["pk"],
            order=item["order"],
            kind=item["kind"],
            text=item["text"],
            answered=item["answered"],
            options=[OptionResult(**o) for o in item["options"]],
            distribution=[(v, n) for v, n in item["distribution"]],
            mean=item["mean"],
            median=item["median"],
            minimum=item["minimum"],
            maximum=item["maximum"],
            shown_texts=item["shown_texts"],
            points=_points(item["points"]),
        )
        for item in data.get("questions", [])
    ]
    return Results(consultation_id, respondents, questions)


@dataclass
class Snapshot:
    """The results a page shows, and when they were computed («Оновлено о …»)."""

    results: Results
    computed_at: dt.datetime
    final: bool
    crosstabs: dict[str, dict[str, Any]]


def snapshot_of(consultation: Consultation) -> Snapshot:
    """The consultation's results snapshot (services.snapshots.snapshot_get: computed
    once, under a lock, when there is none yet or it can no longer be trusted)."""
    from .services.snapshots import snapshot_get

    row = snapshot_get(consultation=consultation)
    return Snapshot(
        results_from_data(consultation.pk, row.respondents, row.data),
        row.computed_at,
        row.final,
        row.data.get("crosstabs", {}),
    )


def results_of(consultation: Consultation) -> Results:
    """The results the public sees: the snapshot's (never aggregated in the request)."""
    return snapshot_of(consultation).results


def cache_clear() -> None:
    """The submit route's per-process consultations (module.py `caches`); the results
    themselves live in the database (ResultSnapshot)."""
    from . import edge_questionnaire

    edge_questionnaire.cache_clear()


# --- cross-tabulation ---------------------------------------------------------------------


@dataclass
class Crosstab:
    by: str
    question: QuestionResult
    columns: list[tuple[str, str]]  # (option pk or scale value, label)
    rows: list[dict[str, Any]]  # {"key", "label", "cells": [count or None], "total": count or None}


def _age_labels() -> dict[Any, str]:
    return {value: str(label) for value, label in AgeGroup.choices}


def crosstab_from(snapshot: Snapshot, question: QuestionResult, by: str) -> Crosstab:
    """A question's cross-tab from the snapshot (labels in the reader's language)."""
    stored = snapshot.crosstabs.get(by, {}).get(str(question.pk), {"columns": [], "rows": []})
    ages = _age_labels() if by == "age_group" else {}
    rows = []
    for row in stored["rows"]:
        if by == "age_group":
            label = ages.get(row["key"], str(row["key"]))
        else:
            label = row["label"] if row["key"] is not None else _("Не вказано")
        rows.append({**row, "label": label})
    return Crosstab(by, question, [(key, label) for key, label in stored["columns"]], rows)


def crosstab(consultation: Consultation, question: Question, by: str = "age_group") -> Crosstab:
    """Counts per option (a scale: per value) per age group or district of submitted
    responses, from the snapshot; a cell of 1–4 people is None ("fewer than 5")."""
    if by not in BY_CHOICES:
        raise ValueError(f"crosstab by {by!r}")
    if question.consultation_id != consultation.pk:
        raise ValueError("the question is not this consultation's")
    if question.kind not in CHOICE_KINDS and question.kind != QuestionKind.SCALE:
        raise ValueError("only choice and scale questions are cross-tabulated")
    snapshot = snapshot_of(consultation)
    result = snapshot.results.question(question.public_id) or _question_result(question, {}, {}, [], None)
    return crosstab_from(snapshot, result, by)


def _group_labels(consultation: Consultation, by: str, keys) -> dict[Any, str]:
    if by == "age_group":
        return _age_labels()
    from hromada.places.models import Area

    names = dict(
        Area.objects.for_hromada(consultation.hromada_id)
        .filter(pk__in=[k for k in keys if k is not None])
        .values_list("pk", "name")
    )
    names[None] = _("Не вказано")
    return names


def group_counts(consultation: Consultation, by: str) -> list[dict[str, Any]]:
    """Submitted responses per age group or district, small ones hidden (the report:
    exact, from the raw responses)."""
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


class _Counted(Paginator):
    """A paginator told its count (the snapshot's), so a page is one query, not two."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


def text_answers(
    consultation: Consultation, question: Question | int, *, page=1, shown: int | None = None
) -> Page:
    """The moderated ("shown") answers to a text question, newest first, paginated;
    the text only — never who wrote it. `shown` (the snapshot's count) spares the
    count query, and the page's query altogether when there are none."""
    if shown == 0:
        return Paginator([], TEXT_PAGE).get_page(1)
    texts = (
        _submitted_answers(consultation)
        .filter(question=question, text_state=TextState.SHOWN)
        .order_by("-id")
        .values_list("text", flat=True)
    )
    paginator = Paginator(texts, TEXT_PAGE) if shown is None else _Counted(texts, TEXT_PAGE, shown)
    return paginator.get_page(page)
