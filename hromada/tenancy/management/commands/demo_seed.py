"""Load a demo hromada with realistic, invented data. Safe to run again."""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from hromada.core.clock import travel_to
from hromada.core.modules import registry, resolve

DEMO_SLUG = "demo"
DEMO_DAYS = 90
DEPARTMENTS = [
    "Управління житлово-комунального господарства",
    "Відділ освіти",
    "Фінансове управління",
    "Центр надання адміністративних послуг",
    "Відділ культури, молоді та спорту",
    "Відділ цифрової трансформації",
]
DEMO_PASSWORD = "demo-hromada-2026"

FIRST_F = [
    "Олена",
    "Ірина",
    "Оксана",
    "Марія",
    "Наталія",
    "Тетяна",
    "Юлія",
    "Світлана",
    "Анна",
    "Катерина",
    "Людмила",
    "Галина",
    "Дарина",
    "Софія",
    "Вікторія",
]
FIRST_M = [
    "Андрій",
    "Олександр",
    "Сергій",
    "Дмитро",
    "Василь",
    "Микола",
    "Іван",
    "Юрій",
    "Тарас",
    "Богдан",
    "Максим",
    "Олег",
    "Роман",
    "Петро",
    "Віталій",
]
LAST = [
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравчук",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Мельничук",
    "Савчук",
    "Лисенко",
    "Руденко",
    "Марченко",
    "Гнатюк",
    "Степаненко",
    "Дячук",
    "Панченко",
    "Яковенко",
    "Гуменюк",
    "Остапчук",
    "Зінченко",
]
PATR_M = ["Андрійович", "Олександрович", "Сергійович", "Іванович", "Петрович", "Миколайович"]
PATR_F = ["Андріївна", "Олександрівна", "Сергіївна", "Іванівна", "Петрівна", "Миколаївна"]


