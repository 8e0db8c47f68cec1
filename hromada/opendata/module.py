"""What the open data portal gives the platform, declared once (docs/modules.md,
ADR 0009). Built in parts; this declaration grows with them."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import HomeBlock, Job, Module, NavEntry, Permission, StaffSection, register

register(
    Module(
        label="opendata",
        name=_("Відкриті дані"),
        description=_(
            "Портал відкритих даних громади: набори розпорядників і самої платформи, попередній перегляд, "
            "графіки, сховище даних, API, сумісний з CKAN, DCAT-AP і перелік Постанови № 835."
        ),
        event_prefix="opendata",
        urls="hromada.opendata.urls",
        staff_urls="hromada.opendata.staff_urls",
        nav=(NavEntry(_("Відкриті дані"), "opendata:index", order=60),),
        home_blocks=(HomeBlock("opendata/_home.html", "hromada.opendata.selectors.home_summary", order=60),),
        staff_sections=(
            StaffSection(
                _("Відкриті дані"),
                _("Набори даних моїх розпорядників: опис, ресурси, нові версії, оприлюднення."),
                "staff_opendata:index",
                permission="opendata.publish",
                order=60,
            ),
            StaffSection(
                _("Розпорядники відкритих даних"),
                _("Розпорядники, їхні редактори й теми наборів."),
                "staff_opendata:publishers",
                permission="opendata.manage",
                order=61,
            ),
        ),
        staff_summary="hromada.opendata.selectors.staff_summary",
        demo="hromada.opendata.demo.seed",
        settings_model="opendata.OpenDataSettings",
        reference_data="hromada.opendata.required_data.reference_data",
        # CKAN's Action API at its customary addresses (ADR 0009 decision 6), and the
        # DataStore's dump where CKAN serves it.
        standard_urls={
            "api/3/action": "hromada.opendata.ckan.urls",
            "api/action": "hromada.opendata.ckan.urls",
            "datastore": "hromada.opendata.datastore_urls",
        },
        permissions=(
            Permission(
                "opendata.publish",
                _("Оприлюднювати й оновлювати набори даних свого розпорядника"),
                ("admin", "officer"),
            ),
            Permission(
                "opendata.manage",
                _("Керувати розпорядниками, темами й переліком Постанови № 835"),
                ("admin",),
            ),
        ),
        ledger_kinds={
            "opendata.dataset_published": _("Оприлюднено набір даних"),
            "opendata.dataset_updated": _("Оновлено набір даних"),
            "opendata.dataset_withdrawn": _("Набір даних знято з оприлюднення"),
            "opendata.resource_version": _("Додано нову версію ресурсу"),
            "opendata.requirement_answered": _("Оновлено відповідь щодо набору з переліку Постанови № 835"),
            "opendata.datastore_loaded": _("Дані ресурсу завантажено до сховища даних"),
            "opendata.chart_saved": _("Створено, змінено чи вилучено графік ресурсу"),
            "opendata.budget_imported": _("Завантажено дані бюджету громади з «Відкритого бюджету»"),
        },
        notification_kinds={
            "opendata.update_due": _("Час оновити набір даних з переліку Постанови № 835"),
        },
        staff_notification_kinds=frozenset({"opendata.update_due"}),
        jobs=(
            Job("hromada.opendata.checklist.remind_tick", 6 * 3600),
            # DataStore loads left `loading` by a worker that died start again.
            Job("hromada.opendata.tasks.datastore_tick", 300),
            # The modules' registry datasets regenerated; an unchanged one writes nothing.
            Job("hromada.opendata.services.platform.platform_tick", 15 * 60),
        ),
        not_personal={
            "opendata.Publisher": "its members are officials acting in office",
            "opendata.PublisherMember": "an official's membership of a publisher: an act of office",
            "opendata.ResourceVersion": "the official who uploaded a published file: an act of office",
            "opendata.BudgetImport": "the official who imported the budget's figures: an act of office",
        },
        not_tenant_owned={
            "opendata.RequiredDataset": "the Resolution 835 list: national law, the same for every hromada",
        },
    )
)
