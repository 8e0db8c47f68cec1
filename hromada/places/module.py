"""What the community registers and maps give the platform (see docs/modules.md).

Other modules ask "where is this and whose is it" through `places.selectors.where`
(docs/places-lookup.md) and draw maps with the kernel's map component (docs/maps.md);
they never read these models."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import (
    Dataset,
    DatasetField,
    Job,
    Module,
    NavEntry,
    Permission,
    StaffSection,
    register,
)

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
        staff_sections=(
            StaffSection(
                _("Вулиці й будинки"),
                _("Реєстр вулиць і будинків: нові вулиці, перейменування з рішенням, колишні назви."),
                "staff_places:streets",
                permission="places.manage_addresses",
                order=50,
            ),
            StaffSection(
                _("Населені пункти, округи й райони"),
                _("Населені пункти з КАТОТТГ, старостинські округи, райони міста, межа громади."),
                "staff_places:index",
                permission="places.manage_areas",
                order=51,
            ),
            StaffSection(
                _("Імпорт до реєстрів"),
                _("Завантаження вулиць, будинків і територій із CSV, GeoJSON чи KML зі звітом по рядках."),
                "staff_places:imports",
                permission="places.manage_addresses",
                order=52,
            ),
            StaffSection(
                _("Території обслуговування"),
                _("Які вулиці й будинки (чи ділянки на карті) обслуговує школа, садок, ЦНАП чи служба."),
                "staff_places:territories",
                permission="places.manage_territories",
                order=53,
            ),
        ),
        staff_summary="hromada.places.staff_selectors.staff_summary",
        jobs=(Job("hromada.places.tasks.places_tick", 300),),
        datasets=(
            Dataset(
                slug="settlements",
                title=_("Населені пункти"),
                description=_(
                    "Населені пункти громади за кодифікатором КАТОТТГ і їхні старостинські округи."
                ),
                rows="hromada.places.exports.settlement_rows",
                fields=(
                    DatasetField("katottg", _("Код КАТОТТГ")),
                    DatasetField("category", _("Категорія за КАТОТТГ (M місто, T смт, C село, X селище)")),
                    DatasetField("name", _("Назва")),
                    DatasetField("name_en", _("Назва латиницею (постанова КМУ № 55 від 2010 р.)")),
                    DatasetField("is_centre", _("Адміністративний центр громади")),
                    DatasetField("okrug", _("Старостинський округ")),
                    DatasetField("lat", _("Широта центру (WGS 84)")),
                    DatasetField("lon", _("Довгота центру (WGS 84)")),
                ),
            ),
            Dataset(
                slug="streets",
                title=_("Вулиці"),
                description=_(
                    "Реєстр вулиць громади з колишніми назвами, датами й рішеннями про перейменування."
                ),
                rows="hromada.places.exports.street_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор вулиці (UUID)")),
                    DatasetField("settlement", _("Населений пункт")),
                    DatasetField("settlement_katottg", _("Код КАТОТТГ населеного пункту")),
                    DatasetField("type", _("Тип (вулиця, провулок, площа…)")),
                    DatasetField("name", _("Назва")),
                    DatasetField("name_en", _("Назва латиницею")),
                    DatasetField("former_names", _("Колишні назви з датою й рішенням, через «|»")),
                ),
            ),
            Dataset(
                slug="street_names",
                title=_("Перейменування вулиць"),
                description=_("Колишні назви вулиць, по одній у рядку: дата й рішення про перейменування."),
                rows="hromada.places.exports.street_name_rows",
                fields=(
                    DatasetField("street_id", _("Ідентифікатор вулиці (UUID)")),
                    DatasetField("settlement", _("Населений пункт")),
                    DatasetField("street", _("Теперішня назва")),
                    DatasetField("former_type", _("Тип у колишній назві")),
                    DatasetField("former_name", _("Колишня назва")),
                    DatasetField("renamed_on", _("Дата перейменування")),
                    DatasetField("decision", _("Рішення про перейменування")),
                    DatasetField("decision_url", _("Посилання на рішення")),
                ),
            ),
            Dataset(
                slug="buildings",
                title=_("Будинки (адреси)"),
                description=_("Адресний реєстр: будинки з поштовим індексом, координатами й властивостями."),
                rows="hromada.places.exports.building_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор будинку (UUID)")),
                    DatasetField("street_id", _("Ідентифікатор вулиці (UUID)")),
                    DatasetField("settlement", _("Населений пункт")),
                    DatasetField("street", _("Вулиця")),
                    DatasetField("number", _("Номер будинку")),
                    DatasetField("postcode", _("Поштовий індекс")),
                    DatasetField("lat", _("Широта (WGS 84)")),
                    DatasetField("lon", _("Довгота (WGS 84)")),
                    DatasetField("floors", _("Поверхів")),
                    DatasetField("year", _("Рік побудови")),
                    DatasetField("use", _("Призначення")),
                ),
            ),
            Dataset(
                slug="areas",
                title=_("Території"),
                description=_(
                    "Межа громади, старостинські округи, райони, території обслуговування й зони; "
                    "межі у форматі GeoJSON — у програмному інтерфейсі."
                ),
                rows="hromada.places.exports.area_rows",
                fields=(
                    DatasetField("id", _("Ідентифікатор території (UUID)")),
                    DatasetField("kind", _("Вид (boundary, okrug, district, territory, zone)")),
                    DatasetField("purpose", _("Для чого (модуль території обслуговування)")),
                    DatasetField("name", _("Назва")),
                    DatasetField("name_en", _("Назва англійською")),
                    DatasetField("head_name", _("Староста чи керівник")),
                    DatasetField("phone", _("Телефон")),
                    DatasetField("email", _("Електронна пошта")),
                    DatasetField("office_address", _("Адреса приймальні")),
                    DatasetField(
                        "bbox", _("Охоплення: мін. довгота, мін. широта, макс. довгота, макс. широта")
                    ),
                ),
            ),
        ),
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
            "places.territory_rule_added": _("До території обслуговування додано правило вулиці"),
            "places.territory_rule_deleted": _("З території обслуговування вилучено правило вулиці"),
        },
        # Registers are public: the only user reference is the official who imported a file.
        caches=("hromada.places.geocode.cache_clear",),  # per-process area/building snapshots
        not_personal={"places.ImportRun": "the official who imported a register file: an act of office"},
    )
)
