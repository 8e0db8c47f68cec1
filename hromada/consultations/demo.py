"""The demo's consultations (module.py `demo`): a survey open now with its answers and
live results, an e-consultation open now with documents, proposals, supports and
comments, a draft-act discussion closed weeks ago with every proposal answered and its
report published, a poll that opens in a few days, and a draft for staff to finish and
publish in the console.

Everything goes through the services, event by event in time order, on a clock set to
each event's moment (core.clock.travel_to), as the petitions' and budget's demos do: the
ledger stays in time order and agrees with the pages (the survey's ledger entries equal
its submitted responses).

A consultation's life also runs in its after-commit work: publication brings the phase
plan to its phase, the phase hook announces an opening to subscribers and, at closing,
drafts the report and tells staff it is due. demo_seed runs every module's events in one
transaction, which would leave that work to the real end of the seed (on the real clock,
after the ledger is sealed). So each of this demo's events runs as one request of its
moment does (`_committed`): the after-commit work it queued runs right after it, on the
travelled clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("hromada.consultations")

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)

Event = tuple[dt.datetime, Callable[[], Any]]

COUNCIL = "Виконавчий комітет Кам’янської міської ради"
HOUSING = "Управління житлово-комунального господарства"

# --- the survey ----------------------------------------------------------------------------

SURVEY_TITLE = "Опитування щодо облаштування парку імені Тараса Шевченка"
SURVEY_SUMMARY = (
    "Якою має бути реконструкція міського парку у 2027 році: що облаштувати насамперед, "
    "де бракує світла і чи безпечно там увечері."
)
SURVEY_BODY = (
    "Парк імені Тараса Шевченка — найбільший у Кам’янці, та його освітлення, доріжки й "
    "майданчики не оновлювали понад двадцять років. Управління ЖКГ готує технічне завдання "
    "на проєкт реконструкції: відповіді мешканців визначать, що ввійде в першу чергу робіт. "
    "Опитування анонімне; результати видно під час проведення."
)
FREQUENCY = ["Щодня", "Кілька разів на тиждень", "Кілька разів на місяць", "Рідше", "Не буваю"]
ACTIVITIES = [
    "Гуляю з дітьми",
    "Займаюся спортом",
    "Вигулюю собаку",
    "Відпочиваю на лавці",
    "Ходжу на концерти та свята",
    "Проходжу дорогою на роботу",
]
PRIORITIES = [
    "Освітлення алей",
    "Дитячий майданчик",
    "Спортивний майданчик",
    "Громадська вбиральня",
    "Лавки та урни",
    "Велодоріжка",
]
TOLOKA = ["Так", "Можливо", "Ні"]
WHY_NOT = [
    "Далеко від дому",
    "Темно ввечері, страшно йти",
    "Немає де посидіти з малою дитиною",
    "Бракує часу",
    "Немає вбиральні, а я з онуками",
    "Багато безпритульних собак",
]
IDEAS = [
    "Замінити ліхтарі на центральній алеї та біля ставка — зараз там зовсім темно.",
    "Потрібен сучасний дитячий майданчик з гумовим покриттям, старі гойдалки небезпечні.",
    "Зробіть нормальні доріжки: після дощу біля сцени стоять калюжі.",
    "Хочеться більше лавок у тіні та питний фонтанчик.",
    "Облаштуйте майданчик для вигулу собак окремо від дитячої зони.",
    "Потрібна громадська вбиральня, хоча б модульна, біля головного входу.",
    "Встановіть камери відеоспостереження на вході з вулиці Соборної.",
    "Велопарковка біля входу й велодоріжка вздовж парку до ліцею.",
    "Висадити нові дерева замість аварійних тополь, зберегти старі дуби.",
    "Зробити пандуси: з візочком чи на кріслі колісному в парк не заїхати.",
    "Відновити літню сцену, щоб проводити концерти й кіно просто неба.",
    "Більше урн і частіше їх вивозити, особливо у вихідні.",
]
# Free-text answers a moderator keeps out of the public results (personal data, abuse).
IDEAS_HIDDEN = [
    "Сусід з будинку навпроти, Петренко, щовечора п’є в парку — телефонуйте йому 067 123 45 67.",
    "Усі в міськраді крадії, нічого ви не зробите!!!",
]

# --- the e-consultation --------------------------------------------------------------------

CONSULTATION_TITLE = "Новий графік вивезення побутових відходів у старостинських округах"
CONSULTATION_SUMMARY = (
    "Як часто й у які дні вивозити сміття з сіл громади, де поставити контейнери для "
    "роздільного збору і як повідомляти про зміни."
)
CONSULTATION_QUESTION = (
    "Чи підтримуєте ви запропонований графік вивезення побутових відходів у старостинських "
    "округах з 1 січня 2027 року і що в ньому варто змінити?"
)
CONSULTATION_BODY = (
    "З 2027 року громада укладає новий договір на вивезення відходів. Проєкт графіка передбачає "
    "вивезення з приватного сектору сіл раз на тиждень за маршрутом кожного округу, "
    "контейнерні майданчики для пластику й скла в центрі кожного округу та збір "
    "великогабаритних відходів двічі на рік. Ознайомтеся з документами, пропонуйте зміни, "
    "підтримуйте пропозиції інших і обговорюйте їх у коментарях."
)
CONSULTATION_DOCUMENTS = [
    (
        "Закон України «Про управління відходами»",
        "https://zakon.rada.gov.ua/laws/show/2320-20",
    ),
    (
        "Постанова КМУ №996 «Про забезпечення участі громадськості у формуванні та реалізації "
        "державної політики»",
        "https://zakon.rada.gov.ua/laws/show/996-2010-п",
    ),
    (
        "Карта громади з межами старостинських округів",
        "https://www.openstreetmap.org/#map=12/49.0330/32.1060",
    ),
]
# (title, body, supports)
CONSULTATION_PROPOSALS = [
    (
        "Влітку вивозити сміття із сіл двічі на тиждень",
        "У спеку за тиждень органічні відходи починають гнити, контейнери приваблюють мух і собак. "
        "Пропоную з червня по серпень вивозити двічі на тиждень.",
        9,
    ),
    (
        "Контейнери для скла в кожному селі, а не лише в центрі округу",
        "До центру округу з Юрчихи чи Радиванівки кілька кілометрів — ніхто не понесе туди пляшки.",
        6,
    ),
    (
        "Повідомляти про зміни графіка на порталі та в месенджерах",
        "Коли машина не приїжджає через свято чи ремонт, люди дізнаються про це запізно. "
        "Нехай старостати надсилають повідомлення через портал громади і Viber-групи сіл.",
        7,
    ),
    (
        "Роздати компостери приватним садибам",
        "Половину сміття з приватного сектору можна компостувати. Громада могла б закупити "
        "компостери й роздати їх охочим — вивозити доведеться менше.",
        4,
    ),
    (
        "Збирати великогабаритні відходи раз на квартал",
        "Двох разів на рік замало: старі меблі й побутову техніку викидають на узбіччя.",
        3,
    ),
]
CONSULTATION_COMMENTS = [
    "У Косарях машина й зараз приїжджає не щотижня. Головне — щоб графік виконували.",
    "Підтримую роздільний збір, але контейнери треба ставити там, де є під’їзд для машини.",
    "А хто платитиме за частіше вивезення влітку? Хотілося б бачити розрахунок тарифу.",
]
COMMENT_REPLIES = [
    "Розрахунок тарифу додамо до документів консультації до кінця тижня. — Управління ЖКГ",
    "Згоден, у нас у Вербівці так само: то приїде, то ні.",
]
COMMENT_ABUSIVE = "Знову гроші відмиють на цьому смітті, всі ви там одна банда, ганьба!"

# --- the draft-act discussion --------------------------------------------------------------

DISCUSSION_TITLE = "Проєкт Правил благоустрою території Кам’янської міської громади"
DISCUSSION_SUMMARY = (
    "Публічне обговорення нових Правил благоустрою: прибирання прилеглих територій, зелені "
    "насадження, поводження з відходами, утримання домашніх тварин."
)
DISCUSSION_BODY = (
    "Чинні Правила благоустрою ухвалено 2012 року, до утворення громади; вони не діють у селах "
    "старостинських округів і не відповідають Закону України «Про управління відходами». "
    "Пропонуйте власну редакцію окремих пунктів: на кожну пропозицію розробник дасть "
    "обґрунтовану відповідь у звіті про результати обговорення."
)
DRAFT_ACT = """\
Ці Правила встановлюють єдині вимоги до благоустрою території Кам’янської міської громади, \
обов’язкові для всіх мешканців, підприємств, установ та організацій незалежно від форми власності.
1. Загальні положення
1.1. Правила розроблено відповідно до законів України «Про місцеве самоврядування в Україні», \
«Про благоустрій населених пунктів», «Про управління відходами» та Типових правил благоустрою \
території населеного пункту.
1.2. Дія Правил поширюється на територію міста Кам’янка та всіх сіл громади.
1.3. Контроль за додержанням Правил здійснюють виконавчий комітет міської ради, старости та \
інспектори з благоустрою.
2. Утримання територій
2.1. Власники й користувачі будівель і земельних ділянок утримують у чистоті прилеглу територію \
завширшки 10 метрів від межі ділянки, але не далі осі проїжджої частини.
2.2. Прибирання тротуарів і прибудинкових територій завершується щодня до 8:00.
2.3. Під час ожеледиці тротуари, сходи й під’їзди посипають піщано-сольовою сумішшю не пізніше \
ніж за дві години після її утворення.
2.4. Забороняється спалювати листя, суху траву, гілки та інші рослинні рештки на всій території громади.
3. Зелені насадження
3.1. Видалення дерев і кущів здійснюється лише на підставі акта обстеження та ордера, виданого \
виконавчим комітетом.
3.2. Замість кожного видаленого дерева висаджується одне нове дерево того самого або цінніших видів.
3.3. Обрізування дерев у період гніздування птахів, з 1 квітня до 15 липня, не допускається, \
крім аварійних випадків.
4. Поводження з відходами
4.1. Контейнерні майданчики облаштовуються з твердим покриттям, огорожею з трьох боків і \
під’їздом для сміттєвоза.
4.2. Графік вивезення відходів затверджує виконавчий комітет і розміщує на контейнерних майданчиках.
4.3. Великогабаритні та ремонтні відходи складуються лише в місцях, визначених графіком їх \
збирання, не раніше ніж за добу до вивезення.
5. Утримання домашніх тварин
5.1. Вигул собак у громадських місцях здійснюється на повідку; власник прибирає екскременти \
за своєю твариною.
5.2. Вигул собак на дитячих і спортивних майданчиках, пляжах і територіях закладів освіти забороняється.
6. Відповідальність і прикінцеві положення
6.1. За порушення Правил винні особи несуть адміністративну відповідальність згідно зі статтею 152 \
Кодексу України про адміністративні правопорушення.
6.2. Правила набирають чинності з дня оприлюднення рішення міської ради про їх затвердження.
"""
# (paragraph number or "" for the whole act, title, body, wording, supports, status, reason)
DISCUSSION_PROPOSALS = [
    (
        "2.1",
        "Для приватних садиб — 5 метрів прилеглої території",
        "У селах ділянки довгі, і 10 метрів уздовж дороги для пенсіонерів непосильні.",
        "2.1. Власники й користувачі будівель і земельних ділянок утримують у чистоті прилеглу "
        "територію завширшки 10 метрів, а власники садибної забудови — 5 метрів від межі ділянки, "
        "але не далі осі проїжджої частини.",
        8,
        "partly",
        "Для садибної забудови ширину зменшено до 5 метрів, але лише у "
        "селах громади; у місті Кам’янка залишається 10 метрів, бо там тротуари прибирає "
        "комунальне підприємство тільки до межі цієї смуги.",
    ),
    (
        "2.2",
        "Прибирати в центрі міста до 7:00",
        "О восьмій уже йдуть діти до школи, а двірники ще прибирають.",
        "2.2. Прибирання тротуарів і прибудинкових територій завершується щодня до 8:00, а на "
        "вулицях Соборній і Героїв Майдану — до 7:00.",
        3,
        "rejected",
        "У зимовий період світає після 7:00, а правила охорони праці забороняють "
        "механізоване прибирання в темряві без освітлення тротуарів. Питання повернемося "
        "розглянути після модернізації вуличного освітлення.",
    ),
    (
        "2.4",
        "Дозволити спалювання гілок у садибах",
        "Гілки після обрізування садка нема куди дівати, а вивозити їх не беруть.",
        "2.4. Забороняється спалювати листя, суху траву та інші рослинні рештки, крім гілок "
        "у приватних садибах за межами міста за відсутності вітру.",
        5,
        "rejected",
        "Спалювання рослинних решток у населених пунктах забороняє стаття 77 Кодексу "
        "України про адміністративні правопорушення та Закон «Про охорону атмосферного повітря». "
        "Натомість до пункту 4.3 додано безоплатний збір гілок навесні й восени.",
    ),
    (
        "3.2",
        "Три нових дерева замість одного видаленого",
        "Одне молоде дерево не замінить сорокарічної липи ні тінню, ні очищенням повітря.",
        "3.2. Замість кожного видаленого дерева висаджуються три нові дерева того самого або "
        "цінніших видів віком не менше трьох років.",
        14,
        "accepted",
        "Пункт 3.2 викладено в запропонованій редакції; місця висадження визначає "
        "комісія з питань благоустрою.",
    ),
    (
        "4.2",
        "Оприлюднювати графік вивезення на порталі громади",
        "Листок на майданчику зриває вітер, а в селах про графік дізнаються від сусідів.",
        "4.2. Графік вивезення відходів затверджує виконавчий комітет, оприлюднює на порталі "
        "громади й розміщує на контейнерних майданчиках.",
        10,
        "accepted",
        "Пункт 4.2 викладено в запропонованій редакції.",
    ),
    (
        "5.2",
        "Облаштувати майданчики для вигулу собак у кожному районі",
        "Заборона без альтернативи не працює: треба показати, де можна вигулювати.",
        "5.2. Вигул собак на дитячих і спортивних майданчиках, пляжах і територіях закладів "
        "освіти забороняється. Громада облаштовує щонайменше один майданчик для вигулу собак у "
        "кожному районі міста.",
        7,
        "partly",
        "Обов’язок облаштувати майданчики додано, але до 2028 року — по "
        "одному в Центральному й Привокзальному районах, як передбачено бюджетом громади.",
    ),
    (
        "",
        "Щороку проводити толоку з благоустрою",
        "Додати до Правил розділ про щорічну весняну толоку, щоб мешканці долучалися разом.",
        "",
        6,
        "accepted",
        "До розділу 1 додано пункт 1.4 про щорічний день благоустрою в квітні.",
    ),
]
PARAGRAPH_COMMENTS = [
    ("2.1", "А якщо ділянка на розі двох вулиць — прибирати з обох боків по 10 метрів?"),
    ("2.4", "Підтримую заборону: восени в Тимошівці від диму неможливо дихати."),
    ("3.2", "Хто перевірятиме, що нові дерева справді висадили й полили?"),
]
REPORT_OUTCOME = (
    "Виконавчий комітет схвалив доопрацьований проєкт Правил з урахуванням п’яти пропозицій "
    "повністю чи частково та вніс його на розгляд сесії міської ради. Рішенням міської ради "
    "Правила благоустрою затверджено; вони набирають чинності з дня оприлюднення рішення."
)
# The demo's decisions are invented, as its people are: an address of the reserved .example domain.
REPORT_DECISION_URL = "https://kamianka-rada.example/rishennia/2026/pravyla-blagoustroiu"
REPORT_ADDENDUM = (
    "Під час обговорення мешканці також залишили коментарі до пунктів 2.1, 2.4 і 3.2; "
    "відповіді на поширені питання розміщено на сторінці обговорення. Дякуємо всім, хто "
    "долучився!"
)

# --- the upcoming poll and the draft -------------------------------------------------------

POLL_TITLE = "Оберіть назву нового скверу біля ліцею №2"
POLL_SUMMARY = "Сквер на колишньому пустирі біля ліцею №2 відкриють восени: яку назву він матиме?"
POLL_NAMES = ["Сквер Героїв", "Ліцейський сквер", "Сквер «Тясмин»", "Сквер імені Василя Стуса"]

DRAFT_TITLE = "Опитування щодо роботи громадського транспорту"
DRAFT_SUMMARY = "Наскільки зручні маршрути й розклад автобусів між містом і селами громади."


def seed(*, hromada, people: dict, start: dt.datetime) -> list[Event]:
    """Build the demo's consultations; `start` is when the hromada joined (about 90 days
    ago). Returns the events demo_seed runs with the other modules' in time order."""
    now = timezone.now()
    story = _Story(hromada=hromada, people=people, rng=random.Random(2612))
    events: list[Event] = []
    events += story.followers(start=start + 2 * DAY)
    events += story.discussion(opens=_day(now - 52 * DAY), closes=_day(now - 31 * DAY, end=True))
    events += story.consultation(opens=_day(now - 12 * DAY), closes=_day(now + 16 * DAY, end=True), now=now)
    events += story.survey(opens=_day(now - 6 * DAY), closes=_day(now + 9 * DAY, end=True), now=now)
    events += story.upcoming(
        published=now - 1 * DAY, opens=_day(now + 3 * DAY), closes=_day(now + 17 * DAY, end=True)
    )
    events += story.draft(at=now - 3 * HOUR, opens=_day(now + 5 * DAY), closes=_day(now + 20 * DAY, end=True))
    return [(moment, _committed(action)) for moment, action in events]


