"""What the community registers and maps give the platform (see docs/modules.md).

Other modules ask "where is this and whose is it" through `places.selectors.locate`
and draw maps with the kernel's map component; they never read these models."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Module, NavEntry, Permission, register

register(
    Module(
        label="places",
        name=_("Реєстри та карта громади"),
        description=_(
            "Населені пункти з кодифікатора, старостинські округи й райони, вулиці з колишніми "
            "назвами, будинки, пошук адрес і карта."
        ),
        event_prefix="places",
        urls="hromada.places.urls",
        staff_urls="hromada.places.staff_urls",
        api_router="hromada.places.api.router",
        demo="hromada.places.demo.seed",
        nav=(NavEntry(_("Карта"), "places:map", order=50),),
        permissions=(
            Permission(
                "places.manage_areas",
                _("Завантажувати населені пункти, креслити межу громади, округи й райони"),
                ("admin",),
            ),
            Permission(
                "places.manage_addresses",
                _("Вести реєстр вулиць і будинків, перейменування та імпорт"),
                ("admin", "officer"),
            ),
            Permission(
                "places.manage_territories",
                _("Визначати території обслуговування та зони"),
                ("admin", "officer"),
            ),
        ),
        ledger_kinds={
            "places.settlements_loaded": _("Населені пункти завантажено з кодифікатора КАТОТТГ"),
            "places.settlement_updated": _("Змінено відомості про населений пункт"),
            "places.area_saved": _("Збережено межі території"),
            "places.area_deleted": _("Територію вилучено"),
            "places.street_saved": _("Вулицю внесено до реєстру"),
            "places.street_renamed": _("Вулицю перейменовано"),
            "places.building_saved": _("Будинок внесено до реєстру"),
            "places.building_deleted": _("Будинок вилучено з реєстру"),
            "places.import_finished": _("Завершено імпорт до реєстру"),
        },
        # Registers are public: the only user reference is the official who imported a file.
        not_personal={"places.ImportRun": "the official who imported a register file: an act of office"},
    )
)
