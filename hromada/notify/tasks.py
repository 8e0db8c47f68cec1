"""Background work of the notify app."""

from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> dict:
    """E-mail one batch of notifications (enqueued by notify_send after commit)."""
    from .services import notification_emails_send

    return notification_emails_send(ids=notification_ids)


def retry_pending_emails() -> dict:
    """Periodic job (see hromada.core.schedule): e-mails whose task failed or was lost."""
    from .services import notification_emails_retry

    return notification_emails_retry()
