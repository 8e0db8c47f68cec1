"""The pages a resident reads and signs: the count and the signer list agree, who may
not sign is told why beforehand, signing after the threshold, following, sharing,
thumbnails, the receipt explained, "how it works" from the hromada's own rules."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.notify.models import Notification
from hromada.petitions import selectors, services
from hromada.petitions.models import Attachment, Follow, Petition, Signature, Status
from hromada.petitions.tests.factories import collecting
from hromada.tenancy.services import module_settings_update

pytestmark = pytest.mark.django_db


def _teen():
    today = timezone.localdate()
    return verified_user(birth_date=today.replace(year=today.year - 14, day=min(today.day, 28)))


# --- defect 4: the count and the list ----------------------------------------------------------


def test_the_polled_count_brings_the_signer_list_along(client, hromada):
    """Defect 4: the page polled "5 з 25" while its list still said nobody had signed."""
    petition = collecting(hromada=hromada, threshold=25)
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "Ще ніхто не підписав." in page
    assert 'name="listed" value="0"' in page  # what the list was drawn with goes back with each poll
    for _ in range(5):
        services.petition_sign(petition=petition, user=verified_user())
    poll = client.get(
        f"/petitions/{petition.public_id}/count",
        {"listed": "0", "signers_page": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<strong>5</strong>" in poll
    assert 'id="signers" hx-swap-oob="innerHTML"' in poll
    assert poll.count("<li>") == 5 and "Ще ніхто не підписав." not in poll
    # Nothing moved since: the list is not sent again; on another page it is left alone.
    again = client.get(
        f"/petitions/{petition.public_id}/count", {"listed": "5", "signers_page": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-swap-oob" not in again
    paged = client.get(
        f"/petitions/{petition.public_id}/count", {"listed": "0", "signers_page": "2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-swap-oob" not in paged


def test_the_page_draws_count_and_list_from_one_number(client, hromada):
    """A count a moment old (the live count's cache) and the rows read now cannot disagree
    on one page: the list is paged over the very count the counter shows."""
    from django.core.cache import cache

    petition = collecting(hromada=hromada, threshold=25)
    for _ in range(2):
        services.petition_sign(petition=petition, user=verified_user())
    cache.set(f"petition:{petition.pk}:count", 1, 60)  # as another process counted a moment ago
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "<strong>1</strong>" in page
    signers = re.search(r'<ol class="signers".*?</ol>', page, re.S).group(0)
    assert signers.count("<li>") == 1
    assert "Усього підписантів: 1" in page


# --- defect 7: who may not sign sees why, before pressing anything ---------------------------------


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("teen", "Підписувати петиції можна з 16 років."),
        ("unverified", "Підписувати петиції можуть лише особи з підтвердженою особою"),
        ("no_birth_date", "Неможливо перевірити ваш вік"),
    ],
)
def test_who_may_not_sign_sees_why_and_no_active_button(client, hromada, who, reason):
    petition = collecting(hromada=hromada)
    user = {
        "teen": _teen,
        "unverified": UserFactory,
        "no_birth_date": lambda: verified_user(birth_date=None),
    }[who]()
    client.force_login(user)
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert reason in page
    assert 'id="sign-reason"' in page
    button = re.search(r"<button[^>]*id=\"sign-button\"[^>]*>", page).group(0)
    assert "disabled" in button and 'aria-describedby="sign-reason"' in button
    assert f'action="/petitions/{petition.public_id}/sign"' not in page  # no form to submit
    # The reason is the one the service gives when asked anyway.
    response = client.post(f"/petitions/{petition.public_id}/sign", HTTP_HX_REQUEST="true")
    assert reason in response.content.decode()
    assert not Signature.objects.exists()


def test_an_eligible_resident_gets_the_form_and_an_anonymous_visitor_a_login(client, hromada):
    petition = collecting(hromada=hromada)
    anonymous = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "Увійдіть, щоб підписати" in anonymous and 'id="sign-button"' not in anonymous
    client.force_login(verified_user())
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert f'action="/petitions/{petition.public_id}/sign"' in page
    assert "sign-reason" not in page


def test_in_person_verification_elsewhere_is_explained(client, hromada, other_hromada):
    from hromada.petitions.tests.test_services import _verified_in_person_in

    user = _verified_in_person_in(other_hromada)
    petition = collecting(hromada=hromada)
    client.force_login(user)
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "ЦНАП іншої громади" in page


def test_eligibility_speaks_the_petition_rules(hromada):
    """What the kernel repeats after a verification (module.py `eligibility`)."""
    from hromada.accounts.selectors import eligibility_for

    teen = _teen()
    said = eligibility_for(user=teen, hromada=hromada)
    assert "Підписувати петиції можна з 16 років." in said
    assert not any("підписувати петиції" in s and "Тепер" in s for s in said)
    adult = eligibility_for(user=verified_user(), hromada=hromada)
    assert "Тепер ви можете подавати й підписувати петиції." in adult
    assert selectors.petition_eligibility(user=teen, hromada=hromada) == [
        "Тепер ви можете подавати петиції.",
        "Підписувати петиції можна з 16 років.",
    ]


# --- signing after the threshold -------------------------------------------------------------------


def test_signing_goes_on_after_the_threshold_until_the_period_ends(client, hromada):
    petition = collecting(hromada=hromada, threshold=2)
    for _ in range(2):
        services.petition_sign(petition=petition, user=verified_user())
    services.petitions_tick()
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION
    late = verified_user()
    services.petition_sign(petition=petition, user=late)  # support beyond the threshold counts
    services.petitions_tick()
    petition.refresh_from_db()
    assert petition.signature_count == 3 and petition.status == Status.CONSIDERATION
    client.force_login(verified_user())
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "Поріг досягнуто, але підписувати можна й далі." in page
    assert 'id="sign-button"' in page
    # At the period's end signing stops, whatever the state.
    Petition.objects.filter(pk=petition.pk).update(
        collection_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    services.signing.signing_cache_clear()
    petition.refresh_from_db()
    with pytest.raises(Exception) as err:
        services.petition_sign(petition=petition, user=verified_user())
    assert err.value.code == "petition_closed"


def test_a_petition_submitted_under_stop_at_threshold_rules_keeps_them(hromada, hromada_admin):
    petition = collecting(hromada=hromada, threshold=1, sign_after_threshold=False)
    services.petition_sign(petition=petition, user=verified_user())
    services.petitions_tick()
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION
    module_settings_update(
        actor=hromada_admin, hromada=hromada, module="petitions", sign_after_threshold=True
    )
    with pytest.raises(Exception) as err:
        services.petition_sign(petition=petition, user=verified_user())
    assert err.value.code == "petition_closed"


# --- following -------------------------------------------------------------------------------------


def test_follow_and_unfollow_over_htmx_and_the_database_keeps_one(client, hromada):
    from django.db import IntegrityError, transaction

    petition = collecting(hromada=hromada)
    user = verified_user()
    client.force_login(user)
    response = client.post(f"/petitions/{petition.public_id}/follow", {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert "Не відстежувати" in response.content.decode() and "<html" not in response.content.decode()
    client.post(f"/petitions/{petition.public_id}/follow", {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert Follow.objects.filter(petition=petition, user=user).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(hromada=hromada, petition=petition, user=user, created_at=timezone.now())
    response = client.post(f"/petitions/{petition.public_id}/follow", {"follow": "0"})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_followers_are_told_what_signers_are_told(hromada):
    petition = collecting(hromada=hromada, threshold=1)
    follower = UserFactory()
    services.petition_follow(petition=petition, user=follower)
    signer = verified_user()
    assert set(selectors.petition_audience(petition)) == {petition.author, follower}
    services.petition_sign(petition=petition, user=signer)
    assert set(selectors.petition_audience(petition)) == {petition.author, follower, signer}
    services.petition_reach_threshold(petition=petition)
    told = set(
        Notification.objects.filter(kind="petition.threshold_reached").values_list("user_id", flat=True)
    )
    assert {petition.author_id, follower.pk, signer.pk} <= told


def test_follows_go_with_the_account_and_are_in_its_export(hromada):
    petition = collecting(hromada=hromada)
    user = UserFactory()
    services.petition_follow(petition=petition, user=user)
    assert selectors.personal_data(user=user)["follows"][0]["petition"] == str(petition.public_id)
    services.follows_erase(user=user)
    assert not Follow.objects.exists()


def test_an_unpublished_petition_cannot_be_followed(hromada):
    from hromada.petitions.tests.factories import PetitionFactory

    with pytest.raises(Exception) as err:
        services.petition_follow(petition=PetitionFactory(hromada=hromada), user=UserFactory())
    assert err.value.code == "not_public"


# --- the receipt ------------------------------------------------------------------------------------


def test_the_receipt_is_explained_and_shown_again_while_signed(client, hromada):
    petition = collecting(hromada=hromada)
    user = verified_user()
    client.force_login(user)
    response = client.post(f"/petitions/{petition.public_id}/sign", HTTP_HX_REQUEST="true").content.decode()
    signature = Signature.objects.get()
    receipt = services.signer_pseudonym(petition=petition, person_key=signature.person_key)
    assert receipt in response
    assert "псевдонім у публічному реєстрі" in response
    assert f'href="/ledger/receipt/?receipt={receipt}"' in response
    later = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert receipt in later and "Перевірити в публічному реєстрі" in later


# --- sharing ---------------------------------------------------------------------------------------


def test_share_box_open_graph_card_qr_and_poster(client, hromada):
    from PIL import Image

    petition = collecting(hromada=hromada, threshold=3, title="Відновити освітлення в парку Шевченка")
    services.petition_sign(petition=petition, user=verified_user())
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    url = f"http://testserver/petitions/{petition.public_id}/"
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="№' in page
    assert re.search(r'<meta property="og:description" content="1 з 3 підписів', page)
    assert (
        f'<meta property="og:image" content="http://testserver/petitions/{petition.public_id}/card.png">'
        in page
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert "https://t.me/share/url?url=http%3A%2F%2Ftestserver" in page
    assert "https://www.facebook.com/sharer/sharer.php?u=" in page and "mailto:?subject=" in page
    assert '<script src="http' not in page  # no third-party scripts
    card = client.get(f"/petitions/{petition.public_id}/card.png")
    assert card["Content-Type"] == "image/png" and "max-age" in card["Cache-Control"]
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)
    qr = client.get(f"/petitions/{petition.public_id}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<svg")
    poster = client.get(f"/petitions/{petition.public_id}/poster").content.decode()
    assert (
        "Відновити освітлення в парку Шевченка" in poster
        and f"testserver/petitions/{petition.number}<" in poster
    )
    short = client.get(f"/petitions/{petition.number}/")
    assert short.status_code == 301 and short["Location"] == f"/petitions/{petition.public_id}/"


def test_the_qr_code_decodes_to_the_short_address(client, hromada):
    """segno's own reader is not installed; check the encoded payload instead."""
    import segno

    petition = collecting(hromada=hromada)
    expected = segno.make(f"http://testserver/petitions/{petition.number}/", error="q")
    svg = client.get(f"/petitions/{petition.public_id}/qr.svg").content
    assert (
        f'viewBox="0 0 {expected.symbol_size(border=2)[0]} {expected.symbol_size(border=2)[1]}"'.encode()
        in svg
    )


# --- photos ----------------------------------------------------------------------------------------


def _photo(width=2000, height=1500) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("park.jpg", out.getvalue(), "image/jpeg")


def test_photos_are_thumbnails_generated_once_and_pdfs_listed_with_size(client, hromada, settings):
    from PIL import Image

    petition = collecting(hromada=hromada)
    photo = Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=_photo(),
        original_name="park.jpg",
        content_type="image/jpeg",
        size=1,
    )
    pdf = Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 6000, "application/pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=5_976_883,
    )
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    thumb_url = f"/petitions/{petition.public_id}/files/{photo.pk}/thumbnail"
    assert f'src="{thumb_url}"' in page and 'alt="park.jpg"' in page
    assert "plan.pdf" in page and "5,7\xa0МБ" in page
    response = client.get(thumb_url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(image.size) == 480 and image.format == "JPEG"
    stored = list((settings.MEDIA_ROOT / "petition-thumbs").rglob("*.jpg"))
    assert len(stored) == 1
    client.get(thumb_url)
    assert list((settings.MEDIA_ROOT / "petition-thumbs").rglob("*.jpg")) == stored  # written once
    assert client.get(f"/petitions/{petition.public_id}/files/{pdf.pk}/thumbnail").status_code == 404


def test_a_broken_image_gets_no_thumbnail_and_no_500(client, hromada):
    petition = collecting(hromada=hromada)
    broken = Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=SimpleUploadedFile("x.png", b"\x89PNG not really", "image/png"),
        original_name="x.png",
        content_type="image/png",
        size=10,
    )
    assert client.get(f"/petitions/{petition.public_id}/files/{broken.pk}/thumbnail").status_code == 404


