from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel
from hromada.tenancy.models import Hromada, IdentityLevel

TITLE_MAX = 200
TEXT_MAX = 10_000
EXTENSION_MAX_DAYS = 45  # the law's cap; PetitionSettings.extension_max_days may be lower
ALT_TEXT_MAX = 250


class SignerNames(models.TextChoices):
    FULL = "full", _("Повне ім'я")
    INITIALS = "initials", _("Ім'я та ініціал прізвища")


class PetitionSettings(TenantOwned, TimeStampedModel):
    """The rules a hromada's statute sets for its e-petitions: one row per hromada,
    changed on the hromada's settings page (tenancy.services.module_settings_update)."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="petition_settings")
    threshold = models.PositiveIntegerField(
        _("поріг підписів"), default=250, validators=[MinValueValidator(1)]
    )
    collection_days = models.PositiveSmallIntegerField(
        _("строк збору підписів, календарних днів"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    moderation_days = models.PositiveSmallIntegerField(
        _("строк модерації, робочих днів"), default=2, validators=[MaxValueValidator(30)]
    )
    consideration_days = models.PositiveSmallIntegerField(
        _("строк розгляду, робочих днів"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    min_age = models.PositiveSmallIntegerField(
        _("мінімальний вік підписанта"), default=16, validators=[MaxValueValidator(100)]
    )
    sign_level = models.CharField(
        _("рівень ідентифікації для підпису"),
        max_length=10,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    submit_level = models.CharField(
        _("рівень ідентифікації для подання"),
        max_length=10,
        choices=IdentityLevel.choices,
        default=IdentityLevel.VERIFIED,
    )
    signer_names = models.CharField(
        _("показ імен підписантів"),
        max_length=10,
        choices=SignerNames.choices,
        default=SignerNames.FULL,
    )
    sign_after_threshold = models.BooleanField(
        _("збирати підписи й після досягнення порогу"),
        default=True,
        help_text=_(
            "Петиція, що набрала поріг, іде на розгляд, а підписувати її можна до кінця строку збору: "
            "підтримка понад поріг теж має значення."
        ),
    )
    # The longest total consideration an extension may reach, counted from the day the
    # threshold was reached. 45 mirrors art. 20 of the Law "On citizens' appeals" (the
    # whole term of an appeal may not exceed 45 days), which most hromadas' e-petition
    # regulations adopt for extensions; a statute may set less, never more.
    extension_max_days = models.PositiveSmallIntegerField(
        _("найдовший строк розгляду з продовженням, календарних днів від набрання підписів"),
        default=EXTENSION_MAX_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(EXTENSION_MAX_DAYS)],
        help_text=_("Закон «Про звернення громадян», ст. 20: загальний строк не більше 45 днів."),
    )

    answered_by = models.CharField(
        _("хто розглядає петиції й відповідає на них"),
        max_length=200,
        default="Голова громади",
        help_text=_("Показується мешканцям у розділі «Як це працює», напр. «Міський голова»."),
    )

    class Meta:
        verbose_name = _("налаштування петицій")
        verbose_name_plural = _("налаштування петицій")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1), name="petition_settings_threshold_positive"
            ),
            models.CheckConstraint(
                condition=Q(collection_days__gte=1), name="petition_settings_collection_positive"
            ),
            models.CheckConstraint(
                condition=Q(consideration_days__gte=1), name="petition_settings_consideration_positive"
            ),
            models.CheckConstraint(
                condition=Q(extension_max_days__gte=1, extension_max_days__lte=EXTENSION_MAX_DAYS),
                name="petition_settings_extension_max_45",
            ),
        ]

    def __str__(self) -> str:
        return f"Petition settings of {self.hromada}"

    @property
    def rejection_reasons(self) -> list[tuple[str, str]]:
        """The grounds on which a moderator refuses a petition, for "how it works"."""
        return RejectionReason.choices


class Category(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="petition_categories")
    name = models.CharField(_("назва"), max_length=100)
    slug = models.SlugField(max_length=60)

    class Meta:
        verbose_name = _("категорія петицій")
        verbose_name_plural = _("категорії петицій")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "slug"], name="petition_category_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    MODERATION = "moderation", _("На модерації")
    REJECTED = "rejected", _("Відхилена")
    COLLECTING = "collecting", _("Збір підписів")
    CONSIDERATION = "consideration", _("На розгляді")
    ANSWERED = "answered", _("Отримала відповідь")
    UNSUCCESSFUL = "unsuccessful", _("Не набрала підписів")
    WITHDRAWN = "withdrawn", _("Відкликана автором")


# Never published: no publication date, and (drafts) no number or submission yet.
UNPUBLISHED_STATUSES = ("draft", "moderation", "rejected", "withdrawn")


class RejectionReason(models.TextChoices):
    OUTSIDE_COMPETENCE = "outside_competence", _("Питання поза компетенцією ради")
    UNLAWFUL = "unlawful", _("Незаконний зміст (заклики до насильства, дискримінація тощо)")
    DUPLICATE = "duplicate", _("Дублює петицію, що вже збирає підписи")
    NOT_PETITION = "not_petition", _("Не є петицією (скарга, заява, запит)")
    OFFENSIVE = "offensive", _("Образлива або нецензурна лексика")
    INCOMPLETE = "incomplete", _("Не містить суті вимоги")


class Decision(models.TextChoices):
    SUPPORTED = "supported", _("Підтримано")
    PARTIALLY = "partially", _("Підтримано частково")
    NOT_SUPPORTED = "not_supported", _("Не підтримано")


class Petition(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="petitions")
    # Given at submission, so drafts never take (or leave gaps in) the public numbering.
    number = models.PositiveIntegerField(_("номер"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petitions")
    author_name = models.CharField(_("автор"), max_length=200)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    text = models.TextField(_("текст"), max_length=TEXT_MAX)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="petitions", null=True, blank=True
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.MODERATION)
    search_text = models.TextField(editable=False, default="")  # core.search.fold(title + text)

    # The rules are fixed when the petition is submitted: a settings change later
    # does not move the goalposts of a running petition.
    threshold = models.PositiveIntegerField()
    collection_days = models.PositiveSmallIntegerField()
    consideration_days = models.PositiveSmallIntegerField()
    min_age = models.PositiveSmallIntegerField()
    sign_level = models.CharField(max_length=10, choices=IdentityLevel.choices)
    # Signatures are still collected after the threshold, until collection_ends_at.
    sign_after_threshold = models.BooleanField(default=True)

    # Bumped by every edit in moderation, so a moderator's decision can name the version read.
    revision = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderation_due = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    moderation_overdue_notified_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    rejection_comment = models.TextField(blank=True, max_length=2000)

    published_at = models.DateTimeField(null=True, blank=True)
    collection_ends_at = models.DateTimeField(null=True, blank=True)
    # Rolled up from the signature rows by the worker; the petition page reads the live count.
    signature_count = models.PositiveIntegerField(default=0)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    consideration_due = models.DateField(null=True, blank=True)
    consideration_extended_until = models.DateField(null=True, blank=True)
    extension_notice = models.TextField(blank=True, max_length=2000)
    extension_noticed_at = models.DateTimeField(null=True, blank=True)
    consideration_overdue_notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("петиція")
        verbose_name_plural = _("петиції")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "number"], name="petition_unique_number"),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="petition_threshold_positive"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="petition_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=UNPUBLISHED_STATUSES) | Q(published_at__isnull=False),
                name="petition_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(
                    number__isnull=False,
                    category__isnull=False,
                    submitted_at__isnull=False,
                    moderation_due__isnull=False,
                ),
                name="petition_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="petition_withdrawn_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["hromada", "status", "-published_at"], name="petition_list_idx"),
            models.Index(fields=["hromada", "status", "collection_ends_at"], name="petition_ending_idx"),
            models.Index(fields=["hromada", "status", "-signature_count"], name="petition_popular_idx"),
        ]

    def __str__(self) -> str:
        return f"№{self.number} {self.title}" if self.number else self.title

    @property
    def deadline(self):
        """The consideration deadline in force (extended or original)."""
        return self.consideration_extended_until or self.consideration_due


class Attachment(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="petitions/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # What a screen reader says instead of the image (required for images at upload).
    alt_text = models.CharField(_("опис зображення"), max_length=ALT_TEXT_MAX, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name


class Signature(TenantOwned):
    """One verified person's signature. `person_key` is the identity's keyed hash
    (or the account for e-mail-level petitions); the unique constraint on it is
    what makes "one person, one signature" true under any concurrency."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petition_signatures"
    )
    person_key = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "person_key"], name="signature_one_per_person"),
            models.UniqueConstraint(fields=["petition", "user"], name="signature_one_per_account"),
        ]
        indexes = [models.Index(fields=["petition", "-created_at"], name="signature_list_idx")]

    def __str__(self) -> str:
        return f"{self.signer_name} → {self.petition_id}"


