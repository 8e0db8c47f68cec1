"""Writes of the comments app: posting, replying, the author's edit and delete, abuse
reports and moderation. Each runs in a transaction with its ledger entry; notifications
go out after commit.

The ledger gets the comment's id, its target, its parent and the SHA-256 of its text —
never the text. The ledger is public and append-only: a comment its author deletes, a
moderator hides (someone's personal data, abuse) or an erased account anonymises must
not live on there, while the hash still proves what a comment said when it was posted
or edited (anyone holding the text can check it), and keeps the entries small."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.rules import has_identity_level
from hromada.accounts.selectors import perm_holder_ids
from hromada.core.errors import DomainError, NotFound, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.modules import registry
from hromada.core.ratelimit import rate_limit
from hromada.core.text import check_text
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.models import IdentityLevel

from . import selectors
from .models import BODY_MAX, Comment, CommentReport, CommentStatus, ReportReason
from .selectors import ResolvedTarget

BODY_MIN = 2
REASON_MAX = 500
ANONYMOUS_NAME = _("Мешканець громади")


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def author_name_of(user) -> str:
    """The name a comment shows: the account's display name, never its e-mail."""
    return (getattr(user, "display_name", "") or "").strip()[:200] or str(ANONYMOUS_NAME)


def clean_body(body) -> str:
    """The comment's text, checked: clean Unicode, not empty, not too long."""
    body = check_text(str(body or ""), field="body").strip()
    if len(body) < BODY_MIN:
        raise DomainError(
            "body_required", _("Напишіть коментар: щонайменше %(n)d символи.") % {"n": BODY_MIN}, field="body"
        )
    if len(body) > BODY_MAX:
        raise DomainError(
            "body_too_long",
            _("Коментар задовгий: %(len)d символів, можна щонайбільше %(max)d.")
            % {"len": len(body), "max": BODY_MAX},
            field="body",
        )
    return body


def post_refusal(user, resolved: ResolvedTarget) -> DomainError | None:
    """Why `user` may not comment on the target now (shown instead of the form), or None:
    the module's own rules first (closed, not eligible), then a login and a confirmed
    e-mail address, the least the platform asks of anyone who writes in public."""
    refusal = resolved.target.refusal(user) if resolved.target.refusal is not None else None
    if refusal is not None:
        return refusal
    if user is None or not user.is_authenticated:
        return DomainError("login_required", _("Увійдіть, щоб коментувати."), status=401)
    if not has_identity_level(user, IdentityLevel.EMAIL, hromada=None):
        return DomainError(
            "email_required",
            _("Підтвердіть адресу електронної пошти, щоб коментувати."),
            status=403,
        )
    return None


def _ref(comment: Comment) -> str:
    return f"{comment.target_kind}:{comment.target_key}"


def _url(resolved: ResolvedTarget, comment: Comment) -> str:
    return f"{resolved.target.url}#comment-{comment.public_id}"


def comment_post(
    *, hromada, target_kind: str, target_key, author, body, parent: Comment | None = None
) -> Comment:
    """A comment on a target, or a reply to `parent`. Replies are one level deep: a reply
    to a reply joins the thread of the top-level comment, with `reply_to` naming whom it
    answers."""
    resolved = selectors.target_get(hromada=hromada, kind=target_kind, key=target_key)
    refusal = post_refusal(author, resolved)
    if refusal is not None:
        raise refusal
    body = clean_body(body)
    reply_to = None
    if parent is not None:
        if (
            parent.hromada_id != hromada.pk
            or parent.target_kind != resolved.kind
            or parent.target_key != resolved.key
        ):
            raise NotFound("comment_not_found", _("Коментаря, на який ви відповідаєте, немає."))
        if parent.status != CommentStatus.VISIBLE:
            raise DomainError(
                "parent_unavailable",
                _("На цей коментар відповісти не можна: його видалено або приховано."),
                status=409,
            )
        reply_to = parent
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    with rate_limit(author, "comments.post"), transaction.atomic():
        comment = Comment.objects.create(
            hromada=hromada,
            target_kind=resolved.kind,
            target_key=resolved.key,
            parent=parent,
            reply_to=reply_to,
            author=author,
            author_name=author_name_of(author),
            body=body,
        )
        ledger_append(
            hromada=hromada,
            kind="comments.posted",
            payload={
                "target": resolved.ref,
                "comment": str(comment.public_id),
                "parent": str(parent.public_id) if parent is not None else None,
                "sha256": body_hash(body),
            },
        )
        transaction.on_commit(lambda: _notify_posted(resolved, comment, reply_to))
    return comment


