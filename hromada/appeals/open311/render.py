"""Open311 answers in JSON and in the spec's XML.

One value tree serves both: a list of dicts (or one dict) of scalars, with nested
lists named in LIST_ITEMS (the XML element of each item: `<attributes><attribute>`,
`<values><value>`, `<endpoints><endpoint>`, `<formats><format>`). XML is built with
ElementTree, so text is escaped by the library; booleans are `true`/`false`, None an
empty element, as GeoReport v2's examples show.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - we only build XML, never parse input

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


def _fill(element: ET.Element, data: dict) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            item_name = LIST_ITEMS.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, item_name)
                if isinstance(item, dict):
                    _fill(sub, item)
                else:
                    sub.text = _text(item)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


def to_xml(data, *, root: str, item: str | None = None) -> bytes:
    """`data` as XML: a list becomes `<root><item>…</item>…</root>`, a dict `<root>…</root>`."""
    element = ET.Element(root)
    if isinstance(data, list):
        for row in data:
            _fill(ET.SubElement(element, item or "item"), row)
    else:
        _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


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
