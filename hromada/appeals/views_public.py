"""The public side: the map of problem reports, a case's page, the applicant's cabinet,
statistics (owned by the public part)."""

from __future__ import annotations

from django.shortcuts import render

from hromada.core.errors import NotFound

from . import selectors


def case(request, public_id):
    try:
        found = selectors.case_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        return render(request, "appeals/placeholder.html", {"heading": "404"}, status=404)
    return render(request, "appeals/placeholder.html", {"heading": str(found)})
