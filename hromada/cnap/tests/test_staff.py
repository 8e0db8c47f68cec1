"""The staff console: who may open it (role matrix), and forms that keep what was typed
and say in Ukrainian what is wrong."""

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import role_matrix
from hromada.cnap.models import Office, ScheduleException, Service, ServiceStatus, WeeklyHours, Workplace

from .factories import make_office, make_service

pytestmark = pytest.mark.django_db

ALLOWED = {"admin"}


def test_role_matrix(client, hromada, other_hromada):
    office = make_office(hromada)
    service = make_service(hromada)
    urls = [
        reverse("staff_cnap:index"),
        reverse("staff_cnap:services"),
        reverse("staff_cnap:service", args=[service.public_id]),
        reverse("staff_cnap:service_new"),
        reverse("staff_cnap:taxonomy"),
        reverse("staff_cnap:offices"),
        reverse("staff_cnap:office", args=[office.public_id]),
        reverse("staff_cnap:workplace_new", args=[office.public_id]),
    ]
    for name, user in role_matrix(hromada, other_hromada).items():
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for url in urls:
            status = client.get(url).status_code
            if name in ALLOWED:
                assert status == 200, (name, url)
            elif name == "anonymous":
                assert status == 302, (name, url)
            else:
                assert status == 403, (name, url)
        # A refused write changes nothing.
        Service.objects.filter(pk=service.pk).update(status=ServiceStatus.PUBLISHED)
        client.post(reverse("staff_cnap:service_state", args=[service.public_id]), {"action": "archive"})
        if name not in ALLOWED:
            service.refresh_from_db()
            assert service.status == ServiceStatus.PUBLISHED


def test_a_service_is_written_and_bad_input_keeps_what_was_typed(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    url = reverse("staff_cnap:service_new")
    bad = {
        "title": "Реєстрація місця проживання",
        "code": "",
        "fee_kind": "fixed",
        "fee_amount": "сто",
        "in_person": "on",
        "visit_units": "0",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Реєстрація місця проживання"' in page and 'value="сто"' in page
    assert "Заповніть поле «Код послуги»" in page and "Сума має бути числом" in page
    assert Service.objects.count() == 0
    good = {
        **bad,
        "code": "01-01",
        "fee_kind": "free",
        "fee_amount": "",
        "visit_units": "2",
        "booking_allowed": "on",
        "provider": "Виконком",
        "applicants": "Громадяни",
        "term": "одразу",
        "result": "Відомості в реєстрі",
    }
    response = client.post(url, good)
    service = Service.objects.get(code="01-01")
    assert response.status_code == 302 and service.visit_units == 2
    doc = client.post(reverse("staff_cnap:service", args=[service.public_id]), {"title": "", "form": "copy"})
    assert doc.status_code == 400 and "Заповніть поле «Документ»" in doc.content.decode()
    client.post(
        reverse("staff_cnap:service", args=[service.public_id]),
        {"title": "Паспорт", "form": "original", "required": "on"},
    )
    assert list(service.documents.values_list("title", flat=True)) == ["Паспорт"]
    client.post(reverse("staff_cnap:service_state", args=[service.public_id]), {"action": "publish"})
    service.refresh_from_db()
    assert service.status == ServiceStatus.PUBLISHED


def test_offices_windows_week_and_exceptions_through_the_console(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    make_service(hromada, code="01-01")
    response = client.post(
        reverse("staff_cnap:office_new"), {"kind": "centre", "name": "Центр", "code": "Центр!", "address": ""}
    )
    assert response.status_code == 400 and "латинські малі літери" in response.content.decode()
    response = client.post(
        reverse("staff_cnap:office_new"),
        {"kind": "centre", "name": "Центр", "code": "tsentr", "address": "вул. Соборна, 1", "active": "on"},
    )
    assert response.status_code == 302
    office = Office.objects.get(code="tsentr")
    assert WeeklyHours.objects.filter(office=office).count() == 6  # the legal default week
    office_url = reverse("staff_cnap:office", args=[office.public_id])
    response = client.post(
        reverse("staff_cnap:workplace_new", args=[office.public_id]),
        {"number": "1", "unit_minutes": "200", "services": ["01-01"]},
    )
    assert response.status_code == 400 and "від 5 до 120" in response.content.decode()
    client.post(
        reverse("staff_cnap:workplace_new", args=[office.public_id]),
        {"number": "1", "unit_minutes": "20", "services": ["01-01"], "active": "on"},
    )
    assert Workplace.objects.get(office=office).unit_minutes == 20
    week = {"form": "week", "d0_opens": "17:00", "d0_closes": "08:00"}
    response = client.post(office_url, week)
    assert response.status_code == 400 and 'value="17:00"' in response.content.decode()
    response = client.post(
        office_url,
        {
            "form": "exception",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
            "closed": "1",
            "reason": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Дата «по» не може бути раніше" in page and 'value="2026-12-10"' in page
    client.post(
        office_url,
        {
            "form": "exception",
            "starts_on": "2026-12-10",
            "closed": "0",
            "opens": "10:00",
            "closes": "13:00",
            "reason": "Навчання",
        },
    )
    row = ScheduleException.objects.get(office=office)
    assert (row.closed, str(row.opens)) == (False, "10:00:00")
    client.post(reverse("staff_cnap:exception_delete", args=[office.public_id, row.pk]))
    assert not ScheduleException.objects.exists()
