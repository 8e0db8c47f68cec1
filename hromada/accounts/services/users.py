"""Residents' accounts: sign-up, e-mail confirmation and change, profile, deletion."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.modules import registry, resolve
from hromada.core.ratelimit import once_per, once_per_reset

from ..models import ApiToken, Identity, StaffRole, User
from ._common import _clean_display_name, _clean_email, _forget_identity_cache, _language, log

CONFIRM_SALT = "hromada.accounts.confirm-email"
CONFIRM_MAX_AGE = dt.timedelta(days=3)
EMAIL_CHANGE_SALT = "hromada.accounts.change-email"
RESEND_INTERVAL_SECONDS = 60


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
    if once_per("accounts.confirm_resend", user.pk, RESEND_INTERVAL_SECONDS) is not None:
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
        user = (
            User.objects.select_for_update()
            # None (no "u" in the link) is a valid lookup, IS NULL, matching no one: the plugin rejects it.
            .filter(public_id=data.get("u"), is_active=True)  # type: ignore[misc]
            .first()
        )
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
    if once_per("accounts.email_change", user.pk, RESEND_INTERVAL_SECONDS) is not None:
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
        once_per_reset("accounts.email_change", user.pk)
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
        user = (
            User.objects.select_for_update()
            # None (no "u" in the link) is a valid lookup, IS NULL, matching no one: the plugin rejects it.
            .filter(public_id=data.get("u"), is_active=True)  # type: ignore[misc]
            .first()
        )
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
    e-mail address, display name, password, API tokens, and whatever each module's
    eraser removes (module.py `personal_data_erase`: notifications and their settings,
    …); the account can no longer sign in and its address and identity are free for a
    new account. Kept: what a module keeps as the hromada's public record of decisions
    already taken (module.py `kept_on_erase`: e.g. signatures and petitions). Staff
    must first lose their roles: their decisions are attributed to them."""
    _check_password(user, password)
    if StaffRole.objects.filter(user=user).exists() or user.is_superuser:
        raise DomainError(
            "staff_account",
            _("Обліковий запис посадової особи не можна видалити, доки адміністратор громади не зніме ролі."),
            status=409,
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for module in registry:
            if module.personal_data_erase:
                resolve(module.personal_data_erase)(user=user)
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


def account_erase(*, user: User) -> None:
    """The accounts part of erasing a person: the verified identity and API tokens."""
    Identity.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()


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
