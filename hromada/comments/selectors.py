"""Reads of comment threads (filled by the comments work)."""


def staff_summary(*, hromada, user) -> list:
    return []
