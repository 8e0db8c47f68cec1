import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from hromada.accounts import rules, services
from hromada.accounts.identity import taxnumber
from hromada.accounts.identity.base import HashedPerson
from hromada.accounts.models import (
    ApiToken,
    Department,
    Identity,
    Role,
    StaffRole,
    User,
    VerificationMethod,
)
from hromada.accounts.services import tokens, users
from hromada.accounts.tests.factories import DepartmentFactory, StaffRoleFactory, UserFactory
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.tenancy.models import IdentityLevel

from .helpers import person

pytestmark = pytest.mark.django_db


# --- sign-up and e-mail confirmation ------------------------------------------------------------


def test_signup_creates_user_and_sends_confirmation_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup(
            email="Olena@Example.TEST",
            password="a long enough passphrase",
            display_name="Олена",
            site_url="http://hromada.example.test/",
        )
    assert user.email == "olena@example.test"
    assert user.check_password("a long enough passphrase")
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "http://hromada.example.test/accounts/confirm/" in body
    token = body.split("/accounts/confirm/")[1].split("/")[0]
    assert services.user_confirm_email(token=token).email_confirmed


def test_signup_refuses_duplicate_email_and_weak_password():
    UserFactory(email="taken@example.test")
    with pytest.raises(DomainError) as exc:
        services.user_signup(email="TAKEN@example.test", password="a long enough passphrase")
    assert exc.value.code == "email_taken" and exc.value.field == "email"
    with pytest.raises(DomainError) as exc:
        services.user_signup(email="new@example.test", password="12345678")
    assert exc.value.code == "weak_password"
    with pytest.raises(DomainError) as exc:
        services.user_signup(email="not-an-email", password="a long enough passphrase")
    assert exc.value.code == "invalid_email"
    assert User.objects.count() == 1


def test_confirm_refuses_forged_expired_and_stale_tokens(monkeypatch):
    user = UserFactory(email_confirmed_at=None)
    with pytest.raises(DomainError) as exc:
        services.user_confirm_email(token="forged:token")
    assert exc.value.code == "confirm_invalid"
    token = services.confirmation_token(user)
    monkeypatch.setattr(users, "CONFIRM_MAX_AGE", dt.timedelta(seconds=-1))
    with pytest.raises(DomainError) as exc:
        services.user_confirm_email(token=token)
    assert exc.value.code == "confirm_expired"
    monkeypatch.undo()
    user.email = "changed@example.test"
    user.save()
    with pytest.raises(DomainError) as exc:
        services.user_confirm_email(token=token)
    assert exc.value.code == "confirm_invalid"
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_resend_is_limited_to_once_a_minute(django_capture_on_commit_callbacks):
    user = UserFactory(email_confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_send_confirmation(user=user)
    with pytest.raises(DomainError) as exc:
        services.user_send_confirmation(user=user)
    assert exc.value.code == "resend_too_soon" and exc.value.status == 429
    assert len(mail.outbox) == 1


def test_profile_update_validates_language():
    user = UserFactory()
    services.user_update_profile(user=user, display_name="  Олена К. ", language="en")
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Олена К.", "en")
    with pytest.raises(DomainError) as exc:
        services.user_update_profile(user=user, display_name="x", language="xx")
    assert exc.value.code == "invalid_language"
    user.refresh_from_db()
    assert user.display_name == "Олена К."


# --- identity -------------------------------------------------------------------------------------


def test_identity_verify_keeps_only_a_keyed_hash_and_derives_birth_date():
    user = UserFactory()
    p = person()
    identity = services.identity_verify(user=user, person=p, method=VerificationMethod.DEV)
    assert identity.tax_hash == taxnumber.tax_hash(p.tax_number)
    assert identity.birth_date == dt.date(1985, 3, 14)
    assert identity.full_name == "Коваленко Олена Петрівна"
    assert identity.method == "dev" and identity.auth_type == "bank_id"
    row = Identity.objects.filter(pk=identity.pk).values().get()
    assert p.tax_number not in str(row)
    assert user.identity == identity


def test_one_person_one_account():
    first, second = UserFactory(), UserFactory()
    services.identity_verify(user=first, person=person(), method=VerificationMethod.DEV)
    with pytest.raises(DomainError) as exc:
        services.identity_verify(user=second, person=person(), method=VerificationMethod.IDGOVUA)
    assert exc.value.code == "identity_taken" and exc.value.status == 409
    assert not Identity.objects.filter(user=second).exists()


def test_verifying_again_refreshes_but_cannot_switch_person():
    user = UserFactory()
    first = services.identity_verify(user=user, person=person(), method=VerificationMethod.DEV)
    again = services.identity_verify(
        user=user, person=person(auth_type="diia_id"), method=VerificationMethod.IDGOVUA
    )
    assert again.pk == first.pk and again.method == "idgovua" and again.auth_type == "diia_id"
    with pytest.raises(DomainError) as exc:
        services.identity_verify(user=user, person=person(serial=2208), method=VerificationMethod.DEV)
    assert exc.value.code == "identity_mismatch"
    assert Identity.objects.get(user=user).tax_hash == first.tax_hash


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"tax_number": "1234567890"}, "invalid_tax_number", "tax_number"),
        ({"tax_number": ""}, "missing_tax_number", "tax_number"),
        ({"last_name": " "}, "missing_name", "last_name"),
        ({"first_name": ""}, "missing_name", "first_name"),
        ({"birth_date": dt.date(2999, 1, 1)}, "invalid_birth_date", "birth_date"),
    ],
)
def test_identity_verify_refuses_bad_person(overrides, code, field):
    user = UserFactory()
    with pytest.raises(DomainError) as exc:
        services.identity_verify(user=user, person=person(**overrides), method=VerificationMethod.DEV)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not Identity.objects.exists()


