"""The demo's appeals (module.py `demo`): the hromada's e-reception set up six weeks ago —
departments, municipal enterprises and a starosta's office with their people, report
categories with target times and Open311 attributes, answer templates, an Open311 key —
and six weeks of cases since: problem reports on the map in every state (fixed,
"closed, not fixed", merged duplicates, one reopened, rated), appeals of every type (a
collective one with co-signers, one extended with a notice, one forwarded, one returned
for missing fields, one rejected) and public-information requests (an urgent one, an
extended one, answered on time), through the web, the hotline, the Open311 app and on
paper; some overdue and some near their deadline now, so the queue's colours show.

Everything goes through the services, step by step in time order, on a clock set to
each step's moment (core.clock.travel_to), as the other modules' demos do: every
deadline is computed from the moment a case was received, and the ledger agrees with
the pages (one `appeals.case_registered` entry per registered case). The worker's tick
(reminders, escalation, overdue notices) runs each morning of the story as it would.

The after-commit work of appeals is e-mail only: notification e-mails (demo_seed marks
the story's notifications e-mailed when written) and the e-mail to an applicant without
an account. The demo's callers and letter-writers give a phone number, not an e-mail, so
nothing is queued for the real clock; no step needs `_committed` (consultations/demo.py).

For a newcomer (log-ins printed by demo_seed, password demo-hromada-2026):
resident1@ is the applicant of a report fixed and confirmed, a report in progress now,
an appeal answered, an information request answered within 5 working days and one just
received; officer@ works in КП «Міськсвітло» (street lighting) and the housing
department's queue; admin@ routes every queue; moderator@ moderates reports. The other
staff (the departments' heads, the hotline operator) sign in with the same password:
their addresses are in STAFF below and in docs/appeals.md."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)

Event = tuple[dt.datetime, Callable[[], Any]]

STORY_DAYS = 42  # the e-reception opened six weeks ago
REPORTS = 72  # problem reports besides the scripted ones

# (key, e-mail, first name, last name, the staff department (accounts), position)
STAFF = [
    (
        "zhkg",
        "zhkg@demo.hromada.test",
        "Андрій",
        "Кравчук",
        "Управління житлово-комунального господарства",
        "Начальник управління ЖКГ",
    ),
    (
        "svitlo",
        "svitlo@demo.hromada.test",
        "Павло",
        "Мельничук",
        "КП «Міськсвітло»",
        "Директор КП «Міськсвітло»",
    ),
    (
        "vodokanal",
        "vodokanal@demo.hromada.test",
        "Наталія",
        "Шевчук",
        "КП «Водоканал»",
        "Диспетчерка КП «Водоканал»",
    ),
    ("shliakhy", "shliakhy@demo.hromada.test", "Олег", "Бондаренко", "КП «Шляхи»", "Директор КП «Шляхи»"),
    ("osvita", "osvita@demo.hromada.test", "Галина", "Поліщук", "Відділ освіти", "Начальниця відділу освіти"),
    (
        "zagalnyi",
        "zagalnyi@demo.hromada.test",
        "Оксана",
        "Руденко",
        "Загальний відділ",
        "Начальниця загального відділу, відповідальна за доступ до публічної інформації",
    ),
    (
        "starosta",
        "starosta@demo.hromada.test",
        "Василь",
        "Гуменюк",
        "Олянинський старостинський округ",
        "Староста Олянинського старостинського округу",
    ),
    (
        "hotline",
        "hotline@demo.hromada.test",
        "Юлія",
        "Марченко",
        "Центр надання адміністративних послуг",
        "Операторка гарячої лінії",
    ),
]

# (key, kind, name, slug, e-mail, phone, head, members, the okrug served)
DEPARTMENTS = [
    (
        "zhkg",
        "department",
        "Управління житлово-комунального господарства",
        "zhkg",
        "zhkg@kamianka-rada.example",
        "(04732) 2-15-40",
        "zhkg",
        ["officer"],
        "",
    ),
    (
        "svitlo",
        "enterprise",
        "КП «Міськсвітло»",
        "misksvitlo",
        "svitlo@kamianka-rada.example",
        "(04732) 2-11-05",
        "svitlo",
        ["officer"],
        "",
    ),
    (
        "vodokanal",
        "enterprise",
        "КП «Водоканал»",
        "vodokanal",
        "voda@kamianka-rada.example",
        "(04732) 2-20-15",
        "vodokanal",
        [],
        "",
    ),
    (
        "shliakhy",
        "enterprise",
        "КП «Шляхи»",
        "shliakhy",
        "shliakhy@kamianka-rada.example",
        "(04732) 2-31-70",
        "shliakhy",
        [],
        "",
    ),
    (
        "osvita",
        "department",
        "Відділ освіти",
        "osvita",
        "osvita@kamianka-rada.example",
        "(04732) 2-14-22",
        "osvita",
        [],
        "",
    ),
    (
        "zagalnyi",
        "department",
        "Загальний відділ",
        "zagalnyi",
        "rada@kamianka-rada.example",
        "(04732) 2-10-01",
        "zagalnyi",
        [],
        "",
    ),
    (
        "starosta",
        "starosta",
        "Олянинський старостинський округ",
        "olianyne",
        "olianyne@kamianka-rada.example",
        "(04732) 9-41-10",
        "starosta",
        [],
        "olianynskyi-starostynskyi-okruh",
    ),
]

# (code, name, group, department, target hours, keywords, weight among the reports)
CATEGORIES = [
    (
        "street-light",
        "Не світить ліхтар",
        "Освітлення",
        "svitlo",
        72,
        "ліхтар, світло, освітлення, опора",
        16,
    ),
    (
        "light-damage",
        "Пошкоджена опора чи обірваний дріт",
        "Освітлення",
        "svitlo",
        24,
        "опора, дріт, щиток",
        3,
    ),
    ("pothole", "Вибоїна на дорозі", "Дороги й тротуари", "shliakhy", 336, "яма, вибоїна, асфальт", 9),
    ("sidewalk", "Пошкоджений тротуар", "Дороги й тротуари", "shliakhy", 336, "тротуар, плитка, бордюр", 4),
    (
        "road-sign",
        "Дорожній знак чи світлофор",
        "Дороги й тротуари",
        "shliakhy",
        48,
        "знак, світлофор, розмітка",
        3,
    ),
    ("snow", "Неприбраний сніг чи ожеледиця", "Дороги й тротуари", "shliakhy", 24, "сніг, лід, ожеледиця", 0),
    (
        "water-leak",
        "Витік води чи каналізації",
        "Вода й каналізація",
        "vodokanal",
        24,
        "вода, труба, порив",
        6,
    ),
    ("manhole", "Відкритий чи пошкоджений люк", "Вода й каналізація", "vodokanal", 24, "люк, колодязь", 3),
    ("garbage", "Сміття, переповнені контейнери", "Благоустрій", "zhkg", 72, "сміття, контейнер, звалище", 8),
    ("tree", "Аварійне дерево", "Благоустрій", "zhkg", 168, "дерево, гілка", 4),
    ("playground", "Пошкоджений дитячий чи спортивний майданчик", "Благоустрій", "zhkg", 240, "гойдалка", 3),
    ("animals", "Безпритульні тварини", "Благоустрій", "zhkg", 120, "собаки, тварини", 2),
    ("other", "Інша проблема", "Інше", "", 240, "", 3),
]

# Open311 attributes: category code -> [(code, question, datatype, required, [(key, name)])]
ATTRIBUTES = {
    "street-light": [
        (
            "state",
            "Що з ліхтарем?",
            "singlevaluelist",
            True,
            [("off", "Не світить"), ("blinking", "Блимає"), ("daytime", "Світить удень")],
        ),
        ("pole", "Номер опори (на табличці), якщо видно", "string", False, []),
    ],
    "light-damage": [
        (
            "danger",
            "Що сталося?",
            "singlevaluelist",
            True,
            [
                ("wire", "Обірваний дріт"),
                ("pole", "Нахилена чи пошкоджена опора"),
                ("box", "Відчинена електрощитова"),
            ],
        ),
    ],
    "pothole": [
        (
            "size",
            "Розмір вибоїни",
            "singlevaluelist",
            False,
            [("small", "До пів метра"), ("medium", "До метра"), ("large", "Понад метр")],
        ),
    ],
    "water-leak": [
        (
            "water",
            "Що витікає?",
            "singlevaluelist",
            True,
            [("clean", "Чиста вода"), ("sewage", "Каналізація")],
        ),
    ],
}

# Topics of appeals and information requests: (code, kind, name, department)
TOPICS = [
    ("appeal-housing", "appeal", "Житлово-комунальне господарство, дороги, благоустрій", "zhkg"),
    ("appeal-education", "appeal", "Освіта, дитячі садки, школи", "osvita"),
    ("appeal-other", "appeal", "Інші питання місцевого значення", "zagalnyi"),
    ("info-request", "info", "Запит на публічну інформацію", "zagalnyi"),
]

# (department or "", kind, title, text)
TEMPLATES = [
    (
        "svitlo",
        "report",
        "Світильник замінено",
        "Бригада КП «Міськсвітло» замінила світильник на світлодіодний; освітлення відновлено. Дякуємо за "
        "повідомлення! Якщо ліхтар знову не світить — відкрийте повідомлення знову.",
    ),
    (
        "shliakhy",
        "report",
        "Ямковий ремонт виконано",
        "Виконано ямковий ремонт ділянки дороги асфальтобетонною сумішшю. Дякуємо, що повідомили.",
    ),
    (
        "shliakhy",
        "report",
        "Ремонт внесено до плану",
        "Ділянка потребує капітального ремонту: її внесено до програми ремонту доріг на наступний рік.",
    ),
    (
        "zagalnyi",
        "info",
        "Інформацію надано",
        "На ваш запит від {дата} надаємо запитувану інформацію (додається). Відповідно до статті 23 Закону "
        "України «Про доступ до публічної інформації» рішення розпорядника можна оскаржити.",
    ),
    (
        "",
        "appeal",
        "Роз'яснення на звернення",
        "Розглянувши ваше звернення, повідомляємо: … Відповідно до статті 16 Закону України «Про звернення "
        "громадян» відповідь можна оскаржити до вищого органу або до суду.",
    ),
]

REPORT_TEXTS = {
    "street-light": [
        "Не світить ліхтар навпроти під'їзду, увечері зовсім темно, діти йдуть зі школи в темряві.",
        "Третій вечір поспіль не горять два ліхтарі біля зупинки.",
        "Ліхтар блимає всю ніч, а вдень світить — мабуть, зламане фотореле.",
        "На розі вулиці не працює освітлення, біля пішохідного переходу небезпечно.",
        "Перегорів світильник на опорі біля магазину.",
        "Увесь відрізок вулиці без світла від перехрестя до школи.",
        "Ліхтар світить удень і вночі вже тиждень.",
    ],
    "light-damage": [
        "Опора освітлення нахилилася після вітру, може впасти на тротуар.",
        "Обірваний дріт звисає з опори майже до землі.",
        "Відчинені дверцята електрощитової на опорі, всередині видно дроти.",
    ],
    "pothole": [
        "Глибока яма на проїжджій частині, після дощу її не видно — машини б'ють колеса.",
        "Вибоїна біля зупинки, автобус об'їжджає її по зустрічній смузі.",
        "Розбитий асфальт на в'їзді у двір, дві великі ями.",
        "Яма посеред дороги біля перехрестя, уже кілька разів пробивали колеса.",
    ],
    "sidewalk": [
        "Провалилася плитка на тротуарі, люди спотикаються.",
        "Тротуар розбитий коренями дерев, з дитячим візочком не пройти.",
        "Зруйнований бордюр, на кріслі колісному не заїхати на тротуар.",
    ],
    "road-sign": [
        "Збитий знак «Пішохідний перехід», лежить на газоні.",
        "Світлофор на перехресті працює лише в режимі жовтого миготіння.",
        "Стерлася розмітка пішохідного переходу біля школи.",
    ],
    "snow": [
        "Тротуар біля школи вкритий льодом і не посипаний.",
        "Не розчищено дорогу після снігопаду, автобус не може проїхати.",
    ],
    "water-leak": [
        "Б'є вода з-під асфальту, утворилася велика калюжа.",
        "Тече каналізація у дворі будинку, сильний запах.",
        "Порив водогону біля колодязя, вода тече на дорогу.",
    ],
    "manhole": [
        "Відкритий каналізаційний люк на тротуарі, дуже небезпечно вночі.",
        "Кришка люка провалилася, колесо машини може потрапити в колодязь.",
    ],
    "garbage": [
        "Контейнери переповнені, сміття не вивозили тиждень.",
        "Стихійне сміттєзвалище за гаражами: будівельне сміття й шини.",
        "Біля контейнерного майданчика розкидане сміття, собаки розтягують пакети.",
        "Опале листя склали в мішки й залишили на тротуарі, ніхто не забирає.",
    ],
    "tree": [
        "Аварійне дерево нахилилося над дитячим майданчиком.",
        "Зламана гілка висить над тротуаром після вітру.",
        "Сухе дерево біля будинку, може впасти на дроти.",
    ],
    "playground": [
        "Зламана гойдалка на дитячому майданчику, стирчать болти.",
        "На спортивному майданчику відірвана сітка на воротах, розбита лавка.",
    ],
    "animals": [
        "Зграя безпритульних собак біля школи, кидаються на дітей.",
        "Біля ринку кілька агресивних собак, потрібні відлов і стерилізація.",
    ],
    "other": [
        "Пошкоджений навіс зупинки громадського транспорту, протікає дах.",
        "Зламаний паркан біля клубу, стирчать цвяхи.",
        "Не працює громадський годинник на площі.",
    ],
}

RESOLUTIONS = {
    "street-light": [
        "Замінено світильник на світлодіодний, освітлення відновлено.",
        "Замінено лампу й фотореле: ліхтар вмикається ввечері й вимикається вранці.",
        "Відновлено живлення ділянки мережі, усі ліхтарі вулиці світять.",
    ],
    "light-damage": [
        "Опору вирівняно й закріплено, дріт підвішено на ізоляторах.",
        "Щиток зачинено, пошкоджені дверцята замінено.",
    ],
    "pothole": [
        "Яму закладено асфальтобетонною сумішшю (ямковий ремонт).",
        "Виконано ямковий ремонт ділянки площею 12 м².",
    ],
    "sidewalk": ["Плитку перекладено, тротуар відновлено.", "Бордюр замінено, облаштовано пониження."],
    "road-sign": [
        "Знак встановлено на нову стійку.",
        "Контролер світлофора замінено, світлофор працює у звичайному режимі.",
        "Розмітку переходу нанесено фарбою.",
    ],
    "snow": ["Ділянку розчищено й посипано піщано-сольовою сумішшю."],
    "water-leak": [
        "Аварійна бригада замінила ділянку труби, водопостачання відновлено; асфальт відновимо за тиждень.",
        "Засмічення каналізаційної мережі усунуто, двір продезінфіковано.",
    ],
    "manhole": ["Встановлено нову кришку люка.", "Люк закрито й закріплено."],
    "garbage": [
        "Сміття вивезено; вивезення з майданчика збільшено до трьох разів на тиждень.",
        "Стихійне звалище ліквідовано, встановлено табличку про заборону.",
        "Мішки з листям вивезено.",
    ],
    "tree": ["Аварійне дерево видалено, гілки вивезено.", "Проведено санітарне обрізування дерева."],
    "playground": ["Гойдалку відремонтовано, болти замінено.", "Сітку й лавку замінено."],
    "animals": ["Тварин відловлено, стерилізовано, вакциновано й чиповано (Закон «Про захист тварин»)."],
    "other": ["Пошкодження усунуто."],
}

UPDATES = [
    "Заявку передано бригаді, виїзд заплановано на завтра.",
    "Матеріали замовлено, ремонт виконаємо після їх надходження.",
    "Бригада оглянула місце: роботи розпочнуться цього тижня.",
]

NOT_FIXED = {
    "street-light": (
        "Опора й мережа на цій ділянці належать АТ «Черкасиобленерго», а не громаді: "
        "повідомлення передано власнику мережі, ми стежимо за відповіддю."
    ),
    "pothole": (
        "Дорога потребує капітального, а не ямкового ремонту: ділянку внесено до програми "
        "ремонту доріг на 2027 рік."
    ),
    "garbage": (
        "Ділянка приватна: власникові надіслано припис прибрати територію; громада не прибирає "
        "приватну землю."
    ),
    "tree": (
        "Дерево росте на території приватного домоволодіння: власника повідомлено про обов'язок "
        "видалити його."
    ),
    "sidewalk": "Тротуар буде перекладено під час реконструкції вулиці навесні; до того ділянку огороджено.",
}

# Callers and letter-writers without an account (a phone number, no e-mail: nothing is
# e-mailed for the real clock): (full name, phone)
CALLERS = [
    ("Петренко Марія Іванівна", "+380671234501"),
    ("Гуменюк Степан Миколайович", "+380502345602"),
    ("Литвин Ганна Петрівна", "+380963456703"),
    ("Кучер Олександр Васильович", "+380674567804"),
    ("Бойко Ніна Степанівна", "+380935678905"),
    ("Федоренко Іван Андрійович", "+380686789006"),
    ("Сидоренко Лідія Олексіївна", "+380977890107"),
]


def seed(*, hromada, people: dict, start: dt.datetime) -> list[Event]:
    """Build the demo's appeals; `start` is when the hromada joined (about 90 days ago).
    Returns the events demo_seed runs with the other modules' in time order."""
    now = timezone.now()
    story = _Story(hromada=hromada, people=people, now=now, rng=random.Random(1313))
    opened = story.work_time(now - STORY_DAYS * DAY)
    events: list[Event] = [(opened, story.setup)]
    events += story.subscriptions(at=opened + 2 * DAY)
    events += story.scripted_reports()
    events += story.reports(begins=opened + DAY)
    events += story.appeals()
    events += story.info_requests()
    events += story.ticks(begins=opened + DAY)
    return events


