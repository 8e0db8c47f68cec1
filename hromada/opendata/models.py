"""The open data portal's catalogue in CKAN's vocabulary (ADR 0009): publishers
(organizations), groups, datasets (packages), resources with their versions, the
DataStore's tables, charts and the Resolution 835 checklist. No business logic here:
writes are in services/, reads in selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada

NAME_MAX = 100  # CKAN's name: 2–100 characters, lowercase ASCII, digits, - and _
TITLE_MAX = 300


class PublisherKind(models.TextChoices):
    DEPARTMENT = "department", _("Структурний підрозділ ради")
    ENTERPRISE = "enterprise", _("Комунальне підприємство чи установа")
    PLATFORM = "platform", _("Платформа (дані, які публікує сама система)")


class Publisher(TenantOwned, PublicModel):
    """Who owns datasets: a council department, a municipal enterprise, or the
    platform itself (the datasets the modules declare). CKAN's organization."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=PublisherKind.choices, default=PublisherKind.DEPARTMENT)
    name = models.SlugField(_("коротка назва (латиницею)"), max_length=NAME_MAX)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    description = models.TextField(_("опис"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("вебсайт"), blank=True)
    # ЄДРПОУ: data.gov.ua's publisherIdentifier.
    identifier = models.CharField(_("код ЄДРПОУ"), max_length=10, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="opendata.PublisherMember", related_name="data_publishers"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "name"], name="opendata_publisher_name"),
            models.UniqueConstraint(
                fields=["hromada"], condition=Q(kind="platform"), name="opendata_one_platform_publisher"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    EDITOR = "editor", _("Редактор (публікує й оновлює набори)")
    ADMIN = "admin", _("Адміністратор (ще й керує редакторами)")


class PublisherMember(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publisher", "user"], name="opendata_publisher_member")
        ]


class Group(TenantOwned, PublicModel):
    """A theme that gathers datasets across publishers (CKAN's group)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    name = models.SlugField(max_length=NAME_MAX)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    description = models.TextField(_("опис"), blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["hromada", "name"], name="opendata_group_name")]

    def __str__(self) -> str:
        return self.title


class Tag(TenantOwned, models.Model):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["hromada", "name"], name="opendata_tag_name")]

    def __str__(self) -> str:
        return self.name


class DatasetState(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    PUBLISHED = "published", _("Оприлюднено")
    WITHDRAWN = "withdrawn", _("Знято з оприлюднення")


class DatasetSource(models.TextChoices):
    MANUAL = "manual", _("Публікує розпорядник")
    PLATFORM = "platform", _("Публікує платформа з даних свого модуля")


class Dataset(TenantOwned, PublicModel):
    """A dataset (CKAN's package). The data.gov.ua fields are kept as the publisher
    chose them: `frequency` holds data.gov.ua's Ukrainian words verbatim ("Щомісяця",
    "Відразу після внесення змін"; services.vocabularies maps them to the national
    API's keys and to the EU frequency authority)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="datasets")
    name = models.SlugField(_("адреса набору (латиницею)"), max_length=NAME_MAX)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    notes = models.TextField(_("опис"), blank=True)
    state = models.CharField(max_length=10, choices=DatasetState.choices, default=DatasetState.DRAFT)
    source = models.CharField(max_length=10, choices=DatasetSource.choices, default=DatasetSource.MANUAL)
    # A platform dataset: the module and slug of the registry's Dataset it publishes.
    module_label = models.CharField(max_length=50, blank=True)
    module_slug = models.CharField(max_length=80, blank=True)
    license_id = models.CharField(_("ліцензія"), max_length=40, default="CC-BY-4.0")
    frequency = models.CharField(_("частота оновлення"), max_length=60, blank=True)
    purpose = models.CharField(_("мета збору інформації"), max_length=512, blank=True)
    language = models.CharField(_("мова"), max_length=10, default="uk")
    maintainer = models.CharField(_("відповідальна особа"), max_length=200, blank=True)
    maintainer_email = models.EmailField(_("e-mail відповідальної особи"), blank=True)
    spatial = models.CharField(_("територія, яку охоплюють дані"), max_length=300, blank=True)
    temporal_start = models.DateField(_("дані з"), null=True, blank=True)
    temporal_end = models.DateField(_("дані по"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    groups = models.ManyToManyField(Group, blank=True, related_name="datasets")
    published_at = models.DateTimeField(null=True, blank=True)
    # CKAN's metadata_modified: the harvester's incremental key; moved by every change
    # of the dataset or its resources, by the services, never by auto_now.
    metadata_modified = models.DateTimeField(db_index=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    # The words it is found by (search.search_text_of), kept by the services; PostgreSQL
    # searches its tsvector through an expression index (migration 0003).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-metadata_modified"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "name"], name="opendata_dataset_name"),
            models.UniqueConstraint(
                fields=["hromada", "module_label", "module_slug"],
                condition=Q(source="platform"),
                name="opendata_one_platform_dataset",
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | (~Q(module_label="") & ~Q(module_slug="")),
                name="opendata_platform_dataset_names_module",
            ),
            models.CheckConstraint(
                condition=Q(temporal_start__isnull=True)
                | Q(temporal_end__isnull=True)
                | Q(temporal_start__lte=models.F("temporal_end")),
                name="opendata_dataset_temporal_order",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="opendata_published_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["hromada", "state", "-metadata_modified"], name="opendata_ds_state")]

    def __str__(self) -> str:
        return self.title


class Resource(TenantOwned, PublicModel):
    """A file (its versions are ResourceVersion rows; `current` is the one served) or a
    link to data kept elsewhere (`url`)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("назва"), max_length=TITLE_MAX)
    description = models.TextField(_("опис"), blank=True)
    format = models.CharField(_("формат"), max_length=20, blank=True)  # CSV, XLSX, JSON, GEOJSON, PDF …
    url = models.URLField(_("посилання (для даних, що зберігаються деінде)"), max_length=1000, blank=True)
    current = models.ForeignKey(
        "opendata.ResourceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The current version's data is in the DataStore (datastore_search answers for it).
    datastore_active = models.BooleanField(default=False)
    last_modified = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveBigIntegerField(default=0)
    # Withdrawn: no longer served or listed, its versions kept (the ledger has their
    # hashes); its address answers 410 with the reason.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("причина зняття"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | Q(current__isnull=False) | Q(datastore_active=False),
                name="opendata_resource_datastore_needs_data",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="opendata_resource_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceVersion(TenantOwned, TimeStampedModel):
    """One upload of a resource's file; every version is kept."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="opendata/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    mimetype = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("що змінилося"), max_length=300, blank=True)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="opendata_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="opendata_version_from_one"),
        ]


class DownloadDay(TenantOwned, models.Model):
    """Downloads of a resource per day (incremented with F(); the resource's total too)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="download_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "day"], name="opendata_download_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"


class LoadState(models.TextChoices):
    PENDING = "pending", _("У черзі")
    LOADING = "loading", _("Завантажується")
    DONE = "done", _("Завантажено")
    FAILED = "failed", _("Не вдалося завантажити")


class DatastoreTable(TenantOwned, TimeStampedModel):
    """The DataStore table of one resource version (ADR 0009 decision 4): its real name,
    its columns as inferred, and the load's progress and refusals."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    version = models.OneToOneField(ResourceVersion, on_delete=models.CASCADE, related_name="datastore")
    table_name = models.CharField(max_length=63, unique=True)
    # [{"id": "column", "type": "int|numeric|bool|date|timestamp|text", "source": "header as in the file"}]
    columns = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=LoadState.choices, default=LoadState.PENDING)
    encoding = models.CharField(max_length=30, blank=True)
    rows_loaded = models.PositiveBigIntegerField(default=0)
    rows_refused = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)  # progress against the version's size
    # The first refusals: [{"row": 17, "column": "amount", "value": "12,5O", "reason": "…"}]
    errors = models.JSONField(default=list)
    message = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="done") | Q(finished_at__isnull=False), name="opendata_load_done_finished"
            ),
        ]


