from typing import Any


def site(request):
    """Per-request navigation: the enabled modules' menu entries, staff membership and
    unread notifications."""
    hromada = getattr(request, "hromada", None)
    if hromada is None:
        return {}
    from hromada.tenancy.selectors import modules_enabled

    entries = sorted(
        (entry for module in modules_enabled(hromada) for entry in module.nav), key=lambda e: e.order
    )
    context: dict[str, Any] = {"nav_entries": [(e, e.url_name.partition(":")[0]) for e in entries]}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    from hromada.accounts.rules import is_staff_member
    from hromada.notify.selectors import notification_unread_count

    context["is_staff_member"] = is_staff_member(user, hromada)
    context["unread_notifications"] = notification_unread_count(user=user, hromada=hromada)
    return context
