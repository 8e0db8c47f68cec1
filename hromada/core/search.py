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
        words = query.replace(":", " ").replace("&", " ").replace("|", " ").split()
        terms = [escaped for escaped in map(_escape, words) if escaped]
        if not terms:
            # Only punctuation: no lexeme to ask the index for (an empty '' is a syntax
            # error in a tsquery); match the text itself, as the portable path does.
            return _portable(qs, folded_field=folded_field, query=query)
        tsquery = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config="simple")
        vector = SearchVector(*fields, config="simple")
        return qs.annotate(_search=vector).filter(_search=tsquery)
    return _portable(qs, folded_field=folded_field, query=query)


def _portable(qs: QuerySet, *, folded_field: str, query: str) -> QuerySet:
    # Punctuation beside words is no term (as on PostgreSQL); punctuation alone is matched.
    terms = fold(query).split()
    terms = [t for t in terms if any(ch.isalnum() for ch in t)] or terms
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{folded_field}__contains": term})
    return qs.filter(condition)


def _escape(term: str) -> str:
    """A term as a quoted tsquery lexeme, or "" when nothing searchable is left."""
    cleaned = "".join(ch for ch in term if ch.isalnum() or ch in "-_'’")
    if not any(ch.isalnum() for ch in cleaned):
        return ""
    return "'" + cleaned.replace("'", "''") + "'"
