"""A person's comments in their data export, and their erasure with the account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Comment, CommentReport, CommentStatus

FORMER_USER = _("Колишній користувач")
ERASED_BODY = "—"


def personal_data(*, user) -> dict:
    """The person's comments (every hromada, every status) and the reports they made."""
    comments = [
        {
            "id": str(c.public_id),
            "hromada": c.hromada.slug,
            "target": f"{c.target_kind}:{c.target_key}",
            "reply_to": str(c.reply_to.public_id) if c.reply_to_id and c.reply_to else None,
            "name_shown": c.author_name,
            "text": c.body,
            "status": c.status,
            "posted_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
            "moderation_reason": c.moderation_reason,
        }
        for c in Comment.objects.filter(author=user)
        .select_related("hromada", "reply_to")
        .order_by("created_at")
    ]
    reports = [
        {
            "comment": str(r.comment.public_id),
            "hromada": r.hromada.slug,
            "reason": r.reason,
            "details": r.details,
            "reported_at": r.created_at.isoformat(),
            "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
        }
        for r in CommentReport.objects.filter(reporter=user)
        .select_related("comment", "hromada")
        .order_by("created_at")
    ]
    return {"comments": comments, "reports": reports}


def personal_data_erase(*, user) -> None:
    """Run inside the account deletion's transaction. The comments stay in their
    discussions (others replied to them) without the person: no author link, the name
    "Колишній користувач"; what the person had deleted themselves loses its text too.
    Their reports are deleted, and the open ones no longer count."""
    from django.db.models import F

    rows = Comment.objects.filter(author=user)
    rows.filter(status=CommentStatus.DELETED).update(body=ERASED_BODY)
    rows.update(author=None, author_name=str(FORMER_USER))
    for report in CommentReport.objects.filter(reporter=user, resolved_at__isnull=True):
        Comment.objects.filter(pk=report.comment_id, report_count__gt=0).update(
            report_count=F("report_count") - 1
        )
    CommentReport.objects.filter(reporter=user).delete()
