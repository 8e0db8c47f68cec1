"""The demo hromada's petitions: one in every state, with a believable history.
Called by the kernel's `demo_seed` for this module (module.py `demo`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hromada.core.search import fold
from hromada.ledger.services import ledger_seal
from hromada.tenancy.services import module_settings_update

from . import services
from .models import Category, Petition, Status

THRESHOLD = 25

CATEGORIES = [
    ("blagoustrii", "Благоустрій"),
    ("transport", "Транспорт і дороги"),
    ("osvita", "Освіта"),
    ("ekologiia", "Екологія"),
    ("kultura", "Культура і спорт"),
    ("bezpeka", "Безпека"),
    ("zhkh", "Житлово-комунальне господарство"),
]

PETITIONS = [
    # (category, title, text, state, signatures)
    (
        "transport",
        "Облаштувати пішохідний перехід біля ліцею №2 на вулиці Соборній",
        "Щодня понад 600 дітей переходять вулицю Соборну біля ліцею №2 без облаштованого переходу. "
        "Просимо облаштувати регульований пішохідний перехід з острівцем безпеки, освітленням і "
        "штучною нерівністю до початку наступного навчального року.",
        "answered",
        30,
    ),
    (
        "ekologiia",
        "Встановити контейнери для роздільного збору сміття в усіх старостинських округах",
        "Зараз контейнери для пластику і скла є лише в центрі громади. Мешканці сіл Вербівка, Лозове "
        "та Підгірне змушені викидати все разом. Просимо встановити щонайменше по три майданчики "
        "роздільного збору в кожному старостинському окрузі та укласти договір з переробником.",
        "answered",
        27,
    ),
    (
        "osvita",
        "Відкрити безкоштовний гурток робототехніки в Центрі дитячої творчості",
        "Діти громади не мають доступу до занять з робототехніки та програмування. Просимо відкрити "
        "безкоштовний гурток у Центрі дитячої творчості, закупити набори та оплатити роботу керівника "
        "з бюджету громади на 2027 рік.",
        "consideration",
        26,
    ),
    (
        "blagoustrii",
        "Відновити освітлення в парку імені Тараса Шевченка",
        "Після пошкодження мереж у парку не працює жоден ліхтар. Увечері парк стає небезпечним. "
        "Просимо відновити вуличне освітлення з енергоощадними світильниками та датчиками руху.",
        "collecting",
        18,
    ),
    (
        "transport",
        "Запустити вечірній автобусний рейс до села Лозове",
        "Останній автобус до Лозового відправляється о 17:10, тож працівники та студенти не можуть "
        "повернутися додому після роботи. Просимо додати рейс о 19:30 у будні дні.",
        "collecting",
        9,
    ),
    (
        "kultura",
        "Облаштувати скейт-майданчик для молоді біля стадіону",
        "Молодь громади катається на проїжджій частині. Просимо облаштувати скейт-майданчик на "
        "вільній ділянці біля стадіону «Колос» з безпечним покриттям і лавками.",
        "collecting",
        4,
    ),
    (
        "bezpeka",
        "Встановити укриття на зупинках громадського транспорту",
        "Під час повітряних тривог люди на зупинках не мають де сховатися. Просимо встановити "
        "модульні укриття на п'яти найбільш завантажених зупинках громади.",
        "collecting",
        1,
    ),
    (
        "zhkh",
        "Замінити водогін на вулиці Садовій",
        "На вулиці Садовій щомісяця стаються пориви водогону 1970-х років. Просимо включити заміну "
        "водогону до програми капітального ремонту на наступний рік.",
        "unsuccessful",
        6,
    ),
    (
        "blagoustrii",
        "Висадити алею каштанів на честь загиблих захисників",
        "Пропонуємо висадити алею каштанів уздовж вулиці Героїв з табличками на честь загиблих "
        "захисників громади, залучивши школярів і волонтерів.",
        "moderation",
        0,
    ),
    (
        "osvita",
        "Продовжити роботу шкільної бібліотеки до 18:00",
        "Учні старших класів не встигають користуватися бібліотекою після уроків. Просимо продовжити "
        "години роботи шкільної бібліотеки ліцею №1 до 18:00 у будні дні.",
        "moderation_overdue",
        0,
    ),
    (
        "kultura",
        "Звільнити директора будинку культури",
        "Вимагаю звільнити директора будинку культури, бо він мені не подобається.",
        "rejected",
        0,
    ),
]


def seed(*, hromada, people: dict) -> None:
    admin, moderator, officer = people["admin"], people["moderator"], people["officer"]
    residents = people["residents"]
    threshold = THRESHOLD
    module_settings_update(
        actor=admin,
        hromada=hromada,
        module="petitions",
        threshold=threshold,
        collection_days=60,
        moderation_days=2,
        consideration_days=10,
        min_age=16,
    )
    for slug, name in CATEGORIES:
        services.category_create(hromada=hromada, actor=admin, name=name, slug=slug)
    categories = {c.slug: c for c in Category.objects.filter(hromada=hromada)}
    authors = iter(residents[40:])
    for cat, title, text, state, signatures in PETITIONS:
        author = next(authors)
        petition = services.petition_submit(
            hromada=hromada, author=author, title=title, text=text, category=categories[cat]
        )
        if state in ("moderation", "moderation_overdue"):
            if state == "moderation_overdue":
                past = timezone.now() - dt.timedelta(days=6)
                Petition.objects.filter(pk=petition.pk).update(
                    submitted_at=past, moderation_due=timezone.localdate() - dt.timedelta(days=2)
                )
            continue
        if state == "rejected":
            services.petition_reject(
                petition=petition,
                moderator=moderator,
                reason="not_petition",
                comment="Кадрові питання вирішує міський голова; зверніться зі скаргою.",
            )
            continue
        services.petition_publish(petition=petition, moderator=moderator)
        petition.refresh_from_db()
        for signer in residents[: min(signatures, threshold - 1) if state == "collecting" else signatures]:
            services.petition_sign(petition=petition, user=signer)
        if state in ("consideration", "answered"):
            services.petition_reach_threshold(petition=petition)
            petition.refresh_from_db()
        if state == "answered":
            services.petition_answer(
                petition=petition,
                officer=officer,
                decision="supported" if "перехід" in title else "partially",
                text="Виконавчий комітет розглянув петицію та підтримує її. Відповідні видатки включено до "
                "програми на наступний рік; виконавець — управління ЖКГ, строк — до 1 вересня.",
            )
        if state == "unsuccessful":
            Petition.objects.filter(pk=petition.pk).update(
                collection_ends_at=timezone.now() - dt.timedelta(minutes=1)
            )
            petition.refresh_from_db()
            services.petition_close_unsuccessful(petition=petition)
    _backdate(hromada)
    for petition in Petition.objects.filter(hromada=hromada, status=Status.COLLECTING):
        Petition.objects.filter(pk=petition.pk).update(
            signature_count=petition.signatures.count(),
            search_text=fold(f"{petition.title} {petition.text}"),
        )
    ledger_seal(hromada=hromada)


# Days ago (submitted, published, threshold reached, answered) by petition number, so the
# demo shows a believable history: an overdue answer, petitions ending soon, and so on.
_HISTORY = {
    1: (75, 73, 40, 30),
    2: (70, 69, 35, 22),
    3: (40, 39, 16, None),
    4: (41, 40, None, None),
    5: (20, 19, None, None),
    6: (58, 57, None, None),
    7: (3, 2, None, None),
    8: (65, 62, None, None),
}


def _backdate(hromada) -> None:
    from hromada.core.calendar import deadline_for
    from hromada.petitions.models import Answer, Petition, Signature

    now = timezone.now()
    for number, (submitted, published, reached, answered) in _HISTORY.items():
        petition = Petition.objects.filter(hromada=hromada, number=number).first()
        if petition is None or petition.published_at is None:
            continue
        published_at = now - dt.timedelta(days=published, hours=3)
        changes = {
            "submitted_at": now - dt.timedelta(days=submitted, hours=5),
            "moderated_at": published_at,
            "published_at": published_at,
            "collection_ends_at": published_at + dt.timedelta(days=petition.collection_days),
        }
        if number == 8:  # ended short of the threshold yesterday
            changes["collection_ends_at"] = now - dt.timedelta(days=1)
            changes["closed_at"] = now - dt.timedelta(days=1)
        last = now
        if reached is not None:
            reached_at = now - dt.timedelta(days=reached)
            changes["threshold_reached_at"] = reached_at
            changes["consideration_due"] = deadline_for(
                start=reached_at, working_days=petition.consideration_days
            )
            last = reached_at
        if answered is not None:
            answered_at = now - dt.timedelta(days=answered)
            changes["closed_at"] = answered_at
            Answer.objects.filter(petition=petition).update(published_at=answered_at)
        Petition.objects.filter(pk=petition.pk).update(**changes)
        signatures = list(Signature.objects.filter(petition=petition).order_by("id"))
        span = (last - published_at).total_seconds()
        for i, signature in enumerate(signatures):
            moment = published_at + dt.timedelta(seconds=span * (i + 1) / (len(signatures) + 1))
            Signature.objects.filter(pk=signature.pk).update(created_at=moment)
