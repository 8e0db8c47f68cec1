"""Open datasets (module.py `datasets`): owned by the public part."""

from __future__ import annotations


def report_rows(*, hromada):
    return iter(())


def statistics_rows(*, hromada):
    return iter(())
