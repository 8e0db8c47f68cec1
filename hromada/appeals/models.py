"""Appeals e-reception, "Open City" problem reports, the hotline and public-information
requests (issue 13, ADR 0008): four channels into one case system.

A `Case` is one matter a person brought: an appeal under the Law "Про звернення
громадян" (a proposal, a statement or a complaint; individual or collective, with
co-signers), a public-information request under the Law "Про доступ до публічної
інформації", or a problem report (a service request, not a statutory appeal). The
hotline is a channel, not a kind: an operator registers a call as any of the three.

Every change of a case is a `CaseEvent` (its full history; internal comments are events
that are not public), written with its ledger entry by services. Deadlines come from the
legal calendar (services/deadlines.py on hromada.core.calendar) and are stored on the
case, so queues sort and colour by a column.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada

TITLE_MAX = 200
TEXT_MAX = 20_000
NAME_MAX = 200
ADDRESS_MAX = 300
REASON_MAX = 5_000
ALT_TEXT_MAX = 300
CODE_MAX = 40


class AppealSettings(TenantOwned, TimeStampedModel):
    """The hromada's rules for cases (the legal terms themselves are the law's, in
    services/deadlines.py; what a hromada may set is here)."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="appeal_settings")
    confirm_days = models.PositiveSmallIntegerField(
        _("скільки днів заявник може підтвердити чи відкрити знову вирішене повідомлення"), default=14
    )
    remind_days = models.PositiveSmallIntegerField(
        _("за скільки робочих днів до строку нагадати виконавцю"), default=2
    )
    escalate_days = models.PositiveSmallIntegerField(
        _("за скільки робочих днів до строку повідомити керівника підрозділу"), default=1
    )
    nearby_m = models.PositiveSmallIntegerField(_("радіус пошуку схожих повідомлень, м"), default=150)
    report_default_hours = models.PositiveIntegerField(
        _("цільовий строк повідомлення про проблему, годин (якщо категорія не задає свого)"), default=240
    )

    class Meta:
        verbose_name = _("налаштування звернень")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirm_days__gte=1, confirm_days__lte=90), name="appeal_settings_confirm"
            ),
            models.CheckConstraint(condition=Q(remind_days__lte=30), name="appeal_settings_remind"),
            models.CheckConstraint(condition=Q(escalate_days__lte=30), name="appeal_settings_escalate"),
            models.CheckConstraint(
                condition=Q(nearby_m__gte=10, nearby_m__lte=2000), name="appeal_settings_nearby"
            ),
            models.CheckConstraint(
                condition=Q(report_default_hours__gte=1), name="appeal_settings_report_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hromada}: {self._meta.verbose_name}"


class DepartmentKind(models.TextChoices):
    DEPARTMENT = "department", _("Структурний підрозділ ради")
    ENTERPRISE = "enterprise", _("Комунальне підприємство")
    STAROSTA = "starosta", _("Старостинський округ")


class Department(TenantOwned, PublicModel):
    """Who works on cases: a council department, a municipal enterprise (street lighting,
    water, roads…) or a starosta's office. Its head is told when a deadline is near or
    passed; its members see its queue."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=DepartmentKind.choices, default=DepartmentKind.DEPARTMENT)
    name = models.CharField(_("назва"), max_length=NAME_MAX)
    slug = models.SlugField(max_length=60)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("керівник"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="appeals.DepartmentMember", related_name="appeal_departments"
    )
    # A starosta's office takes the cases whose location falls in its okrug.
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "slug"], name="appeal_department_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMember(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="appeal_department_member"),
        ]


class CaseKind(models.TextChoices):
    APPEAL = "appeal", _("Звернення")
    INFO = "info", _("Запит на публічну інформацію")
    REPORT = "report", _("Повідомлення про проблему")


class AppealType(models.TextChoices):
    """Art. 3 of the Law "Про звернення громадян"."""

    NONE = "", _("—")
    PROPOSAL = "proposal", _("Пропозиція (зауваження)")
    STATEMENT = "statement", _("Заява (клопотання)")
    COMPLAINT = "complaint", _("Скарга")


class Category(TenantOwned, PublicModel):
    """What a case is about. For problem reports it is the Open311 service (its `code`
    is the service_code); it routes to a department and, for reports, sets the target
    time. Appeals and information requests may have categories too (a topic)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=CaseKind.choices, default=CaseKind.REPORT)
    code = models.SlugField(_("код послуги (Open311 service_code)"), max_length=CODE_MAX)
    name = models.CharField(_("назва"), max_length=NAME_MAX)
    name_en = models.CharField(_("назва англійською"), max_length=NAME_MAX, blank=True)
    description = models.TextField(_("опис"), max_length=2_000, blank=True)
    group = models.CharField(_("група"), max_length=NAME_MAX, blank=True)
    keywords = models.CharField(_("ключові слова"), max_length=500, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="categories"
    )
    # A problem report's target time to resolve, in hours (None: the settings' default).
    target_hours = models.PositiveIntegerField(_("цільовий строк, годин"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = _("категорії")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "code"], name="appeal_category_code"),
            models.CheckConstraint(
                condition=Q(target_hours__isnull=True) | Q(target_hours__gte=1), name="appeal_category_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AttributeType(models.TextChoices):
    """Open311 GeoReport v2 service definition datatypes."""

    STRING = "string", _("Рядок")
    NUMBER = "number", _("Число")
    DATETIME = "datetime", _("Дата і час")
    TEXT = "text", _("Текст")
    SINGLE = "singlevaluelist", _("Один варіант")
    MULTI = "multivaluelist", _("Кілька варіантів")


class CategoryAttribute(TenantOwned, TimeStampedModel):
    """An extra question of a category (Open311 service definition attribute), e.g.
    "the lamp's pole number"."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(max_length=CODE_MAX)
    description = models.CharField(_("питання"), max_length=NAME_MAX)
    datatype = models.CharField(max_length=16, choices=AttributeType.choices, default=AttributeType.STRING)
    required = models.BooleanField(default=False)
    # [{"key": "...", "name": "..."}] for the list types.
    values = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="appeal_attribute_code"),
        ]


class Channel(models.TextChoices):
    WEB = "web", _("Вебсайт")
    HOTLINE = "hotline", _("Гаряча лінія")
    API = "api", _("Застосунок (Open311)")
    PAPER = "paper", _("Письмово, на папері")
    EMAIL = "email", _("Електронна пошта")
    VISIT = "visit", _("Особистий прийом")


# Channels that count as "submitted electronically" (the programmes' indicator).
ELECTRONIC_CHANNELS = frozenset({Channel.WEB, Channel.API, Channel.EMAIL})


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    REGISTERED = "registered", _("Зареєстровано")
    ASSIGNED = "assigned", _("Призначено виконавця")
    IN_PROGRESS = "in_progress", _("У роботі")
    ANSWERED = "answered", _("Надано відповідь")
    RESOLVED = "resolved", _("Вирішено")
    NOT_FIXED = "not_fixed", _("Закрито, не вирішено")
    REJECTED = "rejected", _("Відхилено")
    RETURNED = "returned", _("Повернуто заявникові")
    FORWARDED = "forwarded", _("Переслано за належністю")
    DUPLICATE = "duplicate", _("Дублікат")


# The states in which a case is still being worked on (deadlines run, queues show it).
OPEN_STATUSES = frozenset({CaseStatus.REGISTERED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS})
# Final states (a resolved report may still be reopened within confirm_days).
CLOSED_STATUSES = frozenset(
    {
        CaseStatus.ANSWERED,
        CaseStatus.RESOLVED,
        CaseStatus.NOT_FIXED,
        CaseStatus.REJECTED,
        CaseStatus.RETURNED,
        CaseStatus.FORWARDED,
        CaseStatus.DUPLICATE,
    }
)


class Moderation(models.TextChoices):
    PENDING = "pending", _("Очікує модерації")
    SHOWN = "shown", _("Показано")
    HIDDEN = "hidden", _("Приховано")


class Case(TenantOwned, PublicModel):
    """One matter a person brought, through any channel."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=CaseKind.choices)
    appeal_type = models.CharField(
        max_length=10, choices=AppealType.choices, default=AppealType.NONE, blank=True
    )
    collective = models.BooleanField(_("колективне"), default=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    # Consecutive per hromada, given at registration (drafts have none).
    number = models.PositiveIntegerField(null=True, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The applicant: an account when there is one (web, API), or only the details an
    # operator took (hotline, paper). The law's required fields are the name, the
    # address and the substance; a contact to answer to.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeal_cases",
    )
    applicant_name = models.CharField(_("прізвище, ім'я, по батькові"), max_length=NAME_MAX, blank=True)
    applicant_address = models.CharField(_("місце проживання"), max_length=ADDRESS_MAX, blank=True)
    applicant_email = models.EmailField(_("e-mail для відповіді"), blank=True)
    applicant_phone = models.CharField(_("телефон"), max_length=40, blank=True)
    # The operator who registered a hotline call or a paper appeal.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("коротко, про що"), max_length=TITLE_MAX, blank=True)
    text = models.TextField(_("суть"), max_length=TEXT_MAX, blank=True)
    # Where (problem reports; optional for the others): a point, the address as typed,
    # the register's building, and the okrug/district the point falls in (routing).
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    address = models.CharField(_("адреса чи місце"), max_length=ADDRESS_MAX, blank=True)
    building = models.ForeignKey(
        "places.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Problem reports: shown without the reporter's name (staff still know them);
    # report text and photos are public only once moderated.
    anonymous = models.BooleanField(_("не показувати моє ім'я"), default=True)
    moderation = models.CharField(max_length=8, choices=Moderation.choices, default=Moderation.PENDING)
    # Category attributes' answers (Open311 attribute[code]=value), by attribute code.
    attributes = models.JSONField(default=dict, blank=True)
    # Information requests: urgent (life, environment, emergencies: 48 hours).
    urgent = models.BooleanField(_("терміново (життя, довкілля, надзвичайна ситуація)"), default=False)
    urgent_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # Appeals: needs extra study (one month instead of 15 days).
    extra_study = models.BooleanField(_("потребує додаткового вивчення"), default=False)
    # How the applicant wants the answer (information requests: the form of the answer).
    answer_form = models.CharField(max_length=20, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # the deadline in force
    first_due_at = models.DateTimeField(null=True, blank=True)  # before any extension
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(max_length=REASON_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # answered / resolved / closed
    answer = models.TextField(_("відповідь"), max_length=TEXT_MAX, blank=True)
    close_reason = models.TextField(
        max_length=REASON_MAX, blank=True
    )  # rejected/returned/forwarded/not fixed
    forwarded_to = models.CharField(_("кому переслано"), max_length=NAME_MAX, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The resident's verdict on a resolved report or an answer.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=1_000, blank=True)
    # Reminder bookkeeping (the tick sends each once per deadline).
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # Open311: the client that posted it (its key's name) and its token.
    api_client = models.CharField(max_length=NAME_MAX, blank=True)
    supporters = models.PositiveIntegerField(default=0)  # people who joined it ("me too")

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["hromada", "kind", "status"], name="appeal_case_kind_status"),
            models.Index(fields=["hromada", "due_at"], name="appeal_case_due"),
            models.Index(fields=["hromada", "lat", "lon"], name="appeal_case_point"),
            models.Index(fields=["hromada", "registered_at"], name="appeal_case_registered"),
            # Open311 GET requests by service_code in a date window (newest first).
            models.Index(
                fields=["hromada", "category", "registered_at"],
                name="appeal_report_category_time",
                condition=Q(kind="report") & ~Q(status="draft"),
            ),
            # The public map's viewport, its clusters counted from the index alone: the
            # public reports' points with the columns its filters read.
            models.Index(
                fields=["hromada", "lat", "lon"],
                name="appeal_report_map",
                include=["status", "category", "registered_at", "area", "number"],
                condition=Q(kind="report", moderation="shown") & ~Q(status="draft"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "number"], name="appeal_case_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, registered_at__isnull=False),
                name="appeal_case_registered_numbered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="appeal") | Q(status="draft") | ~Q(appeal_type=""),
                name="appeal_case_appeal_type",
            ),
            models.CheckConstraint(
                condition=Q(kind="appeal") | Q(appeal_type="", collective=False),
                name="appeal_case_type_only_appeals",
            ),
            models.CheckConstraint(
                condition=~Q(kind="report")
                | Q(status="draft")
                | Q(lat__isnull=False, lon__isnull=False, category__isnull=False),
                name="appeal_case_report_point",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="appeal_case_latlon",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="appeal_case_rating"
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True)
                | Q(registered_at__isnull=False, due_at__gte=F("registered_at")),
                name="appeal_case_due_after_registered",
            ),
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="appeal_case_duplicate_of",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="appeal_case_not_own_duplicate"),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | ~Q(forwarded_to=""), name="appeal_case_forwarded_to"
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.number}" if self.number else str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def electronic(self) -> bool:
        return self.channel in ELECTRONIC_CHANNELS


class CaseCounter(TenantOwned, models.Model):
    """The hromada's last case number: one row, incremented in the registering
    transaction (its lock taken last, so concurrent registrations wait only for it)."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hromada_id}: {self.last}"


class CoSigner(TenantOwned, TimeStampedModel):
    """A co-signer of a collective appeal: an account that joined, or a name an
    operator took from a paper appeal."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cosigners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=NAME_MAX)
    address = models.CharField(max_length=ADDRESS_MAX, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(user__isnull=False), name="appeal_cosigner_once"
            ),
        ]


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Зареєстровано")
    ROUTED = "routed", _("Передано підрозділу")
    ASSIGNED = "assigned", _("Призначено виконавця")
    STARTED = "started", _("Взято в роботу")
    COMMENT = "comment", _("Внутрішній коментар")
    UPDATE = "update", _("Оновлення")
    EXTENDED = "extended", _("Продовжено строк")
    ANSWERED = "answered", _("Надано відповідь")
    RESOLVED = "resolved", _("Вирішено")
    NOT_FIXED = "not_fixed", _("Закрито, не вирішено")
    REJECTED = "rejected", _("Відхилено")
    RETURNED = "returned", _("Повернуто заявникові")
    FORWARDED = "forwarded", _("Переслано за належністю")
    MERGED = "merged", _("Об'єднано з іншим")
    CONFIRMED = "confirmed", _("Заявник підтвердив")
    REOPENED = "reopened", _("Відкрито знову")
    RATED = "rated", _("Оцінено відповідь")
    JOINED = "joined", _("Долучився ще один мешканець")
    MODERATED = "moderated", _("Модерація")
    REMINDED = "reminded", _("Нагадування про строк")
    ESCALATED = "escalated", _("Повідомлено керівника")
    OVERDUE = "overdue", _("Строк минув")


class CaseEvent(TenantOwned, TimeStampedModel):
    """One step of a case's history. `public` ones are shown on the report page and in
    the applicant's cabinet; the others (internal comments, routing) only to staff."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public = models.BooleanField(default=False)
    text = models.TextField(max_length=TEXT_MAX, blank=True)
    status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)  # the status after it
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="appeal_event_case")]


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Фото")
    DOCUMENT = "document", _("Документ")


class Attachment(TenantOwned, TimeStampedModel):
    """A photo or document of a case (from the applicant or attached to an answer)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    alt_text = models.CharField(_("опис зображення"), max_length=ALT_TEXT_MAX, blank=True)
    # Staff's own files and internal documents are never public.
    public = models.BooleanField(default=True)
    moderation = models.CharField(max_length=8, choices=Moderation.choices, default=Moderation.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name


class AnswerTemplate(TenantOwned, TimeStampedModel):
    """A reusable answer text (per department or for everyone)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="templates"
    )
    kind = models.CharField(max_length=8, choices=CaseKind.choices, blank=True)
    title = models.CharField(max_length=TITLE_MAX)
    text = models.TextField(max_length=TEXT_MAX)

    class Meta:
        ordering = ["title"]


class Subscription(TenantOwned, TimeStampedModel):
    """A person following one report, or every new report in an area (and category)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    area = models.ForeignKey("places.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Joined the report instead of filing a duplicate ("me too"): counted in supporters.
    joined = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(joined=True) | Q(case__isnull=False), name="appeal_subscription_join_case"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(area__isnull=False) | Q(category__isnull=False),
                name="appeal_subscription_target",
            ),
            models.UniqueConstraint(
                fields=["user", "case"], condition=Q(case__isnull=False), name="appeal_subscription_case"
            ),
            models.UniqueConstraint(
                fields=["user", "area", "category"],
                condition=Q(case__isnull=True),
                name="appeal_subscription_area",
            ),
        ]


class ApiClient(TenantOwned, TimeStampedModel):
    """An Open311 client allowed to POST requests: its api_key is stored only as SHA-256."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=NAME_MAX)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=8)  # the key's last characters, to tell keys apart
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
