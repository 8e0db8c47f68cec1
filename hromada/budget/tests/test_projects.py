"""Project services: drafts, edits, submission and its refusals, withdrawal, files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.budget.models import CostLine, Cycle, Project, ProjectFile, ProjectStatus
from hromada.budget.services import projects as svc
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry

from .factories import category, make_cycle
from .helpers_projects import draft, lines, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="ideas", residence="any")


def test_a_draft_has_its_cost_from_the_lines_and_no_number(cycle, resident):
    project = draft(cycle, resident, total=60_000)
    assert project.status == ProjectStatus.DRAFT and project.number is None
    assert project.cost == 60_000 and CostLine.objects.filter(project=project).count() == 1
    assert not LedgerEntry.objects.filter(kind="budget.project_submitted").exists()


def test_cost_line_amount_rounds_to_whole_hryvnias():
    assert svc.CostLineData("x", "1.5", "м", 3).amount == 5


def test_submission_numbers_and_ledgers(cycle, resident):
    first = submitted(cycle, resident)
    second = submitted(cycle, resident)
    assert (first.number, second.number) == (1, 2)
    assert first.status == ProjectStatus.SUBMITTED and first.submitted_at
    entry = LedgerEntry.objects.filter(kind="budget.project_submitted").order_by("id").first()
    assert entry.payload["number"] == 1 and entry.payload["cost"] == 50_000
    assert entry.payload["project"] == str(first.public_id)
    assert Cycle.objects.get(pk=cycle.pk).next_project_number == 3


@pytest.mark.parametrize(
    ("total", "code"),
    [(10_000, "cost_out_of_range"), (300_000, "cost_out_of_range"), (0, "estimate_required")],
)
def test_a_cost_outside_the_range_or_missing_cannot_be_submitted(cycle, resident, total, code):
    project = (
        draft(cycle, resident, total=total)
        if total
        else svc.project_create(
            cycle=cycle,
            author=resident,
            category=category(cycle, "small"),
            title="Без кошторису",
            summary="s",
            description="d",
            problem="p",
            beneficiaries="b",
            cost_lines=[],
            address="вул. 1",
        )
    )
    with pytest.raises(DomainError) as exc:
        svc.project_submit(project=project, actor=resident)
    assert exc.value.code == code and exc.value.field == "cost_lines"
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT and project.number is None
    assert not LedgerEntry.objects.filter(kind="budget.project_submitted").exists()


def test_every_missing_field_is_reported_at_submission(cycle, resident):
    project = draft(cycle, resident, description="", problem="")
    with pytest.raises(svc.ProjectInvalid) as exc:
        svc.project_submit(project=project, actor=resident)
    assert {e.field for e in exc.value.errors} == {"description", "problem"}


def test_submission_outside_the_ideas_phase_is_refused(hromada, resident):
    cycle = make_cycle(hromada, current="ideas", residence="any")
    project = draft(cycle, resident)
    voting = make_cycle(hromada, current="voting", residence="any", slug="v")
    with pytest.raises(DomainError) as exc:
        draft(voting, resident)
    assert exc.value.code == "submission_closed"
    assert project.status == "draft"


def test_participant_refusal_is_raised_at_submission(hromada):
    cycle = make_cycle(hromada, current="ideas")  # residence in the hromada required
    author = verified_user()
    project = draft(cycle, author)
    with pytest.raises(DomainError) as exc:
        svc.project_submit(project=project, actor=author)
    assert exc.value.code == "residence_required"
    unverified = UserFactory()
    project = draft(cycle, unverified)
    with pytest.raises(DomainError) as exc:
        svc.project_submit(project=project, actor=unverified)
    assert exc.value.code == "identity_required"


def test_too_many_projects(hromada, resident):
    cycle = make_cycle(hromada, current="ideas", residence="any", max_projects_per_author=1)
    submitted(cycle, resident)
    second = draft(cycle, resident)
    with pytest.raises(DomainError) as exc:
        svc.project_submit(project=second, actor=resident)
    assert exc.value.code == "too_many_projects"
    second.refresh_from_db()
    assert second.status == "draft" and Cycle.objects.get(pk=cycle.pk).next_project_number == 2


def test_edit_bumps_revision_and_a_stale_revision_is_a_conflict(cycle, resident):
    project = submitted(cycle, resident)
    project = svc.project_update(project=project, actor=resident, revision=1, title="Новий сквер")
    assert project.title == "Новий сквер" and project.revision == 2
    with pytest.raises(DomainError) as exc:
        svc.project_update(project=project, actor=resident, revision=1, title="Інша назва")
    assert exc.value.code == "project_changed" and exc.value.status == 409
    assert Project.objects.get(pk=project.pk).title == "Новий сквер"


def test_a_submitted_project_cannot_be_edited_out_of_range(cycle, resident):
    project = submitted(cycle, resident)
    with pytest.raises(DomainError) as exc:
        svc.project_update(project=project, actor=resident, revision=1, cost_lines=lines(900_000))
    assert exc.value.code == "cost_out_of_range"
    assert Project.objects.get(pk=project.pk).cost == 50_000


def test_edit_replaces_cost_lines_and_cost(cycle, resident):
    project = draft(cycle, resident)
    project = svc.project_update(project=project, actor=resident, revision=1, cost_lines=lines(80_000))
    assert project.cost == 80_000


def test_only_editors_edit_and_not_after_review(cycle, resident):
    project = submitted(cycle, resident)
    with pytest.raises(PermissionDenied):
        svc.project_update(project=project, actor=verified_user(), revision=1, title="Чужа")
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.REVIEW)
    project.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        svc.project_update(project=project, actor=resident, revision=1, title="Пізно")
    assert exc.value.code == "not_editable"


def test_withdraw_before_review(cycle, resident):
    project = submitted(cycle, resident)
    project = svc.project_withdraw(project=project, actor=resident)
    assert project.status == ProjectStatus.WITHDRAWN
    assert LedgerEntry.objects.filter(kind="budget.project_withdrawn").count() == 1
    with pytest.raises(DomainError) as exc:
        svc.project_withdraw(project=project, actor=resident)
    assert exc.value.code == "not_withdrawable"


def test_a_withdrawn_project_does_not_count_towards_the_limit(hromada, resident):
    cycle = make_cycle(hromada, current="ideas", residence="any", max_projects_per_author=1)
    svc.project_withdraw(project=submitted(cycle, resident), actor=resident)
    assert submitted(cycle, resident).number == 2


def test_cofunding_needs_a_partner(cycle, resident):
    with pytest.raises(DomainError) as exc:
        draft(cycle, resident, cofunding_amount=10_000)
    assert exc.value.field == "cofunding_partner"
    assert not Project.objects.exists()


def test_location_outside_the_hromada_is_refused_and_inside_sets_the_district(db):
    from hromada.places.tests.geo_fixtures import CENTRE, build_geo

    geo = build_geo()
    cycle = make_cycle(geo.hromada, current="ideas", residence="any")
    author = verified_user()
    from hromada.places import selectors as places

    if places.boundary(hromada=geo.hromada) is not None:
        with pytest.raises(DomainError) as exc:
            draft(cycle, author, lat=10.0, lon=10.0)
        assert exc.value.code == "location_outside"
    project = draft(cycle, author, lat=CENTRE[1], lon=CENTRE[0])
    assert project.place_area == geo.district


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_a_photo_needs_alt_text_and_a_bad_type_is_refused(cycle, resident):
    project = draft(cycle, resident)
    photo = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    with pytest.raises(DomainError) as exc:
        svc.project_file_add(project=project, actor=resident, upload=photo)
    assert exc.value.code == "alt_text_required"
    with pytest.raises(DomainError) as exc:
        svc.project_file_add(
            project=project, actor=resident, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)
        )
    assert exc.value.code == "file_type_not_allowed"
    assert not ProjectFile.objects.exists()
    photo = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    item = svc.project_file_add(project=project, actor=resident, upload=photo, alt_text="Сквер зараз")
    assert item.is_image and item.original_name == "a.png"


def test_a_project_of_another_hromada_is_not_found(cycle, resident, other_hromada):
    from hromada.budget import selectors
    from hromada.core.errors import NotFound

    project = submitted(cycle, resident)
    with pytest.raises(NotFound):
        selectors.project_get(hromada=other_hromada, public_id=project.public_id)
