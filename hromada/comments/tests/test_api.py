"""The comments API through HTTP."""

import datetime as dt

from django.utils import timezone

from hromada.comments.models import Comment, CommentReport, CommentStatus
from hromada.comments.tests.helpers import post
from hromada.core.clock import travel_to


def target(thing):
    return f"sample.thing:{thing.pk}"


def test_list_is_paginated_and_hides_the_text_of_hidden_and_deleted(
    client, hromada, thing, author, moderator
):
    from hromada.comments import services

    top = post(hromada, thing, author)
    reply = post(hromada, thing, author, body="Відповідь на себе.", parent=top)
    gone = post(hromada, thing, author, body="Зайвий коментар.")
    services.comment_delete(comment=gone, user=author)
    services.comment_hide(comment=reply, actor=moderator, reason="Спам")
    response = client.get("/api/v1/comments", {"target": target(thing)})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    first, second, third = data["items"]
    assert first["id"] == str(top.public_id) and first["text"] == "Гарна ідея, підтримую."
    assert second["parent"] == str(top.public_id) and second["text"] is None
    assert second["moderation_reason"] == "Спам"
    assert third["status"] == "deleted" and third["text"] is None


def test_bad_targets_have_stable_codes(client, hromada):
    assert client.get("/api/v1/comments", {"target": "nonsense"}).json()["code"] == "target_invalid"
    response = client.get("/api/v1/comments", {"target": "sample.nothing:1"})
    assert response.status_code == 404 and response.json()["code"] == "comment_target_not_found"


def test_post_and_reply_need_a_login(client, hromada, thing, author, replier):
    response = client.post(
        "/api/v1/comments", {"target": target(thing), "text": "Привіт"}, content_type="application/json"
    )
    assert response.status_code == 401
    client.force_login(author)
    response = client.post(
        "/api/v1/comments", {"target": target(thing), "text": "Через API."}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    top = response.json()
    client.force_login(replier)
    response = client.post(
        "/api/v1/comments",
        {"target": target(thing), "text": "Відповідь через API.", "parent": top["id"]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["parent"] == top["id"]
    response = client.post(
        "/api/v1/comments", {"target": target(thing), "text": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "body_required",
        "message": response.json()["message"],
        "field": "body",
    }
    assert Comment.objects.count() == 2


def test_patch_within_the_window_then_409(client, hromada, thing, author, replier):
    start = timezone.now()
    with travel_to(start):
        comment = post(hromada, thing, author)
    url = f"/api/v1/comments/{comment.public_id}"
    client.force_login(replier)
    assert (
        client.patch(url, {"text": "Чуже."}, content_type="application/json").json()["code"] == "not_author"
    )
    client.force_login(author)
    with travel_to(start + dt.timedelta(minutes=5)):
        response = client.patch(url, {"text": "Змінено через API."}, content_type="application/json")
    assert response.status_code == 200 and response.json()["edited_at"]
    with travel_to(start + dt.timedelta(minutes=20)):
        response = client.patch(url, {"text": "Запізно."}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "edit_window_closed"
    assert Comment.objects.get().body == "Змінено через API."


def test_delete_and_report(client, hromada, thing, author, replier):
    comment = post(hromada, thing, author)
    other = post(hromada, thing, author, body="Другий коментар.")
    client.force_login(replier)
    url = f"/api/v1/comments/{other.public_id}/report"
    response = client.post(url, {"reason": "spam"}, content_type="application/json")
    assert response.status_code == 201
    response = client.post(url, {"reason": "spam"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "already_reported"
    assert CommentReport.objects.count() == 1
    assert client.delete(f"/api/v1/comments/{comment.public_id}").status_code == 403
    client.force_login(author)
    response = client.delete(f"/api/v1/comments/{comment.public_id}")
    assert response.status_code == 200 and response.json()["status"] == "deleted"
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.DELETED


def test_another_hromadas_comment_is_404(client, hromada, other_hromada, author):
    from hromada.core.tests.sample.models import Thing

    elsewhere = Thing.objects.create(hromada=other_hromada, owner=author, title="open")
    comment = post(other_hromada, elsewhere, author)
    client.force_login(author)
    response = client.delete(f"/api/v1/comments/{comment.public_id}")
    assert response.status_code == 404
    assert client.get("/api/v1/comments", {"target": f"sample.thing:{elsewhere.pk}"}).status_code == 404
    assert Comment.objects.get().status == CommentStatus.VISIBLE
