"""Every module page (petitions and any other installed module) and every staff page, at
390 px and 1280 px (and at 390 px in English), as the person who uses it: no serious or
critical axe-core finding and no horizontal overflow on the phone. Screenshots go to
e2e/screenshots/pages/.

The pages are found, not listed: every URL pattern under each module's /<prefix>/ and under
/staff/ that takes no argument (from the URLconf, so pages other helpers and modules add are
checked too), then every same-section link those pages show (petition, moderation and answer
pages, module settings), plus a petition's page in each state. Run alone with
`.venv/bin/pytest -n 0 -m pages_axe e2e/`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from e2e.checks import WIDTHS, check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.pages_axe, pytest.mark.django_db(transaction=True)]

# Links that are files, feeds or exports rather than pages.
NOT_A_PAGE = re.compile(
    r"\.(csv|json|atom|pdf|xml|txt|png|jpe?g)$|/files/|answer-document|/export|/count$|/signers$|/sign$"
)
MAX_PAGES = 120  # per test and width: a crawl that grows past this is a bug of its own


def _test_only(view) -> bool:
    """The registry's test module (hromada/core/tests/sample) is a fixture, not a page."""
    return ".tests." in getattr(view, "__module__", "")


def static_routes(prefix: str) -> list[str]:
    """Paths of URL patterns under `prefix` that take no argument."""
    found: list[str] = []

    def walk(patterns, base: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if "<" in route or route.startswith("^"):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, base + route)
            elif isinstance(p, URLPattern) and not _test_only(p.callback):
                found.append("/" + base + route)

    walk(get_resolver().url_patterns, "")
    return sorted({path for path in found if path.startswith(prefix) and not NOT_A_PAGE.search(path)})


@pytest.fixture
def world(db):
    from hromada.accounts.models import Role
    from hromada.accounts.tests.factories import (
        DepartmentFactory,
        StaffRoleFactory,
        UserFactory,
        verified_user,
    )
    from hromada.petitions.models import Answer, Decision, RejectionReason, Status
    from hromada.petitions.services import petition_sign
    from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    transport = CategoryFactory(hromada=hromada, slug="transport", name="Транспорт і дороги")
    parks = CategoryFactory(hromada=hromada, slug="parks", name="Парки, сквери та зелені зони")
    department = DepartmentFactory(
        hromada=hromada, name="Відділ житлово-комунального господарства та благоустрою"
    )
    # One clerk with every role, so every staff page shows all it can.
    clerk = UserFactory(email="clerk@example.test", display_name="Ірина Петренко")
    for role in (Role.ADMIN, Role.MODERATOR):
        StaffRoleFactory(hromada=hromada, user=clerk, role=role)
    StaffRoleFactory(hromada=hromada, user=clerk, role=Role.OFFICER, department=department)
    resident = verified_user(last_name="Коваленко", first_name="Олена")
    now = timezone.now()
    today = timezone.localdate()
    long_title = (
        "Облаштувати безпечні пішохідні переходи з острівцями безпеки біля всіх шкіл і дитячих садків громади"
    )
    made = {
        "moderation": PetitionFactory(hromada=hromada, category=transport, author=resident, title=long_title),
        "collecting": collecting(hromada=hromada, category=parks, author=resident),
        "consideration": collecting(
            hromada=hromada,
            category=transport,
            status=Status.CONSIDERATION,
            signature_count=3,
            threshold_reached_at=now - dt.timedelta(days=2),
            consideration_due=today + dt.timedelta(days=8),
        ),
        "overdue": collecting(
            hromada=hromada,
            category=transport,
            status=Status.CONSIDERATION,
            signature_count=3,
            threshold_reached_at=now - dt.timedelta(days=20),
            consideration_due=today - dt.timedelta(days=3),
        ),
        "answered": collecting(
            hromada=hromada,
            category=parks,
            status=Status.ANSWERED,
            signature_count=4,
            threshold_reached_at=now - dt.timedelta(days=12),
            consideration_due=today - dt.timedelta(days=2),
            closed_at=now - dt.timedelta(days=3),
        ),
        "rejected": PetitionFactory(
            hromada=hromada,
            category=parks,
            author=resident,
            status=Status.REJECTED,
            moderated_at=now,
            moderated_by=clerk,
            rejection_reason=RejectionReason.OUTSIDE_COMPETENCE,
            rejection_comment="Питання належить до повноважень обласної ради.",
        ),
        "unsuccessful": collecting(
            hromada=hromada,
            category=parks,
            status=Status.UNSUCCESSFUL,
            published_at=now - dt.timedelta(days=40),
            collection_ends_at=now - dt.timedelta(days=10),
            closed_at=now - dt.timedelta(days=10),
        ),
    }
    Answer.objects.create(
        hromada=hromada,
        petition=made["answered"],
        decision=Decision.SUPPORTED,
        text="Виконавчий комітет підтримує петицію: роботи заплановано на квітень за кошти програми благоустрою.",
        answered_by=clerk,
        published_at=now - dt.timedelta(days=3),
    )
    for _ in range(2):
        petition_sign(petition=made["collecting"], user=verified_user())
    return {"hromada": hromada, "clerk": clerk, "resident": resident, "petitions": made}


