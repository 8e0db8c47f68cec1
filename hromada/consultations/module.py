"""What e-consultations, polls and draft-act discussions give the platform, declared once
(docs/modules.md, ADR 0007)."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import (
    Dataset,
    DatasetField,
    HomeBlock,
    Job,
    LedgerReceipt,
    Module,
    NavEntry,
    Permission,
    StaffSection,
    register,
)

register(
    Module(
        label="consultations",
        name=_("Консультації та опитування"),
        description=_(
            "Опитування, електронні консультації з громадськістю та публічне обговорення проєктів актів: "
            "пропозиції, коментарі, відповіді на кожну пропозицію і звіт про результати."
        ),
        event_prefix="consultations",
        urls="hromada.consultations.urls",
        staff_urls="hromada.consultations.staff_urls",
        api_router="hromada.consultations.api.router",
        nav=(NavEntry(_("Консультації"), "consultations:index", order=30),),
        home_blocks=(
            HomeBlock("consultations/_home.html", "hromada.consultations.selectors.home_summary", order=30),
        ),
        staff_sections=(
            StaffSection(
                _("Консультації та опитування"),
                _("Створення, анкети, текст проєкту акта, оприлюднення, строки і звіти."),
                "staff_consultations:list",
                permission="consultations.manage",
                order=30,
            ),
            StaffSection(
                _("Пропозиції до консультацій"),
                _("Відповіді на кожну пропозицію: враховано, враховано частково чи відхилено, з причиною."),
                "staff_consultations:proposals_queue",
                permission="consultations.answer",
                order=31,
            ),
            StaffSection(
                _("Модерація відповідей"),
                _("Текстові відповіді опитувань і пропозиції перед показом."),
                "staff_consultations:moderation",
                permission="consultations.moderate",
                order=32,
            ),
        ),
        staff_summary="hromada.consultations.staff_selectors.staff_summary",
        permissions=(
            Permission(
                "consultations.manage",
                _("Створювати, змінювати й оприлюднювати консультації та опитування, продовжувати строки"),
                ("admin", "officer"),
            ),
            Permission(
                "consultations.answer",
                _("Відповідати на пропозиції учасників консультацій"),
                ("admin", "officer"),
            ),
            Permission(
                "consultations.moderate",
                _("Модерувати текстові відповіді та пропозиції консультацій"),
                ("admin", "moderator"),
            ),
            Permission(
                "consultations.report",
                _("Складати й оприлюднювати звіти про результати консультацій"),
                ("admin", "officer"),
            ),
        ),
        settings_model="consultations.ConsultationSettings",
        ledger_kinds={
            "consultations.published": _("Оприлюднено консультацію"),
            "consultations.phase_changed": _("Змінився етап консультації"),
            "consultations.cancelled": _("Консультацію скасовано"),
            "consultations.response_submitted": _("Надіслано відповідь на опитування"),
            "consultations.proposal_submitted": _("Подано пропозицію до консультації"),
            "consultations.proposal_supported": _("Пропозицію підтримано"),
            "consultations.proposal_withdrawn": _("Автор відкликав пропозицію"),
            "consultations.proposal_answered": _("Надано відповідь на пропозицію"),
            "consultations.moderated": _("Модератор приховав чи показав відповідь або пропозицію"),
            "consultations.report_published": _("Оприлюднено звіт про результати консультації"),
            "consultations.document_changed": _("Додано чи вилучено документ оприлюдненої консультації"),
        },
        ledger_receipts=(
            LedgerReceipt(
                "consultations.response_submitted",
                "participant",
                describe="hromada.consultations.selectors.describe_response",
            ),
        ),
        notification_kinds={
            "consultations.published": _("Оголошено нову консультацію чи опитування"),
            "consultations.closing": _("Нагадування: консультація, у якій я беру участь, скоро завершиться"),
            "consultations.extended": _("Продовжено строк консультації"),
            "consultations.cancelled": _("Консультацію, у якій я беру участь, скасовано"),
            "consultations.proposal_answered": _("Відповідь на мою пропозицію"),
            "consultations.report_published": _("Оприлюднено звіт про результати консультації"),
            "consultations.proposal_new": _("Нова пропозиція до консультації"),
            "consultations.report_due": _("Спливає строк звіту про результати консультації"),
        },
        staff_notification_kinds=frozenset({"consultations.proposal_new", "consultations.report_due"}),
        jobs=(
            Job("hromada.consultations.tasks.consultations_tick", 300),
            # Live results' snapshots (services.snapshots.TICK).
            Job("hromada.consultations.tasks.results_tick", 2),
        ),
        datasets=(
            Dataset(
                slug="consultations",
                title=_("Консультації з громадськістю та опитування"),
                description=_("Усі оприлюднені консультації: вид, строки, кількість учасників, звіт."),
                rows="hromada.consultations.exports.consultation_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор (UUID)")),
                    DatasetField("number", _("Номер")),
                    DatasetField("kind", _("Вид")),
                    DatasetField("title", _("Назва")),
                    DatasetField("initiator", _("Ініціатор")),
                    DatasetField("opens_at", _("Початок")),
                    DatasetField("closes_at", _("Завершення")),
                    DatasetField("participants", _("Учасників (надісланих відповідей)")),
                    DatasetField("proposals", _("Пропозицій")),
                    DatasetField("accepted", _("Пропозицій враховано повністю чи частково")),
                    DatasetField("report_published_at", _("Звіт оприлюднено")),
                    DatasetField("url", _("Сторінка")),
                ),
            ),
            Dataset(
                slug="results",
                title=_("Результати опитувань і консультацій"),
                description=_(
                    "Кількість відповідей на кожен варіант кожного питання (без даних про осіб); для шкал і "
                    "чисел — середнє та медіана. Лише там, де результати відкриті."
                ),
                rows="hromada.consultations.exports.result_rows",
                fields=(
                    DatasetField("consultation", _("Ідентифікатор консультації (UUID)")),
                    DatasetField("number", _("Номер консультації")),
                    DatasetField("question", _("Питання")),
                    DatasetField("question_kind", _("Тип питання")),
                    DatasetField("option", _("Варіант")),
                    DatasetField("answers", _("Відповідей")),
                    DatasetField("share", _("Частка відповідей на питання")),
                    DatasetField("mean", _("Середнє")),
                    DatasetField("median", _("Медіана")),
                ),
            ),
            Dataset(
                slug="proposals",
                title=_("Пропозиції до консультацій і проєктів актів"),
                description=_(
                    "Кожна пропозиція з рішенням (враховано, частково, відхилено) і його причиною."
                ),
                rows="hromada.consultations.exports.proposal_rows",
                fields=(
                    DatasetField("consultation", _("Ідентифікатор консультації (UUID)")),
                    DatasetField("number", _("Номер консультації")),
                    DatasetField("proposal", _("Номер пропозиції")),
                    DatasetField("paragraph", _("Пункт проєкту акта")),
                    DatasetField("title", _("Суть пропозиції")),
                    DatasetField("wording", _("Запропонована редакція")),
                    DatasetField("supports", _("Підтримок")),
                    DatasetField("status", _("Рішення")),
                    DatasetField("reason", _("Обґрунтування рішення")),
                ),
            ),
        ),
        personal_models=(
            "consultations.Response",
            "consultations.Proposal",
            "consultations.Support",
            "consultations.Follow",
        ),
        personal_data_export="hromada.consultations.privacy.personal_data",
        personal_data_erase="hromada.consultations.privacy.personal_data_erase",
        kept_on_erase=(
            "Submitted responses stay counted under the participant's pseudonym (the link to the account "
            "is removed), so published results still add up and the same person cannot answer twice; "
            "published proposals are part of the consultation's public record (the author's name is removed)."
        ),
        not_personal={
            "consultations.Consultation": "created_by is the official who set it up: an act of office",
            "consultations.Report": "published_by is the official who published the report: an act of office",
        },
        metrics="hromada.consultations.metrics.collect",
        demo="hromada.consultations.demo.seed",
        eligibility="hromada.consultations.rules.eligibility",
        phase_changed="hromada.consultations.services.consultations.consultation_phase_changed",
        caches=(
            "hromada.consultations.result_selectors.cache_clear",
            "hromada.consultations.questionnaire_selectors.cache_clear",
            "hromada.consultations.edge_questionnaire.cache_clear",
        ),
        edge_routes="hromada.consultations.edge_questionnaire.ROUTES",
        page_cache_prefixes=("/consultations/",),
        comment_targets={
            "consultations.consultation": "hromada.consultations.comment_targets.consultation",
            "consultations.paragraph": "hromada.consultations.comment_targets.paragraph",
            "consultations.proposal": "hromada.consultations.comment_targets.proposal",
        },
    )
)
