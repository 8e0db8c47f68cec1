"""Public pages of the ledger: parse, call one selector, render."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hromada.core.ratelimit import rate_limit

from . import selectors
from .canonical import canonical_json
from .kinds import kind_label
from .proofs import ledger_receipt_check, proof_document
from .receipts import InvalidReceipt, lookup_keys


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@require_GET
def index(request):
    hromada = request.hromada
    page = selectors.ledger_entries_page(
        hromada=hromada, before=_int_param(request, "before"), after=_int_param(request, "after")
    )
    rows = [
        {
            "entry": entry,
            "label": kind_label(entry.kind),
            "payload": canonical_json(entry.payload),
            "index": entry.leaf.index if hasattr(entry, "leaf") else None,
        }
        for entry in page.entries
    ]
    export_url = request.build_absolute_uri(reverse("ledger:export"))
    return render(
        request,
        "ledger/index.html",
        {
            "head": selectors.ledger_latest_tree_head(hromada=hromada),
            "keys": selectors.ledger_public_keys(hromada=hromada),
            "rows": rows,
            "page": page,
            "export_url": export_url,
        },
    )


@require_GET
def receipt(request):
    """Paste a receipt, see the entry and its inclusion proof in a signed tree head."""
    raw = request.GET.get("receipt")
    context: dict = {"receipt": (raw or "").strip()[:100], "check": None, "error": None}
    if raw is not None:
        try:
            keys = lookup_keys(raw)
        except InvalidReceipt as exc:
            context["error"] = exc.message
        else:
            rate_limit(request, "ledger.receipt")
            context["receipt"] = keys[0]
            context["check"] = ledger_receipt_check(hromada=request.hromada, receipt=keys[0], keys=keys)
    context["verifier_url"] = request.build_absolute_uri(reverse("ledger:verifier"))
    return render(request, "ledger/receipt.html", context)


@require_GET
def receipt_json(request):
    """The proof for tools/ledger_verify.py --proof (downloaded, checked offline)."""
    try:
        keys = lookup_keys(request.GET.get("receipt"))
    except InvalidReceipt as exc:
        return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
    rate_limit(request, "ledger.receipt")
    check = ledger_receipt_check(hromada=request.hromada, receipt=keys[0], keys=keys)
    if not check.found:
        return JsonResponse(
            {
                "code": "not_found",
                "message": _("Запису з такою квитанцією в реєстрі немає."),
                "field": "receipt",
            },
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    response = JsonResponse(
        proof_document(hromada=request.hromada, check=check),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{keys[0]}.json"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def export(request):
    response = StreamingHttpResponse(
        selectors.ledger_export_chunks(hromada=request.hromada),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="ledger-{request.hromada.slug}.json"'
    response["Access-Control-Allow-Origin"] = "*"  # public data: witnesses may fetch it from anywhere
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def tree_head(request):
    document = selectors.ledger_tree_head_document(hromada=request.hromada)
    if document is None:
        return JsonResponse(
            {"code": "ledger_empty", "message": "Реєстр ще не запечатано.", "field": None}, status=404
        )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def verifier(request):
    """The standalone verifier (tools/ledger_verify.py), for people without the source."""
    path = Path(settings.BASE_DIR) / "tools" / "ledger_verify.py"
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="ledger_verify.py", content_type="text/x-python"
    )


class TreeHeadFeed(Feed):
    """Signed tree heads as an Atom feed: anyone who archives the feed becomes a witness
    that the log was not rewritten later (see docs/ledger.md, "Publishing tree heads")."""

    feed_type = Atom1Feed

    def get_object(self, request):
        return request.hromada

    def title(self, hromada):
        return _("Публічний реєстр подій: %(h)s") % {"h": hromada.name}

    def link(self, hromada):
        return reverse("ledger:index")

    def subtitle(self, hromada):
        return _("Підписані корені дерева Меркла (tree heads) реєстру громади")

    def items(self, hromada):
        return selectors.ledger_tree_heads(hromada=hromada).select_related("key").order_by("-tree_size")[:50]

    def item_title(self, item):
        return _("Реєстр: %(n)d записів, корінь %(r)s") % {"n": item.tree_size, "r": item.root_hash[:16]}

    def item_description(self, item):
        return (
            f"tree_size={item.tree_size} root_hash={item.root_hash} "
            f"timestamp={item.timestamp_ms} key_id={item.key.key_id} signature={item.signature}"
        )

    def item_link(self, item):
        return reverse("ledger:index")

    def item_guid(self, item):
        return f"sth:{item.hromada_id}:{item.tree_size}:{item.root_hash}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.timestamp
