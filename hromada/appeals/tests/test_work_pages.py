"""The staff queue and case page through HTTP, and the staff API: who sees what, the
filters and colours, every action's form (all errors at once, nothing lost), the role
matrix and cross-hromada isolation."""

import datetime as dt

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.appeals.models import AnswerTemplate, Case, CaseKind, CaseStatus
from hromada.appeals.services import work
from hromada.appeals.staff_selectors import staff_summary
from hromada.appeals.tests.factories import make_case, make_category, make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hromada, officer, hromada_admin, resident):
    worker_b = staff_user(hromada, "officer")
    lighting = make_department(hromada, name="КП «Міськсвітло»", members=[officer])
    water = make_department(hromada, name="КП «Водоканал»", members=[worker_b])
    light = make_category(hromada, code="streetlight", name="Вуличне освітлення", department=lighting)
    pipe = make_category(hromada, code="water", name="Водопостачання", department=water)
    report = make_case(hromada, category=light, applicant=resident, title="Не світить ліхтар на Садовій")
    leak = make_case(hromada, category=pipe, title="Тече труба на Миру")
    return {
        "a": lighting,
        "b": water,
        "worker_a": officer,
        "worker_b": worker_b,
        "router": hromada_admin,
        "report": report,
        "leak": leak,
        "light": light,
    }


def make_overdue(case):
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        registered_at=now - dt.timedelta(days=20), due_at=now - dt.timedelta(hours=1)
    )


def page(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, kw)


def case_url(case):
    return f"/staff/appeals/cases/{case.public_id}/"


def text(response):
    return response.content.decode()


# --- the queue ------------------------------------------------------------------------------


def test_a_worker_sees_only_their_departments_queue_a_router_all(client, world):
    mine = text(page(client, world["worker_a"], "/staff/appeals/"))
    assert "Садовій" in mine and "Миру" not in mine
    everything = text(page(client, world["router"], "/staff/appeals/"))
    assert "Садовій" in everything and "Миру" in everything
    only_water = text(page(client, world["router"], "/staff/appeals/", department=str(world["b"].public_id)))
    assert "Миру" in only_water and "Садовій" not in only_water


def test_queue_filters_and_search(client, hromada, world):
    appeal = make_case(hromada, kind=CaseKind.APPEAL, department=world["a"], title="Прошу ремонт даху")
    client.force_login(world["worker_a"])
    assert "даху" in text(client.get("/staff/appeals/", {"kind": "appeal"}))
    assert "Садовій" not in text(client.get("/staff/appeals/", {"kind": "appeal"}))
    assert "Садовій" in text(client.get("/staff/appeals/", {"q": str(world["report"].number)}))
    assert "даху" not in text(client.get("/staff/appeals/", {"q": str(world["report"].number)}))
    assert "даху" in text(client.get("/staff/appeals/", {"q": "ремонт"}))
    assert "Садовій" in text(client.get("/staff/appeals/", {"category": "streetlight"}))
    work.case_start(case=appeal, actor=world["worker_a"])
    mine = text(client.get("/staff/appeals/", {"mine": "1"}))
    assert "даху" in mine and "Садовій" not in mine
    work.case_answer(case=appeal, actor=world["worker_a"], text="Дах відремонтують у травні.")
    assert "даху" not in text(client.get("/staff/appeals/"))
    assert "даху" in text(client.get("/staff/appeals/", {"status": "closed"}))
    assert client.get("/staff/appeals/", {"status": "bogus", "kind": "x", "page": "zzz"}).status_code == 200


def test_overdue_and_near_are_marked_in_words_and_filtered(client, hromada, world):
    make_overdue(world["report"])
    near = make_case(hromada, category=world["light"], title="Блимає ліхтар")
    Case.objects.filter(pk=near.pk).update(due_at=timezone.now() + dt.timedelta(hours=5))
    client.force_login(world["worker_a"])
    body = text(client.get("/staff/appeals/"))
    assert "appeal-due-overdue" in body and "прострочено" in body and "строк спливає" in body
    overdue_only = text(client.get("/staff/appeals/", {"due": "overdue"}))
    assert "Садовій" in overdue_only and "Блимає" not in overdue_only
    near_only = text(client.get("/staff/appeals/", {"due": "near"}))
    assert "Блимає" in near_only and "Садовій" not in near_only
    assert "прострочено" in text(client.get(case_url(world["report"])))


def test_the_queue_pages(client, hromada, world):
    for _ in range(26):
        make_case(hromada, category=world["light"])
    client.force_login(world["worker_a"])
    first = text(client.get("/staff/appeals/"))
    assert "Сторінка 1 з 2" in first and 'rel="next"' in first
    assert "Сторінка 2 з 2" in text(client.get("/staff/appeals/", {"page": 2}))