def test_in_person_verification_records_the_officer(hromada, officer):
    user = UserFactory()
    identity = services.identity_verify_in_person(
        officer=officer,
        hromada=hromada,
        user=user,
        person=person(birth_date=dt.date(1985, 3, 14)),
        document_type="id_card",
    )
    assert identity.method == VerificationMethod.IN_PERSON
    assert identity.verified_by == officer and identity.verified_in == hromada
    assert identity.document_type == "id_card"


def test_in_person_verification_refusals(hromada, officer, moderator, other_hromada):
    user = UserFactory()
    p = person(birth_date=dt.date(1985, 3, 14))
    cases = [
        ({"officer": moderator}, "forbidden"),
        ({"hromada": other_hromada}, "forbidden"),
        ({"user": officer}, "self_verification"),
        ({"document_type": "library_card"}, "document_required"),
        ({"person": person(birth_date=None)}, "missing_birth_date"),
    ]
    for overrides, code in cases:
        kwargs = {
            "officer": officer,
            "hromada": hromada,
            "user": user,
            "person": p,
            "document_type": "id_card",
        }
        kwargs.update(overrides)
        with pytest.raises(DomainError) as exc:
            services.identity_verify_in_person(**kwargs)
        assert exc.value.code == code
    assert not Identity.objects.exists()


# --- signing in and up by identity -----------------------------------------------------------------


def test_identity_sign_in_finds_and_refreshes_the_account(hromada, officer):
    user = UserFactory()
    services.identity_verify_in_person(
        officer=officer,
        hromada=hromada,
        user=user,
        person=person(birth_date=dt.date(1985, 3, 14)),
        document_type="id_card",
    )
    before = Identity.objects.get(user=user).verified_at
    signed_in = services.identity_sign_in(person=person(auth_type="diia_id"), method=VerificationMethod.DEV)
    assert signed_in == user
    identity = Identity.objects.get(user=user)
    assert identity.method == "dev" and identity.auth_type == "diia_id" and identity.verified_at > before
    assert identity.verified_by is None and identity.document_type == ""


def test_identity_sign_in_without_an_account_changes_nothing():
    assert services.identity_sign_in(person=person(), method=VerificationMethod.DEV) is None
    assert not User.objects.exists() and not Identity.objects.exists()


