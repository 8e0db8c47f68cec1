"""Petitions working with the kernel: what the kernel's own tests check against the
test-only sample module, checked here for the real module (they moved here so the
kernel's tests pass without petitions): the account deletion that keeps signatures,
the metrics, the staff console by role, the ledger of real signatures and the
petitions pages in both languages."""

import gettext
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext
from prometheus_client.parser import text_string_to_metric_families

from hromada.accounts import services as account_services
from hromada.accounts.tests.factories import IdentityFactory, UserFactory, verified_user
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_seal
from hromada.ledger.verify import verify_database, verify_export
from hromada.petitions import services
from hromada.petitions.models import Signature, Status
from hromada.petitions.tests.factories import PetitionFactory, collecting

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


# --- deleting an account (accounts) ---------------------------------------------------------------


def test_deleting_an_account_keeps_its_signatures_and_the_person_cannot_sign_again(hromada):
    user = verified_user(last_name="Коваль", first_name="Олена")
    tax_hash = user.identity.tax_hash
    petition = collecting(hromada=hromada)
    services.petition_sign(petition=petition, user=user)
    published_name = Signature.objects.get(petition=petition).signer_name
    assert "Коваль" in published_name
    email = user.email

    account_services.user_delete_account(user=user, password=PASSWORD)

    user.refresh_from_db()
    assert not user.is_active and user.email.endswith("@deleted.invalid")
    signature = Signature.objects.get(petition=petition)
    assert signature.signer_name == published_name and signature.person_key == tax_hash
    # The address and the identity are free for a new account, but the same person
    # cannot sign the same petition again.
    again = UserFactory(email=email)
    newcomer = IdentityFactory(user=again, tax_hash=tax_hash).user
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=petition, user=newcomer)
    assert err.value.code == "already_signed"


# --- metrics (core) -------------------------------------------------------------------------------


def test_metrics_count_petitions_by_status_and_their_signatures(client, hromada):
    collecting(hromada=hromada, signature_count=3)
    collecting(hromada=hromada, signature_count=4)
    PetitionFactory(hromada=hromada, status=Status.MODERATION)
    response = client.get("/metrics")
    assert response.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(response.content.decode())}
    petitions = {
        (s.labels["hromada"], s.labels["status"]): s.value for s in families["hromada_petitions"].samples
    }
    assert petitions[(hromada.slug, "collecting")] == 2
    assert petitions[(hromada.slug, "moderation")] == 1
    signatures = {s.labels["hromada"]: s.value for s in families["hromada_petition_signatures"].samples}
    assert signatures[hromada.slug] == 7


# --- the staff console by role (accounts) ---------------------------------------------------------


def test_staff_console_shows_the_petitions_sections_each_role_may_open(client, hromada, moderator, officer):
    client.force_login(moderator)
    page = client.get("/staff/").content.decode()
    assert "/staff/petitions/moderation/" in page and "/staff/petitions/stats/" in page
    assert "/staff/petitions/consideration/" not in page and "/staff/roles/" not in page
    client.force_login(officer)
    page = client.get("/staff/").content.decode()
    assert "/staff/petitions/consideration/" in page and "/staff/verify/" in page
    assert "/staff/petitions/moderation/" not in page


# --- notification preferences (notify) -------------------------------------------------------------


def test_the_preferences_page_offers_the_petitions_kinds_and_staff_kinds_only_to_staff(
    client, hromada, resident, moderator
):
    client.force_login(resident)
    html = client.get("/notifications/preferences/").content.decode()
    assert "Опубліковано відповідь на петицію" in html
    assert "Прострочено модерацію" not in html  # staff kinds only for staff
    client.force_login(moderator)
    html = client.get("/notifications/preferences/").content.decode()
    assert "Прострочено модерацію петиції" in html and "Опубліковано відповідь на петицію" in html


# --- the ledger of real signatures (ledger) -------------------------------------------------------


