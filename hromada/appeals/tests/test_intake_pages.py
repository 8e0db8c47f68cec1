"""The residents' pages through HTTP: the index, the three forms with their errors,
drafts kept, co-signing by the link, similar reports on submit and joining one."""

import pytest
from django.urls import reverse

from hromada.appeals.models import Case, CaseKind, CaseStatus, CoSigner, Subscription
from hromada.appeals.tests.factories import LAT, LON, make_case, make_category
from hromada.appeals.tests.intake_helpers import (
    OUT_LAT,
    OUT_LON,
    draw_boundary,
    image,
    not_an_image,
    pole_attribute,
)

pytestmark = pytest.mark.django_db

APPEAL = {
    "appeal_type": "statement",
    "collective": "individual",
    "applicant_name": "Коваленко Ірина Петрівна",
    "applicant_address": "вул. Шевченка, 12, кв. 3",
    "applicant_email": "iryna@example.com",
    "title": "Ремонт дороги",
    "text": "Прошу відремонтувати дорогу на вул. Садовій.",
    "action": "submit",
}


def test_index_explains_the_four_ways_and_lists_my_drafts(client, hromada, resident):
    page = client.get(reverse("appeals:index")).content.decode()
    for text in (
        "Про звернення громадян",
        "Про доступ до публічної інформації",
        "Відкрите місто",
        "Гаряча лінія",
        "а не звернення",
    ):
        assert text in page
    draft = Case.objects.create(
        hromada=hromada, kind=CaseKind.APPEAL, applicant=resident, title="Моя чернетка"
    )
    client.force_login(resident)
    page = client.get(reverse("appeals:index")).content.decode()
    assert "Моя чернетка" in page and reverse("appeals:draft", args=[draft.public_id]) in page


