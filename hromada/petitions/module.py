"""What e-petitions give the platform, declared once (see docs/modules.md)."""

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
        label="petitions",
        name=_("Електронні петиції"),
        description=_("Подання, модерація, збір підписів, розгляд і відповіді на петиції."),
        event_prefix="petition",
        urls="hromada.petitions.urls",
        staff_urls="hromada.petitions.staff_urls",
        api_router="hromada.petitions.api.router",
        nav=(NavEntry(_("Петиції"), "petitions:list", order=10),),
        home_blocks=(
            HomeBlock("petitions/_home.html", "hromada.petitions.selectors.petition_home_summary", order=10),
        ),
        staff_sections=(
            StaffSection(
                _("Модерація петицій"),
                _("Нові петиції, які чекають на публікацію або відхилення."),
                "staff_petitions:moderation",
                permission="petitions.moderate",
                order=10,
            ),
            StaffSection(
                _("Розгляд петицій"),
                _("Петиції, що набрали підписи, зі строками відповіді."),
                "staff_petitions:consideration",
                permission="petitions.answer",
                order=11,
            ),
            StaffSection(
                _("Затвердження відповідей"),
                _("Проєкти відповідей, що чекають на затвердження керівником підрозділу."),
                "staff_petitions:approval",
                permission="petitions.answer",
                order=12,
            ),
            StaffSection(
                _("Виконання підтриманих петицій"),
                _("Обіцяні кроки, строки та звіти про виконання."),
                "staff_petitions:followup",
                permission="petitions.answer",
                order=13,
            ),
            StaffSection(
                _("Статистика петицій"),
                _("Петиції за станом, підписи, частка мешканців, що підписували."),
                "staff_petitions:stats",
                order=14,
            ),
        ),
        permissions=(
            Permission("petitions.moderate", _("Модерувати петиції"), ("admin", "moderator")),
            Permission(
                "petitions.answer",
                _("Відповідати на петиції та продовжувати строк розгляду"),
                ("admin", "officer"),
            ),
            Permission("petitions.manage_categories", _("Керувати категоріями петицій"), ("admin",)),
            Permission(
                "petitions.assign", _("Призначати петиції підрозділам і посадовим особам"), ("admin",)
            ),
            Permission(
                "petitions.answer_any",
                _("Готувати відповідь на будь-яку петицію, не лише призначену"),
                ("admin",),
            ),
            # Heads of departments (accounts.StaffRole.is_head) approve their department's
            # drafts without this permission; it lets its holders approve any department's.
            Permission(
                "petitions.approve_answer",
                _("Затверджувати відповіді на петиції та виправляти оприлюднені"),
                ("admin",),
            ),
            Permission(
                "petitions.signer_list",
                _("Завантажувати список підписантів для офіційної справи"),
                ("admin", "officer"),
            ),
        ),
        staff_summary="hromada.petitions.staff_selectors.staff_summary",
        settings_model="petitions.PetitionSettings",
        ledger_kinds={
            "petition.published": _("Петицію опубліковано"),
            "petition.rejected": _("Петицію відхилено"),
            "petition.signed": _("Петицію підписано"),
            "petition.threshold_reached": _("Петиція набрала потрібну кількість підписів"),
            "petition.answered": _("Опубліковано відповідь на петицію"),
            "petition.closed_unsuccessful": _("Петиція не набрала потрібної кількості підписів"),
            "petition.deadline_extended": _("Строк розгляду петиції продовжено"),
            # Only for a public petition: before publication nothing about it is public.
            "petition.coauthor_invited": _("Автор петиції запросив співавтора"),
            "petition.coauthor_joined": _("Співавтор приєднався до петиції"),
            "petition.answer_corrected": _("Оприлюднену відповідь на петицію виправлено"),
            "petition.followup_published": _("Оприлюднено звіт про виконання петиції"),
        },
        # The signer's per-petition pseudonym is their receipt (/ledger/receipt/?receipt=…).
        ledger_receipts=(
            LedgerReceipt(
                "petition.signed", "signer", describe="hromada.petitions.ledger_receipts.describe_signature"
            ),
        ),
        notification_kinds={
            "petition.moderated": _("Рішення модератора щодо моєї петиції (опубліковано чи відхилено)"),
            "petition.threshold_reached": _(
                "Петиція, яку я подав(-ла), підписав(-ла) чи відстежую, набрала необхідну кількість підписів"
            ),
            "petition.answered": _(
                "Опубліковано відповідь на петицію, яку я подав(-ла), підписав(-ла) чи відстежую"
            ),
            "petition.closed_unsuccessful": _(
                "Збір підписів під моєю петицією завершено без потрібної кількості"
            ),
            "petition.deadline_extended": _(
                "Продовжено строк розгляду петиції, яку я подав(-ла), підписав(-ла) чи відстежую"
            ),
            "petition.answer_corrected": _(
                "Виправлено відповідь на петицію, яку я подав(-ла) чи підписав(-ла)"
            ),
            "petition.followup_published": _("Звіт про виконання петиції, яку я подав(-ла) чи підписав(-ла)"),
            "petition.moderation_overdue": _("Прострочено модерацію петиції"),
            "petition.consideration_overdue": _("Прострочено розгляд петиції"),
            "petition.coauthor_invited": _("Мене запросили стати співавтором петиції"),
            "petition.coauthor_accepted": _("Співавтор прийняв запрошення до моєї петиції"),
            "petition.assigned": _("Мені призначено петицію для відповіді"),
            "petition.answer_for_approval": _("Проєкт відповіді чекає на моє затвердження"),
            "petition.answer_returned": _("Мій проєкт відповіді повернуто на доопрацювання"),
            "petition.followup_overdue": _("Прострочено крок виконання петиції"),
        },
        staff_notification_kinds=frozenset(
            {
                "petition.moderation_overdue",
                "petition.consideration_overdue",
                "petition.assigned",
                "petition.answer_for_approval",
                "petition.answer_returned",
                "petition.followup_overdue",
            }
        ),
        jobs=(Job("hromada.petitions.tasks.petitions_tick", 15),),
        datasets=(
            Dataset(
                slug="petitions",
                title=_("Електронні петиції"),
                description=_("Усі оприлюднені петиції громади з кількістю підписів, строками та рішеннями."),
                rows="hromada.petitions.selectors.petition_export_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор петиції (UUID)")),
                    DatasetField("number", _("Номер петиції")),
                    DatasetField("title", _("Назва")),
                    DatasetField("category", _("Категорія")),
                    DatasetField("status", _("Стан")),
                    DatasetField("author", _("Автор (оприлюднене ім'я)")),
                    DatasetField("published_at", _("Опубліковано")),
                    DatasetField("collection_ends_at", _("Завершення збору підписів")),
                    DatasetField("threshold", _("Поріг підписів")),
                    DatasetField("signatures", _("Кількість підписів")),
                    DatasetField("threshold_reached_at", _("Поріг досягнуто")),
                    DatasetField("consideration_due", _("Строк розгляду")),
                    DatasetField("decision", _("Рішення")),
                    DatasetField("answered_at", _("Дата відповіді")),
                ),
            ),
        ),
        personal_models=(
            "petitions.Petition",
            "petitions.Signature",
            "petitions.Follow",
            "petitions.CoAuthor",
        ),
        personal_data_export="hromada.petitions.selectors.personal_data",
        # Drafts, withdrawn petitions (never public), invitations not accepted,
        # co-authorships of petitions never published and follows are erased.
        personal_data_erase="hromada.petitions.services.coauthors.petition_personal_data_erase",
        kept_on_erase=(
            "Signatures (counted, with the name published when signed and the person's hash, so the same "
            "person cannot sign twice), petitions submitted (with the author's public name) and "
            "co-authorships of published petitions are the hromada's public record of decisions "
            "already taken."
        ),
        not_personal={
            "petitions.Answer": "answered_by is the official who answered: a public act of office",
            "petitions.AnswerDraft": "an official's draft answer and its review: acts of office",
            "petitions.AnswerCorrection": "the official who corrected an answer: a public act of office",
            "petitions.Assignment": "which official answers a petition: an act of office",
            "petitions.StaffNote": "an official's working note on a case: an act of office",
            "petitions.StaffRead": "which official has seen a case in a queue: office bookkeeping",
            "petitions.FollowUpStep": "the official who recorded a promised step: an act of office",
            "petitions.FollowUpUpdate": "the official who reported on implementation: an act of office",
            "petitions.SignerListDownload": "the audit of an official downloading a signer list",
        },
        metrics="hromada.petitions.metrics.collect",
        demo="hromada.petitions.demo.seed",
        eligibility="hromada.petitions.selectors.petition_eligibility",
        caches=("hromada.petitions.selectors.signing_cache_clear",),
        page_cache_prefixes=("/petitions/",),
        comment_targets={"petitions.petition": "hromada.petitions.comment_targets.petition"},
        edge_routes="hromada.petitions.edge.ROUTES",
    )
)
