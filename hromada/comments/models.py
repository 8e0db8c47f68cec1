"""Comments on any module's things (issue 12): threads keyed by a comment target that
a module declares (`Module.comment_targets`, docs/comments.md), replies, an author's
edit window, abuse reports and moderation. A kernel part: it names no module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import PublicModel, TenantOwned, TimeStampedModel

BODY_MAX = 5000
TARGET_KIND_MAX = 60
TARGET_KEY_MAX = 100


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Показано")
    HIDDEN = "hidden", _("Приховано модератором")
    DELETED = "deleted", _("Видалено автором")


class Comment(TenantOwned, PublicModel):
    """One comment or reply. `target_kind` ("consultations.proposal") names the declared
    target, `target_key` the thing (its public id). A reply's `parent` is the thread's
    top-level comment (threads are one level deep, as Decidim and CONSUL show them;
    `reply_to` keeps whom the reply answers)."""

    hromada = models.ForeignKey("tenancy.Hromada", on_delete=models.CASCADE, related_name="+")
    target_kind = models.CharField(max_length=TARGET_KIND_MAX)
    target_key = models.CharField(max_length=TARGET_KEY_MAX)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("автор (як показувати)"), max_length=200)
    body = models.TextField(_("коментар"), max_length=BODY_MAX)
    status = models.CharField(max_length=8, choices=CommentStatus.choices, default=CommentStatus.VISIBLE)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Moderation: an official's act of office, with the reason shown in place of the text.
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(_("причина"), max_length=500, blank=True)
    report_count = models.PositiveIntegerField(default=0)  # open reports, kept by the services

    class Meta:
        verbose_name = _("коментар")
        verbose_name_plural = _("коментарі")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["hromada", "target_kind", "target_key", "created_at"], name="comment_thread_idx"
            ),
            models.Index(fields=["hromada", "report_count"], name="comment_reported_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(moderation_reason=""),
                name="comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.target_key} #{self.pk}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Спам або реклама")
    OFFENSIVE = "offensive", _("Образи, мова ворожнечі")
    PERSONAL = "personal", _("Чужі персональні дані")
    OFF_TOPIC = "off_topic", _("Не стосується теми")
    OTHER = "other", _("Інше")


class CommentReport(TenantOwned, TimeStampedModel):
    """A person's report of abuse: one per person per comment (a database constraint).
    Resolved when a moderator hides the comment or dismisses the reports."""

    hromada = models.ForeignKey("tenancy.Hromada", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("причина"), max_length=10, choices=ReportReason.choices)
    details = models.CharField(_("подробиці"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("скарга на коментар")
        verbose_name_plural = _("скарги на коментарі")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.reason}"
