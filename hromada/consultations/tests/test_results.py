"""Aggregates of every question kind, from submitted responses only; the cross-tab's
small cells; moderated free text (the snapshot: test_snapshots.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hromada.consultations import result_selectors
from hromada.consultations.result_selectors import _median_of, crosstab, results_of, text_answers
from hromada.places.models import Area

from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(hromada):
    consultation, qs = survey(hromada)
    submit(
        consultation,
        qs,
        {
            "single": "Так",
            "multiple": ["Лави", "Ліхтарі"],
            "ranking": ["Дороги", "Школи", "Парки"],
            "scale": 5,
            "number": 2,
            "short": "Тиша",
            "long": "Більше дерев",
            "point": (48.51234, 32.26111),
        },
        age_group="18-35",
        text_state="shown",
    )
    submit(
        consultation,
        qs,
        {
            "single": "Так",
            "multiple": ["Лави"],
            "ranking": ["Парки", "Дороги", "Школи"],
            "scale": 4,
            "number": 7,
        },
        age_group="36-59",
    )
    submit(
        consultation,
        qs,
        {
            "single": "Ні",
            "multiple": ["Дитячий майданчик"],
            "ranking": ["Дороги", "Парки", "Школи"],
            "scale": 2,
        },
        age_group="36-59",
        text_state="hidden",
    )
    # A draft is never counted.
    submit(consultation, qs, {"single": "Ні", "scale": 1, "number": 100}, status="draft")
    return consultation, qs


def by_label(result):
    return {o.label: o for o in result.options}


def test_every_kind_is_aggregated_from_submitted_responses(filled):
    consultation, qs = filled
    results = results_of(consultation)
    assert results.respondents == 3
    single = by_label(results.question(qs["single"].public_id))
    assert (single["Так"].count, single["Ні"].count) == (2, 1)
    assert single["Так"].percent == 67
    multiple = results.question(qs["multiple"].public_id)
    assert multiple.answered == 3
    assert {o.label: o.count for o in multiple.options} == {"Лави": 2, "Ліхтарі": 1, "Дитячий майданчик": 1}
    # A share of respondents: the shares of a multiple choice add up to more than 100 %.
    assert by_label(multiple)["Лави"].share == pytest.approx(2 / 3)
    ranking = results.question(qs["ranking"].public_id)
    roads = by_label(ranking)["Дороги"]
    assert (roads.first, roads.mean_rank, roads.borda) == (2, pytest.approx(1.33, abs=0.01), 3 + 3 + 2)
    assert ranking.options[0].label == "Дороги"  # the highest Borda score first
    assert by_label(ranking)["Школи"].borda == 2 + 1 + 1
    scale = results.question(qs["scale"].public_id)
    assert scale.distribution == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    assert (scale.mean, scale.median) == (pytest.approx(3.67, abs=0.01), 4.0)
    number = results.question(qs["number"].public_id)
    assert (number.answered, number.mean, number.median, number.minimum, number.maximum) == (
        2,
        4.5,
        4.5,
        2,
        7,
    )
    assert results.question(qs["short"].public_id).answered == 1
    assert results.question(qs["long"].public_id).shown_texts == 1
    point = results.question(qs["point"].public_id)
    assert point.points["type"] == "FeatureCollection"
    # Rounded to about 100 m, [lon, lat] as RFC 7946 says.
    assert point.points["features"][0]["geometry"]["coordinates"] == [32.261, 48.512]


def test_the_whole_questionnaire_takes_a_few_queries(filled):
    consultation, _qs = filled
    result_selectors.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        result_selectors.compute_results(consultation)
    assert len(queries) <= 7  # questions, options, respondents, per question, options, numbers, points


def test_median_without_expanding_the_distribution():
    assert _median_of([]) is None
    assert _median_of([(1, 1)]) == 1
    assert _median_of([(1, 1), (3, 1)]) == 2
    assert _median_of([(1, 3), (5, 1)]) == 1
    assert _median_of([(1, 2), (2, 2)]) == 1.5


def test_crosstab_hides_cells_under_five(hromada):
    consultation, qs = survey(hromada)
    for _ in range(5):
        submit(consultation, qs, {"single": "Так"}, age_group="18-35")
    for _ in range(2):
        submit(consultation, qs, {"single": "Ні"}, age_group="18-35")
    submit(consultation, qs, {"single": "Так"}, age_group="60+")
    table = crosstab(consultation, qs["single"], by="age_group")
    assert [label for _c, label in table.columns] == ["Так", "Ні"]
    rows = {r["key"]: r for r in table.rows}
    assert rows["18-35"]["cells"] == [5, None]
    assert rows["18-35"]["total"] == 7
    assert rows["60+"]["cells"] == [None, 0]
    assert rows["60+"]["total"] is None


def test_crosstab_by_district_and_scale(hromada):
    consultation, qs = survey(hromada)
    area = Area.objects.create(hromada=hromada, kind="district", name="Центральний")
    for _ in range(6):
        submit(consultation, qs, {"scale": 4}, area=area)
    submit(consultation, qs, {"scale": 4})
    table = crosstab(consultation, qs["scale"], by="area")
    rows = {r["label"]: r for r in table.rows}
    assert rows["Центральний"]["cells"] == [0, 0, 0, 6, 0]
    assert rows["Не вказано"]["cells"] == [0, 0, 0, None, 0]
    with pytest.raises(ValueError):
        crosstab(consultation, qs["short"], by="area")
    with pytest.raises(ValueError):
        crosstab(consultation, qs["single"], by="name")


def test_only_moderated_texts_are_listed_without_names(filled):
    consultation, qs = filled
    page = text_answers(consultation, qs["long"])
    assert list(page) == ["Більше дерев"]
    assert list(text_answers(consultation, qs["short"])) == ["Тиша"]


def test_another_hromadas_rows_are_never_counted(filled, other_hromada):
    consultation, qs = filled
    other, other_qs = survey(other_hromada)
    submit(other, other_qs, {"single": "Так"})
    result_selectors.cache_clear()
    assert results_of(consultation).respondents == 3
    assert results_of(other).respondents == 1
