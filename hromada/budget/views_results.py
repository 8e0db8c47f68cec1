"""The public results page and the auditor's files. Thin: the reads are in
result_selectors."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hromada.core.errors import NotFound

from . import result_selectors, selectors

# The files an auditor needs beside ledger_verify.py (served by the ledger at
# /ledger/ledger_verify.py): docs/budget-tally.md.
TOOL_FILES = {
    "budget_tally.py": Path("tools") / "budget_tally.py",
    "tally.py": Path("hromada") / "budget" / "tally.py",
}


@require_GET
def results(request, slug: str):
    try:
        cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "cycle": cycle,
        "published": result_selectors.results_public(cycle),
        "turnout": result_selectors.turnout(cycle),
        "verify": result_selectors.verify_box(cycle),
        "phase": selectors.current_phase(cycle),
    }
    if context["published"]:
        context["categories"] = result_selectors.category_results(cycle, result_selectors.cycle_tally(cycle))
    return render(request, "budget/results.html", context)


@require_GET
def tool_file(request, name: str):
    relative = TOOL_FILES.get(name)
    path = Path(settings.BASE_DIR) / relative if relative else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/x-python")