def test_staff_home_lists_the_near_and_overdue_items_of_my_queues(hromada, world):
    make_overdue(world["report"])
    make_overdue(world["leak"])
    counters = {str(c.label): c for c in staff_summary(hromada=hromada, user=world["worker_a"])}
    overdue = counters["Прострочено звернень"]
    assert overdue.value == 1 and overdue.overdue and "Садовій" in overdue.items[0][0]
    assert staff_summary(hromada=hromada, user=world["router"])[2].value == 2
    assert staff_summary(hromada=hromada, user=verified_user()) == []


# --- the case page --------------------------------------------------------------------------


def test_the_case_page_shows_everything_to_staff(client, hromada, world, resident):
    work.case_comment(case=world["report"], actor=world["worker_a"], text="Опора №17, потрібна автовишка.")
    work.case_update(case=world["report"], actor=world["worker_a"], text="Виїзд бригади завтра.")
    body = text(page(client, world["worker_a"], case_url(world["report"])))
    assert "Опора №17" in body and "внутрішнє" in body and "Виїзд бригади" in body and "публічно" in body
    assert resident.email in body  # the applicant's details, for staff
    assert "Повідомлення про проблему — не звернення за законом" in body  # the deadline's basis
    assert 'id="merge"' in body
    for action in ("resolve", "not_fixed", "update", "comment", "assign"):
        assert f'value="{action}"' in body, action
    assert 'value="reject"' not in body and 'value="forward"' not in body  # routers'
    router_view = text(page(client, world["router"], case_url(world["report"])))
    assert (
        'value="reject"' in router_view
        and 'value="forward"' in router_view
        and 'value="extend"' in router_view
    )


def test_an_appeal_page_offers_answer_templates_and_the_law(client, hromada, world):
    appeal = make_case(hromada, kind=CaseKind.APPEAL, department=world["a"])
    AnswerTemplate.objects.create(
        hromada=hromada, department=world["a"], title="Ремонт заплановано", text="Ремонт буде в плані."
    )
    AnswerTemplate.objects.create(hromada=hromada, title="Загальний", text="Дякуємо за звернення.")
    AnswerTemplate.objects.create(hromada=hromada, department=world["b"], title="Чужий шаблон", text="—")
    body = text(page(client, world["worker_a"], case_url(appeal)))
    assert "Ремонт заплановано" in body and "Загальний" in body and "Чужий шаблон" not in body
    assert "Про звернення громадян" in body
    template = AnswerTemplate.objects.get(title="Загальний")
    response = client.post(
        case_url(appeal),
        {"action": "template", "answer-template": template.pk, "answer-text": "Шановна пані Ірино,"},
    )
    assert response.status_code == 200
    assert "Шановна пані Ірино,\n\nДякуємо за звернення." in text(response)
    appeal.refresh_from_db()
    assert appeal.status == CaseStatus.ASSIGNED


def test_a_refused_action_shows_every_error_and_keeps_what_was_written(client, world):
    client.force_login(world["router"])
    response = client.post(
        case_url(world["report"]), {"action": "forward", "forward-to": "", "forward-reason": ""}
    )
    assert response.status_code == 400
    body = text(response)
    assert body.count('href="#id_forward-') == 2 and "data-error-summary" in body
    response = client.post(
        case_url(world["report"]),
        {"action": "extend", "extend-until": "2001-01-01", "extend-reason": "Чекаємо деталь."},
    )
    assert response.status_code == 400 and "Чекаємо деталь." in text(response)
    assert "Новий строк має бути пізніше чинного" in text(response)


def test_actions_through_the_page(client, hromada, world, resident):
    client.force_login(world["worker_a"])
    url = case_url(world["report"])
    assert client.post(url, {"action": "start"}).status_code == 302
    response = client.post(url, {"action": "resolve", "resolve-text": "Лампу замінено."}, follow=True)
    assert "Повідомлення позначено вирішеним." in text(response)
    world["report"].refresh_from_db()
    assert world["report"].status == CaseStatus.RESOLVED
    assert 'value="resolve"' not in text(client.get(url))  # closed: only comments now
    assert 'value="comment"' in text(client.get(url))


