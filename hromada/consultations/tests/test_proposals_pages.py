"""Proposals' and the draft text's pages through HTTP: public pages, the form with its
errors (nothing typed lost), support with and without htmx, staff pages by role."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import role_matrix, staff_user, verified_user
from hromada.consultations.models import Answer, Proposal, Question, Response
from hromada.consultations.services import proposals as svc

from .factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(hromada):
    return make_consultation(hromada, kind="discussion", title="Проєкт Правил благоустрою", anonymous=False)


def test_text_paragraph_list_and_detail(client, discussion):
    p12 = discussion.paragraphs.get(number="1.2")
    svc.proposal_submit(
        consultation=discussion,
        user=verified_user(),
        title="Уточнити",
        wording="Нова редакція",
        paragraph=p12,
    )
    n = discussion.number
    text = client.get(f"/consultations/{n}/text/").content.decode()
    assert "Текст пункту 1.2." in text and "<h2>" in text and "1 пропозиція" in text
    assert (
        f"/consultations/{n}/proposals/new/?paragraph={p12.public_id}" not in text
    )  # anonymous: log in first
    page = client.get(f"/consultations/{n}/text/{p12.public_id}/").content.decode()
    assert "Нова редакція" in page and 'id="comments"' in page
    listed = client.get(
        f"/consultations/{n}/proposals/", {"order": "supported", "status": "pending"}
    ).content.decode()
    assert "№1. Уточнити" in listed
    detail = client.get(f"/consultations/{n}/proposals/1/").content.decode()
    assert "Нова редакція" in detail and "Увійдіть, щоб підтримати" in detail
    assert client.get(f"/consultations/{n}/proposals/7/").status_code == 404
    assert client.get(f"/consultations/{n}/text/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_form_keeps_what_was_typed_and_names_the_rule(client, discussion):
    p12 = discussion.paragraphs.get(number="1.2")
    client.force_login(verified_user())
    url = f"/consultations/{discussion.number}/proposals/new/"
    form = client.get(url, {"paragraph": str(p12.public_id)}).content.decode()
    assert f'value="{p12.public_id}" selected' in form
    response = client.post(url, {"paragraph": str(p12.public_id), "title": "Мій заголовок", "wording": ""})
    body = response.content.decode()
    assert response.status_code == 400 and "Мій заголовок" in body
    assert "як, на вашу думку, має звучати пункт 1.2" in body and "data-error-summary" in body
    assert 'aria-describedby="id_wording_helptext id_wording_error"' in body
    response = client.post(
        url, {"paragraph": str(p12.public_id), "title": "Мій заголовок", "wording": "1.2. Так."}
    )
    assert response.status_code == 302 and response["Location"].endswith("/proposals/1/")


def test_support_htmx_and_plain_and_withdraw(client, discussion):
    author = verified_user()
    svc.proposal_submit(consultation=discussion, user=author, title="Т", wording="x")
    url = f"/consultations/{discussion.number}/proposals/1/support/"
    assert client.post(url).status_code == 302  # to log in
    assert Proposal.objects.get().support_count == 0
    client.force_login(verified_user())
    partial = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Дякуємо" in partial and 'id="support-box"' in partial and "<html" not in partial
    again = client.post(url)
    assert again.status_code == 409 and "Ви вже підтримали" in again.content.decode()
    assert Proposal.objects.get().support_count == 1
    client.force_login(author)
    assert (
        "Відкликати пропозицію"
        in client.get(f"/consultations/{discussion.number}/proposals/1/").content.decode()
    )
    client.post(f"/consultations/{discussion.number}/proposals/1/withdraw/")
    assert Proposal.objects.get().status == "withdrawn"


def test_staff_pages_by_role(client, hromada, other_hromada, discussion):
    svc.proposal_submit(consultation=discussion, user=verified_user(), title="Т", wording="x")
    draft = make_consultation(hromada, kind="discussion", publish=False, title="Чернетка")
    pages = {
        f"/staff/consultations/{draft.public_id}/paragraphs/": ("admin", "officer"),
        f"/staff/consultations/{discussion.public_id}/proposals/": ("admin", "officer"),
        f"/staff/consultations/{discussion.public_id}/proposals/1/": ("admin", "officer"),
        "/staff/consultations/proposals/": ("admin", "officer"),
        "/staff/consultations/moderation/": ("admin", "moderator"),
    }
    for name, actor in role_matrix(hromada, other_hromada).items():
        if name == "anonymous":
            continue
        client.force_login(actor)
        for url, allowed in pages.items():
            status = client.get(url).status_code
            assert status == (200 if name in allowed else 403), (name, url, status)
    client.logout()
    assert client.get("/staff/consultations/proposals/").status_code == 302


def test_staff_answer_page_and_refused_post_changes_nothing(client, hromada, discussion):
    p12 = discussion.paragraphs.get(number="1.2")
    svc.proposal_submit(
        consultation=discussion, user=verified_user(), title="Т", wording="Запропоновано", paragraph=p12
    )
    url = f"/staff/consultations/{discussion.public_id}/proposals/1/"
    client.force_login(staff_user(hromada, "moderator"))
    assert client.post(url, {"status": "accepted", "reason": "x"}).status_code == 403
    assert Proposal.objects.get().status == "pending"
    client.force_login(staff_user(hromada, "officer"))
    page = client.get(url).content.decode()
    assert "Текст пункту 1.2." in page and "Запропоновано" in page
    bad = client.post(url, {"status": "partly", "reason": ""})
    assert bad.status_code == 400 and Proposal.objects.get().status == "pending"
    ok = client.post(url, {"status": "partly", "reason": "Враховано строк."})
    assert ok.status_code == 302 and Proposal.objects.get().status == "partly"
    public = client.get(f"/consultations/{discussion.number}/proposals/1/").content.decode()
    assert "Враховано частково:" in public and "Враховано строк." in public
    queue = client.get("/staff/consultations/proposals/").content.decode()
    assert "Усі пропозиції мають відповідь" in queue


def test_staff_paste_preview_and_save(client, hromada):
    draft = make_consultation(hromada, kind="discussion", publish=False, questions=False)
    client.force_login(draft.created_by)
    url = f"/staff/consultations/{draft.public_id}/paragraphs/"
    text = "1. Загальні положення\n1.1. Перший.\n1.2. Другий."
    preview = client.post(url, {"action": "preview", "text": text}).content.decode()
    assert "Текст поділено на 3 пункти" in preview or "Текст поділено на 3 пунктів" in preview
    assert not draft.paragraphs.exists()
    bad = client.post(url, {"action": "replace", "text": "1. А.\n1. Б."})
    assert bad.status_code == 400 and "трапляється двічі" in bad.content.decode()
    assert client.post(url, {"action": "replace", "text": text}).status_code == 302
    assert list(draft.paragraphs.values_list("number", flat=True)) == ["1", "1.1", "1.2"]
    first = draft.paragraphs.get(number="1.1")
    client.post(url, {"action": "down", "paragraph": str(first.public_id)})
    assert list(draft.paragraphs.order_by("order").values_list("number", flat=True)) == ["1", "1.2", "1.1"]


def test_moderation_page_bulk_and_hide(client, hromada, other_hromada):
    survey = make_consultation(hromada, kind="survey", title="Опитування")
    question = Question.objects.create(
        hromada=hromada, consultation=survey, order=9, kind="long", text="Що змінити?"
    )
    from django.utils import timezone

    response = Response.objects.create(
        hromada=hromada, consultation=survey, participant="p", status="submitted", submitted_at=timezone.now()
    )
    answer = Answer.objects.create(
        hromada=hromada, response=response, question=question, text="Більше лавок", text_state="pending"
    )
    discussion = make_consultation(hromada, kind="discussion", title="Обговорення")
    svc.proposal_submit(consultation=discussion, user=verified_user(), title="Спам", wording="x")
    client.force_login(staff_user(hromada, "moderator"))
    page = client.get("/staff/consultations/moderation/").content.decode()
    assert "Більше лавок" in page and "Спам" in page
    client.post(
        "/staff/consultations/moderation/answers/",
        {"answer": [str(answer.pk)], f"c-{answer.pk}": str(survey.public_id), "state": "shown"},
    )
    assert Answer.objects.get().text_state == "shown"
    hide = f"/staff/consultations/{discussion.public_id}/proposals/1/moderate/"
    client.post(hide, {"action": "hide", "reason": ""})
    assert Proposal.objects.get().status == "pending"
    client.post(hide, {"action": "hide", "reason": "Реклама."})
    assert Proposal.objects.get().status == "hidden"
    client.logout()
    assert client.get(f"/consultations/{discussion.number}/proposals/1/").status_code == 404
    # Another hromada's moderator reaches nothing here.
    client.force_login(staff_user(other_hromada, "moderator"))
    assert client.post(hide, {"action": "show", "reason": "x"}).status_code == 403
    assert Proposal.objects.get().status == "hidden"
