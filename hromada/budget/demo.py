"""The demo's participatory budget (module.py `demo`): a finished cycle "Бюджет участі
2026" from ideas to implementation, and "Бюджет участі 2027" in its voting phase, so a
newcomer can vote and staff find work in each console.

Everything goes through the services, event by event in time order, on a clock set to
each event's moment (core.clock.travel_to), as petitions' demo does: the ledger stays in
time order and agrees with the pages, and ballots go through the real cast paths
(online, paper, school codes), so the demo's tally verifies from /ledger/export.json.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

CHECKLIST_OK = {
    "competence": True,
    "land": True,
    "feasible": True,
    "cost_realistic": True,
    "no_duplicate": True,
    "public_access": True,
    "no_maintenance_burden": True,
}

# (category slug, title, summary, lines [(item, quantity, unit, unit price)], reviewed cost or None,
#  decision, reasons)
PROJECTS_2026: list[tuple[str, str, str, list[tuple[str, int, str, int]], int | None, str, str]] = [
    (
        "general",
        "Сучасний дитячий майданчик у парку Шевченка",
        "Безпечний майданчик з гумовим покриттям для дітей 3–12 років.",
        [
            ("Ігровий комплекс", 1, "шт.", 380_000),
            ("Гумове покриття", 250, "м²", 1_200),
            ("Лавки", 6, "шт.", 7_500),
        ],
        None,
        "admitted",
        "Проєкт відповідає всім умовам: ділянка комунальна, кошторис реалістичний.",
    ),
    (
        "general",
        "Велодоріжка вздовж вулиці Соборної",
        "Двостороння велодоріжка 1,2 км з розміткою та освітленням.",
        [("Облаштування доріжки", 1_200, "м", 650), ("Світильники", 20, "шт.", 9_000)],
        820_000,
        "admitted",
        "Кошторис уточнено: розмітка дешевша за ринковими цінами.",
    ),
    (
        "general",
        "Укриття на зупинках громадського транспорту",
        "Модульні укриття на трьох найзавантаженіших зупинках.",
        [("Модульне укриття", 3, "шт.", 210_000)],
        None,
        "admitted",
        "Допущено: зупинки на комунальній землі, погоджено з ДСНС.",
    ),
    (
        "general",
        "Фонтан на центральній площі",
        "Світломузичний фонтан.",
        [("Фонтан", 1, "шт.", 950_000)],
        None,
        "rejected",
        "Утримання фонтану перевищує 20 % його вартості на рік, що суперечить положенню.",
    ),
    (
        "general",
        "Інклюзивна спортивна зала в ЦНАП",
        "Тренажери для людей з інвалідністю та ветеранів.",
        [("Тренажери", 8, "шт.", 45_000), ("Ремонт приміщення", 1, "посл.", 120_000)],
        None,
        "admitted",
        "Допущено: приміщення комунальне, проєкт загальнодоступний.",
    ),
    (
        "okrug",
        "Ремонт сільського клубу",
        "Нові вікна і опалення в клубі старостинського округу.",
        [("Вікна", 12, "шт.", 9_500), ("Котел", 1, "шт.", 85_000)],
        None,
        "admitted",
        "Допущено: клуб у комунальній власності громади.",
    ),
    (
        "okrug",
        "Освітлення дороги до школи",
        "Вуличні ліхтарі на сонячних батареях уздовж шляху до школи.",
        [("Ліхтар на сонячній батареї", 14, "шт.", 11_000)],
        None,
        "admitted",
        "Допущено.",
    ),
    (
        "okrug",
        "Зупинка громадського транспорту з навісом",
        "Сучасна зупинка з навісом і лавкою.",
        [("Зупинка з навісом", 1, "шт.", 95_000)],
        None,
        "admitted",
        "Допущено.",
    ),
    (
        "okrug",
        "Майданчик для воркауту",
        "Турніки й бруси біля стадіону.",
        [("Комплекс для воркауту", 1, "шт.", 140_000)],
        None,
        "admitted",
        "Допущено.",
    ),
    (
        "school",
        "Шкільна медіатека",
        "Комп'ютери й 3D-принтер у бібліотеці ліцею.",
        [("Ноутбук", 6, "шт.", 18_000), ("3D-принтер", 1, "шт.", 22_000)],
        None,
        "admitted",
        "Допущено.",
    ),
    (
        "school",
        "Зона відпочинку на шкільному подвір'ї",
        "Лавки, столи й навіс для перерв на свіжому повітрі.",
        [("Навіс", 1, "шт.", 60_000), ("Столи з лавками", 4, "шт.", 8_000)],
        None,
        "admitted",
        "Допущено.",
    ),
    (
        "school",
        "Шкільна радіорубка",
        "Обладнання для шкільного радіо.",
        [("Мікшерний пульт і мікрофони", 1, "компл.", 48_000)],
        None,
        "admitted",
        "Допущено.",
    ),
]

PROJECTS_2027: list[tuple[str, str, str, list[tuple[str, int, str, int]]]] = [
    (
        "general",
        "Сквер з деревами біля ліцею №2",
        "Сорок дерев, доріжки й лавки на пустирі.",
        [("Саджанці", 40, "шт.", 2_500), ("Доріжки", 300, "м²", 900), ("Лавки", 8, "шт.", 7_000)],
    ),
    (
        "general",
        "Пандуси до амбулаторії та пошти",
        "Безбар'єрний доступ до двох будівель.",
        [("Пандус", 2, "шт.", 85_000)],
    ),
    (
        "general",
        "Громадська вбиральня в парку",
        "Модульна вбиральня з доступом для людей на кріслах колісних.",
        [("Модуль", 1, "шт.", 310_000)],
    ),
    (
        "general",
        "Вуличні тренажери на набережній",
        "Вісім тренажерів для дорослих.",
        [("Тренажер", 8, "шт.", 26_000)],
    ),
    (
        "youth",
        "Скейт-майданчик біля стадіону «Колос»",
        "Рампи і безпечне покриття для молоді.",
        [("Рампи", 4, "шт.", 45_000), ("Покриття", 200, "м²", 700)],
    ),
    (
        "youth",
        "Молодіжний простір у будинку культури",
        "Меблі, проєктор і настільні ігри.",
        [("Меблі", 1, "компл.", 90_000), ("Проєктор", 1, "шт.", 30_000)],
    ),
]


def seed(*, hromada, people: dict, start: dt.datetime) -> list[tuple[dt.datetime, Callable[[], Any]]]:
    """Build both cycles; `start` is when the hromada joined (about 90 days ago)."""

    now = timezone.now()
    rng = random.Random(2026)
    story = _Story(hromada=hromada, people=people, rng=rng)
    events: list[tuple[dt.datetime, Callable[[], Any]]] = []
    events += story.finished_cycle(start=start + 2 * HOUR, now=now)
    events += story.current_cycle(start=start + 50 * DAY, now=now)
    # demo_seed runs these with the other modules' events, in time order (module.py `demo`).
    return events


class _Story:
    def __init__(self, *, hromada, people: dict, rng: random.Random) -> None:
        self.hromada = hromada
        self.admin = people["admin"]
        self.officer = people["officer"]
        self.moderator = people["moderator"]
        self.residents = list(people["residents"])
        self.rng = rng
        self.held: dict[Any, Any] = {}
        self._serial = 1000

    # --- helpers --------------------------------------------------------------------------------

    def _okrug(self):
        from hromada.places.selectors import area_list

        return area_list(hromada=self.hromada, kind="okrug").order_by("name").first()

    def _location(self, address: str) -> dict:
        """A project's place: the address and its building's point on the map."""
        from hromada.places.selectors import where

        place = where(hromada=self.hromada, address=address)
        building = place.building
        if building is None or building.lat is None:
            return {"address": address}
        return {"address": address, "lat": building.lat, "lon": building.lon}

    def _address_book(self) -> tuple[list[str], list[str]]:
        """(town addresses, the okrug's village addresses), read once the places demo has
        loaded its buildings (the budget's events run after it)."""
        if "addresses" not in self.held:
            okrug = self._okrug()
            town = self._addresses(n=200)
            self.held["addresses"] = (town, self._addresses(okrug=okrug, n=100) if okrug else [])
        return self.held["addresses"]

    def _addresses(self, okrug=None, n: int = 60) -> list[str]:
        """Real addresses of the demo's buildings (inside the okrug's villages when given)."""
        from hromada.places.models import Building
        from hromada.places.selectors import building_label

        rows = Building.objects.filter(hromada=self.hromada).select_related("street__settlement")
        if okrug is not None:
            rows = rows.filter(street__settlement__okrug=okrug)
        labels = []
        for b in rows.order_by("id")[:n]:
            settlement = b.street.settlement
            label = building_label(b)
            labels.append(label if settlement.is_centre else f"{settlement.name}, {label}")
        return labels

    def _tax_number(self) -> tuple[str, dt.date]:
        from hromada.accounts.identity import taxnumber

        self._serial += 1
        born = dt.date(self.rng.randint(1945, 2006), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return taxnumber.make(born, self._serial), born

    def _cost_lines(self, lines):
        from .services.projects import CostLineData

        return [CostLineData(item=i, quantity=q, unit=u, unit_price=p) for i, q, u, p in lines]

    def _categories(self, key: str) -> dict[str, Any]:
        from .models import Category

        cycle = self.held[key]
        return {c.slug: c for c in Category.objects.filter(cycle=cycle)}

    def _projects(self, key: str) -> list:
        from .models import Project

        return list(
            Project.objects.filter(cycle=self.held[key]).select_related("category").order_by("number")
        )

    # --- the finished cycle ---------------------------------------------------------------------

    def finished_cycle(self, *, start: dt.datetime, now: dt.datetime) -> list[tuple[dt.datetime, Callable]]:
        from .services.cycles import CategorySpec, Regulation, cycle_create

        dates = {
            "ideas": (start, start + 12 * DAY),
            "review": (start + 12 * DAY, start + 24 * DAY),
            "ballot": (start + 24 * DAY, start + 26 * DAY),
            "voting": (start + 26 * DAY, start + 40 * DAY),
            "results": (start + 40 * DAY, start + 43 * DAY),
            "implementation": (start + 43 * DAY, now + 300 * DAY),
        }
        events: list[tuple[dt.datetime, Callable]] = []

        def create():
            # Read when the event runs: the okrug exists once the places demo has loaded.
            okrug = self._okrug()
            categories = [
                CategorySpec(
                    title="Загальноміські проєкти",
                    slug="general",
                    kind="general",
                    pot=1_500_000,
                    min_cost=50_000,
                    max_cost=1_000_000,
                    rule="knapsack",
                    tie_rule="lower_cost",
                ),
                CategorySpec(
                    title=f"Проєкти округу: {okrug.name}" if okrug else "Проєкти старостинського округу",
                    slug="okrug",
                    kind="area" if okrug else "general",
                    area=okrug,
                    pot=300_000,
                    min_cost=20_000,
                    max_cost=200_000,
                    rule="approval",
                    max_choices=2,
                    tie_rule="earlier_submitted",
                ),
                CategorySpec(
                    title="Шкільний бюджет ліцею №1",
                    slug="school",
                    kind="school",
                    school="Кам'янський ліцей №1",
                    pot=150_000,
                    min_cost=10_000,
                    max_cost=140_000,
                    rule="approval",
                    max_choices=1,
                    tie_rule="lot",
                ),
            ]
            self.held["2026"] = cycle_create(
                hromada=self.hromada,
                actor=self.admin,
                title="Бюджет участі 2026",
                slug="2026",
                description="Перший цикл бюджету участі громади: загальноміські проєкти, проєкти "
                "старостинського округу і шкільний бюджет.",
                phase_dates=dates,
                categories=categories,
                regulation=Regulation(min_age=14),
            )

        events.append((start - HOUR, create))
        authors = self.residents[:12]
        for n, (spec, author) in enumerate(zip(PROJECTS_2026, authors, strict=True)):
            events += self._project_events(
                key="2026",
                spec=spec,
                author=author,
                submitted=start + (1 + n * 0.8) * DAY,
                reviewed=start + (13 + n * 0.5) * DAY,
            )
        events.append((dates["ballot"][0] + HOUR, lambda: self._ballot_publish("2026")))
        events += self._voting_events(
            "2026", dates["voting"][0], dates["voting"][1], online=45, paper=120, school=90
        )
        events.append((dates["results"][0] + HOUR, lambda: self._results("2026")))
        events += self._implementation_events(dates["implementation"][0], now)
        return events

    def _project_events(self, *, key, spec, author, submitted, reviewed):
        from .services import projects as project_services
        from .services import review as review_services

        slug, title, summary, lines, reviewed_cost, decision, reasons = spec

        def submit():
            from .services.residency import residency_declare

            cats = self._categories(key)
            # Authors live in the hromada (the regulation's residence), the okrug pot's in the okrug.
            town, villages = self._address_book()
            homes = villages if slug == "okrug" and villages else town
            residency_declare(cycle=self.held[key], user=author, address=homes[author.pk % len(homes)])
            project = project_services.project_create(
                cycle=self.held[key],
                author=author,
                category=cats[slug],
                title=title,
                summary=summary,
                description=summary + " Проєкт підготували мешканці разом з активом громади.",
                problem="Зараз цього в громаді немає, і мешканці про це просять.",
                beneficiaries="Мешканці громади, діти, люди старшого віку.",
                cost_lines=self._cost_lines(lines),
                **self._location(homes[(author.pk * 7 + len(title)) % len(homes)]),
            )
            self.held[("project", key, title)] = project_services.project_submit(
                project=project, actor=author
            )

        def review():
            from hromada.accounts.models import StaffRole

            project = self.held[("project", key, title)]
            project.refresh_from_db()
            # The officer's own department reviews (only its staff may).
            department = StaffRole.objects.get(hromada=self.hromada, user=self.officer).department
            review_services.review_assign(project=project, actor=self.admin, department=department)
            review_services.review_save(
                project=project,
                actor=self.officer,
                checklist=CHECKLIST_OK
                if decision == "admitted"
                else {**CHECKLIST_OK, "no_maintenance_burden": False},
                reviewed_cost=reviewed_cost,
            )
            project.refresh_from_db()
            review_services.review_decide(
                project=project,
                actor=self.officer,
                decision=decision,
                reasons=reasons,
                revision=project.revision,
            )

        return [(submitted, submit), (reviewed, review)]

    def _ballot_publish(self, key: str) -> None:
        from .services import results

        results.ballot_publish(cycle=self.held[key])

    def _voting_events(self, key, opens, closes, *, online: int, paper: int, school: int):
        """Ballots spread over the voting phase (until an hour ago for a running one)."""
        from .services import notices, voting
        from .services.residency import residency_declare

        events: list[tuple[dt.datetime, Callable]] = []
        events.append((opens + HOUR, lambda: notices.voting_open(cycle=self.held[key])))
        closes = min(closes, timezone.now() - HOUR)
        span = closes - opens - 2 * HOUR
        voters = self.residents[:online]
        people_events: list[Callable] = []
        for n, user in enumerate(voters):

            def vote_online(user=user, n=n):
                from .rules import participant_refusal

                town, villages = self._address_book()
                in_okrug = bool(villages) and n % 4 == 0
                address = villages[n % len(villages)] if in_okrug else town[n % len(town)]
                cycle = self.held[key]
                residency_declare(cycle=cycle, user=user, address=address)
                for category in self._categories(key).values():
                    if (
                        category.kind == "school"
                        or participant_refusal(user, cycle, category=category)[0] is not None
                    ):
                        continue
                    choices = self._choose(key, category)
                    if choices:
                        voting.ballot_cast(category=category, user=user, choices=choices)

            people_events.append(vote_online)
        for n in range(paper):
            tax_number, born = self._tax_number()

            def vote_paper(n=n, tax_number=tax_number, born=born):
                from .rules import age_on

                town, villages = self._address_book()
                in_okrug = bool(villages) and n % 3 == 0
                address = villages[n % len(villages)] if in_okrug else town[(n * 7) % len(town)]
                for category in self._categories(key).values():
                    if category.kind == "school" or (category.kind == "area" and not in_okrug):
                        continue
                    if category.max_age and age_on(born, timezone.localdate()) > category.max_age:
                        continue
                    choices = self._choose(key, category)
                    if choices:
                        voting.paper_ballot_enter(
                            category=category,
                            actor=self.officer if n % 2 else self.moderator,
                            tax_number=tax_number,
                            choices=choices,
                            channel="paper" if n % 5 else "assisted",
                            address=address,
                        )

            people_events.append(vote_paper)
        school_codes: list[str] = []

        def print_codes():
            from .services.school_codes import codes_issue

            for category in self._categories(key).values():
                if category.kind == "school" and school:
                    _batch, codes = codes_issue(
                        category=category, actor=self.officer, size=school + 10, label="5–11 класи"
                    )
                    school_codes.extend(codes)

        events.append((opens + 2 * HOUR, print_codes))
        for n in range(school):

            def vote_school(n=n):
                from .services.school_codes import school_ballot_cast

                for category in self._categories(key).values():
                    if category.kind == "school" and n < len(school_codes):
                        school_ballot_cast(
                            category=category, code=school_codes[n], choices=self._choose(key, category)
                        )

            people_events.append(vote_school)
        self.rng.shuffle(people_events)
        for n, event in enumerate(people_events):
            events.append((opens + 3 * HOUR + span * (n + 1) / (len(people_events) + 2), event))
        return events

    def _choose(self, key: str, category) -> list[str]:
        """A believable valid ballot: favourites more often, within the category's rule."""
        from . import tally

        mine = [p for p in self._projects(key) if p.category_id == category.pk and p.status == "admitted"]
        if not mine:
            return []
        weights = [len(mine) - i + 2 for i in range(len(mine))]
        tallied = category.as_tally()
        by_id = {str(p.public_id): p.as_tally() for p in mine}
        for _ in range(30):
            k = self.rng.randint(1, min(len(mine), category.max_choices or 3))
            picked: list[str] = []
            while len(picked) < k:
                choice = str(self.rng.choices(mine, weights=weights)[0].public_id)
                if choice not in picked:
                    picked.append(choice)
            try:
                tally.check_ballot(tallied, by_id, picked)
            except tally.BallotInvalid:
                continue
            return picked
        return [str(mine[0].public_id)] if category.rule == "approval" else []

    def _results(self, key: str) -> None:
        from .services import results

        results.results_publish(cycle=self.held[key], actor=self.admin)

    def _implementation_events(self, begins: dt.datetime, now: dt.datetime):
        from .models import Outcome, Project
        from .services import implementation

        def report(step: int):
            winners = list(
                Project.objects.filter(
                    cycle=self.held["2026"],
                    outcome__in=[Outcome.WINNER, Outcome.IMPLEMENTING, Outcome.DELAYED],
                ).order_by("number")
            )
            for n, project in enumerate(winners):
                if step == 0:
                    # The programme that funds it: the open budget explorer links its line here.
                    implementation.project_funding_set(
                        project=project,
                        actor=self.officer,
                        kpkvk="0611021" if project.category.kind == "school" else "1216030",
                    )
                    implementation.stage_add(
                        project=project,
                        actor=self.officer,
                        title="Закупівля через Prozorro",
                        planned_end=(begins + 20 * DAY).date(),
                    )
                    implementation.stage_add(
                        project=project,
                        actor=self.officer,
                        title="Виконання робіт",
                        planned_end=(begins + 60 * DAY).date(),
                    )
                    implementation.implementation_update(
                        project=project,
                        actor=self.officer,
                        text="Оголошено закупівлю; тендерну документацію оприлюднено в Prozorro.",
                        progress=15,
                        tender_id=f"UA-{begins:%Y-%m-%d}-{100_000 + n:06d}-a",
                    )
                elif n % 3 == 2:
                    implementation.implementation_update(
                        project=project,
                        actor=self.officer,
                        text="Постачальник затримує обладнання.",
                        progress=40,
                        spent=int(project.voted_cost * 0.3),
                        delay_reason="Переможець закупівлі не поставив обладнання вчасно; застосовано штраф.",
                    )
                else:
                    stages = list(project.stages.order_by("order", "id"))
                    finished = not n % 2
                    for stage in stages if finished else stages[:1]:
                        implementation.stage_done(
                            stage=stage, actor=self.officer, done_on=timezone.localdate()
                        )
                    implementation.implementation_update(
                        project=project,
                        actor=self.officer,
                        text="Роботи завершено, об'єкт відкрито для мешканців."
                        if finished
                        else "Закупівлю завершено, договір підписано; роботи тривають за графіком.",
                        progress=100 if finished else 70,
                        spent=int(project.voted_cost * (0.97 if finished else 0.7)),
                        stage=stages[-1] if finished and stages else (stages[1] if len(stages) > 1 else None),
                    )

        return [(begins + 2 * DAY, lambda: report(0)), (min(begins + 30 * DAY, now - DAY), lambda: report(1))]

    # --- the cycle in its voting phase -----------------------------------------------------------

    def current_cycle(self, *, start: dt.datetime, now: dt.datetime) -> list[tuple[dt.datetime, Callable]]:
        from .services.cycles import CategorySpec, Regulation, cycle_create

        dates = {
            "ideas": (start, start + 10 * DAY),
            "review": (start + 10 * DAY, start + 20 * DAY),
            "ballot": (start + 20 * DAY, start + 23 * DAY),
            "voting": (start + 23 * DAY, now + 12 * DAY),
            "results": (now + 12 * DAY, now + 15 * DAY),
            "implementation": (now + 15 * DAY, now + 380 * DAY),
        }
        categories = [
            CategorySpec(
                title="Загальноміські проєкти",
                slug="general",
                kind="general",
                pot=1_000_000,
                min_cost=50_000,
                max_cost=600_000,
                rule="min_share",
                min_share=0.5,
                tie_rule="lower_cost",
            ),
            CategorySpec(
                title="Молодіжні проєкти (14–35 років)",
                slug="youth",
                kind="youth",
                pot=500_000,
                min_cost=20_000,
                max_cost=350_000,
                rule="approval",
                max_choices=1,
                max_age=35,
            ),
        ]
        events: list[tuple[dt.datetime, Callable]] = []

        def create():
            self.held["2027"] = cycle_create(
                hromada=self.hromada,
                actor=self.admin,
                title="Бюджет участі 2027",
                slug="2027",
                description="Другий цикл: загальноміські й молодіжні проєкти. Голосування триває!",
                phase_dates=dates,
                categories=categories,
                regulation=Regulation(min_age=14),
            )

        events.append((start - HOUR, create))
        for n, (slug, title, summary, lines) in enumerate(PROJECTS_2027):
            spec = (slug, title, summary, lines, None, "admitted", "Допущено: усі пункти перевірки виконано.")
            events += self._project_events(
                key="2027",
                spec=spec,
                author=self.residents[20 + n],
                submitted=start + (1 + n) * DAY,
                reviewed=start + (11 + n) * DAY,
            )
        events.append((dates["ballot"][0] + HOUR, lambda: self._ballot_publish("2027")))
        # Some ballots so far; most residents (and the newcomer) have not voted yet.
        events += self._voting_events(
            "2027", dates["voting"][0], dates["voting"][1], online=18, paper=25, school=0
        )
        return events