def test_merge_from_the_page_with_a_search(client, hromada, world):
    duplicate = make_case(hromada, category=world["light"], title="Темно на Садовій")
    client.force_login(world["worker_a"])
    body = text(client.get(case_url(duplicate)))
    assert f"№{world['report'].number}" in body  # nearby, same category
    body = text(client.get(case_url(duplicate), {"merge_q": "Садовій"}))
    assert str(world["report"].public_id) in body
    response = client.post(case_url(duplicate), {"action": "merge", "merge-original": ""})
    assert response.status_code == 400
    response = client.post(
        case_url(duplicate), {"action": "merge", "merge-original": str(world["report"].public_id)}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == world["report"]


# --- role matrix and isolation --------------------------------------------------------------


def test_role_matrix_on_pages(client, hromada, world, resident, moderator, other_hromada):
    url = case_url(world["report"])
    # A worker of department B sees the staff page (officers register calls) but cannot act.
    client.force_login(world["worker_b"])
    body = text(client.get(url))
    assert 'value="resolve"' not in body
    assert client.post(url, {"action": "resolve", "resolve-text": "Не моє, але вирішено."}).status_code == 403
    assert client.post(url, {"action": "start"}).status_code == 403
    world["report"].refresh_from_db()
    assert world["report"].status == CaseStatus.ASSIGNED
    # A resident: no staff pages at all.
    client.force_login(resident)
    assert client.get("/staff/appeals/").status_code == 403
    assert client.get(url).status_code == 403
    # Another hromada's administrator has no staff role here.
    client.force_login(staff_user(other_hromada, "admin"))
    assert client.get(url).status_code == 403
    # Another hromada's case does not exist here, even for this hromada's router.
    foreign = make_case(other_hromada, title="Чужа громада")
    client.force_login(world["router"])
    assert client.get(case_url(foreign)).status_code == 404
    assert "Чужа громада" not in text(client.get("/staff/appeals/", {"status": "all"}))
    # A moderator sees the case (its text and photos), with no action.
    client.force_login(moderator)
    assert 'value="start"' not in text(client.get(url))


# --- the API --------------------------------------------------------------------------------


def api(client, path, payload=None):
    if payload is None:
        return client.get(f"/api/v1/appeals/staff{path}")
    return client.post(f"/api/v1/appeals/staff{path}", payload, content_type="application/json")


def test_the_api_queue_and_actions(client, hromada, world, resident):
    client.force_login(world["worker_a"])
    listed = api(client, "/cases").json()
    assert [i["id"] for i in listed["items"]] == [str(world["report"].public_id)]
    assert listed["items"][0]["urgency"] in ("ok", "near")
    cid = world["report"].public_id
    assert api(client, f"/cases/{cid}/start", {}).json()["status"] == "in_progress"
    response = api(client, f"/cases/{cid}/start", {})
    assert response.status_code == 409 and response.json()["code"] == "case_already_started"
    assert api(client, f"/cases/{cid}/comment", {"text": "Внутрішнє"}).json()["public"] is False
    assert (
        api(client, f"/cases/{cid}/answer", {"text": "Відповідь на звіт"}).json()["code"]
        == "answer_not_for_reports"
    )
    detail = api(client, f"/cases/{cid}/resolve", {"text": "Замінено лампу."}).json()
    assert detail["status"] == "resolved" and [e["kind"] for e in detail["events"]][-1] == "resolved"
    response = api(client, f"/cases/{cid}/update", {"text": "Ще одне"})
    assert response.status_code == 409 and response.json()["code"] == "case_not_open"


def test_the_api_role_matrix_and_isolation(client, hromada, world, resident, other_hromada):
    leak = world["leak"].public_id
    client.force_login(world["worker_a"])
    response = api(client, f"/cases/{leak}/start", {})
    assert response.status_code == 403 and response.json()["code"] == "case_forbidden"
    response = api(client, f"/cases/{world['report'].public_id}/extend", {"reason": "x"})
    assert response.status_code == 403 and response.json()["code"] == "extend_forbidden"
    client.force_login(world["router"])
    assert api(client, f"/cases/{leak}/start", {}).status_code == 200
    client.force_login(resident)
    assert api(client, "/cases").status_code == 403
    assert api(client, f"/cases/{leak}").status_code == 403
    client.logout()
    assert api(client, "/cases").status_code == 401
    client.force_login(staff_user(other_hromada, "admin"))
    assert api(client, f"/cases/{leak}").status_code == 403
    foreign = make_case(other_hromada)
    client.force_login(world["router"])
    assert api(client, f"/cases/{foreign.public_id}").status_code == 404
    assert api(client, f"/cases/{foreign.public_id}/start", {}).status_code == 404
    assert str(foreign.public_id) not in text(api(client, "/cases?status=all"))


def test_the_api_extend_merge_and_forward_codes(client, hromada, world):
    client.force_login(world["router"])
    info = make_case(hromada, kind=CaseKind.INFO, department=world["a"], urgent=True)
    response = api(client, f"/cases/{info.public_id}/extend", {"reason": "Багато документів"})
    assert response.status_code == 409 and response.json()["code"] == "extension_urgent"
    response = api(client, f"/cases/{world['report'].public_id}/merge", {"original": str(info.public_id)})
    assert response.json()["code"] == "merge_kind_mismatch"
    response = api(
        client, f"/cases/{world['report'].public_id}/merge", {"original": str(world["leak"].public_id)}
    )
    assert response.status_code == 200 and response.json()["duplicate_of"] == str(world["leak"].public_id)
    response = api(client, f"/cases/{info.public_id}/forward", {"to": "ДСНС", "reason": "Не наше"})
    assert response.json()["status"] == "forwarded"
    response = api(client, f"/cases/{world['leak'].public_id}/return", {})
    assert response.json()["code"] == "return_not_for_reports"
