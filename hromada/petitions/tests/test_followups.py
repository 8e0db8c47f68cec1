"""Follow-ups of issue 9: a moderator decides on the text they read, drafts and withdrawn
petitions stay out of every public surface, co-authors hear what the author hears, the
API shows who answered, corrections, follow-up and the extension."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from hromada.accounts import services as account_services
from hromada.accounts.models import StaffRole
from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.core.errors import DomainError
from hromada.notify.models import Notification
from hromada.petitions import services
from hromada.petitions.models import CoAuthor, Petition, Status
from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting, head_of
from hromada.petitions.tests.test_staff import ANSWER, REASON, answered, considered, route_to

pytestmark = pytest.mark.django_db

NEW_TEXT = (
    "Просимо облаштувати безпечну велодоріжку вздовж вулиці Шевченка й поставити світлофор "
    "біля школи №3, бо діти переходять дорогу без нього."
)


def _edit(petition, text=NEW_TEXT):
    return services.petition_update(
        petition=petition,
        editor=petition.author,
        title=petition.title,
        text=text,
        category=petition.category,
    )


def _bearer(user) -> dict:
    _row, raw = account_services.api_token_create(user=user, name="followups")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _coauthor(petition) -> object:
    user = verified_user()
    CoAuthor.objects.create(
        hromada=petition.hromada,
        petition=petition,
        user=user,
        invited_by=petition.author,
        token=secrets.token_urlsafe(16),
        name="Іван Співавтор",
        accepted_at=timezone.now(),
    )
    return user


# --- 1. the moderator publishes what they read ---------------------------------------------------


def test_publishing_a_revision_the_author_has_since_edited_is_refused(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    read = petition.revision
    _edit(petition)
    with pytest.raises(DomainError) as err:
        services.petition_publish(petition=petition, moderator=moderator, revision=read)
    assert (err.value.code, err.value.status) == ("petition_changed", 409)
    petition.refresh_from_db()
    assert petition.status == Status.MODERATION and petition.text == NEW_TEXT
    # The revision now read is published, and the ledger has its text.
    services.petition_publish(petition=petition, moderator=moderator, revision=petition.revision)
    assert Petition.objects.get(pk=petition.pk).status == Status.COLLECTING


def test_rejecting_a_revision_the_author_has_since_edited_is_refused(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    read = petition.revision
    _edit(petition)
    with pytest.raises(DomainError) as err:
        services.petition_reject(petition=petition, moderator=moderator, reason="duplicate", revision=read)
    assert err.value.code == "petition_changed"
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION


def test_the_guarded_update_refuses_an_edit_that_slips_in_after_the_read(hromada, moderator, monkeypatch):
    """The edit lands between the moderator's read (under the row lock, which SQLite does
    not take) and the write: the UPDATE … WHERE revision matches nothing."""
    from hromada.petitions.services import moderation

    petition = PetitionFactory(hromada=hromada)
    read = petition.revision
    real_locked = moderation._locked

    def locked_then_edited(p):
        fresh = real_locked(p)
        Petition.objects.filter(pk=p.pk).update(text=NEW_TEXT, revision=read + 1)
        return fresh

    monkeypatch.setattr(moderation, "_locked", locked_then_edited)
    with pytest.raises(DomainError) as err:
        services.petition_publish(petition=petition, moderator=moderator, revision=read)
    assert err.value.code == "petition_changed"
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION


def test_without_a_revision_other_callers_publish_as_before(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    _edit(petition)
    services.petition_publish(petition=petition, moderator=moderator)
    assert Petition.objects.get(pk=petition.pk).status == Status.COLLECTING


def test_the_moderation_page_sends_the_revision_and_shows_the_new_text(client, hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    client.force_login(moderator)
    url = f"/staff/petitions/moderation/{petition.public_id}/"
    page = client.get(url).content.decode()
    assert page.count(f'name="revision" value="{petition.revision}"') == 2  # publish and reject
    read = petition.revision
    _edit(petition)
    response = client.post(url, {"action": "publish", "revision": read})
    assert response.status_code == 409
    body = response.content.decode()
    assert "автор її змінив" in body and 'role="alert"' in body
    assert "світлофор біля школи №3" in body  # the new text, to read again
    assert f'name="revision" value="{read + 1}"' in body
    assert "errorlist" not in body  # a refused publication asks for no rejection reason
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION
    # Rejecting through the confirmation step: the reason and comment the moderator wrote stay.
    response = client.post(
        url,
        {"action": "reject", "revision": read, "reason": "duplicate", "comment": "Є №1", "confirm": "1"},
    )
    assert response.status_code == 409
    assert "Є №1" in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION
    response = client.post(url, {"action": "publish", "revision": read + 1})
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == Status.COLLECTING


def test_the_api_takes_the_revision_on_publish_and_reject(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    api = Client()
    auth = _bearer(moderator)
    read = api.get(f"/api/v1/petitions/{petition.public_id}", **auth).json()["revision"]
    _edit(petition)
    for action, body in (
        ("publish", {"revision": read}),
        ("reject", {"reason": "duplicate", "revision": read}),
    ):
        response = api.post(
            f"/api/v1/petitions/{petition.public_id}/{action}",
            json.dumps(body),
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "petition_changed"
    response = api.post(  # no body: as before
        f"/api/v1/petitions/{petition.public_id}/publish", content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["status"] == "collecting"


# --- 3. co-authors hear the moderator's decision and the answer ---------------------------------------


@pytest.mark.parametrize("decision", ["publish", "reject"])
def test_accepted_coauthors_are_told_of_the_moderators_decision(hromada, moderator, decision):
    petition = PetitionFactory(hromada=hromada)
    coauthor = _coauthor(petition)
    invited = verified_user()  # invited, never accepted: not told
    CoAuthor.objects.create(
        hromada=hromada, petition=petition, user=invited, invited_by=petition.author, token="t-pending"
    )
    if decision == "publish":
        services.petition_publish(petition=petition, moderator=moderator)
    else:
        services.petition_reject(petition=petition, moderator=moderator, reason="duplicate")
    told = set(Notification.objects.filter(kind="petition.moderated").values_list("user_id", flat=True))
    assert told == {petition.author_id, coauthor.pk}


def test_coauthors_hear_the_threshold_and_the_end_of_collection_in_the_authors_words(hromada):
    petition = collecting(hromada=hromada, threshold=1)
    coauthor = _coauthor(petition)
    services.petition_sign(petition=petition, user=verified_user())
    services.petition_reach_threshold(petition=petition)
    titles = {n.user_id: n.body for n in Notification.objects.filter(kind="petition.threshold_reached")}
    assert titles[coauthor.pk] == titles[petition.author_id]
    assert "Петицію передано на розгляд" in titles[coauthor.pk]
    assert Notification.objects.filter(kind="petition.threshold_reached", user=coauthor).count() == 1

    short = collecting(
        hromada=hromada, threshold=5, collection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    other = _coauthor(short)
    services.petition_close_unsuccessful(petition=short)
    told = set(
        Notification.objects.filter(kind="petition.closed_unsuccessful").values_list("user_id", flat=True)
    )
    assert told == {short.author_id, other.pk}


def test_coauthors_are_told_of_the_answer(hromada, officer):
    petition, _people = considered(hromada)
    coauthor = _coauthor(petition)
    route_to(petition, officer)
    draft = services.answer_draft_save(
        petition=petition, officer=officer, decision="supported", text=ANSWER, submit=True
    )
    services.answer_draft_approve(draft=draft, reviewer=head_of(officer))
    assert Notification.objects.filter(kind="petition.answered", user=coauthor).count() == 1


# --- 4. the API's petition detail: who answered, corrections, follow-up, extension ---------------------


def test_the_api_detail_shows_who_answered_corrections_and_follow_up(hromada, officer):
    StaffRole.objects.filter(user=officer).update(position="головний спеціаліст")
    petition, _people = answered(hromada, officer)
    department = StaffRole.objects.get(user=officer).department
    services.answer_correct(
        answer=petition.answer,
        actor=head_of(officer),
        text=ANSWER + " До 1 жовтня.",
        reason="Уточнено строк.",
    )
    step = services.followup_step_add(
        petition=petition,
        actor=officer,
        title="Підготувати кошторис",
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    services.followup_publish(petition=petition, actor=officer, text="Кошторис на погодженні.", step=step)
    data = Client().get(f"/api/v1/petitions/{petition.public_id}").json()
    answer = data["answer"]
    assert answer["department"] == department.name
    assert answer["officer_position"] == "головний спеціаліст"
    assert answer["text"] == ANSWER and answer["current_text"] == ANSWER + " До 1 жовтня."
    [correction] = answer["corrections"]
    assert correction["reason"] == "Уточнено строк." and correction["text"] == ANSWER + " До 1 жовтня."
    # The API gives an aware instant; compare its local day (Kyiv is already tomorrow at 22:00 UTC).
    corrected = timezone.localtime(dt.datetime.fromisoformat(correction["date"].replace("Z", "+00:00")))
    assert corrected.date() == timezone.localdate()
    [api_step] = data["follow_up"]["steps"]
    assert api_step["title"] == "Підготувати кошторис" and api_step["overdue"] is False
    [report] = data["follow_up"]["reports"]
    assert report == {
        "published_at": report["published_at"],
        "text": "Кошторис на погодженні.",
        "step": "Підготувати кошторис",
    }
    assert "notes" not in json.dumps(data)  # nothing staff-internal


def test_the_api_detail_shows_the_extension(hromada, officer):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    until = petition.consideration_due + dt.timedelta(days=5)
    services.petition_extend_deadline(petition=petition, officer=officer, until=until, notice=REASON)
    data = Client().get(f"/api/v1/petitions/{petition.public_id}").json()
    petition.refresh_from_db()
    assert data["extension"]["until"] == petition.consideration_extended_until.isoformat()
    assert data["extension"]["previous_due"] == petition.consideration_due.isoformat()
    assert data["extension"]["reason"] == REASON
    assert data["consideration_due"] == petition.consideration_extended_until.isoformat()
    assert data["answer"] is None and data["follow_up"] is None


def test_a_petition_without_an_extension_has_none(hromada):
    petition = collecting(hromada=hromada, category=CategoryFactory(hromada=hromada))
    data = Client().get(f"/api/v1/petitions/{petition.public_id}").json()
    assert data["extension"] is None and data["follow_up"] is None


def test_a_form_body_on_a_json_operation_is_a_json_400_not_a_500(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    api = Client()
    auth = _bearer(moderator)
    for action in ("publish", "reject"):  # Django's test client posts multipart by default
        response = api.post(
            f"/api/v1/petitions/{petition.public_id}/{action}", {"reason": "duplicate"}, **auth
        )
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid_body"
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION


# --- 2. drafts and withdrawn petitions stay out of every public list, feed, dataset and count ------

DRAFT_TITLE = "Чернетка про потаємний сквер"
WITHDRAWN_TITLE = "Відкликана петиція про потаємний фонтан"


def _private_pair(hromada):
    """A draft with no category yet (as drafts may be) and a withdrawn petition."""
    author = verified_user()
    draft = services.petition_draft_create(hromada=hromada, author=author, title=DRAFT_TITLE, text="чорновик")
    withdrawn = PetitionFactory(hromada=hromada, title=WITHDRAWN_TITLE)
    services.petition_withdraw(petition=withdrawn, author=withdrawn.author)
    withdrawn.refresh_from_db()
    assert (draft.status, withdrawn.status) == (Status.DRAFT, Status.WITHDRAWN)
    return draft, withdrawn


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def _hidden(text: str, *petitions) -> None:
    for p in petitions:
        assert p.title not in text, p.status
        assert str(p.public_id) not in text, p.status


def test_drafts_and_withdrawn_petitions_are_on_no_public_surface(client, hromada, settings):
    settings.METRICS_TOKEN = ""
    public = collecting(hromada=hromada, title="Оприлюднена петиція про потаємний міст")
    draft, withdrawn = _private_pair(hromada)
    pages = {
        "list": "/petitions/",
        "list?q": "/petitions/?q=потаємний",
        "list?status=draft": "/petitions/?status=draft",
        "list?status=withdrawn": "/petitions/?status=withdrawn",
        "feed": "/petitions/feed.atom",
        "home": "/",
        "similar": "/petitions/similar?title=" + "потаємний сквер фонтан",
        "dataset.csv": "/api/v1/datasets/petitions/petitions.csv",
        "dataset.json": "/api/v1/datasets/petitions/petitions.json",
        "export.csv": "/api/v1/petitions/export.csv",
        "export.json": "/api/v1/petitions/export.json",
        "api list": "/api/v1/petitions",
        "api list?q": "/api/v1/petitions?q=потаємний",
        "api list?status=draft": "/api/v1/petitions?status=draft",
        "api list?status=withdrawn": "/api/v1/petitions?status=withdrawn",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        _hidden(_body(response), draft, withdrawn)
    listed = client.get("/api/v1/petitions").json()
    assert [p["id"] for p in (listed["items"] if isinstance(listed, dict) else listed)] == [
        str(public.public_id)
    ]
    dataset = json.loads(_body(client.get("/api/v1/datasets/petitions/petitions.json")))
    rows = dataset["rows"] if isinstance(dataset, dict) else dataset
    assert [r["id"] for r in rows] == [str(public.public_id)]
    home = client.get("/").content.decode()
    assert home.count("<strong>1</strong>") == 1  # collecting 1; consideration and answered 0
    for p in (draft, withdrawn):
        assert client.get(f"/petitions/{p.public_id}/").status_code == 404
        assert client.get(f"/api/v1/petitions/{p.public_id}").status_code == 404
    metrics = client.get("/metrics").content.decode()
    assert 'status="draft"' not in metrics  # the authors' private work is counted nowhere


def test_the_staff_statistics_leave_drafts_out(client, hromada, hromada_admin):
    collecting(hromada=hromada)
    _draft, _withdrawn = _private_pair(hromada)
    client.force_login(hromada_admin)
    response = client.get("/staff/petitions/stats/")  # a draft has no category nor submission date
    assert response.status_code == 200
    stats = response.context["stats"]
    by_status = {value: n for value, _label, n in stats["by_status"]}
    assert "draft" not in by_status
    # Withdrawn petitions were submitted: moderation's workload counts them.
    assert by_status["withdrawn"] == 1 and stats["total_petitions"] == 2
    over_time = response.context["over_time"]
    assert sum(row["submitted"] for row in over_time["months"]) == 2
    assert sum(row["published"] for row in over_time["months"]) == 1
    assert "<title>" in response.content.decode()
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "<h2" not in title and "<table" not in title  # the page's title is just its title
    csv = b"".join(client.get("/staff/petitions/stats.csv").streaming_content).decode()
    assert "month" in csv and "None" not in csv


# --- 7. the kernel's pages say what verification unlocks through the modules' own words -------------


def test_the_profile_says_what_verification_unlocks_in_the_modules_words(client, hromada):
    client.force_login(verified_user())
    page = client.get("/accounts/profile/").content.decode()
    assert 'class="eligibility"' in page
    assert "підписувати петиції" in page  # the petitions module's sentence (its eligibility hook)
    client.force_login(UserFactory())
    page = client.get("/accounts/profile/").content.decode()
    assert "«одна особа — один голос»" in page and "петиці" not in page.split("<main")[1].split("</main>")[0]


# --- 8. search inputs are bounded well under the kernel's query-string limit ---------------------------


def test_every_search_input_has_a_maxlength_of_the_search_limit(client, hromada, hromada_admin):
    import re

    from hromada.core.error_views import MAX_QUERY_STRING
    from hromada.core.search import MAX_QUERY

    assert MAX_QUERY == 200 and MAX_QUERY * 4 < MAX_QUERY_STRING  # room for the filters and encoding
    client.force_login(hromada_admin)
    pages = ["/petitions/"] + [
        f"/staff/petitions/{queue}/"
        for queue in ("moderation", "consideration", "approval", "followup", "all")
    ]
    for url in pages:
        page = client.get(url).content.decode()
        inputs = re.findall(r'<input[^>]*type="search"[^>]*>', page)
        assert inputs, url
        for tag in inputs:
            assert f'maxlength="{MAX_QUERY}"' in tag, (url, tag)


def test_without_a_revision_the_text_published_is_the_text_hashed(hromada, moderator, monkeypatch):
    """An edit slipping in after the read (no row lock on SQLite) cannot leave the ledger
    hashing one text while the row publishes another."""
    from hromada.petitions.services import moderation

    petition = PetitionFactory(hromada=hromada)
    real_locked = moderation._locked

    def locked_then_edited(p):
        fresh = real_locked(p)
        Petition.objects.filter(pk=p.pk).update(text=NEW_TEXT, revision=fresh.revision + 1)
        return fresh

    monkeypatch.setattr(moderation, "_locked", locked_then_edited)
    with pytest.raises(DomainError) as err:
        services.petition_publish(petition=petition, moderator=moderator)
    assert err.value.code == "petition_changed"
    assert Petition.objects.get(pk=petition.pk).status == Status.MODERATION
