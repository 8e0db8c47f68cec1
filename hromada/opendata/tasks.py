"""Background work of the open data portal: DataStore loads run as django-tasks jobs."""

from django_tasks import task


@task()
def datastore_load(table_id: int) -> dict:
    """One queued DataStore load (datastore.load.load_table)."""
    from .datastore.load import load_table

    return load_table(table_id)


def datastore_tick() -> dict:
    """Periodic job (module.py `jobs`): loads left `loading` by a worker that died are
    queued again."""
    from .datastore.load import loads_tick

    return {"restarted_loads": loads_tick()}