def test_forms_need_an_account(client, hromada):
    for name in ("appeals:new_appeal", "appeals:new_info", "appeals:new_report"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_appeal_form_is_prefilled_from_the_verified_identity(client, hromada, resident):
    client.force_login(resident)
    page = client.get(reverse("appeals:new_appeal")).content.decode()
    assert resident.identity.last_name in page and resident.email in page


def test_an_appeal_is_submitted_and_its_number_shown(client, hromada, resident):
    client.force_login(resident)
    response = client.post(reverse("appeals:new_appeal"), APPEAL, follow=True)
    case = Case.objects.get()
    assert case.status == CaseStatus.REGISTERED and case.applicant == resident and case.channel == "web"
    assert f"№{case.number}" in response.content.decode()


def test_missing_fields_are_all_shown_and_what_was_typed_is_kept(client, hromada, resident):
    client.force_login(resident)
    data = APPEAL | {
        "applicant_name": "",
        "applicant_address": "",
        "appeal_type": "",
        "applicant_email": "bad",
    }
    response = client.post(reverse("appeals:new_appeal"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    for message in ("прізвище, ім", "місце проживання", "вид звернення", "e-mail"):
        assert message.lower() in page.lower()
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT and case.text == APPEAL["text"]
    assert reverse("appeals:draft", args=[case.public_id]) in page  # the next post goes to the draft
    # Fixing it on the draft registers it.
    response = client.post(reverse("appeals:draft", args=[case.public_id]), APPEAL)
    case.refresh_from_db()
    assert response.status_code == 302 and case.status == CaseStatus.REGISTERED
    assert Case.objects.count() == 1


def test_save_draft_keeps_whatever_is_valid(client, hromada, resident):
    client.force_login(resident)
    response = client.post(reverse("appeals:new_appeal"), {"text": "Половина думки", "action": "draft"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:draft", args=[case.public_id]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Половина думки" in page and "Чернетка" in page
    client.post(reverse("appeals:draft", args=[case.public_id]), {"action": "discard"})
    assert not Case.objects.exists()


def test_a_draft_is_only_its_authors(client, hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    case = Case.objects.create(hromada=hromada, kind=CaseKind.APPEAL, applicant=resident)
    client.force_login(verified_user())
    assert client.get(reverse("appeals:draft", args=[case.public_id])).status_code == 404


def test_a_draft_of_another_hromada_is_not_found(client, hromada, other_hromada, resident):
    case = Case.objects.create(hromada=other_hromada, kind=CaseKind.APPEAL, applicant=resident)
    client.force_login(resident)
    assert client.get(reverse("appeals:draft", args=[case.public_id])).status_code == 404


def test_info_request_with_urgent_reason(client, hromada, resident):
    client.force_login(resident)
    data = {
        "applicant_name": "Коваленко Ірина",
        "applicant_email": "iryna@example.com",
        "text": "Результати аналізу води",
        "answer_form": "email",
        "urgent": "on",
        "action": "submit",
    }
    response = client.post(reverse("appeals:new_info"), data)
    assert response.status_code == 400 and "чому запит терміновий" in response.content.decode().lower()
    case = Case.objects.get()
    client.post(reverse("appeals:draft", args=[case.public_id]), data | {"urgent_reason": "environment"})
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.urgent_reason == "environment"


# --- problem reports ---------------------------------------------------------------------------


def _report(category, **extra):
    return {
        "category": category.code,
        "lat": str(LAT),
        "lon": str(LON),
        "text": "Не світить ліхтар біля зупинки",
        "action": "submit",
    } | extra


def test_a_report_with_a_photo_is_registered(client, hromada, resident):
    category = make_category(hromada, name="Вуличне освітлення", target_hours=72)
    client.force_login(resident)
    page = client.get(reverse("appeals:new_report")).content.decode()
    assert "Вуличне освітлення — вирішуємо за 3 дн." in page and 'data-map="report-pick-config"' in page
    response = client.post(
        reverse("appeals:new_report"), _report(category, file_1=image(), alt_1="Темний ліхтар")
    )
    case = Case.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert case.status != CaseStatus.DRAFT and case.anonymous is True and case.attachments.count() == 1


def test_report_errors_outside_wrong_photo_unknown_category(client, hromada, resident):
    draw_boundary(hromada)
    category = make_category(hromada)
    client.force_login(resident)
    response = client.post(
        reverse("appeals:new_report"),
        _report(category, lat=str(OUT_LAT), lon=str(OUT_LON), file_1=not_an_image(), alt_1="ліхтар"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "поза межами громади" in page and "недозволений тип" in page
    response = client.post(reverse("appeals:new_report"), _report(category) | {"category": "no-such"})
    assert response.status_code == 400 and "Оберіть" in response.content.decode()


def test_a_photo_without_a_description_is_refused_on_its_field(client, hromada, resident):
    category = make_category(hromada)
    client.force_login(resident)
    response = client.post(reverse("appeals:new_report"), _report(category, file_1=image(), alt_1=""))
    assert response.status_code == 400 and 'id="id_alt_1_error"' in response.content.decode()


def test_a_required_attribute_is_asked_and_enforced(client, hromada, resident):
    category = make_category(hromada)
    pole_attribute(category)
    client.force_login(resident)
    fragment = client.get(reverse("appeals:attributes"), {"category": category.code}).content.decode()
    assert "Номер опори" in fragment and 'name="attr_pole"' in fragment
    response = client.post(reverse("appeals:new_report"), _report(category))
    assert (
        response.status_code == 400
        and "Дайте відповідь на питання «Номер опори»" in response.content.decode()
    )
    case = Case.objects.get()
    client.post(reverse("appeals:draft", args=[case.public_id]), _report(category, attr_pole="42"))
    case.refresh_from_db()
    assert case.status != CaseStatus.DRAFT and case.attributes == {"pole": "42"}


def test_similar_reports_are_offered_on_submit_and_joining_discards_the_draft(client, hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    category = make_category(hromada)
    existing = make_case(hromada, category=category, applicant=verified_user(), lat=LAT + 0.0003, lon=LON)
    client.force_login(resident)
    fragment = client.get(reverse("appeals:nearby"), {"category": category.code, "lat": LAT, "lon": LON})
    assert f"№{existing.number}" in fragment.content.decode()
    response = client.post(reverse("appeals:new_report"), _report(category))
    page = response.content.decode()
    assert response.status_code == 200 and "Схоже, про це вже повідомили" in page
    draft = Case.objects.get(status=CaseStatus.DRAFT)
    response = client.post(
        reverse("appeals:join", args=[existing.public_id]), {"draft": str(draft.public_id)}
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.supporters == 1 and Subscription.objects.get(user=resident, case=existing).joined
    assert not Case.objects.filter(pk=draft.pk).exists()


def test_a_resident_may_still_submit_their_own_report_beside_a_similar_one(client, hromada, resident):
    category = make_category(hromada)
    make_case(hromada, category=category, lat=LAT, lon=LON)
    client.force_login(resident)
    client.post(reverse("appeals:new_report"), _report(category))
    draft = Case.objects.get(status=CaseStatus.DRAFT)
    response = client.post(reverse("appeals:draft", args=[draft.public_id]), _report(category, confirmed="1"))
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.number == 2


def test_nearby_fragment_is_per_hromada(client, hromada, other_hromada, resident):
    category = make_category(hromada)
    theirs = make_category(other_hromada, code=category.code)
    make_case(other_hromada, category=theirs)
    fragment = client.get(reverse("appeals:nearby"), {"category": category.code, "lat": LAT, "lon": LON})
    assert "Поруч немає" in fragment.content.decode()


# --- co-signing ---------------------------------------------------------------------------------


def test_collective_appeal_cosigned_through_the_link(client, hromada, resident):
    from hromada.accounts.tests.factories import verified_user

    client.force_login(resident)
    client.post(reverse("appeals:new_appeal"), APPEAL | {"collective": "collective"})
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT and case.collective  # refused: no co-signer yet
    link = reverse("appeals:cosign", args=[case.public_id])
    page = client.get(reverse("appeals:draft", args=[case.public_id])).content.decode()
    assert link in page and "Підписали 0" in page
    neighbour = verified_user()
    client.force_login(neighbour)
    assert APPEAL["text"] in client.get(link).content.decode()
    response = client.post(link, {"name": "Петренко Петро Петрович", "address": "вул. Садова, 3"})
    assert response.status_code == 302
    assert CoSigner.objects.get(case=case).user == neighbour
    client.force_login(resident)
    page = client.get(reverse("appeals:draft", args=[case.public_id])).content.decode()
    assert "Петренко Петро Петрович" in page
    client.post(reverse("appeals:draft", args=[case.public_id]), APPEAL | {"collective": "collective"})
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    client.force_login(verified_user())
    assert "нові підписи не приймаються" in client.get(link).content.decode()


def test_the_cosign_link_asks_a_visitor_to_log_in(client, hromada, resident):
    case = make_case(hromada, kind=CaseKind.APPEAL, register=False, applicant=resident, collective=True)
    page = client.get(reverse("appeals:cosign", args=[case.public_id])).content.decode()
    assert "/accounts/login/" in page
