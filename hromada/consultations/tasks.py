"""The periodic job (module.py `jobs`): closing reminders, the report's due date.
Filled by the lifecycle part."""


def consultations_tick() -> int:
    return 0