def _notify_posted(resolved: ResolvedTarget, comment: Comment, reply_to: Comment | None) -> None:
    url = _url(resolved, comment)
    if reply_to is not None:
        if reply_to.author_id and reply_to.author_id != comment.author_id:
            notify_send(
                hromada=comment.hromada,
                users=[reply_to.author_id],
                kind="comments.reply",
                title=lazy_format(
                    _("%(name)s відповідає на ваш коментар: «%(title)s»"),
                    name=comment.author_name,
                    title=resolved.target.title,
                ),
                body=comment.body[:300],
                url=url,
            )
        return
    audience = resolved.target.audience() if resolved.target.audience is not None else []
    ids = {u if isinstance(u, int) else u.pk for u in audience} - {comment.author_id}
    if ids:
        notify_send(
            hromada=comment.hromada,
            users=sorted(ids),
            kind="comments.new",
            title=lazy_format(_("Новий коментар: «%(title)s»"), title=resolved.target.title),
            body=comment.body[:300],
            url=url,
        )


def _locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


def comment_edit(*, comment: Comment, user, body) -> Comment:
    """The author's correction, within COMMENTS_EDIT_MINUTES of posting; shown as changed."""
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied("not_author", _("Змінити коментар може лише його автор."))
    body = clean_body(body)
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status != CommentStatus.VISIBLE:
            raise DomainError("comment_unavailable", _("Цей коментар уже не можна змінити."), status=409)
        if timezone.now() >= selectors.edit_deadline(comment):
            raise DomainError(
                "edit_window_closed",
                _("Коментар можна змінити лише протягом %(n)d хв після публікації.")
                % {"n": selectors.edit_minutes()},
                field="body",
                status=409,
            )
        if body == comment.body:
            return comment
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at", "updated_at"])
        ledger_append(
            hromada=comment.hromada,
            kind="comments.edited",
            payload={"target": _ref(comment), "comment": str(comment.public_id), "sha256": body_hash(body)},
        )
    return comment


def comment_delete(*, comment: Comment, user) -> Comment:
    """The author takes a comment back: its place says so; replies to it stay."""
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied("not_author", _("Видалити коментар може лише його автор."))
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status == CommentStatus.DELETED:
            return comment
        if comment.status == CommentStatus.HIDDEN:
            raise DomainError(
                "comment_unavailable",
                _("Коментар приховано модератором; видалити його не можна."),
                status=409,
            )
        comment.status = CommentStatus.DELETED
        comment.save(update_fields=["status", "updated_at"])
        _resolve_reports(comment)
        ledger_append(
            hromada=comment.hromada,
            kind="comments.deleted",
            payload={"target": _ref(comment), "comment": str(comment.public_id)},
        )
    return comment


def report_refusal(user, comment: Comment) -> DomainError | None:
    if user is None or not user.is_authenticated:
        return DomainError("login_required", _("Увійдіть, щоб поскаржитися на коментар."), status=401)
    if comment.author_id == user.pk:
        return DomainError("own_comment", _("Скаржитися на власний коментар не можна."), status=409)
    if comment.status != CommentStatus.VISIBLE:
        return DomainError("comment_unavailable", _("Цей коментар уже не показано."), status=409)
    return None


def comment_report(*, comment: Comment, user, reason: str, details: str = "") -> CommentReport:
    """A person's abuse report: one per person per comment (a database constraint);
    the moderators are told after commit."""
    refusal = report_refusal(user, comment)
    if refusal is not None:
        raise refusal
    if reason not in ReportReason.values:
        raise DomainError("reason_invalid", _("Оберіть причину скарги зі списку."), field="reason")
    details = check_text(str(details or ""), field="details").strip()
    if len(details) > REASON_MAX:
        raise DomainError(
            "details_too_long",
            _("Подробиці скарги задовгі: можна щонайбільше %(max)d символів.") % {"max": REASON_MAX},
            field="details",
        )
    if reason == ReportReason.OTHER and not details:
        raise DomainError(
            "details_required", _("Для причини «Інше» опишіть, що не так із коментарем."), field="details"
        )
    already = DomainError("already_reported", _("Ви вже поскаржилися на цей коментар. Дякуємо!"), status=409)
    if CommentReport.objects.filter(comment=comment, reporter=user).exists():
        raise already
    try:
        with rate_limit(user, "comments.report"), transaction.atomic():
            report = CommentReport.objects.create(
                hromada_id=comment.hromada_id, comment=comment, reporter=user, reason=reason, details=details
            )
            Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
            transaction.on_commit(lambda: _notify_reported(comment))
    except IntegrityError:
        raise already
    comment.refresh_from_db(fields=["report_count"])
    return report


def _moderators(comment: Comment, resolved: ResolvedTarget | None) -> list[int]:
    perm = resolved.target.moderate_perm if resolved is not None else None
    codenames = ["comments.moderate", *([perm] if perm and registry.permission(perm) is not None else [])]
    return perm_holder_ids(hromada=comment.hromada, codenames=codenames)


