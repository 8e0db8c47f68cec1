from __future__ import annotations

import uuid
from typing import Any, cast

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
