"""What the participatory budget gives the platform, declared once (docs/modules.md,
ADR 0006)."""

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
        label="budget",
        name=_("Громадський бюджет"),
        description=_(
            "Цикли бюджету участі: подання проєктів, експертиза, голосування онлайн, на папері та "
            "шкільними кодами, перевірюваний підрахунок і реалізація переможців."
        ),
        event_prefix="budget",
        urls="hromada.budget.urls",
        staff_urls="hromada.budget.staff_urls",
        api_router="hromada.budget.api.router",
        nav=(NavEntry(_("Бюджет участі"), "budget:index", order=20),),
        home_blocks=(
            HomeBlock("budget/_home.html", "hromada.budget.project_selectors.home_summary", order=20),
        ),
        staff_sections=(
            StaffSection(
                _("Цикли бюджету участі"),
                _("Етапи, категорії та правила циклів; продовження етапів; підсумки."),
                "staff_budget:cycles",
                permission="budget.manage_cycles",
                order=20,
            ),
            StaffSection(
                _("Експертиза проєктів"),
                _("Проєкти на експертизі, призначені підрозділам, зі строками."),
                "staff_budget:review_queue",
                permission="budget.review",
                order=21,
            ),
            StaffSection(
                _("Паперові бюлетені"),
                _("Внесення паперових бюлетенів і голосування з допомогою працівника."),
                "staff_budget:paper",
                permission="budget.enter_paper",
                order=22,
            ),
            StaffSection(
                _("Підтвердження права голосу"),
                _("Ручне підтвердження для ВПО та мешканців без електронного підпису."),
                "staff_budget:authorisations",
                permission="budget.authorise",
                order=23,
            ),
            StaffSection(
                _("Реалізація проєктів-переможців"),
                _("Етапи, прогрес, витрачені кошти, закупівлі Prozorro, затримки."),
                "staff_budget:implementation",
                permission="budget.report_progress",
                order=24,
            ),
        ),
        permissions=(
            Permission(
                "budget.manage_cycles",
                _(
                    "Створювати цикли бюджету участі, змінювати категорії, продовжувати етапи, оприлюднювати підсумки"
                ),
                ("admin",),
            ),
            Permission(
                "budget.review", _("Проводити експертизу проєктів бюджету участі"), ("admin", "officer")
            ),
            Permission("budget.assign", _("Призначати проєкти на експертизу підрозділам"), ("admin",)),
            Permission(
                "budget.enter_paper",
                _("Вносити паперові бюлетені та допомагати голосувати"),
                ("admin", "officer", "moderator"),
            ),
            Permission(
                "budget.authorise",
                _("Вручну підтверджувати право голосу в бюджеті участі"),
                ("admin", "officer"),
            ),
            Permission(
                "budget.school_codes", _("Друкувати шкільні коди для голосування"), ("admin", "officer")
            ),
            Permission(
                "budget.report_progress",
                _("Звітувати про реалізацію проєктів-переможців"),
                ("admin", "officer"),
            ),
        ),
        staff_summary="hromada.budget.staff_selectors.staff_summary",
        settings_model="budget.BudgetSettings",
        ledger_kinds={
            "budget.cycle_created": _("Створено цикл бюджету участі"),
            "budget.phase_changed": _("Змінився етап циклу бюджету участі"),
            "budget.phase_extended": _("Продовжено етап циклу бюджету участі"),
            "budget.project_submitted": _("Подано проєкт бюджету участі"),
            "budget.project_withdrawn": _("Автор відкликав проєкт бюджету участі"),
            "budget.project_supported": _("Проєкт бюджету участі підтримано"),
            "budget.project_assigned": _("Проєкт передано на експертизу"),
            "budget.project_reviewed": _("Ухвалено рішення експертизи проєкту"),
            "budget.author_answered": _("Автор відповів на висновок експертизи"),
            "budget.cycle_published": _("Оприлюднено бюлетень: категорії та правила"),
            "budget.projects_published": _("Оприлюднено бюлетень: проєкти категорії"),
            "budget.ballot_cast": _("Віддано бюлетень"),
            "budget.codes_issued": _("Видано шкільні коди для голосування"),
            "budget.authorisation_granted": _("Працівник підтвердив право голосу"),
            "budget.voting_closed": _("Голосування завершено"),
            "budget.results_published": _("Оприлюднено підсумки голосування"),
            "budget.implementation_updated": _("Оприлюднено звіт про реалізацію проєкту"),
        },
        # The voter's per-cycle pseudonym is their receipt: they can find their ballot.
        ledger_receipts=(
            LedgerReceipt(
                "budget.ballot_cast", "voter", describe="hromada.budget.voting_selectors.describe_ballot"
            ),
        ),
        notification_kinds={
            "budget.project_reviewed": _("Рішення експертизи щодо мого проєкту"),
            "budget.voting_open": _("Розпочато голосування за проєкти бюджету участі"),
            "budget.results_published": _("Оприлюднено підсумки бюджету участі"),
            "budget.phase_extended": _("Продовжено етап бюджету участі"),
            "budget.implementation_updated": _(
                "Новини реалізації проєкту, який я подав(-ла), підтримав(-ла) чи за який голосував(-ла)"
            ),
            "budget.coauthor_invited": _("Мене запросили стати співавтором проєкту"),
            "budget.coauthor_accepted": _("Співавтор прийняв запрошення до мого проєкту"),
            "budget.review_assigned": _("Моєму підрозділу передано проєкт на експертизу"),
            "budget.review_overdue": _("Прострочено експертизу проєкту"),
            "budget.author_answered": _("Автор відповів на висновок експертизи"),
        },
        staff_notification_kinds=frozenset(
            {"budget.review_assigned", "budget.review_overdue", "budget.author_answered"}
        ),
        jobs=(Job("hromada.budget.tasks.budget_tick", 300),),
        datasets=(
            Dataset(
                slug="projects",
                title=_("Проєкти бюджету участі"),
                description=_("Усі подані проєкти з категоріями, вартістю, рішеннями експертизи й голосами."),
                rows="hromada.budget.exports.project_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор проєкту (UUID)")),
                    DatasetField("cycle", _("Цикл")),
                    DatasetField("number", _("Номер проєкту")),
                    DatasetField("title", _("Назва")),
                    DatasetField("category", _("Категорія")),
                    DatasetField("status", _("Стан")),
                    DatasetField("author", _("Автор (оприлюднене ім'я)")),
                    DatasetField("cost", _("Вартість за автором, грн")),
                    DatasetField("reviewed_cost", _("Вартість за експертизою, грн")),
                    DatasetField("cofunding_amount", _("Співфінансування, грн")),
                    DatasetField("cofunding_partner", _("Співфінансувач")),
                    DatasetField("lat", _("Широта")),
                    DatasetField("lon", _("Довгота")),
                    DatasetField("submitted_at", _("Подано")),
                    DatasetField("votes", _("Голосів")),
                    DatasetField("outcome", _("Результат")),
                ),
            ),
            Dataset(
                slug="reviews",
                title=_("Висновки експертизи проєктів бюджету участі"),
                description=_("Рішення експертизи з перевірними пунктами та публічним обґрунтуванням."),
                rows="hromada.budget.exports.review_rows",
                fields=(
                    DatasetField("project", _("Ідентифікатор проєкту (UUID)")),
                    DatasetField("number", _("Номер проєкту")),
                    DatasetField("department", _("Підрозділ")),
                    DatasetField("decision", _("Рішення")),
                    DatasetField("reasons", _("Обґрунтування")),
                    DatasetField("decided_at", _("Дата рішення")),
                    DatasetField("checklist", _("Перевірні пункти (JSON)")),
                ),
            ),
            Dataset(
                slug="results",
                title=_("Підсумки голосування бюджету участі"),
                description=_(
                    "Голоси за кожен проєкт, місце в рейтингу і переможці за категоріями — лише циклів з "
                    "оприлюдненими підсумками, перераховані з публічного реєстру (без даних про осіб)."
                ),
                rows="hromada.budget.exports.result_rows",
                fields=(
                    DatasetField("cycle", _("Цикл")),
                    DatasetField("category", _("Категорія")),
                    DatasetField("project", _("Ідентифікатор проєкту (UUID)")),
                    DatasetField("number", _("Номер проєкту")),
                    DatasetField("title", _("Назва")),
                    DatasetField("cost", _("Вартість, грн")),
                    DatasetField("votes", _("Голосів")),
                    DatasetField("rank", _("Місце")),
                    DatasetField("winner", _("Переможець")),
                ),
            ),
            Dataset(
                slug="turnout",
                title=_("Явка голосування бюджету участі"),
                description=_(
                    "Кількість бюлетенів за категорією, каналом, віковою групою та районом. Клітинки, де "
                    "менше 5 бюлетенів, залишено порожніми, щоб не можна було впізнати малі групи "
                    "(наприклад, клас учнів)."
                ),
                rows="hromada.budget.exports.turnout_rows",
                fields=(
                    DatasetField("cycle", _("Цикл")),
                    DatasetField("category", _("Категорія")),
                    DatasetField("channel", _("Канал")),
                    DatasetField("age_group", _("Вікова група")),
                    DatasetField("district", _("Район чи округ")),
                    DatasetField("ballots", _("Бюлетенів")),
                ),
            ),
        ),
        personal_models=(
            "budget.Project",
            "budget.CoAuthor",
            "budget.Support",
            "budget.Ballot",
            "budget.Authorisation",
            "budget.Residency",
        ),
        personal_data_export="hromada.budget.privacy.personal_data",
        personal_data_erase="hromada.budget.privacy.personal_data_erase",
        kept_on_erase=(
            "Submitted projects (with the author's public name) are the hromada's public record; ballots "
            "stay counted under the voter's pseudonym (the link to the account is removed), so the "
            "published tally still verifies and the same person cannot vote twice."
        ),
        not_personal={
            "budget.Cycle": "created_by is the official who set the cycle up: an act of office",
            "budget.Review": "the reviewer and decider are officials acting in office",
            "budget.SchoolCodeBatch": "the official who printed the codes: an act of office",
            "budget.ImplementationUpdate": "the official who reported on implementation: an act of office",
        },
        metrics="hromada.budget.metrics.collect",
        demo="hromada.budget.demo.seed",
        eligibility="hromada.budget.rules.eligibility",
        phase_changed="hromada.budget.services.cycles.cycle_phase_changed",
        caches=(
            "hromada.budget.voting_selectors.cache_clear",
            "hromada.budget.result_selectors.cache_clear",
        ),
        edge_routes="hromada.budget.edge_voting.ROUTES",
        page_cache_prefixes=("/budget/",),
        comment_targets={"budget.project": "hromada.budget.comment_targets.project"},
    )
)
