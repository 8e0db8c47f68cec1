"""The service centre (ЦНАП, ADR 0010), part (a): the catalogue of administrative
services, the offices with their windows, weekly hours and exceptions.

The catalogue is rows, not pages (decision 2); time is a grid of units per workplace
(decision 3): a workplace's unit length and a service's whole number of units are here,
the free slots computed from them come in part (b). Every invariant the database can
hold is a constraint; what spans tables (a workplace exception's office) the services
check."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada

CODE_MAX = 40
TITLE_MAX = 300
UNIT_MIN, UNIT_MAX = 5, 120


class CnapSettings(TenantOwned, TimeStampedModel):
    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="cnap_settings")
    default_unit_minutes = models.PositiveSmallIntegerField(
        _("тривалість одиниці часу нового робочого місця, хвилин"), default=15
    )
    intro = models.TextField(
        _("вступ до каталогу послуг"),
        blank=True,
        help_text=_("Кілька речень над каталогом: що таке ЦНАП громади, як записатися, що взяти з собою."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(default_unit_minutes__gte=UNIT_MIN, default_unit_minutes__lte=UNIT_MAX),
                name="cnap_settings_unit_range",
            )
        ]


class ServiceCategory(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("код"), max_length=60)
    name = models.CharField(_("назва"), max_length=200)
    description = models.TextField(_("опис"), blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "code"], name="cnap_category_code"),
        ]

    def __str__(self) -> str:
        return self.name


class LifeSituation(TenantOwned, TimeStampedModel):
    """«Народження дитини», «Купівля житла»: the services a moment of life needs."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("код"), max_length=60)
    name = models.CharField(_("назва"), max_length=200)
    description = models.TextField(_("опис"), blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "code"], name="cnap_situation_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", _("чернетка")
    PUBLISHED = "published", _("оприлюднено")
    ARCHIVED = "archived", _("в архіві")


class FeeKind(models.TextChoices):
    FREE = "free", _("безоплатно")
    FIXED = "fixed", _("платно, фіксована сума")
    TARIFF = "tariff", _("платно, за тарифом")


