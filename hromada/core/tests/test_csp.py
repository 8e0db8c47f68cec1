"""A strict Content-Security-Policy on every response (security issue 8, finding 7),
and no template that would break under it. The browser tests check, on every page
they visit, that the header is there and that Chromium reports no violation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/v1/openapi.json", "/no-such-page/", "/healthz"]
)
def test_every_response_has_a_strict_policy(hromada, path):
    policy = Client().get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"<style[\s>]", re.I), "inline <style>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
]


def _templates():
    for base in [ROOT / "templates", *sorted((ROOT / "hromada").glob("*/templates"))]:
        yield from sorted(base.rglob("*.html"))


def test_no_template_needs_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in _templates()
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_api_errors_have_it_too(hromada):
    assert "Content-Security-Policy" in Client().get("/api/v1/no-such-thing")
