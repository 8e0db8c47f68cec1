from .models import Notification


def notification_unread_count(*, user, hromada) -> int:
    return Notification.objects.filter(user=user, hromada=hromada, read_at__isnull=True).count()


def notification_list(*, user, hromada):
    return Notification.objects.filter(user=user, hromada=hromada)
