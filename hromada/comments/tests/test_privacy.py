"""A person's comments in their data export, and their erasure."""

from hromada.comments import privacy, services
from hromada.comments.models import Comment, CommentReport
from hromada.comments.tests.helpers import post


def test_export_lists_the_persons_comments_and_reports(hromada, thing, author, replier):
    comment = post(hromada, thing, author)
    services.comment_report(comment=comment, user=replier, reason="spam")
    data = privacy.personal_data(user=author)
    assert [c["id"] for c in data["comments"]] == [str(comment.public_id)]
    assert data["comments"][0]["text"] == "Гарна ідея, підтримую."
    assert privacy.personal_data(user=replier)["reports"][0]["reason"] == "spam"


def test_erase_anonymises_comments_keeps_the_discussion_and_deletes_reports(hromada, thing, author, replier):
    top = post(hromada, thing, author)
    gone = post(hromada, thing, author, body="Видалю цей коментар.")
    services.comment_delete(comment=gone, user=author)
    reply = post(hromada, thing, replier, body="Відповідь лишається.", parent=top)
    services.comment_report(comment=reply, user=author, reason="spam")
    privacy.personal_data_erase(user=author)
    top.refresh_from_db()
    assert top.author is None and top.author_name == "Колишній користувач"
    assert top.body == "Гарна ідея, підтримую."
    assert Comment.objects.get(pk=gone.pk).body == "—"
    assert not CommentReport.objects.exists()
    reply.refresh_from_db()
    assert reply.report_count == 0 and reply.author == replier
    assert privacy.personal_data(user=author) == {"comments": [], "reports": []}


def test_account_deletion_runs_the_eraser(hromada, thing, author):
    from hromada.core.modules import registry

    post(hromada, thing, author)
    module = registry.get("comments")
    assert module.personal_data_erase and module.personal_data_export
    assert "comments.Comment" in module.personal_models
