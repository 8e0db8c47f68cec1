"""The intake services: drafts, submission with every problem at once, photos, the
point inside the hromada, attributes, co-signers, similar reports nearby and joining."""

import pytest

from hromada.appeals.models import (
    AppealType,
    Attachment,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CoSigner,
    EventKind,
    Subscription,
)
from hromada.appeals.services import intake as svc
from hromada.appeals.services.nearby import case_join, nearby_similar
from hromada.appeals.tests.factories import LAT, LON, make_case, make_category
from hromada.appeals.tests.intake_helpers import (
    OUT_LAT,
    OUT_LON,
    draw_boundary,
    image,
    not_an_image,
    pdf,
    pole_attribute,
)
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    return {d["code"] for d in exc.details}


def test_a_half_written_appeal_is_kept_as_a_draft_and_submitted_later(hromada, resident):
    case = svc.draft_create(
        hromada=hromada, user=resident, kind=CaseKind.APPEAL, text="Прошу полагодити лавку"
    )
    assert case.status == CaseStatus.DRAFT and case.number is None
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert caught.value.code == "case_incomplete"
    # Every missing field at once, nothing typed lost.
    assert codes(caught.value) == {
        "applicant_name_required",
        "applicant_address_required",
        "appeal_type_required",
    }
    case.refresh_from_db()
    assert case.text == "Прошу полагодити лавку" and case.status == CaseStatus.DRAFT
    svc.draft_update(
        case=case,
        user=resident,
        applicant_name="Коваленко Ірина Петрівна",
        applicant_address="вул. Шевченка, 12",
        appeal_type=AppealType.PROPOSAL,
    )
    svc.case_submit(case=case, user=resident)
    assert case.status == CaseStatus.REGISTERED and case.number == 1 and case.channel == "web"


