"""Writes for residents, identities, staff and API tokens.

Every function is keyword-only, runs in one transaction and raises DomainError
with a stable code and a Ukrainian message when the request cannot be honoured.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada

from . import rules
from .identity import taxnumber
from .identity.base import HashedPerson, VerifiedPerson
from .models import (
    ApiToken,
    Department,
    Identity,
    IdentityDocument,
    Role,
    StaffRole,
    User,
    VerificationMethod,
)

log = logging.getLogger("hromada.accounts")

CONFIRM_SALT = "hromada.accounts.confirm-email"
CONFIRM_MAX_AGE = dt.timedelta(days=3)
EMAIL_CHANGE_SALT = "hromada.accounts.change-email"
RESEND_INTERVAL_SECONDS = 60
MAX_API_TOKENS = 20
API_TOKEN_PREFIX = "hrm_"


def _forbidden(message=None) -> PermissionDenied:
    return PermissionDenied("forbidden", message or _("У вас немає прав на цю дію."))


# --- residents --------------------------------------------------------------------------------


def _language(value: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return value if value in codes else settings.LANGUAGE_CODE


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("invalid_email", _("Вкажіть правильну адресу електронної пошти."), field="email")
    return email


def _clean_display_name(display_name: str) -> str:
    display_name = (display_name or "").strip()
    if len(display_name) > 150:
        raise DomainError(
            "display_name_too_long", _("Ім'я для показу — не довше 150 символів."), field="display_name"
        )
    return display_name


def user_signup(
    *, email: str, password: str, display_name: str = "", language: str = "uk", site_url: str | None = None
) -> User:
    """Create an account and send the confirmation link to its e-mail."""
    email = _clean_email(email)
    display_name = _clean_display_name(display_name)
    candidate = User(email=email, display_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="password1")
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise DomainError(
                "email_taken",
                _("Обліковий запис із цією адресою вже існує. Увійдіть або відновіть пароль."),
                field="email",
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email, password, display_name=display_name, language=_language(language)
                )
        except IntegrityError:
            raise DomainError(
                "email_taken",
                _("Обліковий запис із цією адресою вже існує. Увійдіть або відновіть пароль."),
                field="email",
            )
        _schedule_confirmation(user, site_url)
    return user


def user_send_confirmation(*, user: User, site_url: str | None = None) -> None:
    """Send the confirmation link again (at most once a minute)."""
    if user.email_confirmed:
        raise DomainError("email_already_confirmed", _("Вашу електронну пошту вже підтверджено."))
    if not cache.add(f"accounts:confirm-resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        raise DomainError(
            "resend_too_soon", _("Лист уже надіслано. Повторно надіслати можна за хвилину."), status=429
        )
    with transaction.atomic():
        _schedule_confirmation(user, site_url)


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": str(user.public_id), "e": user.email}, salt=CONFIRM_SALT, compress=True)


def _schedule_confirmation(user: User, site_url: str | None) -> None:
    base = (site_url or settings.SITE_URL).rstrip("/")
    link = base + reverse("accounts:confirm", args=[confirmation_token(user)])
    email, language = user.email, user.language

    def send() -> None:
        with translation.override(language):
            context = {"link": link, "days": CONFIRM_MAX_AGE.days, "email": email}
            subject = render_to_string("accounts/email/confirm_subject.txt", context).strip()
            body = render_to_string("accounts/email/confirm_body.txt", context)
        send_mail(subject, body, None, [email], fail_silently=False)

    transaction.on_commit(send)


def _link_data(token: str, *, salt: str, invalid: DomainError, expired: DomainError) -> dict:
    """What a signed e-mail link carries, if it is genuine and younger than CONFIRM_MAX_AGE."""
    try:
        return signing.loads(token, salt=salt, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise expired
    except signing.BadSignature:
        raise invalid


def user_confirm_email(*, token: str) -> User:
    """Mark the e-mail confirmed. Confirming again is harmless; a link for an
    address the account no longer has is refused."""
    invalid = DomainError(
        "confirm_invalid",
        _("Посилання для підтвердження недійсне. Надішліть новий лист зі сторінки профілю."),
    )
    expired = DomainError(
        "confirm_expired", _("Термін дії посилання минув. Надішліть новий лист зі сторінки профілю.")
    )
    data = _link_data(token, salt=CONFIRM_SALT, invalid=invalid, expired=expired)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(public_id=data.get("u"), is_active=True).first()
        if user is None or user.email != data.get("e"):
            raise invalid
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at", "updated_at"])
    return user


def _check_password(user: User, password: str, field: str = "password") -> None:
    # An account made through id.gov.ua may have no password: its session is the proof.
    if user.has_usable_password() and not user.check_password(password or ""):
        raise DomainError("wrong_password", _("Неправильний пароль."), field=field)


def user_request_email_change(
    *, user: User, new_email: str, password: str, site_url: str | None = None
) -> None:
    """Send a link to `new_email` that moves the account there, and tell the current
    address. Nothing changes until the link is followed, so a typo cannot lock anyone
    out; the link is bound to the current address, so it dies if that changes first."""
    _check_password(user, password)
    new_email = _clean_email(new_email)
    if new_email == user.email:
        raise DomainError("email_unchanged", _("Це ваша поточна адреса."), field="new_email")
    if User.objects.filter(email__iexact=new_email).exists():
        raise DomainError(
            "email_taken", _("Ця адреса вже належить іншому обліковому запису."), field="new_email"
        )
    if not cache.add(f"accounts:email-change:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        raise DomainError(
            "resend_too_soon", _("Лист уже надіслано. Повторно надіслати можна за хвилину."), status=429
        )
    token = signing.dumps(
        {"u": str(user.public_id), "e": user.email, "n": new_email}, salt=EMAIL_CHANGE_SALT, compress=True
    )
    base = (site_url or settings.SITE_URL).rstrip("/")
    context = {
        "link": base + reverse("accounts:email_change_confirm", args=[token]),
        "days": CONFIRM_MAX_AGE.days,
        "email": user.email,
        "new_email": new_email,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        to_new = (
            render_to_string("accounts/email/email_change_subject.txt", context).strip(),
            render_to_string("accounts/email/email_change_body.txt", context),
        )
        to_old = (
            render_to_string("accounts/email/email_change_notice_subject.txt", context).strip(),
            render_to_string("accounts/email/email_change_notice_body.txt", context),
        )
    try:
        send_mail(*to_new, None, [new_email], fail_silently=False)
    except Exception:  # noqa: BLE001 - any transport error: say so, let them retry at once
        log.exception("e-mail change link to user %s could not be sent", user.pk)
        cache.delete(f"accounts:email-change:{user.pk}")
        raise DomainError(
            "email_send_failed", _("Не вдалося надіслати лист. Спробуйте ще раз пізніше."), status=503
        )
    try:
        send_mail(*to_old, None, [user.email], fail_silently=False)
    except Exception:  # noqa: BLE001 - the notice is a courtesy; the link went out
        log.exception("e-mail change notice to user %s could not be sent", user.pk)


def user_confirm_email_change(*, token: str) -> User:
    """Move the account to the address the link was sent to; that address is confirmed
    by following the link."""
    invalid = DomainError(
        "email_change_invalid",
        _("Посилання для зміни адреси недійсне. Замовте новий лист на сторінці профілю."),
    )
    expired = DomainError(
        "email_change_expired", _("Термін дії посилання минув. Замовте новий лист на сторінці профілю.")
    )
    data = _link_data(token, salt=EMAIL_CHANGE_SALT, invalid=invalid, expired=expired)
    taken = DomainError("email_taken", _("Ця адреса вже належить іншому обліковому запису."), status=409)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(public_id=data.get("u"), is_active=True).first()
        if user is None:
            raise invalid
        if user.email == data.get("n"):
            return user  # followed twice
        if user.email != data.get("e"):
            raise invalid
        if User.objects.filter(email__iexact=data["n"]).exclude(pk=user.pk).exists():
            raise taken
        user.email = data["n"]
        user.email_confirmed_at = timezone.now()
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "email_confirmed_at", "updated_at"])
        except IntegrityError:
            raise taken
    return user


def user_delete_account(*, user: User, password: str) -> User:
    """Delete what the account holds about the person, keeping the public record.

    Removed: the verified identity (names, birth date, the tax number's hash), the
    e-mail address, display name, password, API tokens, notifications and their
    settings; the account can no longer sign in and its address and identity are free
    for a new account. Kept, because they are the hromada's public record of decisions
    already taken: signatures (still counted, with the name published when signed, and
    the person's hash, so the same person cannot sign the same petition twice) and
    petitions submitted (with their author's name). Staff must first lose their roles:
    their decisions are attributed to them."""
    from hromada.notify.models import Notification, Preference

    _check_password(user, password)
    if StaffRole.objects.filter(user=user).exists() or user.is_superuser:
        raise DomainError(
            "staff_account",
            _("Обліковий запис посадової особи не можна видалити, доки адміністратор громади не зніме ролі."),
            status=409,
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        Identity.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        Preference.objects.filter(user=user).delete()
        user.email = f"deleted-{user.public_id.hex}@deleted.invalid"
        user.display_name = ""
        user.email_confirmed_at = None
        user.last_login = None
        user.is_active = False
        # A new password hash also ends every other session of the account.
        user.set_unusable_password()
        user.save()
    _forget_identity_cache(user)
    return user


def user_email_proven(*, user: User) -> None:
    """The person followed a link sent to the account's address (a password reset):
    that proves the address as well as the confirmation link would."""
    User.objects.filter(pk=user.pk, email=user.email, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )


def user_update_profile(*, user: User, display_name: str, language: str) -> User:
    display_name = _clean_display_name(display_name)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError("invalid_language", _("Оберіть мову зі списку."), field="language")
    with transaction.atomic():
        user.display_name = display_name
        user.language = language
        user.save(update_fields=["display_name", "language", "updated_at"])
    return user


# --- identity ---------------------------------------------------------------------------------


def _validated_names(person: VerifiedPerson | HashedPerson) -> tuple[str, str, str]:
    last, first = (person.last_name or "").strip(), (person.first_name or "").strip()
    if not last:
        raise DomainError("missing_name", _("Вкажіть прізвище."), field="last_name")
    if not first:
        raise DomainError("missing_name", _("Вкажіть ім'я."), field="first_name")
    if max(len(last), len(first), len(person.middle_name or "")) > 100:
        raise DomainError(
            "name_too_long", _("Прізвище, ім'я та по батькові — до 100 символів кожне."), field="last_name"
        )
    if person.birth_date and person.birth_date > timezone.localdate():
        raise DomainError(
            "invalid_birth_date", _("Дата народження не може бути в майбутньому."), field="birth_date"
        )
    return last, first, (person.middle_name or "").strip()


def _validated_person(person: VerifiedPerson) -> tuple[str, str, str]:
    names = _validated_names(person)
    if not (person.tax_number or "").strip():
        raise DomainError(
            "missing_tax_number", _("Вкажіть РНОКПП (ідентифікаційний код)."), field="tax_number"
        )
    if not taxnumber.is_valid(person.tax_number):
        raise DomainError(
            "invalid_tax_number",
            _("РНОКПП має складатися з 10 цифр із правильною контрольною цифрою."),
            field="tax_number",
        )
    return names


def _identity_taken() -> DomainError:
    return DomainError(
        "identity_taken",
        _(
            "Цю особу вже підтверджено в іншому обліковому записі. Одна особа може мати лише один "
            "обліковий запис: увійдіть у той, що вже є, або зверніться до ЦНАП."
        ),
        status=409,
    )


ONLINE_METHODS = frozenset({VerificationMethod.IDGOVUA, VerificationMethod.OIDC, VerificationMethod.DEV})


def identity_verify(
    *,
    user: User,
    person: VerifiedPerson,
    method: str,
    verified_by: User | None = None,
    hromada: Hromada | None = None,
    document_type: str = "",
) -> Identity:
    """Bind a verified natural person to `user`: one person, one account.

    Keeps the full name, birth date (given, or derived from the tax number), the
    tax number only as HMAC-SHA256 under IDENTITY_HASH_KEY, the method, the
    sign-in type and the time. Verifying the same person again refreshes these."""
    if method not in VerificationMethod.values:
        raise DomainError("invalid_method", _("Невідомий спосіб підтвердження особи."))
    if method == VerificationMethod.IN_PERSON and verified_by is None:
        raise DomainError("officer_required", _("Особисту перевірку має засвідчити працівник."))
    if not user.is_active:
        raise DomainError("user_inactive", _("Обліковий запис вимкнено."), field="email")
    last, first, middle = _validated_person(person)
    digest = taxnumber.tax_hash(person.tax_number)
    taken = _identity_taken()
    values = {
        "last_name": last,
        "first_name": first,
        "middle_name": middle,
        "birth_date": person.birth_date or taxnumber.birth_date(person.tax_number),
        "method": method,
        "auth_type": (person.auth_type or "")[:30],
        "verified_at": timezone.now(),
        "verified_by": verified_by,
        "verified_in": hromada,
        "document_type": document_type,
    }
    with transaction.atomic():
        owner_id = Identity.objects.filter(tax_hash=digest).values_list("user_id", flat=True).first()
        if owner_id is not None and owner_id != user.pk:
            raise taken
        current = Identity.objects.select_for_update().filter(user=user).first()
        if current is not None and current.tax_hash != digest:
            raise DomainError(
                "identity_mismatch",
                _(
                    "Цей обліковий запис уже підтверджено для іншої особи. Змінити особу можна лише через ЦНАП."
                ),
                status=409,
            )
        if current is not None:
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            identity = current
        else:
            try:
                with transaction.atomic():
                    identity = Identity.objects.create(user=user, tax_hash=digest, **values)
            except IntegrityError:
                # Another account won the race for the same tax number.
                raise taken
    _forget_identity_cache(user)
    log.info("identity verified: user=%s method=%s", user.public_id, method)
    return identity


def _forget_identity_cache(user: User) -> None:
    user._state.fields_cache.pop("identity", None)


def identity_sign_in(*, person: VerifiedPerson, method: str) -> User | None:
    """Sign in by identity: the account bound to this verified person, with its
    identity refreshed (names, birth date, method, sign-in type, time), or None
    when this person has no account yet."""
    if method not in ONLINE_METHODS:
        raise DomainError("invalid_method", _("Невідомий спосіб підтвердження особи."))
    _validated_person(person)
    digest = taxnumber.tax_hash(person.tax_number)
    identity = Identity.objects.select_related("user").filter(tax_hash=digest).first()
    if identity is None:
        return None
    user = identity.user
    if not user.is_active:
        raise DomainError(
            "user_inactive",
            _("Обліковий запис цієї особи вимкнено. Зверніться до адміністратора громади."),
            status=403,
        )
    identity_verify(user=user, person=person, method=method)
    log.info("signed in by identity: user=%s method=%s", user.public_id, method)
    return user


def user_signup_verified(
    *,
    email: str,
    display_name: str = "",
    person: HashedPerson,
    method: str,
    language: str = "uk",
    site_url: str | None = None,
) -> User:
    """Create an account for a person just verified online who has none yet.

    The account has no password (the person signs in through the identity
    provider, or sets a password later in the profile); the e-mail stays
    unconfirmed until its link is followed, and the link is sent after commit.
    The account and its identity are created together or not at all."""
    email = _clean_email(email)
    display_name = _clean_display_name(display_name)
    if method not in ONLINE_METHODS:
        raise DomainError("invalid_method", _("Невідомий спосіб підтвердження особи."))
    if not re.fullmatch(r"[0-9a-f]{64}", person.tax_hash or ""):
        raise DomainError("invalid_person", _("Дані про особу неповні. Підтвердьте особу ще раз."))
    last, first, middle = _validated_names(person)
    email_taken = DomainError(
        "email_taken",
        _(
            "Обліковий запис з адресою %(email)s уже існує. Увійдіть до нього з паролем (або відновіть "
            "пароль), а потім підтвердьте особу — її буде прив'язано до цього облікового запису."
        )
        % {"email": email},
        field="email",
    )
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise email_taken
        if Identity.objects.filter(tax_hash=person.tax_hash).exists():
            raise _identity_taken()
        user = User(email=email, display_name=display_name, language=_language(language))
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise email_taken
        try:
            with transaction.atomic():
                Identity.objects.create(
                    user=user,
                    tax_hash=person.tax_hash,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    birth_date=person.birth_date,
                    method=method,
                    auth_type=(person.auth_type or "")[:30],
                    verified_at=timezone.now(),
                )
        except IntegrityError:
            # Another account won the race for the same person; the user row goes too.
            raise _identity_taken()
        _schedule_confirmation(user, site_url)
    log.info("signed up by identity: user=%s method=%s", user.public_id, method)
    return user


def identity_verify_in_person(
    *,
    officer: User,
    hromada: Hromada,
    user: User,
    person: VerifiedPerson,
    document_type: str,
) -> Identity:
    """A staff member confirms a person's identity at the service centre (ЦНАП)
    from an original document; the record keeps who did it and where."""
    if not rules.can_verify_in_person(officer, hromada):
        raise _forbidden(_("Підтверджувати особу в ЦНАП можуть лише адміністратор і посадові особи громади."))
    if officer.pk == user.pk:
        raise DomainError(
            "self_verification", _("Не можна підтвердити власну особу: зверніться до колеги."), field="email"
        )
    if document_type not in IdentityDocument.values:
        raise DomainError(
            "document_required", _("Оберіть документ, який ви перевірили."), field="document_type"
        )
    if person.birth_date is None:
        raise DomainError("missing_birth_date", _("Вкажіть дату народження з документа."), field="birth_date")
    in_person = VerifiedPerson(
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        birth_date=person.birth_date,
        tax_number=person.tax_number,
        auth_type=document_type,
        provider=VerificationMethod.IN_PERSON,
    )
    return identity_verify(
        user=user,
        person=in_person,
        method=VerificationMethod.IN_PERSON,
        verified_by=officer,
        hromada=hromada,
        document_type=document_type,
    )


# --- departments ------------------------------------------------------------------------------


def _department_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Вкажіть назву підрозділу."), field="name")
    if len(name) > 200:
        raise DomainError("name_too_long", _("Назва підрозділу — до 200 символів."), field="name")
    return name


def _department_name_taken(hromada_id: int, name: str, exclude: int | None = None) -> bool:
    """Case-insensitive for Cyrillic too (SQLite's LIKE folds ASCII only); a
    hromada has tens of departments, so compare in Python."""
    names = (
        Department.objects.filter(hromada_id=hromada_id).exclude(pk=exclude).values_list("name", flat=True)
    )
    return any(existing.casefold() == name.casefold() for existing in names)


def _department_taken() -> DomainError:
    return DomainError("department_exists", _("Підрозділ із такою назвою вже є."), field="name", status=409)


def department_create(*, actor: User, hromada: Hromada, name: str) -> Department:
    if not rules.can_manage_staff(actor, hromada):
        raise _forbidden()
    name = _department_name(name)
    with transaction.atomic():
        if _department_name_taken(hromada.pk, name):
            raise _department_taken()
        try:
            with transaction.atomic():
                return Department.objects.create(hromada=hromada, name=name)
        except IntegrityError:
            raise _department_taken()


def department_rename(*, actor: User, department: Department, name: str) -> Department:
    if not rules.can_manage_staff(actor, department.hromada):
        raise _forbidden()
    name = _department_name(name)
    with transaction.atomic():
        if _department_name_taken(department.hromada_id, name, exclude=department.pk):
            raise _department_taken()
        department.name = name
        try:
            with transaction.atomic():
                department.save(update_fields=["name", "updated_at"])
        except IntegrityError:
            raise _department_taken()
    return department


def department_delete(*, actor: User, department: Department) -> None:
    if not rules.can_manage_staff(actor, department.hromada):
        raise _forbidden()
    with transaction.atomic():
        if StaffRole.objects.filter(department=department).exists():
            raise DomainError(
                "department_in_use",
                _("У підрозділі є працівники. Спершу відкличте або перенесіть їхні ролі."),
                status=409,
            )
        department.delete()


# --- staff roles ------------------------------------------------------------------------------


def staff_role_grant(
    *, actor: User, hromada: Hromada, user: User, role: str, department: Department | None = None
) -> StaffRole:
    if not rules.can_manage_staff(actor, hromada):
        raise _forbidden(_("Керувати працівниками може лише адміністратор громади."))
    if role not in Role.values:
        raise DomainError("invalid_role", _("Оберіть роль зі списку."), field="role")
    if not user.is_active:
        raise DomainError("user_inactive", _("Обліковий запис цієї людини вимкнено."), field="email")
    if department is not None and department.hromada_id != hromada.pk:
        raise DomainError("invalid_department", _("Оберіть підрозділ своєї громади."), field="department")
    if role == Role.OFFICER and department is None:
        raise DomainError(
            "department_required", _("Для посадової особи оберіть підрозділ."), field="department"
        )
    exists = DomainError("role_exists", _("Ця людина вже має таку роль у громаді."), field="role", status=409)
    with transaction.atomic():
        if StaffRole.objects.filter(hromada=hromada, user=user, role=role).exists():
            raise exists
        try:
            with transaction.atomic():
                staff_role = StaffRole.objects.create(
                    hromada=hromada, user=user, role=role, department=department, granted_by=actor
                )
        except IntegrityError:
            raise exists
        ledger_append(
            hromada=hromada,
            kind="staff.role_granted",
            payload={
                "staff_member": str(user.public_id),
                "role": role,
                "department": department.name if department else None,
            },
        )
    _forget_roles_cache(user, actor)
    return staff_role


def staff_role_revoke(*, actor: User, staff_role: StaffRole) -> None:
    hromada = staff_role.hromada
    if not rules.can_manage_staff(actor, hromada):
        raise _forbidden(_("Керувати працівниками може лише адміністратор громади."))
    with transaction.atomic():
        if staff_role.role == Role.ADMIN:
            # Lock the hromada's admin rows so two admins cannot remove each other at once.
            admins = list(
                StaffRole.objects.select_for_update()
                .filter(hromada=hromada, role=Role.ADMIN)
                .values_list("pk", flat=True)
            )
            if admins == [staff_role.pk]:
                raise DomainError(
                    "last_admin",
                    _("Не можна відкликати роль останнього адміністратора громади. Спершу призначте іншого."),
                    status=409,
                )
        deleted, _rows = StaffRole.objects.filter(pk=staff_role.pk, hromada=hromada).delete()
        if deleted:
            ledger_append(
                hromada=hromada,
                kind="staff.role_revoked",
                payload={"staff_member": str(staff_role.user.public_id), "role": staff_role.role},
            )
    _forget_roles_cache(staff_role.user, actor)


def _forget_roles_cache(*users: User) -> None:
    for user in users:
        if hasattr(user, "_hromada_roles"):
            del user._hromada_roles


# --- API tokens -------------------------------------------------------------------------------


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the row and the token, which is shown
    once and never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Назвіть токен, щоб потім його впізнати."), field="name")
    if len(name) > 100:
        raise DomainError("name_too_long", _("Назва токена — до 100 символів."), field="name")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_API_TOKENS:
            raise DomainError(
                "too_many_tokens",
                _("Можна мати щонайбільше %(n)d активних токенів. Відкличте непотрібні.")
                % {"n": MAX_API_TOKENS},
                field="name",
            )
        raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, token_hash=api_token_hash(raw))
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise _forbidden()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
