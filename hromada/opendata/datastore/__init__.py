"""The DataStore (ADR 0009 decisions 4 and 5): resource versions loaded into tables of
their own, queried by CKAN's datastore_search and datastore_search_sql."""

from .load import datastore_drop, load_now, load_table, schedule_load
from .query import current_table, datastore_search, published_table, table_rows
from .sql import datastore_search_sql

__all__ = [
    "current_table",
    "datastore_drop",
    "datastore_search",
    "datastore_search_sql",
    "load_now",
    "load_table",
    "published_table",
    "schedule_load",
    "table_rows",
]
