"""Open datasets (module.py `datasets`): aggregates and public records only."""

from __future__ import annotations


def project_rows(*, hromada):
    return iter(())


def review_rows(*, hromada):
    return iter(())


def result_rows(*, hromada):
    return iter(())


def turnout_rows(*, hromada):
    return iter(())
