import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import UserFactory
from hromada.notify.models import Notification, Preference
from hromada.notify.services import notify_send

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def send(hromada, user, n=1, kind="sample.noticed"):
    for i in range(n):
        notify_send(
            hromada=hromada, users=[user], kind=kind, title=f"Подія {i}", body="Текст", url="/sample/"
        )


@pytest.fixture
def user_client(client, resident, hromada):
    client.force_login(resident)
    return client


def test_list_requires_login(client, hromada):
    response = client.get(reverse("notify:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_list_shows_own_notifications_unread_first_class(user_client, resident, hromada, other_hromada):
    send(hromada, resident, 2)
    send(other_hromada, resident)  # another hromada's: not shown here
    notify_send(hromada=hromada, users=[UserFactory()], kind="sample.closed", title="Чуже")
    Notification.objects.filter(title="Подія 0").update(read_at="2025-01-01T00:00:00Z")
    response = user_client.get(reverse("notify:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="notification ') + html.count('class="notification"') == 2
    assert html.count("notification-unread") == 1
    assert "Чуже" not in html
    assert "1 непрочитане сповіщення" in html


def test_list_is_paginated_and_htmx_gets_the_fragment(user_client, resident, hromada):
    send(hromada, resident, 25)
    page2 = user_client.get(reverse("notify:list") + "?page=2", **HTMX)
    assert page2.status_code == 200
    html = page2.content.decode()
    assert "<html" not in html
    assert html.count("<li") == 5
    assert "Сторінка 2 з 2" in html


def test_mark_read_by_post_only(user_client, resident, hromada):
    send(hromada, resident)
    n = Notification.objects.get()
    url = reverse("notify:mark_read", args=[n.public_id])
    assert user_client.get(url).status_code == 405
    response = user_client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("notify:list")
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_htmx_returns_the_item(user_client, resident, hromada):
    send(hromada, resident)
    n = Notification.objects.get()
    response = user_client.post(reverse("notify:mark_read", args=[n.public_id]), **HTMX)
    html = response.content.decode()
    assert html.startswith("<li") and "notification-unread" not in html


def test_cannot_mark_someone_elses_notification(user_client, hromada, other_hromada, resident):
    other = UserFactory()
    send(hromada, other)
    send(other_hromada, resident)
    for n in Notification.objects.all():
        response = user_client.post(reverse("notify:mark_read", args=[n.public_id]))
        assert response.status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_mark_all_read(user_client, resident, hromada, other_hromada):
    send(hromada, resident, 3)
    send(other_hromada, resident)
    response = user_client.post(reverse("notify:mark_all_read"), **HTMX)
    assert response.status_code == 200
    assert "Непрочитаних сповіщень немає." in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the other hromada's


def test_preferences_page_and_saving(user_client, resident):
    response = user_client.get(reverse("notify:preferences"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset>" in html and "<legend>" in html
    # Every installed module's kinds (the petitions kinds: hromada/petitions/tests/test_with_kernel.py).
    assert "Something was noticed" in html and "Something was closed" in html
    assert "Staff alarm" not in html  # staff kinds only for staff
    data = {"sample.noticed__in_app": "on"}  # e-mail unticked; every other kind unticked
    response = user_client.post(reverse("notify:preferences"), data)
    assert response.status_code == 302
    stored = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=resident)}
    assert stored["sample.noticed"] == (True, False)
    assert stored["sample.closed"] == (False, False)
    assert "sample.staff_alarm" not in stored
    html = user_client.get(reverse("notify:preferences")).content.decode()
    assert 'name="sample.noticed__in_app" id="id_sample.noticed__in_app" checked' in html


def test_staff_see_staff_kinds(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("notify:preferences")).content.decode()
    assert "Staff alarm" in html and "Something was noticed" in html


def test_unsafe_links_are_not_rendered(user_client, resident, hromada):
    notify_send(hromada=hromada, users=[resident], kind="sample.closed", title="X", url="javascript:alert(1)")
    html = user_client.get(reverse("notify:list")).content.decode()
    assert "javascript:" not in html
