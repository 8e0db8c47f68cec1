"""A person's appeals data: exported in full; erased as module.py's kept_on_erase says —
drafts deleted, registered cases kept unlinked (statutory records keep the applicant's
details, problem reports lose them), co-signatures unlinked, subscriptions deleted."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile

from hromada.accounts.tests.factories import verified_user
from hromada.appeals import privacy
from hromada.appeals.models import (
    AppealType,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CoSigner,
    EventKind,
    Subscription,
)
from hromada.appeals.services.cases import event_add
from hromada.appeals.services.follows import area_subscribe, case_follow
from hromada.appeals.services.nearby import case_join
from hromada.appeals.services.verdict import case_rate
from hromada.appeals.services.work import case_answer
from hromada.core.modules import registry

from .factories import make_case, make_category

pytestmark = pytest.mark.django_db


def _data(hromada, user, officer):
    """A report, an appeal answered, an information request, a draft with a file, a
    co-signature of someone else's appeal, and subscriptions of every kind."""
    report = make_case(
        hromada,
        kind=CaseKind.REPORT,
        applicant=user,
        applicant_name="Коваленко Ірина Петрівна",
        applicant_email="iryna@example.com",
        applicant_phone="+380671112233",
    )
    appeal = make_case(hromada, kind=CaseKind.APPEAL, applicant=user, applicant_phone="+380671112233")
    case_answer(case=appeal, actor=officer, text="Дорогу відремонтують до кінця місяця.")
    case_rate(appeal, user, 4, "Дякую")
    event_add(case=appeal, kind=EventKind.COMMENT, actor=officer, public=False, text="Внутрішня нотатка")
    info = make_case(hromada, kind=CaseKind.INFO, applicant=user, answer_form="email")
    draft = make_case(hromada, kind=CaseKind.APPEAL, applicant=user, register=False, title="Моя чернетка")
    upload = Attachment.objects.create(
        hromada=hromada,
        case=draft,
        kind="document",
        file=ContentFile(b"%PDF-1.4 x", name="lyst.pdf"),
        original_name="лист.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=user,
    )
    other = make_case(hromada, kind=CaseKind.APPEAL, collective=True, appeal_type=AppealType.STATEMENT)
    CoSigner.objects.create(
        hromada=hromada, case=other, user=user, name="Коваленко Ірина", address="вул. Миру, 1"
    )
    someone = make_case(hromada, kind=CaseKind.REPORT, moderation="shown")
    case_follow(someone, user)
    joined = make_case(hromada, kind=CaseKind.REPORT, moderation="shown")
    case_join(case=joined, user=user)
    area_subscribe(hromada=hromada, user=user, category=make_category(hromada))
    return report, appeal, info, draft, upload, other, someone, joined


def test_the_export_holds_every_case_with_its_answer_and_public_history(hromada, hromada_admin):
    user = verified_user()
    stranger = verified_user()
    report, appeal, info, draft, upload, other, someone, joined = _data(hromada, user, hromada_admin)
    make_case(hromada, kind=CaseKind.APPEAL, applicant=stranger, title="Чуже звернення")
    data = privacy.personal_data(user=user)
    json.dumps(data)
    by_id = {c["id"]: c for c in data["cases"]}
    assert set(by_id) == {str(c.public_id) for c in (report, appeal, info, draft)}
    answered = by_id[str(appeal.public_id)]
    assert answered["status"] == "answered" and answered["answer"].startswith("Дорогу")
    assert answered["rating"] == 4 and answered["applicant_phone"] == "+380671112233"
    steps = [s["step"] for s in answered["history"]]
    assert steps[0] == "registered" and "answered" in steps
    assert "comment" not in steps and "Внутрішня нотатка" not in json.dumps(data), "internal notes stay"
    assert by_id[str(draft.public_id)]["files"] == [
        {"name": "лист.pdf", "kind": "document", "content_type": "application/pdf", "size": 10}
    ]
    assert by_id[str(report.public_id)]["applicant_email"] == "iryna@example.com"
    assert data["cosignatures"] == [
        {
            "hromada": hromada.slug,
            "case": str(other.public_id),
            "number": other.number,
            "title": other.title,
            "name": "Коваленко Ірина",
            "address": "вул. Миру, 1",
            "signed_at": data["cosignatures"][0]["signed_at"],
        }
    ]
    follows = {(s["case"], s["joined"], s["category"] is not None) for s in data["subscriptions"]}
    assert follows == {
        (str(someone.public_id), False, False),
        (str(joined.public_id), True, False),
        (None, False, True),
    }
    assert "Чуже звернення" not in json.dumps(data)


def test_erasure_keeps_statutory_records_and_unlinks_the_person(
    hromada, hromada_admin, django_capture_on_commit_callbacks
):
    user = verified_user()
    report, appeal, info, draft, upload, other, someone, joined = _data(hromada, user, hromada_admin)
    stored = upload.file.name
    storage = upload.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        privacy.personal_data_erase(user=user)

    assert not Case.objects.filter(pk=draft.pk).exists(), "a draft was never received"
    assert not storage.exists(stored), "its file is gone too"
    kept_appeal, kept_info, kept_report = (Case.objects.get(pk=c.pk) for c in (appeal, info, report))
    for kept in (kept_appeal, kept_info, kept_report):
        assert kept.applicant is None and kept.status != CaseStatus.DRAFT and kept.number
    # Appeals and information requests are the statutory record: the applicant's details stay.
    assert kept_appeal.applicant_name == "Коваленко Ірина Петрівна" and kept_appeal.answer
    assert kept_appeal.applicant_address and kept_appeal.applicant_phone == "+380671112233"
    assert kept_info.applicant_name and kept_info.applicant_email
    # A problem report is a service request: the reporter's details go, the report stays.
    assert (kept_report.applicant_name, kept_report.applicant_email, kept_report.applicant_phone) == (
        "",
        "",
        "",
    )
    assert kept_report.text and kept_report.lat is not None
    assert not CaseEvent.objects.filter(actor=user).exists(), "the person's own steps are unlinked"
    assert CaseEvent.objects.filter(case=kept_appeal, kind=EventKind.ANSWERED, actor=hromada_admin).exists()
    signature = CoSigner.objects.get(case=other)
    assert signature.user is None and signature.name == "Коваленко Ірина"
    assert not Subscription.objects.filter(user=user).exists()
    joined.refresh_from_db()
    assert joined.supporters == 0, 'the "me too" is withdrawn with the subscription'
    assert privacy.personal_data(user=user) == {"cases": [], "cosignatures": [], "subscriptions": []}


def test_the_kernel_runs_the_export_and_the_erasure(hromada, hromada_admin):
    from hromada.accounts import selectors, services

    module = registry.get("appeals")
    assert module.personal_data_export and module.personal_data_erase and module.kept_on_erase
    user = verified_user()
    report, appeal, info, draft, upload, other, someone, joined = _data(hromada, user, hromada_admin)
    exported = selectors.user_personal_data(user=user)
    assert {c["id"] for c in exported["appeals"]["cases"]} >= {str(appeal.public_id), str(report.public_id)}
    services.user_delete_account(user=user, password="correct horse battery")
    assert Case.objects.get(pk=appeal.pk).applicant is None
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not Subscription.objects.filter(user=user).exists()
