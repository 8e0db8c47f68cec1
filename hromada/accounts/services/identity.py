"""Identity: verification, sign-in and sign-up with a verified identity, and in person."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.tenancy.models import Hromada

from .. import rules
from ..identity import taxnumber
from ..identity.base import HashedPerson, VerifiedPerson
from ..models import Identity, IdentityDocument, User, VerificationMethod
from ._common import _clean_display_name, _clean_email, _forbidden, _forget_identity_cache, _language, log
from .users import _schedule_confirmation


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
    try:
        return identity_verify(
            user=user,
            person=in_person,
            method=VerificationMethod.IN_PERSON,
            verified_by=officer,
            hromada=hromada,
            document_type=document_type,
        )
    except DomainError as exc:
        if exc.code not in ("identity_taken", "identity_mismatch"):
            raise
        # One refusal for both: whether this tax number already has another account is
        # not the officer's to learn. The resident, who knows, is told what to do.
        log.warning(
            "in-person verification refused: officer=%s user=%s hromada=%s reason=%s",
            officer.public_id,
            user.public_id,
            hromada.slug,
            exc.code,
        )
        raise _in_person_refused() from None


def _in_person_refused() -> DomainError:
    return DomainError(
        "verification_refused",
        _(
            "Не вдалося підтвердити цю особу для цього облікового запису. Одна особа може мати лише "
            "один обліковий запис, а підтверджений запис не можна передати іншій особі. Якщо мешканець "
            "уже має обліковий запис, хай увійде до нього (або відновить пароль) і звернеться знову."
        ),
        status=409,
    )
