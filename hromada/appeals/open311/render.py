"""Open311 answers in JSON and in the spec's XML.

One value tree serves both: a list of dicts (or one dict) of scalars, with nested
lists named in LIST_ITEMS (the XML element of each item: `<attributes><attribute>`,
`<values><value>`, `<endpoints><endpoint>`, `<formats><format>`). XML is written as
text with ElementTree's escaping of element text (&, <, >) and its layout; booleans are
`true`/`false`, None an empty element, as GeoReport v2's examples show.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")

LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _escape(text: str) -> str:
    # What ElementTree escapes in element text: &, < and > (no attributes are written).
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _scalar(parts: list[str], tag: str, value) -> None:
    text = _text(value)
    if text:
        parts.append(f"<{tag}>{_escape(text)}</{tag}>")
    else:
        parts.append(f"<{tag} />")


def _element(parts: list[str], tag: str, data: dict) -> None:
    if not data:
        parts.append(f"<{tag} />")
        return
    parts.append(f"<{tag}>")
    for key, value in data.items():
        if isinstance(value, list):
            if not value:
                parts.append(f"<{key} />")
                continue
            item_name = LIST_ITEMS.get(key, "item")
            parts.append(f"<{key}>")
            for item in value:
                if isinstance(item, dict):
                    _element(parts, item_name, item)
                else:
                    _scalar(parts, item_name, item)
            parts.append(f"</{key}>")
        elif isinstance(value, dict):
            _element(parts, key, value)
        else:
            _scalar(parts, key, value)
    parts.append(f"</{tag}>")


def to_xml(data, *, root: str, item: str | None = None) -> bytes:
    """`data` as XML: a list becomes `<root><item>…</item>…</root>`, a dict `<root>…</root>`.

    Written as text, byte for byte what ElementTree's tostring(encoding="utf-8",
    xml_declaration=True) wrote (tests/test_open311_parity.py keeps it as the reference)
    in a fraction of its time: a thousand requests were most of the answer's CPU."""
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n"]
    if isinstance(data, list):
        if not data:
            parts.append(f"<{root} />")
        else:
            parts.append(f"<{root}>")
            tag = item or "item"
            for row in data:
                _element(parts, tag, row)
            parts.append(f"</{root}>")
    else:
        _element(parts, root, data)
    return "".join(parts).encode("utf-8")


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def respond(data, fmt: str, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(data, root=root, item=item), status=status, content_type=XML_TYPE)
    return HttpResponse(to_json(data), status=status, content_type=JSON_TYPE)


def error_response(errors: list[dict], fmt: str, *, status: int) -> HttpResponse:
    """The spec's error list: `[{"code", "description"}]` / `<errors><error>…`."""
    return respond(errors, fmt, root="errors", item="error", status=status)


def format_of_path(path: str) -> str:
    """The answer's format a path asks for by its extension (JSON unless .xml)."""
    return "xml" if path.lower().rstrip("/").endswith(".xml") else "json"
