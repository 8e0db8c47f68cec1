import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import UserFactory, staff_user, verified_user
from hromada.petitions.models import Petition, Signature, Status
from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting, head_of, route_to

pytestmark = pytest.mark.django_db

TEXT = "Просимо встановити дитячий майданчик у сквері біля школи №3, бо діти граються на дорозі."


def test_home_list_and_detail_pages(client, hromada):
    p = collecting(hromada=hromada, title="Освітлення в парку Шевченка")
    assert client.get("/").status_code == 200
    page = client.get("/petitions/", {"q": "парку"})
    assert page.status_code == 200
    assert "Освітлення в парку Шевченка" in page.content.decode()
    partial = client.get("/petitions/", {"q": "нічого такого"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "не знайдено" in partial.content.decode()
    detail = client.get(f"/petitions/{p.public_id}/")
    assert detail.status_code == 200
    assert "з 3 необхідних підписів" in detail.content.decode()


def test_unknown_and_malformed_ids_are_404_not_500(client, hromada, other_hromada):
    foreign = collecting(hromada=other_hromada)
    assert client.get(f"/petitions/{foreign.public_id}/").status_code == 404
    assert client.get("/petitions/not-a-uuid/").status_code == 404
    assert client.post("/petitions/not-a-uuid/sign").status_code == 404


def test_sign_from_page_and_refusals_in_ukrainian(client, hromada):
    p = collecting(hromada=hromada)
    user = verified_user()
    client.force_login(user)
    response = client.post(f"/petitions/{p.public_id}/sign", follow=True)
    assert "Ваш підпис враховано" in response.content.decode()
    response = client.post(f"/petitions/{p.public_id}/sign", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ви вже підписали цю петицію." in response.content.decode()
    assert Signature.objects.count() == 1
    client.force_login(UserFactory())
    response = client.post(f"/petitions/{p.public_id}/sign")
    assert response.status_code == 403
    assert "підтвердженою особою" in response.content.decode()


def test_anonymous_sign_redirects_to_login(client, hromada):
    p = collecting(hromada=hromada)
    response = client.post(f"/petitions/{p.public_id}/sign")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_submit_form_shows_field_errors_and_keeps_input(client, hromada):
    CategoryFactory(hromada=hromada, slug="roads", name="Дороги")
    client.force_login(verified_user())
    response = client.post("/petitions/new/", {"title": "Коротко", "text": TEXT, "category": "roads"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Назва занадто коротка" in body
    assert TEXT in body  # what the resident typed is not lost
    bad = SimpleUploadedFile("photo.png", b"GIF89a not a png", "image/png")
    response = client.post(
        "/petitions/new/",
        {"title": "Дитячий майданчик у сквері", "text": TEXT, "category": "roads", "file_1": bad},
    )
    assert response.status_code == 400
    assert "недозволений тип" in response.content.decode()
    assert not Petition.objects.exists()
    response = client.post(
        "/petitions/new/", {"title": "Дитячий майданчик у сквері", "text": TEXT, "category": "roads"}
    )
    assert response.status_code == 302
    assert Petition.objects.get().status == Status.MODERATION


def test_unverified_user_sees_verification_prompt(client, hromada):
    client.force_login(UserFactory())
    response = client.get("/petitions/new/")
    assert "Підтвердити особу" in response.content.decode()
    response = client.post("/petitions/new/", {"title": "Дитячий майданчик у сквері", "text": TEXT})
    assert not Petition.objects.exists()


def test_staff_console_requires_role_and_is_scoped(client, hromada, other_hromada):
    mine = PetitionFactory(hromada=hromada, title="Петиція нашої громади про сквер")
    client.force_login(verified_user())
    assert client.get("/staff/petitions/moderation/").status_code == 403
    client.force_login(staff_user(other_hromada, "moderator"))
    assert client.get("/staff/petitions/moderation/").status_code == 403
    moderator = staff_user(hromada, "moderator")
    client.force_login(moderator)
    page = client.get("/staff/petitions/moderation/")
    assert page.status_code == 200
    assert "Петиція нашої громади про сквер" in page.content.decode()
    response = client.post(f"/staff/petitions/moderation/{mine.public_id}/", {"action": "publish"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.COLLECTING


def test_other_hromadas_moderator_sees_nothing_even_by_host(client, hromada, other_hromada):
    theirs = PetitionFactory(hromada=other_hromada, title="Чужа петиція про дорогу")
    client.force_login(staff_user(hromada, "moderator"))
    page = client.get("/staff/petitions/moderation/")
    assert "Чужа петиція" not in page.content.decode()
    response = client.post(f"/staff/petitions/moderation/{theirs.public_id}/", {"action": "publish"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.MODERATION


def test_reject_form_requires_reason(client, hromada, moderator):
    p = PetitionFactory(hromada=hromada)
    client.force_login(moderator)
    response = client.post(f"/staff/petitions/moderation/{p.public_id}/", {"action": "reject"})
    assert response.status_code == 400
    assert "обов" in response.content.decode().lower()
    p.refresh_from_db()
    assert p.status == Status.MODERATION


def test_answer_and_stats_pages(client, hromada, officer):
    from hromada.petitions import services
    from hromada.petitions.models import AnswerDraft

    p = collecting(hromada=hromada, threshold=1)
    services.petition_sign(petition=p, user=verified_user())
    services.petition_reach_threshold(petition=p)
    route_to(p, officer)
    client.force_login(officer)
    assert client.get("/staff/petitions/consideration/").status_code == 200
    response = client.post(
        f"/staff/petitions/consideration/{p.public_id}/",
        {"action": "submit_draft", "answer-decision": "supported", "answer-text": "Так"},
    )
    assert response.status_code == 400
    assert "занадто короткий" in response.content.decode()
    response = client.post(
        f"/staff/petitions/consideration/{p.public_id}/",
        {
            "action": "submit_draft",
            "answer-decision": "supported",
            "answer-text": "Рада підтримує петицію; роботи виконає управління ЖКГ до кінця року.",
        },
    )
    assert response.status_code == 302
    assert AnswerDraft.objects.get(petition=p).status == "submitted"
    p.refresh_from_db()
    assert p.status == Status.CONSIDERATION  # not published until the head approves
    client.force_login(head_of(officer))
    assert (
        client.post(f"/staff/petitions/consideration/{p.public_id}/", {"action": "approve"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.status == Status.ANSWERED
    stats = client.get("/staff/petitions/stats/")
    assert stats.status_code == 200
    assert "унікальних підписантів" in stats.content.decode()


def test_atom_feed(client, hromada):
    collecting(hromada=hromada, title="Велодоріжка вздовж річки")
    response = client.get("/petitions/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Велодоріжка вздовж річки" in response.content.decode()


def test_ukrainian_by_default_english_by_choice(client, hromada):
    collecting(hromada=hromada)
    # The state-language law: Ukrainian opens by default, whatever the browser prefers.
    response = client.get("/petitions/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="uk"' in response.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/petitions/"})
    assert switched.status_code == 302
    body = client.get("/petitions/").content.decode()
    assert 'lang="en"' in body
    assert "1 petition found" in body