def test_identity_sign_in_refusals():
    user = UserFactory()
    services.identity_verify(user=user, person=person(), method=VerificationMethod.DEV)
    before = Identity.objects.get().verified_at
    user.is_active = False
    user.save()
    with pytest.raises(DomainError) as exc:
        services.identity_sign_in(person=person(), method=VerificationMethod.DEV)
    assert exc.value.code == "user_inactive" and exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.identity_sign_in(person=person(), method=VerificationMethod.IN_PERSON)
    assert exc.value.code == "invalid_method"
    with pytest.raises(DomainError) as exc:
        services.identity_sign_in(person=person(tax_number="1234567890"), method=VerificationMethod.DEV)
    assert exc.value.code == "invalid_tax_number"
    assert Identity.objects.get().verified_at == before


def test_signup_verified_creates_a_passwordless_verified_account(django_capture_on_commit_callbacks):
    hashed = HashedPerson.from_verified(person())
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_verified(
            email=" Olena@Example.TEST ",
            display_name="Олена",
            person=hashed,
            method=VerificationMethod.IDGOVUA,
            language="en",
            site_url="http://hromada.example.test/",
        )
    user.refresh_from_db()
    assert user.email == "olena@example.test" and user.display_name == "Олена" and user.language == "en"
    assert not user.has_usable_password()
    assert not user.email_confirmed
    identity = user.identity
    assert identity.tax_hash == taxnumber.tax_hash(person().tax_number)
    assert identity.full_name == "Коваленко Олена Петрівна"
    assert identity.birth_date == dt.date(1985, 3, 14)  # derived from the tax number
    assert identity.method == "idgovua" and identity.auth_type == "bank_id"
    # Verified without a confirmed e-mail: enough for the "verified" level, not for "email".
    assert rules.has_identity_level(user, IdentityLevel.VERIFIED, hromada=None)
    assert not rules.has_identity_level(user, IdentityLevel.EMAIL, hromada=None)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olena@example.test"]
    token = mail.outbox[0].body.split("/accounts/confirm/")[1].split("/")[0]
    assert services.user_confirm_email(token=token).email_confirmed


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"email": "TAKEN@example.test"}, "email_taken", "email"),
        ({"email": "not-an-email"}, "invalid_email", "email"),
        ({"display_name": "я" * 151}, "display_name_too_long", "display_name"),
        ({"method": VerificationMethod.IN_PERSON}, "invalid_method", None),
        ({"person": HashedPerson(tax_hash="forged", last_name="А", first_name="Б")}, "invalid_person", None),
        (
            {"person": HashedPerson(tax_hash="a" * 64, last_name="", first_name="Б")},
            "missing_name",
            "last_name",
        ),
    ],
)
def test_signup_verified_refusals_create_nothing(django_capture_on_commit_callbacks, kwargs, code, field):
    UserFactory(email="taken@example.test")
    arguments = {
        "email": "new@example.test",
        "person": HashedPerson.from_verified(person()),
        "method": VerificationMethod.DEV,
        **kwargs,
    }
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as exc:
        services.user_signup_verified(**arguments)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert list(User.objects.values_list("email", flat=True)) == ["taken@example.test"]
    assert not Identity.objects.exists()
    assert mail.outbox == []


def test_signup_verified_refuses_a_person_who_has_an_account(django_capture_on_commit_callbacks):
    owner = UserFactory()
    services.identity_verify(user=owner, person=person(), method=VerificationMethod.DEV)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as exc:
        services.user_signup_verified(
            email="second@example.test", person=HashedPerson.from_verified(person()), method="dev"
        )
    assert exc.value.code == "identity_taken" and exc.value.status == 409
    assert User.objects.count() == 1 and Identity.objects.get().user == owner
    assert mail.outbox == []


