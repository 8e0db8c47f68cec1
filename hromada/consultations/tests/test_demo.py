"""The demo's consultations (demo.py), through demo_seed's own machinery — the demo
hromada, its people, every event in time order on the travelled clock — with only the
places demo (which it stands on) and this one, so it runs in seconds; `make demo` runs
all of them (the petitions' and budget's tests run the whole seed)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from hromada.core.modules import registry

pytestmark = pytest.mark.django_db

STANDS_ON = ("places", "consultations")


@pytest.fixture
def demo(settings, monkeypatch):
    from hromada.tenancy.management.commands import demo_seed
    from hromada.tenancy.models import Hromada

    settings.ALLOWED_HOSTS = ["*"]
    modules = [m for m in registry if m.label in STANDS_ON or m.kernel]
    monkeypatch.setattr(demo_seed, "registry", modules)
    call_command("demo_seed", stdout=io.StringIO())
    return Hromada.objects.get(slug="demo")


def _by_title(hromada, start: str):
    from hromada.consultations.models import Consultation

    return Consultation.objects.for_hromada(hromada).get(title__startswith=start)


def test_the_demo_runs_each_kind_from_creation_to_report(demo):
    from hromada.comments.models import Comment, CommentStatus
    from hromada.consultations import rules
    from hromada.consultations.models import (
        ANSWERED,
        Answer,
        Follow,
        Kind,
        Proposal,
        QuestionKind,
        Report,
        Response,
        ResponseStatus,
        Status,
        TextState,
    )
    from hromada.consultations.services.reports import ledger_response_count
    from hromada.consultations.tasks import results_tick
    from hromada.ledger.models import LedgerEntry
    from hromada.ledger.verify import verify_database

    survey = _by_title(demo, "Опитування щодо облаштування парку")
    consultation = _by_title(demo, "Новий графік вивезення")
    discussion = _by_title(demo, "Проєкт Правил благоустрою")
    poll = _by_title(demo, "Оберіть назву")
    draft = _by_title(demo, "Опитування щодо роботи громадського транспорту")
    assert [rules.phase_code(c) for c in (survey, consultation, discussion, poll, draft)] == [
        "open",
        "open",
        "closed",
        "upcoming",
        "draft",
    ]
    assert draft.status == Status.DRAFT and draft.number is None

    # The survey: every kind of question, a condition, answers that add up everywhere.
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values) and survey.sections.count() == 2
    assert survey.questions.filter(conditions__isnull=False).exists()
    submitted = Response.objects.filter(consultation=survey, status=ResponseStatus.SUBMITTED).count()
    assert 40 <= submitted <= 60
    # The count on the lists is the results snapshot's, refreshed by the worker's tick.
    results_tick()
    survey.refresh_from_db()
    assert ledger_response_count(survey) == survey.response_count == submitted
    assert Response.objects.filter(consultation=survey, status=ResponseStatus.DRAFT).count() == 2
    assert Response.objects.filter(consultation=survey).exclude(area=None).exists()
    texts = Answer.objects.filter(response__consultation=survey).exclude(text_state="")
    states = set(texts.values_list("text_state", flat=True))
    assert {TextState.SHOWN, TextState.HIDDEN} <= states
    points = Answer.objects.filter(response__consultation=survey, lat__isnull=False)
    assert points.exists() and all(
        48.5 < lat < 49.5 and 31.5 < lon < 32.7 for lat, lon in points.values_list("lat", "lon")
    )

    # The e-consultation: documents, proposals with supports, comments, one answered.
    assert consultation.documents.count() >= 2
    proposals = Proposal.objects.filter(consultation=consultation)
    assert proposals.count() >= 4 and proposals.filter(support_count__gt=0).count() == proposals.count()
    assert proposals.filter(status__in=ANSWERED).count() == 1
    comments = Comment.objects.filter(hromada=demo, target_key=str(consultation.public_id))
    assert comments.filter(parent__isnull=False).exists()
    assert comments.filter(status=CommentStatus.HIDDEN).count() == 1

    # The discussion: the draft act, proposals on paragraphs answered, report published.
    assert discussion.kind == Kind.DISCUSSION and 15 <= discussion.paragraphs.count() <= 25
    answered = Proposal.objects.filter(consultation=discussion)
    assert answered.filter(paragraph__isnull=False).count() >= 5
    assert set(answered.values_list("status", flat=True)) == {"accepted", "partly", "rejected"}
    report = Report.objects.get(consultation=discussion)
    assert report.published_at and report.outcome and report.decision_url
    assert report.drafted_at < report.published_at
    assert report.figures["proposals"]["pending"] == 0
    assert Comment.objects.filter(hromada=demo, target_kind="consultations.paragraph").exists()

    assert Follow.objects.filter(hromada=demo, consultation__isnull=True).exists()
    assert Follow.objects.filter(hromada=demo, consultation__isnull=False).count() >= 3
    entries = list(
        LedgerEntry.objects.filter(hromada=demo).order_by("id").values_list("created_at", flat=True)
    )
    assert entries == sorted(entries), "the ledger stays in time order"
    assert verify_database(hromada=demo).pending == 0
    _pages_render(demo)


def _pages_render(demo) -> None:
    """Every public page of each kind answers 200; the draft is public nowhere."""
    from hromada.consultations.models import Proposal

    survey = _by_title(demo, "Опитування щодо облаштування парку")
    consultation = _by_title(demo, "Новий графік вивезення")
    discussion = _by_title(demo, "Проєкт Правил благоустрою")
    poll = _by_title(demo, "Оберіть назву")
    draft = _by_title(demo, "Опитування щодо роботи громадського транспорту")
    paragraph = discussion.paragraphs.filter(proposals__isnull=False).first()
    proposal = Proposal.objects.filter(consultation=consultation).first()
    client = Client(HTTP_HOST="localhost")
    pages = [
        "/consultations/",
        *(f"/consultations/{c.number}/" for c in (survey, consultation, discussion, poll)),
        f"/consultations/{survey.number}/answer/",
        f"/consultations/{survey.number}/results/",
        f"/consultations/{consultation.number}/proposals/",
        f"/consultations/{consultation.number}/proposals/{proposal.number}/",
        f"/consultations/{discussion.number}/text/",
        f"/consultations/{discussion.number}/text/{paragraph.public_id}/",
        f"/consultations/{discussion.number}/proposals/",
        f"/consultations/{discussion.number}/report/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    index = client.get("/consultations/").content.decode()
    assert survey.title in index and draft.title not in index
    report = client.get(f"/consultations/{discussion.number}/report/").content.decode()
    assert "Правила благоустрою затверджено" in report
    results = client.get(f"/consultations/{survey.number}/results/").content.decode()
    assert "Освітлення алей" in results
    # The draft is public nowhere; staff find it in the console.
    assert client.get("/api/v1/consultations").status_code == 200
    assert draft.title not in client.get("/api/v1/consultations").content.decode()
    staff = Client(HTTP_HOST="localhost")
    from hromada.accounts.models import User

    staff.force_login(User.objects.get(email="officer@demo.hromada.test"))
    listing = staff.get("/staff/consultations/")
    assert listing.status_code == 200 and draft.title in listing.content.decode()