# --- how it works, cards ---------------------------------------------------------------------------


def test_how_it_works_comes_from_the_hromadas_own_rules(client, hromada, hromada_admin):
    module_settings_update(
        actor=hromada_admin,
        hromada=hromada,
        module="petitions",
        threshold=1234,
        collection_days=45,
        consideration_days=7,
        min_age=14,
        answered_by="Сільський голова",
    )
    for path in ("/petitions/", "/"):
        page = client.get(path).content.decode()
        assert "Як це працює" in page
        assert "1\xa0234" in page and "45 днів" in page and "7 робочих днів" in page
        assert "з 14 років" in page and "Сільський голова" in page
        assert "Образлива або нецензурна лексика" in page  # a rejection reason


def test_list_cards_show_progress_and_days_left(client, hromada):
    p = collecting(
        hromada=hromada, threshold=4, collection_ends_at=timezone.now() + dt.timedelta(days=9, hours=1)
    )
    Petition.objects.filter(pk=p.pk).update(signature_count=1)
    ended = collecting(hromada=hromada, status=Status.UNSUCCESSFUL, collection_ends_at=timezone.now())
    page = client.get("/petitions/").content.decode()
    assert "10 днів залишилось" in page
    assert 'class="pct-25"' in page
    assert "збір підписів завершено" in page and ended.title in page
    assert '<details class="filter-more"' in page


