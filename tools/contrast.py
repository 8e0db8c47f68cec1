"""WCAG 2.1 contrast of the design tokens in static/css/hromada.css (docs/design.md).

    .venv/bin/python -m tools.contrast        prints every pair and its ratio

Each pair is (foreground token, background token, minimum): 4.5 for text, 3 for large
text and for the boundaries of controls (WCAG 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "hromada.css"

TEXT, UI = 4.5, 3.0
PAIRS: tuple[tuple[str, str, float, str], ...] = (
    ("--c-text", "--c-bg", TEXT, "body text"),
    ("--c-text", "--c-surface", TEXT, "text on grey panels (stats, filters, footer)"),
    ("--c-text-muted", "--c-bg", TEXT, "meta and help text"),
    ("--c-text-muted", "--c-surface", TEXT, "meta text on grey panels"),
    ("--c-link", "--c-bg", TEXT, "links"),
    ("--c-link-hover", "--c-bg", TEXT, "links on hover"),
    ("--c-link", "--c-surface", TEXT, "links on grey panels"),
    ("--c-on-primary", "--c-primary", TEXT, "primary button"),
    ("--c-on-primary", "--c-primary-hover", TEXT, "primary button on hover"),
    ("--c-on-primary", "--c-danger", TEXT, "danger button"),
    ("--c-on-primary", "--c-danger-hover", TEXT, "danger button on hover"),
    ("--c-text", "--c-accent", TEXT, "count badge"),
    ("--c-text-muted", "--c-surface-2", TEXT, "disabled button"),
    ("--c-success", "--c-success-bg", TEXT, "status: collecting / ok"),
    ("--c-warning", "--c-warning-bg", TEXT, "status: moderation, consideration"),
    ("--c-danger", "--c-danger-bg", TEXT, "status: rejected, overdue"),
    ("--c-info", "--c-info-bg", TEXT, "status: answered"),
    ("--c-neutral", "--c-neutral-bg", TEXT, "status: neutral, withdrawn"),
    ("--c-text", "--c-danger-bg", TEXT, "text in an error notice / overdue row"),
    ("--c-text", "--c-success-bg", TEXT, "text in a success notice"),
    ("--c-text", "--c-warning-bg", TEXT, "text in a warning notice"),
    ("--c-text", "--c-info-bg", TEXT, "text in an info notice"),
    ("--c-danger", "--c-bg", TEXT, "error messages, required marker"),
    ("--c-line-strong", "--c-bg", UI, "input borders"),
    ("--c-success", "--c-surface-2", UI, "progress bar against its track"),
    ("--c-text", "--c-focus", UI, "focus ring: black halo around yellow"),
)


def tokens(css: str | None = None) -> dict[str, str]:
    css = CSS.read_text(encoding="utf-8") if css is None else css
    root = re.search(r":root\s*\{(.*?)\n\}", css, re.S)
    assert root, "no :root block"
    return dict(re.findall(r"(--c-[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\b", root.group(1)))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(fg: str, bg: str) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def report(css: str | None = None) -> list[tuple[str, str, float, float, str]]:
    values = tokens(css)
    return [(fg, bg, ratio(values[fg], values[bg]), minimum, use) for fg, bg, minimum, use in PAIRS]


def main() -> int:
    failing = 0
    for fg, bg, r, minimum, use in report():
        ok = r >= minimum
        failing += not ok
        print(f"{'ok ' if ok else 'LOW'} {r:5.2f}:1 (min {minimum}) {fg} on {bg} — {use}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
