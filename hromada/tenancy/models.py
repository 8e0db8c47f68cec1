from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TimeStampedModel


class IdentityLevel(models.TextChoices):
    EMAIL = "email", _("Підтверджена електронна пошта")
    VERIFIED = "verified", _("Підтверджена особа (id.gov.ua, OpenID Connect, ЦНАП)")


class SignerNames(models.TextChoices):
    FULL = "full", _("Повне ім'я")
    INITIALS = "initials", _("Ім'я та ініціал прізвища")


class Hromada(TimeStampedModel):
    """The tenant: one territorial community."""

    name = models.CharField(_("назва"), max_length=200)
    name_en = models.CharField(_("назва англійською"), max_length=200, blank=True)
    slug = models.SlugField(_("коротке ім'я"), max_length=60, unique=True)
    katottg = models.CharField(
        _("код КАТОТТГ"),
        max_length=19,
        unique=True,
        help_text=_("Код за Кодифікатором адміністративно-територіальних одиниць, напр. UA14160230000089823"),
    )
    population = models.PositiveIntegerField(_("населення"), default=0)
    hosts = models.JSONField(_("доменні імена"), default=list, blank=True)
    languages = models.JSONField(_("мови"), default=list, blank=True)
    time_zone = models.CharField(_("часовий пояс"), max_length=64, default="Europe/Kyiv")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("громада")
        verbose_name_plural = _("громади")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Statute(TimeStampedModel):
    """The rules a hromada's statute sets for its participation tools."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="statute")
    petition_threshold = models.PositiveIntegerField(
        _("поріг підписів"), default=250, validators=[MinValueValidator(1)]
    )
    petition_collection_days = models.PositiveSmallIntegerField(
        _("строк збору підписів, календарних днів"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    petition_moderation_days = models.PositiveSmallIntegerField(
        _("строк модерації, робочих днів"), default=2, validators=[MaxValueValidator(30)]
    )
    petition_consideration_days = models.PositiveSmallIntegerField(
        _("строк розгляду, робочих днів"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    petition_min_age = models.PositiveSmallIntegerField(
        _("мінімальний вік підписанта"), default=16, validators=[MaxValueValidator(100)]
    )
    petition_sign_level = models.CharField(
        _("рівень ідентифікації для підпису"),
        max_length=10,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    petition_submit_level = models.CharField(
        _("рівень ідентифікації для подання"),
        max_length=10,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    petition_signer_names = models.CharField(
        _("показ імен підписантів"),
        max_length=10,
        choices=SignerNames.choices,
        default=SignerNames.FULL,
    )

    class Meta:
        verbose_name = _("статут")
        verbose_name_plural = _("статути")
        constraints = [
            models.CheckConstraint(condition=Q(petition_threshold__gte=1), name="statute_threshold_positive"),
            models.CheckConstraint(
                condition=Q(petition_collection_days__gte=1), name="statute_collection_positive"
            ),
            models.CheckConstraint(
                condition=Q(petition_consideration_days__gte=1), name="statute_consideration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Statute of {self.hromada}"
