"""{% load hromada_map %}: the kernel's map component (core/_map.html, static/js/map.js).

`{% map_assets %}` writes Leaflet's, markercluster's and map.js's tags once per request,
so only pages with a map load them. `{% map_config … as cfg %}` checks what a page
passes and gives the include its configuration, read by map.js from a JSON element
(data, not script: the Content-Security-Policy allows it). The kernel names no module:
layers are GeoJSON URLs the page gives.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

MODES = ("show", "pick", "draw")
LAYER_KINDS = ("areas", "points")
# Class names map.js puts on a layer's shapes (styled in hromada.css, `.map-shape-<style>`).
LAYER_STYLES = ("default", "boundary", "okrug", "district", "territory", "zone", "highlight", "muted")

_CSS = ("vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css")
_JS = ("vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js", "js/map.js")


@register.simple_tag(takes_context=True)
def map_assets(context) -> str:
    """The map's stylesheets and scripts, the first time a page asks (two maps, one set)."""
    request = context.get("request")
    if request is not None:
        if getattr(request, "_map_assets_written", False):
            return ""
        request._map_assets_written = True
    css = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(p),) for p in _CSS))
    js = format_html_join("", '<script src="{}" defer></script>', ((static(p),) for p in _JS))
    return format_html("{}{}", css, js)


def _layer(value: Any, index: int) -> dict:
    if not isinstance(value, dict) or not value.get("url"):
        raise template.TemplateSyntaxError(f"map layer {index}: a dict with a 'url' is needed, not {value!r}")
    kind = value.get("kind", "points")
    if kind not in LAYER_KINDS:
        raise template.TemplateSyntaxError(f"map layer {index}: kind must be one of {LAYER_KINDS}")
    style = value.get("style", "default")
    if style not in LAYER_STYLES:
        raise template.TemplateSyntaxError(f"map layer {index}: style must be one of {LAYER_STYLES}")
    return {
        "url": str(value["url"]),
        "name": str(value.get("name") or _("Шар %(n)s") % {"n": index + 1}),
        "kind": kind,
        "style": style,
        # Loaded for the visible part of the map only (?bbox=…), from this zoom on.
        "bbox": bool(value.get("bbox", False)),
        "min_zoom": int(value.get("min_zoom", 15)),
        "cluster": bool(value.get("cluster", kind == "points")),
        "fit": bool(value.get("fit", not value.get("bbox", False))),
        "shown": bool(value.get("shown", True)),
    }


@register.simple_tag
def map_config(
    *,
    map_id: str,
    mode: str = "",
    layers: Any = None,
    pick_lat: str = "",
    pick_lon: str = "",
    draw_target: str = "",
    label: str = "",
    center: Any = None,
    zoom: Any = None,
) -> dict:
    """What map.js needs, checked: a wrong mode or layer is a template error, found by
    the page's tests rather than by a visitor."""
    mode = mode or "show"
    if not map_id:
        raise template.TemplateSyntaxError("the map include needs a map_id")
    if mode not in MODES:
        raise template.TemplateSyntaxError(f"map mode must be one of {MODES}, not {mode!r}")
    if mode == "pick" and not (pick_lat and pick_lon):
        raise template.TemplateSyntaxError("mode='pick' needs pick_lat and pick_lon (input ids)")
    if mode == "draw" and not draw_target:
        raise template.TemplateSyntaxError("mode='draw' needs draw_target (a textarea id)")
    tiles_url = getattr(settings, "MAP_TILES_URL", "") or ""
    config: dict[str, Any] = {
        "id": map_id,
        "mode": mode,
        "layers": [_layer(v, i) for i, v in enumerate(layers or [])],
        "tiles": {"url": tiles_url, "attribution": getattr(settings, "MAP_TILES_ATTRIBUTION", "") or ""},
        "pick": {"lat": pick_lat, "lon": pick_lon} if mode == "pick" else None,
        "draw": {"target": draw_target} if mode == "draw" else None,
        # Where to look before any data is loaded (Ukraine), unless the page says.
        "center": [float(c) for c in center] if center else [48.6, 31.2],
        # A page that says where to look keeps that view instead of fitting the data.
        "fixed": bool(center),
        "zoom": int(zoom) if zoom else 6,
        "texts": {
            "no_tiles": _("Підкладка карти недоступна; показано лише межі та точки."),
            "zoom_in": _("Наблизьте карту, щоб побачити шар «%(name)s».") % {"name": "{name}"},
            "load_failed": _("Не вдалося завантажити шар «%(name)s».") % {"name": "{name}"},
            "empty": _("На карті поки нічого немає."),
            "open": _("Відкрити"),
            "picked": _("Позначено точку: широта {lat}, довгота {lon}."),
            "points": _("Точок межі: {n}."),
            "finished": _("Межу завершено (точок: {n})."),
            "cleared": _("Межу очищено."),
            "not_polygon": _("У полі не багатокутник GeoJSON: його не показано на карті."),
            "multi": _("Межа з кількох частин показана без редагування; «Очистити», щоб накреслити заново."),
            "vertex": _("Точка межі {n}"),
            "marker": _("Позначена точка"),
            "cluster": _("{n} об'єктів: наблизити"),
            # A cluster the server counted: its own label ("12 звернень"), then what it does.
            "cluster_zoom": _("{label}: наблизити"),
        },
    }
    if label:
        config["label"] = str(label)
    else:
        config["label"] = {
            "show": _("Карта"),
            "pick": _("Карта: позначте точку"),
            "draw": _("Карта: накресліть межу"),
        }[mode]
    return config