class Answer(TenantOwned, TimeStampedModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("рішення"), max_length=14, choices=Decision.choices)
    text = models.TextField(_("текст відповіді"), max_length=20_000)
    document = models.FileField(_("документ"), upload_to="petition-answers/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    # Who answered, as the public record shows it: copied when published, so a later
    # reorganisation or a new position does not rewrite an answer already given.
    department_name = models.CharField(_("підрозділ"), max_length=200, blank=True)
    officer_name = models.CharField(_("посадова особа"), max_length=200, blank=True)
    officer_position = models.CharField(_("посада"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Answer to {self.petition_id}"


# --- the staff's work on a petition ----------------------------------------------------------


class CategoryDepartment(TenantOwned, TimeStampedModel):
    """Which department answers a category's petitions (set by the hromada's administrator)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="route")
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.category_id} → {self.department_id}"


class Assignment(TenantOwned, TimeStampedModel):
    """Who answers a petition: a department and, within it, an officer."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="assignment")
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(officer__isnull=False),
                name="petition_assignment_not_empty",
            )
        ]

    def __str__(self) -> str:
        return f"Assignment of {self.petition_id}"


class StaffNote(TenantOwned):
    """An internal note: staff only, never on public pages or in the residents' API."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("нотатка"), max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.petition_id}"


class StaffRead(TenantOwned):
    """That a staff member has seen a petition in a queue (the queues mark the rest as new)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "user"], name="petition_staffread_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.petition_id}"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    SUBMITTED = "submitted", _("На затвердженні")
    RETURNED = "returned", _("Повернуто на доопрацювання")
    PUBLISHED = "published", _("Затверджено й оприлюднено")
    WITHDRAWN = "withdrawn", _("Відкликано")


