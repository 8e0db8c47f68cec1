def site(request):
    """Per-request navigation facts: staff membership and unread notifications."""
    user = getattr(request, "user", None)
    hromada = getattr(request, "hromada", None)
    if user is None or not user.is_authenticated or hromada is None:
        return {}
    from hromada.accounts.rules import is_staff_member
    from hromada.notify.selectors import notification_unread_count

    return {
        "is_staff_member": is_staff_member(user, hromada),
        "unread_notifications": notification_unread_count(user=user, hromada=hromada),
    }
