"""Changing the account's e-mail: a link to the new address, a notice to the old one,
nothing changes until the link is followed."""

import pytest
from django.core import mail

from hromada.accounts import services
from hromada.accounts.models import User
from hromada.accounts.services import users
from hromada.accounts.tests.factories import UserFactory
from hromada.core.errors import DomainError

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def link_token(message) -> str:
    return message.body.split("/accounts/email/change/")[1].split("/")[0]


def request_change(user, new="new@example.test", password=PASSWORD):
    services.user_request_email_change(
        user=user, new_email=new, password=password, site_url="http://hromada.example.test/"
    )


def test_the_link_goes_to_the_new_address_and_the_old_one_is_told():
    user = UserFactory(email="old@example.test")
    request_change(user, new="New@Example.test")
    to_new, to_old = mail.outbox
    assert (
        to_new.to == ["new@example.test"]
        and "http://hromada.example.test/accounts/email/change/" in to_new.body
    )
    assert to_old.to == ["old@example.test"] and "new@example.test" in to_old.body
    assert "/accounts/email/change/" not in to_old.body  # the old address cannot move the account
    user.refresh_from_db()
    assert user.email == "old@example.test"  # nothing changes until the link is followed
    changed = services.user_confirm_email_change(token=link_token(to_new))
    assert changed.email == "new@example.test" and changed.email_confirmed
    assert services.user_confirm_email_change(token=link_token(to_new)).email == "new@example.test"  # twice


@pytest.mark.parametrize(
    ("new", "password", "code", "field"),
    [
        ("new@example.test", "wrong", "wrong_password", "password"),
        ("not-an-email", PASSWORD, "invalid_email", "email"),
        ("old@example.test", PASSWORD, "email_unchanged", "new_email"),
        ("TAKEN@example.test", PASSWORD, "email_taken", "new_email"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(new, password, code, field):
    UserFactory(email="taken@example.test")
    user = UserFactory(email="old@example.test")
    with pytest.raises(DomainError) as err:
        request_change(user, new=new, password=password)
    assert (err.value.code, err.value.field) == (code, field)
    assert mail.outbox == []


def test_an_account_without_a_password_needs_only_its_session():
    user = UserFactory(email="old@example.test")
    user.set_unusable_password()
    user.save()
    request_change(user, password="")
    assert mail.outbox[0].to == ["new@example.test"]


def test_requests_are_throttled():
    user = UserFactory(email="old@example.test")
    request_change(user)
    with pytest.raises(DomainError) as err:
        request_change(user, new="other@example.test")
    assert err.value.code == "resend_too_soon" and err.value.status == 429


def test_a_failed_send_is_reported_and_can_be_retried(monkeypatch):
    user = UserFactory(email="old@example.test")

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(users, "send_mail", broken)
    with pytest.raises(DomainError) as err:
        request_change(user)
    assert err.value.code == "email_send_failed" and err.value.status == 503
    monkeypatch.undo()
    request_change(user)  # not throttled by the failed attempt
    assert len(mail.outbox) == 2


def test_stale_forged_and_taken_links_are_refused():
    user = UserFactory(email="old@example.test")
    request_change(user, new="first@example.test")
    first = link_token(mail.outbox[0])
    with pytest.raises(DomainError) as err:
        services.user_confirm_email_change(token=first + "x")
    assert err.value.code == "email_change_invalid"
    # Someone registers the address meanwhile.
    UserFactory(email="first@example.test")
    with pytest.raises(DomainError) as err:
        services.user_confirm_email_change(token=first)
    assert err.value.code == "email_taken"
    # The account's address changed another way: the old link is dead.
    User.objects.filter(pk=user.pk).update(email="moved@example.test")
    with pytest.raises(DomainError) as err:
        services.user_confirm_email_change(token=first)
    assert err.value.code == "email_change_invalid"
    assert User.objects.get(pk=user.pk).email == "moved@example.test"


def test_expired_links_are_refused(monkeypatch):
    import datetime as dt

    user = UserFactory(email="old@example.test")
    request_change(user)
    token = link_token(mail.outbox[0])
    monkeypatch.setattr(users, "CONFIRM_MAX_AGE", dt.timedelta(seconds=-1))
    with pytest.raises(DomainError) as err:
        services.user_confirm_email_change(token=token)
    assert err.value.code == "email_change_expired"


def test_pages(client, hromada):
    user = UserFactory(email="old@example.test")
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert "Змінити адресу" in page.content.decode()
    bad = client.post("/accounts/profile/email/", {"new_email": "new@example.test", "password": "wrong"})
    assert bad.status_code == 400 and "Неправильний пароль." in bad.content.decode()
    ok = client.post("/accounts/profile/email/", {"new_email": "new@example.test", "password": PASSWORD})
    assert ok.status_code == 302
    confirmed = client.get(f"/accounts/email/change/{link_token(mail.outbox[0])}/", follow=True)
    assert "Адресу змінено: тепер це new@example.test." in confirmed.content.decode()
    invalid = client.get("/accounts/email/change/forged/")
    assert invalid.status_code == 400 and "недійсне" in invalid.content.decode()
