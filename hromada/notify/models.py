import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TimeStampedModel
from hromada.tenancy.models import Hromada


class Notification(TimeStampedModel):
    """A notification to one user. Shown in the app when `in_app`; an e-mail copy is sent by
    a task after commit while `email_pending`, which the task clears (setting `emailed_at`
    when it actually sent one)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "hromada", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["created_at"], name="notification_email_pending_idx", condition=Q(email_pending=True)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        """`url` if it is safe to put in an href: a path on this site or an http(s) address."""
        url = self.url or ""
        if (url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://")):
            return url
        return ""


class Preference(models.Model):
    """What a user wants to receive, per kind and channel. No row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    in_app = models.BooleanField(_("у кабінеті"), default=True)
    email = models.BooleanField(_("електронною поштою"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notify_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