ACTIVE_DRAFT_STATUSES = (DraftStatus.DRAFT, DraftStatus.SUBMITTED, DraftStatus.RETURNED)


class AnswerDraft(TenantOwned, TimeStampedModel):
    """An officer's answer before the head of the department approves it. Only an
    approved draft becomes the petition's Answer."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="answer_drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    decision = models.CharField(_("рішення"), max_length=14, choices=Decision.choices)
    text = models.TextField(_("текст відповіді"), max_length=20_000)
    document = models.FileField(_("документ"), upload_to="petition-answers/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("коментар керівника"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="petition_one_active_answer_draft",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="petition_returned_draft_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft answer to {self.petition_id}"


class AnswerCorrection(TenantOwned):
    """A correction of a published answer. The answer keeps its original text; the
    corrections are shown after it, dated and with their reason."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(_("виправлений текст"), max_length=20_000)
    reason = models.TextField(_("причина виправлення"), max_length=2000)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.answer_id}"


class FollowUpStep(TenantOwned, TimeStampedModel):
    """A step the hromada promised in a "supported" answer, with its date."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="followup_steps")
    title = models.CharField(_("крок"), max_length=300)
    due_date = models.DateField(_("строк"))
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["hromada", "done_at", "due_date"], name="petition_followup_due_idx")]

    def __str__(self) -> str:
        return self.title


class FollowUpUpdate(TenantOwned):
    """A published report on the implementation, shown on the petition's page."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="followup_updates")
    step = models.ForeignKey(
        FollowUpStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    text = models.TextField(_("що зроблено"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.petition_id}"


class SignerListDownload(TenantOwned):
    """Who downloaded a petition's signer list, and when (the list holds personal data)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=4)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} downloaded signers of {self.petition_id}"


class Follow(TenantOwned):
    """A person following a petition without signing it: told what signers are told."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="petition_follows"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("відстеження петиції")
        verbose_name_plural = _("відстеження петицій")
        constraints = [
            models.UniqueConstraint(fields=["petition", "user"], name="petition_follow_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.petition_id}"


class CoAuthor(TenantOwned, TimeStampedModel):
    """An invitation to co-author a petition, and once accepted, the co-authorship.
    Invited by e-mail, `user` is known from the start; invited by a link, it is the
    person who accepts. The token is what the invitation link carries."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="petition_coauthorships",
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    # The co-author's public name, fixed when they accept (as the author's is at submission).
    name = models.CharField(max_length=200, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "user"], name="coauthor_one_per_person"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="coauthor_accepted_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"co-author {self.user_id} of {self.petition_id}"
