"""The open datasets: exactly the declared fields, aggregates only, results only where
public; the results page's CSV neutralises formulas; metrics."""

from __future__ import annotations

import pytest
from prometheus_client.core import GaugeMetricFamily

from hromada.consultations import exports, metrics, result_selectors
from hromada.consultations.models import ProposalStatus
from hromada.core.modules import registry

from .test_report import proposal
from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db


def fields_of(slug: str) -> list[str]:
    module = registry.get("consultations")
    dataset = next(d for d in module.datasets if d.slug == slug)
    return [f.name for f in dataset.fields]


@pytest.fixture
def data(hromada):
    live, qs = survey(hromada, results_visibility="live")
    hidden, hidden_qs = survey(hromada, title="Приховані до завершення")
    for c, q in ((live, qs), (hidden, hidden_qs)):
        submit(
            c, q, {"single": "Так", "scale": 3, "number": 4, "long": '=HYPERLINK("x")', "point": (48.1, 32.1)}
        )
    proposal(live, status=ProposalStatus.REJECTED, reason="Поза повноваженнями")
    proposal(live, status=ProposalStatus.WITHDRAWN)
    return live, hidden, qs


def test_rows_have_exactly_the_declared_fields(data, hromada):
    for slug, rows in (
        ("consultations", exports.consultation_rows),
        ("results", exports.result_rows),
        ("proposals", exports.proposal_rows),
    ):
        produced = list(rows(hromada=hromada))
        assert produced, slug
        assert all(list(row) == fields_of(slug) for row in produced), slug


def test_results_only_where_public_and_no_personal_data(data, hromada):
    live, hidden, _qs = data
    rows = list(exports.result_rows(hromada=hromada))
    assert {r["consultation"] for r in rows} == {str(live.public_id)}
    flat = repr(rows)
    assert "HYPERLINK" not in flat and "48.1" not in flat  # texts and points are counted, not published
    single = [r for r in rows if r["question_kind"] == "single"]
    assert {r["option"]: r["answers"] for r in single} == {"Так": 1, "Ні": 0}
    proposals = list(exports.proposal_rows(hromada=hromada))
    assert [p["status"] for p in proposals] == ["rejected"]  # withdrawn ones are not published
    assert "author" not in repr(proposals[0].keys())
    consultations = {r["id"]: r for r in exports.consultation_rows(hromada=hromada)}
    assert consultations[str(live.public_id)]["participants"] == 1
    assert consultations[str(live.public_id)]["proposals"] == 1


def test_another_hromadas_rows_are_not_exported(data, other_hromada):
    assert list(exports.consultation_rows(hromada=other_hromada)) == []
    assert list(exports.result_rows(hromada=other_hromada)) == []


def test_results_csv_neutralises_formulas(data, client):
    live, _hidden, _qs = data
    from hromada.consultations.models import Option

    Option.objects.filter(question__consultation=live, label="Так").update(label="=1+2")
    result_selectors.cache_clear()
    answer = client.get(f"/consultations/{live.number}/results/export.csv")
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode()
    assert "'=1+2" in text and "\n=1+2" not in text


def test_metrics_count_open_consultations_responses(data):
    families = {m.name: m for m in metrics.collect()}
    assert isinstance(families["hromada_consultations_responses"], GaugeMetricFamily)
    samples = families["hromada_consultations_responses"].samples
    assert sum(s.value for s in samples) == 2
    assert families["hromada_consultations_proposals_pending"].samples == []
