"""The real phase hook (services.consultations.consultation_phase_changed, nothing
monkeypatched) drafts the report when a consultation closes — by `consultation_close_now`
and by the kernel's tick after the end — and the draft's figures equal the answers
counted here from what the residents sent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.consultations.models import Report
from hromada.consultations.services.consultations import consultation_close_now, consultation_publish
from hromada.consultations.services.responses import response_submit
from hromada.core.clock import travel_to
from hromada.core.phases import phases_tick
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import add_condition, add_question, make_consultation

pytestmark = pytest.mark.django_db

# What each resident answers: (visit, what they do there, mark). "Ні" hides the second question.
ANSWERS = [
    ("Так", ["Гуляю", "Читаю"], 4),
    ("Так", ["Гуляю"], 5),
    ("Ні", ["Бігаю"], 2),  # hidden by the condition: dropped, not counted
    ("Так", ["Бігаю", "Гуляю"], 4),
    ("Так", [], 1),
]


def build_survey(hromada, admin, capture, *, current: str = "open"):
    draft = make_consultation(hromada, actor=admin, publish=False, questions=False, current=current)
    visit = add_question(draft, "single", text="Чи буваєте ви в парку?", options=("Так", "Ні"), actor=admin)
    doing = add_question(
        draft,
        "multiple",
        text="Що ви там робите?",
        options=("Гуляю", "Бігаю", "Читаю"),
        required=False,
        actor=admin,
    )
    add_condition(doing, "Так", visit, actor=admin)
    mark = add_question(draft, "scale", text="Як ви оцінюєте парк?", scale_min=1, scale_max=5, actor=admin)
    with capture(execute=True):  # the plan is brought to its phase after commit
        consultation = consultation_publish(
            consultation=draft, actor=admin, now=draft.opens_at - dt.timedelta(hours=1)
        )
    return consultation, visit, doing, mark


def answer_all(consultation, visit, doing, mark) -> None:
    def option(question, label):
        return str(question.options.get(label=label).public_id)

    for visit_label, doing_labels, value in ANSWERS:
        raw = {
            str(visit.public_id): option(visit, visit_label),
            str(doing.public_id): [option(doing, label) for label in doing_labels],
            str(mark.public_id): value,
        }
        if not doing_labels:
            del raw[str(doing.public_id)]
        response_submit(consultation=consultation, user=UserFactory(), raw=raw)


def expected() -> dict:
    """The figures counted from ANSWERS, without the results code."""
    shown = [a for a in ANSWERS if a[0] == "Так"]
    doing = Counter(label for _, labels, _ in shown for label in labels)
    marks = sorted(m for _, _, m in ANSWERS)
    return {
        "responses": len(ANSWERS),
        "visit": dict(Counter(v for v, _, _ in ANSWERS)),
        "doing_answered": sum(1 for _, labels, _ in shown if labels),
        "doing": {label: doing.get(label, 0) for label in ("Гуляю", "Бігаю", "Читаю")},
        "marks": {v: marks.count(v) for v in range(1, 6)},
        "mean": round(sum(marks) / len(marks), 2),
        "median": marks[len(marks) // 2],
    }


def check_figures(report: Report) -> None:
    want = expected()
    figures = report.figures
    assert figures["responses"] == want["responses"] == figures["participants"]
    assert figures["ledger_responses"] == want["responses"]
    by_text = {q["text"]: q for q in figures["questions"]}
    visit = by_text["Чи буваєте ви в парку?"]
    assert visit["answered"] == want["responses"]
    assert {o["label"]: o["count"] for o in visit["options"]} == want["visit"]
    doing = by_text["Що ви там робите?"]
    assert doing["answered"] == want["doing_answered"]
    assert {o["label"]: o["count"] for o in doing["options"]} == want["doing"]
    mark = by_text["Як ви оцінюєте парк?"]
    assert {v: n for v, n in mark["distribution"]} == want["marks"]
    assert round(mark["mean"], 2) == want["mean"] and mark["median"] == want["median"]
    assert (mark["min"], mark["max"]) == (min(m for *_, m in ANSWERS), max(m for *_, m in ANSWERS))
    # The words say the same numbers.
    visit_words = f"Так — {want['visit']['Так']} (80 %); Ні — {want['visit']['Ні']} (20 %)"
    assert visit_words in report.text
    assert f"Учасників: {want['responses']}" in report.text


def test_close_now_drafts_the_report_through_the_real_hook(hromada, django_capture_on_commit_callbacks):
    admin = staff_user(hromada, "admin")
    consultation, *questions = build_survey(hromada, admin, django_capture_on_commit_callbacks)
    answer_all(consultation, *questions)
    assert not Report.objects.filter(consultation=consultation).exists()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_close_now(consultation=consultation, actor=admin, reason="Зібрано достатньо відповідей")
    report = Report.objects.get(hromada=hromada, consultation=consultation)
    assert report.published_at is None
    check_figures(report)
    assert Notification.objects.filter(kind="consultations.report_due", user=admin).count() == 1


def test_the_tick_after_the_end_drafts_the_report(hromada, django_capture_on_commit_callbacks):
    admin = staff_user(hromada, "admin")
    consultation, *questions = build_survey(hromada, admin, django_capture_on_commit_callbacks)
    answer_all(consultation, *questions)
    with django_capture_on_commit_callbacks(execute=True):
        assert phases_tick() == 0  # still open: nothing moves, no report
    assert not Report.objects.filter(consultation=consultation).exists()
    with travel_to(consultation.closes_at + dt.timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            assert phases_tick() == 1
    report = Report.objects.get(hromada=hromada, consultation=consultation)
    check_figures(report)
    # The draft is idempotent: a second tick later (the report's term ending) keeps one row.
    drafted = report.drafted_at
    with travel_to(consultation.closes_at + dt.timedelta(days=20)):
        with django_capture_on_commit_callbacks(execute=True):
            phases_tick()
    assert Report.objects.filter(consultation=consultation).count() == 1
    report.refresh_from_db()
    assert report.drafted_at == drafted
    check_figures(report)
    assert LedgerEntry.objects.filter(
        hromada=hromada,
        kind="consultations.response_submitted",
        payload__consultation=str(consultation.public_id),
    ).count() == len(ANSWERS)


def test_the_tick_drafts_each_hromadas_report_from_its_own_answers(
    hromada, other_hromada, django_capture_on_commit_callbacks
):
    admin, other_admin = staff_user(hromada, "admin"), staff_user(other_hromada, "admin")
    consultation, *questions = build_survey(hromada, admin, django_capture_on_commit_callbacks)
    answer_all(consultation, *questions)
    other, visit, _doing, mark = build_survey(other_hromada, other_admin, django_capture_on_commit_callbacks)
    response_submit(
        consultation=other,
        user=UserFactory(),
        raw={str(visit.public_id): str(visit.options.get(label="Ні").public_id), str(mark.public_id): 3},
    )
    with travel_to(consultation.closes_at + dt.timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            assert phases_tick() == 2
    check_figures(Report.objects.get(hromada=hromada, consultation=consultation))
    theirs = Report.objects.get(hromada=other_hromada, consultation=other).figures
    assert theirs["responses"] == 1 and theirs["ledger_responses"] == 1
