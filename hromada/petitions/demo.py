"""The demo hromada's petitions: one in every state, with a believable history.
Called by the kernel's `demo_seed` for this module (module.py `demo`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from hromada.core.clock import travel_to
from hromada.tenancy.services import module_settings_update

from . import services
from .models import Petition

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
        "Зараз контейнери для пластику і скла є лише в центрі громади. Мешканці сіл Вербівка, Косарі "
        "та Баландине змушені викидати все разом. Просимо встановити щонайменше по три майданчики "
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
        "Запустити вечірній автобусний рейс до села Лебедівка",
        "Останній автобус до Лебедівки відправляється о 17:10, тож працівники та студенти не можуть "
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


# Days ago (submitted, published, threshold reached, answered), in the order of PETITIONS,
# so the demo shows a believable history: an overdue answer, petitions ending soon, one
# that ended short of its threshold, one whose moderation is overdue.
HISTORY = [
    (75, 73, 40, 30),
    (70, 69, 35, 22),
    (40, 39, 16, None),
    (41, 40, None, None),
    (20, 19, None, None),
    (58, 57, None, None),
    (3, 2, None, None),
    (65, 62, None, None),
    (0, None, None, None),  # waits for moderation
    (6, None, None, None),  # moderation overdue
    (4, 3, None, None),  # rejected three days ago
]

ANSWER_TEXT = (
    "Виконавчий комітет розглянув петицію та підтримує її. Відповідні видатки включено до "
    "програми на наступний рік; виконавець — управління ЖКГ, строк — до 1 вересня."
)


def seed(*, hromada, people: dict, start: dt.datetime) -> list[tuple[dt.datetime, Callable[[], None]]]:
    """The petitions' history as events through the services, each (moment, action):
    demo_seed runs them with every module's in time order, on a clock set to each
    event's moment (core.clock.travel_to), so the ledger, the notifications and the
    pages agree, and nothing is back-dated afterwards."""
    admin, moderator, officer = people["admin"], people["moderator"], people["officer"]
    residents = people["residents"]
    now = timezone.now()
    with travel_to(start):
        module_settings_update(
            actor=admin,
            hromada=hromada,
            module="petitions",
            threshold=THRESHOLD,
            collection_days=60,
            moderation_days=2,
            consideration_days=10,
            min_age=16,
        )
        categories = {
            slug: services.category_create(hromada=hromada, actor=admin, name=name, slug=slug)
            for slug, name in CATEGORIES
        }
        _route_categories(hromada=hromada, admin=admin, officer=officer, categories=categories)

    events: list[tuple[dt.datetime, Callable[[], None]]] = []
    authors = iter(residents[40:])
    for (cat, title, text, state, signatures), history in zip(PETITIONS, HISTORY, strict=True):
        events += _timeline(
            hromada=hromada,
            now=now,
            history=history,
            state=state,
            submit=dict(author=next(authors), title=title, text=text, category=categories[cat]),
            signers=residents[
                : min(signatures, THRESHOLD - 1) if state in ("collecting", "unsuccessful") else signatures
            ],
            moderator=moderator,
            officer=officer,
            approver=admin,
            decision="supported" if "перехід" in title else "partially",
        )
    events += _authoring_events(now=now, hromada=hromada, people=people, categories=categories)

    def today() -> None:
        staff_casework_demo(hromada=hromada, people=people)
        services.petitions_tick()  # what the worker does now: counts, overdue flags
        _photos_and_followers(hromada=hromada, residents=residents)

    # demo_seed runs these with the other modules' events, in time order (module.py `demo`).
    return [*events, (now, today)]


def _timeline(*, hromada, now, history, state, submit, signers, moderator, officer, approver, decision):
    """The events of one petition, each (moment, action); the petition is looked up by
    the earlier events' result, as it does not exist until submitted."""
    submitted, published, reached, answered = history
    day = dt.timedelta(days=1)
    held: dict = {}

    def fresh():
        return Petition.objects.get(pk=held["petition"].pk)

    def do_submit():
        held["petition"] = services.petition_submit(hromada=hromada, **submit)

    at_submit = now - submitted * day - dt.timedelta(hours=5) if submitted else now - dt.timedelta(hours=1)
    events = [(at_submit, do_submit)]
    if state in ("moderation", "moderation_overdue"):
        return events
    at_moderation = now - published * day - dt.timedelta(hours=3)
    if state == "rejected":
        events.append(
            (
                at_moderation,
                lambda: services.petition_reject(
                    petition=fresh(),
                    moderator=moderator,
                    reason="not_petition",
                    comment="Кадрові питання вирішує міський голова; зверніться зі скаргою.",
                ),
            )
        )
        return events
    events.append((at_moderation, lambda: services.petition_publish(petition=fresh(), moderator=moderator)))
    # Signatures spread evenly from publication to the threshold (or to an hour ago).
    last = now - reached * day if reached is not None else now - dt.timedelta(hours=1)
    if state == "unsuccessful":
        last = at_moderation + 50 * day
    span = last - at_moderation
    for i, signer in enumerate(signers):
        moment = at_moderation + span * (i + 1) / (len(signers) + 1)

        def sign(signer=signer):  # a def, not a lambda: mypy cannot type a lambda's default
            return services.petition_sign(petition=fresh(), user=signer)

        events.append((moment, sign))
    if reached is not None:
        events.append((now - reached * day, lambda: services.petition_reach_threshold(petition=fresh())))
    if answered is not None:

        def answer():  # the officer drafts, the head approves: only approved answers publish
            draft = services.answer_draft_save(
                petition=fresh(), officer=officer, decision=decision, text=ANSWER_TEXT, submit=True
            )
            services.answer_draft_approve(draft=draft, reviewer=approver)

        events.append((now - answered * day, answer))
    if state == "unsuccessful":
        # The day after its collection period ended, the worker closed it.
        events.append(
            (at_moderation + 61 * day, lambda: services.petition_close_unsuccessful(petition=fresh()))
        )
    return events


