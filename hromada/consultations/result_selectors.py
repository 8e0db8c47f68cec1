"""Results: aggregates per question, cross-tabulation, live cache. Filled by the results part."""


def cache_clear() -> None:
    return None
