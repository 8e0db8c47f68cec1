"""Deleting an account: personal data goes, the hromada's public record stays (that
petition signatures stay: hromada/petitions/tests/test_with_kernel.py)."""

import pytest

from hromada.accounts import services
from hromada.accounts.api_auth import token_user
from hromada.accounts.models import ApiToken, Identity, User
from hromada.accounts.tests.factories import IdentityFactory, UserFactory, staff_user, verified_user
from hromada.core.errors import DomainError
from hromada.core.tests.sample.models import Thing
from hromada.notify.models import Notification, Preference
from hromada.notify.services import notify_send

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def test_personal_data_goes_and_the_identity_is_free_again(hromada):
    user = verified_user(last_name="Коваль", first_name="Олена")
    tax_hash = user.identity.tax_hash
    Thing.objects.create(hromada=hromada, owner=user, title="моя річ")  # erased by its module
    raw = services.api_token_create(user=user, name="скрипт")[1]
    notify_send(hromada=hromada, users=[user], kind="sample.noticed", title="№1")
    Preference.objects.create(user=user, kind="sample.noticed", in_app=True, email=False)
    email = user.email

    services.user_delete_account(user=user, password=PASSWORD)

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@deleted.invalid") and email not in user.email and user.display_name == ""
    assert not Identity.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert (
        not Notification.objects.filter(user=user).exists()
        and not Preference.objects.filter(user=user).exists()
    )
    assert not Thing.objects.filter(owner=user).exists()
    # The address and the identity are free for a new account.
    again = UserFactory(email=email)
    newcomer = IdentityFactory(user=again, tax_hash=tax_hash).user
    assert newcomer.identity.tax_hash == tax_hash and newcomer.email == email
    assert token_user(raw) is None


def test_a_wrong_password_deletes_nothing():
    user = verified_user()
    with pytest.raises(DomainError) as err:
        services.user_delete_account(user=user, password="wrong")
    assert (err.value.code, err.value.field) == ("wrong_password", "password")
    user.refresh_from_db()
    assert user.is_active and Identity.objects.filter(user=user).exists()


def test_staff_accounts_are_kept_until_their_roles_are_removed(hromada):
    officer = staff_user(hromada, "officer")
    with pytest.raises(DomainError) as err:
        services.user_delete_account(user=officer, password=PASSWORD)
    assert err.value.code == "staff_account" and err.value.status == 409
    assert User.objects.get(pk=officer.pk).is_active


def test_pages(client, hromada):
    user = verified_user()
    client.force_login(user)
    assert "Видалити обліковий запис" in client.get("/accounts/profile/").content.decode()
    page = client.get("/accounts/profile/delete/")
    assert page.status_code == 200 and "Що залишиться" in page.content.decode()
    unconfirmed = client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert (
        unconfirmed.status_code == 400
        and "Позначте, що ви розумієте наслідки." in unconfirmed.content.decode()
    )
    wrong = client.post("/accounts/profile/delete/", {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "Неправильний пароль." in wrong.content.decode()
    assert User.objects.get(pk=user.pk).is_active
    done = client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Обліковий запис видалено" in done.content.decode()
    assert not User.objects.get(pk=user.pk).is_active
    assert client.get("/accounts/profile/").status_code == 302  # logged out


def test_staff_page_explains_the_refusal(client, hromada):
    officer = staff_user(hromada, "officer")
    client.force_login(officer)
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 409
    assert "адміністратор громади не зніме ролі" in response.content.decode()
