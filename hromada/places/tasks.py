"""Background work of the registers: imports run as django-tasks jobs."""

from django_tasks import task


@task()
def places_import(run_id: int) -> dict:
    """One queued import (services.imports.import_run)."""
    from .services.imports import import_run

    return import_run(run_id)


def places_tick() -> dict:
    """Periodic job (module.py `jobs`): imports left running by a worker that died."""
    from .services.imports import imports_tick

    return {"stale_imports": imports_tick()}
