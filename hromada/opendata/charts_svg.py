"""Charts drawn on the server as SVG (ADR 0009 decision 10): no script, readable on a
phone (a viewBox, no fixed size), for a screen reader (role="img", <title>, <desc>)
and without colour: every bar and point has its value printed beside it, pie slices
are numbered and filled with distinct patterns matched in the legend, and the page
puts the same figures in a table beside the drawing."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Chart, ChartKind

W = 420  # the viewBox's width: at a phone's 360 px its 15-unit text stays about 13 px
FONT = 15
INK = "#1b1b1b"
MUTED = "#595959"
BAR = "#1f5f99"
OTHER = "#6b6b6b"
# Pie slices: colour and texture both change from slice to slice.
PALETTE = ("#1f5f99", "#b3541e", "#2e7d32", "#6a3d9a", "#8c6d00", "#00838f", "#ad1457", "#455a64")
TEXTURES = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "back", "grid")
LABEL_CHARS = 42


def number(value) -> str:
    """A figure as people read it in Ukrainian: narrow spaces between thousands, a
    decimal comma, at most two decimals."""
    if value is None:
        return "—"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _t(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = FONT,
    fill: str = INK,
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _patterns(uid: str, n: int) -> str:
    out = []
    for i in range(n):
        colour = PALETTE[i % len(PALETTE)]
        texture = TEXTURES[i % len(TEXTURES)]
        pid = f"{uid}-p{i}"
        marks = {
            "solid": "",
            "diagonal": '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>',
            "dots": '<circle cx="4" cy="4" r="1.8" fill="#fff"/>',
            "cross": '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.5"/>',
            "horizontal": '<path d="M0,4 L8,4" stroke="#fff" stroke-width="2"/>',
            "vertical": '<path d="M4,0 L4,8" stroke="#fff" stroke-width="2"/>',
            "back": '<path d="M0,0 L8,8" stroke="#fff" stroke-width="2"/>',
            "grid": '<path d="M0,4 L8,4 M4,0 L4,8" stroke="#fff" stroke-width="1.2"/>',
        }[texture]
        out.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
        )
    out.append(
        f'<pattern id="{uid}-other" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{OTHER}"/><path d="M0,8 L8,0" stroke="#fff" stroke-width="1.5"/></pattern>'
    )
    return "<defs>" + "".join(out) + "</defs>"


def describe(chart: Chart, data: dict) -> str:
    """The <desc>: what is drawn, and its largest figure, in one or two sentences."""
    rows = data["rows"]
    kind = ChartKind(chart.kind).label
    text = _("%(kind)s діаграма: %(y)s за стовпцем «%(x)s».") % {
        "kind": kind,
        "y": data["y_label"],
        "x": data["x_label"],
    }
    if not rows:
        return text + " " + _("Даних для графіка немає.")
    if chart.kind == ChartKind.LINE:
        text += " " + _("Від %(a)s (%(av)s) до %(b)s (%(bv)s), %(n)d точок.") % {
            "a": rows[0]["label"],
            "av": number(rows[0]["value"]),
            "b": rows[-1]["label"],
            "bv": number(rows[-1]["value"]),
            "n": len(rows),
        }
    else:
        named = rows[:-1] if data["other"] and len(rows) > 1 else rows
        top = max(named, key=lambda r: r["value"])
        text += " " + _("Найбільше — %(l)s: %(v)s.") % {"l": top["label"], "v": number(top["value"])}
        shown = len(rows) - (1 if data["other"] else 0)
        if data["other"]:
            text += " " + _("Показано %(n)d найбільших із %(g)d категорій, решту підсумовано як «Інше».") % {
                "n": shown,
                "g": data["groups"],
            }
    return text + " " + _("Ті самі числа — у таблиці під графіком.")


def render_chart(chart: Chart, data: dict) -> SafeString:
    uid = f"chart-{chart.public_id}"
    rows = data["rows"]
    if chart.kind == ChartKind.PIE:
        body, height = _pie(uid, rows, data)
    elif chart.kind == ChartKind.LINE:
        body, height = _line(uid, rows, data)
    else:
        body, height = _bars(uid, rows, data)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="od-chart-svg" viewBox="0 0 {W} {height}" '
        f'role="img" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc" preserveAspectRatio="xMidYMin meet" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{uid}-title">{escape(chart.title)}</title>'
        f'<desc id="{uid}-desc">{escape(describe(chart, data))}</desc>'
    )
    return mark_safe(head + body + "</svg>")  # noqa: S308 - every text above went through escape()


def _empty(height: int = 60) -> tuple[str, int]:
    return _t(W / 2, 34, _("Даних для графіка немає."), anchor="middle", fill=MUTED), height


def _bars(uid: str, rows: list[dict], data: dict) -> tuple[str, int]:
    """Horizontal bars: a long Ukrainian category name fits on its own line above its bar."""
    if not rows:
        return _empty()
    pad, value_room, top, step = 8, 84, 42, 50
    values = [r["value"] for r in rows]
    lo, hi = min(0, *values), max(0, *values)
    span = (hi - lo) or 1
    area = W - 2 * pad - value_room
    zero = pad + area * (-lo / span)
    parts = [_patterns(uid, 0)]
    parts.append(_t(pad, 16, _("Категорії: %(x)s") % {"x": _short(data["x_label"], 50)}, size=13, fill=MUTED))
    parts.append(_t(pad, 33, _("Значення: %(y)s") % {"y": _short(data["y_label"], 50)}, size=13, fill=MUTED))
    for i, row in enumerate(rows):
        y = top + i * step
        is_other = data["other"] and i == len(rows) - 1
        width = area * abs(row["value"]) / span
        x = zero if row["value"] >= 0 else zero - width
        fill = f"url(#{uid}-other)" if is_other else BAR
        parts.append("<g>")
        parts.append(f"<title>{escape(row['label'])}: {escape(number(row['value']))}</title>")
        parts.append(_t(pad, y + 15, _short(row["label"], 40)))
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 22:.1f}" width="{max(width, 1):.1f}" height="20" fill="{fill}" rx="2"/>'
        )
        value_x = (x + width + 6) if row["value"] >= 0 else (x - 6)
        anchor = "start" if row["value"] >= 0 else "end"
        parts.append(_t(value_x, y + 37, number(row["value"]), anchor=anchor, extra=' font-weight="600"'))
        parts.append("</g>")
    bottom = top + len(rows) * step
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top + 16}" x2="{zero:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>'
    )
    return "".join(parts), bottom + 8


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * exp:
            return m * exp
    return 10 * exp


def _line(uid: str, rows: list[dict], data: dict) -> tuple[str, int]:
    if not rows:
        return _empty()
    left, right, top, plot_h = 76, 18, 44, 200  # room for rotated dates on the left
    height = top + plot_h + 92
    values = [r["value"] for r in rows]
    lo = min(0, *values)
    hi = _nice_max(max(values)) if max(values) > 0 else 0
    if lo < 0:
        lo = -_nice_max(-lo)
    span = (hi - lo) or 1
    plot_w = W - left - right
    n = len(rows)

    def px(i: int) -> float:
        return left + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / span)

    parts = [
        _t(8, 16, _("Вісь Y (значення): %(y)s") % {"y": _short(data["y_label"], 50)}, size=13, fill=MUTED)
    ]
    for k in range(5):  # gridlines with their values: the scale is read, not guessed
        v = lo + span * k / 4
        y = py(v)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{W - right}" y2="{y:.1f}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(_t(left - 4, y + 4, number(round(v, 2)), anchor="end", size=12, fill=MUTED))
    parts.append(f'<line x1="{left}" y1="{py(lo):.1f}" x2="{W - right}" y2="{py(lo):.1f}" stroke="{INK}"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{INK}"/>')
    points = " ".join(f"{px(i):.1f},{py(r['value']):.1f}" for i, r in enumerate(rows))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
    every_value = n <= 12
    tick_step = max(1, math.ceil(n / 6))
    for i, row in enumerate(rows):
        x, y = px(i), py(row["value"])
        parts.append("<g>")
        parts.append(f"<title>{escape(row['label'])}: {escape(number(row['value']))}</title>")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{BAR}" stroke-width="2"/>')
        if every_value or i in (0, n - 1) or row["value"] in (max(values), min(values)):
            parts.append(
                _t(x, y - 9, number(row["value"]), anchor="middle", size=12, extra=' font-weight="600"')
            )
        if i % tick_step == 0 or i == n - 1:
            base = top + plot_h + 14
            parts.append(
                _t(
                    x,
                    base,
                    _short(row["label"], 16),
                    anchor="end",
                    size=12,
                    extra=f' transform="rotate(-35 {x:.1f} {base:.1f})"',
                )
            )
        parts.append("</g>")
    parts.append(
        _t(
            W / 2,
            height - 8,
            _("Вісь X: %(x)s") % {"x": _short(data["x_label"], 50)},
            anchor="middle",
            size=12,
            fill=MUTED,
        )
    )
    return "".join(parts), height


def _arc(cx: float, cy: float, r: float, a0: float, a1: float) -> str:
    x0, y0 = cx + r * math.sin(a0), cy - r * math.cos(a0)
    x1, y1 = cx + r * math.sin(a1), cy - r * math.cos(a1)
    large = 1 if a1 - a0 > math.pi else 0
    return f"M{cx:.1f},{cy:.1f} L{x0:.2f},{y0:.2f} A{r},{r} 0 {large} 1 {x1:.2f},{y1:.2f} Z"


def _pie(uid: str, rows: list[dict], data: dict) -> tuple[str, int]:
    slices = [r for r in rows if r["value"] and r["value"] > 0]
    if not slices:
        return _empty()
    total = sum(r["value"] for r in slices)
    cx, cy, r = W / 2, 132, 118
    legend_top, step = cy + r + 26, 28
    height = legend_top + len(slices) * step
    parts = [_patterns(uid, len(slices))]
    angle = 0.0
    legend: list[str] = []
    for i, row in enumerate(slices):
        share = row["value"] / total
        is_other = data["other"] and row is rows[-1]
        fill = f"url(#{uid}-other)" if is_other else f"url(#{uid}-p{i})"
        a1 = angle + share * 2 * math.pi
        parts.append("<g>")
        parts.append(f"<title>{i + 1}. {escape(row['label'])}: {escape(number(row['value']))}</title>")
        if len(slices) == 1:
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" stroke="#fff" stroke-width="2"/>'
            )
        else:
            parts.append(
                f'<path d="{_arc(cx, cy, r, angle, a1)}" fill="{fill}" stroke="#fff" stroke-width="2"/>'
            )
        if share >= 0.04:  # the slice's number on a white disc, readable over any pattern
            mid = (angle + a1) / 2
            lx, ly = cx + r * 0.68 * math.sin(mid), cy - r * 0.68 * math.cos(mid)
            parts.append(
                f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="10" fill="#fff" stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(_t(lx, ly + 4.5, str(i + 1), anchor="middle", size=12, extra=' font-weight="700"'))
        parts.append("</g>")
        y = legend_top + i * step
        legend.append(
            f'<rect x="8" y="{y - 14}" width="18" height="18" fill="{fill}" stroke="{INK}" stroke-width="0.5"/>'
            + _t(
                32,
                y,
                f"{i + 1}. {_short(row['label'], 26)} — {number(row['value'])} ({number(round(share * 100, 1))}\u00a0%)",
            )
        )
        angle = a1
    return "".join(parts) + "".join(legend), height


def chart_table(data: dict) -> Iterable[tuple[str, str]]:
    """The figures for the table beside the chart, formatted as in the drawing."""
    return [(r["label"], number(r["value"])) for r in data["rows"]]
