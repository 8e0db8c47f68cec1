"""What the open data portal gives the platform, declared once (docs/modules.md,
ADR 0009). Built in parts; this declaration grows with them."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Job, Module, Permission, register

register(
    Module(
        label="opendata",
        name=_("Відкриті дані"),
        description=_(
            "Портал відкритих даних громади: набори розпорядників і самої платформи, попередній перегляд, "
            "графіки, сховище даних, API, сумісний з CKAN, DCAT-AP і перелік Постанови № 835."
        ),
        event_prefix="opendata",
        settings_model="opendata.OpenDataSettings",
        reference_data="hromada.opendata.required_data.reference_data",
        # DataStore loads left `loading` by a worker that died start again.
        jobs=(Job("hromada.opendata.tasks.datastore_tick", 300),),
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
            "opendata.datastore_loaded": _("Дані ресурсу завантажено до сховища даних"),
        },
        not_personal={
            "opendata.Publisher": "its members are officials acting in office",
            "opendata.PublisherMember": "an official's membership of a publisher: an act of office",
            "opendata.ResourceVersion": "the official who uploaded a published file: an act of office",
        },
        not_tenant_owned={
            "opendata.RequiredDataset": "the Resolution 835 list: national law, the same for every hromada",
        },
    )
)
