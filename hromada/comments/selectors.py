"""Reads of comment threads, always with `hromada=`. What a thread is about is asked of
the module that declared its target (`registry.comment_target(kind)`), never imported."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import NotFound
from hromada.core.modules import CommentTarget, StaffCounter, registry
from hromada.tenancy.selectors import module_enabled

from .models import TARGET_KEY_MAX, Comment, CommentReport, CommentStatus

PAGE_SIZE = 20  # top-level comments a page; replies always come with their comment
QUEUE_FILTERS = ("reported", "hidden", "recent")


@dataclass(frozen=True)
class ResolvedTarget:
    """A declared target, found: the kind, the key and what its module says of it."""

    kind: str
    key: str
    target: CommentTarget

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.key}"


def _not_found() -> NotFound:
    return NotFound("comment_target_not_found", _("Того, що ви коментуєте, не знайдено."))


def target_get(*, hromada, kind: str, key) -> ResolvedTarget:
    """The target `kind`:`key` in `hromada`, or NotFound: no module declares the kind,
    the module is switched off here, the thing does not exist here or is not public."""
    key = str(key or "")
    found = registry.comment_target(str(kind or ""))
    if found is None or not key or len(key) > TARGET_KEY_MAX:
        raise _not_found()
    module, resolver = found
    if not module_enabled(hromada, module.label):
        raise _not_found()
    target = resolver(hromada=hromada, key=key)
    if target is None or not target.public:
        raise _not_found()
    return ResolvedTarget(kind, key, target)


def parse_ref(value: str) -> tuple[str, str]:
    """'<kind>:<key>' → (kind, key); ('', '') when it is not that shape."""
    kind, sep, key = str(value or "").partition(":")
    return (kind, key) if sep and kind and key else ("", "")


def can_moderate(user, hromada, target: CommentTarget | None) -> bool:
    """The kernel's comments.moderate, or the target's own moderating permission."""
    if user is None or not user.is_authenticated:
        return False
    if has_perm(user, hromada, "comments.moderate"):
        return True
    perm = target.moderate_perm if target is not None else None
    return perm is not None and has_perm(user, hromada, perm)


def edit_minutes() -> int:
    return int(getattr(settings, "COMMENTS_EDIT_MINUTES", 15))


def edit_deadline(comment: Comment):
    return comment.created_at + dt.timedelta(minutes=edit_minutes())


def can_edit(user, comment: Comment, now=None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.status == CommentStatus.VISIBLE
        and (now or timezone.now()) < edit_deadline(comment)
    )


def comment_get(*, hromada, public_id) -> Comment:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("comment_not_found", _("Такого коментаря немає.")) from None
    comment = Comment.objects.for_hromada(hromada).filter(public_id=key).first()
    if comment is None:
        raise NotFound("comment_not_found", _("Такого коментаря немає."))
    return comment


def _thread_rows(hromada, kind: str, key: str) -> QuerySet[Comment]:
    return Comment.objects.for_hromada(hromada).filter(target_kind=kind, target_key=key)


@dataclass
class Thread:
    target: ResolvedTarget
    comments: list[Any]  # Comment rows, top-level, oldest first; each with .thread_replies
    count: int  # visible comments and replies
    page: int = 1
    pages: int = 1
    reported: set[int] = field(default_factory=set)  # ids the viewer has reported


def thread(*, hromada, target_kind: str, target_key, user=None, page: int = 1) -> Thread:
    """The comments on a target, oldest first, a page of top-level comments with all
    their replies (two queries). A deleted comment with no replies left is not shown;
    hidden ones are shown as hidden, with the moderator's reason."""
    resolved = target_get(hromada=hromada, kind=target_kind, key=target_key)
    rows = _thread_rows(hromada, resolved.kind, resolved.key)
    tops = (
        rows.filter(parent__isnull=True)
        .annotate(
            live_replies=Count("replies", filter=~Q(replies__status=CommentStatus.DELETED)),
        )
        .filter(~Q(status=CommentStatus.DELETED) | Q(live_replies__gt=0))
    )
    total_tops = tops.count()
    pages = max(1, math.ceil(total_tops / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    replies = Comment.objects.filter(hromada=hromada).order_by("created_at", "id")
    chosen = list(
        tops.order_by("created_at", "id")
        .select_related("reply_to")
        .prefetch_related(
            Prefetch("replies", queryset=replies.select_related("reply_to"), to_attr="thread_replies")
        )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    reported: set[int] = set()
    if user is not None and user.is_authenticated:
        ids = [c.pk for c in chosen] + [r.pk for c in chosen for r in c.thread_replies]
        reported = set(
            CommentReport.objects.filter(hromada=hromada, reporter=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        )
    count = rows.filter(status=CommentStatus.VISIBLE).count()
    return Thread(resolved, chosen, count, page, pages, reported)


def comment_count(*, hromada, target_kind: str, target_key) -> int:
    """Visible comments and replies on one target."""
    return _thread_rows(hromada, target_kind, str(target_key)).filter(status=CommentStatus.VISIBLE).count()


def counts_for(*, hromada, target_kind: str, keys) -> dict[str, int]:
    """{key: visible comments} for many targets of one kind, in one query (lists)."""
    keys = [str(k) for k in keys]
    counts = dict.fromkeys(keys, 0)
    if not keys:
        return counts
    rows = (
        Comment.objects.for_hromada(hromada)
        .filter(target_kind=target_kind, target_key__in=keys, status=CommentStatus.VISIBLE)
        .values("target_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["target_key"]] = row["n"]
    return counts


MAX_TARGETS_CHECKED = 1000  # distinct targets asked of their modules for a queue


def _moderated_targets(user, hromada) -> tuple[bool, Q | None]:
    """(everything?, a filter of the targets whose own `moderate_perm` the user holds).
    A target says its moderating permission itself, so the targets people commented on
    here are asked of their modules (once each, at most MAX_TARGETS_CHECKED)."""
    if user is None or not user.is_authenticated:
        return False, None
    if has_perm(user, hromada, "comments.moderate"):
        return True, None
    pairs = (
        Comment.objects.for_hromada(hromada)
        .values_list("target_kind", "target_key")
        .distinct()
        .order_by()[:MAX_TARGETS_CHECKED]
    )
    allowed = Q(pk__in=[])
    found = False
    for kind, key in pairs:
        try:
            resolved = target_get(hromada=hromada, kind=kind, key=key)
        except NotFound:
            continue
        perm = resolved.target.moderate_perm
        if perm and has_perm(user, hromada, perm):
            allowed |= Q(target_kind=kind, target_key=key)
            found = True
    return False, allowed if found else None


def may_moderate_any(user, hromada) -> bool:
    everything, allowed = _moderated_targets(user, hromada)
    return everything or allowed is not None


def moderation_queue(*, hromada, filter: str = "reported", user) -> QuerySet[Comment]:  # noqa: A002
    """Comments for the moderation desk, only of targets `user` may moderate:
    reported (open reports, most first), hidden (latest first) or recent (latest first)."""
    everything, allowed = _moderated_targets(user, hromada)
    rows = Comment.objects.for_hromada(hromada)
    if not everything:
        rows = rows.filter(allowed) if allowed is not None else rows.none()
    if filter == "hidden":
        rows = rows.filter(status=CommentStatus.HIDDEN).order_by("-moderated_at", "-id")
    elif filter == "recent":
        rows = rows.order_by("-created_at", "-id")
    else:
        rows = rows.filter(report_count__gt=0, status=CommentStatus.VISIBLE).order_by(
            "-report_count", "created_at"
        )
    return rows.annotate(
        open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True))
    ).select_related("author")


def open_reports(comment: Comment) -> QuerySet[CommentReport]:
    return CommentReport.objects.filter(
        hromada_id=comment.hromada_id, comment=comment, resolved_at__isnull=True
    ).order_by("created_at")


def staff_summary(*, hromada, user) -> list:
    """The staff home's figure: comments with open reports the user may act on."""
    if not may_moderate_any(user, hromada):
        return []
    from django.urls import reverse

    rows = moderation_queue(hromada=hromada, filter="reported", user=user)
    count = rows.count()
    url = reverse("staff_comments:queue")
    items = tuple((c.body[:80], f"{url}#comment-{c.public_id}") for c in rows[:3])
    return [StaffCounter(_("Коментарі зі скаргами"), count, url, items=items)]


def comments_of(*, hromada, target_kind: str, target_key) -> QuerySet[Comment]:
    """Every comment and reply of a target, oldest first (the API; deleted and hidden
    ones come without their text)."""
    return (
        _thread_rows(hromada, target_kind, str(target_key))
        .select_related("parent", "reply_to")
        .order_by("created_at", "id")
    )