def _route_categories(*, hromada, admin, officer, categories) -> None:
    """Every category falls to the demo officer's department, except culture and safety,
    which go to the first other department (so the queues' department filter has a choice)."""
    from hromada.accounts.models import Department, StaffRole

    role = StaffRole.objects.filter(hromada=hromada, user=officer, department__isnull=False).first()
    if role is None or role.department is None:
        return
    StaffRole.objects.filter(pk=role.pk).update(position="головний спеціаліст")
    other = Department.objects.filter(hromada=hromada).exclude(pk=role.department.pk).order_by("name").first()
    for slug, category in categories.items():
        department = other if other is not None and slug in ("kultura", "bezpeka") else role.department
        services.category_department_set(actor=admin, category=category, department=department)


def staff_casework_demo(*, hromada, people: dict) -> None:
    """The clerk's side of the demo: assignments, internal notes, an answer awaiting
    approval, a corrected answer and follow-up steps (one of them overdue)."""
    from .models import Status

    admin, officer = people["admin"], people["officer"]
    considered = Petition.objects.filter(hromada=hromada, status=Status.CONSIDERATION).order_by("number")
    if considered:
        services.petition_assign(petitions=list(considered), actor=admin, officer=officer)
    for petition in considered:
        services.staff_note_add(
            petition=petition,
            author=officer,
            text="Запитано кошторис у відділу освіти; відповідь обіцяли до п'ятниці.",
        )
        services.answer_draft_save(
            petition=petition,
            officer=officer,
            decision="partially",
            text="Виконавчий комітет частково підтримує петицію: роботи буде включено до програми "
            "наступного року в межах наявного фінансування.",
            submit=True,
        )
    waiting = Petition.objects.filter(hromada=hromada, status=Status.MODERATION).order_by("number").first()
    if waiting is not None:
        services.staff_note_add(
            petition=waiting,
            author=people["moderator"],
            text="Схожа петиція вже була торік — перевірити, чи це не дубль.",
        )
    # The first answered petition gets a correction and its implementation steps.
    for petition in Petition.objects.filter(hromada=hromada, status=Status.ANSWERED).order_by("number")[:1]:
        answer = petition.answer
        services.answer_correct(
            answer=answer,
            actor=admin,
            text=answer.text.replace("до 1 вересня", "до 1 жовтня"),
            reason="Уточнено строк виконання відповідно до рішення сесії.",
        )
        answered_on = timezone.localdate(answer.published_at)
        services.followup_step_add(
            petition=petition,
            actor=officer,
            title="Підготувати проєктно-кошторисну документацію",
            due_date=answered_on + dt.timedelta(days=10),  # already past: shown as overdue
        )
        done = services.followup_step_add(
            petition=petition,
            actor=officer,
            title="Включити видатки до програми на наступний рік",
            due_date=answered_on + dt.timedelta(days=5),
        )
        services.followup_step_add(
            petition=petition,
            actor=officer,
            title="Виконати роботи",
            due_date=timezone.localdate() + dt.timedelta(days=200),
        )
        services.followup_publish(
            petition=petition,
            actor=officer,
            text="Видатки включено до програми на наступний рік рішенням сесії.",
            step=done,
            done=True,
        )


