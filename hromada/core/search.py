"""Full-text search behind one function: PostgreSQL's text search where available,
a portable term-by-term match on SQLite."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY = 200


def fold(text: str) -> str:
    """Case-folded text for the portable path (SQLite's LIKE folds ASCII only)."""
    return " ".join(text.casefold().split())


def text_search(qs: QuerySet, *, fields: list[str], folded_field: str, query: str) -> QuerySet:
    """Filter `qs` by `query`. `folded_field` holds fold() of the searchable text."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # 'simple' keeps Ukrainian words intact (PostgreSQL ships no Ukrainian stemmer);
        # prefix matching makes inflected forms findable by their stem.
        terms = [t for t in query.replace(":", " ").replace("&", " ").replace("|", " ").split() if t]
        if not terms:
            return qs
        tsquery = SearchQuery(
            " & ".join(f"{_escape(t)}:*" for t in terms), search_type="raw", config="simple"
        )
        vector = SearchVector(*fields, config="simple")
        return qs.annotate(_search=vector).filter(_search=tsquery)
    condition = Q()
    for term in fold(query).split():
        condition &= Q(**{f"{folded_field}__contains": term})
    return qs.filter(condition)


def _escape(term: str) -> str:
    cleaned = "".join(ch for ch in term if ch.isalnum() or ch in "-_'’")
    return "'" + cleaned.replace("'", "''") + "'" if cleaned else "''"
