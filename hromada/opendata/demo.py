"""The demo's open data portal (module.py `demo`): four publishers of the council (the
finance department, the education department, the economic development department and
the municipal enterprise «Благоустрій»), themes, and datasets with CSV resources of
realistic content — the budgets of two years imported from openbudget.gov.ua's files
(demo_budget.py) for the open budget explorer, the monthly execution, schools and kindergartens,
bus stops and routes with coordinates, green spaces, street lighting, waste container
sites, contracts — published and updated over the demo's weeks, one overdue for its
update, one draft left for the console and one withdrawn with its reason. Beside them,
the platform's own datasets (every module's registry datasets), regenerated three
times over the story.

Everything goes through the services, as events in time order on the travelled clock
(demo_seed runs them with the other modules'), so the ledger agrees with the pages."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.core.opendata import csv_table_stream

from . import demo_budget, services
from .models import Dataset

DAY = dt.timedelta(days=1)
Event = tuple[dt.datetime, Callable[[], Any]]

# Kamianka (Cherkasy oblast): the demo hromada's centre.
LAT, LON = 49.0318, 32.1046

PUBLISHERS = (
    ("finance", "Фінансове управління", "department", "04061234", "Складає й виконує бюджет громади."),
    (
        "osvita",
        "Відділ освіти",
        "department",
        "04061235",
        "Заклади дошкільної та загальної середньої освіти.",
    ),
    (
        "ekonomika",
        "Відділ економічного розвитку та транспорту",
        "department",
        "04061236",
        "Громадський транспорт, торгівля, закупівлі.",
    ),
    (
        "blagoustrii",
        "КП «Благоустрій»",
        "enterprise",
        "32456781",
        "Комунальне підприємство: зелені насадження, освітлення, вивезення відходів.",
    ),
)
GROUPS = (
    ("budget", "Бюджет і фінанси"),
    ("education", "Освіта"),
    ("transport", "Транспорт"),
    ("city", "Міське середовище"),
)
STREETS = (
    "вул. Героїв Майдану",
    "вул. Соборна",
    "вул. Шевченка",
    "вул. Гагаріна",
    "вул. Пушкіна",
    "вул. Декабристів",
    "вул. Лесі Українки",
    "вул. Чигиринська",
    "вул. Незалежності",
    "пров. Тясминський",
)


def _csv(header: list[str], rows: list[list]) -> bytes:
    return "".join(csv_table_stream(header, [rows], bom=False, lineterminator="\n")).encode("utf-8")


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _near(rng: random.Random, spread: float = 0.018) -> tuple[str, str]:
    return (
        f"{LAT + rng.uniform(-spread, spread):.6f}",
        f"{LON + rng.uniform(-spread * 1.5, spread * 1.5):.6f}",
    )


# --- the tables -----------------------------------------------------------------------------

SPENDING = (
    ("0110150", "0111", "Організаційне, інформаційно-аналітичне забезпечення діяльності ради", 38_400_000),
    ("0611010", "0910", "Надання дошкільної освіти", 52_300_000),
    (
        "0611021",
        "0921",
        "Надання загальної середньої освіти закладами загальної середньої освіти",
        121_800_000,
    ),
    ("0812030", "0763", "Інші заходи у сфері соціального захисту", 6_200_000),
    ("1014060", "0828", "Забезпечення діяльності палаців і будинків культури", 9_700_000),
    ("1216030", "0620", "Організація благоустрою населених пунктів", 27_900_000),
    ("1217461", "0456", "Утримання та розвиток автомобільних доріг", 18_500_000),
    ("1218110", "0320", "Заходи із запобігання та ліквідації надзвичайних ситуацій", 3_100_000),
)


def budget_execution(months: int) -> bytes:
    rng = random.Random(months)
    rows = []
    for month in range(1, months + 1):
        for kpkvk, tpkvk, name, amount in SPENDING:
            share = amount / 12 * rng.uniform(0.78, 1.05)
            rows.append([f"2026-{month:02d}", kpkvk, tpkvk, name, f"{amount / 12:.2f}", f"{share:.2f}"])
    return _csv(["місяць", "кпквк", "тпквк", "найменування", "план_грн", "виконано_грн"], rows)


SCHOOLS = (
    ("Кам’янський ліцей № 1", "вул. Героїв Майдану, 28", 712, 58),
    ("Кам’янська гімназія № 2", "вул. Шевченка, 5", 486, 41),
    ("Кам’янська гімназія № 3", "вул. Гагаріна, 14", 395, 36),
    ("Ротмістрівська гімназія", "с. Ротмістрівка, вул. Центральна, 2", 142, 19),
    ("Косарська гімназія", "с. Косарі, вул. Шкільна, 1", 118, 17),
    ("Юрчиська початкова школа", "с. Юрчиха, вул. Садова, 3", 46, 7),
)
KINDERGARTENS = (
    ("ЗДО «Сонечко»", "вул. Соборна, 41", 145, 6),
    ("ЗДО «Барвінок»", "вул. Пушкіна, 12", 120, 5),
    ("ЗДО «Калинка»", "вул. Лесі Українки, 7", 98, 4),
    ("ЗДО «Журавлик»", "с. Ротмістрівка, вул. Молодіжна, 4", 40, 2),
)


def schools() -> bytes:
    rng = random.Random(3)
    return _csv(
        ["назва", "адреса", "учнів", "класів", "широта", "довгота", "укриття"],
        [
            [n, a, p, c, *_near(rng, 0.05 if "с." in a else 0.012), "так" if p > 100 else "ні"]
            for n, a, p, c in SCHOOLS
        ],
    )


def kindergartens() -> bytes:
    rng = random.Random(4)
    return _csv(
        ["назва", "адреса", "дітей", "груп", "широта", "довгота"],
        [[n, a, p, g, *_near(rng, 0.04 if "с." in a else 0.012)] for n, a, p, g in KINDERGARTENS],
    )


def stops() -> bytes:
    rng = random.Random(5)
    names = [
        "Автостанція",
        "Центр",
        "Ринок",
        "Лікарня",
        "Цукровий завод",
        "Школа № 3",
        "Парк Шевченка",
        "Залізничний вокзал",
        "Машзавод",
        "Селище Тясмин",
        "Кладовище",
        "Водоканал",
        "Ротмістрівка (поворот)",
        "Косарі (центр)",
    ]
    return _csv(
        ["id", "назва", "широта", "довгота", "павільйон", "маршрути"],
        [
            [f"KAM{idx:03d}", name, *_near(rng), "так" if idx % 3 else "ні", "1;3" if idx % 2 else "2"]
            for idx, name in enumerate(names, 1)
        ],
    )


def routes() -> bytes:
    return _csv(
        ["номер", "назва", "перевізник", "інтервал_хв", "перший_рейс", "останній_рейс", "довжина_км"],
        [
            ["1", "Автостанція — Машзавод", "ФОП Коваленко О. В.", 20, "06:10", "20:40", 7.8],
            ["2", "Вокзал — Цукровий завод", "ТОВ «Кам’янкаавтотранс»", 30, "06:00", "21:00", 6.2],
            ["3", "Центр — Селище Тясмин", "ТОВ «Кам’янкаавтотранс»", 40, "06:30", "19:30", 9.4],
            ["104", "Кам’янка — Ротмістрівка — Косарі", "ФОП Гуменюк І. П.", 120, "07:00", "18:00", 24.5],
        ],
    )


def green_spaces() -> bytes:
    rng = random.Random(7)
    items = [
        ("Парк імені Тараса Шевченка", "парк", 14.6),
        ("Сквер біля Будинку культури", "сквер", 0.8),
        ("Сквер Героїв", "сквер", 0.5),
        ("Алея на вул. Соборній", "алея", 0.3),
        ("Зона відпочинку «Тясмин»", "зона відпочинку", 3.2),
        ("Дендропарк «Кам’янка»", "парк", 9.1),
        ("Дитячий майданчик на вул. Гагаріна", "майданчик", 0.1),
    ]
    return _csv(
        ["назва", "тип", "площа_га", "широта", "довгота", "балансоутримувач"],
        [[n, t, a, *_near(rng), "КП «Благоустрій»"] for n, t, a in items],
    )


def lighting() -> bytes:
    rng = random.Random(8)
    return _csv(
        ["вулиця", "опор", "світильників", "з_них_LED", "довжина_мережі_км"],
        [
            [s, (n := rng.randint(12, 60)), n + rng.randint(0, 6), rng.randint(0, n), round(n * 0.035, 2)]
            for s in STREETS
        ],
    )


def containers(quarter: int) -> bytes:
    rng = random.Random(20 + quarter)
    return _csv(
        ["адреса", "широта", "довгота", "контейнерів", "для_сортування", "графік_вивезення"],
        [
            [f"{s}, {rng.randint(1, 60)}", *_near(rng), rng.randint(2, 6), rng.randint(0, 2), "пн, чт"]
            for s in STREETS
        ],
    )


def contracts() -> bytes:
    rng = random.Random(9)
    items = [
        ("Поточний ремонт дорожнього покриття вул. Соборної", "ТОВ «Шляхбуд-Черкаси»", 1_840_000),
        ("Постачання продуктів харчування для закладів освіти", "ТОВ «Агропродсервіс»", 2_960_000),
        ("Постачання природного газу", "ТОВ «Газопостачальна компанія «Нафтогаз Трейдинг»", 4_120_000),
        ("Заміна вікон у ЗДО «Сонечко»", "ФОП Мельник В. А.", 386_000),
        ("Послуги з вивезення твердих побутових відходів", "КП «Благоустрій»", 1_250_000),
        ("Придбання шкільного автобуса", "ТОВ «Ataman-Україна»", 3_480_000),
    ]
    return _csv(
        ["дата", "предмет", "постачальник", "сума_грн", "ідентифікатор_prozorro"],
        [
            [
                f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                s,
                v,
                f"{a}.00",
                f"UA-2026-0{i}-1{rng.randint(1000, 9999)}-a",
            ]
            for i, (s, v, a) in enumerate(items, 1)
        ],
    )


# --- the story ------------------------------------------------------------------------------


def seed(*, hromada, people: dict, start: dt.datetime) -> list[Event]:
    admin, officer = people["admin"], people["officer"]
    now = timezone.now()
    state: dict[str, Any] = {}

    def setup():
        for name, title, kind, code, description in PUBLISHERS:
            state[name] = services.publisher_create(
                hromada, admin, name=name, title=title, kind=kind, identifier=code, description=description
            )
            # The officer edits for every publisher: one demo account shows the console whole.
            services.publisher_member_add(state[name], admin, officer)
        for name, title in GROUPS:
            state[f"group:{name}"] = services.group_create(hromada, admin, name=name, title=title)

    def dataset(key, publisher, *, resources, publish=True, **fields):
        def run():
            made = services.dataset_create(
                hromada,
                officer,
                state[publisher],
                language="uk",
                spatial="Кам’янська міська територіальна громада, Черкаська область",
                maintainer_email=f"{publisher}@kamianka-rada.example",
                **fields,
            )
            for title, filename, content in resources:
                state[f"{key}:{filename}"] = services.resource_create(
                    made, officer, name=title, upload=_file(filename, content)
                )
            if publish:
                services.dataset_publish(made, officer)
            state[key] = made

        return run

    def version(key, filename, content, note):
        def run():
            services.resource_upload_version(
                state[f"{key}:{filename}"], officer, _file(filename, content), note=note
            )

        return run

    def link(key, title, url, fmt):
        def run():
            services.resource_create(state[key], officer, name=title, url=url, format=fmt)

        return run

    def withdraw(key, reason):
        def run():
            services.dataset_withdraw(state[key], officer, reason)

        return run

    def platform_data():
        # The platform's own datasets (services.platform), regenerated as the modules'
        # stories go on: each run makes a version only where a module's data changed.
        services.platform_sync(hromada)

    def budget_year(year):
        def run():
            # The open budget (demo_budget.py): files in openbudget.gov.ua's shapes, imported
            # as the finance officer does; the first import makes and publishes budget-<year>.
            for kind, upload, cumulative in demo_budget.files(year):
                services.budget_import(
                    hromada, year, kind, upload, officer, publisher=state["finance"], cumulative=cumulative
                )
            dataset = Dataset.objects.for_hromada(hromada).get(name=f"budget-{year}")
            services.dataset_update(
                dataset,
                officer,
                groups=["budget"],
                maintainer="Олена Бондар, начальник фінансового управління",
            )

        return run

    events: list[Event] = [(start + dt.timedelta(hours=2), setup)]
    # Three regenerations: the history shows versions; the last one is today's data.
    events += [
        (moment, platform_data) for moment in (now - 21 * DAY, now - 7 * DAY, now - dt.timedelta(minutes=5))
    ]
    events += [
        (now - 86 * DAY, budget_year(2025)),
        (now - 85 * DAY, budget_year(2026)),
        (
            now - 80 * DAY,
            dataset(
                "execution",
                "finance",
                name="budget-execution-2026",
                title="Виконання бюджету громади за 2026 рік (щомісяця)",
                notes="План і фактичні видатки за програмами, наростаючим підсумком по місяцях.",
                tags=["бюджет", "виконання бюджету"],
                groups=["budget"],
                frequency="Щомісяця",
                purpose="Звітування про виконання бюджету",
                maintainer="Олена Бондар",
                resources=[("Виконання за місяцями", "vykonannia-2026.csv", budget_execution(9))],
            ),
        ),
        (now - 50 * DAY, version("execution", "vykonannia-2026.csv", budget_execution(10), "Додано жовтень")),
        (
            now - 20 * DAY,
            version("execution", "vykonannia-2026.csv", budget_execution(11), "Додано листопад"),
        ),
        (
            now - 75 * DAY,
            dataset(
                "schools",
                "osvita",
                name="zaklady-zahalnoi-serednoi-osvity",
                title="Заклади загальної середньої освіти",
                notes="Ліцеї, гімназії й початкові школи громади: адреси, кількість учнів і класів, координати, наявність укриття.",
                tags=["освіта", "школи"],
                groups=["education"],
                frequency="Щороку",
                maintainer="Андрій Кравченко, головний спеціаліст відділу освіти",
                resources=[("Перелік закладів", "shkoly.csv", schools())],
            ),
        ),
        (
            now - 74 * DAY,
            dataset(
                "kindergartens",
                "osvita",
                name="zaklady-doshkilnoi-osvity",
                title="Заклади дошкільної освіти",
                notes="Садочки громади: адреси, кількість дітей і груп, координати.",
                tags=["освіта", "садочки"],
                groups=["education"],
                frequency="Щороку",
                maintainer="Андрій Кравченко",
                resources=[("Перелік закладів", "zdo.csv", kindergartens())],
            ),
        ),
        (
            now - 70 * DAY,
            dataset(
                "stops",
                "ekonomika",
                name="zupynky-transportu",
                title="Зупинки громадського транспорту",
                notes="Зупинки автобусних маршрутів громади з координатами (WGS 84), наявністю павільйону й маршрутами.",
                tags=["транспорт", "зупинки", "геодані"],
                groups=["transport"],
                frequency="Позапланово",
                maintainer="Світлана Ткаченко",
                resources=[("Зупинки", "zupynky.csv", stops())],
            ),
        ),
        (
            now - 69 * DAY,
            dataset(
                "routes",
                "ekonomika",
                name="marshruty-avtobusiv",
                title="Маршрути міських і приміських автобусів",
                notes="Маршрути, перевізники, інтервали й час роботи.",
                tags=["транспорт", "маршрути"],
                groups=["transport"],
                frequency="Щороку",
                maintainer="Світлана Ткаченко",
                resources=[("Маршрути", "marshruty.csv", routes())],
            ),
        ),
        (
            now - 68 * DAY,
            link("routes", "Розклад на сайті перевізника", "https://kamianka-rada.example/transport", "HTML"),
        ),
        (
            now - 60 * DAY,
            dataset(
                "green",
                "blagoustrii",
                name="obiekty-blahoustroiu",
                title="Об’єкти благоустрою та зелені зони",
                notes="Парки, сквери, алеї й майданчики на балансі КП «Благоустрій»: тип, площа, координати.",
                tags=["благоустрій", "зелені зони", "геодані"],
                groups=["city"],
                frequency="Щороку",
                maintainer="Микола Шевчук, інженер КП «Благоустрій»",
                resources=[("Об’єкти", "obiekty.csv", green_spaces())],
            ),
        ),
        (
            now - 88 * DAY,
            dataset(
                "lighting",
                "blagoustrii",
                name="vulychne-osvitlennia",
                title="Мережа вуличного освітлення",
                notes="Опори, світильники (зокрема світлодіодні) і довжина мереж за вулицями.",
                tags=["благоустрій", "освітлення"],
                groups=["city"],
                # Monthly, last updated 88 days ago: the console shows it overdue.
                frequency="Щомісяця",
                maintainer="Микола Шевчук",
                resources=[("Освітлення за вулицями", "osvitlennia.csv", lighting())],
            ),
        ),
        (
            now - 65 * DAY,
            dataset(
                "containers",
                "blagoustrii",
                name="konteinerni-maidanchyky",
                title="Контейнерні майданчики для твердих побутових відходів",
                notes="Адреси, координати, кількість контейнерів (зокрема для роздільного збирання) і графік вивезення.",
                tags=["відходи", "благоустрій", "геодані"],
                groups=["city"],
                frequency="Щокварталу",
                maintainer="Микола Шевчук",
                resources=[("Майданчики", "maidanchyky.csv", containers(3))],
            ),
        ),
        (
            now - 10 * DAY,
            version(
                "containers", "maidanchyky.csv", containers(4), "IV квартал: нові майданчики для сортування"
            ),
        ),
        (
            now - 40 * DAY,
            dataset(
                "contracts",
                "ekonomika",
                name="dohovory-2026",
                title="Договори про закупівлі, укладені у 2026 році",
                notes="Предмет, постачальник, сума та ідентифікатор закупівлі в Prozorro.",
                tags=["закупівлі", "prozorro"],
                groups=["budget"],
                frequency="Щомісяця",
                maintainer="Світлана Ткаченко",
                resources=[("Договори", "dohovory.csv", contracts())],
            ),
        ),
        (
            now - 39 * DAY,
            link(
                "contracts", "Закупівлі громади в Prozorro", "https://prozorro.gov.ua/search/tender", "HTML"
            ),
        ),
        (
            now - 82 * DAY,
            dataset(
                "tariffs",
                "blagoustrii",
                name="taryfy-tpv-2025",
                title="Тарифи на вивезення побутових відходів (2025)",
                tags=["відходи", "тарифи"],
                groups=["city"],
                frequency="Щороку",
                resources=[
                    (
                        "Тарифи",
                        "taryfy.csv",
                        _csv(
                            ["категорія", "грн_за_м3"],
                            [["населення", "182.40"], ["бюджетні установи", "214.10"]],
                        ),
                    )
                ],
            ),
        ),
        (
            now - 30 * DAY,
            withdraw("tariffs", "Тарифи 2025 року втратили чинність; нові — у рішенні виконкому № 214."),
        ),
        (
            now - 2 * DAY,
            dataset(
                "roads",
                "ekonomika",
                name="remonty-dorih-2027",
                title="План ремонту доріг на 2027 рік",
                notes="Чернетка: перелік вулиць і орієнтовна вартість робіт.",
                tags=["дороги", "ремонт"],
                groups=["transport"],
                frequency="Щороку",
                publish=False,
                resources=[],
            ),
        ),
    ]
    return events