class Command(BaseCommand):
    help = "Load the demo hromada (invented people, and each module's demo data). Idempotent."

    def handle(self, *args, **options):
        from hromada.tenancy.models import Hromada

        if Hromada.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo hromada already loaded; nothing to do.")
            self._print_logins()
            return
        random.seed(2026)
        # The story's e-mails were "sent" in the story: none reaches the console (or a real
        # mail server) now, where ~2,000 of them buried the log-ins printed below. A mail
        # a service sends directly goes to a locmem outbox for the duration of the seed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                self._seed()
                self._story_mail_delivered()
        self._print_logins()

    def _seed(self) -> None:
        from hromada.accounts import services as account_services
        from hromada.accounts.identity import taxnumber
        from hromada.accounts.identity.base import VerifiedPerson
        from hromada.accounts.models import Role, User, VerificationMethod
        from hromada.ledger.services import ledger_seal
        from hromada.tenancy import services as tenancy_services

        # The hromada joined the platform DEMO_DAYS ago; everything since is built
        # through the services on a clock set to each moment (core.clock.travel_to).
        start = timezone.now() - dt.timedelta(days=DEMO_DAYS)
        serials = iter(range(7000, 9999))

        def person(email, first, last, middle, birth):
            user = User.objects.create_user(email, DEMO_PASSWORD, display_name=f"{first} {last}")
            account_services.user_email_proven(user=user)
            account_services.identity_verify(
                user=user,
                person=VerifiedPerson(
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    birth_date=birth,
                    tax_number=taxnumber.make(birth, next(serials)),
                    auth_type="bank_id",
                    provider="dev",
                ),
                method=VerificationMethod.DEV,
            )
            user.refresh_from_db()
            return user

        with travel_to(start):
            hromada = tenancy_services.hromada_create(
                # A real hromada (Cherkasy oblast): its settlements come from the codifier
                # (places); its people, petitions and streets are invented.
                name="Кам’янська міська громада",
                name_en="Kamianka city hromada",
                slug=DEMO_SLUG,
                katottg="UA71080130000078619",
                population=19_000,
                hosts=["127.0.0.1", "localhost"],
                languages=["uk", "en"],
            )
            admin = person("admin@demo.hromada.test", "Віталій", "Гнатюк", "Петрович", dt.date(1979, 3, 2))
            # The install's IT administrator (a superuser) appoints the hromada's first
            # administrator, who builds the rest of the staff.
            User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
            admin.refresh_from_db()
            account_services.staff_role_grant(actor=admin, hromada=hromada, user=admin, role=Role.ADMIN)
            departments = {
                name: account_services.department_create(actor=admin, hromada=hromada, name=name)
                for name in DEPARTMENTS
            }
            moderator = person(
                "moderator@demo.hromada.test", "Ірина", "Савчук", "Іванівна", dt.date(1988, 11, 20)
            )
            officer = person(
                "officer@demo.hromada.test", "Богдан", "Лисенко", "Сергійович", dt.date(1984, 7, 9)
            )
            account_services.staff_role_grant(
                actor=admin, hromada=hromada, user=moderator, role=Role.MODERATOR
            )
            account_services.staff_role_grant(
                actor=admin,
                hromada=hromada,
                user=officer,
                role=Role.OFFICER,
                department=departments["Управління житлово-комунального господарства"],
            )
            residents = []
            for i in range(60):
                female = i % 2 == 0
                first = random.choice(FIRST_F if female else FIRST_M)
                last = random.choice(LAST)
                middle = random.choice(PATR_F if female else PATR_M)
                birth = dt.date(random.randint(1950, 2007), random.randint(1, 12), random.randint(1, 28))
                residents.append(person(f"resident{i + 1}@demo.hromada.test", first, last, middle, birth))
            # An unverified account and a 15-year-old, to show the refusals.
            newcomer = User.objects.create_user(
                "new@demo.hromada.test", DEMO_PASSWORD, display_name="Новий користувач"
            )
            account_services.user_email_proven(user=newcomer)
            teen_year = timezone.localdate().year - 15
            person("teen@demo.hromada.test", "Максим", "Остапчук", "Олегович", dt.date(teen_year, 1, 10))

        people = {"admin": admin, "moderator": moderator, "officer": officer, "residents": residents}
        # Each module's demo data (module.py `demo`), built through its services. A module
        # whose story spans the demo's days returns its events, (moment, action) pairs:
        # every module's events run together in time order, each on a clock set to its
        # moment, so the ledger stays in time order across modules.
        events: list = []
        for module in registry:
            if module.demo:
                returned = resolve(module.demo)(
                    hromada=hromada, people=people, start=start + dt.timedelta(hours=1)
                )
                if isinstance(returned, list | tuple):
                    events.extend(returned)
        for moment, action in sorted(events, key=lambda event: event[0]):
            with travel_to(moment):
                action()
        ledger_seal(hromada=hromada)

    def _story_mail_delivered(self) -> None:
        """Every notification the seed wrote counts as e-mailed when it was written (its
        created_at, on the travelled clock): inside the seed's transaction, so the e-mail
        tasks queued on commit find nothing pending and send nothing, and no e-mail record
        carries today's date."""
        from django.db.models import F

        from hromada.notify.models import Notification

        Notification.objects.filter(hromada__slug=DEMO_SLUG, email_pending=True).update(
            email_pending=False, emailed_at=F("created_at")
        )

    def _print_logins(self) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts (password for all: {DEMO_PASSWORD}):\n"
                "  admin@demo.hromada.test      — hromada administrator\n"
                "  moderator@demo.hromada.test  — moderator\n"
                "  officer@demo.hromada.test    — department officer (drafts answers; the administrator approves them)\n"
                "  resident1..60@demo.hromada.test — verified residents\n"
                "  new@demo.hromada.test        — not verified (try the development id.gov.ua provider)\n"
                "  teen@demo.hromada.test       — verified, 15 years old"
            )
        )
