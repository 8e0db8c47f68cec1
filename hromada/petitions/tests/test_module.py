"""Petitions as a module of the platform: its settings, its switch, its part of the
personal data, its datasets and its declarations."""

import pytest

from hromada.accounts import selectors as account_selectors
from hromada.accounts.tests.factories import verified_user
from hromada.core.checks import check_modules
from hromada.core.modules import registry
from hromada.ledger.models import LedgerEntry
from hromada.petitions import services
from hromada.petitions.models import PetitionSettings, Signature
from hromada.petitions.tests.factories import PetitionFactory, collecting
from hromada.petitions.tests.test_edge import edge_sign, token_for
from hromada.tenancy import services as tenancy_services

pytestmark = pytest.mark.django_db


def test_petitions_declare_themselves_and_pass_the_checks():
    module = registry.get("petitions")
    assert module is not None and not module.kernel
    assert set(module.ledger_kinds) >= {"petition.signed", "petition.answered"}
    assert registry.is_notification_kind("petition.answered")
    assert check_modules() == []


def test_settings_page_changes_the_rules_for_new_petitions_only(client, hromada, hromada_admin, resident):
    old = PetitionFactory(hromada=hromada)
    client.force_login(hromada_admin)
    data = {
        "threshold": "100",
        "collection_days": "60",
        "moderation_days": "2",
        "consideration_days": "10",
        "min_age": "14",
        "sign_level": "verified",
        "submit_level": "verified",
        "signer_names": "initials",
        "answered_by": "Міський голова",
        # sign_after_threshold: an unticked box, so signing stops at the threshold
        "extension_max_days": "45",
    }
    assert client.post("/staff/settings/petitions/", data).status_code == 302
    row = PetitionSettings.objects.get(hromada=hromada)
    assert (row.threshold, row.min_age, row.signer_names) == (100, 14, "initials")
    assert (row.sign_after_threshold, row.answered_by) == (False, "Міський голова")
    entry = LedgerEntry.objects.get(hromada=hromada, kind="hromada.settings_changed")
    assert entry.payload["module"] == "petitions" and entry.payload["changed"]["threshold"] == 100
    bad = client.post("/staff/settings/petitions/", data | {"threshold": "0"})
    assert bad.status_code == 400
    assert PetitionSettings.objects.get(hromada=hromada).threshold == 100
    old.refresh_from_db()
    assert old.threshold == 3  # a running petition keeps the rules it was submitted under
    assert old.sign_after_threshold is True
    from hromada.petitions import services
    from hromada.petitions.tests.factories import CategoryFactory
    from hromada.tenancy.models import Hromada

    fresh = Hromada.objects.get(pk=hromada.pk)  # as the next request reads it
    new = services.petition_submit(
        hromada=fresh,
        author=resident,
        title="Новий тротуар на вулиці Лесі Українки",
        text="Просимо збудувати тротуар на вулиці Лесі Українки, бо люди ходять проїжджою частиною.",
        category=CategoryFactory(hromada=hromada),
    )
    assert (new.threshold, new.sign_after_threshold) == (100, False)  # fixed at submission


def test_switched_off_petitions_answer_as_absent_everywhere(client, hromada, hromada_admin):
    petition = collecting(hromada=hromada)
    user = verified_user()
    token = token_for(user)
    tenancy_services.module_switch_set(
        actor=hromada_admin, hromada=hromada, module="petitions", enabled=False
    )
    assert client.get("/petitions/").status_code == 404
    assert client.get(f"/petitions/{petition.public_id}/").status_code == 404
    assert client.get("/api/v1/petitions").status_code == 404
    assert client.get("/api/v1/datasets/petitions/petitions.csv").status_code == 404
    assert edge_sign(petition, token) is None  # handed to Django, which answers 404
    refused = client.post(
        f"/api/v1/petitions/{petition.public_id}/sign", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert refused.status_code == 404
    assert not Signature.objects.exists()
    assert 'href="/petitions/"' not in client.get("/").content.decode()
    tenancy_services.module_switch_set(actor=hromada_admin, hromada=hromada, module="petitions", enabled=True)
    assert client.get("/petitions/").status_code == 200


def test_the_dataset_matches_the_export(client, hromada):
    collecting(hromada=hromada, title="Освітлення на вулиці Лісовій")
    generic = b"".join(client.get("/api/v1/datasets/petitions/petitions.json").streaming_content)
    legacy = b"".join(client.get("/api/v1/petitions/export.json").streaming_content)
    assert generic == legacy and "Лісовій".encode() in generic
    fields = [f.name for f in registry.dataset("petitions", "petitions")[1].fields]
    header = b"".join(client.get("/api/v1/datasets/petitions/petitions.csv").streaming_content)
    assert header.decode().lstrip("\ufeff").splitlines()[0].split(",") == fields


def test_the_personal_data_export_has_the_petitions_part(hromada, other_hromada):
    user = verified_user()
    mine = collecting(hromada=hromada)
    elsewhere = collecting(hromada=other_hromada)
    for petition in (mine, elsewhere):
        services.petition_sign(petition=petition, user=user)
    PetitionFactory(hromada=hromada, author=user, title="Моя петиція про сквер біля школи")
    part = account_selectors.user_personal_data(user=user)["petitions"]
    assert {s["petition"] for s in part["signatures"]} == {str(mine.public_id), str(elsewhere.public_id)}
    assert [p["title"] for p in part["petitions"]] == ["Моя петиція про сквер біля школи"]