def _resolved_or_none(comment: Comment) -> ResolvedTarget | None:
    try:
        return selectors.target_get(hromada=comment.hromada, kind=comment.target_kind, key=comment.target_key)
    except NotFound:
        return None


def _notify_reported(comment: Comment) -> None:
    from django.urls import reverse

    resolved = _resolved_or_none(comment)
    ids = [i for i in _moderators(comment, resolved) if i != comment.author_id]
    if ids:
        notify_send(
            hromada=comment.hromada,
            users=ids,
            kind="comments.reported",
            title=lazy_format(
                _("Скарга на коментар: «%(title)s»"),
                title=resolved.target.title if resolved else comment.target_kind,
            ),
            body=comment.body[:300],
            url=reverse("staff_comments:queue") + f"#comment-{comment.public_id}",
        )


def _check_moderator(user, comment: Comment) -> ResolvedTarget | None:
    resolved = _resolved_or_none(comment)
    if not selectors.can_moderate(user, comment.hromada, resolved.target if resolved else None):
        raise PermissionDenied("forbidden", _("Модерувати коментарі можуть лише модератори громади."))
    return resolved


def _clean_reason(reason) -> str:
    reason = check_text(str(reason or ""), field="reason", multiline=False).strip()
    if not reason:
        raise DomainError(
            "reason_required", _("Вкажіть причину: її побачать автор і читачі."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise DomainError(
            "reason_too_long",
            _("Причина задовга: можна щонайбільше %(max)d символів.") % {"max": REASON_MAX},
            field="reason",
        )
    return reason


def _resolve_reports(comment: Comment) -> int:
    now = timezone.now()
    resolved = CommentReport.objects.filter(
        hromada_id=comment.hromada_id, comment=comment, resolved_at__isnull=True
    ).update(resolved_at=now)
    Comment.objects.filter(pk=comment.pk).update(report_count=0)
    comment.report_count = 0
    return resolved


def comment_hide(*, comment: Comment, actor, reason) -> Comment:
    """A moderator hides a comment; the reason is shown in its place and told to the
    author; its open reports are resolved."""
    resolved = _check_moderator(actor, comment)
    reason = _clean_reason(reason)
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status != CommentStatus.VISIBLE:
            raise DomainError("comment_unavailable", _("Цей коментар уже не показано."), status=409)
        comment.status = CommentStatus.HIDDEN
        comment.moderated_by = actor
        comment.moderated_at = timezone.now()
        comment.moderation_reason = reason
        comment.save(
            update_fields=["status", "moderated_by", "moderated_at", "moderation_reason", "updated_at"]
        )
        reports = _resolve_reports(comment)
        ledger_append(
            hromada=comment.hromada,
            kind="comments.hidden",
            payload={
                "target": _ref(comment),
                "comment": str(comment.public_id),
                "reason": reason,
                "reports": reports,
            },
        )
        if comment.author_id:
            author_id = comment.author_id
            title = resolved.target.title if resolved else ""
            url = resolved.target.url + f"#comment-{comment.public_id}" if resolved else ""
            transaction.on_commit(
                lambda: notify_send(
                    hromada=comment.hromada,
                    users=[author_id],
                    kind="comments.hidden",
                    title=lazy_format(_("Ваш коментар приховано: «%(title)s»"), title=title),
                    body=lazy_format(_("Причина: %(reason)s"), reason=reason),
                    url=url,
                )
            )
    return comment


def comment_restore(*, comment: Comment, actor, reason) -> Comment:
    """A moderator shows a hidden comment again (a mistake, an appeal), with a reason."""
    _check_moderator(actor, comment)
    reason = _clean_reason(reason)
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status != CommentStatus.HIDDEN:
            raise DomainError("comment_not_hidden", _("Цей коментар не приховано."), status=409)
        comment.status = CommentStatus.VISIBLE
        comment.moderated_by = actor
        comment.moderated_at = timezone.now()
        comment.moderation_reason = reason
        comment.save(
            update_fields=["status", "moderated_by", "moderated_at", "moderation_reason", "updated_at"]
        )
        ledger_append(
            hromada=comment.hromada,
            kind="comments.restored",
            payload={"target": _ref(comment), "comment": str(comment.public_id), "reason": reason},
        )
    return comment


def reports_dismiss(*, comment: Comment, actor) -> int:
    """A moderator finds nothing wrong: the open reports are closed, the comment stays."""
    _check_moderator(actor, comment)
    with transaction.atomic():
        comment = _locked(comment)
        count = _resolve_reports(comment)
        if count:
            ledger_append(
                hromada=comment.hromada,
                kind="comments.reports_dismissed",
                payload={"target": _ref(comment), "comment": str(comment.public_id), "reports": count},
            )
    return count
