"""Statistics on a known data set (mean, p90, overdue and electronic shares, rating),
the open datasets' keys, the metrics."""

import datetime as dt

import pytest
from django.urls import reverse

from hromada.appeals import exports, metrics, stats_selectors
from hromada.appeals.models import Case, CaseKind, CaseStatus, Channel
from hromada.appeals.tests.factories import make_case, make_category, make_department
from hromada.appeals.tests.helpers_public import close, shown_report
from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError
from hromada.core.modules import registry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=KYIV)


def test_percentile_is_the_continuous_one():
    assert stats_selectors.percentile([], 0.9) is None
    assert stats_selectors.percentile([7.0], 0.9) == 7.0
    # 1..10: position 0.9 * 9 = 8.1 → 9 + 0.1 * (10 − 9) = 9.1 (PostgreSQL's percentile_cont).
    assert stats_selectors.percentile([float(n) for n in range(10, 0, -1)], 0.9) == pytest.approx(9.1)


@pytest.fixture
def data(hromada):
    """Ten reports in March 2026 answered after 1..10 days (targets of 120 hours: the
    last five overdue), 6 by web/api/email; one open overdue appeal by paper; one case
    in April."""
    department = make_department(hromada, name="КП «Світло»")
    category = make_category(
        hromada, code="lights", name="Освітлення", department=department, target_hours=120
    )
    channels = [
        Channel.WEB,
        Channel.WEB,
        Channel.API,
        Channel.EMAIL,
        Channel.WEB,
        Channel.WEB,
        Channel.HOTLINE,
        Channel.HOTLINE,
        Channel.PAPER,
        Channel.VISIT,
    ]
    for days, channel in zip(range(1, 11), channels, strict=True):
        case = shown_report(hromada, category=category, channel=channel, now=T0)
        close(case, at=T0 + dt.timedelta(days=days))
        Case.objects.filter(pk=case.pk).update(rating=days % 5 + 1)
    make_case(hromada, kind=CaseKind.APPEAL, channel=Channel.PAPER, now=T0 + dt.timedelta(days=1))
    make_case(hromada, category=category, now=dt.datetime(2026, 4, 3, 9, 0, tzinfo=KYIV))
    return category


def test_figures_of_a_month(hromada, data):
    period = stats_selectors.parse_period("2026-03")
    figures = stats_selectors.statistics(hromada=hromada, period=period, now=NOW)
    total = figures["all"][0]
    assert total["received"] == 11 and total["answered"] == 10
    assert total["mean_days"] == 5.5
    assert total["p90_days"] == 9.1
    # Overdue: the five answered after 5 days (the 120-hour target) and the open appeal.
    assert total["overdue_share"] == round(6 / 11, 3)
    assert total["electronic_share"] == round(6 / 11, 3)
    # Ratings 2,3,4,5,1,2,3,4,5,1.
    assert total["rating"] == 3.0
    kinds = {r["key"]: r for r in figures["kind"]}
    assert kinds["report"]["received"] == 10 and kinds["appeal"]["received"] == 1
    assert kinds["appeal"]["mean_days"] is None and kinds["appeal"]["overdue_share"] == 1.0
    categories = {r["key"]: r for r in figures["category"]}
    assert categories["lights"]["label"] == "Освітлення" and categories["lights"]["p90_days"] == 9.1
    departments = {r["label"]: r for r in figures["department"]}
    assert departments["КП «Світло»"]["received"] == 10


def test_a_quarter_and_a_year_include_april(hromada, data):
    q1 = stats_selectors.statistics(hromada=hromada, period=stats_selectors.parse_period("2026-Q1"), now=NOW)
    q2 = stats_selectors.statistics(hromada=hromada, period=stats_selectors.parse_period("2026-q2"), now=NOW)
    year = stats_selectors.statistics(hromada=hromada, period=stats_selectors.parse_period("2026"), now=NOW)
    assert (q1["all"][0]["received"], q2["all"][0]["received"], year["all"][0]["received"]) == (11, 1, 12)


@pytest.mark.parametrize("value", ["2026-13", "2026-Q5", "20x6", "1999", "2026/03"])
def test_bad_periods_are_refused(value):
    with pytest.raises(DomainError) as caught:
        stats_selectors.parse_period(value)
    assert caught.value.code == "period_invalid"


def test_the_page_shows_the_figures_and_a_bad_period(client, hromada, data):
    page = client.get(reverse("appeals:stats"), {"period": "2026-03"}).content.decode()
    assert "9.1" in page or "9,1" in page
    assert "Освітлення" in page and "КП «Світло»" in page
    response = client.get(reverse("appeals:stats"), {"period": "nope"})
    assert response.status_code == 400 and "Період — рік" in response.content.decode()


def test_datasets_yield_exactly_the_declared_fields(hromada, data, other_hromada):
    module = registry.get("appeals")
    declared = {d.slug: [f.name for f in d.fields] for d in module.datasets}
    reports = list(exports.report_rows(hromada=hromada))
    assert len(reports) == 10  # the shown reports only
    assert all(list(r) == declared["reports"] for r in reports)
    assert {r["hours_to_answer"] for r in reports} == {24.0 * d for d in range(1, 11)}
    stats = list(exports.statistics_rows(hromada=hromada))
    assert stats and all(list(r) == declared["statistics"] for r in stats)
    march = next(
        r for r in stats if r["month"] == "2026-03" and r["kind"] == "all" and r["dimension"] == "all"
    )
    assert march["received"] == 11 and march["p90_days"] == 9.1
    assert {r["month"] for r in stats} == {"2026-03", "2026-04"}
    assert list(exports.report_rows(hromada=other_hromada)) == []


def test_reports_dataset_carries_no_personal_data(hromada):
    case = shown_report(hromada, applicant_name="Таємна Особа", applicant_email="secret@example.com")
    row = next(exports.report_rows(hromada=hromada))
    assert "Таємна" not in str(row) and "secret@" not in str(row)
    assert row["id"] == str(case.public_id)


def test_metrics_count_open_and_overdue_by_hromada_and_kind(hromada, other_hromada):
    make_case(hromada, now=T0)  # overdue by now
    make_case(hromada)  # on time
    close(make_case(hromada))
    make_case(other_hromada, kind=CaseKind.APPEAL)
    found = {
        m.name: {(s.labels["hromada"], s.labels["kind"]): s.value for s in m.samples}
        for m in metrics.collect()
    }
    assert found["hromada_appeals_open_cases"][(hromada.slug, "report")] == 2
    assert found["hromada_appeals_overdue_cases"][(hromada.slug, "report")] == 1
    assert found["hromada_appeals_open_cases"][(other_hromada.slug, "appeal")] == 1
    assert (other_hromada.slug, "appeal") not in found["hromada_appeals_overdue_cases"]
    assert CaseStatus.DRAFT not in str(found)
