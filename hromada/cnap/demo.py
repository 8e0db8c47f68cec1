"""The service centre's demo, built through its services (so the ledger agrees with the
pages): a catalogue of a Ukrainian ЦНАП in seven categories and seven life situations,
the centre with five windows and the legal evening day, two remote workplaces in the
hromada's starosta okrugs (from the community registers when they are on) and a
mobile case. Codes are the centre's own, not the national register's; links to Diia
point at its services catalogue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hromada.core.calendar import KYIV

from . import selectors as sel
from .services import catalogue as cat
from .services import offices as off

DIIA = "https://diia.gov.ua/services"
T = dt.time

CATEGORIES = (
    ("reyestratsiya", "Реєстрація місця проживання"),
    ("pasporty", "Паспорти та документи особи"),
    ("sotsialni", "Соціальний захист"),
    ("nerukhomist", "Нерухомість і речові права"),
    ("biznes", "Бізнес і підприємництво"),
    ("zemlia", "Земельні питання"),
    ("dovidky", "Довідки, витяги, цивільний стан"),
)
SITUATIONS = (
    ("narodzhennia", "Народження дитини"),
    ("pereyizd", "Зміна місця проживання"),
    ("kupivlia-zhytla", "Купівля чи спадкування житла"),
    ("vlasna-sprava", "Власна справа"),
    ("pensiia", "Вихід на пенсію"),
    ("vtrata", "Смерть близької людини"),
    ("vpo", "Внутрішнє переміщення"),
)

EXEC = "Виконавчий комітет ради"
DMS = "Державна міграційна служба (через ЦНАП)"
USZN = "Управління соціального захисту населення"
REG = "Державний реєстратор відділу державної реєстрації"
GEO = "Головне управління Держгеокадастру в області (через ЦНАП)"
DRACS = "Відділ державної реєстрації актів цивільного стану"
PASSPORT = ("Паспорт громадянина України або ID-картка", "original", True)
RNOKPP = ("Реєстраційний номер облікової картки платника податків (РНОКПП)", "copy", True)
APPLICATION = ("Заява (заповнюється в ЦНАП)", "original", True)
PAYMENT = ("Документ про оплату адміністративного збору", "original", True)
PHOTO = ("Фотокартка 3,5 × 4,5 см (не потрібна, якщо фото роблять у ЦНАП)", "original", False)

# (code, title, category, situations, provider, term, (fee kind, amount), visit units,
#  diia, result, documents)
SERVICES = (
    (
        "01-01",
        "Реєстрація місця проживання",
        "reyestratsiya",
        ("pereyizd", "vpo"),
        EXEC,
        "у день звернення",
        ("free", None),
        2,
        True,
        "Відомості про ваше місце проживання в реєстрі територіальної громади",
        (
            PASSPORT,
            APPLICATION,
            ("Документ, що підтверджує право на житло, або згода власника", "copy", True),
        ),
    ),
    (
        "01-02",
        "Зняття з реєстрації місця проживання",
        "reyestratsiya",
        ("pereyizd",),
        EXEC,
        "у день звернення",
        ("free", None),
        1,
        True,
        "Відомості про зняття з реєстрації",
        (PASSPORT, APPLICATION),
    ),
    (
        "01-03",
        "Реєстрація місця проживання дитини до 14 років",
        "reyestratsiya",
        ("narodzhennia", "pereyizd"),
        EXEC,
        "у день звернення",
        ("free", None),
        2,
        False,
        "Відомості про місце проживання дитини",
        (("Свідоцтво про народження дитини", "original", True), PASSPORT, APPLICATION),
    ),
    (
        "01-04",
        "Довідка про зареєстрованих у житловому приміщенні осіб",
        "reyestratsiya",
        ("kupivlia-zhytla",),
        EXEC,
        "у день звернення",
        ("free", None),
        1,
        False,
        "Довідка з реєстру територіальної громади",
        (PASSPORT, ("Документ на право власності на житло", "copy", False)),
    ),
    (
        "01-05",
        "Витяг з реєстру територіальної громади",
        "reyestratsiya",
        ("pereyizd",),
        EXEC,
        "у день звернення",
        ("free", None),
        1,
        True,
        "Витяг про місце проживання",
        (PASSPORT,),
    ),
    (
        "02-01",
        "Оформлення паспорта громадянина України у формі ID-картки",
        "pasporty",
        (),
        DMS,
        "до 20 робочих днів",
        ("fixed", "279.00"),
        2,
        False,
        "ID-картка, яку отримуєте особисто в ЦНАП",
        (
            ("Свідоцтво про народження", "original", True),
            RNOKPP,
            ("Витяг про місце проживання (за наявності)", "original", False),
            PAYMENT,
        ),
    ),
    (
        "02-02",
        "Оформлення ID-картки вперше у 14 років",
        "pasporty",
        (),
        DMS,
        "до 20 робочих днів",
        ("free", None),
        2,
        False,
        "ID-картка",
        (
            ("Свідоцтво про народження", "original", True),
            ("Паспорт одного з батьків", "original", True),
            RNOKPP,
        ),
    ),
    (
        "02-03",
        "Обмін ID-картки у зв'язку із закінченням строку дії",
        "pasporty",
        (),
        DMS,
        "до 20 робочих днів",
        ("fixed", "279.00"),
        2,
        False,
        "Нова ID-картка",
        (PASSPORT, RNOKPP, PAYMENT),
    ),
    (
        "02-04",
        "Оформлення закордонного паспорта",
        "pasporty",
        (),
        DMS,
        "до 20 робочих днів",
        ("fixed", "1058.00"),
        2,
        False,
        "Паспорт для виїзду за кордон",
        (PASSPORT, RNOKPP, PAYMENT),
    ),
    (
        "02-05",
        "Оформлення закордонного паспорта дитині",
        "pasporty",
        ("narodzhennia",),
        DMS,
        "до 20 робочих днів",
        ("fixed", "739.00"),
        2,
        False,
        "Паспорт для виїзду за кордон дитини",
        (
            ("Свідоцтво про народження дитини", "original", True),
            ("Паспорт одного з батьків", "original", True),
            PAYMENT,
        ),
    ),
    (
        "02-06",
        "Вклеювання фотокартки в паспорт у 25 і 45 років",
        "pasporty",
        (),
        DMS,
        "до 5 робочих днів",
        ("free", None),
        1,
        False,
        "Паспорт із новою фотокарткою",
        (
            ("Паспорт громадянина України (книжечка)", "original", True),
            ("Дві фотокартки 3,5 × 4,5 см", "original", True),
        ),
    ),
    (
        "03-01",
        "Призначення житлової субсидії",
        "sotsialni",
        ("pensiia", "vpo"),
        USZN,
        "до 10 робочих днів",
        ("free", None),
        2,
        True,
        "Рішення про призначення субсидії на оплату житлово-комунальних послуг",
        (PASSPORT, APPLICATION, ("Декларація про доходи і майно", "original", True)),
    ),
    (
        "03-02",
        "Допомога при народженні дитини",
        "sotsialni",
        ("narodzhennia",),
        USZN,
        "до 10 днів",
        ("free", None),
        2,
        True,
        "Рішення про призначення допомоги",
        (PASSPORT, ("Свідоцтво про народження дитини", "original", True), RNOKPP),
    ),
    (
        "03-03",
        "Державна допомога сім'ям з дітьми",
        "sotsialni",
        ("narodzhennia",),
        USZN,
        "до 10 днів",
        ("free", None),
        2,
        False,
        "Рішення про призначення допомоги",
        (
            PASSPORT,
            ("Свідоцтва про народження дітей", "copy", True),
            ("Довідки про доходи", "original", True),
        ),
    ),
    (
        "03-04",
        "Взяття на облік внутрішньо переміщеної особи",
        "sotsialni",
        ("vpo",),
        USZN,
        "у день звернення",
        ("free", None),
        2,
        True,
        "Довідка про взяття на облік ВПО",
        (PASSPORT, RNOKPP, APPLICATION),
    ),
    (
        "03-05",
        "Допомога на проживання внутрішньо переміщеним особам",
        "sotsialni",
        ("vpo",),
        USZN,
        "до 10 днів",
        ("free", None),
        2,
        True,
        "Рішення про призначення допомоги",
        (
            PASSPORT,
            ("Довідка про взяття на облік ВПО", "original", True),
            ("Реквізити рахунку в банку", "copy", True),
        ),
    ),
    (
        "03-06",
        "Допомога на поховання",
        "sotsialni",
        ("vtrata",),
        USZN,
        "до 10 днів",
        ("free", None),
        1,
        False,
        "Рішення про виплату допомоги на поховання",
        (PASSPORT, ("Свідоцтво про смерть", "original", True)),
    ),
    (
        "03-07",
        "Видача посвідчення багатодітної сім'ї",
        "sotsialni",
        ("narodzhennia",),
        USZN,
        "до 15 днів",
        ("free", None),
        1,
        False,
        "Посвідчення батьків і дитини з багатодітної сім'ї",
        (PASSPORT, ("Свідоцтва про народження дітей", "copy", True), PHOTO),
    ),
    (
        "03-08",
        "Компенсація за догляд за особою з інвалідністю",
        "sotsialni",
        ("pensiia",),
        USZN,
        "до 10 днів",
        ("free", None),
        2,
        False,
        "Рішення про призначення компенсації",
        (PASSPORT, ("Висновок лікарсько-консультаційної комісії", "original", True)),
    ),
    (
        "04-01",
        "Державна реєстрація права власності на нерухоме майно",
        "nerukhomist",
        ("kupivlia-zhytla",),
        REG,
        "5 робочих днів",
        ("fixed", "0.1"),
        2,
        False,
        "Витяг з Державного реєстру речових прав",
        (PASSPORT, RNOKPP, ("Документ, що підтверджує набуття права власності", "original", True), PAYMENT),
    ),
    (
        "04-02",
        "Державна реєстрація права власності в скорочений строк (2 робочі дні)",
        "nerukhomist",
        ("kupivlia-zhytla",),
        REG,
        "2 робочі дні",
        ("tariff", None),
        2,
        False,
        "Витяг з Державного реєстру речових прав",
        (PASSPORT, RNOKPP, ("Документ, що підтверджує набуття права власності", "original", True), PAYMENT),
    ),
    (
        "04-03",
        "Державна реєстрація права власності на спадкове майно",
        "nerukhomist",
        ("vtrata", "kupivlia-zhytla"),
        REG,
        "5 робочих днів",
        ("tariff", None),
        2,
        False,
        "Витяг з Державного реєстру речових прав",
        (PASSPORT, ("Свідоцтво про право на спадщину", "original", True), PAYMENT),
    ),
    (
        "04-04",
        "Державна реєстрація іпотеки",
        "nerukhomist",
        ("kupivlia-zhytla",),
        REG,
        "2 робочі дні",
        ("tariff", None),
        1,
        False,
        "Відомості про обтяження в реєстрі",
        (PASSPORT, ("Іпотечний договір", "original", True)),
    ),
    (
        "04-05",
        "Інформація з Державного реєстру речових прав",
        "nerukhomist",
        ("kupivlia-zhytla",),
        REG,
        "у день звернення",
        ("tariff", None),
        1,
        True,
        "Інформаційна довідка з реєстру",
        (PASSPORT,),
    ),
    (
        "04-06",
        "Присвоєння адреси об'єкту нерухомого майна",
        "nerukhomist",
        (),
        EXEC,
        "до 5 робочих днів",
        ("free", None),
        1,
        False,
        "Рішення про присвоєння адреси",
        (PASSPORT, ("Документ на право власності або користування земельною ділянкою", "copy", True)),
    ),
    (
        "05-01",
        "Державна реєстрація фізичної особи — підприємця (ФОП)",
        "biznes",
        ("vlasna-sprava",),
        REG,
        "24 години",
        ("free", None),
        1,
        True,
        "Виписка з Єдиного державного реєстру",
        (PASSPORT, RNOKPP, APPLICATION),
    ),
    (
        "05-02",
        "Державна реєстрація припинення підприємницької діяльності ФОП",
        "biznes",
        ("vlasna-sprava",),
        REG,
        "24 години",
        ("free", None),
        1,
        True,
        "Виписка про припинення",
        (PASSPORT, APPLICATION),
    ),
    (
        "05-03",
        "Внесення змін до відомостей про ФОП",
        "biznes",
        ("vlasna-sprava",),
        REG,
        "24 години",
        ("free", None),
        1,
        True,
        "Виписка з Єдиного державного реєстру",
        (PASSPORT, APPLICATION),
    ),
    (
        "05-04",
        "Державна реєстрація юридичної особи",
        "biznes",
        ("vlasna-sprava",),
        REG,
        "24 години",
        ("free", None),
        2,
        False,
        "Виписка з Єдиного державного реєстру",
        (PASSPORT, ("Рішення засновників", "original", True), ("Установчий документ", "original", True)),
    ),
    (
        "05-05",
        "Витяг з Єдиного державного реєстру юридичних осіб, ФОП",
        "biznes",
        ("vlasna-sprava",),
        REG,
        "24 години",
        ("fixed", "151.00"),
        1,
        True,
        "Витяг з реєстру",
        (PASSPORT, PAYMENT),
    ),
    (
        "05-06",
        "Дозвіл на розміщення зовнішньої реклами",
        "biznes",
        ("vlasna-sprava",),
        EXEC,
        "до 15 робочих днів",
        ("free", None),
        1,
        False,
        "Дозвіл на розміщення зовнішньої реклами",
        (APPLICATION, ("Фотокартка місця з ескізом реклами", "original", True)),
    ),
    (
        "06-01",
        "Витяг з Державного земельного кадастру про земельну ділянку",
        "zemlia",
        ("kupivlia-zhytla",),
        GEO,
        "до 10 робочих днів",
        ("fixed", "151.00"),
        1,
        True,
        "Витяг з Державного земельного кадастру",
        (PASSPORT, PAYMENT),
    ),
    (
        "06-02",
        "Державна реєстрація земельної ділянки",
        "zemlia",
        (),
        GEO,
        "до 14 робочих днів",
        ("free", None),
        2,
        False,
        "Витяг про реєстрацію земельної ділянки",
        (PASSPORT, ("Технічна документація із землеустрою", "original", True)),
    ),
    (
        "06-03",
        "Надання дозволу на розроблення проєкту землеустрою",
        "zemlia",
        (),
        EXEC,
        "до місяця",
        ("free", None),
        1,
        False,
        "Рішення ради",
        (PASSPORT, ("Графічні матеріали з бажаним місцем ділянки", "original", True)),
    ),
    (
        "06-04",
        "Довідка про наявність земельної ділянки",
        "zemlia",
        (),
        GEO,
        "до 10 робочих днів",
        ("free", None),
        1,
        False,
        "Довідка з Державного земельного кадастру",
        (PASSPORT,),
    ),
    (
        "07-01",
        "Державна реєстрація народження дитини",
        "dovidky",
        ("narodzhennia",),
        DRACS,
        "у день звернення",
        ("free", None),
        2,
        True,
        "Свідоцтво про народження",
        (PASSPORT, ("Медичне свідоцтво про народження", "original", True)),
    ),
    (
        "07-02",
        "Державна реєстрація смерті",
        "dovidky",
        ("vtrata",),
        DRACS,
        "у день звернення",
        ("free", None),
        1,
        False,
        "Свідоцтво про смерть",
        (PASSPORT, ("Лікарське свідоцтво про смерть", "original", True)),
    ),
    (
        "07-03",
        "Державна реєстрація шлюбу",
        "dovidky",
        (),
        DRACS,
        "за місяць після заяви",
        ("fixed", "0.85"),
        2,
        False,
        "Свідоцтво про шлюб",
        (PASSPORT, PAYMENT),
    ),
    (
        "07-04",
        "Повторне свідоцтво про державну реєстрацію акту цивільного стану",
        "dovidky",
        (),
        DRACS,
        "у день звернення",
        ("fixed", "8.50"),
        1,
        False,
        "Повторне свідоцтво",
        (PASSPORT, PAYMENT),
    ),
    (
        "07-05",
        "Довідка про склад сім'ї",
        "dovidky",
        ("vpo",),
        EXEC,
        "у день звернення",
        ("free", None),
        1,
        False,
        "Довідка",
        (PASSPORT,),
    ),
    (
        "07-06",
        "Витяг з Державного реєстру актів цивільного стану",
        "dovidky",
        (),
        DRACS,
        "у день звернення",
        ("fixed", "25.50"),
        1,
        False,
        "Витяг",
        (PASSPORT, PAYMENT),
    ),
    (
        "07-07",
        "Обмін посвідчення водія",
        "dovidky",
        (),
        "Територіальний сервісний центр МВС (через ЦНАП)",
        "у день звернення",
        ("tariff", None),
        2,
        True,
        "Нове посвідчення водія",
        (PASSPORT, ("Чинне посвідчення водія", "original", True), ("Медична довідка", "original", True)),
    ),
    (
        "07-08",
        "Видача довідки про несудимість",
        "dovidky",
        (),
        "Міністерство внутрішніх справ (через ЦНАП)",
        "до 10 днів",
        ("free", None),
        1,
        True,
        "Витяг з інформаційно-аналітичної системи «Облік відомостей про притягнення до кримінальної відповідальності»",
        (PASSPORT, APPLICATION),
    ),
)

APPLICANTS = "Громадяни України, іноземці та особи без громадянства, які законно перебувають в Україні (за себе або як законні представники)."


def _okrugs(hromada) -> list:
    return sel.okrug_choices(hromada=hromada)[:2]


def seed(*, hromada, people: dict, start=None, **_):
    """The demo's events: the catalogue and offices set up at the start of the story, a
    training-day closure announced yesterday for two weeks from today (each on the
    demo's travelled clock, so the ledger stays in time order across modules)."""
    today = timezone.now().astimezone(KYIV).date()
    now = timezone.now()
    begin = (start or now - dt.timedelta(days=30)) + dt.timedelta(hours=3)
    return [
        (begin, lambda: _setup(hromada=hromada, people=people)),
        (now - dt.timedelta(days=1), lambda: _training_day(hromada=hromada, people=people, today=today)),
    ]


def _setup(*, hromada, people: dict) -> None:
    admin = people["admin"]
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        cat.category_save(hromada, admin, code=code, name=name, order=order)
    for order, (code, name) in enumerate(SITUATIONS, start=1):
        cat.situation_save(hromada, admin, code=code, name=name, order=order)
    services = {}
    for code, title, category, situations, provider, term, (
        fee_kind,
        amount,
    ), units, diia, result, docs in SERVICES:
        service = cat.service_create(
            hromada,
            admin,
            code=code,
            title=title,
            category=category,
            life_situations=situations,
            provider=provider,
            applicants=APPLICANTS,
            term=term,
            result=result,
            result_delivery="Особисто в ЦНАП, де подавали документи, або поштою за вашою заявою.",
            fee_kind=fee_kind,
            fee_amount=amount,
            fee_note=""
            if fee_kind == "free"
            else "Оплатити можна в ЦНАП карткою через термінал або в будь-якому банку за реквізитами.",
            in_person=True,
            booking_allowed=True,
            visit_units=units,
            diia_url=DIIA if diia else "",
            legal_basis="Закон України «Про адміністративні послуги»",
        )
        for title_, form, required in docs:
            cat.document_save(service, admin, title=title_, form=form, required=required)
        services[code] = cat.service_publish(service, admin)
    # A draft the administrator is still writing.
    cat.service_create(
        hromada, admin, code="08-01", title="Видача ордера на видалення зелених насаджень", provider=EXEC
    )

    def codes(*prefixes):
        return [s for c, s in services.items() if c.startswith(prefixes)]

    centre = off.office_save(
        hromada,
        admin,
        kind="centre",
        code="tsentr",
        name="Центр надання адміністративних послуг",
        address="вул. Соборна, 12",
        phone="+380 44 000 00 00",
        how_to_get="Вхід з вулиці без сходинок, пандус і кнопка виклику адміністратора біля дверей.",
    )
    evening = {"opens": T(8), "closes": T(20)}
    off.week_set(
        centre,
        admin,
        {
            0: {"opens": T(8), "closes": T(17)},
            1: {"opens": T(8), "closes": T(17)},
            2: evening,
            3: {"opens": T(8), "closes": T(17)},
            4: {"opens": T(8), "closes": T(16)},
            5: {"opens": T(8), "closes": T(15)},
            6: None,
        },
    )
    windows = (
        (1, "Реєстрація місця проживання", codes("01")),
        (2, "Паспортні послуги", codes("02")),
        (3, "Соціальний захист", codes("03")),
        (4, "Нерухомість і бізнес", codes("04", "05")),
        (5, "Земля, довідки, цивільний стан", codes("06", "07", "01-04", "01-05")),
    )
    for number, name, rows in windows:
        off.workplace_save(centre, admin, number=number, name=name, services=rows)

    okrugs = _okrugs(hromada)
    remote_services = codes("01", "03", "07-05")
    for i, (code, village) in enumerate((("viddalene-1", "с. Вербівка"), ("viddalene-2", "с. Калинівка"))):
        okrug = okrugs[i] if i < len(okrugs) else None
        name = f"Віддалене робоче місце — {okrug.name}" if okrug else f"Віддалене робоче місце, {village}"
        remote = off.office_save(
            hromada,
            admin,
            kind="remote",
            code=code,
            name=name,
            address=f"{village}, приміщення старостату",
            okrug=okrug,
            order=i + 1,
        )
        day = {"opens": T(8), "closes": T(17), "break_starts": T(12), "break_ends": T(13)}
        off.week_set(remote, admin, {d: dict(day) for d in range(5)})
        off.workplace_save(remote, admin, number=1, name="Адміністратор", services=remote_services)
    mobile = off.office_save(
        hromada,
        admin,
        kind="mobile",
        code="mobilnyi-keis",
        name="Мобільний кейс адміністратора",
        order=5,
        how_to_get="Виїзд до людей, які не можуть прийти самі: домовтеся телефоном центру.",
    )
    off.week_set(mobile, admin, {1: {"opens": T(9), "closes": T(15)}, 3: {"opens": T(9), "closes": T(15)}})
    off.workplace_save(mobile, admin, number=1, services=codes("01-01", "02-01", "03-01", "03-04"))


def _training_day(*, hromada, people: dict, today: dt.date) -> None:
    """A training day at the first remote workplace two weeks from today."""
    admin = people["admin"]
    remote_first = sel.office_get(hromada=hromada, code="viddalene-1")
    training = today + dt.timedelta(days=14)
    while training.weekday() >= 5:
        training += dt.timedelta(days=1)
    off.exception_add(
        remote_first, admin, starts_on=training, reason="Навчання адміністратора, звертайтеся до центру"
    )
