"""The cycles console: a new cycle through the form, extending a phase, closing a phase
now (the kernel's phase_shorten through services.phases_admin), adding a category,
and the announcements (services.notices)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.budget import rules
from hromada.budget.forms_staff import default_phase_dates
from hromada.budget.models import Category, Cycle, ProjectStatus, Residency
from hromada.budget.services import notices, phases_admin
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.models import PhaseExtension
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import make_cycle
from .helpers_staff import make_project

pytestmark = pytest.mark.django_db


def cycle_post(**over) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Бюджет участі 2028",
        "slug": "bu-2028",
        "description": "Третій цикл",
        "regulation_url": "https://rada.example.test/polozhennia",
        "min_age": "14",
        "identity_level": "verified",
        "residence": "hromada",
        "residence_area": "",
        "allow_authorisation": "on",
        "support_threshold": "0",
        "max_projects_per_author": "3",
        "cat-TOTAL_FORMS": "2",
        "cat-INITIAL_FORMS": "0",
        "cat-MIN_NUM_FORMS": "1",
        "cat-MAX_NUM_FORMS": "20",
    }
    for code, (start, end) in default_phase_dates(today, support=False).items():
        data[f"{code}_start"] = start.isoformat()
        data[f"{code}_end"] = end.isoformat()
    for i, (title, kind, pot, lo, hi, rule, n) in enumerate(
        [
            ("Малі", "small", 500000, 10000, 200000, "approval", "3"),
            ("Великі", "large", 2000000, 200000, 1000000, "knapsack", ""),
        ]
    ):
        data.update(
            {
                f"cat-{i}-title": title,
                f"cat-{i}-kind": kind,
                f"cat-{i}-pot": str(pot),
                f"cat-{i}-min_cost": str(lo),
                f"cat-{i}-max_cost": str(hi),
                f"cat-{i}-rule": rule,
                f"cat-{i}-max_choices": n,
                f"cat-{i}-tie_rule": "lower_cost",
            }
        )
    data.update(over)
    return data


def test_a_cycle_is_created_through_the_form(client, hromada):
    client.force_login(staff_user(hromada, "admin"))
    assert "Подання ідей: перший день" in client.get(reverse("staff_budget:cycle_new")).content.decode()
    response = client.post(reverse("staff_budget:cycle_new"), cycle_post())
    assert response.status_code == 302
    cycle = Cycle.objects.get(hromada=hromada)
    assert response["Location"] == reverse("staff_budget:cycle", kwargs={"slug": "bu-2028"})
    assert [c.title for c in Category.objects.filter(cycle=cycle)] == ["Малі", "Великі"]
    assert rules.phase_code(cycle) == "ideas"
    assert "support" not in [p.code for p in cycle.plan.phases.all()]
    assert cycle.regulation_url == "https://rada.example.test/polozhennia"


def test_a_category_error_lands_on_its_row_and_nothing_is_lost(client, hromada):
    client.force_login(staff_user(hromada, "admin"))
    response = client.post(reverse("staff_budget:cycle_new"), cycle_post(**{"cat-1-max_cost": "3000000"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "перевищує обсяг категорії" in html
    assert 'value="Бюджет участі 2028"' in html and 'value="Великі"' in html and "Третій цикл" in html
    assert not Cycle.objects.exists()


def test_support_dates_are_required_with_a_threshold(client, hromada):
    client.force_login(staff_user(hromada, "admin"))
    response = client.post(
        reverse("staff_budget:cycle_new"),
        cycle_post(support_threshold="50", support_start="", support_end=""),
    )
    assert response.status_code == 400
    assert "Вкажіть дати етапу «Збір підтримки»" in response.content.decode()
    assert not Cycle.objects.exists()


def test_a_taken_slug_is_refused_on_its_field(client, hromada):
    make_cycle(hromada, slug="bu-2028")
    client.force_login(staff_user(hromada, "admin"))
    response = client.post(reverse("staff_budget:cycle_new"), cycle_post())
    assert response.status_code == 400
    assert "Цикл з такою адресою вже є" in response.content.decode()
    assert Cycle.objects.filter(hromada=hromada).count() == 1


def test_an_officer_may_not_create_a_cycle(client, hromada):
    client.force_login(staff_user(hromada, "officer"))
    assert client.post(reverse("staff_budget:cycle_new"), cycle_post()).status_code == 403
    assert not Cycle.objects.exists()


def test_extending_a_phase_through_the_page_tells_the_authors(
    client, hromada, django_capture_on_commit_callbacks
):
    cycle = make_cycle(hromada, current="ideas")
    project = make_project(cycle)
    ideas = cycle.plan.phases.get(code="ideas")
    client.force_login(staff_user(hromada, "admin"))
    url = reverse("staff_budget:cycle_extend", kwargs={"slug": cycle.slug})
    new_end = timezone.localtime(ideas.ends_at + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "code": "ideas",
            "ext-ideas-code": "ideas",
            "ext-ideas-new_ends_at": new_end,
            "ext-ideas-reason": "",
        },
    )
    assert response.status_code == 400 and "Вкажіть підставу продовження етапу." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "code": "ideas",
                "ext-ideas-code": "ideas",
                "ext-ideas-new_ends_at": new_end,
                "ext-ideas-reason": "Рішення виконкому №7",
                "ext-ideas-shift_following": "on",
            },
        )
    assert response.status_code == 302
    note = Notification.objects.get(user=project.author, kind="budget.phase_extended")
    assert "Подання ідей" in note.title and note.body == "Рішення виконкому №7"


def test_closing_a_phase_now_starts_the_next_and_runs_the_hook(
    client, hromada, django_capture_on_commit_callbacks
):
    cycle = make_cycle(hromada, current="support", support_threshold=5)
    short = make_project(cycle, support_count=1)
    client.force_login(staff_user(hromada, "admin"))
    url = reverse("staff_budget:cycle_close", kwargs={"slug": cycle.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"code": "support", "close-support-code": "support", "close-support-reason": "Демонстрація"}
        )
    assert response.status_code == 302
    assert rules.phase_code(cycle) == "review"
    short.refresh_from_db()
    assert short.status == ProjectStatus.REJECTED  # support_close ran from the hook
    extension = PhaseExtension.objects.get()
    assert extension.new_ends_at < extension.old_ends_at
    assert LedgerEntry.objects.filter(
        hromada=hromada, kind="budget.phase_changed", payload__event="shortened"
    ).exists()
    cycle.plan.refresh_from_db()
    assert cycle.plan.current_code == "review"


def test_closing_a_phase_is_for_cycle_managers_and_needs_a_reason(hromada):
    cycle = make_cycle(hromada, current="ideas")
    with pytest.raises(PermissionDenied):
        phases_admin.cycle_phase_shorten(
            cycle=cycle, actor=staff_user(hromada, "officer"), code="ideas", reason="x"
        )
    admin = staff_user(hromada, "admin")
    with pytest.raises(DomainError) as refused:
        phases_admin.cycle_phase_shorten(cycle=cycle, actor=admin, code="ideas", reason=" ")
    assert refused.value.code == "phase_shorten_reason_required"
    with pytest.raises(DomainError) as refused:
        phases_admin.cycle_phase_shorten(cycle=cycle, actor=admin, code="support", reason="x")
    assert refused.value.code == "phase_unknown"
    assert rules.phase_code(cycle) == "ideas" and not PhaseExtension.objects.exists()


def test_a_category_is_added_before_the_ballot_only(client, hromada):
    cycle = make_cycle(hromada, current="review")
    client.force_login(staff_user(hromada, "admin"))
    url = reverse("staff_budget:category_add", kwargs={"slug": cycle.slug})
    data = {
        "newcat-title": "Молодіжні",
        "newcat-kind": "youth",
        "newcat-pot": "300000",
        "newcat-min_cost": "0",
        "newcat-max_cost": "100000",
        "newcat-rule": "approval",
        "newcat-max_choices": "",
        "newcat-tie_rule": "lower_cost",
        "newcat-max_age": "35",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "вкажіть N" in response.content.decode()
    data["newcat-max_choices"] = "2"
    assert client.post(url, data).status_code == 302
    assert Category.objects.filter(cycle=cycle, title="Молодіжні", max_age=35).exists()
    Cycle.objects.filter(pk=cycle.pk).update(published_at=timezone.now())
    data["newcat-title"] = "Ще одна"
    response = client.post(url, data)
    assert response.status_code == 400 and "Бюлетень уже оприлюднено" in response.content.decode()


def test_voting_open_is_announced_once_to_authors_supporters_and_residents(hromada):
    cycle = make_cycle(hromada, current="voting")
    project = make_project(cycle, status=ProjectStatus.ADMITTED)
    resident = UserFactory()
    Residency.objects.create(
        hromada=hromada, cycle=cycle, user=resident, address="вул. Шевченка, 1", inside_hromada=True
    )
    assert notices.voting_open(cycle=cycle) == 2
    assert notices.voting_open(cycle=cycle) == 0
    told = set(Notification.objects.filter(kind="budget.voting_open").values_list("user_id", flat=True))
    assert told == {project.author_id, resident.pk}


def test_a_voting_extension_also_tells_residents_once(hromada):
    cycle = make_cycle(hromada, current="voting")
    resident = UserFactory()
    Residency.objects.create(
        hromada=hromada, cycle=cycle, user=resident, address="вул. Шевченка, 1", inside_hromada=True
    )
    when = timezone.now() + dt.timedelta(days=9)
    assert notices.phase_extended(cycle=cycle, code="voting", new_ends_at=when, reason="Збій зв'язку") == 1
    assert notices.phase_extended(cycle=cycle, code="voting", new_ends_at=when, reason="Збій зв'язку") == 0
    assert notices.phase_extended(cycle=cycle, code="ideas", new_ends_at=when, reason="x") == 0  # no authors
