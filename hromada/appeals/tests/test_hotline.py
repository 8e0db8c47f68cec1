"""The hotline console: new and returning callers, the three kinds, paper letters with
co-signers, an appeal lacking the law's fields registered with a warning, the role
matrix and cross-hromada isolation."""

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import role_matrix
from hromada.appeals.models import Case, CaseKind, CaseStatus, Channel, CoSigner
from hromada.appeals.services import intake as svc
from hromada.appeals.tests.factories import LAT, LON, make_case, make_category
from hromada.core.errors import DomainError

pytestmark = pytest.mark.django_db

HOTLINE = reverse("staff_appeals:hotline")
CALL = {
    "kind": "appeal",
    "channel": "hotline",
    "appeal_type": "statement",
    "applicant_name": "Мельник Олег Іванович",
    "applicant_phone": "067 123 45 67",
    "applicant_address": "с. Вербівка, вул. Миру, 4",
    "text": "Не приїжджає шкільний автобус.",
}


def test_roles_who_may_open_the_console(client, hromada, other_hromada):
    users = role_matrix(hromada, other_hromada)
    expected = {"admin": 200, "officer": 200, "moderator": 403, "resident": 403, "anonymous": 302}
    expected |= {f"other_{r}": 403 for r in ("admin", "officer", "moderator")}
    for name, user in users.items():
        client.logout()
        if name != "anonymous":
            client.force_login(user)
        assert client.get(HOTLINE).status_code == expected[name], name


def test_only_operators_register(hromada, resident, moderator):
    for user in (resident, moderator):
        with pytest.raises(DomainError) as caught:
            svc.hotline_register(hromada=hromada, operator=user, kind=CaseKind.APPEAL, **_fields(CALL))
        assert caught.value.code == "forbidden"


def _fields(data):
    return {k: v for k, v in data.items() if k not in ("kind", "channel")}


def test_a_new_callers_appeal_is_registered_and_its_number_read_out(client, hromada, officer):
    client.force_login(officer)
    response = client.post(HOTLINE, CALL)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "staff_appeals:hotline_done", args=[case.public_id]
    )
    assert case.channel == Channel.HOTLINE and case.registered_by == officer and case.applicant is None
    assert case.applicant_phone == "+380671234567" and case.status == CaseStatus.REGISTERED
    assert case.title == "Не приїжджає шкільний автобус."
    page = client.get(response["Location"]).content.decode()
    assert f"номером {case.number}" in page and "без відомостей" not in page


def test_a_returning_caller_is_found_by_phone_with_earlier_cases(client, hromada, officer, resident):
    earlier = make_case(hromada, kind=CaseKind.APPEAL, applicant=resident, applicant_phone="+380671234567")
    client.force_login(officer)
    page = client.get(HOTLINE, {"q": "067-123-45-67"}).content.decode()
    assert "Коваленко Ірина Петрівна" in page and f"№{earlier.number}" in page and "має кабінет" in page
    # Choosing them fills the form and ties the new case to their account.
    page = client.get(HOTLINE, {"user": str(resident.public_id)}).content.decode()
    assert 'value="вул. Шевченка, 12, кв. 3"' in page
    response = client.post(
        HOTLINE, CALL | {"caller": str(resident.public_id), "applicant_name": "Коваленко Ірина Петрівна"}
    )
    assert response.status_code == 302
    assert Case.objects.filter(applicant=resident).count() == 2


def test_callers_are_found_by_name_and_email_only_in_this_hromada(client, hromada, other_hromada, officer):
    make_case(hromada, kind=CaseKind.INFO, applicant_name="Шевчук Марія", applicant_email="maria@example.com")
    make_case(
        other_hromada, kind=CaseKind.INFO, applicant_name="Шевчук Тарас", applicant_email="taras@example.com"
    )
    client.force_login(officer)
    page = client.get(HOTLINE, {"q": "Шевчук"}).content.decode()
    assert "Шевчук Марія" in page and "Шевчук Тарас" not in page
    assert "Шевчук Марія" in client.get(HOTLINE, {"q": "MARIA@example.com"}).content.decode()
    assert "Нікого не знайдено" in client.get(HOTLINE, {"q": "taras@example.com"}).content.decode()


def test_a_case_of_another_hromada_does_not_prefill(client, hromada, other_hromada, officer):
    theirs = make_case(other_hromada, kind=CaseKind.APPEAL, applicant_name="Чужий Заявник Тест")
    client.force_login(officer)
    assert "Чужий Заявник Тест" not in client.get(HOTLINE, {"case": str(theirs.public_id)}).content.decode()
    assert client.get(reverse("staff_appeals:hotline_done", args=[theirs.public_id])).status_code == 404


def test_an_appeal_lacking_the_laws_fields_is_registered_with_a_warning(client, hromada, officer):
    client.force_login(officer)
    response = client.post(HOTLINE, CALL | {"applicant_address": "", "applicant_name": "Олег"})
    case = Case.objects.get()
    assert response.status_code == 302 and case.number == 1
    page = client.get(response["Location"]).content.decode()
    assert "без відомостей" in page and "місце проживання" in page.lower() and "по батькові" in page


def test_the_appeal_type_is_never_optional(client, hromada, officer):
    client.force_login(officer)
    response = client.post(HOTLINE, CALL | {"appeal_type": ""})
    assert response.status_code == 400 and "вид звернення" in response.content.decode().lower()
    assert not Case.objects.exists()


def test_a_paper_collective_appeal_with_typed_cosigners(client, hromada, officer):
    client.force_login(officer)
    data = CALL | {
        "channel": "paper",
        "collective": "on",
        "cosigners": "Мельник Ганна Петрівна; вул. Миру, 4\nБойко Іван; вул. Миру, 6",
    }
    response = client.post(HOTLINE, data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.channel == Channel.PAPER and case.collective
    assert list(CoSigner.objects.filter(case=case).values_list("name", "address")) == [
        ("Мельник Ганна Петрівна", "вул. Миру, 4"),
        ("Бойко Іван", "вул. Миру, 6"),
    ]


def test_a_report_by_phone_needs_its_category_and_place(client, hromada, officer):
    category = make_category(hromada, name="Вуличне освітлення")
    client.force_login(officer)
    data = {
        "kind": "report",
        "channel": "hotline",
        "applicant_name": "Мельник Олег",
        "applicant_phone": "0671234567",
        "text": "Не світить ліхтар",
    }
    response = client.post(HOTLINE, data)
    page = response.content.decode()
    assert response.status_code == 400 and "категорію" in page and "Позначте місце" in page
    response = client.post(
        HOTLINE, data | {"category": f"report:{category.code}", "lat": str(LAT), "lon": str(LON)}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.kind == CaseKind.REPORT and case.title == "Вуличне освітлення"
    assert case.applicant_name == "Мельник Олег" and case.registered_by == officer


def test_an_information_request_by_visit(client, hromada, officer):
    client.force_login(officer)
    data = {
        "kind": "info",
        "channel": "visit",
        "applicant_name": "Бойко Іван",
        "applicant_phone": "0501112233",
        "applicant_address": "вул. Миру, 6",
        "text": "Копія рішення про тарифи",
        "answer_form": "post",
    }
    response = client.post(HOTLINE, data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.kind == CaseKind.INFO and case.channel == Channel.VISIT


def test_a_category_of_the_wrong_kind_is_refused(client, hromada, officer):
    category = make_category(hromada)
    client.force_login(officer)
    response = client.post(HOTLINE, CALL | {"category": f"report:{category.code}"})
    assert response.status_code == 400 and not Case.objects.exists()
