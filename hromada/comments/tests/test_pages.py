"""The thread on a page through HTTP: htmx in place, and the same forms without script."""

import pytest

from hromada.comments.models import Comment, CommentReport, CommentStatus
from hromada.comments.tests.helpers import post


def page(client, thing):
    return client.get(f"/sample/?thing={thing.pk}").content.decode()


def test_a_visitor_sees_the_thread_and_a_login_link_instead_of_the_form(client, hromada, thing, author):
    post(hromada, thing, author)
    html = page(client, thing)
    assert "1 коментар" in html and "Гарна ідея" in html
    assert "Увійдіть, щоб коментувати." in html
    assert "/accounts/login/?next=" in html
    assert 'name="body"' not in html
    assert "js/comments.js" in html


def test_without_script_a_comment_posts_and_redirects_to_it(client, hromada, thing, author):
    client.force_login(author)
    response = client.post(f"/comments/sample.thing/{thing.pk}/post", {"body": "Без JavaScript теж працює."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sample/?thing={thing.pk}#comment-{comment.public_id}"
    assert "Без JavaScript" in client.get(response["Location"]).content.decode()


def test_without_script_an_error_keeps_the_text_on_the_threads_page(client, hromada, thing, author):
    client.force_login(author)
    response = client.post(f"/comments/sample.thing/{thing.pk}/post", {"body": "x" * 5001})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="comment-error"' in html and "Коментар задовгий" in html
    assert 'aria-describedby="comment-error"' in html and 'aria-invalid="true"' in html
    assert "x" * 5001 in html  # nothing typed is lost
    assert not Comment.objects.exists()


def test_with_htmx_the_thread_comes_back_with_the_focus_on_the_new_comment(client, hromada, thing, author):
    client.force_login(author)
    response = client.post(
        f"/comments/sample.thing/{thing.pk}/post", {"body": "Через htmx."}, headers={"HX-Request": "true"}
    )
    comment = Comment.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section")
    assert f'data-focus="comment-{comment.public_id}"' in html
    assert "Коментар опубліковано." in html


def test_a_reply_error_opens_that_comments_reply_form(client, hromada, thing, author, replier):
    top = post(hromada, thing, author)
    client.force_login(replier)
    response = client.post(
        f"/comments/sample.thing/{thing.pk}/post",
        {"body": "", "parent": str(top.public_id)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'data-focus="comment-error"' in html
    assert (
        f'<textarea id="reply-{top.public_id}" name="body" rows="3" maxlength="5000" required aria-invalid="true"'
        in html
    )
    assert Comment.objects.count() == 1


def test_edit_delete_and_report_through_the_pages(client, hromada, thing, author, replier):
    comment = post(hromada, thing, author)
    client.force_login(author)
    assert f"edit-{comment.public_id}" in page(client, thing)
    client.post(f"/comments/c/{comment.public_id}/edit", {"body": "Змінений текст."})
    comment.refresh_from_db()
    assert comment.body == "Змінений текст."
    assert "змінено" in page(client, thing)
    reply = post(hromada, thing, replier, body="Відповідь тут.", parent=comment)
    client.force_login(replier)
    html = page(client, thing)
    assert f"report-{comment.public_id}-spam" in html and f"edit-{comment.public_id}" not in html
    response = client.post(f"/comments/c/{comment.public_id}/report", {"reason": "spam"})
    assert response.status_code == 302
    assert CommentReport.objects.filter(reporter=replier).count() == 1
    response = client.post(f"/comments/c/{comment.public_id}/report", {"reason": "spam"})
    assert response.status_code == 409 and "Ви вже поскаржилися" in response.content.decode()
    client.force_login(author)
    client.post(f"/comments/c/{comment.public_id}/delete")
    html = page(client, thing)
    assert "Коментар видалено автором" in html and "Відповідь тут." in html
    assert Comment.objects.get(pk=reply.pk).status == CommentStatus.VISIBLE


def test_a_moderator_hides_inline_and_a_resident_cannot(client, hromada, thing, author, replier, moderator):
    comment = post(hromada, thing, author)
    client.force_login(replier)
    assert f"hide-{comment.public_id}" not in page(client, thing)
    response = client.post(f"/comments/c/{comment.public_id}/hide", {"reason": "Спам"})
    assert response.status_code == 403
    assert Comment.objects.get().status == CommentStatus.VISIBLE
    client.force_login(moderator)
    assert f"hide-{comment.public_id}" in page(client, thing)
    client.post(f"/comments/c/{comment.public_id}/hide", {"reason": "Реклама"})
    assert Comment.objects.get().status == CommentStatus.HIDDEN
    client.force_login(replier)
    html = page(client, thing)
    assert "Коментар приховано модератором. Причина: Реклама" in html and "Гарна ідея" not in html


def test_another_hromadas_comment_is_not_found_here(client, hromada, other_hromada, author):
    from hromada.core.tests.sample.models import Thing

    elsewhere = Thing.objects.create(hromada=other_hromada, owner=author, title="open")
    comment = post(other_hromada, elsewhere, author)
    client.force_login(author)
    assert client.post(f"/comments/c/{comment.public_id}/edit", {"body": "Не тут."}).status_code == 404
    assert client.post(f"/comments/sample.thing/{elsewhere.pk}/post", {"body": "Не тут."}).status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "path", ["/comments/sample.nothing/1/", "/comments/nomodule.x/1/", "/comments/sample.thing/abc/"]
)
def test_unknown_targets_answer_404(client, hromada, path):
    assert client.get(path).status_code == 404


def test_the_staff_queue_lists_reports_and_hides_with_a_reason(
    client, hromada, thing, author, replier, moderator
):
    comment = post(hromada, thing, author)
    from hromada.comments import services

    services.comment_report(comment=comment, user=replier, reason="offensive", details="Образа")
    client.force_login(moderator)
    html = client.get("/staff/comments/").content.decode()
    assert f'id="comment-{comment.public_id}"' in html and "Образа" in html
    assert f'href="/sample/?thing={thing.pk}#comment-{comment.public_id}"' in html
    response = client.post(f"/staff/comments/{comment.public_id}/hide", {"reason": "", "filter": "reported"})
    assert Comment.objects.get().status == CommentStatus.VISIBLE
    response = client.post(
        f"/staff/comments/{comment.public_id}/hide", {"reason": "Образи", "filter": "reported"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().status == CommentStatus.HIDDEN
    assert "Образи" in client.get("/staff/comments/?filter=hidden").content.decode()


def test_the_staff_queue_is_for_moderators_of_this_hromada(client, hromada, other_hromada, officer, resident):
    from hromada.accounts.tests.factories import staff_user

    for user in (officer, resident, staff_user(other_hromada, "moderator")):
        client.force_login(user)
        assert client.get("/staff/comments/").status_code == 403
