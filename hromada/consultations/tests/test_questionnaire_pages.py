"""The questionnaire pages through HTTP: answering (refusal first, draft kept, errors
named with links, submit, receipt, "already answered"), and the staff builder's role
matrix, its actions and the frozen questionnaire; cross-hromada."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hromada.accounts.tests.factories import UserFactory, role_matrix, staff_user
from hromada.consultations.models import Condition, Option, Question, Response, Section

from .factories import add_condition, add_question, make_consultation
from .test_responses import _publish

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def survey(hromada):
    c = make_consultation(hromada, publish=False, questions=False, audience="account")
    park = add_question(c, "single", text="Чи буваєте ви в парку?", options=("Так", "Ні"))
    doing = add_question(c, "ranking", text="Що важливіше?", options=("Лавки", "Світло"), required=False)
    add_question(c, "scale", text="Оцінка парку", scale_min=1, scale_max=5)
    add_question(c, "point", text="Де поставити лавку?", required=False)
    add_condition(doing, "Так", park)
    return _publish(c)


def _ids(survey):
    qs = {q.text: q for q in survey.questions.prefetch_related("options")}
    return qs


def test_anonymous_sees_the_refusal_before_typing(survey):
    page = Client().get(reverse("consultations:answer", args=[survey.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Увійдіть, щоб узяти участь." in text and '<form method="post" novalidate class="cq-form"' not in text
    )


def test_the_form_marks_required_in_words_and_hints_conditions(survey):
    page = _client(UserFactory()).get(reverse("consultations:answer", args=[survey.number]))
    text = page.content.decode()
    assert "(обов&#x27;язкове)" in text or "(обов'язкове)" in text
    assert "Відповідайте, лише якщо на питання 1 ви відповіли «Так»." in text
    assert "data-conditions=" in text and "Зберегти чернетку" in text and "Надіслати" in text
    assert "1 місце" in text  # ranking without drag and drop
    assert 'data-map="map-' in text  # the point question's map in pick mode


def test_draft_errors_submit_and_receipt(survey):
    user = UserFactory()
    client = _client(user)
    q = _ids(survey)
    park, rank, scale = q["Чи буваєте ви в парку?"], q["Що важливіше?"], q["Оцінка парку"]
    yes = park.options.get(label="Так").public_id
    url = reverse("consultations:answer", args=[survey.number])
    saved = client.post(url, {f"q-{park.public_id}": yes, f"q-{scale.public_id}": "9", "action": "save"})
    assert saved.status_code == 400
    text = saved.content.decode()
    assert "data-error-summary" in text and f'href="#q-{scale.public_id}"' in text
    assert "Питання 3 «Оцінка парку»: оберіть ціле число від 1 до 5." in text
    again = client.get(url).content.decode()
    assert f'value="{yes}" checked' in again  # the valid answer was kept
    # A submission missing a required answer: refused, named, the draft kept.
    bad = client.post(url, {f"q-{park.public_id}": yes, "action": "submit"})
    assert bad.status_code == 400
    assert "Питання 3 «Оцінка парку»: це обов&#x27;язкове питання" in bad.content.decode()
    assert Response.objects.get().status == "draft"
    lights = rank.options.get(label="Світло").public_id
    benches = rank.options.get(label="Лавки").public_id
    done = client.post(
        url,
        {
            f"q-{park.public_id}": yes,
            f"q-{rank.public_id}-{lights}": "1",
            f"q-{rank.public_id}-{benches}": "2",
            f"q-{scale.public_id}": "5",
            "action": "submit",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "consultations:answered", args=[survey.number]
    )
    response = Response.objects.get()
    assert response.status == "submitted"
    receipt = client.get(done["Location"]).content.decode()
    assert response.participant in receipt and f"/ledger/receipt/?receipt={response.participant}" in receipt
    back = client.get(url).content.decode()
    assert "Ви вже відповіли на це опитування" in back


def test_a_draft_saved_without_errors_redirects_with_a_note(survey):
    client = _client(UserFactory())
    scale = _ids(survey)["Оцінка парку"]
    url = reverse("consultations:answer", args=[survey.number])
    saved = client.post(url, {f"q-{scale.public_id}": "2", "action": "save"})
    assert saved.status_code == 302
    page = client.get(saved["Location"]).content.decode()
    assert "Чернетку збережено" in page and 'value="2" checked' in page


def test_an_area_limited_consultation_asks_the_address(hromada):
    from hromada.places.tests.geo_fixtures import build_geo

    geo = build_geo(hromada)
    consultation = make_consultation(hromada, audience="account", area=geo.district)
    client = _client(UserFactory())
    url = reverse("consultations:answer", args=[consultation.number])
    page = client.get(url).content.decode()
    assert 'id="id_address"' in page and "Вкажіть свою адресу" in page
    question = consultation.questions.get()
    option = question.options.first().public_id
    wrong = client.post(
        url, {"address": "Неіснуюча 1", f"q-{question.public_id}": option, "action": "submit"}
    )
    assert wrong.status_code == 400 and 'href="#id_address"' in wrong.content.decode()
    assert not Response.objects.filter(status="submitted").exists()


def test_builder_role_matrix(hromada, other_hromada, survey):
    draft = make_consultation(hromada, publish=False)
    url = reverse("staff_consultations:questions", args=[draft.public_id])
    for name, user in role_matrix(hromada, other_hromada).items():
        client = Client()
        if name != "anonymous":
            client.force_login(user)
        page = client.get(url)
        if name in ("admin", "officer"):
            assert page.status_code == 200, name
        elif name == "anonymous":
            assert page.status_code == 302
        else:
            assert page.status_code == 403, name
        created = client.post(
            reverse("staff_consultations:question_new", args=[draft.public_id]),
            {"kind": "short", "text": f"Від {name}", "required": "on"},
        )
        assert created.status_code in (302, 403), name
    assert set(Question.objects.filter(consultation=draft).values_list("text", flat=True)) == {
        "Чи підтримуєте ви пропозицію?",
        "Від admin",
        "Від officer",
    }


def test_builder_pages_build_a_survey_with_a_condition(hromada):
    admin = staff_user(hromada, "admin")
    client = _client(admin)
    draft = make_consultation(hromada, publish=False, questions=False)
    cid = draft.public_id
    page = client.post(reverse("staff_consultations:questions", args=[cid]), {"title": "Про вас"})
    assert page.status_code == 302
    section = Section.objects.get(consultation=draft)
    bad = client.post(
        reverse("staff_consultations:question_new", args=[cid]),
        {"kind": "single", "text": "Без варіантів", "options": "Один"},
    )
    assert bad.status_code == 400 and "щонайменше 2 варіанти" in bad.content.decode()
    made = client.post(
        reverse("staff_consultations:question_new", args=[cid]),
        {
            "kind": "single",
            "text": "Чи є діти?",
            "options": "Так\nНі",
            "required": "on",
            "section": section.pk,
        },
    )
    assert made.status_code == 302
    source = Question.objects.get(text="Чи є діти?")
    client.post(
        reverse("staff_consultations:question_new", args=[cid]),
        {"kind": "long", "text": "Що потрібно дітям?", "section": section.pk},
    )
    target = Question.objects.get(text="Що потрібно дітям?")
    yes = source.options.get(label="Так")
    added = client.post(
        reverse("staff_consultations:condition_action", args=[cid, target.public_id, "add"]),
        {"option": yes.public_id},
    )
    assert added.status_code == 302 and Condition.objects.filter(question=target, option=yes).exists()
    up = client.post(
        reverse("staff_consultations:question_action", args=[cid, target.public_id, "up"]), follow=True
    )
    assert "має стояти після нього" in up.content.decode()
    client.post(reverse("staff_consultations:option_add", args=[cid, source.public_id]), {"label": "Онуки"})
    assert Option.objects.filter(question=source).count() == 3
    edit = client.get(reverse("staff_consultations:question_edit", args=[cid, target.public_id]))
    assert "Показувати, коли на питання 1 «Чи є діти?» відповіли «Так»." in edit.content.decode()
    overview = client.get(reverse("staff_consultations:questions", args=[cid])).content.decode()
    assert "Переглянути анкету так, як її бачать учасники" in overview


def test_a_published_questionnaire_is_shown_frozen(hromada, survey):
    client = _client(staff_user(hromada, "officer"))
    page = client.get(reverse("staff_consultations:questions", args=[survey.public_id])).content.decode()
    assert "анкета незмінна" in page and "Додати розділ" not in page
    question = survey.questions.first()
    client.post(
        reverse("staff_consultations:question_action", args=[survey.public_id, question.public_id, "delete"])
    )
    assert Question.objects.filter(pk=question.pk).exists()


def test_other_hromadas_consultation_is_not_found_for_staff(hromada, other_hromada):
    there = make_consultation(other_hromada, publish=False)
    client = _client(staff_user(hromada, "admin"))
    assert client.get(reverse("staff_consultations:questions", args=[there.public_id])).status_code == 404
    question = there.questions.first()
    response = client.post(
        reverse("staff_consultations:question_action", args=[there.public_id, question.public_id, "delete"])
    )
    assert response.status_code == 404 and Question.objects.filter(pk=question.pk).exists()
