"""Reads for the staff console (module.py `staff_summary`). Filled by the lifecycle part."""


def staff_summary(*, hromada, user) -> list:
    return []
