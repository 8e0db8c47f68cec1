from .kinds import kinds, staff_kinds
from .models import Notification, Preference


def notification_unread_count(*, user, hromada) -> int:
    return Notification.objects.filter(user=user, hromada=hromada, in_app=True, read_at__isnull=True).count()


def notification_list(*, user, hromada):
    """`user`'s in-app notifications in `hromada`, newest first."""
    return Notification.objects.filter(user=user, hromada=hromada, in_app=True).order_by("-created_at", "-pk")


def preference_choices(*, user) -> list[dict]:
    """Every kind `user` may choose about, with the current channels (defaults: both on).
    Staff kinds are offered only to people who hold a staff role."""
    from hromada.accounts.models import StaffRole

    is_staff = StaffRole.objects.filter(user=user).exists()
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    choices = []
    staff_only = staff_kinds()
    for kind, label in kinds().items():
        if kind in staff_only and not is_staff:
            continue
        pref = stored.get(kind)
        choices.append(
            {
                "kind": kind,
                "label": label,
                "in_app": pref.in_app if pref else True,
                "email": pref.email if pref else True,
            }
        )
    return choices


def personal_data(*, user) -> dict:
    """The person's notifications (every hromada) and channel choices, for the export."""
    return {
        "notifications": [
            {
                "hromada": n.hromada.slug,
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in Notification.objects.filter(user=user).select_related("hromada").order_by("created_at")
        ],
        "notification_preferences": [
            {"kind": kind, "in_app": in_app, "email": email}
            for kind, in_app, email in Preference.objects.filter(user=user)
            .order_by("kind")
            .values_list("kind", "in_app", "email")
        ],
    }
