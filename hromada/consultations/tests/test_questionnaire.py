"""The questionnaire builder: every kind, its parameters, options, sections, order and
conditions; frozen once published; only staff who manage consultations."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.consultations.models import Condition, Option, Question, Section
from hromada.consultations.questionnaire_selectors import questionnaire_of
from hromada.consultations.services import questionnaire as qs
from hromada.consultations.services.consultations import consultation_publish
from hromada.core.errors import DomainError

from .factories import add_condition, add_question, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(hromada):
    return make_consultation(hromada, publish=False, questions=False)


@pytest.fixture
def admin(hromada):
    return staff_user(hromada, "admin")


def _codes(call) -> str:
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


def test_every_kind_is_added_with_its_parameters(draft, admin):
    add_question(draft, "single")
    add_question(draft, "multiple", min_choices=1, max_choices=2)
    add_question(draft, "ranking", max_choices=2)
    add_question(
        draft, "scale", scale_min=0, scale_max=10, scale_min_label="Погано", scale_max_label="Чудово"
    )
    add_question(draft, "number", number_min="0", number_max="120,5", required=False)
    add_question(draft, "short")
    add_question(draft, "long", required=False)
    add_question(draft, "point")
    tree = questionnaire_of(draft)
    assert [q.kind for q in tree.questions] == [
        "single", "multiple", "ranking", "scale", "number", "short", "long", "point",
    ]  # fmt: skip
    assert [q.number for q in tree.questions] == list(range(1, 9))
    multiple, ranking, scale, number = tree.questions[1:5]
    assert (multiple.min_choices, multiple.max_choices, len(multiple.options)) == (1, 2, 3)
    assert ranking.rank_count == 2
    assert (scale.scale_min, scale.scale_max, scale.scale_max_label) == (0, 10, "Чудово")
    assert str(number.number_max) == "120.50" and not number.required


@pytest.mark.parametrize(
    ("kind", "params", "code", "field"),
    [
        ("multiple", {"min_choices": 3, "max_choices": 2}, "choices_range", "min_choices"),
        ("multiple", {"min_choices": 5}, "choices_range", "min_choices"),
        ("multiple", {"max_choices": 9}, "choices_range", "max_choices"),
        ("multiple", {"min_choices": "два"}, "not_a_number", "min_choices"),
        ("ranking", {"max_choices": 1}, "out_of_range", "max_choices"),
        ("ranking", {"max_choices": 4}, "choices_range", "max_choices"),
        ("scale", {"scale_min": 2}, "scale_range", "scale_min"),
        ("scale", {"scale_max": 11}, "scale_range", "scale_max"),
        ("scale", {"scale_max": 1}, "scale_range", "scale_max"),
        ("number", {"number_min": 10, "number_max": 5}, "number_range", "number_min"),
        ("number", {"number_min": "1.234"}, "too_precise", "number_min"),
        ("number", {"number_max": "багато"}, "not_a_number", "number_max"),
    ],
)
def test_parameters_are_checked_as_the_database_does(draft, kind, params, code, field):
    with pytest.raises(DomainError) as err:
        add_question(draft, kind, **params)
    assert (err.value.code, err.value.field) == (code, field)
    assert not Question.objects.filter(consultation=draft).exists()


@pytest.mark.parametrize("kind", ["single", "multiple", "ranking"])
def test_a_choice_needs_two_options(draft, kind):
    with pytest.raises(DomainError) as err:
        add_question(draft, kind, options=("Лише один",))
    assert err.value.code == "options_required" and "щонайменше 2" in err.value.message
    assert _codes(lambda: add_question(draft, kind, options=("Так", "так"))) == "option_duplicate"


def test_question_text_is_required_and_limited(draft):
    assert _codes(lambda: add_question(draft, "short", text="   ")) == "required"
    assert _codes(lambda: add_question(draft, "short", text="х" * 501)) == "too_long"
    assert _codes(lambda: add_question(draft, "short", text="a\x00b")) == "invalid_text"


def test_options_added_updated_moved_and_deleted(draft, admin):
    question = add_question(draft, "single", options=("А", "Б"))
    third = qs.option_add(question=question, actor=admin, label="В")
    assert _codes(lambda: qs.option_add(question=question, actor=admin, label="а")) == "option_duplicate"
    qs.option_move(option=third, actor=admin, direction="up")
    assert [o.label for o in question.options.order_by("order")] == ["А", "В", "Б"]
    qs.option_update(option=third, actor=admin, label="Г")
    ids = [str(o.public_id) for o in question.options.order_by("-order")]
    qs.options_reorder(question=question, actor=admin, option_ids=ids)
    assert [o.label for o in question.options.order_by("order")] == ["Б", "Г", "А"]
    qs.option_delete(option=third, actor=admin)
    assert [o.label for o in question.options.order_by("order")] == ["Б", "А"]
    last = question.options.first()
    assert _codes(lambda: qs.option_delete(option=last, actor=admin)) == "options_required"
    text_question = add_question(draft, "short")
    assert _codes(lambda: qs.option_add(question=text_question, actor=admin, label="Х")) == "not_a_choice"


def test_sections_group_questions_and_moves_keep_one_order(draft, admin):
    first = qs.section_add(consultation=draft, actor=admin, title="Про вас")
    second = qs.section_add(consultation=draft, actor=admin, title="Про парк")
    a = add_question(draft, "short", text="А", section=first)
    b = add_question(draft, "short", text="Б", section=second)
    c = add_question(draft, "short", text="В", section=first)
    tree = questionnaire_of(draft)
    assert [q.text for q in tree.questions] == ["А", "В", "Б"]
    assert [s.title for s in tree.sections] == ["Про вас", "Про парк"]
    qs.section_move(section=second, actor=admin, direction="up")
    assert [q.text for q in questionnaire_of(draft).questions] == ["Б", "А", "В"]
    qs.question_move(question=a, actor=admin, direction="up")  # into the section above, at its end
    tree = questionnaire_of(draft)
    assert [q.text for q in tree.questions] == ["Б", "А", "В"]
    assert tree.questions[1].section == str(second.pk)
    qs.question_update(question=c, actor=admin, text="В змінене", section=None)
    assert [q.text for q in questionnaire_of(draft).questions] == ["В змінене", "Б", "А"]
    qs.section_delete(section=second, actor=admin)
    assert Section.objects.filter(consultation=draft).count() == 1
    assert [q.text for q in questionnaire_of(draft).questions] == ["В змінене", "Б", "А"]
    orders = list(
        Question.objects.filter(consultation=draft).order_by("order").values_list("text", flat=True)
    )
    assert orders == ["В змінене", "Б", "А"]
    qs.question_delete(question=b, actor=admin)
    assert list(
        Question.objects.filter(consultation=draft).order_by("order").values_list("order", flat=True)
    ) == [1, 2]


def test_a_condition_only_on_an_earlier_question(draft, admin):
    source = add_question(draft, "single", text="Чи буваєте ви в парку?", options=("Так", "Ні"))
    target = add_question(draft, "multiple", text="Що ви там робите?")
    add_condition(target, "Так", source)
    assert questionnaire_of(draft).questions[1].conditions == (
        str(source.options.get(label="Так").public_id),
    )
    later = add_question(draft, "single", text="Пізніше", options=("X", "Y"))
    with pytest.raises(DomainError) as err:
        add_condition(source, "X", later)
    assert err.value.code == "condition_order" and "попередніх" in err.value.message
    with pytest.raises(DomainError) as err:
        add_condition(source, "Так", source)
    assert err.value.code == "condition_order"


def test_moving_a_question_above_its_condition_is_refused_with_the_reason(draft, admin):
    source = add_question(draft, "single", text="Чи буваєте ви в парку?", options=("Так", "Ні"))
    target = add_question(draft, "short", text="Що подобається?")
    add_condition(target, "Так", source)
    with pytest.raises(DomainError) as err:
        qs.question_move(question=target, actor=admin, direction="up")
    assert err.value.code == "condition_order"
    assert "«Що подобається?»" in err.value.message and "«Чи буваєте ви в парку?»" in err.value.message
    with pytest.raises(DomainError):
        qs.question_move(question=source, actor=admin, direction="down")
    assert [q.text for q in questionnaire_of(draft).questions] == [
        "Чи буваєте ви в парку?",
        "Що подобається?",
    ]
    # A section move that would break it is refused too.
    section = qs.section_add(consultation=draft, actor=admin, title="Розділ")
    with pytest.raises(DomainError) as err:
        qs.question_update(question=source, actor=admin, text=source.text, section=section)
    assert err.value.code == "condition_order"
    assert [q.text for q in questionnaire_of(draft).questions] == [
        "Чи буваєте ви в парку?",
        "Що подобається?",
    ]


def test_deleting_an_option_drops_the_condition_on_it(draft, admin):
    source = add_question(draft, "single", options=("Так", "Ні", "Не знаю"))
    target = add_question(draft, "short")
    add_condition(target, "Не знаю", source)
    qs.option_delete(option=source.options.get(label="Не знаю"), actor=admin)
    assert not Condition.objects.filter(question=target).exists()


def test_published_questionnaire_is_frozen(hromada, admin):
    consultation = make_consultation(hromada)  # published, with one question
    question = consultation.questions.get()
    option = question.options.first()
    calls = [
        lambda: add_question(consultation, "short"),
        lambda: qs.question_update(question=question, actor=admin, text="Нове"),
        lambda: qs.question_delete(question=question, actor=admin),
        lambda: qs.option_add(question=question, actor=admin, label="Нове"),
        lambda: qs.option_delete(option=option, actor=admin),
        lambda: qs.section_add(consultation=consultation, actor=admin, title="Нове"),
    ]
    for call in calls:
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.code == "questionnaire_frozen" and err.value.status == 409
        assert "чернетці" in err.value.message
    assert Question.objects.filter(consultation=consultation).count() == 1
    assert Option.objects.filter(question=question).count() == 2


def test_role_matrix_only_managers_build(hromada, other_hromada, draft):
    allowed = {"admin", "officer"}
    for name, user in role_matrix(hromada, other_hromada).items():
        if name == "anonymous":
            continue
        if name in allowed:
            add_question(draft, "short", actor=user, text=f"Від {name}")
        else:
            with pytest.raises(DomainError) as err:
                add_question(draft, "short", actor=user, text=f"Від {name}")
            assert err.value.code == "forbidden"
    assert Question.objects.filter(consultation=draft).count() == len(allowed)


def test_published_questionnaire_is_cached_and_read_in_few_queries(hromada, django_assert_max_num_queries):
    consultation = make_consultation(hromada, publish=False)
    add_question(consultation, "multiple")
    actor = staff_user(hromada, "admin")
    consultation = consultation_publish(
        consultation=consultation, actor=actor, now=consultation.opens_at - consultation.opens_at.resolution
    )
    with django_assert_max_num_queries(4):
        first = questionnaire_of(consultation)
    with django_assert_max_num_queries(0):
        assert questionnaire_of(consultation) is first
