"""The account's data export: everything held about the person, nothing about others;
one part per module, so two modules can never overwrite each other's data."""

import json

import pytest

from hromada.accounts import selectors, services
from hromada.accounts.tests.factories import verified_user
from hromada.core.modules import Module, RegistryError, registry
from hromada.core.tests.sample.models import Thing
from hromada.notify.services import notify_send

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_data_and_nobody_elses(hromada, other_hromada):
    user = verified_user(last_name="Коваль", first_name="Олена")
    other = verified_user(last_name="Сидоренко")
    Thing.objects.create(hromada=hromada, owner=user, title="моя річ")
    Thing.objects.create(hromada=other_hromada, owner=other, title="чужа річ")
    services.api_token_create(user=user, name="скрипт")
    notify_send(hromada=hromada, users=[user, other], kind="sample.noticed", title="Відповідь №1")

    data = selectors.user_personal_data(user=user)
    text = json.dumps(data, ensure_ascii=False)

    assert data["accounts"]["account"]["email"] == user.email
    assert data["accounts"]["identity"]["last_name"] == "Коваль"
    assert [t["name"] for t in data["accounts"]["api_tokens"]] == ["скрипт"]
    assert [n["title"] for n in data["notify"]["notifications"]] == ["Відповідь №1"]
    assert data["sample"] == ["моя річ"]
    assert user.identity.tax_hash not in text  # the hash is not personal data to hand out
    assert "Сидоренко" not in text and other.email not in text and "чужа річ" not in text
    assert "token_hash" not in text


def test_every_module_with_an_exporter_has_its_own_part(hromada):
    user = verified_user()
    data = selectors.user_personal_data(user=user)
    exporting = {m.label for m in registry if m.personal_data_export}
    assert {"accounts", "notify", "sample"} <= exporting
    assert set(data) == {"exported_at"} | exporting


def test_a_module_listing_personal_models_without_an_exporter_is_refused():
    with pytest.raises(RegistryError, match="no exporter"):
        registry.register(
            Module(label="forgetful", name="F", event_prefix="forgetful", personal_models=("x.Y",))
        )
    with pytest.raises(RegistryError, match="kept_on_erase"):
        registry.register(
            Module(
                label="forgetful",
                name="F",
                event_prefix="forgetful",
                personal_models=("x.Y",),
                personal_data_export=lambda *, user: {},
            )
        )
    assert "forgetful" not in registry


def test_deleting_the_account_runs_every_modules_eraser(hromada):
    user = verified_user()
    Thing.objects.create(hromada=hromada, owner=user, title="моя річ")
    services.user_delete_account(user=user, password="correct horse battery")
    assert not Thing.objects.filter(owner=user).exists()


def test_the_page_downloads_it_for_the_logged_in_person_only(client, hromada):
    assert client.get("/accounts/profile/data.json").status_code == 302
    user = verified_user()
    client.force_login(user)
    assert "Завантажити мої дані" in client.get("/accounts/profile/").content.decode()
    response = client.get("/accounts/profile/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json()["accounts"]["account"]["email"] == user.email
