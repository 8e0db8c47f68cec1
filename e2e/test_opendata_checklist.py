"""The Resolution 835 checklist's pages and the console's edit pages in Chromium: on a
phone and a desktop, each page fits the screen and axe finds nothing serious; the status
filter works by the keyboard without JavaScript's help."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from e2e.checks import WIDTHS, check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(db):
    from hromada.accounts.models import Role
    from hromada.accounts.tests.factories import StaffRoleFactory, UserFactory
    from hromada.opendata import checklist, services
    from hromada.opendata.models import RequiredDataset, Resource
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    admin = UserFactory(email="admin@example.test", display_name="Ірина Петренко")
    StaffRoleFactory(hromada=hromada, user=admin, role=Role.ADMIN)
    publisher = services.publisher_create(hromada, admin, name="finance", title="Фінансове управління")
    services.group_create(hromada, admin, name="finance", title="Фінанси")
    required = list(RequiredDataset.objects.order_by("section", "number")[:3])
    made = []
    for i, days in enumerate((3, 60)):
        d = services.dataset_create(
            hromada, admin, publisher, name=f"set-{i}", title=f"Набір {i}", frequency="Щомісяця", publish=True
        )
        r = services.resource_create(d, admin, name="Дані", url="https://example.org/d.csv", format="CSV")
        Resource.objects.filter(pk=r.pk).update(last_modified=timezone.now() - dt.timedelta(days=days))
        made.append((d, r))
        checklist.requirement_answer(hromada, admin, required[i], dataset=d)
    checklist.requirement_answer(hromada, admin, required[2], not_applicable="Не веде громада")
    return {"admin": admin, "required": required, "dataset": made[0][0], "resource": made[0][1]}


@pytest.mark.parametrize("width", ["390", "1280"])
def test_checklist_and_edit_pages(new_page, portal, width):
    page = new_page(**WIDTHS[width])
    problems = []
    page.goto("/opendata/835/")
    assert "Оприлюднено 2 з" in page.inner_text("main")
    problems += check_page(page, folder="opendata-835", name=f"public-{width}")
    page.get_by_label("Показати").select_option("overdue")
    page.get_by_role("button", name="Показати").click()
    page.wait_for_load_state()
    assert "status=overdue" in page.url and "Набір 1" in page.inner_text("main")
    assert "Набір 0" not in page.inner_text("main")
    problems += check_page(page, folder="opendata-835", name=f"public-overdue-{width}")

    login(page, portal["admin"].email)
    d, r = portal["dataset"], portal["resource"]
    for name, path in (
        ("staff", "/staff/opendata/835/"),
        ("requirement", f"/staff/opendata/835/{portal['required'][0].pk}/"),
        ("publisher", "/staff/opendata/publishers/finance/edit/"),
        ("group", "/staff/opendata/groups/finance/"),
        ("resource", f"/staff/opendata/d/{d.name}/r/{r.public_id}/edit/"),
        ("withdraw", f"/staff/opendata/d/{d.name}/r/{r.public_id}/withdraw/"),
    ):
        page.goto(path)
        assert page.title(), path
        problems += check_page(page, folder="opendata-835", name=f"{name}-{width}")
    # a refusal shown on the page: the reason left empty
    page.get_by_role("button", name="Зняти ресурс").click()
    page.wait_for_load_state()
    problems += check_page(page, folder="opendata-835", name=f"withdraw-error-{width}")
    assert problems == [], "\n".join(problems)
