"""Fixtures shared by the registers' tests."""

import pytest

from hromada.places.tests.imports_helpers import run_import, with_settlements


@pytest.fixture
def kamianka(hromada):
    """The test hromada with Кам’янська громада's settlements from the codifier."""
    return with_settlements(hromada)


@pytest.fixture
def go(kamianka, hromada_admin, django_capture_on_commit_callbacks):
    """Run an import to the end, as the hromada's administrator: go(kind, name, bytes, **options)."""

    def run(kind, file_name, content, **options):
        return run_import(
            django_capture_on_commit_callbacks,
            actor=hromada_admin,
            hromada=kamianka,
            kind=kind,
            file_name=file_name,
            content=content,
            **options,
        )

    return run