def _day(moment: dt.datetime, *, end: bool = False) -> dt.datetime:
    """`moment`'s day in Kyiv time, at 9:00 (a start) or 23:59 (an end), as staff set dates."""
    local = timezone.localtime(moment)
    return (
        local.replace(hour=23, minute=59, second=0, microsecond=0)
        if end
        else local.replace(hour=9, minute=0, second=0, microsecond=0)
    )


def _committed(action: Callable[[], Any]) -> Callable[[], None]:
    """`action` as one request of its moment: the after-commit work it queued (the phase
    hook's announcements and report draft, notifications) runs right after it, on the
    travelled clock, instead of at the real end of demo_seed's single transaction."""

    def run() -> None:
        connection = transaction.get_connection()
        mark = len(connection.run_on_commit)
        action()
        while len(connection.run_on_commit) > mark:
            queued = connection.run_on_commit[mark:]
            del connection.run_on_commit[mark:]
            for _savepoints, callback, robust in queued:
                if robust:
                    try:
                        callback()
                    except Exception:  # noqa: BLE001 - as Django runs a robust callback
                        logger.exception("demo: after-commit work failed")
                else:
                    callback()

    return run


class _Story:
    def __init__(self, *, hromada, people: dict, rng: random.Random) -> None:
        self.hromada = hromada
        self.admin = people["admin"]
        self.officer = people["officer"]
        self.moderator = people["moderator"]
        self.residents = list(people["residents"])
        self.rng = rng
        self.held: dict[str, Any] = {}

    # --- helpers ----------------------------------------------------------------------------

    def _create(self, **fields):
        from .services.consultations import consultation_create

        return consultation_create(hromada=self.hromada, actor=self.officer, **fields)

    def _publish(self, key: str) -> None:
        from .services.consultations import consultation_publish

        self.held[key] = consultation_publish(consultation=self.held[key], actor=self.admin)

    def _advance(self, key: str) -> None:
        """What the worker's phases tick does at a boundary of the plan (then the hook)."""
        from hromada.core import phases
        from hromada.core.models import PhasePlan

        consultation = self.held[key]
        phases.plan_advance(PhasePlan.objects.get(pk=consultation.plan_id))

    def _fresh(self, key: str):
        from .models import Consultation

        self.held[key] = Consultation.objects.for_hromada(self.hromada).get(pk=self.held[key].pk)
        return self.held[key]

    def _homes(self) -> list[tuple[str, Any, float | None, float | None]]:
        """(address, district or okrug, lat, lon) of real buildings of the demo's places,
        read once (the places demo has loaded them before any event runs)."""
        if "homes" not in self.held:
            from hromada.places.lookup import AddressInvalid, AddressNotFound
            from hromada.places.models import Building
            from hromada.places.selectors import building_label, where

            rows = list(
                Building.objects.filter(hromada=self.hromada)
                .select_related("street__settlement")
                .order_by("id")
            )
            picked = self.rng.sample(rows, min(len(rows), 80)) if rows else []
            homes = []
            for building in picked:
                settlement = building.street.settlement
                label = building_label(building)
                address = label if settlement.is_centre else f"{settlement.name}, {label}"
                try:
                    found = where(hromada=self.hromada, address=address)
                except (AddressNotFound, AddressInvalid):  # read otherwise by the register: skip it
                    continue
                area = found.district or found.okrug
                place = found.building
                lat = place.lat if place is not None else None
                lon = place.lon if place is not None else None
                homes.append((address, area, lat, lon))
            self.held["homes"] = homes
        return self.held["homes"]

    def _dark_spots(self) -> list[tuple[float, float]]:
        """Where the town's residents say the park's surroundings lack light: the points of
        a few real buildings of the centre's streets (places.selectors.where)."""
        if "spots" not in self.held:
            from hromada.places.lookup import AddressInvalid, AddressNotFound
            from hromada.places.models import Building
            from hromada.places.selectors import building_label, where

            rows = list(
                Building.objects.filter(hromada=self.hromada, street__settlement__is_centre=True)
                .select_related("street")
                .order_by("id")[:400]
            )
            spots = []
            for building in self.rng.sample(rows, min(len(rows), 6)):
                try:
                    place = where(hromada=self.hromada, address=building_label(building)).building
                except (AddressNotFound, AddressInvalid):
                    continue
                if place is not None and place.lat is not None:
                    spots.append((place.lat, place.lon))
            self.held["spots"] = spots
        return self.held["spots"]

    def _deal(self, key: str, pool: list[str]) -> str:
        """The next of `pool`'s texts, each used once before any repeats (a shuffled deck)."""
        deck = self.held.setdefault(f"deck:{key}", [])
        if not deck:
            deck.extend(self.rng.sample(pool, len(pool)))
        return deck.pop()

    def _home(self, n: int):
        homes = self._homes()
        return homes[n % len(homes)] if homes else ("", None, None, None)

    def _comment(self, *, kind: str, key, author, body: str, parent=None):
        from hromada.comments.services import comment_post

        return comment_post(
            hromada=self.hromada,
            target_kind=kind,
            target_key=str(key),
            author=author,
            body=body,
            parent=parent,
        )

    def _spread(self, begins: dt.datetime, ends: dt.datetime, actions: list[Callable]) -> list[Event]:
        span = ends - begins
        return [(begins + span * (n + 1) / (len(actions) + 1), a) for n, a in enumerate(actions)]

    # --- subscribers and followers ----------------------------------------------------------

    def followers(self, *, start: dt.datetime) -> list[Event]:
        from .services.follows import subscribe

        def subscribed():
            for resident in (self.residents[2], self.residents[9]):
                subscribe(hromada=self.hromada, user=resident)

        return [(start, subscribed)]

    def _follow(self, key: str, people: list) -> Callable[[], None]:
        from .services.follows import follow_add

        def follow():
            for person in people:
                follow_add(consultation=self.held[key], user=person)

        return follow

    # --- the draft-act discussion, closed with its report -----------------------------------

    def discussion(self, *, opens: dt.datetime, closes: dt.datetime) -> list[Event]:
        from .models import Audience, Kind, ResultsVisibility

        events: list[Event] = []

        def prepare():
            from .services.documents import document_add
            from .services.paragraphs import paragraphs_replace

            self.held["discussion"] = self._create(
                kind=Kind.DISCUSSION,
                title=DISCUSSION_TITLE,
                summary=DISCUSSION_SUMMARY,
                body=DISCUSSION_BODY,
                question="Чи підтримуєте ви проєкт Правил благоустрою і що в ньому змінити?",
                initiator=HOUSING,
                contact="Богдан Лисенко, (04732) 2-15-40, zhkg@kamianka-rada.example",
                opens_at=opens,
                closes_at=closes,
                audience=Audience.VERIFIED,
                min_age=18,
                ask_area=False,
                anonymous=False,
                results_visibility=ResultsVisibility.LIVE,
                allow_proposals=True,
            )
            paragraphs_replace(consultation=self.held["discussion"], actor=self.officer, text=DRAFT_ACT)
            document_add(
                consultation=self.held["discussion"],
                actor=self.officer,
                title="Закон України «Про благоустрій населених пунктів»",
                url="https://zakon.rada.gov.ua/laws/show/2807-15",
            )

        events.append((opens - 2 * DAY, prepare))
        events.append((opens, lambda: self._publish("discussion")))
        events.append((opens + 3 * HOUR, self._follow("discussion", self.residents[40:43])))

        span = closes - opens - DAY
        proposals: list[Callable] = []
        for n, spec in enumerate(DISCUSSION_PROPOSALS):

            def propose(n=n, spec=spec):
                from .proposal_selectors import paragraphs_of
                from .services.proposals import proposal_submit

                number, title, body, wording, _supports, _status, _reason = spec
                paragraph = next(
                    (p for p in paragraphs_of(self.held["discussion"]) if p.number == number), None
                )
                self.held[f"discussion:{n}"] = proposal_submit(
                    consultation=self.held["discussion"],
                    user=self.residents[10 + n],
                    title=title,
                    body=body,
                    wording=wording,
                    paragraph=paragraph,
                )

            proposals.append(propose)
        events += self._spread(opens + HOUR, opens + span / 2, proposals)

        supports: list[Callable] = []
        for n, spec in enumerate(DISCUSSION_PROPOSALS):
            for k in range(spec[4]):

                def support(n=n, k=k):
                    from .services.proposals import proposal_support

                    proposal_support(
                        proposal=self.held[f"discussion:{n}"], user=self.residents[(20 + n * 3 + k) % 60]
                    )

                supports.append(support)
        self.rng.shuffle(supports)
        events += self._spread(opens + span / 2, opens + span, supports)

        def comments():
            from .proposal_selectors import paragraphs_of

            paragraphs = {p.number: p for p in paragraphs_of(self.held["discussion"])}
            for n, (number, body) in enumerate(PARAGRAPH_COMMENTS):
                self._comment(
                    kind="consultations.paragraph",
                    key=paragraphs[number].public_id,
                    author=self.residents[30 + n],
                    body=body,
                )

        def replies():
            from hromada.comments.models import Comment

            asked = (
                Comment.objects.filter(hromada=self.hromada, target_kind="consultations.paragraph")
                .order_by("id")
                .first()
            )
            self._comment(
                kind=asked.target_kind,
                key=asked.target_key,
                author=self.residents[36],
                body="Ні, за Правилами — з кожного боку ділянки, але не далі осі дороги.",
                parent=asked,
            )
            tree = self.held["discussion:3"]
            self._comment(
                kind="consultations.proposal",
                key=tree.public_id,
                author=self.residents[37],
                body="Чудова пропозиція! Біля ліцею минулого року спиляли п’ять лип, а висадили одну.",
            )

        events.append((opens + 4 * DAY, comments))
        events.append((opens + 6 * DAY, replies))
        # Closing: the plan moves to the report's term; the hook drafts the report.
        events.append((closes + MINUTE, lambda: self._advance("discussion")))

        answers: list[Callable] = []
        for n, spec in enumerate(DISCUSSION_PROPOSALS):

            def answer(n=n, spec=spec):
                from .services.proposals import proposal_answer

                proposal_answer(
                    proposal=self.held[f"discussion:{n}"], actor=self.officer, status=spec[5], reason=spec[6]
                )

            answers.append(answer)
        events += self._spread(closes + DAY, closes + 4 * DAY, answers)

        def redraft():
            from .services.reports import report_draft

            # Every proposal answered: the draft is drafted again from the data.
            report_draft(consultation=self._fresh("discussion"))

        def edit():
            from .services.reports import report_of, report_update

            draft = report_of(self._fresh("discussion"))
            assert draft is not None
            report_update(
                report=draft,
                actor=self.officer,
                text=f"{draft.text}\n\n{REPORT_ADDENDUM}",
                outcome=REPORT_OUTCOME,
                decision_url=REPORT_DECISION_URL,
            )

        def publish():
            from .services.reports import report_publish

            report_publish(consultation=self._fresh("discussion"), actor=self.admin)

        events.append((closes + 4 * DAY + 2 * HOUR, redraft))
        events.append((closes + 5 * DAY, edit))
        events.append((closes + 6 * DAY, publish))
        # The report's term ends: the plan is done.
        events.append((closes + 14 * DAY + MINUTE, lambda: self._advance("discussion")))
        return events

    # --- the e-consultation open now -------------------------------------------------------

    def consultation(self, *, opens: dt.datetime, closes: dt.datetime, now: dt.datetime) -> list[Event]:
        from .models import Audience, Kind, ResultsVisibility

        events: list[Event] = []

        def prepare():
            from .services.documents import document_add

            self.held["consultation"] = self._create(
                kind=Kind.CONSULTATION,
                title=CONSULTATION_TITLE,
                summary=CONSULTATION_SUMMARY,
                question=CONSULTATION_QUESTION,
                body=CONSULTATION_BODY,
                initiator=HOUSING,
                contact="Богдан Лисенко, (04732) 2-15-40",
                opens_at=opens,
                closes_at=closes,
                audience=Audience.VERIFIED,
                anonymous=False,
                results_visibility=ResultsVisibility.LIVE,
                allow_proposals=True,
            )
            for title, url in CONSULTATION_DOCUMENTS:
                document_add(consultation=self.held["consultation"], actor=self.officer, title=title, url=url)

        events.append((opens - DAY, prepare))
        events.append((opens, lambda: self._publish("consultation")))
        events.append(
            (opens + 2 * HOUR, self._follow("consultation", [self.residents[44], self.residents[45]]))
        )

        for n, (title, body, count) in enumerate(CONSULTATION_PROPOSALS):

            def propose(n=n, title=title, body=body):
                from .services.proposals import proposal_submit

                self.held[f"consultation:{n}"] = proposal_submit(
                    consultation=self.held["consultation"],
                    user=self.residents[46 + n],
                    title=title,
                    body=body,
                )

            submitted = opens + HOUR + n * 29 * HOUR
            events.append((submitted, propose))
            supports: list[Callable] = []
            for k in range(count):

                def support(n=n, k=k):
                    from .services.proposals import proposal_support

                    proposal_support(
                        proposal=self.held[f"consultation:{n}"], user=self.residents[(5 + n * 7 + k) % 40]
                    )

                supports.append(support)
            events += self._spread(submitted + HOUR, now - 2 * HOUR, supports)

        def comments():
            consultation = self.held["consultation"]
            posted = [
                self._comment(
                    kind="consultations.consultation",
                    key=consultation.public_id,
                    author=self.residents[20 + n],
                    body=body,
                )
                for n, body in enumerate(CONSULTATION_COMMENTS)
            ]
            self.held["consultation:comments"] = posted
            first = self.held["consultation:0"]
            self._comment(
                kind="consultations.proposal",
                key=first.public_id,
                author=self.residents[24],
                body="Так, і бажано ввечері, а не о шостій ранку.",
            )

        def replies():
            posted = self.held["consultation:comments"]
            consultation = self.held["consultation"]
            self._comment(
                kind="consultations.consultation",
                key=consultation.public_id,
                author=self.officer,
                body=COMMENT_REPLIES[0],
                parent=posted[2],
            )
            self._comment(
                kind="consultations.consultation",
                key=consultation.public_id,
                author=self.residents[25],
                body=COMMENT_REPLIES[1],
                parent=posted[0],
            )
            self.held["consultation:abusive"] = self._comment(
                kind="consultations.consultation",
                key=consultation.public_id,
                author=self.residents[26],
                body=COMMENT_ABUSIVE,
            )

        def reported():
            from hromada.comments.models import ReportReason
            from hromada.comments.services import comment_report

            comment_report(
                comment=self.held["consultation:abusive"],
                user=self.residents[27],
                reason=ReportReason.OFFENSIVE,
            )

        def hidden():
            from hromada.comments.services import comment_hide

            comment_hide(
                comment=self.held["consultation:abusive"],
                actor=self.moderator,
                reason="Образи та звинувачення без фактів порушують правила обговорення.",
            )

        def answered():
            from .services.proposals import proposal_answer

            proposal_answer(
                proposal=self.held["consultation:2"],
                actor=self.officer,
                status="accepted",
                reason="З наступного місяця старости оприлюднюватимуть зміни графіка на порталі "
                "громади, а підписники отримуватимуть сповіщення.",
            )

        events.append((opens + 3 * DAY, comments))
        events.append((opens + 4 * DAY, replies))
        events.append((opens + 4 * DAY + 3 * HOUR, reported))
        events.append((opens + 5 * DAY, hidden))
        events.append((opens + 8 * DAY, answered))
        return events

    # --- the survey open now ----------------------------------------------------------------

    def survey(self, *, opens: dt.datetime, closes: dt.datetime, now: dt.datetime) -> list[Event]:
        from .models import Audience, Kind, QuestionKind, ResultsVisibility

        events: list[Event] = []

        def prepare():
            from .services.questionnaire import condition_add, question_add, section_add

            survey = self._create(
                kind=Kind.SURVEY,
                title=SURVEY_TITLE,
                summary=SURVEY_SUMMARY,
                body=SURVEY_BODY,
                initiator=HOUSING,
                contact="Богдан Лисенко, (04732) 2-15-40",
                opens_at=opens,
                closes_at=closes,
                audience=Audience.EMAIL,
                min_age=14,
                ask_area=True,
                anonymous=True,
                results_visibility=ResultsVisibility.LIVE,
                allow_proposals=False,
            )
            self.held["survey"] = survey
            first = section_add(
                consultation=survey,
                actor=self.officer,
                title="Як ви користуєтеся парком",
                description="Кілька питань про те, як часто й навіщо ви приходите до парку.",
            )
            second = section_add(
                consultation=survey,
                actor=self.officer,
                title="Що змінити насамперед",
                description="Ваші пріоритети для першої черги реконструкції.",
            )

            def add(kind, text, section, **params):
                return question_add(
                    consultation=survey, actor=self.officer, kind=kind, text=text, section=section, **params
                )

            q = {}
            q["often"] = add(
                QuestionKind.SINGLE,
                "Як часто ви буваєте в парку імені Тараса Шевченка?",
                first,
                options=FREQUENCY,
            )
            q["why_not"] = add(
                QuestionKind.SHORT,
                "Що заважає вам бувати в парку частіше?",
                first,
                required=False,
                help="Кількома словами.",
            )
            options = {o.label: o for o in q["often"].options.all()}
            for label in ("Рідше", "Не буваю"):
                condition_add(question=q["why_not"], actor=self.officer, option=options[label])
            q["doing"] = add(
                QuestionKind.MULTIPLE,
                "Що ви найчастіше робите в парку?",
                first,
                options=ACTIVITIES,
                min_choices=1,
                max_choices=3,
                help="Оберіть до трьох варіантів.",
            )
            q["safe"] = add(
                QuestionKind.SCALE,
                "Наскільки безпечно в парку ввечері?",
                first,
                scale_min=1,
                scale_max=5,
                scale_min_label="Зовсім небезпечно",
                scale_max_label="Цілком безпечно",
            )
            q["minutes"] = add(
                QuestionKind.NUMBER,
                "Скільки хвилин вам іти пішки від дому до парку?",
                first,
                number_min=0,
                number_max=180,
                help="Приблизно, у хвилинах.",
            )
            q["first"] = add(
                QuestionKind.RANKING,
                "Розставте за важливістю: що облаштувати насамперед?",
                second,
                options=PRIORITIES,
                max_choices=3,
                help="Оберіть три найважливіші й поставте їх за місцями: 1 — найважливіше.",
            )
            q["dark"] = add(
                QuestionKind.POINT,
                "Позначте на карті місце, де найбільше бракує освітлення",
                second,
                required=False,
            )
            q["ideas"] = add(QuestionKind.LONG, "Ваші пропозиції щодо парку", second, required=False)
            q["toloka"] = add(
                QuestionKind.SINGLE,
                "Чи готові ви долучитися до толоки з прибирання парку?",
                second,
                options=TOLOKA,
            )

        events.append((opens - 2 * DAY, prepare))
        events.append((opens, lambda: self._publish("survey")))
        events.append((opens + HOUR, self._follow("survey", [self.residents[2], self.residents[50]])))

        # Residents 1–5 have not answered (a newcomer may log in as one and take part);
        # 50 submitted, two saved a draft.
        answering = self.residents[5:55]
        people = [(n, person) for n, person in enumerate(answering)]
        self.rng.shuffle(people)
        actions: list[Callable] = []
        for n, person in people:

            def submit(n=n, person=person):
                from .services.responses import response_submit

                home = self._home(n)
                response_submit(
                    consultation=self.held["survey"], user=person, raw=self._answers(n, home), area=home[1]
                )

            actions.append(submit)
        events += self._spread(opens + 2 * HOUR, now - 3 * HOUR, actions)

        def drafts():
            from .services.responses import response_save

            for n, person in ((55, self.residents[55]), (56, self.residents[56])):
                raw = self._answers(n, self._home(n))
                keep = list(raw)[:3]
                response_save(
                    consultation=self.held["survey"],
                    user=person,
                    raw={k: raw[k] for k in keep},
                    area=self._home(n)[1],
                )

        def moderate(final: bool):
            from .proposal_selectors import moderation_queue
            from .services.moderation import answers_moderate

            survey = self.held["survey"]
            queue = moderation_queue(hromada=self.hromada, consultation=survey)
            if not final:
                queue = queue[: len(queue) * 2 // 3]
            hidden = [a.pk for a in queue if a.text in IDEAS_HIDDEN]
            shown = [a.pk for a in queue if a.text not in IDEAS_HIDDEN]
            if shown:
                answers_moderate(consultation=survey, actor=self.moderator, answer_ids=shown, state="shown")
            if hidden:
                answers_moderate(consultation=survey, actor=self.moderator, answer_ids=hidden, state="hidden")

        events.append((now - 2 * DAY, drafts))
        events.append((opens + 3 * DAY, lambda: moderate(final=False)))
        events.append((now - DAY, lambda: moderate(final=True)))
        return events

    def _answers(self, n: int, home) -> dict:
        """A believable questionnaire of person `n`: in the survey's raw form."""
        from .questionnaire_selectors import questionnaire_of

        rng = self.rng
        questionnaire = questionnaire_of(self.held["survey"])
        by_text = {q.text: q for q in questionnaire.questions}

        def q(start: str):
            return next(spec for text, spec in by_text.items() if text.startswith(start))

        def option(spec, label):
            return next(o.id for o in spec.options if o.label == label)

        raw: dict[str, Any] = {}
        often = q("Як часто")
        frequency = rng.choices(FREQUENCY, weights=[2, 6, 5, 3, 1])[0]
        raw[often.id] = option(often, frequency)
        if frequency in ("Рідше", "Не буваю") and rng.random() < 0.8:
            raw[q("Що заважає").id] = self._deal("why_not", WHY_NOT)
        doing = q("Що ви найчастіше")
        picked = rng.sample(ACTIVITIES, rng.choices([1, 2, 3], weights=[3, 4, 2])[0])
        raw[doing.id] = [option(doing, label) for label in picked]
        raw[q("Наскільки безпечно").id] = rng.choices([1, 2, 3, 4, 5], weights=[3, 5, 4, 2, 1])[0]
        raw[q("Скільки хвилин").id] = rng.choice([5, 7, 10, 10, 12, 15, 15, 20, 25, 30, 40])
        ranking = q("Розставте")
        weights = [9, 7, 4, 5, 3, 2]
        chosen: list[str] = []
        while len(chosen) < 3:
            label = rng.choices(PRIORITIES, weights=weights)[0]
            if label not in chosen:
                chosen.append(label)
        raw[ranking.id] = [option(ranking, label) for label in chosen]
        spots = self._dark_spots()
        if spots and rng.random() < 0.7:
            lat, lon = rng.choices(spots, weights=[6, 4, 3, 2, 1, 1][: len(spots)])[0]
            raw[q("Позначте").id] = {"lat": lat, "lon": lon}
        if n in (7, 23):
            raw[q("Ваші пропозиції").id] = IDEAS_HIDDEN[0 if n == 7 else 1]
        elif rng.random() < 0.45:
            raw[q("Ваші пропозиції").id] = self._deal("ideas", IDEAS)
        toloka = q("Чи готові")
        raw[toloka.id] = option(toloka, rng.choices(TOLOKA, weights=[5, 4, 2])[0])
        return raw

    # --- the poll that opens soon, and the staff's draft ------------------------------------

    def upcoming(self, *, published: dt.datetime, opens: dt.datetime, closes: dt.datetime) -> list[Event]:
        from .models import Audience, Kind, QuestionKind, ResultsVisibility

        def prepare():
            from .services.questionnaire import question_add

            poll = self._create(
                kind=Kind.SURVEY,
                title=POLL_TITLE,
                summary=POLL_SUMMARY,
                body="Назви запропонували учні ліцею №2 та мешканці Привокзального району. "
                "Переможе варіант, який обере найбільше учасників.",
                initiator="Відділ культури, молоді та спорту",
                opens_at=opens,
                closes_at=closes,
                audience=Audience.EMAIL,
                min_age=14,
                results_visibility=ResultsVisibility.AFTER,
            )
            self.held["poll"] = poll
            question_add(
                consultation=poll,
                actor=self.officer,
                kind=QuestionKind.SINGLE,
                text="Яку назву ви обираєте для скверу?",
                options=POLL_NAMES,
            )
            question_add(
                consultation=poll,
                actor=self.officer,
                kind=QuestionKind.SHORT,
                text="Ваш варіант назви (якщо жоден не до вподоби)",
                required=False,
            )

        return [(published - 2 * HOUR, prepare), (published, lambda: self._publish("poll"))]

    def draft(self, *, at: dt.datetime, opens: dt.datetime, closes: dt.datetime) -> list[Event]:
        from .models import Audience, Kind, QuestionKind

        def prepare():
            from .services.questionnaire import question_add

            draft = self._create(
                kind=Kind.SURVEY,
                title=DRAFT_TITLE,
                summary=DRAFT_SUMMARY,
                initiator=HOUSING,
                opens_at=opens,
                closes_at=closes,
                audience=Audience.EMAIL,
            )
            self.held["draft"] = draft
            question_add(
                consultation=draft,
                actor=self.officer,
                kind=QuestionKind.SINGLE,
                text="Як часто ви їздите автобусом між селом і містом?",
                options=["Щодня", "Щотижня", "Кілька разів на місяць", "Рідше", "Не їжджу"],
            )

        return [(at, prepare)]
