"""What the service centre (ЦНАП) gives the platform, declared once (docs/modules.md,
ADR 0010). Part (a): the catalogue, offices, workplaces, hours and exceptions."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Dataset, DatasetField, Module, NavEntry, Permission, StaffSection, register

register(
    Module(
        label="cnap",
        name=_("Центр надання адміністративних послуг (ЦНАП)"),
        description=_(
            "Каталог адміністративних послуг громади зрозумілою мовою, офіси й віддалені робочі місця "
            "з графіками роботи."
        ),
        event_prefix="cnap",
        urls="hromada.cnap.urls",
        staff_urls="hromada.cnap.staff_urls",
        nav=(NavEntry(_("Послуги ЦНАП"), "cnap:catalogue", order=45),),
        staff_sections=(
            StaffSection(
                _("ЦНАП: послуги й офіси"),
                _("Каталог послуг із документами, офіси, вікна, графіки роботи й винятки."),
                "staff_cnap:index",
                permission="cnap.manage",
                order=45,
            ),
        ),
        permissions=(
            Permission("cnap.manage", _("Вести каталог послуг, офіси, вікна й графіки ЦНАП"), ("admin",)),
            # Held by the centre's administrators at the windows (the queue, part (c)).
            Permission("cnap.serve", _("Обслуговувати відвідувачів ЦНАП у вікні"), ("admin", "officer")),
        ),
        settings_model="cnap.CnapSettings",
        ledger_kinds={
            "cnap.service_created": _("Додано послугу до каталогу ЦНАП"),
            "cnap.service_changed": _("Змінено послугу ЦНАП"),
            "cnap.service_published": _("Оприлюднено послугу ЦНАП"),
            "cnap.service_archived": _("Послугу ЦНАП перенесено в архів"),
            "cnap.catalogue_changed": _("Змінено категорії чи життєві ситуації каталогу ЦНАП"),
            "cnap.office_changed": _("Змінено офіс, робоче місце чи графік ЦНАП"),
            "cnap.schedule_exception_added": _("Змінено графік ЦНАП на певні дні"),
            "cnap.schedule_exception_removed": _("Скасовано зміну графіка ЦНАП"),
        },
        datasets=(
            Dataset(
                slug="services",
                title=_("Каталог адміністративних послуг ЦНАП"),
                description=_(
                    "Оприлюднені послуги: код, назва, суб'єкт надання, хто може звернутися, строк, результат, "
                    "оплата, способи отримання, документи, життєві ситуації й офіси, де їх надають."
                ),
                rows="hromada.cnap.selectors.service_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор (UUID)")),
                    DatasetField("code", _("Код послуги")),
                    DatasetField("title", _("Назва")),
                    DatasetField("category", _("Категорія")),
                    DatasetField("provider", _("Суб'єкт надання")),
                    DatasetField("applicants", _("Хто може звернутися")),
                    DatasetField("term", _("Строк надання")),
                    DatasetField("result", _("Результат")),
                    DatasetField("fee_kind", _("Оплата (free, fixed, tariff)")),
                    DatasetField("fee_amount", _("Сума, грн")),
                    DatasetField("in_person", _("Особисто в ЦНАП")),
                    DatasetField("online_url", _("Онлайн-послуга")),
                    DatasetField("diia_url", _("Послуга в Дії")),
                    DatasetField("booking_allowed", _("Онлайн-запис")),
                    DatasetField("documents", _("Документи")),
                    DatasetField("life_situations", _("Життєві ситуації")),
                    DatasetField("offices", _("Офіси")),
                    DatasetField("url", _("Сторінка")),
                ),
            ),
        ),
        demo="hromada.cnap.demo.seed",
        page_cache_prefixes=(),
    )
)
