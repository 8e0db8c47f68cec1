from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada

if TYPE_CHECKING:
    # Managers are generic only in the stubs (no monkeypatching at run time).
    _UserManagerBase = BaseUserManager["User"]
else:
    _UserManagerBase = BaseUserManager


class UserManager(_UserManagerBase):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, PublicModel):
    """One login for the whole install. Personal identity lives in `Identity`."""

    email = models.EmailField(_("електронна пошта"), unique=True)
    display_name = models.CharField(_("ім'я для показу"), max_length=150, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access (IT department)
    language = models.CharField(max_length=5, default="uk")

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class VerificationMethod(models.TextChoices):
    IDGOVUA = "idgovua", _("id.gov.ua")
    OIDC = "oidc", _("OpenID Connect")
    DEV = "dev", _("Тестовий провайдер (розробка)")
    IN_PERSON = "in_person", _("Особисто в ЦНАП")


class AccountSettings(TenantOwned, TimeStampedModel):
    """A hromada's rules for accounts and identities: one row per hromada, changed on the
    hromada's settings page (tenancy.services.module_settings_update)."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="account_settings")
    accept_in_person_from_other_hromadas = models.BooleanField(
        _("визнавати особу, підтверджену в ЦНАП інших громад"),
        default=False,
        help_text=_(
            "Якщо вимкнено, особа, яку підтвердили особисто в ЦНАП іншої громади, діє тут як "
            "непідтверджена (підтвердження через id.gov.ua діє всюди)."
        ),
    )

    class Meta:
        verbose_name = _("налаштування облікових записів")
        verbose_name_plural = _("налаштування облікових записів")

    def __str__(self) -> str:
        return str(self.hromada)


class IdentityDocument(models.TextChoices):
    """The document an officer checked when verifying a person in person."""

    ID_CARD = "id_card", _("Паспорт громадянина України (ID-картка)")
    PASSPORT_BOOK = "passport_book", _("Паспорт громадянина України (книжечка)")
    FOREIGN_PASSPORT = "foreign_passport", _("Паспорт громадянина України для виїзду за кордон")
    RESIDENCE_PERMIT = "residence_permit", _("Посвідка на постійне проживання")
    DIIA = "diia", _("Цифровий паспорт у застосунку «Дія»")


# How id.gov.ua (or the development provider) says the person proved who they are
# (`auth_type`), as people call it. An unknown code is shown as a generic label, never raw.
AUTH_TYPE_LABELS = {
    "dig_sign": _("Кваліфікований електронний підпис"),
    "bank_id": _("BankID НБУ"),
    "diia_id": _("Дія.Підпис"),
    "mobile_id": _("Mobile ID"),
    "diia_oauth": _("QR-код у застосунку «Дія»"),
}


class Identity(TimeStampedModel):
    """A verified natural person behind a user account.

    The tax number (РНОКПП) is kept only as a keyed hash: enough for "one person,
    one account", useless to anyone who steals the table without the key.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="identity")
    tax_hash = models.CharField(max_length=64, unique=True)
    last_name = models.CharField(_("прізвище"), max_length=100)
    first_name = models.CharField(_("ім'я"), max_length=100)
    middle_name = models.CharField(_("по батькові"), max_length=100, blank=True)
    birth_date = models.DateField(_("дата народження"), null=True, blank=True)
    method = models.CharField(max_length=12, choices=VerificationMethod.choices)
    auth_type = models.CharField(max_length=30, blank=True)  # e.g. bank_id, diia_id
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_in = models.ForeignKey(
        Hromada, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # In-person verification only: which kind of document was checked (never its number).
    document_type = models.CharField(
        _("перевірений документ"), max_length=20, choices=IdentityDocument.choices, blank=True
    )

    @property
    def auth_type_label(self) -> str:
        if not self.auth_type:
            return ""
        return str(AUTH_TYPE_LABELS.get(self.auth_type, _("інший спосіб")))

    class Meta:
        verbose_name = _("ідентифікація")
        verbose_name_plural = _("ідентифікації")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="in_person") | Q(verified_by__isnull=False),
                name="identity_in_person_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def public_name_full(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def public_name_initials(self) -> str:
        return f"{self.first_name} {self.last_name[:1]}."


class Department(PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("назва"), max_length=200)

    class Meta:
        verbose_name = _("підрозділ")
        verbose_name_plural = _("підрозділи")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Адміністратор громади")
    MODERATOR = "moderator", _("Модератор")
    OFFICER = "officer", _("Посадова особа підрозділу")


class StaffRole(TimeStampedModel):
    """A user's role in one hromada's staff. A user may hold several roles."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="staff_roles")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("роль"), max_length=12, choices=Role.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_roles"
    )
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Shown where the platform says who acted in office (e.g. who answered a petition).
    position = models.CharField(_("посада"), max_length=200, blank=True)
    # The head of `department`: approves what the department's officers prepare.
    is_head = models.BooleanField(_("керівник підрозділу"), default=False)

    class Meta:
        verbose_name = _("роль працівника")
        verbose_name_plural = _("ролі працівників")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "user", "role"], name="staffrole_unique"),
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(department__isnull=False),
                name="staffrole_officer_has_department",
            ),
            models.CheckConstraint(
                condition=Q(is_head=False) | Q(department__isnull=False),
                name="staffrole_head_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.hromada})"


class ApiToken(PublicModel):
    """A personal API token. Only the SHA-256 of the token is stored; the token
    itself is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("назва"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-токен")
        verbose_name_plural = _("API-токени")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DevIdpGrant(models.Model):
    """State of the built-in development identity provider (/dev-idp/): an issued
    authorization code, the access token it was exchanged for, and the invented
    person behind them. It plays the identity provider, so it belongs to no
    hromada; rows expire within minutes and are purged as new ones are made."""

    code = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=100)
    redirect_uri = models.CharField(max_length=500)
    user_id = models.CharField(max_length=64)
    person = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    code_expires_at = models.DateTimeField()
    code_used_at = models.DateTimeField(null=True, blank=True)
    access_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    token_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("видача тестового провайдера")
        verbose_name_plural = _("видачі тестового провайдера")

    def __str__(self) -> str:
        return f"dev-idp grant {self.user_id}"