class _Chain:
    """One case's steps, each some time after the one before (in working hours for
    staff, waking hours for residents); a step that would fall after now is left out,
    with every step after it, so the case stays in the state it has reached."""

    def __init__(self, story: _Story, at: dt.datetime, action: Callable[[], Any]) -> None:
        self.story = story
        self.at = at
        self.events: list[Event] = []
        self.open = at < story.now - 5 * MINUTE
        if self.open:
            self.events.append((at, action))

    def then(self, delay: dt.timedelta, action: Callable[[], Any], *, staff: bool = True) -> _Chain:
        if not self.open:
            return self
        moment = self.at + delay
        moment = self.story.work_time(moment) if staff else self.story.awake_time(moment)
        moment = max(moment, self.at + MINUTE)
        if moment >= self.story.now - 5 * MINUTE:
            self.open = False
            return self
        self.at = moment
        self.events.append((moment, action))
        return self


class _Story:
    def __init__(self, *, hromada, people: dict, now: dt.datetime, rng: random.Random) -> None:
        self.hromada = hromada
        self.admin = people["admin"]
        self.officer = people["officer"]
        self.moderator = people["moderator"]
        self.residents = list(people["residents"])
        self.now = now
        self.rng = rng
        self.staff: dict[str, Any] = {"officer": self.officer, "admin": self.admin}
        self.departments: dict[str, Any] = {}
        self.categories: dict[str, Any] = {}
        self.cases: dict[str, int] = {}  # key -> Case pk
        self.api_client = ""
        self._homes: list[tuple[str, float, float, str]] | None = None
        self._n = 0

    # --- time -----------------------------------------------------------------------------

    def work_time(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or the next moment staff are at work (a working day, 8:30–17:30)."""
        from hromada.core import calendar

        local = timezone.localtime(moment)
        if local.hour < 8 or (local.hour == 8 and local.minute < 30):
            local = local.replace(hour=8, minute=30 + local.minute % 30)
        if local.hour >= 17 and local.minute >= 30 or local.hour >= 18:
            local = (local + DAY).replace(hour=8, minute=30 + local.minute % 30)
        while not calendar.is_working_day(local.date()):
            local = (local + DAY).replace(hour=8, minute=30 + local.minute % 30)
        return local

    def awake_time(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or the next waking moment (7:00–22:00)."""
        local = timezone.localtime(moment)
        if local.hour < 7:
            return local.replace(hour=7, minute=local.minute)
        if local.hour >= 22:
            return (local + DAY).replace(hour=7, minute=local.minute)
        return local

    def _day(self, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        local = timezone.localtime(self.now - days_ago * DAY)
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)

    # --- helpers --------------------------------------------------------------------------

    def case(self, key: str):
        from .models import Case

        return Case.objects.select_related("hromada", "category", "department").get(pk=self.cases[key])

    def keep(self, key: str, case) -> None:
        self.cases[key] = case.pk

    def resident(self, n: int):
        """resident<n>@ (1-based, as the log-ins print them)."""
        return self.residents[n - 1]

    def homes(self) -> list[tuple[str, float, float, str]]:
        """(address, lat, lon, okrug slug or "") of real buildings of the places demo
        (loaded before any event runs), read once: most in the town, some in villages."""
        if self._homes is None:
            from hromada.places.models import Building
            from hromada.places.selectors import building_label

            ids = list(
                Building.objects.filter(hromada=self.hromada, lat__isnull=False)
                .order_by("id")
                .values_list("id", "street__settlement__is_centre")
            )
            town = [pk for pk, centre in ids if centre]
            villages = [pk for pk, centre in ids if not centre]
            picked = self.rng.sample(town, min(len(town), 150)) + self.rng.sample(
                villages, min(len(villages), 40)
            )
            rows = (
                Building.objects.filter(pk__in=picked).select_related("street__settlement__okrug").in_bulk()
            )
            homes = []
            for b in (rows[pk] for pk in picked):
                settlement = b.street.settlement
                label = building_label(b)
                address = label if settlement.is_centre else f"{settlement.name}, {label}"
                okrug = settlement.okrug.slug if settlement.okrug_id else ""
                homes.append((address, b.lat, b.lon, okrug))
            self._homes = homes
        return self._homes

    def home(self, n: int) -> tuple[str, float, float, str]:
        homes = self.homes()
        return homes[n % len(homes)]

    def place(self, home) -> tuple[str, float, float, str]:
        """A home by its index, or ("okrug", slug, n): the n-th home in that okrug's villages
        (read when the step runs: the places demo loads the buildings first)."""
        if isinstance(home, tuple):
            return self.village_home(home[1], home[2])
        return self.home(home)

    def village_home(self, okrug_slug: str, n: int = 0) -> tuple[str, float, float, str]:
        found = [h for h in self.homes() if h[3] == okrug_slug]
        return found[n % len(found)] if found else self.home(n)

    def spot(self, home) -> tuple[float, float]:
        """A point by the building, on the street (10–30 m away)."""
        address, lat, lon, _okrug = home
        return (
            round(lat + self.rng.uniform(-0.00025, 0.00025), 6),
            round(lon + self.rng.uniform(-0.00035, 0.00035), 6),
        )

    def name_of(self, user) -> str:
        from .services.intake import full_name_of

        return full_name_of(user, self.hromada)

    def applicant(self, user, n: int, flat: bool = True) -> dict:
        """The law's fields of a resident's appeal: the identity's full name, the
        address of residence, the account's e-mail."""
        address = self.home(n)[0]
        if flat and "вул." in address and n % 3 == 0:
            address = f"{address}, кв. {n % 60 + 1}"
        return {
            "applicant_name": self.name_of(user),
            "applicant_address": address,
            "applicant_email": user.email,
        }

    def workers(self, department_key: str) -> list:
        """Who works a department's queue: its members first, then its head."""
        spec = next(d for d in DEPARTMENTS if d[0] == department_key)
        return [self.staff[m] for m in spec[7]] + [self.staff[spec[6]]]

    def worker_of(self, case) -> Any:
        """The member who works `case`: its assignee, else one of its department's."""
        if case.assignee_id:
            return case.assignee
        key = next((k for k, d in self.departments.items() if d.pk == case.department_id), None)
        return self.workers(key)[0] if key else self.admin

    def head_of(self, case) -> Any:
        key = next((k for k, d in self.departments.items() if d.pk == case.department_id), None)
        return self.staff[next(d[6] for d in DEPARTMENTS if d[0] == key)] if key else self.admin

    # --- the set-up -------------------------------------------------------------------------

    def setup(self) -> None:
        """The administrator sets the e-reception up: the staff, departments and
        enterprises with their people, categories with attributes, templates, the key."""
        from hromada.accounts import services as account_services
        from hromada.accounts.models import Department as StaffDepartment
        from hromada.accounts.models import Role, User
        from hromada.places.models import Area

        from .services import open311_keys, setup

        for key, email, first, last, unit, position in STAFF:
            user = User.objects.create_user(email, None, display_name=f"{first} {last}")
            # The demo's one password, hashed once by demo_seed (PBKDF2 is slow on purpose).
            user.password = self.officer.password
            user.save(update_fields=["password"])
            account_services.user_email_proven(user=user)
            department = StaffDepartment.objects.filter(hromada=self.hromada, name=unit).first()
            if department is None:
                department = account_services.department_create(
                    actor=self.admin, hromada=self.hromada, name=unit
                )
            account_services.staff_role_grant(
                actor=self.admin,
                hromada=self.hromada,
                user=user,
                role=Role.OFFICER,
                department=department,
                position=position,
                is_head=key != "hotline",
            )
            self.staff[key] = user
        for key, kind, name, slug, email, phone, head, members, okrug in DEPARTMENTS:
            area = Area.objects.filter(hromada=self.hromada, slug=okrug).first() if okrug else None
            self.departments[key] = setup.department_save(
                hromada=self.hromada,
                actor=self.admin,
                name=name,
                slug=slug,
                kind=kind,
                email=email,
                phone=phone,
                head=self.staff[head],
                members=[self.staff[m] for m in members],
                area=area,
            )
        for order, (code, name, group, unit, hours, keywords, _weight) in enumerate(CATEGORIES):
            category = setup.category_save(
                hromada=self.hromada,
                actor=self.admin,
                code=code,
                name=name,
                group=group,
                keywords=keywords,
                department=self.departments.get(unit),
                target_hours=hours,
                order=order,
            )
            self.categories[code] = category
            for n, (attr, question, datatype, required, values) in enumerate(ATTRIBUTES.get(code, [])):
                setup.attribute_save(
                    category=category,
                    actor=self.admin,
                    code=attr,
                    description=question,
                    datatype=datatype,
                    required=required,
                    values=[{"key": k, "name": v} for k, v in values],
                    order=n,
                )
        for order, (code, kind, name, unit) in enumerate(TOPICS):
            self.categories[code] = setup.category_save(
                hromada=self.hromada,
                actor=self.admin,
                code=code,
                name=name,
                kind=kind,
                department=self.departments[unit],
                order=order,
            )
        for unit, kind, title, text in TEMPLATES:
            setup.template_save(
                hromada=self.hromada,
                actor=self.admin,
                title=title,
                text=text,
                kind=kind,
                department=self.departments.get(unit),
            )
        # The town's "Open City" app posts reports through Open311; its key is handed
        # to the app's developer and never printed.
        client, _key = open311_keys.api_key_issue(
            hromada=self.hromada, actor=self.admin, name="Мобільний застосунок «Відкрита Кам’янка»"
        )
        self.api_client = client.name

    def subscriptions(self, *, at: dt.datetime) -> list[Event]:
        """Residents follow new reports in their district or okrug (FixMyStreet's alerts)."""
        from hromada.places.models import Area

        def subscribe():
            from .services.follows import area_subscribe

            areas = {a.slug: a for a in Area.objects.filter(hromada=self.hromada)}
            area_subscribe(hromada=self.hromada, user=self.resident(1), area=areas.get("tsentralnyi-raion"))
            area_subscribe(
                hromada=self.hromada,
                user=self.resident(3),
                area=areas.get("olianynskyi-starostynskyi-okruh"),
            )
            area_subscribe(
                hromada=self.hromada,
                user=self.resident(4),
                area=areas.get("pryvokzalnyi-raion"),
                category=self.categories["street-light"],
            )
            area_subscribe(hromada=self.hromada, user=self.resident(6), category=self.categories["pothole"])

        return [(at, subscribe)]

    # --- reports ----------------------------------------------------------------------------

    def _report(
        self,
        key: str,
        *,
        code: str,
        home,
        text: str,
        user=None,
        channel: str = "web",
        caller: tuple[str, str] | None = None,
        anonymous: bool = True,
        attributes=None,
    ) -> Callable:
        """The action that files a report: a resident on the site, the app (Open311), or
        the hotline operator for a caller."""

        def file():
            from .services.intake import hotline_register, report_create

            place = self.place(home)
            lat, lon = self.spot(place)
            category = self.categories[code]
            answers = attributes if attributes is not None else self._answers(code)
            if channel == "hotline":
                name, phone = caller or CALLERS[0]
                case = hotline_register(
                    hromada=self.hromada,
                    operator=self.staff["hotline"],
                    kind="report",
                    category=category,
                    lat=lat,
                    lon=lon,
                    address=place[0],
                    text=text,
                    applicant_name=name,
                    applicant_phone=phone,
                    attributes=answers,
                ).case
            else:
                case = report_create(
                    hromada=self.hromada,
                    user=user if channel == "web" else None,
                    category=category,
                    lat=lat,
                    lon=lon,
                    text=text,
                    address=place[0],
                    anonymous=anonymous,
                    attributes=answers,
                    channel=channel,
                    api_client=self.api_client if channel == "api" else "",
                )
            self.keep(key, case)

        return file

    def _answers(self, code: str) -> dict:
        answers: dict[str, Any] = {}
        for attr, _q, datatype, required, values in ATTRIBUTES.get(code, []):
            if datatype == "singlevaluelist" and (required or self.rng.random() < 0.5):
                answers[attr] = self.rng.choice(values)[0]
            elif datatype == "string" and self.rng.random() < 0.4:
                answers[attr] = f"{self.rng.randint(1, 60)}-{self.rng.randint(1, 30)}"
        return answers

    def moderate(self, key: str, decision: str = "shown", reason: str = "") -> Callable:
        def act():
            from .services.moderation import case_moderate

            case_moderate(case=self.case(key), actor=self.moderator, decision=decision, reason=reason)

        return act

    def start(self, key: str, actor_key: str | None = None) -> Callable:
        def act():
            from .services.work import case_start

            case = self.case(key)
            case_start(case=case, actor=self.staff[actor_key] if actor_key else self.worker_of(case))

        return act

    def update(self, key: str, text: str) -> Callable:
        def act():
            from .services.work import case_update

            case = self.case(key)
            case_update(case=case, actor=self.worker_of(case), text=text)

        return act

    def comment(self, key: str, text: str) -> Callable:
        def act():
            from .services.work import case_comment

            case = self.case(key)
            case_comment(case=case, actor=self.worker_of(case), text=text)

        return act

    def resolve(self, key: str, text: str) -> Callable:
        def act():
            from .services.work import case_resolve

            case = self.case(key)
            case_resolve(case=case, actor=self.worker_of(case), text=text)

        return act

    def not_fixed(self, key: str, reason: str) -> Callable:
        def act():
            from .services.work import case_not_fixed

            case = self.case(key)
            case_not_fixed(case=case, actor=self.worker_of(case), reason=reason)

        return act

    def answer(self, key: str, text: str, actor_key: str | None = None) -> Callable:
        def act():
            from .services.work import case_answer

            case = self.case(key)
            case_answer(
                case=case, actor=self.staff[actor_key] if actor_key else self.worker_of(case), text=text
            )

        return act

    def assign(
        self, key: str, *, department: str | None = None, assignee: str | None = None, actor: str = "admin"
    ) -> Callable:
        def act():
            from .services.work import case_assign

            case_assign(
                case=self.case(key),
                actor=self.staff[actor],
                department=self.departments[department] if department else None,
                assignee=self.staff[assignee] if assignee else None,
            )

        return act

    def route_unrouted(self, key: str, department: str) -> Callable:
        """The router gives a case nobody got by category or place to `department`."""

        def act():
            from .services.work import case_assign

            case = self.case(key)
            if case.department_id is None:
                case_assign(case=case, actor=self.admin, department=self.departments[department])

        return act

    def confirm(self, key: str) -> Callable:
        def act():
            from .services.verdict import case_confirm

            case = self.case(key)
            case_confirm(case, case.applicant)

        return act

    def rate(self, key: str, rating: int, comment: str = "") -> Callable:
        def act():
            from .services.verdict import case_rate

            case = self.case(key)
            case_rate(case, case.applicant, rating, comment)

        return act

    def reopen(self, key: str, reason: str) -> Callable:
        def act():
            from .services.verdict import case_reopen

            case = self.case(key)
            case_reopen(case, case.applicant, reason)

        return act

    def follow(self, key: str, people: list) -> Callable:
        def act():
            from .services.follows import case_follow

            for person in people:
                case_follow(self.case(key), person)

        return act

    def join(self, key: str, people: list) -> Callable:
        def act():
            from .services.nearby import case_join

            for person in people:
                case_join(case=self.case(key), user=person)

        return act

    def scripted_reports(self) -> list[Event]:
        """The reports a newcomer follows, and each special path once."""
        events: list[Event] = []
        r1 = self.resident(1)

        # resident1's street light: filed, shown, fixed by КП «Міськсвітло», confirmed, rated.
        chain = _Chain(
            self,
            self._day(19, 19, 40),
            self._report(
                "r1-fixed",
                code="street-light",
                home=1,
                user=r1,
                anonymous=False,
                text="Не світить ліхтар біля мого будинку, на тротуарі зовсім темно, ввечері страшно йти.",
                attributes={"state": "off", "pole": "14-7"},
            ),
        )
        chain.then(13 * HOUR, self.moderate("r1-fixed"))
        chain.then(30 * MINUTE, self.start("r1-fixed", "officer"))
        chain.then(4 * HOUR, self.update("r1-fixed", "Бригада виїде завтра зранку: потрібна автовишка."))
        chain.then(20 * HOUR, self.resolve("r1-fixed", RESOLUTIONS["street-light"][0]))
        chain.then(26 * HOUR, self.confirm("r1-fixed"), staff=False)
        chain.then(2 * MINUTE, self.rate("r1-fixed", 5, "Швидко й чемно, дякую!"), staff=False)
        events += chain.events

        # resident1's second one, in progress now: officer@ can resolve it in the browser.
        home = 2
        chain = _Chain(
            self,
            self.now - 30 * HOUR,
            self._report(
                "r1-open",
                code="street-light",
                home=home,
                user=r1,
                text="Не світять три ліхтарі поспіль уздовж вулиці до зупинки.",
                attributes={"state": "off"},
            ),
        )
        chain.then(2 * HOUR, self.moderate("r1-open"))
        chain.then(MINUTE, self.join("r1-open", [self.resident(8), self.resident(14)]), staff=False)
        chain.then(3 * HOUR, self.start("r1-open", "officer"))
        events += chain.events

        # A duplicate merged into the original; the original fixed, both told.
        home = 20
        chain = _Chain(
            self,
            self._day(12, 8, 15),
            self._report(
                "pothole-orig",
                code="pothole",
                home=home,
                user=self.resident(7),
                text="Велика яма на дорозі біля перехрестя, уже кілька машин пробили колеса.",
                attributes={"size": "large"},
            ),
        )
        chain.then(HOUR, self.moderate("pothole-orig"))
        events += chain.events
        chain = _Chain(
            self,
            self._day(12, 12, 40),
            self._report(
                "pothole-dup",
                code="pothole",
                home=home,
                user=self.resident(12),
                text="Яма посеред дороги, її не видно після дощу.",
                attributes={"size": "medium"},
            ),
        )

        def merge():
            from .services.work import case_merge

            case_merge(
                case=self.case("pothole-dup"),
                actor=self.staff["shliakhy"],
                original=self.case("pothole-orig"),
            )

        chain.then(2 * HOUR, merge)
        chain.then(30 * MINUTE, self.start("pothole-orig", "shliakhy"))
        chain.then(2 * DAY, self.update("pothole-orig", "Ремонт заплановано на четвер, якщо не буде дощу."))
        chain.then(2 * DAY, self.resolve("pothole-orig", RESOLUTIONS["pothole"][0]))
        chain.then(5 * HOUR, self.rate("pothole-orig", 4), staff=False)
        events += chain.events

        # A water leak fixed, reopened ("it leaks again"), fixed again and confirmed.
        home = 33
        chain = _Chain(
            self,
            self._day(16, 7, 50),
            self._report(
                "leak",
                code="water-leak",
                home=home,
                user=self.resident(9),
                anonymous=False,
                text="Б'є вода з-під асфальту біля колодязя, на дорозі велика калюжа.",
                attributes={"water": "clean"},
            ),
        )
        chain.then(40 * MINUTE, self.moderate("leak"))
        chain.then(20 * MINUTE, self.start("leak", "vodokanal"))
        chain.then(
            5 * HOUR, self.resolve("leak", "Аварійна бригада замінила муфту на водогоні, витік усунуто.")
        )
        chain.then(
            2 * DAY, self.reopen("leak", "Знову тече на тому самому місці, калюжа ще більша."), staff=False
        )
        chain.then(
            3 * HOUR, self.update("leak", "Бригада на місці: пошкоджено ділянку труби, її замінять сьогодні.")
        )
        chain.then(6 * HOUR, self.resolve("leak", RESOLUTIONS["water-leak"][0]))
        chain.then(DAY, self.confirm("leak"), staff=False)
        chain.then(
            MINUTE, self.rate("leak", 3, "Вдруге зробили добре, але з першого разу не вийшло."), staff=False
        )
        events += chain.events

        # Filed as a street light, it is a traffic light: the router moves it to КП «Шляхи».
        home = 41
        chain = _Chain(
            self,
            self._day(9, 18, 5),
            self._report(
                "rerouted",
                code="street-light",
                home=home,
                user=self.resident(15),
                text="На перехресті не працює світлофор, горить лише жовтий.",
                attributes={"state": "blinking"},
            ),
        )
        chain.then(HOUR, self.moderate("rerouted"))
        chain.then(
            10 * MINUTE, self.comment("rerouted", "Це світлофор, не вуличне освітлення: передаю КП «Шляхи».")
        )
        chain.then(20 * MINUTE, self.assign("rerouted", department="shliakhy"))
        chain.then(HOUR, self.start("rerouted", "shliakhy"))
        chain.then(7 * HOUR, self.resolve("rerouted", RESOLUTIONS["road-sign"][1]))
        events += chain.events

        # Hidden by the moderator (a neighbour's name and phone in public text); worked as usual.
        home = 52
        chain = _Chain(
            self,
            self._day(7, 20, 30),
            self._report(
                "hidden",
                code="garbage",
                home=home,
                user=self.resident(17),
                text="Сусід Іваненко з будинку 5 (тел. 067 000 11 22) вивалює будівельне сміття біля "
                "контейнерів.",
            ),
        )
        chain.then(
            HOUR,
            self.moderate(
                "hidden", "hidden", "Текст містить ім'я та телефон іншої людини: його не показано на карті."
            ),
        )
        chain.then(HOUR, self.start("hidden", "zhkg"))
        chain.then(DAY, self.resolve("hidden", RESOLUTIONS["garbage"][0]))
        events += chain.events

        # "Other" in the town: nobody's by category, so the router gives it to the housing department.
        home = 60
        chain = _Chain(
            self,
            self._day(5, 21, 10),
            self._report(
                "routed",
                code="other",
                home=home,
                user=self.resident(18),
                text="Пошкоджений навіс зупинки громадського транспорту, під час дощу протікає дах.",
            ),
        )
        chain.then(HOUR, self.moderate("routed"))
        chain.then(30 * MINUTE, self.assign("routed", department="zhkg"))
        chain.then(2 * HOUR, self.start("routed", "officer"))
        events += chain.events

        # "Other" in a village of the Olianyne okrug: the starosta's office gets it by the place.
        for n, (days, text, fixed) in enumerate(
            [
                (11, "Зламаний паркан біля сільського клубу, стирчать цвяхи.", "Паркан полагоджено."),
                (3, "Біля магазину повалено лавку й урну, розкидане сміття.", ""),
            ]
        ):
            key = f"okrug-{n}"
            village = ("okrug", "olianynskyi-starostynskyi-okruh", n)
            chain = _Chain(
                self,
                self._day(days, 16, 20),
                self._report(
                    key, code="other", home=village, user=self.resident(3 if n == 0 else 22), text=text
                ),
            )
            chain.then(2 * HOUR, self.moderate(key))
            chain.then(HOUR, self.start(key, "starosta"))
            if fixed:
                chain.then(2 * DAY, self.resolve(key, fixed))
            events += chain.events

        # A hotline call about a manhole, fixed the same day.
        home = 70
        chain = _Chain(
            self,
            self._day(6, 9, 5),
            self._report(
                "hotline-manhole",
                code="manhole",
                home=home,
                channel="hotline",
                caller=CALLERS[1],
                text="Телефонує мешканець: на тротуарі відкритий каналізаційний люк, поруч ходять діти.",
            ),
        )
        chain.then(30 * MINUTE, self.moderate("hotline-manhole"))
        chain.then(10 * MINUTE, self.start("hotline-manhole", "vodokanal"))
        chain.then(3 * HOUR, self.resolve("hotline-manhole", RESOLUTIONS["manhole"][0]))
        events += chain.events
        return events

    def reports(self, *, begins: dt.datetime) -> list[Event]:
        """The rest of the map: reports spread over the weeks, each as far along its way
        as its age and its category's target allow."""
        events: list[Event] = []
        codes = [c[0] for c in CATEGORIES if c[6]]
        weights = [c[6] for c in CATEGORIES if c[6]]
        hours = {c[0]: c[4] for c in CATEGORIES}
        span = (self.now - 3 * HOUR) - begins
        recent_snow = self.now - 9 * DAY
        for n in range(REPORTS):
            rng = self.rng
            # More reports lately: the season's long evenings (and the app's growth).
            at = begins + span * ((n + rng.random()) / REPORTS) ** 0.8
            at = self.awake_time(at)
            code = rng.choices(codes, weights)[0]
            if at > recent_snow and rng.random() < 0.25:
                code = "snow"
            home = 100 + n
            channel = rng.choices(["web", "hotline", "api"], [65, 20, 15])[0]
            person = self.residents[(20 + n * 7) % len(self.residents)]
            key = f"report-{n}"
            if channel == "hotline":
                at = self.work_time(at)
            chain = _Chain(
                self,
                at,
                self._report(
                    key,
                    code=code,
                    home=home,
                    user=person,
                    channel=channel,
                    caller=CALLERS[n % len(CALLERS)],
                    anonymous=rng.random() < 0.7,
                    text=rng.choice(REPORT_TEXTS[code]),
                ),
            )
            target = hours[code] * HOUR
            # The enterprises' emergency crews work every day; the others in office hours.
            crew = hours[code] > 72
            chain.then(rng.uniform(0.5, 5) * HOUR, self.moderate(key))
            if code == "other":
                chain.then(30 * MINUTE, self.route_unrouted(key, "zhkg"))
            if n % 9 == 4:
                chain.then(
                    rng.uniform(1, 6) * HOUR,
                    self.follow(key, [self.residents[(n * 5 + 3) % 60]]),
                    staff=False,
                )
            chain.then(target * rng.uniform(0.02, 0.15), self.start(key), staff=crew)
            fate = rng.random()
            if n % 11 == 6:
                # Left waiting: overdue now if it is old enough (the queue's red).
                pass
            elif fate < 0.1 and code in NOT_FIXED:
                chain.then(target * rng.uniform(0.2, 0.6), self.not_fixed(key, NOT_FIXED[code]), staff=crew)
            else:
                if rng.random() < 0.35:
                    chain.then(
                        target * rng.uniform(0.1, 0.2), self.update(key, rng.choice(UPDATES)), staff=crew
                    )
                late = rng.random() < 0.12
                chain.then(
                    target * (rng.uniform(1.05, 1.4) if late else rng.uniform(0.15, 0.55)),
                    self.resolve(key, rng.choice(RESOLUTIONS[code])),
                    staff=crew,
                )
                if channel == "web":
                    if rng.random() < 0.45:
                        chain.then(rng.uniform(3, 48) * HOUR, self.confirm(key), staff=False)
                    if rng.random() < 0.55:
                        rating = rng.choices([5, 4, 3, 2, 1], [10, 6, 3, 2, 1])[0]
                        chain.then(rng.uniform(1, 30) * MINUTE, self.rate(key, rating), staff=False)
            events += chain.events
        return events

    # --- appeals ----------------------------------------------------------------------------

    def _appeal(
        self,
        key: str,
        *,
        kind: str,
        user=None,
        n: int = 0,
        channel: str = "web",
        caller: tuple[str, str] | None = None,
        address: int | None = None,
        **fields,
    ) -> Callable:
        """The action that registers an appeal or an information request: a resident's
        own (web), or the operator's for a caller, a letter or a visit."""

        def file():
            from .services.intake import case_create, hotline_register

            topic = fields.pop("topic", None)
            if topic:
                fields["category"] = self.categories[topic]
            if channel == "web":
                case = case_create(
                    hromada=self.hromada,
                    user=user,
                    kind=kind,
                    channel="web",
                    **self.applicant(user, n),
                    **fields,
                )
            else:
                name, phone = caller or ("", "")
                if user is not None:
                    details = self.applicant(user, n)
                else:
                    details = {
                        "applicant_name": name,
                        "applicant_phone": phone,
                        "applicant_address": self.home(address)[0] if address is not None else "",
                    }
                case = hotline_register(
                    hromada=self.hromada,
                    operator=self.staff["hotline"],
                    kind=kind,
                    channel=channel,
                    caller=user,
                    **details,
                    **fields,
                ).case
            self.keep(key, case)

        return file

    def pick_received(self, *, kind: str, want: str, days: range, hour: int = 10, urgent: bool = False):
        """A moment of receipt `days` ago whose legal deadline is `want` now ("near":
        within the reminder's working days; "overdue": passed at least a day ago)."""
        from .services import deadlines

        for days_ago in days:
            received = self.work_time(self._day(days_ago, hour, 12))
            due = deadlines.first_due(kind=kind, received=received, urgent=urgent)
            colour = deadlines.urgency(due=due, now=self.now, remind_working_days=2)
            if colour == want and (want != "overdue" or due < self.now - DAY):
                return received
        return self.work_time(self._day(days[0], hour, 12))

    def appeals(self) -> list[Event]:
        events: list[Event] = []
        r1 = self.resident(1)

        # resident1's statement: answered in time, accepted and rated.
        chain = _Chain(
            self,
            self._day(24, 20, 15),
            self._appeal(
                "a-r1",
                kind="appeal",
                user=r1,
                n=1,
                appeal_type="statement",
                topic="appeal-housing",
                title="Прошу облаштувати пішохідний перехід біля ліцею №1",
                text="Діти щодня переходять вулицю біля ліцею №1 там, де немає пішохідного переходу, а "
                "машини їдуть "
                "швидко. Прошу облаштувати нерегульований перехід з розміткою, знаками й освітленням, а "
                "також "
                "встановити штучну нерівність перед ним.",
            ),
        )
        chain.then(14 * HOUR, self.assign("a-r1", assignee="officer", actor="zhkg"))
        chain.then(HOUR, self.start("a-r1", "officer"))
        chain.then(DAY, self.comment("a-r1", "Погоджено з КП «Шляхи» і відділом поліції: перехід можливий."))
        chain.then(
            5 * DAY,
            self.answer(
                "a-r1",
                (
                    "Розглянувши ваше звернення, повідомляємо: облаштування пішохідного переходу біля "
                    "ліцею №1 погоджено "
                    "з відділом поліції. КП «Шляхи» нанесе розмітку, встановить знаки й штучну нерівність "
                    "до 20 грудня; "
                    "КП «Міськсвітло» встановить над переходом світильник. Відповідно до статті 16 Закону "
                    "України «Про "
                    "звернення громадян» відповідь можна оскаржити."
                ),
                "officer",
            ),
        )
        chain.then(DAY, self.confirm("a-r1"), staff=False)
        chain.then(MINUTE, self.rate("a-r1", 5, "Дякую за конкретну відповідь зі строками."), staff=False)
        events += chain.events

        # A proposal answered; a complaint answered, rated low.
        chain = _Chain(
            self,
            self._day(33, 11, 0),
            self._appeal(
                "a-proposal",
                kind="appeal",
                user=self.resident(23),
                n=23,
                appeal_type="proposal",
                topic="appeal-other",
                title="Пропозиція встановити велопарковку біля ЦНАП",
                text="Пропоную встановити велопарковку на 10 місць біля Центру надання адміністративних "
                "послуг: "
                "велосипеди зараз пристібають до огорожі й дерев.",
            ),
        )
        chain.then(HOUR, self.start("a-proposal", "zagalnyi"))
        chain.then(
            6 * DAY,
            self.answer(
                "a-proposal",
                (
                    "Дякуємо за пропозицію. Велопарковку на 10 місць буде встановлено біля ЦНАП навесні "
                    "2027 року за "
                    "кошти програми розвитку велоінфраструктури."
                ),
                "zagalnyi",
            ),
        )
        chain.then(2 * DAY, self.rate("a-proposal", 4), staff=False)
        events += chain.events

        chain = _Chain(
            self,
            self._day(28, 9, 40),
            self._appeal(
                "a-complaint",
                kind="appeal",
                user=self.resident(25),
                n=25,
                appeal_type="complaint",
                topic="appeal-housing",
                title="Скарга на бездіяльність КП «Водоканал»",
                text="Тричі телефонувала до КП «Водоканал» щодо засміченої каналізації в нашому дворі, але "
                "бригада так "
                "і не приїхала. Прошу перевірити роботу диспетчерської служби й усунути засмічення.",
            ),
        )
        chain.then(3 * HOUR, self.start("a-complaint", "zhkg"))
        chain.then(
            8 * DAY,
            self.answer(
                "a-complaint",
                (
                    "Скаргу розглянуто. Засмічення усунуто 14 листопада; диспетчерові КП «Водоканал» "
                    "оголошено догану, "
                    "заявки тепер реєструються в системі звернень громади з номером і строком."
                ),
                "zhkg",
            ),
        )
        chain.then(
            DAY,
            self.rate("a-complaint", 2, "Відповіли вчасно, але проблему вирішували три тижні."),
            staff=False,
        )
        events += chain.events

        # A collective appeal: the author's draft, co-signed by neighbours through the link, then filed.
        author = self.resident(30)
        signers = [self.resident(k) for k in (31, 32, 33, 34, 35)]

        def drafted():
            from .services.intake import draft_create

            case = draft_create(
                hromada=self.hromada,
                user=author,
                kind="appeal",
                collective=True,
                appeal_type="statement",
                category=self.categories["appeal-housing"],
                title="Колективне звернення мешканців щодо ремонту дороги",
                text="Ми, мешканці вулиці, просимо включити ремонт дороги нашої вулиці до програми ремонту "
                "доріг на "
                "наступний рік: покриття зруйноване, після дощів не проїхати ні машині, ні швидкій допомозі.",
                **self.applicant(author, 30),
            )
            self.keep("a-collective", case)

        def cosigned():
            from .services.intake import cosign

            case = self.case("a-collective")
            for k, person in enumerate(signers):
                cosign(case=case, user=person, name=self.name_of(person), address=self.home(31 + k)[0])

        def submitted():
            from .services.intake import case_submit

            case_submit(case=self.case("a-collective"), user=author)

        chain = _Chain(self, self._day(30, 19, 0), drafted)
        chain.then(DAY, cosigned, staff=False)
        chain.then(DAY, submitted, staff=False)
        chain.then(HOUR, self.start("a-collective", "zhkg"))
        chain.then(
            9 * DAY,
            self.answer(
                "a-collective",
                (
                    "Ремонт дороги вашої вулиці включено до проєкту програми ремонту доріг на 2027 рік; "
                    "проєкт розгляне "
                    "сесія міської ради в грудні. До того КП «Шляхи» виконає грейдерування й підсипку "
                    "щебенем."
                ),
                "zhkg",
            ),
        )
        events += chain.events

        # Extended with a notice: extra study needed (a survey of the heating network).
        def extend():
            from .services.work import case_extend

            case_extend(
                case=self.case("a-extended"),
                actor=self.staff["zhkg"],
                reason="Для відповіді потрібне обстеження теплової мережі будинку спільно з управителем; "
                "строк розгляду продовжено до 45 днів (стаття 20 Закону «Про звернення громадян»).",
            )

        chain = _Chain(
            self,
            self._day(22, 14, 30),
            self._appeal(
                "a-extended",
                kind="appeal",
                user=self.resident(36),
                n=36,
                appeal_type="statement",
                topic="appeal-housing",
                title="У квартирах холодно: прошу перевірити опалення будинку",
                text="З початку опалювального сезону в квартирах нашого під'їзду не більше 15 градусів. "
                "Прошу "
                "перевірити теплову мережу будинку й забезпечити належну температуру.",
            ),
        )
        chain.then(HOUR, self.start("a-extended", "zhkg"))
        chain.then(9 * DAY, extend)
        chain.then(
            2 * DAY, self.update("a-extended", "Обстеження призначено на наступний тиждень разом з ОСББ.")
        )
        events += chain.events

        # Forwarded outside the council's competence, within 5 days, with a notice.
        def forward():
            from .services.work import case_forward

            case_forward(
                case=self.case("a-forwarded"),
                actor=self.admin,
                to="Головне управління Держпродспоживслужби в Черкаській області",
                reason="Контроль за цінами й якістю продуктів у магазинах не належить до повноважень "
                "міської ради: "
                "звернення переслано за належністю (частина 3 статті 7 Закону «Про звернення громадян»).",
            )

        chain = _Chain(
            self,
            self._day(18, 12, 0),
            self._appeal(
                "a-forwarded",
                kind="appeal",
                user=self.resident(38),
                n=38,
                appeal_type="complaint",
                topic="appeal-other",
                title="Скарга на прострочені продукти в магазині",
                text="У магазині на ринку продають прострочені молочні продукти. Прошу вжити заходів.",
            ),
        )
        chain.then(DAY, forward)
        events += chain.events

        # A paper letter without the address of residence: registered as received, returned with the reason.
        def returned():
            from .services.work import case_return

            case_return(
                case=self.case("a-returned"),
                actor=self.staff["zagalnyi"],
                reason="У зверненні не зазначено місця проживання, тож відповідь надіслати нікуди (стаття "
                "5 Закону "
                "«Про звернення громадян»). Подайте звернення повторно із зазначенням адреси.",
            )

        chain = _Chain(
            self,
            self._day(15, 10, 30),
            self._appeal(
                "a-returned",
                kind="appeal",
                channel="paper",
                caller=("Мирошниченко Петро", ""),
                appeal_type="statement",
                topic="appeal-other",
                title="Лист про ремонт сільської дороги",
                text="Прошу відремонтувати дорогу до кладовища, бо восени там не пройти.",
            ),
        )
        chain.then(DAY, returned)
        events += chain.events

        # Rejected: the same matter again with no new facts (art. 8 of the Law).
        def reject():
            from .services.work import case_reject

            case_reject(
                case=self.case("a-rejected"),
                actor=self.admin,
                reason="Звернення з того самого питання розглянуто 10 листопада (№ відповіді надіслано); "
                "нових "
                "обставин не наведено, тож його не розглядають повторно (стаття 8 Закону «Про звернення "
                "громадян»).",
            )

        chain = _Chain(
            self,
            self._day(13, 17, 45),
            self._appeal(
                "a-rejected",
                kind="appeal",
                user=self.resident(25),
                n=25,
                appeal_type="complaint",
                topic="appeal-housing",
                title="Повторна скарга на КП «Водоканал»",
                text="Знову пишу щодо каналізації у дворі, як і минулого разу.",
            ),
        )
        chain.then(DAY, reject)
        events += chain.events

        # Received by phone and at a visit, answered; one on paper answered by post.
        chain = _Chain(
            self,
            self._day(26, 9, 20),
            self._appeal(
                "a-hotline-done",
                kind="appeal",
                channel="hotline",
                caller=CALLERS[2],
                address=44,
                appeal_type="statement",
                topic="appeal-education",
                title="Місце в дитячому садку",
                text="Телефонує мати: просить надати місце в дитячому садку «Сонечко» для сина трьох "
                "років, черга не "
                "рухається з весни.",
            ),
        )
        chain.then(2 * HOUR, self.start("a-hotline-done", "osvita"))
        chain.then(
            7 * DAY,
            self.answer(
                "a-hotline-done",
                (
                    "Вашу дитину зараховано до ДНЗ «Сонечко» з 1 грудня; із завідувачкою можна зв'язатися "
                    "за телефоном "
                    "(04732) 2-33-10."
                ),
                "osvita",
            ),
        )
        events += chain.events

        chain = _Chain(
            self,
            self._day(20, 11, 10),
            self._appeal(
                "a-visit",
                kind="appeal",
                channel="visit",
                user=self.resident(40),
                n=40,
                appeal_type="statement",
                topic="appeal-education",
                title="Шкільний автобус для дітей із Лузанівки",
                text="На особистому прийомі: прошу організувати підвезення дітей із Лузанівки до опорного "
                "ліцею.",
            ),
        )
        chain.then(HOUR, self.start("a-visit", "osvita"))
        chain.then(
            10 * DAY,
            self.answer(
                "a-visit",
                (
                    "З 1 грудня шкільний автобус відправляється з Лузанівки о 7:40 і повертається після "
                    "уроків о 14:30; "
                    "розклад оприлюднено на сайті ліцею."
                ),
                "osvita",
            ),
        )
        events += chain.events

        chain = _Chain(
            self,
            self._day(35, 10, 0),
            self._appeal(
                "a-paper",
                kind="appeal",
                channel="paper",
                caller=CALLERS[3],
                address=45,
                appeal_type="proposal",
                topic="appeal-other",
                title="Лист щодо графіка руху автобуса до Юрчихи",
                text="Пропоную додати вечірній рейс автобуса з міста до Юрчихи о 18:30, бо люди "
                "повертаються з роботи "
                "пізніше.",
            ),
        )
        chain.then(2 * HOUR, self.start("a-paper", "zagalnyi"))
        chain.then(
            11 * DAY,
            self.answer(
                "a-paper",
                (
                    "Перевізник погодився додати вечірній рейс о 18:30 у будні з 15 листопада. Відповідь "
                    "надіслано "
                    "поштою на вказану адресу."
                ),
                "zagalnyi",
            ),
        )
        events += chain.events

        # Open now: one near its deadline (a hotline call), one overdue, one just received.
        near = self.pick_received(kind="appeal", want="near", days=range(11, 16))
        chain = _Chain(
            self,
            near,
            self._appeal(
                "a-near",
                kind="appeal",
                channel="hotline",
                caller=CALLERS[4],
                address=46,
                appeal_type="statement",
                topic="appeal-housing",
                title="Прибрати аварійне дерево у дворі",
                text="Телефонує мешканка: у дворі будинку аварійна тополя нахилилася над дитячим "
                "майданчиком.",
            ),
        )
        chain.then(HOUR, self.assign("a-near", assignee="officer", actor="zhkg"))
        chain.then(DAY, self.start("a-near", "officer"))
        chain.then(DAY, self.comment("a-near", "Чекаємо акт обстеження зелених насаджень від комісії."))
        events += chain.events

        late = self.pick_received(kind="appeal", want="overdue", days=range(18, 30))
        chain = _Chain(
            self,
            late,
            self._appeal(
                "a-overdue",
                kind="appeal",
                user=self.resident(42),
                n=42,
                appeal_type="statement",
                topic="appeal-education",
                title="Ремонт спортивної зали школи в Олянине",
                text="У спортивній залі Олянинської гімназії протікає дах, уроки фізкультури проводять у "
                "коридорі. "
                "Прошу включити ремонт даху до плану робіт.",
            ),
        )
        chain.then(3 * HOUR, self.start("a-overdue", "osvita"))
        events += chain.events

        chain = _Chain(
            self,
            self.now - 20 * HOUR,
            self._appeal(
                "a-new",
                kind="appeal",
                user=self.resident(43),
                n=43,
                appeal_type="proposal",
                topic="appeal-other",
                title="Пропозиція провести толоку в парку",
                text="Пропоную провести толоку з прибирання парку імені Шевченка в суботу: мешканці "
                "готові долучитися.",
            ),
        )
        events += chain.events

        # resident1's unfinished draft (only they see it; the privacy export lists it).
        def draft():
            from .services.intake import draft_create

            draft_create(
                hromada=self.hromada,
                user=r1,
                kind="appeal",
                appeal_type="proposal",
                title="Пропозиція щодо лавок на набережній",
                text="Пропоную встановити лавки вздовж набережної Тясмину, бо",
            )

        events.append((self._day(1, 21, 40), draft))
        return events

    # --- information requests ---------------------------------------------------------------

    def info_requests(self) -> list[Event]:
        events: list[Event] = []
        r1 = self.resident(1)

        # resident1's request: answered on the third working day, by e-mail.
        received = self.work_time(self._day(17, 15, 5))
        chain = _Chain(
            self,
            received,
            self._appeal(
                "i-r1",
                kind="info",
                user=r1,
                n=1,
                topic="info-request",
                answer_form="email",
                title="Рішення виконкому про тарифи на вивезення відходів",
                text="Прошу надати копію рішення виконавчого комітету про встановлення тарифів на "
                "вивезення побутових "
                "відходів на 2027 рік з економічним обґрунтуванням.",
            ),
        )
        chain.then(HOUR, self.start("i-r1", "zagalnyi"))
        chain.then(
            2 * DAY,
            self.answer(
                "i-r1",
                (
                    "Надаємо копію рішення виконавчого комітету від 29.10.2026 № 214 «Про встановлення "
                    "тарифів на послуги з "
                    "вивезення побутових відходів» з розрахунком тарифу (додатки 1–2). Рішення оприлюднено "
                    "на сайті ради."
                ),
                "zagalnyi",
            ),
        )
        chain.then(DAY, self.rate("i-r1", 5), staff=False)
        events += chain.events

        # resident1's newest request, just received: the newcomer answers it as admin@.
        chain = _Chain(
            self,
            self.now - 4 * HOUR,
            self._appeal(
                "i-r1-new",
                kind="info",
                user=r1,
                n=1,
                topic="info-request",
                answer_form="email",
                title="Кошторис ремонту дороги на вулиці",
                text="Прошу надати кошторис і договір підряду на ремонт дороги, виконаний у жовтні 2026 "
                "року.",
            ),
        )
        events += chain.events

        # Urgent (the state of the environment): 48 hours, answered the next day.
        chain = _Chain(
            self,
            self.work_time(self._day(9, 10, 15)),
            self._appeal(
                "i-urgent",
                kind="info",
                user=self.resident(44),
                n=44,
                topic="info-request",
                answer_form="email",
                urgent=True,
                urgent_reason="environment",
                title="Якість питної води після аварії",
                text="Після аварії на водогоні вода з крана каламутна. Прошу терміново надати результати "
                "лабораторного "
                "аналізу якості питної води в мережі міста.",
            ),
        )
        chain.then(HOUR, self.assign("i-urgent", department="vodokanal"))
        chain.then(HOUR, self.start("i-urgent", "vodokanal"))
        chain.then(
            22 * HOUR,
            self.answer(
                "i-urgent",
                (
                    "Надаємо протокол лабораторних досліджень від 24.11.2026: показники питної води в "
                    "мережі відповідають "
                    "ДСанПіН 2.2.4-171-10; каламутність після аварії зникла після промивання мережі."
                ),
                "vodokanal",
            ),
        )
        events += chain.events

        # A large volume: extended to 20 working days with a notice within 5, answered in the new term.
        def extend():
            from .services.work import case_extend

            case_extend(
                case=self.case("i-extended"),
                actor=self.staff["zagalnyi"],
                reason="Запит стосується великого обсягу даних (договори за рік, понад 60 документів): строк "
                "розгляду продовжено до 20 робочих днів (частина 4 статті 20 Закону «Про доступ до публічної "
                "інформації»).",
            )

        chain = _Chain(
            self,
            self.work_time(self._day(29, 11, 30)),
            self._appeal(
                "i-extended",
                kind="info",
                user=self.resident(46),
                n=46,
                topic="info-request",
                answer_form="email",
                title="Договори на ремонт доріг за 2025 рік",
                text="Прошу надати копії всіх договорів на ремонт доріг громади за 2025 рік з кошторисами "
                "та актами "
                "виконаних робіт.",
            ),
        )
        chain.then(HOUR, self.start("i-extended", "zagalnyi"))
        chain.then(2 * DAY, extend)
        chain.then(
            12 * DAY,
            self.answer(
                "i-extended",
                (
                    "Надаємо копії 64 договорів на ремонт доріг за 2025 рік з кошторисами й актами "
                    "виконаних робіт "
                    "(архів у додатку). Договори також опубліковано в системі Prozorro."
                ),
                "zagalnyi",
            ),
        )
        events += chain.events

        # By phone and on paper, answered; one by post.
        chain = _Chain(
            self,
            self.work_time(self._day(21, 9, 45)),
            self._appeal(
                "i-hotline",
                kind="info",
                channel="hotline",
                caller=CALLERS[5],
                address=48,
                topic="info-request",
                answer_form="post",
                title="Графік прийому громадян депутатами",
                text="Телефонує мешканець: просить надіслати поштою графік особистого прийому громадян "
                "депутатами "
                "міської ради.",
            ),
        )
        chain.then(HOUR, self.start("i-hotline", "zagalnyi"))
        chain.then(
            DAY,
            self.answer(
                "i-hotline",
                (
                    "Графік прийому громадян депутатами міської ради на грудень надіслано поштою на вашу "
                    "адресу."
                ),
                "zagalnyi",
            ),
        )
        events += chain.events

        chain = _Chain(
            self,
            self.work_time(self._day(14, 10, 0)),
            self._appeal(
                "i-paper",
                kind="info",
                channel="paper",
                caller=CALLERS[6],
                address=49,
                topic="info-request",
                answer_form="post",
                title="Перелік земельних ділянок для городів",
                text="Прошу надати перелік вільних земельних ділянок комунальної власності для "
                "городництва в Лузанівці.",
            ),
        )
        chain.then(2 * HOUR, self.start("i-paper", "zagalnyi"))
        chain.then(
            3 * DAY,
            self.answer(
                "i-paper",
                (
                    "Надсилаємо перелік із 7 вільних ділянок для городництва в Лузанівці з кадастровими "
                    "номерами та "
                    "площами; заяву про надання ділянки в оренду можна подати в ЦНАП."
                ),
                "zagalnyi",
            ),
        )
        events += chain.events

        # Open now: one near its deadline, one overdue.
        near = self.pick_received(kind="info", want="near", days=range(3, 8))
        chain = _Chain(
            self,
            near,
            self._appeal(
                "i-near",
                kind="info",
                user=self.resident(47),
                n=47,
                topic="info-request",
                answer_form="email",
                title="Кількість дітей у черзі до дитячих садків",
                text="Прошу надати інформацію про кількість дітей у черзі до кожного дитячого садка "
                "громади станом на 1 "
                "листопада 2026 року.",
            ),
        )
        chain.then(2 * HOUR, self.assign("i-near", department="osvita"))
        chain.then(HOUR, self.start("i-near", "osvita"))
        events += chain.events

        late = self.pick_received(kind="info", want="overdue", days=range(8, 16))
        chain = _Chain(
            self,
            late,
            self._appeal(
                "i-overdue",
                kind="info",
                user=self.resident(48),
                n=48,
                topic="info-request",
                answer_form="email",
                title="Витрати на святкове оформлення міста",
                text="Прошу надати інформацію про витрати бюджету громади на новорічне оформлення міста у "
                "2025 році.",
            ),
        )
        chain.then(HOUR, self.start("i-overdue", "zagalnyi"))
        events += chain.events
        return events

    # --- the worker's tick ------------------------------------------------------------------

    def ticks(self, *, begins: dt.datetime) -> list[Event]:
        """Each working morning at 8:00 the tick reminds, escalates and marks what is
        overdue (the worker runs it every five minutes; once a day tells the same story)."""
        from hromada.core import calendar

        def tick():
            from .services.reminders import hromada_tick

            hromada_tick(self.hromada, now=timezone.now())

        events: list[Event] = []
        day = self._day((self.now - begins).days, 8, 0)
        while day < self.now:
            if calendar.is_working_day(day.date()):
                events.append((day, tick))
            day = timezone.localtime(day + DAY).replace(hour=8, minute=0)
        return events