# --- the API ---------------------------------------------------------------------------------------


def test_api_tells_the_signing_rule_and_follows(client, hromada):
    import json

    from hromada.accounts import services as account_services

    petition = collecting(hromada=hromada)
    detail = client.get(f"/api/v1/petitions/{petition.public_id}").json()
    assert detail["sign_after_threshold"] is True and detail["signing_open"] is True
    user = UserFactory()
    _row, raw = account_services.api_token_create(user=user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    path = f"/api/v1/petitions/{petition.public_id}/follow"
    assert client.post(path, **auth).json() == {"following": True}
    assert client.post(path, **auth).status_code == 200  # idempotent
    assert Follow.objects.filter(user=user).count() == 1
    assert client.delete(path, **auth).json() == {"following": False}
    assert not Follow.objects.exists()
    assert json.loads(client.post(path).content)["code"] == "authentication_required"


def test_my_signatures_lists_receipts_and_follows_of_this_hromada_only(client, hromada, other_hromada):
    user = verified_user()
    mine = collecting(hromada=hromada, title="Відкрити гурток робототехніки в центрі творчості")
    elsewhere = collecting(hromada=other_hromada, title="Петиція іншої громади про дороги")
    followed = collecting(hromada=hromada, title="Облаштувати скейт-майданчик біля стадіону")
    services.petition_sign(petition=mine, user=user)
    services.petition_sign(petition=elsewhere, user=user)
    services.petition_follow(petition=followed, user=user)
    assert client.get("/petitions/signed/").status_code == 302  # log in first
    client.force_login(user)
    page = client.get("/petitions/signed/").content.decode()
    receipt = services.signer_pseudonym(
        petition=mine, person_key=Signature.objects.get(petition=mine).person_key
    )
    assert mine.title in page and receipt in page and f"/ledger/receipt/?receipt={receipt}" in page
    assert elsewhere.title not in page
    assert followed.title in page


@pytest.mark.parametrize("path", ["99999999999999999999999", "0", "١٢", "999999999"])
def test_odd_short_addresses_are_404_not_500(client, hromada, path):
    assert client.get(f"/petitions/{path}/").status_code == 404
