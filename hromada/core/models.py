from __future__ import annotations

import uuid
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def column_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """`model._meta.get_field(name)` for a field with a column, as the raw-SQL builders
    name them (get_field is typed as any field, reverse relation or generic key)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """Rows that leave the server are named by a UUID, never by their sequential id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet):
    def for_hromada(self, hromada) -> TenantQuerySet:
        """Rows of one hromada: the start of every query of tenant data."""
        return self.filter(hromada=hromada)


# A base made by from_queryset at run time: mypy cannot use a call as a base class.
class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    pass


class TenantOwned(models.Model):
    """Base of every tenant-owned model: it has a `hromada` foreign key (declared by the
    model, so each keeps its own related name and delete rule) and `for_hromada()`.
    The system check hromada.C001 lists domain models that do not use it."""

    objects = TenantManager()

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """Last sign of life of a long-running process (the worker), read by /healthz."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at}"


class MartialLawPeriod(TimeStampedModel):
    """A period of martial law. While it lasts, art. 73 holidays are ordinary working days
    and nothing is carried over (Law No. 2136-IX, art. 6 part 6); only weekends are off.

    Install-wide, not per hromada: martial law is declared for the whole country.
    Changed only through `hromada.core.calendar.martial_law_period_set`."""

    starts_on = models.DateField(_("перший день"), unique=True)
    ends_on = models.DateField(
        _("останній день"), null=True, blank=True, help_text=_("Порожньо — воєнний стан триває.")
    )
    note = models.CharField(_("підстава"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("період воєнного стану")
        verbose_name_plural = _("періоди воєнного стану")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="martial_law_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on or '…'}"


class HolidayOverride(TimeStampedModel):
    """An operator's correction of the computed calendar for one date: an extra day off
    (e.g. a day off declared by law for one year) or a date that is a working day
    whatever the rules say (e.g. a working Saturday). Install-wide.
    Changed only through `hromada.core.calendar.calendar_override_add/remove`."""

    class Kind(models.TextChoices):
        ADD = "add", _("Неробочий день")
        REMOVE = "remove", _("Робочий день")

    date = models.DateField(_("дата"), unique=True)
    kind = models.CharField(_("вид"), max_length=6, choices=Kind.choices)
    name = models.CharField(_("назва або підстава"), max_length=200)

    class Meta:
        verbose_name = _("зміна календаря")
        verbose_name_plural = _("зміни календаря")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["add", "remove"]), name="holiday_override_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}: {self.name}"


class RateCounter(models.Model):
    """One window of one rate limit for one account or client address
    (hromada.core.ratelimit). Install-wide: an address is not a hromada's. `key` is
    "<limit>|<account|address>|<keyed hash>", never an address or e-mail in clear;
    `expires` is the window's end in Unix seconds. Written only by core.ratelimit's
    upsert; expired rows are purged by its periodic job."""

    key = models.CharField(max_length=120, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} until {self.expires}"


class PhasePlan(TenantOwned, TimeStampedModel):
    """Dated phases of one thing of a module (a budget's cycle, a consultation), which
    move on their own (hromada.core.phases, docs/phases.md). `owner` is
    "<module label>:<object key>"; the module is told of each change through its
    `phase_changed` hook. `current_code` is the phase the last tick moved the plan to
    ("" before the first, in a gap and after the last), `next_change_at` the moment the
    tick must look at it again. Written only by hromada.core.phases."""

    hromada = models.ForeignKey("tenancy.Hromada", on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=120)
    title = models.CharField(_("назва"), max_length=200)
    ledger_kind = models.CharField(max_length=80)
    current_code = models.SlugField(max_length=50, blank=True, default="")
    current_since = models.DateTimeField(null=True, blank=True)
    next_change_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("графік етапів")
        verbose_name_plural = _("графіки етапів")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "owner"], name="phase_plan_owner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.title}"

    @property
    def module_label(self) -> str:
        return self.owner.partition(":")[0]


class Phase(TenantOwned, TimeStampedModel):
    """One phase of a plan, in force from `starts_at` (inclusive) to `ends_at`
    (exclusive). Phases of a plan never overlap (checked by the services under a lock
    of the plan); gaps between them are allowed."""

    hromada = models.ForeignKey("tenancy.Hromada", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(PhasePlan, on_delete=models.CASCADE, related_name="phases")
    code = models.SlugField(max_length=50)
    name = models.CharField(_("назва"), max_length=200)
    order = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("початок"))
    ends_at = models.DateTimeField(_("кінець"))

    class Meta:
        verbose_name = _("етап")
        verbose_name_plural = _("етапи")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="phase_code_unique_in_plan"),
            models.UniqueConstraint(fields=["plan", "order"], name="phase_order_unique_in_plan"),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="phase_starts_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class PhaseExtension(TenantOwned):
    """A phase's end moved by an official — later (phase_extend) or earlier
    (phase_shorten): an act of office, kept for the record."""

    hromada = models.ForeignKey("tenancy.Hromada", on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="extensions")
    old_ends_at = models.DateTimeField()
    new_ends_at = models.DateTimeField()
    shifted_following = models.BooleanField(default=False)
    reason = models.TextField(_("підстава"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("продовження етапу")
        verbose_name_plural = _("продовження етапів")
        constraints = [
            # Either way, but it must move: an extension (later) or a shortening (earlier).
            models.CheckConstraint(condition=~Q(new_ends_at=F("old_ends_at")), name="phase_extension_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.phase_id}: {self.old_ends_at} → {self.new_ends_at}"
