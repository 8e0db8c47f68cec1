"""E-consultations, polls and public discussion of draft acts (issue 12, ADR 0007): one
engine for three kinds. A consultation has dated phases (a kernel PhasePlan owned by
"consultations:<public_id>": `open` while people take part, `report` for the two weeks
the results report is due), an optional questionnaire (sections, questions, options,
conditions), open proposals with support, a draft act's numbered paragraphs with
proposals of wording, and the report on the results.

One person, one response per consultation: `Response.participant` is a per-consultation
pseudonym (rules.participant_pseudonym) under a unique constraint, so answers can be
anonymous in the results while eligibility is still checked.
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
ANSWER_TEXT_MAX = 5_000
SHORT_TEXT_MAX = 300
REASON_MAX = 5_000

# The phase codes of a consultation's plan (hromada.core.phases), in their order.
PHASE_OPEN = "open"
PHASE_REPORT = "report"
PHASE_CODES = (PHASE_OPEN, PHASE_REPORT)


class ConsultationSettings(TenantOwned, TimeStampedModel):
    """The hromada's defaults for a new consultation."""

    hromada = models.OneToOneField(Hromada, on_delete=models.CASCADE, related_name="consultation_settings")
    report_days = models.PositiveSmallIntegerField(
        _("строк звіту про результати, днів після завершення"),
        default=14,
        help_text=_(
            "Порядок проведення консультацій з громадськістю: звіт оприлюднюють протягом двох тижнів."
        ),
    )
    min_duration_days = models.PositiveSmallIntegerField(_("найменша тривалість, днів"), default=7)
    reminder_days = models.PositiveSmallIntegerField(
        _("за скільки днів до завершення нагадати учасникам"), default=2
    )

    class Meta:
        verbose_name = _("налаштування консультацій")
        constraints = [
            models.CheckConstraint(
                condition=Q(report_days__gte=1, report_days__lte=90), name="cons_settings_report_days"
            ),
            models.CheckConstraint(condition=Q(min_duration_days__lte=60), name="cons_settings_min_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.hromada}: {self._meta.verbose_name}"


class Kind(models.TextChoices):
    SURVEY = "survey", _("Опитування")
    CONSULTATION = "consultation", _("Електронна консультація")
    DISCUSSION = "discussion", _("Обговорення проєкту акта")


class Status(models.TextChoices):
    # Published: the phases (dates) say whether it is upcoming, open or closed.
    DRAFT = "draft", _("Чернетка")
    PUBLISHED = "published", _("Оприлюднено")
    CANCELLED = "cancelled", _("Скасовано")


class Audience(models.TextChoices):
    """Who may take part (always with an account: one person, one answer)."""

    ACCOUNT = "account", _("Будь-хто з обліковим записом")
    EMAIL = "email", _("Мешканці з підтвердженою електронною поштою")
    VERIFIED = "verified", _("Мешканці з підтвердженою особою")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("Видно під час проведення")
    AFTER = "after", _("Видно після завершення")


class Consultation(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="consultations")
    # Given at publication, consecutive per hromada: the public address /consultations/<number>/.
    number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("назва"), max_length=TITLE_MAX)
    summary = models.CharField(_("коротко"), max_length=500)
    # The question put to the public (a consultation) or the background (any kind).
    question = models.TextField(_("питання, винесене на консультацію"), max_length=TEXT_MAX, blank=True)
    body = models.TextField(_("опис і обґрунтування"), max_length=TEXT_MAX, blank=True)
    initiator = models.CharField(_("ініціатор (підрозділ ради)"), max_length=TITLE_MAX, blank=True)
    contact = models.CharField(_("контактна особа"), max_length=TITLE_MAX, blank=True)
    # The dates while a draft; at publication they become the plan's phases (the plan is
    # then the truth: extend or close early through hromada.core.phases).
    opens_at = models.DateTimeField(_("початок"))
    closes_at = models.DateTimeField(_("завершення"))
    plan = models.OneToOneField(
        "core.PhasePlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who may take part.
    audience = models.CharField(
        _("хто може брати участь"), max_length=10, choices=Audience.choices, default=Audience.EMAIL
    )
    min_age = models.PositiveSmallIntegerField(_("мінімальний вік"), default=0)
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("лише мешканці району чи округу"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ask_area = models.BooleanField(
        _("питати район чи округ учасника (для розрізу результатів)"), default=True
    )
    # Results: names of participants are never shown in the results; `anonymous` also
    # hides authors' names on proposals and free-text answers.
    anonymous = models.BooleanField(_("анонімні відповіді"), default=True)
    results_visibility = models.CharField(
        _("результати"), max_length=6, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER
    )
    allow_proposals = models.BooleanField(_("учасники можуть вносити пропозиції"), default=False)
    allow_comments = models.BooleanField(_("коментарі"), default=True)
    # The salt of participants' pseudonyms (unlinkable across consultations).
    salt = models.CharField(max_length=32)  # secrets.token_hex(16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(_("причина скасування"), max_length=500, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the closing reminder went out
    # Submitted responses as of the latest results snapshot (ResultSnapshot.respondents,
    # written with it by services.snapshots): never touched by a submission, so no hot row
    # serialises a poll's peak; a few seconds behind while open, exact once closed.
    response_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("консультація")
        verbose_name_plural = _("консультації")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hromada", "number"], name="consultation_number_unique"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="consultation_opens_before_close"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(number__isnull=False, published_at__isnull=False, plan__isnull=False),
                name="consultation_published_has_number",
            ),
            models.CheckConstraint(condition=Q(min_age__lte=100), name="consultation_min_age_sane"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="consultation_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.number} {self.title}" if self.number else self.title


class Document(TenantOwned, TimeStampedModel):
    """A background document: an uploaded file (PDF, office formats, images) or a link."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("назва документа"), max_length=TITLE_MAX)
    file = models.FileField(upload_to="consultations/%Y/%m/", blank=True)
    url = models.URLField(_("посилання"), blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="cons_document_file_or_url"),
        ]

    def __str__(self) -> str:
        return self.title


# --- the questionnaire -----------------------------------------------------------------


class Section(TenantOwned):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("назва розділу"), max_length=TITLE_MAX)
    description = models.TextField(_("пояснення"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["consultation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="cons_section_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Один варіант")
    MULTIPLE = "multiple", _("Кілька варіантів")
    RANKING = "ranking", _("Ранжування")
    SCALE = "scale", _("Шкала")
    NUMBER = "number", _("Число")
    SHORT = "short", _("Короткий текст")
    LONG = "long", _("Розгорнутий текст")
    POINT = "point", _("Точка на карті")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
TEXT_KINDS = (QuestionKind.SHORT, QuestionKind.LONG)


class Question(TenantOwned, PublicModel):
    """One question. Its parameters by kind: `min_choices`/`max_choices` (multiple;
    ranking: how many to rank, 0 = all), `scale_min`/`scale_max` (+ labels of the
    ends), `number_min`/`number_max`. Shown only when any of its `conditions` holds
    (an earlier question's answer includes the option)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("тип питання"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("питання"), max_length=500)
    help = models.CharField(_("підказка"), max_length=1000, blank=True)
    required = models.BooleanField(_("обов'язкове"), default=True)
    min_choices = models.PositiveSmallIntegerField(default=0)
    max_choices = models.PositiveSmallIntegerField(default=0)  # 0: no upper limit
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    scale_min_label = models.CharField(max_length=100, blank=True)
    scale_max_label = models.CharField(max_length=100, blank=True)
    number_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["consultation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="cons_question_order_unique"),
            models.CheckConstraint(
                condition=Q(max_choices=0) | Q(max_choices__gte=F("min_choices")),
                name="cons_question_choices_range",
            ),
            models.CheckConstraint(
                condition=Q(scale_min__in=[0, 1]) & Q(scale_max__gte=2, scale_max__lte=10),
                name="cons_question_scale_range",
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=F("number_min")),
                name="cons_question_number_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Option(TenantOwned, PublicModel):
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(_("варіант"), max_length=300)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="cons_option_order_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Condition(TenantOwned):
    """`question` is shown when the answer to `option`'s question includes `option`
    (any of a question's conditions). The option's question must come earlier
    (services check; a condition on a later question would never be known in time)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="conditions")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="reveals")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "option"], name="cons_condition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} if {self.option_id}"


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("Невідомо")
    CHILD = "0-13", _("до 14")
    TEEN = "14-17", _("14–17")
    YOUNG = "18-35", _("18–35")
    MIDDLE = "36-59", _("36–59")
    SENIOR = "60+", _("60 і старші")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    SUBMITTED = "submitted", _("Надіслано")


class Response(TenantOwned, PublicModel):
    """One person's questionnaire in one consultation — a draft until submitted (a partly
    filled questionnaire is kept and never lost). `participant` is the per-consultation
    pseudonym (the receipt): unique, so a second response is impossible even under
    concurrency. Only aggregates about the person are kept (age group, district)."""

    # No index of their own on the hromada or the consultation (the unique constraint's
    # index leads with the consultation) or the area (only joined for the cross-tab):
    # each is paid for by every response at a poll's peak.
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+", db_index=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    participant = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices, blank=True, default="")
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "participant"], name="cons_response_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="cons_response_submitted_dated",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"], name="cons_response_status_idx")]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.participant}"


class TextState(models.TextChoices):
    """Free-text answers are listed in public only once a moderator let them through."""

    PENDING = "pending", _("Очікує модерації")
    SHOWN = "shown", _("Показано")
    HIDDEN = "hidden", _("Приховано")


class Answer(TenantOwned):
    """One value of a response: one row per chosen option (single, multiple), per ranked
    option (`rank` 1 = first), or one row with `number` (scale, number), `text` (short,
    long) or `lat`/`lon` (point). Rows make the results one GROUP BY."""

    # Every answer row pays for each index at a poll's peak: no index of its own on the
    # hromada (reads come through the response or the question) or on the question
    # (the (question, option) index serves it).
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+", db_index=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", db_index=False)
    # Answers exist only once the questionnaire is frozen: an option is never deleted under
    # them, and the results group by the (question, option) index.
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(max_length=ANSWER_TEXT_MAX, blank=True)
    text_state = models.CharField(max_length=8, choices=TextState.choices, blank=True, default="")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=Q(option__isnull=False),
                name="cons_answer_option_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="cons_answer_value_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "rank"],
                condition=Q(rank__isnull=False),
                name="cons_answer_rank_once",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="cons_answer_point_valid",
            ),
        ]
        indexes = [models.Index(fields=["question", "option"], name="cons_answer_question_idx")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class ResultSnapshot(TenantOwned):
    """A consultation's results as the public sees them: the aggregates of every question
    (counts per option, distributions, means, points, moderated-text counts) and the
    cross-tabulations, computed from the submitted responses by services.snapshots —
    every few seconds by the worker while the results are live, once more after the
    close (`final`: exact for good). Pages and the API read it; no request aggregates
    the raw answers. Derived data (the ledger holds the responses themselves)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="result_snapshot"
    )
    respondents = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    # Computed after the open phase ended (with a grace for submissions in flight): no
    # response can change it any more; moderation clears it (services.snapshots).
    final = models.BooleanField(default=False)
    took_ms = models.PositiveIntegerField(default=0)  # the computation's duration: paces the refresh

    class Meta:
        verbose_name = _("знімок результатів")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.respondents} @ {self.computed_at:%H:%M:%S}"


# --- a draft act -----------------------------------------------------------------------


class Paragraph(TenantOwned, PublicModel):
    """A numbered part of the draft act under discussion: a heading (a section of the act)
    or a paragraph people comment on and propose wording for."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="paragraphs")
    order = models.PositiveIntegerField()
    number = models.CharField(_("номер"), max_length=20)  # "1", "1.2", "3.4.1" as in the draft
    heading = models.BooleanField(_("заголовок розділу"), default=False)
    text = models.TextField(_("текст"), max_length=TEXT_MAX)

    class Meta:
        ordering = ["consultation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="cons_paragraph_order_unique"),
            models.UniqueConstraint(fields=["consultation", "number"], name="cons_paragraph_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


# --- proposals -------------------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Розглядається")
    ACCEPTED = "accepted", _("Враховано")
    PARTLY = "partly", _("Враховано частково")
    REJECTED = "rejected", _("Відхилено")
    WITHDRAWN = "withdrawn", _("Відкликано автором")
    HIDDEN = "hidden", _("Приховано модератором")


ANSWERED = (ProposalStatus.ACCEPTED, ProposalStatus.PARTLY, ProposalStatus.REJECTED)


class Proposal(TenantOwned, PublicModel):
    """A participant's proposal: open (a consultation), or on one paragraph of the draft
    act with the wording proposed. Staff answer each one — accepted, partly accepted or
    rejected — with a reason, which goes into the report."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="proposals")
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveIntegerField()  # consecutive within the consultation
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("автор (як показувати)"), max_length=200)
    participant = models.CharField(max_length=64)  # the author's pseudonym in this consultation
    title = models.CharField(_("суть пропозиції"), max_length=TITLE_MAX)
    body = models.TextField(_("обґрунтування"), max_length=TEXT_MAX, blank=True)
    wording = models.TextField(_("запропонована редакція"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    reason = models.TextField(_("обґрунтування рішення"), max_length=REASON_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="cons_proposal_number_unique"),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "partly", "rejected", "hidden"])
                | (~Q(reason="") & Q(answered_at__isnull=False)),
                name="cons_proposal_answer_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Support(TenantOwned):
    """A participant's support for a proposal: one per person (pseudonym) per proposal."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    participant = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "participant"], name="cons_support_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.participant}"


# --- the report ------------------------------------------------------------------------


class Report(TenantOwned, TimeStampedModel):
    """The report on the results: drafted from the data when the consultation closes
    (`figures`: the snapshot the draft was made from), edited by staff, published (then
    linked from the consultation for ever and sent to participants)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="report")
    text = models.TextField(_("текст звіту"), max_length=100_000)
    outcome = models.TextField(
        _("ухвалене рішення і як враховано результати"), max_length=TEXT_MAX, blank=True
    )
    decision_url = models.URLField(_("посилання на рішення"), blank=True)
    figures = models.JSONField(default=dict)
    drafted_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("звіт про результати")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self._meta.verbose_name}"


class Follow(TenantOwned):
    """A person following a consultation (told of its news without taking part), or, with
    no consultation, subscribed to every new consultation of the hromada."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(consultation__isnull=False),
                name="cons_follow_unique",
            ),
            models.UniqueConstraint(
                fields=["hromada", "user"],
                condition=Q(consultation__isnull=True),
                name="cons_subscribe_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.user_id}"