def test_real_signatures_are_sealed_and_verify(client, hromada, other_hromada, capsys):
    petition = collecting(hromada=hromada)
    for _ in range(3):
        services.petition_sign(petition=petition, user=verified_user())
    services.petition_sign(petition=collecting(hromada=other_hromada), user=verified_user())
    signed = LedgerEntry.objects.filter(hromada=hromada, kind="petition.signed")
    assert signed.count() == 3
    assert {e.payload["petition"] for e in signed} == {str(petition.public_id)}
    head = ledger_seal(hromada=hromada)
    assert head.tree_size == LedgerEntry.objects.filter(hromada=hromada).count()
    call_command("ledger_verify", "--hromada", hromada.slug)
    assert f"{hromada.slug}: OK" in capsys.readouterr().out
    document = json.loads(b"".join(client.get("/ledger/export.json").streaming_content))
    assert verify_export(document).root_hash == verify_database(hromada=hromada).root_hash == head.root_hash
    assert "Петицію підписано" in client.get("/ledger/").content.decode()


# --- the petitions pages in both languages (core: test_i18n.py) -----------------------------------


def test_the_petitions_catalogue_is_loaded_by_django():
    locale_dir = Path(apps.get_app_config("petitions").path) / "locale"
    assert locale_dir.is_dir()
    for lang in ("en", "uk"):
        with open(locale_dir / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        with translation.override(lang):
            assert translation.gettext("Електронні петиції") == compiled.gettext("Електронні петиції")
    with translation.override("en"):
        assert translation.gettext("Електронні петиції") == "E-petitions"


def test_ukrainian_plural_forms_of_the_petitions_messages_follow_the_grammar():
    def found(n):
        return ngettext("Знайдено %(n)s петицію", "Знайдено %(n)s петицій", n) % {"n": n}

    with translation.override("uk"):
        assert [found(n) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111)] == [
            "Знайдено 1 петицію",
            "Знайдено 2 петиції",
            "Знайдено 4 петиції",
            "Знайдено 5 петицій",
            "Знайдено 11 петицій",
            "Знайдено 12 петицій",
            "Знайдено 21 петицію",
            "Знайдено 22 петиції",
            "Знайдено 25 петицій",
            "Знайдено 101 петицію",
            "Знайдено 111 петицій",
        ]
    with translation.override("en"):
        assert [found(n) for n in (1, 2, 21)] == [
            "1 petition found",
            "2 petitions found",
            "21 petitions found",
        ]


@pytest.fixture
def two_petitions(hromada):
    return [collecting(hromada=hromada), collecting(hromada=hromada)]


def _page(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_petitions_pages_render_in_english_with_the_language_cookie(client, two_petitions):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    home = _page(client, "/")
    assert '<html lang="en">' in home
    assert "E-petitions" in home and "Create a petition" in home
    assert "Електронні петиції" not in home and "Створити петицію" not in home

    petitions = _page(client, "/petitions/")
    assert '<html lang="en">' in petitions
    assert "2 petitions found" in petitions and "Petition search and filters" in petitions
    assert "Collecting signatures" in petitions
    assert "Знайдено" not in petitions and "Збір підписів" not in petitions


@pytest.mark.parametrize(
    "cookie, headers",
    [
        (None, {}),
        ("uk", {}),
        # The state-language law: the browser's Accept-Language alone does not switch the site.
        (None, {"HTTP_ACCEPT_LANGUAGE": "en"}),
        ("uk", {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}),
        ("xx", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ],
)
def test_petitions_pages_render_in_ukrainian_by_default_and_with_the_uk_cookie(
    client, two_petitions, cookie, headers
):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    home = _page(client, "/", **headers)
    assert '<html lang="uk">' in home
    assert "Електронні петиції" in home and "Створити петицію" in home
    assert "E-petitions" not in home

    petitions = _page(client, "/petitions/", **headers)
    assert "Знайдено 2 петиції" in petitions and "Збір підписів" in petitions
    assert "petitions found" not in petitions


def test_english_cookie_wins_over_a_ukrainian_browser_on_the_petitions_pages(client, two_petitions):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "2 petitions found" in _page(client, "/petitions/", HTTP_ACCEPT_LANGUAGE="uk")


def test_page_cache_keeps_the_languages_of_the_petitions_pages_apart(client, settings, two_petitions):
    settings.PAGE_CACHE_SECONDS = 60
    assert "Знайдено 2 петиції" in _page(client, "/petitions/")
    assert "Електронні петиції" in _page(client, "/")
    client.get("/lang/en/?next=/")
    assert "2 petitions found" in _page(client, "/petitions/")
    assert "E-petitions" in _page(client, "/")
    client.get("/lang/uk/?next=/")
    assert "Знайдено 2 петиції" in _page(client, "/petitions/")