def test_signup_verified_losing_the_race_for_the_person_leaves_no_account(monkeypatch):
    """The check passes, then another account takes the person first: the unique
    hash refuses the insert and the new account is rolled back with it."""
    hashed = HashedPerson.from_verified(person())
    other = UserFactory()
    real_save = User.save

    def save_then_race(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        if self.email == "racer@example.test":
            Identity.objects.create(
                user=other,
                tax_hash=hashed.tax_hash,
                last_name="Х",
                first_name="Y",
                method="dev",
                verified_at=timezone.now(),
            )

    monkeypatch.setattr(User, "save", save_then_race)
    with pytest.raises(DomainError) as exc:
        services.user_signup_verified(email="racer@example.test", person=hashed, method="dev")
    monkeypatch.undo()
    assert exc.value.code == "identity_taken"
    assert not User.objects.filter(email="racer@example.test").exists()
    # The stand-in competitor was written inside the same transaction, so it went too.
    assert not Identity.objects.exists()


# --- departments and staff roles ----------------------------------------------------------------------


def test_departments_create_rename_delete(hromada, hromada_admin):
    department = services.department_create(actor=hromada_admin, hromada=hromada, name="  Відділ   освіти ")
    assert department.name == "Відділ освіти"
    with pytest.raises(DomainError) as exc:
        services.department_create(actor=hromada_admin, hromada=hromada, name="відділ освіти")
    assert exc.value.code == "department_exists"
    with pytest.raises(DomainError) as exc:
        services.department_create(actor=hromada_admin, hromada=hromada, name="   ")
    assert exc.value.code == "name_required"
    other = services.department_create(actor=hromada_admin, hromada=hromada, name="ЦНАП")
    with pytest.raises(DomainError) as exc:
        services.department_rename(actor=hromada_admin, department=other, name="Відділ освіти")
    assert exc.value.code == "department_exists"
    services.department_rename(actor=hromada_admin, department=other, name="Центр надання адмінпослуг")
    other.refresh_from_db()
    assert other.name == "Центр надання адмінпослуг"
    StaffRoleFactory(hromada=hromada, role=Role.OFFICER, department=other)
    with pytest.raises(DomainError) as exc:
        services.department_delete(actor=hromada_admin, department=other)
    assert exc.value.code == "department_in_use"
    services.department_delete(actor=hromada_admin, department=department)
    assert list(Department.objects.filter(hromada=hromada)) == [other]


def test_staff_role_grant_and_revoke_write_the_ledger(hromada, hromada_admin):
    user = UserFactory()
    department = DepartmentFactory(hromada=hromada)
    role = services.staff_role_grant(
        actor=hromada_admin, hromada=hromada, user=user, role=Role.OFFICER, department=department
    )
    assert role.granted_by == hromada_admin
    entry = LedgerEntry.objects.get(kind="staff.role_granted")
    assert entry.payload == {
        "staff_member": str(user.public_id),
        "role": "officer",
        "department": department.name,
    }
    with pytest.raises(DomainError) as exc:
        services.staff_role_grant(
            actor=hromada_admin, hromada=hromada, user=user, role=Role.OFFICER, department=department
        )
    assert exc.value.code == "role_exists"
    services.staff_role_revoke(actor=hromada_admin, staff_role=role)
    assert not StaffRole.objects.filter(user=user).exists()
    assert LedgerEntry.objects.filter(kind="staff.role_revoked").count() == 1


def test_staff_role_grant_checks_department(hromada, other_hromada, hromada_admin):
    user = UserFactory()
    with pytest.raises(DomainError) as exc:
        services.staff_role_grant(actor=hromada_admin, hromada=hromada, user=user, role=Role.OFFICER)
    assert exc.value.code == "department_required"
    foreign = DepartmentFactory(hromada=other_hromada)
    with pytest.raises(DomainError) as exc:
        services.staff_role_grant(
            actor=hromada_admin, hromada=hromada, user=user, role=Role.OFFICER, department=foreign
        )
    assert exc.value.code == "invalid_department"
    with pytest.raises(DomainError) as exc:
        services.staff_role_grant(actor=hromada_admin, hromada=hromada, user=user, role="mayor")
    assert exc.value.code == "invalid_role"
    assert not StaffRole.objects.filter(user=user).exists()


def test_the_last_admin_cannot_be_removed(hromada, hromada_admin):
    own = StaffRole.objects.get(user=hromada_admin, hromada=hromada)
    with pytest.raises(DomainError) as exc:
        services.staff_role_revoke(actor=hromada_admin, staff_role=own)
    assert exc.value.code == "last_admin"
    assert StaffRole.objects.filter(pk=own.pk).exists()
    second = services.staff_role_grant(
        actor=hromada_admin, hromada=hromada, user=UserFactory(), role=Role.ADMIN
    )
    services.staff_role_revoke(actor=hromada_admin, staff_role=own)
    assert list(StaffRole.objects.filter(hromada=hromada, role=Role.ADMIN)) == [second]


# --- API tokens ----------------------------------------------------------------------------------------


def test_api_token_is_stored_as_sha256_and_revocable():
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="звіти")
    assert raw.startswith("hrm_") and len(raw) > 40
    assert token.token_hash == services.api_token_hash(raw) and raw not in token.token_hash
    revoked = services.api_token_revoke(user=user, token=token)
    assert revoked.revoked_at is not None
    with pytest.raises(DomainError) as exc:
        services.api_token_revoke(user=UserFactory(), token=token)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        services.api_token_create(user=user, name="  ")
    assert exc.value.code == "name_required"


