"""The account's data export: everything held about the person, nothing about others."""

import json

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from hromada.accounts import selectors, services
from hromada.accounts.tests.factories import verified_user
from hromada.notify.services import notify_send
from hromada.petitions import services as petition_services
from hromada.petitions.tests.factories import PetitionFactory, collecting

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_data_and_nobody_elses(hromada, other_hromada):
    user = verified_user(last_name="Коваль", first_name="Олена")
    other = verified_user(last_name="Сидоренко")
    mine = collecting(hromada=hromada, title="Освітлення на вулиці Лісовій")
    elsewhere = collecting(hromada=other_hromada)
    for petition in (mine, elsewhere):
        petition_services.petition_sign(petition=petition, user=user)
    petition_services.petition_sign(petition=mine, user=other)
    PetitionFactory(hromada=hromada, author=user, title="Моя петиція про сквер біля школи")
    services.api_token_create(user=user, name="скрипт")
    notify_send(hromada=hromada, users=[user, other], kind="petition_answered", title="Відповідь №1")

    data = selectors.user_personal_data(user=user)
    text = json.dumps(data, ensure_ascii=False)

    assert data["account"]["email"] == user.email
    assert data["identity"]["last_name"] == "Коваль"
    assert {s["petition"] for s in data["signatures"]} == {str(mine.public_id), str(elsewhere.public_id)}
    assert [p["title"] for p in data["petitions"]] == ["Моя петиція про сквер біля школи"]
    assert [t["name"] for t in data["api_tokens"]] == ["скрипт"]
    assert [n["title"] for n in data["notifications"]] == ["Відповідь №1"]
    assert user.identity.tax_hash not in text  # the hash is not personal data to hand out
    assert "Сидоренко" not in text and other.email not in text
    assert "token_hash" not in text


def test_every_exporter_contributes_its_own_keys(hromada):
    user = verified_user()
    data = selectors.user_personal_data(user=user)
    for path in settings.PERSONAL_DATA_EXPORTERS:
        part = import_string(path)(user=user)
        assert part and set(part) <= set(data), path


def test_the_page_downloads_it_for_the_logged_in_person_only(client, hromada):
    assert client.get("/accounts/profile/data.json").status_code == 302
    user = verified_user()
    client.force_login(user)
    assert "Завантажити мої дані" in client.get("/accounts/profile/").content.decode()
    response = client.get("/accounts/profile/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json()["account"]["email"] == user.email
