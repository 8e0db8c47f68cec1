"""What appeals, problem reports, the hotline and information requests give the
platform, declared once (docs/modules.md, ADR 0008)."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import (
    Dataset,
    DatasetField,
    HomeBlock,
    Job,
    Module,
    NavEntry,
    Permission,
    StaffSection,
    register,
)

register(
    Module(
        label="appeals",
        name=_("Звернення і повідомлення про проблеми"),
        description=_(
            "Електронна приймальня звернень громадян, «Відкрите місто» — карта проблем, гаряча лінія і "
            "запити на публічну інформацію, з юридичними строками відповіді та Open311."
        ),
        event_prefix="appeals",
        urls="hromada.appeals.urls",
        staff_urls="hromada.appeals.staff_urls",
        api_router="hromada.appeals.api.router",
        standard_urls={"open311": "hromada.appeals.open311.urls"},
        nav=(NavEntry(_("Звернення"), "appeals:index", order=40),),
        home_blocks=(HomeBlock("appeals/_home.html", "hromada.appeals.selectors.home_summary", order=40),),
        staff_sections=(
            StaffSection(
                _("Черга звернень"),
                _("Звернення, запити й повідомлення підрозділу: строки, виконавці, відповіді."),
                "staff_appeals:queue",
                permission="appeals.work",
                order=40,
            ),
            StaffSection(
                _("Гаряча лінія"),
                _("Зареєструвати дзвінок чи письмове звернення за заявника."),
                "staff_appeals:hotline",
                permission="appeals.register",
                order=41,
            ),
            StaffSection(
                _("Модерація повідомлень"),
                _("Тексти й фото повідомлень про проблеми перед показом на карті."),
                "staff_appeals:moderation",
                permission="appeals.moderate",
                order=42,
            ),
            StaffSection(
                _("Налаштування звернень"),
                _("Категорії, підрозділи й підприємства, шаблони відповідей, ключі Open311."),
                "staff_appeals:setup",
                permission="appeals.manage",
                order=43,
            ),
        ),
        staff_summary="hromada.appeals.staff_selectors.staff_summary",
        permissions=(
            Permission(
                "appeals.register",
                _("Реєструвати звернення за заявника (гаряча лінія, папір)"),
                ("admin", "officer"),
            ),
            Permission("appeals.work", _("Працювати зі зверненнями свого підрозділу"), ("admin", "officer")),
            Permission(
                "appeals.route",
                _("Розподіляти звернення, пересилати за належністю, об'єднувати, продовжувати строки"),
                ("admin",),
            ),
            Permission(
                "appeals.moderate",
                _("Модерувати тексти й фото повідомлень про проблеми"),
                ("admin", "moderator"),
            ),
            Permission(
                "appeals.manage",
                _("Налаштовувати категорії, підрозділи, шаблони й ключі Open311"),
                ("admin",),
            ),
        ),
        settings_model="appeals.AppealSettings",
        ledger_kinds={
            "appeals.case_registered": _("Зареєстровано звернення"),
            "appeals.case_routed": _("Звернення передано підрозділу"),
            "appeals.case_assigned": _("Призначено виконавця звернення"),
            "appeals.case_started": _("Звернення взято в роботу"),
            "appeals.case_extended": _("Продовжено строк розгляду звернення"),
            "appeals.case_answered": _("Надано відповідь на звернення"),
            "appeals.case_resolved": _("Проблему вирішено"),
            "appeals.case_not_fixed": _("Звернення закрито без вирішення"),
            "appeals.case_rejected": _("Звернення відхилено"),
            "appeals.case_returned": _("Звернення повернуто заявникові"),
            "appeals.case_forwarded": _("Звернення переслано за належністю"),
            "appeals.case_merged": _("Звернення об'єднано як дублікат"),
            "appeals.case_confirmed": _("Заявник підтвердив вирішення"),
            "appeals.case_reopened": _("Звернення відкрито знову"),
            "appeals.case_rated": _("Заявник оцінив відповідь"),
            "appeals.case_joined": _("Мешканець долучився до повідомлення"),
            "appeals.moderated": _("Модератор показав чи приховав повідомлення або фото"),
            "appeals.setup_changed": _("Змінено категорії, підрозділи чи ключі Open311"),
        },
        notification_kinds={
            "appeals.registered": _("Моє звернення зареєстровано"),
            "appeals.updated": _("Новини щодо мого звернення чи повідомлення, за яким я стежу"),
            "appeals.answered": _("Відповідь на моє звернення"),
            "appeals.extended": _("Продовжено строк розгляду мого звернення"),
            "appeals.forwarded": _("Моє звернення переслано за належністю"),
            "appeals.returned": _("Моє звернення повернуто"),
            "appeals.area_report": _("Нове повідомлення про проблему в районі, за яким я стежу"),
            "appeals.case_new": _("Нове звернення в черзі мого підрозділу"),
            "appeals.assigned": _("Мені доручено звернення"),
            "appeals.deadline_near": _("Наближається строк відповіді на звернення"),
            "appeals.escalated": _("Звернення підрозділу, яким я керую, під загрозою прострочення"),
            "appeals.overdue": _("Прострочено строк відповіді на звернення"),
        },
        staff_notification_kinds=frozenset(
            {
                "appeals.case_new",
                "appeals.assigned",
                "appeals.deadline_near",
                "appeals.escalated",
                "appeals.overdue",
            }
        ),
        jobs=(Job("hromada.appeals.tasks.appeals_tick", 300),),
        datasets=(
            Dataset(
                slug="reports",
                title=_("Повідомлення про проблеми («Відкрите місто»)"),
                description=_(
                    "Усі показані повідомлення: категорія, місце, стан, строки, час вирішення. Без даних заявників."
                ),
                rows="hromada.appeals.exports.report_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор (UUID)")),
                    DatasetField("number", _("Номер")),
                    DatasetField("category", _("Код категорії")),
                    DatasetField("category_name", _("Категорія")),
                    DatasetField("status", _("Стан")),
                    DatasetField("lat", _("Широта")),
                    DatasetField("lon", _("Довгота")),
                    DatasetField("address", _("Місце")),
                    DatasetField("area", _("Округ чи район")),
                    DatasetField("department", _("Виконавець")),
                    DatasetField("registered_at", _("Зареєстровано")),
                    DatasetField("due_at", _("Цільовий строк")),
                    DatasetField("answered_at", _("Вирішено чи закрито")),
                    DatasetField("hours_to_answer", _("Годин до вирішення")),
                    DatasetField("channel", _("Канал")),
                    DatasetField("url", _("Сторінка")),
                ),
            ),
            Dataset(
                slug="statistics",
                title=_("Статистика звернень, запитів і повідомлень"),
                description=_(
                    "За місяцями, видами, категоріями, підрозділами та округами: надійшло, вирішено, середній і "
                    "90-й процентиль часу відповіді, частка прострочених, частка поданих електронно, оцінка."
                ),
                rows="hromada.appeals.exports.statistics_rows",
                fields=(
                    DatasetField("month", _("Місяць")),
                    DatasetField("kind", _("Вид")),
                    DatasetField("dimension", _("Розріз")),
                    DatasetField("key", _("Значення розрізу")),
                    DatasetField("received", _("Надійшло")),
                    DatasetField("answered", _("Надано відповідь чи вирішено")),
                    DatasetField("mean_days", _("Середній час відповіді, днів")),
                    DatasetField("p90_days", _("90-й процентиль часу відповіді, днів")),
                    DatasetField("overdue_share", _("Частка прострочених")),
                    DatasetField("electronic_share", _("Частка поданих електронно")),
                    DatasetField("rating", _("Середня оцінка")),
                ),
            ),
        ),
        personal_models=(
            "appeals.Case",
            "appeals.CoSigner",
            "appeals.Subscription",
            "appeals.Attachment",
        ),
        personal_data_export="hromada.appeals.privacy.personal_data",
        personal_data_erase="hromada.appeals.privacy.personal_data_erase",
        kept_on_erase=(
            "Registered appeals and information requests are the council's statutory record (kept with "
            "their answers by the record-keeping rules for appeals and the Law on access to public "
            "information): they stay with the applicant's name, address and contacts, unlinked from the "
            "account. Registered problem reports (service requests) stay on the map with the reporter's "
            "name and contacts blanked. Co-signatures stay on the appeals signed, unlinked. Drafts and "
            "subscriptions are deleted."
        ),
        not_personal={
            "appeals.Department": "head and members are officials acting in office",
            "appeals.DepartmentMember": "an official's membership of a department: an act of office",
            "appeals.CaseEvent": "the actor is the official (or the applicant's own step, erased with the case's link)",
            "appeals.ApiClient": "created_by is the official who issued the key: an act of office",
        },
        metrics="hromada.appeals.metrics.collect",
        demo="hromada.appeals.demo.seed",
        caches=(
            "hromada.appeals.edge_report.cache_clear",
            "hromada.appeals.public_selectors.grid_cache_clear",
        ),
        edge_routes="hromada.appeals.edge_report.ROUTES",
        page_cache_prefixes=(),
    )
)