def _photos_and_followers(*, hromada, residents) -> None:
    """A photo on the park petition (drawn here: the repository ships no pictures) and a
    few residents following petitions without signing them."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from .models import Attachment

    park = Petition.objects.filter(hromada=hromada, title__contains="парку").first()
    if park is not None:
        image = Image.new("RGB", (1600, 1066), (22, 34, 58))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 760, 1600, 1066), fill=(34, 58, 40))  # the lawn
        for x in range(120, 1600, 300):  # dark lamp posts along the alley
            draw.rectangle((x, 380, x + 16, 800), fill=(70, 74, 80))
            draw.ellipse((x - 22, 350, x + 38, 400), fill=(52, 55, 60))
        draw.ellipse((1320, 90, 1420, 190), fill=(220, 220, 200))  # the moon, the only light
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        attachment = Attachment(
            hromada=hromada,
            petition=park,
            original_name="park-uvecheri.jpg",
            content_type="image/jpeg",
            size=len(out.getvalue()),
        )
        if hasattr(attachment, "alt_text"):  # the author's description, where the model has it
            attachment.alt_text = "Алея парку ввечері: ліхтарі не світять, темно"
        attachment.file.save("demo-park.jpg", ContentFile(out.getvalue()), save=False)
        attachment.save()
    followers = residents[30:36]
    for petition in Petition.objects.filter(hromada=hromada, status__in=["collecting", "consideration"]):
        for person in followers:
            services.petition_follow(petition=petition, user=person)


# --- authoring: a draft, a withdrawn petition, a petition with co-authors ------------------

COAUTHORED = (
    "transport",
    "Облаштувати велодоріжку від залізничного вокзалу до центру громади",
    "Від вокзалу до центру немає безпечного шляху для велосипедистів: люди їдуть проїжджою "
    "частиною разом з вантажівками. Просимо облаштувати відокремлену велодоріжку вздовж "
    "вулиці Вокзальної та встановити велопарковки біля вокзалу і ЦНАП.",
)
WITHDRAWN = (
    "blagoustrii",
    "Встановити лавки в сквері біля ринку",
    "У сквері біля ринку немає жодної лавки, і літні люди не мають де відпочити. Просимо "
    "встановити шість лавок з урнами вздовж центральної алеї.",
)
DRAFT = (
    "ekologiia",
    "Висадити дерева вздовж вулиці Промислової",
    "Вулиця Промислова влітку розпечена, тіні немає. Чернетка: додати розрахунок кількості дерев.",
)


def _authoring_events(*, now, hromada, people, categories):
    """Resident 1's own petitions (log in as resident1@… to see them in «Мої петиції»):
    a petition written with two co-authors (one invited by e-mail, one by a link) and now
    collecting signatures, one withdrawn from moderation, and a draft."""
    residents, moderator = people["residents"], people["moderator"]
    author, by_email, by_link = residents[0], residents[1], residents[2]
    day = dt.timedelta(days=1)
    held: dict = {}

    def fresh(key):
        return Petition.objects.get(pk=held[key].pk)

    def write_coauthored():
        cat, title, text = COAUTHORED
        held["co"] = services.petition_draft_create(
            hromada=hromada, author=author, title=title, text=text, category=categories[cat]
        )
        held["email"] = services.coauthor_invite(petition=held["co"], actor=author, email=by_email.email)
        held["link"] = services.coauthor_invite(petition=held["co"], actor=author)

    def accept_coauthors():
        services.coauthor_accept(invitation=held["email"], user=by_email)
        services.coauthor_accept(invitation=held["link"], user=by_link)

    def write_withdrawn():
        cat, title, text = WITHDRAWN
        held["wd"] = services.petition_submit(
            hromada=hromada, author=author, title=title, text=text, category=categories[cat]
        )

    def write_draft():
        cat, title, text = DRAFT
        services.petition_draft_create(
            hromada=hromada, author=author, title=title, text=text, category=categories[cat]
        )

    at = now - 12 * day
    return [
        (at, write_coauthored),
        (at + 0.5 * day, accept_coauthors),
        (at + 1 * day, lambda: services.petition_draft_submit(petition=fresh("co"), author=author)),
        (at + 2 * day, lambda: services.petition_publish(petition=fresh("co"), moderator=moderator)),
        *[
            (
                at + (3 + i) * day,
                lambda signer=signer: services.petition_sign(petition=fresh("co"), user=signer),
            )
            for i, signer in enumerate(residents[3:10])
        ],
        (now - 5 * day, write_withdrawn),
        (now - 4 * day, lambda: services.petition_withdraw(petition=fresh("wd"), author=author)),
        (now - 2 * day, write_draft),
    ]
