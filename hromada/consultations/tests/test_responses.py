"""Answering: every kind and rule of the pure check (each message names the question and
the rule), conditions, the draft that keeps what is valid, the final submission."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import UserFactory, staff_user, verified_user
from hromada.consultations.models import Answer, Consultation, Response
from hromada.consultations.questionnaire_selectors import questionnaire_of, response_raw
from hromada.consultations.services import participation
from hromada.consultations.services.consultations import consultation_publish
from hromada.consultations.services.responses import (
    AnswersInvalid,
    answers_check,
    response_save,
    response_submit,
)
from hromada.consultations.services.snapshots import snapshot_compute
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

from .factories import add_condition, add_question, make_consultation

pytestmark = pytest.mark.django_db


def _publish(consultation: Consultation) -> Consultation:
    return consultation_publish(
        consultation=consultation,
        actor=staff_user(consultation.hromada, "admin"),
        now=consultation.opens_at - consultation.opens_at.resolution,
    )


@pytest.fixture
def survey(hromada):
    """A survey with one question of every kind and one condition."""
    c = make_consultation(hromada, publish=False, questions=False, audience="account")
    park = add_question(c, "single", text="Чи буваєте ви в парку?", options=("Так", "Ні"))
    add_question(
        c,
        "multiple",
        text="Що ви там робите?",
        options=("Гуляю", "Бігаю", "Читаю"),
        max_choices=2,
        min_choices=1,
    )
    add_question(c, "ranking", text="Що важливіше?", options=("Лавки", "Світло", "Туалет"), max_choices=2)
    add_question(c, "scale", text="Як оцінюєте парк?", scale_min=1, scale_max=5)
    add_question(c, "number", text="Скільки разів на тиждень?", number_min=0, number_max=21, required=False)
    add_question(c, "short", text="Ваше ім'я для звернення", required=False)
    add_question(c, "long", text="Що змінити?", required=False)
    add_question(c, "point", text="Де поставити лавку?", required=False)
    doing = c.questions.get(text="Що ви там робите?")
    add_condition(doing, "Так", park)
    return _publish(c)


def _ids(consultation):
    tree = questionnaire_of(consultation)
    q = {s.text: s for s in tree.questions}
    return tree, q


def opt(question, label):
    return next(o.id for o in question.options if o.label == label)


def _full(q) -> dict:
    park, doing, rank = q["Чи буваєте ви в парку?"], q["Що ви там робите?"], q["Що важливіше?"]
    return {
        park.id: opt(park, "Так"),
        doing.id: [opt(doing, "Гуляю"), opt(doing, "Читаю")],
        rank.id: [opt(rank, "Світло"), opt(rank, "Лавки")],
        q["Як оцінюєте парк?"].id: "4",
        q["Скільки разів на тиждень?"].id: "3,5",
        q["Ваше ім'я для звернення"].id: "Оля",
        q["Що змінити?"].id: "Більше ліхтарів\nі лавок",
        q["Де поставити лавку?"].id: {"lat": "49.03", "lon": "32.1"},
    }


def test_a_full_questionnaire_gives_one_row_per_value(survey):
    tree, q = _ids(survey)
    values = answers_check(tree, _full(q), final=True)
    by_question = {}
    for v in values:
        by_question.setdefault(v.question_id, []).append(v)
    assert len(by_question) == 8
    ranking = by_question[q["Що важливіше?"].id]
    assert [(v.rank, v.option_id) for v in ranking] == [
        (1, opt(q["Що важливіше?"], "Світло")),
        (2, opt(q["Що важливіше?"], "Лавки")),
    ]
    assert str(by_question[q["Скільки разів на тиждень?"].id][0].number) == "3.50"
    assert by_question[q["Де поставити лавку?"].id][0].lat == 49.03


def _error(tree, raw, question, *, final=True):
    with pytest.raises(AnswersInvalid) as err:
        answers_check(tree, raw, final=final)
    assert question.id in err.value.errors, err.value.errors
    message = err.value.errors[question.id]
    assert f"Питання {question.number} «{question.text}»" in message
    return err.value.codes[question.id], message


@pytest.mark.parametrize(
    ("question", "value", "code", "words"),
    [
        ("Чи буваєте ви в парку?", "not-an-option", "option_unknown", "немає серед запропонованих"),
        ("Чи буваєте ви в парку?", ["Так", "Ні"], "too_many_choices", "лише один"),
        ("Що ви там робите?", ["Гуляю", "Бігаю", "Читаю"], "too_many_choices", "не більше 2"),
        ("Що ви там робите?", ["Гуляю", "00000000-0000-0000-0000-000000000000"], "option_unknown", "немає"),
        ("Що важливіше?", ["Лавки", "Лавки"], "ranking_duplicate", "лише на одне місце"),
        ("Що важливіше?", ["Лавки"], "ranking_count", "рівно 2"),
        ("Що важливіше?", ["Лавки", "Світло", "Туалет"], "ranking_count", "рівно 2"),
        ("Що важливіше?", {"Лавки": "1", "Світло": "1"}, "ranking_duplicate", "одне місце"),
        ("Що важливіше?", {"Лавки": "2"}, "ranking_gap", "підряд"),
        ("Що важливіше?", ["Невідомий"], "option_unknown", "немає"),
        ("Як оцінюєте парк?", "6", "out_of_range", "від 1 до 5"),
        ("Як оцінюєте парк?", "3.5", "out_of_range", "ціле"),
        ("Як оцінюєте парк?", "добре", "not_a_number", "числом"),
        ("Скільки разів на тиждень?", "22", "out_of_range", "не більше за 21"),
        ("Скільки разів на тиждень?", "-1", "out_of_range", "не менше за 0"),
        ("Скільки разів на тиждень?", "1.234", "too_precise", "двох знаків"),
        ("Скільки разів на тиждень?", "NaN", "not_a_number", "числом"),
        ("Ваше ім'я для звернення", "х" * 301, "text_too_long", "до 300"),
        ("Що змінити?", "х" * 5001, "text_too_long", "до 5000"),
        ("Ваше ім'я для звернення", "a\x07b", "invalid_text", "недозволені"),
        ("Де поставити лавку?", {"lat": "91", "lon": "30"}, "point_invalid", "від −90 до 90"),
        ("Де поставити лавку?", {"lat": "50", "lon": ""}, "point_invalid", "числами"),
        ("Де поставити лавку?", "Київ", "point_invalid", "позначте точку"),
    ],
)
def test_every_bad_input_names_the_question_and_the_rule(survey, question, value, code, words):
    tree, q = _ids(survey)
    target = q[question]
    if target.is_choice:
        value = (
            {opt(target, k) if any(o.label == k for o in target.options) else k: v for k, v in value.items()}
            if isinstance(value, dict)
            else [opt(target, v) if any(o.label == v for o in target.options) else v for v in value]
            if isinstance(value, list)
            else value
        )
    raw = _full(q) | {target.id: value}
    got, message = _error(tree, raw, target)
    assert got == code
    assert words in message


def test_a_missing_required_answer_is_named(survey):
    tree, q = _ids(survey)
    raw = _full(q)
    del raw[q["Як оцінюєте парк?"].id]
    code, message = _error(tree, raw, q["Як оцінюєте парк?"])
    assert code == "required" and "обов'язкове" in message
    raw[q["Що ви там робите?"].id] = []
    code, _m = _error(tree, raw, q["Що ви там робите?"])
    assert code == "required"


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(survey):
    tree, q = _ids(survey)
    park, doing = q["Чи буваєте ви в парку?"], q["Що ви там робите?"]
    raw = _full(q) | {park.id: opt(park, "Ні")}
    values = answers_check(tree, raw, final=True)
    assert doing.id not in {v.question_id for v in values}
    del raw[doing.id]
    assert doing.id not in {v.question_id for v in answers_check(tree, raw, final=True)}
    # An invalid answer to a hidden question is not an error either: it is dropped.
    raw[doing.id] = ["nonsense"]
    answers_check(tree, raw, final=True)
    # The condition follows only valid answers: an unknown option does not reveal.
    raw[park.id] = "nonsense"
    with pytest.raises(AnswersInvalid) as err:
        answers_check(tree, raw, final=True)
    assert set(err.value.errors) == {park.id}


def test_a_draft_check_skips_only_what_a_finished_questionnaire_needs(survey):
    tree, q = _ids(survey)
    rank = q["Що важливіше?"]
    values = answers_check(tree, {rank.id: [opt(rank, "Лавки")]}, final=False)
    assert len(values) == 1
    with pytest.raises(AnswersInvalid):
        answers_check(tree, {q["Як оцінюєте парк?"].id: "9"}, final=False)


def test_draft_keeps_what_is_valid_and_never_loses_an_earlier_answer(survey):
    user = UserFactory()
    tree, q = _ids(survey)
    scale, text = q["Як оцінюєте парк?"], q["Що змінити?"]
    saved = response_save(consultation=survey, user=user, raw={scale.id: "4", text.id: "Ліхтарі"})
    assert saved.errors == {}
    saved = response_save(consultation=survey, user=user, raw={scale.id: "11", text.id: "Ліхтарі й лавки"})
    assert list(saved.errors) == [scale.id] and "від 1 до 5" in saved.errors[scale.id]
    raw = response_raw(saved.response, tree)
    assert raw[scale.id] == 4  # the earlier valid answer is kept
    assert raw[text.id] == "Ліхтарі й лавки"
    assert Response.objects.get().status == "draft"
    assert survey.__class__.objects.get(pk=survey.pk).response_count == 0
    # Clearing an answer in the draft clears it.
    response_save(consultation=survey, user=user, raw={scale.id: "4"})
    assert text.id not in response_raw(Response.objects.get(), tree)


def test_submit_writes_the_answers_the_ledger_and_the_count(survey):
    user = UserFactory()
    tree, q = _ids(survey)
    response_save(consultation=survey, user=user, raw={q["Як оцінюєте парк?"].id: "2"})
    response = response_submit(consultation=survey, user=user, raw=_full(q))
    assert response.status == "submitted" and response.submitted_at is not None
    rows = Answer.objects.filter(response=response)
    assert rows.count() == 10  # single 1, multiple 2, ranking 2, and one each for the other five
    assert rows.get(question__text="Як оцінюєте парк?").number == 4
    assert set(rows.filter(question__kind__in=["short", "long"]).values_list("text_state", flat=True)) == {
        "pending"
    }
    assert set(rows.exclude(question__kind__in=["short", "long"]).values_list("text_state", flat=True)) == {
        ""
    }
    survey.refresh_from_db()
    assert survey.response_count == 0  # no hot counter: the results snapshot counts
    assert snapshot_compute(consultation=survey).respondents == 1
    survey.refresh_from_db()
    assert survey.response_count == 1
    entry = LedgerEntry.objects.get(kind="consultations.response_submitted")
    assert entry.payload == {
        "consultation": str(survey.public_id),
        "participant": response.participant,
        "answers": 8,
    }


def test_a_second_submission_is_refused_and_changes_nothing(survey):
    user = UserFactory()
    _tree, q = _ids(survey)
    response_submit(consultation=survey, user=user, raw=_full(q))
    for call in (
        lambda: response_submit(consultation=survey, user=user, raw=_full(q)),
        lambda: response_save(consultation=survey, user=user, raw=_full(q)),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.code == "already_answered" and err.value.status == 409
    assert snapshot_compute(consultation=survey).respondents == 1
    assert LedgerEntry.objects.filter(kind="consultations.response_submitted").count() == 1
    assert Answer.objects.count() == 10


def test_an_invalid_submission_changes_nothing(survey):
    user = UserFactory()
    tree, q = _ids(survey)
    response_save(consultation=survey, user=user, raw={q["Як оцінюєте парк?"].id: "2"})
    raw = _full(q) | {q["Як оцінюєте парк?"].id: "7"}
    with pytest.raises(AnswersInvalid) as err:
        response_submit(consultation=survey, user=user, raw=raw)
    assert err.value.code == "answers_invalid" and err.value.status == 400
    assert err.value.details[0]["field"] == q["Як оцінюєте парк?"].id
    response = Response.objects.get()
    assert response.status == "draft"
    assert response_raw(response, tree) == {q["Як оцінюєте парк?"].id: 2}
    assert not LedgerEntry.objects.filter(kind="consultations.response_submitted").exists()


@pytest.mark.parametrize("current", ["upcoming", "report", "closed"])
def test_answers_outside_the_open_phase_are_refused(hromada, current):
    consultation = make_consultation(hromada, current=current, audience="account")
    question = questionnaire_of(consultation).questions[0]
    with pytest.raises(DomainError) as err:
        response_submit(
            consultation=consultation, user=UserFactory(), raw={question.id: question.options[0].id}
        )
    assert err.value.code in ("not_open_yet", "closed")
    assert not Response.objects.exists()


def test_an_ineligible_person_is_refused(hromada):
    consultation = make_consultation(hromada, audience="verified")
    question = questionnaire_of(consultation).questions[0]
    with pytest.raises(DomainError) as err:
        response_save(
            consultation=consultation, user=UserFactory(), raw={question.id: question.options[0].id}
        )
    assert err.value.code == "identity_required"
    assert not Response.objects.exists()
    response_submit(
        consultation=consultation, user=verified_user(), raw={question.id: question.options[0].id}
    )
    assert Response.objects.filter(status="submitted").count() == 1


def test_a_point_outside_the_boundary_is_refused_when_one_is_drawn(hromada):
    from hromada.places import services as places_services
    from hromada.places.tests.geo_fixtures import CENTRE, square

    places_services.area_save(
        actor=None, hromada=hromada, kind="boundary", name="Межа громади", geometry_value=square(*CENTRE, 0.5)
    )
    consultation = make_consultation(hromada, publish=False, questions=False, audience="account")
    add_question(consultation, "point", text="Де?")
    consultation = _publish(consultation)
    question = questionnaire_of(consultation).questions[0]
    user = UserFactory()
    with pytest.raises(AnswersInvalid) as err:
        response_submit(consultation=consultation, user=user, raw={question.id: {"lat": 50.45, "lon": 30.52}})
    assert "поза межами громади" in err.value.errors[question.id]
    assert err.value.codes[question.id] == "point_outside"
    response_submit(
        consultation=consultation, user=user, raw={question.id: {"lat": CENTRE[1], "lon": CENTRE[0]}}
    )


def test_cross_hromada_answers_are_kept_apart(hromada, other_hromada):
    here = make_consultation(hromada, audience="account")
    there = make_consultation(other_hromada, audience="account")
    user = UserFactory()
    q_here = questionnaire_of(here).questions[0]
    q_there = questionnaire_of(there).questions[0]
    # An option of another hromada's questionnaire is not an option here.
    with pytest.raises(AnswersInvalid):
        response_submit(consultation=here, user=user, raw={q_here.id: q_there.options[0].id})
    response_submit(consultation=here, user=user, raw={q_here.id: q_here.options[0].id})
    assert participation.response_of(there, user) is None
    assert Response.objects.filter(hromada=other_hromada).count() == 0
