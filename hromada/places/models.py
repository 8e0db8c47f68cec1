"""The hromada's own geography: settlements from the codifier, areas, streets with their
former names, buildings, the address keys they are found by, and service territories.

Geometry is GeoJSON validated with shapely (hromada/places/geometry.py), with a bounding
box in indexed columns; points are two indexed floats (ADR 0005: no PostGIS, so the
embedded SQLite demo and PostgreSQL behave the same)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada


class SettlementCategory(models.TextChoices):
    # The codifier's own letters (КАТОТТГ, the Ministry's order No. 290 of 2020).
    CITY = "M", _("місто")
    URBAN = "T", _("селище міського типу")
    VILLAGE = "C", _("село")
    SETTLEMENT = "X", _("селище")


class Settlement(TenantOwned, TimeStampedModel):
    """A settlement of the hromada, as the codifier lists it. Loaded by
    `services.settlements_load`, never typed by hand; only its okrug, centre point and
    population are edited."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="settlements")
    katottg = models.CharField(_("код КАТОТТГ"), max_length=19)
    category = models.CharField(_("категорія"), max_length=1, choices=SettlementCategory.choices)
    name = models.CharField(_("назва"), max_length=200)
    name_en = models.CharField(_("назва латиницею"), max_length=200, blank=True)
    slug = models.SlugField(_("коротке ім'я"), max_length=80, allow_unicode=False)
    is_centre = models.BooleanField(_("адміністративний центр громади"), default=False)
    okrug = models.ForeignKey(
        "places.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("старостинський округ"),
    )
    lat = models.FloatField(_("широта"), null=True, blank=True)
    lon = models.FloatField(_("довгота"), null=True, blank=True)
    population = models.PositiveIntegerField(_("населення"), null=True, blank=True)

    class Meta:
        verbose_name = _("населений пункт")
        verbose_name_plural = _("населені пункти")
        ordering = ["-is_centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "katottg"], name="settlement_katottg_unique"),
            models.UniqueConstraint(fields=["hromada", "slug"], name="settlement_slug_unique"),
            models.UniqueConstraint(
                fields=["hromada"], condition=Q(is_centre=True), name="settlement_one_centre"
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="settlement_point_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AreaKind(models.TextChoices):
    BOUNDARY = "boundary", _("межа громади")
    OKRUG = "okrug", _("старостинський округ")
    DISTRICT = "district", _("район міста")
    TERRITORY = "territory", _("територія обслуговування")
    ZONE = "zone", _("іменована зона")


# Kinds whose members must not overlap their neighbours of the same kind.
EXCLUSIVE_KINDS = frozenset({AreaKind.BOUNDARY, AreaKind.OKRUG, AreaKind.DISTRICT})


class Area(TenantOwned, PublicModel):
    """A named area: the hromada's boundary (one), a starosta okrug, a city district, a
    service territory of some module (`purpose`: its label, e.g. "education"), or any
    named zone (an alert zone). Geometry is a GeoJSON Polygon or MultiPolygon in WGS 84;
    an okrug may have none yet (its villages say what it is)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(_("вид"), max_length=16, choices=AreaKind.choices)
    purpose = models.CharField(
        _("для чого"),
        max_length=60,
        blank=True,
        help_text=_("Модуль, якому належить територія обслуговування чи зона (напр. «education»)."),
    )
    name = models.CharField(_("назва"), max_length=200)
    name_en = models.CharField(_("назва англійською"), max_length=200, blank=True)
    slug = models.SlugField(_("коротке ім'я"), max_length=80)
    description = models.TextField(_("опис"), blank=True)
    geometry = models.JSONField(_("межі (GeoJSON)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    # The okrug's starosta (or a district's head) and the office residents go to.
    head_name = models.CharField(_("староста / керівник"), max_length=200, blank=True)
    head_title = models.CharField(_("посада"), max_length=200, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("електронна пошта"), blank=True)
    office_address = models.CharField(_("адреса приймальні"), max_length=300, blank=True)
    office_hours = models.CharField(_("години прийому"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("територія")
        verbose_name_plural = _("території")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "kind", "purpose", "slug"], name="area_slug_unique"),
            models.UniqueConstraint(
                fields=["hromada"], condition=Q(kind="boundary"), name="area_one_boundary"
            ),
            models.CheckConstraint(
                condition=Q(geometry__isnull=True, min_lon__isnull=True)
                | Q(
                    geometry__isnull=False,
                    min_lon__isnull=False,
                    min_lat__isnull=False,
                    max_lon__isnull=False,
                    max_lat__isnull=False,
                    min_lon__lte=models.F("max_lon"),
                    min_lat__lte=models.F("max_lat"),
                ),
                name="area_bbox_with_geometry",
            ),
        ]
        indexes = [
            models.Index(fields=["hromada", "kind", "min_lon", "max_lon"], name="area_bbox_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class StreetType(models.TextChoices):
    STREET = "вулиця", _("вулиця")
    LANE = "провулок", _("провулок")
    AVENUE = "проспект", _("проспект")
    SQUARE = "площа", _("площа")
    BOULEVARD = "бульвар", _("бульвар")
    EMBANKMENT = "набережна", _("набережна")
    DESCENT = "узвіз", _("узвіз")
    HIGHWAY = "шосе", _("шосе")
    MAIDAN = "майдан", _("майдан")
    DEAD_END = "тупик", _("тупик")
    PASSAGE = "проїзд", _("проїзд")
    ALLEY = "алея", _("алея")
    MICRODISTRICT = "мікрорайон", _("мікрорайон")


class Street(TenantOwned, PublicModel):
    """A street of a settlement, under its current name. Former names are StreetName rows."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="streets")
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="streets", verbose_name=_("населений пункт")
    )
    street_type = models.CharField(
        _("тип"), max_length=20, choices=StreetType.choices, default=StreetType.STREET
    )
    name = models.CharField(_("назва"), max_length=200)
    name_en = models.CharField(_("назва латиницею"), max_length=200, blank=True)
    # fold(name): the street's identity within its settlement and type.
    name_key = models.CharField(max_length=200, editable=False)
    geometry = models.JSONField(_("осьова лінія (GeoJSON)"), null=True, blank=True)
    osm_id = models.CharField(_("ідентифікатор OpenStreetMap"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("вулиця")
        verbose_name_plural = _("вулиці")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "street_type", "name_key"], name="street_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_street_type_display()} {self.name}"


class StreetName(TenantOwned, TimeStampedModel):
    """A former name of a street, with the date it stopped and the decision that renamed it."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="street_names")
    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="former_names")
    street_type = models.CharField(
        _("тип"), max_length=20, choices=StreetType.choices, default=StreetType.STREET
    )
    name = models.CharField(_("колишня назва"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    renamed_on = models.DateField(_("дата перейменування"), null=True, blank=True)
    decision = models.CharField(
        _("рішення про перейменування"),
        max_length=300,
        blank=True,
        help_text=_("Напр. «рішення міської ради № 1234 від 19.05.2016»."),
    )
    decision_url = models.URLField(_("посилання на рішення"), blank=True)

    class Meta:
        verbose_name = _("колишня назва вулиці")
        verbose_name_plural = _("колишні назви вулиць")
        ordering = ["-renamed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "street_type", "name_key"], name="street_former_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street_type} {self.name}"


class BuildingUse(models.TextChoices):
    RESIDENTIAL = "residential", _("житловий")
    APARTMENTS = "apartments", _("багатоквартирний житловий")
    PUBLIC = "public", _("громадський")
    EDUCATION = "education", _("освітній")
    HEALTH = "health", _("медичний")
    COMMERCIAL = "commercial", _("комерційний")
    INDUSTRIAL = "industrial", _("виробничий")
    OTHER = "other", _("інший")


class Building(TenantOwned, PublicModel):
    """A building (an address): its number as people write it and its canonical key."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="buildings")
    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="buildings")
    number = models.CharField(_("номер"), max_length=40)
    # addresses.house_key(number): "12А" and "12-а" are one building.
    house_key = models.CharField(max_length=40, editable=False)
    postcode = models.CharField(_("поштовий індекс"), max_length=5, blank=True)
    lat = models.FloatField(_("широта"), null=True, blank=True)
    lon = models.FloatField(_("довгота"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("поверхів"), null=True, blank=True)
    year_built = models.PositiveSmallIntegerField(_("рік побудови"), null=True, blank=True)
    use = models.CharField(_("призначення"), max_length=20, choices=BuildingUse.choices, blank=True)
    # Further attributes later modules read (e.g. {"apartments": 60, "shelter": true}).
    attributes = models.JSONField(_("інші властивості"), default=dict, blank=True)
    osm_id = models.CharField(_("ідентифікатор OpenStreetMap"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("будинок")
        verbose_name_plural = _("будинки")
        ordering = ["street", "house_key"]
        constraints = [
            models.UniqueConstraint(fields=["street", "house_key"], name="building_house_unique"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="building_point_valid",
            ),
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^\d{5}$"), name="building_postcode"
            ),
        ]
        indexes = [models.Index(fields=["hromada", "lat", "lon"], name="building_point_idx")]

    def __str__(self) -> str:
        return f"{self.street}, {self.number}"


class AddressKey(TenantOwned):
    """One way of writing a street or a building: its current or a former name, with or
    without the given name ("тараса шевченка" and "шевченка"), in Cyrillic and in the
    official Latin. Autocomplete is a prefix lookup on `key` (hromada/places/search.py).
    `building` is empty for the street's own key."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, null=True, related_name="+")
    key = models.CharField(max_length=260)
    former = models.ForeignKey(StreetName, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        indexes = [
            # SQLite: prefix lookups as a range over this index (bytewise order).
            models.Index(fields=["hromada", "key"], name="address_key_idx"),
            # PostgreSQL: LIKE 'prefix%' under any collation (ignored elsewhere).
            models.Index(fields=["key"], name="address_key_like_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["street"], name="address_key_street_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class TerritoryRule(TenantOwned, TimeStampedModel):
    """Which houses of a street belong to a service territory (an Area of kind territory):
    all, odd, even, or a range from–to (to empty: to the end of the street), letters
    ordering after their number (12 < 12А < 12Б < 13). hromada/places/territories.py."""

    class Parity(models.TextChoices):
        ALL = "all", _("усі будинки")
        ODD = "odd", _("непарні")
        EVEN = "even", _("парні")

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="rules")
    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="territory_rules")
    parity = models.CharField(_("які номери"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    from_house = models.CharField(_("від номера"), max_length=20, blank=True)
    to_house = models.CharField(
        _("до номера"), max_length=20, blank=True, help_text=_("Порожньо — до кінця вулиці.")
    )

    class Meta:
        verbose_name = _("правило території")
        verbose_name_plural = _("правила територій")
        ordering = ["area", "street", "from_house"]

    def __str__(self) -> str:
        return f"{self.area}: {self.street} {self.parity} {self.from_house}–{self.to_house}"


class ImportKind(models.TextChoices):
    STREETS = "streets", _("вулиці")
    BUILDINGS = "buildings", _("будинки")
    AREAS = "areas", _("території")


class ImportRun(TenantOwned, PublicModel):
    """One import of a register file (CSV, GeoJSON, KML), run as a job: good rows are
    kept, each bad row is reported with its reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("у черзі")
        RUNNING = "running", _("виконується")
        DONE = "done", _("завершено")
        FAILED = "failed", _("не вдалося")

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("що імпортується"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("файл"), max_length=255)
    content = models.BinaryField(editable=False)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    # Objects of the file that are not rows of this kind (e.g. unaddressed OSM buildings).
    rows_skipped = models.PositiveIntegerField(default=0)
    # [{"row": 7, "errors": ["…"]}]: the bad rows, each with its reasons (Ukrainian).
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)  # why the whole file failed (an unreadable file)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("імпорт реєстру")
        verbose_name_plural = _("імпорти реєстру")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"
