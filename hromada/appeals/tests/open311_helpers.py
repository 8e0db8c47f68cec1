"""Helpers of the Open311 tests: calls through HTTP in either format, and answers read
back into one shape (the XML parsed with ElementTree)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own test answers

from django.test.client import encode_multipart  # noqa: F401 - re-exported for tests

BASE = "/open311/v2/"
LIST_ITEMS = {"attributes", "values", "endpoints", "formats"}


def _element(el: ET.Element):
    children = list(el)
    if not children:
        return el.text or ""
    if el.tag in LIST_ITEMS:
        return [_element(c) for c in children]
    return {c.tag: _element(c) for c in children}


def parse(response):
    """The answer as Python: JSON as is; XML as dicts of strings (lists for the root's
    items and the spec's nested lists)."""
    content_type = response["Content-Type"]
    if content_type == "text/xml; charset=utf-8":
        assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        root = ET.fromstring(response.content)  # noqa: S314
        if root.tag in ("services", "service_requests", "errors"):
            return [_element(c) for c in root]
        return _element(root)
    assert content_type == "application/json; charset=utf-8", content_type
    return json.loads(response.content)


def get(client, resource: str, fmt: str = "json", **kwargs):
    params = kwargs.pop("params", None) or {}
    return client.get(f"{BASE}{resource}.{fmt}", params, **kwargs)


def post(client, fmt: str = "json", data=None, **kwargs):
    return client.post(f"{BASE}requests.{fmt}", data or {}, **kwargs)


def text(value) -> str:
    """A scalar as the XML shows it (JSON's booleans and numbers as strings)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)
