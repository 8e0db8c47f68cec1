"""Implementation of the winning projects: stages, updates, the Prozorro id, photos,
the outcome, the people told, the public block."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory, role_matrix, staff_user
from hromada.budget import implementation_selectors
from hromada.budget.models import CoAuthor, ImplementationUpdate, Outcome, ProjectFile, Stage
from hromada.budget.services import implementation as svc
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import make_cycle
from .helpers_staff import ballot, make_project, make_winner, support

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png(name="site.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="implementation")


@pytest.fixture
def officer(hromada):
    return staff_user(hromada, "officer")


def test_an_update_is_published_ledgered_and_moves_the_outcome(hromada, cycle, officer):
    project = make_winner(cycle)
    stage = svc.stage_add(project=project, actor=officer, title="Закупівля", planned_end=dt.date(2027, 6, 1))
    update = svc.implementation_update(
        project=project,
        actor=officer,
        text="Оголошено закупівлю.",
        progress=20,
        spent=15_000,
        tender_id="UA-2026-03-14-004512-a",
        stage=stage,
        photos=[svc.Photo(file=png(), alt_text="Ділянка до початку робіт")],
    )
    project.refresh_from_db()
    assert project.outcome == Outcome.IMPLEMENTING
    assert update.stage == stage and update.spent == 15_000
    photo = ProjectFile.objects.get(update=update)
    assert (
        photo.project == project
        and photo.alt_text == "Ділянка до початку робіт"
        and photo.content_type == "image/png"
    )
    entry = (
        LedgerEntry.objects.filter(hromada=hromada, kind="budget.implementation_updated")
        .order_by("id")
        .last()
    )
    assert entry.payload == {
        "project": str(project.public_id),
        "progress": 20,
        "spent": 15_000,
        "tender_id": "UA-2026-03-14-004512-a",
        "delayed": False,
    }


def test_a_delay_reason_marks_it_delayed_and_100_percent_done(hromada, cycle, officer):
    project = make_winner(cycle)
    svc.implementation_update(
        project=project,
        actor=officer,
        text="Підрядник зірвав строки",
        progress=40,
        delay_reason="Зрив поставки",
    )
    project.refresh_from_db()
    assert project.outcome == Outcome.DELAYED
    svc.implementation_update(project=project, actor=officer, text="Усе зроблено", progress=100, spent=60_000)
    project.refresh_from_db()
    assert project.outcome == Outcome.DONE


@pytest.mark.parametrize(
    ("kw", "code", "field"),
    [
        ({"tender_id": "UA-2026-3-14-4512-a"}, "tender_id_invalid", "tender_id"),
        ({"tender_id": "2026-03-14-004512-a"}, "tender_id_invalid", "tender_id"),
        ({"progress": 101}, "progress_invalid", "progress"),
        ({"spent": -1}, "spent_invalid", "spent"),
        ({"text": "  "}, "update_text_required", "text"),
        ({"progress": 100, "delay_reason": "Дощі"}, "delay_when_done", "delay_reason"),
    ],
)
def test_a_bad_update_is_refused_with_its_field_and_changes_nothing(hromada, cycle, officer, kw, code, field):
    project = make_winner(cycle)
    args = {"text": "Зроблено", "progress": 10, **kw}
    with pytest.raises(DomainError) as refused:
        svc.implementation_update(project=project, actor=officer, **args)
    assert (refused.value.code, refused.value.field) == (code, field)
    project.refresh_from_db()
    assert project.outcome == Outcome.WINNER and not ImplementationUpdate.objects.exists()
    assert not LedgerEntry.objects.filter(kind="budget.implementation_updated").exists()


def test_the_tender_error_is_clear_ukrainian(hromada, cycle, officer):
    with pytest.raises(DomainError) as refused:
        svc.implementation_update(
            project=make_winner(cycle), actor=officer, text="x", progress=1, tender_id="123"
        )
    assert "UA-2026-03-14-004512-a" in str(refused.value.message) and "Prozorro" in str(refused.value.message)


def test_photos_need_a_description_and_the_right_type(hromada, cycle, officer):
    project = make_winner(cycle)
    with pytest.raises(DomainError) as refused:
        svc.implementation_update(
            project=project,
            actor=officer,
            text="x",
            progress=1,
            photos=[svc.Photo(file=png(), alt_text="", alt_field="alt_1")],
        )
    assert (refused.value.code, refused.value.field) == ("alt_text_required", "alt_1")
    fake = SimpleUploadedFile("x.png", b"MZ not an image at all", content_type="image/png")
    with pytest.raises(DomainError) as refused:
        svc.implementation_update(
            project=project,
            actor=officer,
            text="x",
            progress=1,
            photos=[svc.Photo(file=fake, alt_text="Фото", file_field="photo_1")],
        )
    assert refused.value.field == "photo_1"
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    with pytest.raises(DomainError):
        svc.implementation_update(
            project=project, actor=officer, text="x", progress=1, photos=[(pdf, "Документ")]
        )
    assert not ImplementationUpdate.objects.exists() and not ProjectFile.objects.exists()


def test_only_winners_are_reported_on(hromada, cycle, officer):
    project = make_project(cycle)
    with pytest.raises(DomainError) as refused:
        svc.implementation_update(project=project, actor=officer, text="x", progress=1)
    assert refused.value.code == "not_a_winner"
    with pytest.raises(DomainError):
        svc.stage_add(project=project, actor=officer, title="Етап")


@pytest.mark.parametrize("actor", ["moderator", "resident", "anonymous", "other_admin", "other_officer"])
def test_only_reporters_of_the_hromada_report(hromada, other_hromada, cycle, actor):
    project = make_winner(cycle)
    users = role_matrix(hromada, other_hromada)
    with pytest.raises(PermissionDenied):
        svc.implementation_update(project=project, actor=users[actor], text="x", progress=1)
    with pytest.raises(PermissionDenied):
        svc.stage_add(project=project, actor=users[actor], title="Етап")
    assert not ImplementationUpdate.objects.exists() and not Stage.objects.exists()


def test_stages_are_added_and_done_not_in_the_future(hromada, cycle, officer):
    project = make_winner(cycle)
    with pytest.raises(DomainError) as refused:
        svc.stage_add(project=project, actor=officer, title=" ")
    assert refused.value.code == "stage_title_required"
    stage = svc.stage_add(project=project, actor=officer, title="Проєктування")
    with pytest.raises(DomainError) as refused:
        svc.stage_done(stage=stage, actor=officer, done_on=timezone.localdate() + dt.timedelta(days=2))
    assert refused.value.code == "done_on_invalid"
    stage.refresh_from_db()
    assert stage.done_on is None
    svc.stage_done(stage=stage, actor=officer, done_on=timezone.localdate())
    stage.refresh_from_db()
    assert stage.done_on == timezone.localdate()


def test_the_projects_people_are_told(hromada, cycle, officer):
    project = make_winner(cycle)
    other = make_project(cycle, title="Інший")
    coauthor, pending, supporter, voter, other_voter = (UserFactory() for _ in range(5))
    CoAuthor.objects.create(
        hromada=hromada, project=project, user=coauthor, token_hash="a" * 64, accepted_at=timezone.now()
    )
    CoAuthor.objects.create(hromada=hromada, project=project, user=pending, token_hash="b" * 64)
    support(project, supporter)
    ballot(project, voter, choices=[str(other.public_id), str(project.public_id)])
    ballot(project, other_voter, choices=[str(other.public_id)])
    svc.implementation_update(project=project, actor=officer, text="Почали", progress=5)
    told = set(
        Notification.objects.filter(kind="budget.implementation_updated").values_list("user_id", flat=True)
    )
    assert told == {project.author_id, coauthor.pk, supporter.pk, voter.pk}


def test_the_public_block_shows_stages_progress_money_tender_and_delays(hromada, cycle, officer):
    project = make_winner(cycle)
    svc.stage_add(project=project, actor=officer, title="Закупівля лавок")
    svc.implementation_update(
        project=project,
        actor=officer,
        text="Лавки замовлено",
        progress=50,
        spent=30_000,
        tender_id="UA-2026-03-14-004512-a",
        delay_reason="Постачальник переніс поставку",
        photos=[(png(), "Нові лавки на складі")],
    )
    impl = implementation_selectors.for_project(project)
    assert (
        impl["progress"] == 50
        and impl["spent"] == 30_000
        and impl["cost"] == 60_000
        and impl["spent_share"] == 50
    )
    html = render_to_string("budget/_implementation.html", {"impl": impl})
    assert "https://prozorro.gov.ua/tender/UA-2026-03-14-004512-a" in html
    assert "Закупівля лавок" in html and "Постачальник переніс поставку" in html
    assert 'alt="Нові лавки на складі"' in html and "pct-50" in html


def test_the_block_reads_only_its_own_project(hromada, other_hromada, cycle, officer):
    project = make_winner(cycle)
    svc.implementation_update(project=project, actor=officer, text="Почали", progress=5)
    other = make_winner(make_cycle(other_hromada, current="implementation"))
    assert implementation_selectors.for_project(other)["updates"] == []
