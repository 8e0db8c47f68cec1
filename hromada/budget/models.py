"""The participatory budget (issue 11, ADR 0006): cycles with dated phases, categories
(pots) with their voting rule, projects with cost lines, expert review, ballots from
every channel in one table, school codes, staff authorisations and implementation.

Money is whole hryvnias everywhere (the tally core's unit, hromada/budget/tally.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada, IdentityLevel

from . import tally

TITLE_MAX = 200
TEXT_MAX = 10_000
ALT_TEXT_MAX = 300

# The phase codes of a cycle's plan (hromada.core.phases), in their order. `support` is
# optional: a cycle without a support threshold has no support phase.
PHASE_CODES = ("ideas", "support", "review", "ballot", "voting", "results", "implementation")


class BudgetSettings(TenantOwned, TimeStampedModel):
    """The hromada's defaults for a new cycle (each cycle keeps its own copy: rules do
    not change under a running cycle)."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="budget_settings")
    min_age = models.PositiveSmallIntegerField(
        _("мінімальний вік для подання і голосування"),
        default=14,
        help_text=_("Типово 14 років: голосувати й подавати проєкти можуть і підлітки."),
    )
    identity_level = models.CharField(
        _("потрібний рівень ідентифікації"),
        max_length=12,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    max_projects_per_author = models.PositiveSmallIntegerField(
        _("скільки проєктів може подати одна особа в циклі"), default=3
    )
    review_days = models.PositiveSmallIntegerField(_("строк експертизи, днів"), default=21)

    class Meta:
        verbose_name = _("налаштування громадського бюджету")
        constraints = [
            models.CheckConstraint(condition=Q(min_age__lte=35), name="budget_settings_min_age_sane"),
            models.CheckConstraint(
                condition=Q(max_projects_per_author__gte=1), name="budget_settings_max_projects_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hromada}: {self._meta.verbose_name}"


class Residence(models.TextChoices):
    """Who counts as a member of the community for a cycle."""

    ANY = "any", _("Будь-хто, хто пройшов ідентифікацію")
    HROMADA = "hromada", _("Мешканці громади (адреса в межах громади)")
    AREA = "area", _("Мешканці визначеного району чи округу")


class Cycle(TenantOwned, PublicModel):
    """One round ("Бюджет участі 2026") with its regulation. The phases live in a kernel
    PhasePlan owned by "budget:<public_id>"; the rules ask it for the phase in force."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="budget_cycles")
    slug = models.SlugField(_("адреса циклу"), max_length=60)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    description = models.TextField(_("опис"), max_length=TEXT_MAX, blank=True)
    regulation_url = models.URLField(_("положення про громадський бюджет (посилання)"), blank=True)
    plan = models.OneToOneField("core.PhasePlan", on_delete=models.PROTECT, related_name="+")
    # The regulation: who may submit and vote.
    min_age = models.PositiveSmallIntegerField(_("мінімальний вік"), default=14)
    identity_level = models.CharField(
        _("рівень ідентифікації"),
        max_length=12,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    residence = models.CharField(
        _("хто вважається членом громади"),
        max_length=10,
        choices=Residence.choices,
        default=Residence.HROMADA,
    )
    residence_area = models.ForeignKey(
        "places.Area",
        verbose_name=_("район чи округ (для «мешканців визначеного району»)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allow_authorisation = models.BooleanField(
        _("дозволити ручне підтвердження права голосу працівником"),
        default=True,
        help_text=_("Для внутрішньо переміщених осіб і мешканців без електронного підпису."),
    )
    support_threshold = models.PositiveIntegerField(
        _("скільки підтримок потрібно проєкту до експертизи"),
        default=0,
        help_text=_("0 — без етапу збору підтримки."),
    )
    max_projects_per_author = models.PositiveSmallIntegerField(_("проєктів від однієї особи"), default=3)
    # Numbers are given at submission, so the public ones are consecutive.
    next_project_number = models.PositiveIntegerField(default=1)
    # The key of the per-cycle voter pseudonyms; secret, never shown or exported.
    voter_salt = models.CharField(max_length=64, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)  # the ballot fixed and ledgered
    voting_closed_at = models.DateTimeField(null=True, blank=True)
    # The RFC 9162 root of the ledger prefix ending with the cycle's last ballot (the lot's seed).
    voting_closed_root = models.CharField(max_length=64, blank=True)
    voting_closed_size = models.PositiveBigIntegerField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("цикл громадського бюджету")
        verbose_name_plural = _("цикли громадського бюджету")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "slug"], name="budget_cycle_slug_unique"),
            models.CheckConstraint(condition=Q(min_age__lte=35), name="budget_cycle_min_age_sane"),
            models.CheckConstraint(
                condition=~Q(residence="area") | Q(residence_area__isnull=False),
                name="budget_cycle_area_residence_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> str:
        return f"budget:{self.public_id}"


class CategoryKind(models.TextChoices):
    GENERAL = "general", _("Загальноміські проєкти")
    SMALL = "small", _("Малі проєкти")
    LARGE = "large", _("Великі проєкти")
    AREA = "area", _("Проєкти району чи старостинського округу")
    YOUTH = "youth", _("Молодіжні проєкти")
    SCHOOL = "school", _("Шкільний бюджет")


class VotingRule(models.TextChoices):
    APPROVAL = "approval", _("Обрати до N проєктів")
    KNAPSACK = "knapsack", _("Обрати проєкти в межах суми категорії")
    MIN_SHARE = "min_share", _("Розподілити щонайменше визначену частку суми категорії")


class TieRule(models.TextChoices):
    LOWER_COST = "lower_cost", _("Перевага дешевшому проєкту")
    EARLIER = "earlier_submitted", _("Перевага раніше поданому проєкту")
    LOT = "lot", _("Жереб (відтворюваний з реєстру)")


class Category(TenantOwned, PublicModel):
    """A pot: its money, the cost range of its projects and its voting rule. An area pot
    is for residents of one district or starosta okrug; a school pot is voted on by the
    school's pupils with printed codes."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    kind = models.CharField(
        _("вид"), max_length=10, choices=CategoryKind.choices, default=CategoryKind.GENERAL
    )
    pot = models.PositiveBigIntegerField(_("обсяг коштів, грн"))
    min_cost = models.PositiveBigIntegerField(_("мінімальна вартість проєкту, грн"), default=0)
    max_cost = models.PositiveBigIntegerField(_("максимальна вартість проєкту, грн"))
    rule = models.CharField(_("правило голосування"), max_length=10, choices=VotingRule.choices)
    max_choices = models.PositiveSmallIntegerField(_("скільки проєктів можна обрати"), null=True, blank=True)
    min_share = models.DecimalField(
        _("мінімальна частка суми, яку треба розподілити"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Частка від 0 до 1, напр. 0,7 — щонайменше 70 % суми категорії."),
    )
    tie_rule = models.CharField(
        _("правило за рівної кількості голосів"),
        max_length=20,
        choices=TieRule.choices,
        default=TieRule.LOWER_COST,
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("район чи округ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.CharField(_("заклад освіти"), max_length=TITLE_MAX, blank=True)
    # A youth pot's upper age (inclusive); the lower one is the cycle's min_age.
    max_age = models.PositiveSmallIntegerField(_("найбільший вік голосування"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("категорія")
        verbose_name_plural = _("категорії")
        ordering = ["cycle", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "slug"], name="budget_category_slug_unique"),
            models.CheckConstraint(condition=Q(pot__gt=0), name="budget_category_pot_positive"),
            models.CheckConstraint(
                condition=Q(min_cost__lte=F("max_cost")), name="budget_category_cost_range"
            ),
            models.CheckConstraint(
                condition=Q(max_cost__lte=F("pot")), name="budget_category_max_within_pot"
            ),
            models.CheckConstraint(
                condition=~Q(rule="approval") | Q(max_choices__gte=1), name="budget_category_approval_has_n"
            ),
            models.CheckConstraint(
                condition=~Q(rule="min_share") | Q(min_share__gt=0, min_share__lte=1),
                name="budget_category_min_share_fraction",
            ),
            models.CheckConstraint(
                condition=~Q(kind="area") | Q(area__isnull=False), name="budget_category_area_pot_has_area"
            ),
            models.CheckConstraint(
                condition=~Q(kind="school") | ~Q(school=""), name="budget_category_school_pot_has_school"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def as_tally(self) -> tally.Category:
        return tally.Category(
            id=str(self.public_id),
            pot=int(self.pot),
            rule=self.rule,
            max_choices=self.max_choices,
            min_share=float(self.min_share) if self.min_share is not None else None,
            tie_rule=self.tie_rule,
            title=self.title,
        )


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    SUBMITTED = "submitted", _("Подано")  # public; collecting support when the cycle asks for it
    REVIEW = "review", _("На експертизі")
    ADMITTED = "admitted", _("Допущено до голосування")
    REJECTED = "rejected", _("Не допущено")
    WITHDRAWN = "withdrawn", _("Відкликано автором")


class Outcome(models.TextChoices):
    """After the results: whether the project won, and then how its implementation goes."""

    NONE = "", _("—")
    NOT_SELECTED = "not_selected", _("Не переміг")
    WINNER = "winner", _("Переможець")
    IMPLEMENTING = "implementing", _("Реалізується")
    DELAYED = "delayed", _("Реалізація затримується")
    DONE = "done", _("Реалізовано")


# Before review the authors may still change the text; after, it is the record.
EDITABLE_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED)
PUBLIC_STATUSES = (
    ProjectStatus.SUBMITTED,
    ProjectStatus.REVIEW,
    ProjectStatus.ADMITTED,
    ProjectStatus.REJECTED,
)


class Project(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="projects")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="projects")
    number = models.PositiveIntegerField(_("номер"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.NONE, blank=True)
    title = models.CharField(_("назва проєкту"), max_length=TITLE_MAX)
    summary = models.CharField(_("коротко про проєкт"), max_length=500)
    description = models.TextField(_("опис проєкту"), max_length=TEXT_MAX)
    problem = models.TextField(_("яку проблему розв'язує"), max_length=TEXT_MAX)
    beneficiaries = models.TextField(_("хто отримає користь"), max_length=TEXT_MAX)
    # Where: a point (lat/lon), an area (GeoJSON Polygon/MultiPolygon), or both; and the
    # address as people say it.
    address = models.CharField(_("адреса чи місце"), max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_geojson = models.JSONField(null=True, blank=True)
    # The district or okrug the location falls in (places.selectors.where), for filters.
    place_area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The author's estimate: the sum of the cost lines, kept in step by the services.
    cost = models.PositiveBigIntegerField(_("вартість, грн"), default=0)
    # The expert's corrected estimate, when the review changed it: the cost that is voted on.
    reviewed_cost = models.PositiveBigIntegerField(_("вартість за експертизою, грн"), null=True, blank=True)
    cofunding_amount = models.PositiveBigIntegerField(_("співфінансування, грн"), default=0)
    cofunding_partner = models.CharField(_("хто співфінансує"), max_length=TITLE_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="budget_projects"
    )
    author_name = models.CharField(_("автор (як показувати)"), max_length=200)
    revision = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)  # filled at the results, from the tally
    # The budget programme (КПКВК, 7 digits) that funds a winning project: the open
    # budget explorer links the programme's line to the project.
    kpkvk = models.CharField(_("КПКВК програми, з якої фінансується"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("проєкт")
        verbose_name_plural = _("проєкти")
        ordering = ["cycle", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="budget_project_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="budget_project_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="budget_project_point_valid",
            ),
            models.CheckConstraint(
                condition=Q(cofunding_amount=0) | ~Q(cofunding_partner=""),
                name="budget_project_cofunding_named",
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.number} {self.title}" if self.number else self.title

    @property
    def voted_cost(self) -> int:
        """The cost on the ballot: the expert's figure when the review corrected it."""
        return int(self.reviewed_cost if self.reviewed_cost is not None else self.cost)

    def as_tally(self) -> tally.Project:
        return tally.Project(
            id=str(self.public_id),
            cost=self.voted_cost,
            title=self.title,
            category=str(self.category.public_id),
            submitted=self.submitted_at.isoformat() if self.submitted_at else "",
        )


class CostLine(TenantOwned):
    """One line of a project's estimate: what, how many, at what price."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_lines")
    order = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("стаття витрат"), max_length=TITLE_MAX)
    quantity = models.DecimalField(_("кількість"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("одиниця"), max_length=30, blank=True)
    unit_price = models.PositiveBigIntegerField(_("ціна за одиницю, грн"))
    amount = models.PositiveBigIntegerField(_("сума, грн"))
    # The expert's corrected line (null: kept as the author wrote it).
    reviewed_amount = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["project", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="budget_cost_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return self.item


class ProjectFile(TenantOwned, TimeStampedModel):
    """A photo or document of a project (or of an implementation update)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    update = models.ForeignKey(
        "budget.ImplementationUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to="budget/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(_("опис зображення"), max_length=ALT_TEXT_MAX, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name


class CoAuthor(TenantOwned, TimeStampedModel):
    """An invitation to co-author a project (by e-mail or by link), accepted or not."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], condition=Q(user__isnull=False), name="budget_coauthor_once"
            ),
        ]

    def __str__(self) -> str:
        return self.email or str(self.user_id)


class Support(TenantOwned):
    """A resident's support for a submitted project (when the cycle collects support)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    supporter = models.CharField(max_length=32)  # per-cycle pseudonym, as a voter's
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "supporter"], name="budget_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.supporter}"


class ReviewDecision(models.TextChoices):
    PENDING = "", _("Ще не ухвалено")
    ADMITTED = "admitted", _("Допустити до голосування")
    REJECTED = "rejected", _("Не допустити")


# The checklist's fixed keys, in their order (values: true / false / null = not checked).
CHECKLIST = (
    ("competence", _("Належить до повноважень ради")),
    ("land", _("Земельна ділянка чи об'єкт у комунальній власності")),
    ("feasible", _("Можна реалізувати протягом одного бюджетного року")),
    ("cost_realistic", _("Кошторис реалістичний")),
    ("no_duplicate", _("Не дублює видатки бюджету громади")),
    ("public_access", _("Результат буде загальнодоступним")),
    ("no_maintenance_burden", _("Утримання не перевищує 20 % вартості на рік")),
)
CHECKLIST_KEYS = tuple(key for key, _label in CHECKLIST)


class Review(TenantOwned, TimeStampedModel):
    """The expert review of one project: the department it is assigned to, the
    checklist, a corrected estimate, the decision with public reasons and the author's
    one answer."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="review")
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    checklist = models.JSONField(default=dict)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices, default="", blank=True)
    reasons = models.TextField(_("обґрунтування (публічне)"), max_length=TEXT_MAX, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The revision of the project the reviewer read (an edit meanwhile is a conflict).
    revision = models.PositiveIntegerField(null=True, blank=True)
    author_answer = models.TextField(_("відповідь автора"), max_length=TEXT_MAX, blank=True)
    author_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(reasons="") & Q(decided_at__isnull=False)),
                name="budget_review_decision_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(author_answered_at__isnull=True) | ~Q(decision=""),
                name="budget_review_answer_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"review:{self.project_id}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Онлайн")
    PAPER = "paper", _("Паперовий бюлетень")
    ASSISTED = "assisted", _("З допомогою працівника (ЦНАП, старостат)")
    SCHOOL = "school", _("Шкільний код")


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("Невідомо")
    TEEN = "14-17", _("14–17")
    YOUNG = "18-35", _("18–35")
    MIDDLE = "36-59", _("36–59")
    SENIOR = "60+", _("60 і старші")


class Ballot(TenantOwned):
    """One person's ballot in one category, from any channel. `voter` is the per-cycle
    pseudonym (services.voting.voter_pseudonym): the same person online and on paper
    gets the same one, so the unique constraint is "one person, one ballot" whichever
    channel. A school code's voter is the code's hash. Only aggregates about the voter
    are kept (age group, district), for the turnout charts."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="ballots")
    voter = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    choices = models.JSONField()  # project public ids, as on the ledger entry
    cast_at = models.DateTimeField()
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices, blank=True, default="")
    district = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The official who entered a paper or assisted ballot (an act of office).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The online voter's account, to show "you voted" (cleared on account deletion).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "voter"], name="budget_ballot_one_per_voter"),
            models.CheckConstraint(
                condition=Q(channel__in=["online", "school"]) | Q(entered_by__isnull=False),
                name="budget_ballot_paper_has_official",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.voter}"


class SchoolCodeBatch(TenantOwned, PublicModel):
    """A batch of single-use voting codes printed for one school pot."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="code_batches")
    size = models.PositiveIntegerField()
    label = models.CharField(_("клас чи група"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=2000), name="budget_batch_size")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.size}"


class SchoolCode(TenantOwned):
    """One printed code, kept only as its SHA-256; used once (a guarded UPDATE)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(SchoolCodeBatch, on_delete=models.CASCADE, related_name="codes")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code_hash[:12]


class AuthorisationReason(models.TextChoices):
    IDP = "idp", _("Внутрішньо переміщена особа")
    NO_EID = "no_eid", _("Немає електронного підпису чи Дія")
    REGISTRATION = "registration", _("Зареєстроване місце проживання в громаді")
    WORK_STUDY = "work_study", _("Працює чи навчається в громаді")
    OTHER = "other", _("Інша підстава за положенням")


class Authorisation(TenantOwned, TimeStampedModel):
    """An official's decision that a person may take part in a cycle although the
    automatic checks (address, identity level) would not say so: an internally
    displaced person, a resident without e-ID. The person is named by the keyed hash of
    their tax number (the same key a verified account has), never by the number."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="authorisations")
    person_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("підстава"), max_length=12, choices=AuthorisationReason.choices)
    document_seen = models.CharField(_("переглянутий документ"), max_length=200)
    note = models.CharField(_("примітка"), max_length=500, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person_key"], name="budget_authorisation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}:{self.person_key[:8]}"


class Residency(TenantOwned, TimeStampedModel):
    """The address a person declared for a cycle, checked with places.selectors.where:
    it decides the hromada and district pots they may vote in."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="residencies")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("адреса проживання"), max_length=300)
    building = models.ForeignKey(
        "places.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inside_hromada = models.BooleanField(default=False)
    areas = models.ManyToManyField("places.Area", blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="budget_residency_once")]

    def __str__(self) -> str:
        return self.address


class Stage(TenantOwned):
    """A planned stage of a winning project's implementation."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("етап"), max_length=TITLE_MAX)
    planned_end = models.DateField(_("плановий строк"), null=True, blank=True)
    done_on = models.DateField(_("виконано"), null=True, blank=True)

    class Meta:
        ordering = ["project", "order", "id"]

    def __str__(self) -> str:
        return self.title


class ImplementationUpdate(TenantOwned, TimeStampedModel):
    """A published report on a winning project: progress, money spent, the Prozorro
    tender, a delay and its reason, photos (ProjectFile.update)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("що зроблено"), max_length=TEXT_MAX)
    progress = models.PositiveSmallIntegerField(_("виконано, %"))
    spent = models.PositiveBigIntegerField(_("використано коштів, грн"), default=0)
    tender_id = models.CharField(_("ідентифікатор закупівлі в Prozorro"), max_length=40, blank=True)
    delay_reason = models.TextField(_("причина затримки"), max_length=TEXT_MAX, blank=True)
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="budget_update_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.progress}%"
