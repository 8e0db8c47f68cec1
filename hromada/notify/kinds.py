"""The kinds of notification, each with the label residents see on the preferences page,
declared by the module that sends them (module.py `notification_kinds`); `notify_send`
refuses kinds no module declared."""

from hromada.core.modules import registry


def kinds() -> dict:
    return registry.notification_kinds()


def staff_kinds() -> frozenset[str]:
    """Shown on the preferences page only to people who hold a staff role somewhere."""
    return registry.staff_notification_kinds()


def kind_label(kind: str) -> str:
    return str(kinds().get(kind, kind))
