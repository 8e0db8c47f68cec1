"""Bench fixtures, created before any timed window (run by bench/run.py).

    python bench/setup_data.py --out DIR --residents N --petitions NAME [NAME ...]

On the (migrated, empty) database named by DATABASE_URL it loads:
- the demo hromada (`manage.py demo_seed`: petition settings, categories, staff, petitions in
  every state, so the list and home pages look like a real hromada's);
- `--extra-petitions` more published petitions, so the list paginates;
- one hot petition per NAME, published and collecting, with a threshold of
  1,000,000 so no scenario moves it to consideration;
- N verified adult residents, each with an identity and one personal API token,
  bulk-inserted (nothing here is timed, and nothing here is what a request does).

It writes DIR/setup.json (petition ids, counts) and DIR/tokens.tsv
("<index>\t<user id>\t<token>"): the token → user map the audit needs."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hromada.accounts.identity import taxnumber  # noqa: E402
from hromada.accounts.models import ApiToken, Identity, User, VerificationMethod  # noqa: E402
from hromada.accounts.services import API_TOKEN_PREFIX, api_token_hash  # noqa: E402
from hromada.petitions import services as petition_services  # noqa: E402
from hromada.petitions.models import Category, Petition, Status  # noqa: E402
from hromada.tenancy.management.commands.demo_seed import LAST as DEMO_LAST  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

HOT_THRESHOLD = 1_000_000
BATCH = 5000

FIRST = [
    "Олена",
    "Ірина",
    "Оксана",
    "Марія",
    "Наталія",
    "Андрій",
    "Олександр",
    "Сергій",
    "Дмитро",
    "Василь",
    "Тетяна",
    "Юлія",
    "Микола",
    "Іван",
    "Тарас",
    "Богдан",
    "Софія",
    "Вікторія",
    "Роман",
    "Петро",
]
LAST = DEMO_LAST  # the demo's invented surnames
MIDDLE = ["Андрійович", "Олександрівна", "Сергійович", "Іванівна", "Петрович", "Миколаївна"]

EXTRA_TITLES = [
    "Відремонтувати тротуар на вулиці {n}-й Лісовій",
    "Встановити лавки та урни у сквері на вулиці {n}-й Садовій",
    "Облаштувати велодоріжку вздовж вулиці {n}-ї Шкільної",
    "Продовжити маршрут автобуса №{n} до нового мікрорайону",
]
EXTRA_TEXT = (
    "Мешканці вулиці давно звертаються до виконавчого комітету з цим питанням. Просимо включити "
    "роботи до програми на наступний рік, визначити виконавця та строки, і звітувати про хід робіт "
    "на сайті громади щокварталу."
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--residents", type=int, required=True)
    parser.add_argument("--petitions", nargs="+", required=True, help="names of hot petitions to create")
    parser.add_argument("--extra-petitions", type=int, default=40)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    call_command("demo_seed", verbosity=0)
    hromada = Hromada.objects.get(slug="demo")
    from hromada.petitions.models import PetitionSettings

    PetitionSettings.objects.update_or_create(
        hromada=hromada, defaults={"threshold": HOT_THRESHOLD, "collection_days": 90}
    )
    # The host the bench talks to resolves to this hromada even if others exist.
    hromada.hosts = sorted(set(hromada.hosts or []) | {"127.0.0.1", "localhost"})
    hromada.save(update_fields=["hosts"])

    from hromada.accounts.models import Role, StaffRole

    moderator = StaffRole.objects.filter(hromada=hromada, role=Role.MODERATOR).first().user
    author = Identity.objects.filter(user__staff_roles__isnull=True).order_by("id").first().user
    categories = list(Category.objects.filter(hromada=hromada).order_by("id"))

    def publish(title: str, text: str, category: Category) -> Petition:
        petition = petition_services.petition_submit(
            hromada=hromada, author=author, title=title, text=text, category=category
        )
        return petition_services.petition_publish(petition=petition, moderator=moderator)

    for i in range(args.extra_petitions):
        title = EXTRA_TITLES[i % len(EXTRA_TITLES)].format(n=i + 1)
        publish(title, EXTRA_TEXT, categories[i % len(categories)])
    hot = {}
    for name in args.petitions:
        petition = publish(
            f"Бенчмарк «{name}»: зберегти історичний сквер у центрі громади",
            "Просимо виконавчий комітет зберегти сквер, заборонити в ньому забудову та внести його до "
            "переліку об'єктів благоустрою, що охороняються. (Петиція створена бенчмарком.)",
            categories[0],
        )
        assert petition.status == Status.COLLECTING and petition.threshold == HOT_THRESHOLD
        hot[name] = {"id": petition.pk, "uuid": str(petition.public_id), "number": petition.number}

    t_people = time.monotonic()
    count = _residents(args.residents, args.out / "tokens.tsv")
    with connection.cursor() as cursor:
        for table in ("accounts_user", "accounts_identity", "accounts_apitoken"):
            cursor.execute(f"ANALYZE {table}")
    setup = {
        "hromada": {"id": hromada.pk, "slug": hromada.slug},
        "petitions": hot,
        "residents": count,
        "public_petitions": Petition.objects.filter(hromada=hromada)
        .exclude(status__in=[Status.MODERATION, Status.REJECTED])
        .count(),
        "seconds": round(time.monotonic() - started, 1),
        "residents_seconds": round(time.monotonic() - t_people, 1),
    }
    (args.out / "setup.json").write_text(json.dumps(setup, indent=2))
    print(json.dumps(setup))


def _residents(n: int, tokens_path: Path) -> int:
    """Verified adults with one API token each, bulk-inserted in batches."""
    rng = random.Random(1991)
    now = timezone.now()
    today = timezone.localdate()
    lines = []
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        users, identities, raws = [], [], []
        for j in range(done, done + size):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            users.append(
                User(
                    email=f"resident{j}@bench.hromada.test",
                    display_name=f"{first} {last}",
                    email_confirmed_at=now,
                    password="!bench-unusable",
                )
            )
            born = dt.date(today.year - rng.randint(18, 80), rng.randint(1, 12), rng.randint(1, 28))
            identities.append(
                dict(
                    tax_hash=taxnumber.tax_hash(f"{j:010d}"),
                    last_name=last,
                    first_name=first,
                    middle_name=rng.choice(MIDDLE),
                    birth_date=born,
                )
            )
            raws.append(API_TOKEN_PREFIX + secrets.token_urlsafe(32))
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=BATCH)
            Identity.objects.bulk_create(
                [
                    Identity(user=u, method=VerificationMethod.DEV, auth_type="bank_id", verified_at=now, **d)
                    for u, d in zip(users, identities, strict=True)
                ],
                batch_size=BATCH,
            )
            ApiToken.objects.bulk_create(
                [
                    ApiToken(user=u, name="bench", token_hash=api_token_hash(raw))
                    for u, raw in zip(users, raws, strict=True)
                ],
                batch_size=BATCH,
            )
        for j, (u, raw) in enumerate(zip(users, raws, strict=True), start=done):
            lines.append(f"{j}\t{u.pk}\t{raw}\n")
        done += size
    tokens_path.write_text("".join(lines))
    return done


if __name__ == "__main__":
    main()