class ChartKind(models.TextChoices):
    BAR = "bar", _("Стовпчикова")
    LINE = "line", _("Лінійна")
    PIE = "pie", _("Кругова")


class Aggregate(models.TextChoices):
    COUNT = "count", _("Кількість рядків")
    SUM = "sum", _("Сума")
    MEAN = "mean", _("Середнє")


class Chart(TenantOwned, PublicModel):
    """A chart a publisher configures over a DataStore resource's columns (ADR 0009
    decision 10), drawn on the server as SVG with its data table."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="charts")
    kind = models.CharField(max_length=5, choices=ChartKind.choices, default=ChartKind.BAR)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    x = models.CharField(_("стовпець категорій (вісь X)"), max_length=63)
    y = models.CharField(_("стовпець значень (вісь Y)"), max_length=63, blank=True)
    aggregate = models.CharField(max_length=5, choices=Aggregate.choices, default=Aggregate.COUNT)
    limit = models.PositiveSmallIntegerField(_("скільки категорій показати"), default=12)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(limit__gte=2, limit__lte=50), name="opendata_chart_limit"),
            models.CheckConstraint(
                condition=Q(aggregate="count") | ~Q(y=""), name="opendata_chart_value_column"
            ),
        ]


class RequiredDataset(models.Model):
    """One dataset of the Resolution 835 list (shared by every hromada; loaded from
    hromada/opendata/data/resolution-835-local.csv by a data migration)."""

    section = models.CharField(
        max_length=100
    )  # «Усі розпорядники інформації» / «Органи місцевого самоврядування»
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    source = models.TextField(blank=True)
    # Resolution 835 sets no term per dataset; the checklist reads the frequency of the
    # dataset that fulfils it, and this default when the dataset states none.
    default_frequency = models.CharField(max_length=60, default="Щороку")

    class Meta:
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="opendata_required_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"


class Requirement(TenantOwned, TimeStampedModel):
    """A hromada's answer to one required dataset: which dataset fulfils it (or why it
    does not apply), who is responsible."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    required = models.ForeignKey(RequiredDataset, on_delete=models.PROTECT, related_name="+")
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="requirements"
    )
    not_applicable = models.CharField(_("чому не стосується громади"), max_length=500, blank=True)
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_for = models.DateField(null=True, blank=True)  # the due date last reminded of

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hromada", "required"], name="opendata_one_requirement"),
            models.CheckConstraint(
                condition=Q(dataset__isnull=True) | Q(not_applicable=""), name="opendata_requirement_either"
            ),
        ]