class Service(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    # The code of the national register of administrative services, or the centre's own.
    code = models.CharField(_("код послуги"), max_length=CODE_MAX)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    description = models.TextField(_("коротко, що це за послуга"), blank=True)
    provider = models.CharField(_("суб'єкт надання"), max_length=300, blank=True)
    legal_basis = models.TextField(_("правові підстави"), blank=True)
    applicants = models.TextField(_("хто може звернутися"), blank=True)
    term = models.CharField(_("строк надання"), max_length=200, blank=True)
    result = models.TextField(_("результат"), blank=True)
    result_delivery = models.TextField(_("як отримати результат"), blank=True)
    fee_kind = models.CharField(_("оплата"), max_length=10, choices=FeeKind.choices, default=FeeKind.FREE)
    fee_amount = models.DecimalField(_("сума, грн"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_note = models.TextField(_("як і куди платити, тариф"), blank=True)
    in_person = models.BooleanField(_("особисто в ЦНАП"), default=True)
    online_url = models.URLField(_("онлайн-послуга (посилання)"), max_length=500, blank=True)
    diia_url = models.URLField(_("послуга в Дії (посилання)"), max_length=500, blank=True)
    visit_units = models.PositiveSmallIntegerField(_("тривалість візиту, одиниць часу"), default=1)
    booking_allowed = models.BooleanField(_("можна записатися онлайн"), default=True)
    category = models.ForeignKey(
        ServiceCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="services")
    status = models.CharField(max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    # The words it is found by (selectors.search_text_of), kept by the services;
    # PostgreSQL searches its tsvector through an expression index (migration 0001).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "code"], name="cnap_service_code"),
            models.CheckConstraint(condition=Q(visit_units__gte=1), name="cnap_service_visit_units"),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values), name="cnap_service_status_valid"
            ),
            models.CheckConstraint(condition=Q(fee_kind__in=FeeKind.values), name="cnap_service_fee_kind"),
            # A fixed fee has its amount; a free service has none.
            models.CheckConstraint(
                condition=(
                    Q(fee_kind=FeeKind.FIXED, fee_amount__isnull=False, fee_amount__gt=0)
                    | ~Q(fee_kind=FeeKind.FIXED)
                )
                & (Q(fee_amount__isnull=True) | Q(fee_amount__gte=0))
                & ~Q(fee_kind=FeeKind.FREE, fee_amount__isnull=False),
                name="cnap_service_fee",
            ),
            models.CheckConstraint(
                condition=Q(status=ServiceStatus.DRAFT) | Q(published_at__isnull=False),
                name="cnap_service_published_at",
            ),
        ]
        indexes = [models.Index(fields=["hromada", "status", "title"], name="cnap_service_list")]

    def __str__(self) -> str:
        return self.title


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("оригінал")
    COPY = "copy", _("копія")
    BOTH = "both", _("оригінал і копія")


class ServiceDocument(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    title = models.CharField(_("документ"), max_length=TITLE_MAX)
    required = models.BooleanField(_("обов'язковий"), default=True)
    form = models.CharField(
        _("у якому вигляді"), max_length=10, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL
    )
    note = models.CharField(_("примітка"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(form__in=DocumentForm.values), name="cnap_document_form"),
        ]


class OfficeKind(models.TextChoices):
    CENTRE = "centre", _("центр надання адміністративних послуг")
    REMOTE = "remote", _("віддалене робоче місце")
    MOBILE = "mobile", _("мобільний кейс")


class Office(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("вид"), max_length=10, choices=OfficeKind.choices, default=OfficeKind.CENTRE)
    code = models.SlugField(_("коротке ім'я (для адреси сторінки)"), max_length=60)
    name = models.CharField(_("назва"), max_length=200)
    address = models.CharField(_("адреса"), max_length=300, blank=True)
    lat = models.FloatField(_("широта"), null=True, blank=True)
    lon = models.FloatField(_("довгота"), null=True, blank=True)
    # The starosta okrug it serves, a row of the community registers (read through
    # hromada.places.selectors only; empty when places is off).
    okrug = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("електронна пошта"), blank=True)
    how_to_get = models.TextField(_("як дістатися, доступність"), blank=True)
    active = models.BooleanField(_("працює"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "code"], name="cnap_office_code"),
            models.CheckConstraint(condition=Q(kind__in=OfficeKind.values), name="cnap_office_kind"),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (
                    Q(lat__isnull=False, lon__isnull=False)
                    & Q(lat__gte=-90, lat__lte=90)
                    & Q(lon__gte=-180, lon__lte=180)
                ),
                name="cnap_office_point",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Workplace(TenantOwned, TimeStampedModel):
    """A window of an office: its number and the services its administrators serve."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="workplaces")
    number = models.PositiveSmallIntegerField(_("номер вікна"))
    name = models.CharField(_("назва"), max_length=200, blank=True)
    unit_minutes = models.PositiveSmallIntegerField(_("одиниця часу, хвилин"), default=15)
    services = models.ManyToManyField(Service, blank=True, related_name="workplaces")
    active = models.BooleanField(_("працює"), default=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="cnap_workplace_number"),
            models.CheckConstraint(
                condition=Q(unit_minutes__gte=UNIT_MIN, unit_minutes__lte=UNIT_MAX),
                name="cnap_workplace_unit_range",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="cnap_workplace_number_positive"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.number)


class WeeklyHours(TenantOwned, TimeStampedModel):
    """One row per office and weekday (0 Monday … 6 Sunday), with an optional break.
    The legal evening hours (ЦНАП works one day a week until 20:00) are an ordinary row."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("день тижня"))
    opens = models.TimeField(_("відкривається"))
    closes = models.TimeField(_("зачиняється"))
    break_starts = models.TimeField(_("перерва з"), null=True, blank=True)
    break_ends = models.TimeField(_("перерва до"), null=True, blank=True)

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="cnap_hours_weekday"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="cnap_hours_weekday_range"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="cnap_hours_order"),
            models.CheckConstraint(
                condition=(Q(break_starts__isnull=True) & Q(break_ends__isnull=True))
                | (
                    Q(break_starts__isnull=False, break_ends__isnull=False)
                    & Q(break_starts__gt=F("opens"))
                    & Q(break_starts__lt=F("break_ends"))
                    & Q(break_ends__lt=F("closes"))
                ),
                name="cnap_hours_break",
            ),
        ]


class ScheduleException(TenantOwned, TimeStampedModel):
    """A closure or other hours of an office, or of one workplace (an administrator's
    absence), for a range of dates (both inclusive)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="exceptions")
    workplace = models.ForeignKey(
        Workplace, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    starts_on = models.DateField(_("з"))
    ends_on = models.DateField(_("по"))
    closed = models.BooleanField(_("не працює"), default=True)
    opens = models.TimeField(_("відкривається"), null=True, blank=True)
    closes = models.TimeField(_("зачиняється"), null=True, blank=True)
    reason = models.CharField(_("причина"), max_length=300)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="cnap_exception_dates"),
            models.CheckConstraint(
                condition=(Q(closed=True) & Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(closed=False, opens__isnull=False, closes__isnull=False) & Q(opens__lt=F("closes"))),
                name="cnap_exception_hours",
            ),
        ]
        indexes = [models.Index(fields=["office", "ends_on"], name="cnap_exception_office")]