def test_someone_else_cannot_touch_a_draft(hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    case = svc.draft_create(hromada=hromada, user=resident, kind=CaseKind.APPEAL, text="x")
    with pytest.raises(DomainError) as caught:
        svc.draft_update(case=case, user=verified_user(), text="чуже")
    assert caught.value.code == "not_applicant"


def test_a_category_of_another_hromada_or_kind_is_refused(hromada, other_hromada, resident):
    foreign = make_category(other_hromada, kind=CaseKind.APPEAL)
    report_category = make_category(hromada, kind=CaseKind.REPORT)
    for category in (foreign, report_category):
        with pytest.raises(DomainError) as caught:
            svc.draft_create(hromada=hromada, user=resident, kind=CaseKind.APPEAL, category=category)
        assert caught.value.code == "category_unknown"


def test_information_request_urgent_needs_a_reason_and_gets_48_hours(hromada, resident):
    case = svc.draft_create(
        hromada=hromada,
        user=resident,
        kind=CaseKind.INFO,
        applicant_name="Коваленко Ірина",
        applicant_email="iryna@example.com",
        text="Дані про якість питної води за травень",
        answer_form="email",
        urgent=True,
    )
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert codes(caught.value) == {"urgent_reason_required"}
    svc.draft_update(case=case, user=resident, urgent_reason="environment")
    svc.case_submit(case=case, user=resident)
    assert (case.due_at - case.registered_at).total_seconds() == 48 * 3600


def test_information_request_by_post_needs_an_address(hromada, resident):
    case = svc.draft_create(
        hromada=hromada,
        user=resident,
        kind=CaseKind.INFO,
        applicant_name="Коваленко Ірина",
        text="Копія рішення № 12",
        answer_form="post",
    )
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert codes(caught.value) == {"applicant_address_required"}


def test_collective_appeal_is_cosigned_on_its_draft_then_submitted(hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    case = make_case(hromada, kind=CaseKind.APPEAL, register=False, applicant=resident, collective=True)
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert codes(caught.value) == {"cosigners_required"}
    neighbour = verified_user()
    with pytest.raises(DomainError) as caught:
        svc.cosign(case=case, user=neighbour, name="Петро", address="")
    assert codes(caught.value) == {"name_required", "address_required"}
    svc.cosign(case=case, user=neighbour, name="Петренко Петро Петрович", address="вул. Садова, 3")
    with pytest.raises(DomainError) as caught:
        svc.cosign(case=case, user=neighbour, name="Петренко Петро Петрович", address="вул. Садова, 3")
    assert caught.value.code == "already_signed"
    with pytest.raises(DomainError) as caught:
        svc.cosign(case=case, user=resident, name="Автор Автор", address="вул. Садова, 3")
    assert caught.value.code == "own_case"
    svc.case_submit(case=case, user=resident)
    assert case.status == CaseStatus.REGISTERED and CoSigner.objects.filter(case=case).count() == 1
    # After registration no one else signs.
    with pytest.raises(DomainError) as caught:
        svc.cosign(case=case, user=verified_user(), name="Іваненко Іван", address="вул. Садова, 5")
    assert caught.value.code == "case_not_draft"


def test_a_cosigner_may_withdraw_while_it_is_a_draft(hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    case = make_case(hromada, kind=CaseKind.APPEAL, register=False, applicant=resident, collective=True)
    neighbour = verified_user()
    svc.cosign(case=case, user=neighbour, name="Петренко Петро", address="вул. Садова, 3")
    assert svc.cosign_withdraw(case=case, user=neighbour) is True
    assert not CoSigner.objects.filter(case=case).exists()


# --- reports -------------------------------------------------------------------------------


def _report_draft(hromada, user, **fields):
    category = fields.pop("category", None) or make_category(hromada)
    base = {"category": category, "lat": LAT, "lon": LON, "text": "Не світить ліхтар"}
    return svc.draft_create(hromada=hromada, user=user, kind=CaseKind.REPORT, **(base | fields))


def test_a_point_outside_the_drawn_boundary_is_refused_precisely(hromada, resident):
    draw_boundary(hromada)
    case = _report_draft(hromada, resident, lat=OUT_LAT, lon=OUT_LON)
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert caught.value.code == "location_outside"
    assert (
        f"{OUT_LAT:.5f}" in caught.value.details[0]["message"]
        and hromada.name in caught.value.details[0]["message"]
    )
    svc.draft_update(case=case, user=resident, lat=LAT, lon=LON)
    svc.case_submit(case=case, user=resident)
    assert case.number == 1


def test_a_report_without_a_point_is_found_by_its_address(hromada, resident):
    from hromada.places.tests.geo_fixtures import CENTRE, build_geo

    build_geo(hromada)
    case = _report_draft(hromada, resident, lat=None, lon=None, address="Шевченка 12а")
    svc.case_submit(case=case, user=resident)
    case.refresh_from_db()
    assert case.lat == pytest.approx(CENTRE[1] + 0.001) and case.building is not None
    unknown = _report_draft(hromada, resident, lat=None, lon=None, address="Неіснуюча 999")
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=unknown, user=resident)
    assert caught.value.details[0]["code"] == "address_not_found"


def test_required_attributes_and_every_problem_at_once(hromada, resident):
    category = make_category(hromada)
    pole_attribute(category)
    case = _report_draft(hromada, resident, category=category, lat=None, lon=None, text="")
    with pytest.raises(DomainError) as caught:
        svc.case_submit(case=case, user=resident)
    assert codes(caught.value) == {"location_required", "text_required", "attribute_required"}
    svc.draft_update(case=case, user=resident, lat=LAT, lon=LON, text="Темно", attributes={"pole": "17"})
    svc.case_submit(case=case, user=resident)
    assert case.attributes == {"pole": "17"}


def test_photos_are_checked_by_content_size_count_and_description(hromada, resident, settings):
    case = _report_draft(hromada, resident)
    with pytest.raises(DomainError) as caught:
        svc.attachment_add(case=case, user=resident, upload=not_an_image(), alt_text="ліхтар")
    assert caught.value.code == "file_type_not_allowed"
    with pytest.raises(DomainError) as caught:
        svc.attachment_add(case=case, user=resident, upload=pdf(), alt_text="скан")
    assert caught.value.code == "file_type_not_allowed"  # reports take photos only
    with pytest.raises(DomainError) as caught:
        svc.attachment_add(case=case, user=resident, upload=image(), alt_text="")
    assert caught.value.code == "alt_text_required"
    big = image(size=(8, 8))
    big.size = svc.PHOTO_MAX_BYTES + 1
    with pytest.raises(DomainError) as caught:
        svc.attachment_add(case=case, user=resident, upload=big, alt_text="ліхтар")
    assert caught.value.code == "file_too_large"
    for fmt in ("PNG", "JPEG", "WEBP"):
        svc.attachment_add(case=case, user=resident, upload=image(f"p.{fmt.lower()}", fmt), alt_text="ліхтар")
    with pytest.raises(DomainError) as caught:
        svc.attachment_add(case=case, user=resident, upload=image(), alt_text="ліхтар")
    assert caught.value.code == "too_many_files"
    stored = Attachment.objects.filter(case=case)
    assert stored.count() == 3 and {a.content_type for a in stored} == {
        "image/png",
        "image/jpeg",
        "image/webp",
    }
    assert all(len(a.sha256) == 64 and a.original_name.startswith("p.") for a in stored)


def test_appeal_documents_take_pdf(hromada, resident):
    case = svc.draft_create(hromada=hromada, user=resident, kind=CaseKind.APPEAL)
    item = svc.attachment_add(case=case, user=resident, upload=pdf())
    assert item.kind == "document" and item.content_type == "application/pdf"


def test_report_create_is_all_or_nothing(hromada, resident):
    category = make_category(hromada)
    with pytest.raises(DomainError) as caught:
        svc.report_create(
            hromada=hromada,
            user=resident,
            category=category,
            lat=LAT,
            lon=LON,
            text="Яма",
            photos=[(image(), "яма"), (not_an_image(), "яма")],
        )
    assert codes(caught.value) == {"file_type_not_allowed"} and caught.value.details[0]["field"] == "photo[2]"
    assert not Attachment.objects.exists()
    case = svc.report_create(
        hromada=hromada,
        user=resident,
        category=category,
        lat=LAT,
        lon=LON,
        text="Яма",
        photos=[(image(), "яма")],
    )
    assert case.number == 1 and case.channel == "api" and case.attachments.count() == 1


# --- nearby and joining ----------------------------------------------------------------------


def test_nearby_finds_open_reports_of_the_category_within_the_radius(hromada, resident):
    category = make_category(hromada)
    near = make_case(hromada, category=category, lat=LAT + 0.0005, lon=LON)  # ~55 m
    make_case(hromada, category=category, lat=LAT + 0.01, lon=LON)  # ~1.1 km
    make_case(hromada, lat=LAT, lon=LON)  # another category
    closed = make_case(hromada, category=category)
    closed.status = CaseStatus.RESOLVED
    closed.save()
    found = nearby_similar(hromada=hromada, category=category, lat=LAT, lon=LON)
    assert [n.case for n in found] == [near] and 50 <= found[0].distance_m <= 60


def test_nearby_never_crosses_hromadas(hromada, other_hromada):
    category = make_category(hromada)
    theirs = make_category(other_hromada, code=category.code)
    make_case(other_hromada, category=theirs)
    assert nearby_similar(hromada=hromada, category=category, lat=LAT, lon=LON) == []


def test_joining_a_report_counts_follows_and_is_recorded(hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    report = make_case(hromada, applicant=verified_user())
    case_join(case=report, user=resident)
    report.refresh_from_db()
    assert report.supporters == 1
    assert Subscription.objects.get(case=report, user=resident).joined is True
    assert CaseEvent.objects.filter(case=report, kind=EventKind.JOINED, public=True).count() == 1
    entry = LedgerEntry.objects.filter(kind="appeals.case_joined").get()
    assert entry.payload["case"] == str(report.public_id) and "user" not in entry.payload
    with pytest.raises(DomainError) as caught:
        case_join(case=report, user=resident)
    assert caught.value.code == "already_joined"
    report.refresh_from_db()
    assert report.supporters == 1


def test_one_cannot_join_ones_own_or_a_closed_report(hromada, resident):
    own = make_case(hromada, applicant=resident)
    with pytest.raises(DomainError) as caught:
        case_join(case=own, user=resident)
    assert caught.value.code == "own_case"
    closed = make_case(hromada)
    closed.status = CaseStatus.RESOLVED
    closed.save()
    with pytest.raises(DomainError) as caught:
        case_join(case=closed, user=resident)
    assert caught.value.code == "case_not_open"


def test_a_follower_who_joins_keeps_one_subscription(hromada, resident):
    report = make_case(hromada)
    Subscription.objects.create(hromada=hromada, user=resident, case=report)
    case_join(case=report, user=resident)
    assert Subscription.objects.filter(case=report, user=resident).count() == 1


def test_prefill_takes_the_verified_name_and_the_last_address(hromada, resident):
    make_case(
        hromada,
        kind=CaseKind.APPEAL,
        applicant=resident,
        applicant_address="вул. Лісова, 1",
        applicant_phone="+380671234567",
    )
    data = svc.prefill(resident, hromada)
    identity = resident.identity
    assert (
        data["applicant_name"].startswith(identity.last_name)
        and identity.first_name in data["applicant_name"]
    )
    assert data["applicant_address"] == "вул. Лісова, 1" and data["applicant_email"] == resident.email


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("067 123-45-67", "+380671234567"),
        ("+38 (067) 123 45 67", "+380671234567"),
        ("380671234567", "+380671234567"),
        ("112", "112"),
    ],
)
def test_phones_are_stored_normalised(typed, stored):
    assert svc.phone_normalise(typed) == stored