def _is_fixture(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        return _test_only(resolve(path).func)
    except Resolver404:
        return False


PER_ROUTE = 3  # pages of one URL pattern (a list's 78 rows open one template 78 times)


def _route(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(path).route
    except Resolver404:
        return path


def crawl(
    page, *, start: list[str], prefix: str | tuple[str, ...], folder: str, width: str, ids: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Visit `start` and every link under `prefix` they lead to — of one URL pattern,
    PER_ROUTE pages, but every page of the fixture's own objects; return (visited, problems)."""
    queue, seen, visited, problems = list(start), set(start), [], []
    per_route: dict[str, int] = {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        # Asked first with the page's cookies: a POST-only action (405) or a file is not a page.
        probe = page.request.get(path, max_redirects=0)
        if 300 <= probe.status < 400:  # a page that sends elsewhere: check where it sends
            target = probe.headers.get("location", "").split("?")[0]
            if target.startswith(prefix) and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
            continue
        if probe.status == 200 and "<html" not in probe.text()[:500].lower():
            continue  # an htmx fragment, checked inside the page that loads it
        if probe.status != 200:
            problems.append(f"{path}: HTTP {probe.status}")
            continue
        page.goto(path)
        visited.append(path)
        readable = path
        for public_id, key in ids.items():  # stable screenshot names: the petition's state, not its id
            readable = readable.replace(public_id, key)
        name = re.sub(r"[^a-z0-9]+", "-", readable.strip("/").lower()).strip("-") or "root"
        problems += check_page(page, folder=folder, name=f"{name}-{width}")
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"):
            link = href.split("#")[0].split("?")[0]
            if (
                link.startswith(prefix)
                and link not in seen
                and not NOT_A_PAGE.search(link)
                and not _is_fixture(link)
            ):
                seen.add(link)
                route = _route(link)
                if per_route.get(route, 0) >= PER_ROUTE and not any(i in link for i in ids):
                    continue
                per_route[route] = per_route.get(route, 0) + 1
                queue.append(link)
    return visited, problems


def ids(world) -> dict[str, str]:
    return {str(p.public_id): f"petition-{key}" for key, p in world["petitions"].items()}


def module_prefixes() -> list[str]:
    """Each installed module's public pages, /<url_prefix>/ (not the registry's test module)."""
    from hromada.core.modules import registry

    return [f"/{m.url_prefix}/" for m in registry.modules(kernel=False) if m.urls and ".tests" not in m.urls]


# Both widths in Ukrainian, and the phone in English (longer words, another language link).
CASES = [("390", "uk"), ("1280", "uk"), ("390", "en")]


def _switch(page, lang: str) -> None:
    if lang != "uk":
        page.goto(f"/lang/{lang}/?next=/")


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_every_module_page(new_page, world, width, lang):
    """Every module's public pages as a verified resident (the author of the petitions in
    moderation and rejected, which only the author may open)."""
    prefixes = module_prefixes()
    assert "/petitions/" in prefixes
    details = [f"/petitions/{p.public_id}/" for p in world["petitions"].values()]
    start = [path for prefix in prefixes for path in static_routes(prefix)] + details
    assert {"/petitions/", "/petitions/new/", "/petitions/mine/"} <= set(start)
    assert "/opendata/835/" in start  # the Resolution 835 checklist (issue 14)
    page = new_page(**WIDTHS[width])
    login(page, world["resident"].email)
    _switch(page, lang)
    label = width if lang == "uk" else f"{width}-{lang}"
    visited, problems = crawl(
        page, start=start, prefix=tuple(prefixes), folder="pages", width=label, ids=ids(world)
    )
    assert set(details) <= set(visited), "a petition page did not open"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_every_staff_page(new_page, world, width, lang):
    start = static_routes("/staff/")
    for expected in (
        "/staff/",
        "/staff/roles/",
        "/staff/departments/",
        "/staff/settings/",
        "/staff/petitions/stats/",
        "/staff/opendata/835/",  # the Resolution 835 checklist's answers (issue 14)
    ):
        assert expected in start, expected
    page = new_page(**WIDTHS[width])
    login(page, world["clerk"].email)
    _switch(page, lang)
    label = width if lang == "uk" else f"{width}-{lang}"
    visited, problems = crawl(
        page, start=start, prefix="/staff/", folder="pages", width=label, ids=ids(world)
    )
    petitions = world["petitions"]
    for needed in (
        f"/staff/petitions/moderation/{petitions['moderation'].public_id}/",
        f"/staff/petitions/consideration/{petitions['consideration'].public_id}/",
        "/staff/petitions/moderation/",
        "/staff/petitions/consideration/",
    ):
        assert needed in visited, f"{needed} not reached (visited {visited})"
    assert any(p.startswith("/staff/settings/") and p.count("/") == 4 for p in visited), (
        "no module settings page"
    )
    assert problems == [], "\n".join(problems)
