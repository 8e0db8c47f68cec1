from django.db import models
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TenantManager, TimeStampedModel


class IdentityLevel(models.TextChoices):
    EMAIL = "email", _("Підтверджена електронна пошта")
    VERIFIED = "verified", _("Підтверджена особа (id.gov.ua, OpenID Connect, ЦНАП)")


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

    # Set on the instance by hromada.tenancy.selectors.modules_disabled (a per-request cache).
    _modules_disabled: frozenset[str]

    class Meta:
        verbose_name = _("громада")
        verbose_name_plural = _("громади")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModuleSwitch(TimeStampedModel):
    """A module a hromada has switched off (or back on). No row: the module is on.
    Changed only through `hromada.tenancy.services.module_switch_set`."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="module_switches")
    module = models.CharField(_("модуль"), max_length=60)
    enabled = models.BooleanField(_("увімкнено"), default=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("перемикач модуля")
        verbose_name_plural = _("перемикачі модулів")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "module"], name="module_switch_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.module} ({'on' if self.enabled else 'off'}) @ {self.hromada_id}"