class OpenDataSettings(TenantOwned, TimeStampedModel):
    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="opendata_settings")
    # The local budget's code in the state's open-budget service (openbudget.gov.ua).
    budget_code = models.CharField(_("код бюджету громади"), max_length=20, blank=True)
    remind_days = models.PositiveSmallIntegerField(
        _("за скільки днів нагадати про оновлення набору"), default=7
    )
    default_license = models.CharField(_("ліцензія за замовчуванням"), max_length=40, default="CC-BY-4.0")

    class Meta:
        verbose_name = _("налаштування відкритих даних")
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_days__gte=1, remind_days__lte=90), name="opendata_remind_days"
            )
        ]


class BudgetKind(models.TextChoices):
    REVENUES = "revenues", _("Доходи")
    PROGRAMME = "programme", _("Видатки за програмами (КПКВК)")
    ECONOMIC = "economic", _("Видатки за економічною класифікацією (КЕКВ)")


class BudgetImport(TenantOwned, TimeStampedModel):
    """One import of an open-budget file (docs/opendata-budget.md): which year and kind,
    the resource of the `budget-<year>` dataset it became a version of, and what the
    reader reported row by row. The explorer finds a year's tables through the latest
    import of each kind."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=BudgetKind.choices)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="budget_imports")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="budget_imports")
    version = models.ForeignKey(
        ResourceVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=30, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # The first refusals: [{"row": 17, "column": "Виконано", "value": "12,5O", "reason": "…"}]
    problems = models.JSONField(default=list)
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="opendata_budget_year"),
            models.CheckConstraint(
                condition=Q(kind__in=["revenues", "programme", "economic"]), name="opendata_budget_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["hromada", "year", "kind", "-created_at"], name="opendata_budget_latest")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}"