def test_api_tokens_are_limited(monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(tokens, "MAX_API_TOKENS", 2)
    services.api_token_create(user=user, name="a")
    services.api_token_create(user=user, name="b")
    with pytest.raises(DomainError) as exc:
        services.api_token_create(user=user, name="c")
    assert exc.value.code == "too_many_tokens"
    assert ApiToken.objects.filter(user=user).count() == 2


def test_in_person_verification_counts_only_where_it_was_made(hromada, other_hromada, officer):
    """Security issue 8, finding 5: an officer of one hromada cannot make identities
    that count in every hromada; online verifications count everywhere."""
    user = UserFactory()
    services.identity_verify_in_person(
        officer=officer,
        hromada=hromada,
        user=user,
        person=person(birth_date=dt.date(1985, 3, 14)),
        document_type="id_card",
    )
    verified = IdentityLevel.VERIFIED
    assert rules.has_identity_level(user, verified, hromada=hromada)
    assert not rules.has_identity_level(user, verified, hromada=other_hromada)
    assert rules.identity_in(user, hromada=other_hromada) is None
    settings = other_hromada.account_settings
    settings.accept_in_person_from_other_hromadas = True
    settings.save()
    other_hromada.__dict__.pop("_module_settings", None)
    assert rules.has_identity_level(user, verified, hromada=other_hromada)
    online = UserFactory()
    services.identity_verify(user=online, person=person(serial=77), method=VerificationMethod.DEV)
    assert rules.has_identity_level(online, verified, hromada=hromada)
    assert rules.has_identity_level(online, verified, hromada=other_hromada)


def test_in_person_refusal_does_not_tell_whether_a_tax_number_has_an_account(hromada, officer):
    """Refusing a tax number that has another account looks exactly like refusing an
    account already verified for someone else: the officer learns nothing about others."""
    owner = UserFactory()
    services.identity_verify(user=owner, person=person(), method=VerificationMethod.DEV)
    already = UserFactory()
    services.identity_verify(user=already, person=person(serial=2048), method=VerificationMethod.DEV)
    refusals = []
    for target, serial in ((UserFactory(), 1024), (already, 4096)):
        with pytest.raises(DomainError) as exc:
            services.identity_verify_in_person(
                officer=officer,
                hromada=hromada,
                user=target,
                person=person(serial=serial, birth_date=dt.date(1985, 3, 14)),
                document_type="id_card",
            )
        refusals.append((exc.value.code, str(exc.value.message), exc.value.status, exc.value.field))
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == "verification_refused"
    assert "іншому обліковому записі" not in refusals[0][1]
