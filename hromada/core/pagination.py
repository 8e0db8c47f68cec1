"""Pagination with a maximum for every list the API returns (house rule 15).

    @router.get("/things", response=list[ThingOut])
    @paginated(page_size=20)
    def list_things(request): return selectors.thing_list(...)

answers {"items": [...], "count": N}; `?page=` picks a page and `?page_size=` a size of
at most `max_page_size` (never more than API_MAX_PAGE_SIZE; a larger request is cut to
it). hromada/api/tests/test_pagination.py checks that no API operation returns a bare
list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate

API_MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000  # beyond it an offset no database takes (a page number is refused with 422)


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"Items per page; a larger number is cut to the maximum ({API_MAX_PAGE_SIZE})",
        )


def paginated(page_size: int = 20, max_page_size: int = API_MAX_PAGE_SIZE) -> Callable[..., Any]:
    """Ninja's page-number pagination with a maximum page size."""
    return paginate(
        BoundedPageNumberPagination,
        page_size=page_size,
        max_page_size=min(max_page_size, API_MAX_PAGE_SIZE),
    )
