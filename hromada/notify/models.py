from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TimeStampedModel
from hromada.tenancy.models import Hromada


class Notification(TimeStampedModel):
    """An in-app notification; e-mail copies are sent by a task after commit."""

    hromada = models.ForeignKey(Hromada, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "hromada", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


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
