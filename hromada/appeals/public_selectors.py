"""Reads of the public side: the map of problem reports (filters, the viewport query),
a case's page (who may see it, its public steps), the applicant's cabinet.

What the public sees of a report is fixed here, once: its category, place, status and
moderated text and photos, the public steps of its history, and the reporter's name only
when they chose to show it. Applicants' details (name, address, e-mail, phone) never
leave this module through these reads otherwise."""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError, NotFound

from . import rules
from .models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Category,
    EventKind,
    Moderation,
    Subscription,
)
from .selectors import public_reports

# Status groups people filter by (the map's legend): each has its own marker shape, so
# colour is never the only difference.
STATUS_GROUPS: dict[str, frozenset[str]] = {
    "open": frozenset(OPEN_STATUSES),
    "resolved": frozenset({CaseStatus.RESOLVED, CaseStatus.ANSWERED}),
    "not_fixed": frozenset({CaseStatus.NOT_FIXED}),
    "closed": frozenset(
        {CaseStatus.REJECTED, CaseStatus.RETURNED, CaseStatus.FORWARDED, CaseStatus.DUPLICATE}
    ),
}
STATUS_GROUP_LABELS = {
    "open": gettext_lazy("У роботі"),
    "resolved": gettext_lazy("Вирішено"),
    "not_fixed": gettext_lazy("Закрито, не вирішено"),
    "closed": gettext_lazy("Закрито з іншої причини"),
}
# The marker style (core/_map.html layer style) of each group; hromada.css gives each a
# different shape and glyph inside the appeals map.
GROUP_STYLES = {"open": "default", "resolved": "muted", "not_fixed": "highlight", "closed": "zone"}

BBOX_MAX_DEGREES = 2.0  # a whole hromada at zoom 10; the map asks from zoom 11 on
GEOJSON_MAX_FEATURES = 1_000  # a box too small to cluster; beyond it `truncated` says zoom in
# A viewport with more reports than this answers clusters counted in the database.
CLUSTER_THRESHOLD = 300
CLUSTER_CELL_PX = 64  # a cell's side on the screen at the zoom the map asks at
CLUSTER_CELLS_ACROSS = 10  # without a zoom: cells across the box
CLUSTER_CELLS_MAX = 64  # never finer than this across the box, whatever the zoom asked
CLUSTER_MIN_SPAN = 0.002  # degrees (~150 m): a smaller box shows its reports, never clusters
LIST_PAGE_SIZE = 20

# Steps of a report's history anyone may see, and those whose text is staff's own
# words (an update, the answer, the reason): the applicant's own texts (a reopening
# reason) are shown only to the applicant.
STAFF_TEXT_EVENTS = frozenset(
    {
        EventKind.UPDATE,
        EventKind.ANSWERED,
        EventKind.RESOLVED,
        EventKind.NOT_FIXED,
        EventKind.REJECTED,
        EventKind.RETURNED,
        EventKind.FORWARDED,
        EventKind.EXTENDED,
    }
)


def group_of(status: str) -> str:
    for name, statuses in STATUS_GROUPS.items():
        if status in statuses:
            return name
    return "open"


@dataclass(frozen=True)
class ReportFilters:
    category: str = ""  # a category code
    status: str = ""  # a group (open, resolved, not_fixed, closed) or a status value
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    area: str = ""  # an okrug's or district's slug

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (for links and the map's layer URLs)."""
        out = {
            "category": self.category,
            "status": self.status,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "area": self.area,
        }
        return {k: v for k, v in out.items() if v}


def _date(value: str, field: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise DomainError(
            "date_invalid",
            _("Дата має бути у форматі РРРР-ММ-ДД, наприклад 2026-03-15."),
            field=field,
        ) from None


def parse_filters(params) -> ReportFilters:
    """GET parameters → filters; a bad date or an unknown status is a DomainError with
    its field (never a 500); an unknown category or area simply matches nothing."""
    status = (params.get("status") or "").strip()[:20]
    if status and status not in STATUS_GROUPS and status not in CaseStatus.values:
        raise DomainError(
            "status_invalid",
            _("Невідомий стан: оберіть «у роботі», «вирішено», «закрито, не вирішено» чи «закрито»."),
            field="status",
        )
    if status == CaseStatus.DRAFT:
        raise DomainError("status_invalid", _("Чернетки не публікуються."), field="status")
    date_from = _date(params.get("from", ""), "from")
    date_to = _date(params.get("to", ""), "to")
    if date_from and date_to and date_from > date_to:
        raise DomainError(
            "date_range_invalid", _("Дата «з» пізніша за дату «по»: поміняйте їх місцями."), field="from"
        )
    return ReportFilters(
        category=(params.get("category") or "").strip()[:40],
        status=status,
        date_from=date_from,
        date_to=date_to,
        area=(params.get("area") or "").strip()[:80],
    )


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=KYIV)


def filtered_reports(*, hromada, filters: ReportFilters) -> QuerySet[Case]:
    rows = public_reports(hromada=hromada)
    if filters.category:
        rows = rows.filter(category__code=filters.category)
    if filters.status in STATUS_GROUPS:
        rows = rows.filter(status__in=STATUS_GROUPS[filters.status])
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.date_from:
        rows = rows.filter(registered_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(registered_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.area:
        rows = rows.filter(area__slug=filters.area, area__hromada=hromada)
    return rows


def report_list(*, hromada, filters: ReportFilters) -> QuerySet[Case]:
    return (
        filtered_reports(hromada=hromada, filters=filters)
        .select_related("category", "area", "department")
        .order_by("-registered_at", "-id")
    )


def parse_bbox(value: str | None) -> tuple[float, float, float, float]:
    """ "w,s,e,n" (WGS 84 degrees) → a box, or DomainError bbox_required, bbox_invalid
    or bbox_too_large with a message saying what to send."""
    if not value or not value.strip():
        raise DomainError(
            "bbox_required",
            _("Вкажіть ділянку карти: bbox=захід,південь,схід,північ (довгота, широта)."),
            field="bbox",
        )
    try:
        numbers = [float(p) for p in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(n == n and abs(n) != float("inf") for n in numbers):
        raise DomainError(
            "bbox_invalid",
            _("bbox — це чотири числа через кому: захід,південь,схід,північ, наприклад 32.2,48.4,32.4,48.6."),
            field="bbox",
        )
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise DomainError(
            "bbox_invalid",
            _("bbox поза межами WGS 84: довгота від −180 до 180, широта від −90 до 90."),
            field="bbox",
        )
    if west > east or south > north:
        raise DomainError(
            "bbox_invalid",
            _("У bbox захід більший за схід чи південь більший за північ: спершу південно-західний кут."),
            field="bbox",
        )
    limit = BBOX_MAX_DEGREES + 1e-9
    if east - west > limit or north - south > limit:
        raise DomainError(
            "bbox_too_large",
            _("Ділянка завелика: не більше %(n)s° за довготою й широтою. Наблизьте карту.")
            % {"n": str(BBOX_MAX_DEGREES).replace(".", ",")},
            field="bbox",
        )
    return west, south, east, north


def _box_sql(west: float, south: float, east: float, north: float) -> str:
    values = [round(float(v), 5) for v in (south, north, west, east)]
    if not all(abs(v) <= 180 for v in values):  # parse_bbox's range; never text from a request
        raise ValueError("bbox out of range")
    s, n, w, e = (repr(v) for v in values)
    table = Case._meta.db_table
    return f'"{table}"."lat" BETWEEN {s} AND {n} AND "{table}"."lon" BETWEEN {w} AND {e}'


def _in_box(rows: QuerySet[Case], bbox: tuple[float, float, float, float]) -> QuerySet[Case]:
    # The box is written into the statement as literals (floats parse_bbox checked),
    # not as parameters: psycopg prepares a statement run 5 times on a connection
    # and PostgreSQL's generic plan for it cannot tell a street from the whole
    # hromada — it picked the point index for both and sorted 90,000 rows (400 ms)
    # where a whole-hromada box wants the newest-first index (1 ms).
    return rows.extra(where=[_box_sql(*bbox)])  # noqa: S610 (four checked floats)


def parse_zoom(value) -> int | None:
    """The map's zoom (0–22) the viewport was asked at, or None (cells follow the box)."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 22:
        raise DomainError("zoom_invalid", _("zoom — ціле число від 0 до 22."), field="zoom")
    return int(text)


def cell_size(bbox: tuple[float, float, float, float], zoom: int | None = None) -> tuple[float, float]:
    """(lat, lon) degrees of the clustering grid's cells: about CLUSTER_CELL_PX screen
    pixels at `zoom` (or CLUSTER_CELLS_ACROSS across the box without one), always 90 / 2^k
    degrees of longitude, so a pan at one zoom keeps the same cells, and the cells of two
    zooms nest. A degree of latitude is taller on the map by 1 / cos(lat): the latitude
    step is shortened by the cosine of the box's latitude rounded to 5°, stable within a
    hromada."""
    west, south, east, north = bbox
    span = max(east - west, 1e-9)
    # Never more than CLUSTER_CELLS_MAX across the box, whatever zoom a client sends.
    finest = math.floor(math.log2(90 * CLUSTER_CELLS_MAX / span))
    if zoom is None:
        level = round(math.log2(90 * CLUSTER_CELLS_ACROSS / span))
    else:
        level = zoom + round(math.log2(CLUSTER_CELL_PX / 64))
    level = max(0, min(level, finest, 30))
    lon_step = 90.0 / 2**level
    band = round((south + north) / 2 / 5) * 5
    return lon_step * max(math.cos(math.radians(band)), 0.05), lon_step


# Shown on a cluster: "12 звернень" (the plural forms are the catalogue's).
def cluster_label(n: int) -> str:
    return ngettext("%(n)s звернення", "%(n)s звернень", n) % {"n": n}


def _fragments() -> tuple[dict, dict, str]:
    """Per answer, once: each status's JSON properties (its group and label), and the
    prefix of a report's page."""
    labels = {value: str(label) for value, label in CaseStatus.choices}
    statuses = {
        value: f'"status":{_json(value)},"status_label":{_json(label)},"meta":{_json(label)}'
        for value, label in labels.items()
    }
    prefix = reverse("appeals:case", args=["00000000-0000-0000-0000-000000000000"])[
        : -len("00000000-0000-0000-0000-000000000000/")
    ]
    return labels, statuses, prefix


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


POINT_COLUMNS = (
    "public_id",
    "number",
    "status",
    "registered_at",
    "lat",
    "lon",
    "category__code",
    "category__name",
)


def _points_json(found: list[tuple], fragments: tuple[dict, dict, str]) -> list[str]:
    """Each report a GeoJSON Feature, written as text from fragments: most of the
    answer's time was building and dumping one dict per feature."""
    _labels, statuses, prefix = fragments
    categories: dict[tuple, tuple[str, str]] = {}
    out = []
    for public_id, number, status, registered_at, lat, lon, code, name in found:
        cat = categories.get((code, name))
        if cat is None:
            # The label "№<number> <category>" is split around the number.
            cat = categories[(code, name)] = (
                f'"category":{_json(code)},"label":"№',
                f' {_json(name or "")[1:-1]}"',
            )
        pid = str(public_id)
        at = f'"{registered_at.isoformat()}"' if registered_at else "null"
        out.append(
            f'{{"type":"Feature","id":"{pid}","geometry":{{"type":"Point","coordinates":[{lon!r},{lat!r}]}},'
            f'"properties":{{"number":{number},{cat[0]}{number}{cat[1]},'
            f'{statuses.get(status) or _status_fragment(status)},"registered_at":{at},'
            f'"url":"{prefix}{pid}/"}}}}'
        )
    return out


def _status_fragment(status: str) -> str:
    return f'"status":{_json(status)},"status_label":{_json(status)},"meta":{_json(status)}'


def _collection(features: list[str], **members) -> str:
    extra = "".join(f',"{k}":{_json(v)}' for k, v in members.items())
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]" + extra + "}"


def reports_geojson_text(
    *,
    hromada,
    bbox: tuple[float, float, float, float],
    filters: ReportFilters,
    zoom: int | None = None,
    limit: int = GEOJSON_MAX_FEATURES,
    cluster_over: int = CLUSTER_THRESHOLD,
) -> str:
    """The public reports inside `bbox` as GeoJSON text (a FeatureCollection).

    Up to `cluster_over` reports: each one a point feature (newest first). More: clusters
    counted in the database — one GROUP BY over a grid snapped to absolute coordinates
    (cell_size), each cell with more than one report a feature at its reports' centroid
    with cluster=true, count, bbox (w, s, e, n of its reports) and label; a cell with one
    report is that report's point. A box smaller than CLUSTER_MIN_SPAN is never
    clustered: its newest `limit` reports, `truncated` when there were more. Values
    only, no model instances, and nothing of the reporter: the map asks on every move."""
    west, south, east, north = bbox
    rows = _in_box(filtered_reports(hromada=hromada, filters=filters), bbox)
    fragments = _fragments()
    small = max(east - west, north - south) < CLUSTER_MIN_SPAN
    if not small:
        lat_step, lon_step = cell_size(bbox, zoom)
        key = (hromada.pk, filters, translation.get_language(), lat_step, lon_step)
        grid = _grid_fresh(key)
        # A kept grid whose cells wholly inside the box hold more than cluster_over
        # reports answers without a statement: the box is crowded as of its count.
        if grid is not None and _inside_count(grid, bbox) > cluster_over:
            return _cells_text(grid, bbox)
        # Unordered, so the database stops at cluster_over + 1 rows of a crowded box.
        # Counted on the map index alone (no join), so a crowded box costs little here.
        crowded = len(rows.order_by().values_list("number")[: cluster_over + 1]) > cluster_over
        if not crowded:
            probe = list(rows.order_by().values_list(*POINT_COLUMNS)[: cluster_over + 1])
            probe.sort(key=lambda r: (r[3], r[1]), reverse=True)  # newest first
            return _collection(_points_json(probe, fragments), truncated=False, clustered=False)
        if grid is None:
            grid = _grid_of(
                filtered_reports(hromada=hromada, filters=filters), key, lat_step, lon_step, fragments
            )
        return _cells_text(grid, bbox)
    found = list(rows.order_by("-registered_at", "-id").values_list(*POINT_COLUMNS)[: limit + 1])
    return _collection(_points_json(found[:limit], fragments), truncated=len(found) > limit, clustered=False)


# --- the clusters' grid, counted once and kept ------------------------------------------

GRID_TTL = 20.0  # seconds a counted grid answers viewports (docs/maps.md: its staleness)
GRID_KEYS_MAX = 64  # grids kept per process (hromada × filters × level × language)
SINGLES_CHUNK = 1_000


@dataclass
class _Grid:
    at: float
    lat_step: float
    lon_step: float
    # (gy, gx) → (lat, lon, feature text, count): each non-empty cell's feature at its point.
    cells: dict[tuple[int, int], tuple[float, float, str, int]]


def _grid_fresh(key: tuple) -> _Grid | None:
    """The kept grid of `key` while younger than GRID_TTL, else None."""
    with _grids_lock:
        found = _grids.get(key)
    if found is not None and time.monotonic() - found.at < GRID_TTL:
        return found
    return None


def _inside_count(grid: _Grid, bbox) -> int:
    """The reports of the grid's cells lying wholly inside the box."""
    west, south, east, north = bbox
    cells = grid.cells
    gx0, gx1 = math.ceil(west / grid.lon_step), math.floor(east / grid.lon_step) - 1
    total = 0
    for gy in range(math.ceil(south / grid.lat_step), math.floor(north / grid.lat_step)):
        for gx in range(gx0, gx1 + 1):
            found = cells.get((gy, gx))
            if found is not None:
                total += found[3]
    return total


_grids: dict[tuple, _Grid] = {}
_grids_lock = threading.Lock()


def grid_cache_clear() -> None:
    with _grids_lock:
        _grids.clear()


def _grid_of(rows: QuerySet[Case], key: tuple, lat_step: float, lon_step: float, fragments) -> _Grid:
    """The hromada's whole grid at one level for one set of filters: one GROUP BY over
    all its matching reports, each cell's feature written once. Re-counted after GRID_TTL
    seconds, so a viewport request (the map asks on every move) reads memory."""
    now = time.monotonic()
    counted = (
        rows.order_by()
        .annotate(gy=Floor(F("lat") / Value(lat_step)), gx=Floor(F("lon") / Value(lon_step)))
        .values("gy", "gx")
        .annotate(
            n=Count("pk"),
            s=Min("lat"),
            nn=Max("lat"),
            w=Min("lon"),
            e=Max("lon"),
            clat=Avg("lat"),
            clon=Avg("lon"),
            first=Min("number"),
        )
        .values_list("gy", "gx", "n", "s", "nn", "w", "e", "clat", "clon", "first")
    )
    cells: dict[tuple[int, int], tuple[float, float, str, int]] = {}
    singles: dict[int, tuple[int, int]] = {}
    for gy, gx, n, s, nn, w, e, clat, clon, first in counted:
        cell = (int(gy), int(gx))
        if n == 1:
            singles[first] = cell
            continue
        # The centroid, rounded, kept inside its reports' box (rounding, or float sums
        # straying by an ulp, must not put it outside: clients zoom to the box).
        lat = min(max(round(clat, 6), s), nn)
        lon = min(max(round(clon, 6), w), e)
        cells[cell] = (
            lat,
            lon,
            f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon!r},{lat!r}]}},'
            f'"properties":{{"cluster":true,"count":{n},"bbox":[{w!r},{s!r},{e!r},{nn!r}],'
            f'"label":{_json(cluster_label(n))}}}}}',
            n,
        )
    numbers = list(singles)
    for k in range(0, len(numbers), SINGLES_CHUNK):
        found_rows = list(
            rows.order_by().filter(number__in=numbers[k : k + SINGLES_CHUNK]).values_list(*POINT_COLUMNS)
        )
        for row, text in zip(found_rows, _points_json(found_rows, fragments), strict=True):
            cells[singles[row[1]]] = (row[4], row[5], text, 1)
    grid = _Grid(now, lat_step, lon_step, cells)
    with _grids_lock:
        if len(_grids) >= GRID_KEYS_MAX:
            _grids.pop(min(_grids, key=lambda k: _grids[k].at))
        _grids[key] = grid
    return grid


def _cells_text(grid: _Grid, bbox) -> str:
    """The viewport's cells from the hromada's grid (_grid_of): every cell whose
    feature's point (a cluster's centroid, a single report's point) lies in the box.
    A cell is counted whole — the reports of a cell across the box's edge count in its
    cluster wherever they lie — so a pan or a resize never changes a cluster."""
    lat_step, lon_step = grid.lat_step, grid.lon_step
    west, south, east, north = bbox
    features = []
    cells = grid.cells
    # One cell more on each side: the database's floor of a point on a cell's edge may
    # differ by an ulp from Python's; the point test below decides.
    gx0, gx1 = math.floor(west / lon_step) - 1, math.floor(east / lon_step) + 1
    for gy in range(math.floor(south / lat_step) - 1, math.floor(north / lat_step) + 2):
        for gx in range(gx0, gx1 + 1):
            found = cells.get((gy, gx))
            if found is not None and south <= found[0] <= north and west <= found[1] <= east:
                features.append(found[2])
    return _collection(features, truncated=False, clustered=True)


def reports_geojson(**kwargs) -> dict:
    """reports_geojson_text parsed (tests and Python callers)."""
    return json.loads(reports_geojson_text(**kwargs))


def map_view(*, hromada, filters: ReportFilters) -> tuple[list[float] | None, int]:
    """Where the map first looks: the middle of the matching reports' extent, at a zoom
    that shows it (None: the map fits the hromada's boundary)."""
    box = filtered_reports(hromada=hromada, filters=filters).aggregate(
        s=Min("lat"), n=Max("lat"), w=Min("lon"), e=Max("lon")
    )
    if box["s"] is None:
        return None, 12
    span = max(box["n"] - box["s"], box["e"] - box["w"])
    zoom = 16 if span < 0.005 else 14 if span < 0.03 else 13 if span < 0.08 else 12 if span < 0.2 else 11
    return [(box["s"] + box["n"]) / 2, (box["w"] + box["e"]) / 2], zoom


# --- a case's page -----------------------------------------------------------------


def is_public_report(case: Case) -> bool:
    return (
        case.kind == CaseKind.REPORT
        and case.moderation == Moderation.SHOWN
        and case.status != CaseStatus.DRAFT
    )


def is_party(user, case: Case) -> bool:
    """The applicant or a co-signer with an account."""
    if not getattr(user, "is_authenticated", False):
        return False
    return rules.is_applicant(user, case) or case.cosigners.filter(user=user).exists()


def case_for_viewer(*, hromada, public_id, user) -> tuple[Case, bool]:
    """(case, own): a public report for anyone; any case of its applicant or co-signers
    (their own view); NotFound for everyone else — a case that is not public does not
    exist for them (not even as 403). Drafts are the intake's pages."""
    case = (
        Case.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("category", "department", "area", "applicant", "duplicate_of", "hromada")
        .first()
    )
    if case is None:
        raise NotFound("case_not_found", _("Такого звернення немає."))
    own = is_party(user, case)
    if own or is_public_report(case):
        return case, own
    raise NotFound("case_not_found", _("Такого звернення немає."))


def reporter_name(case: Case) -> str:
    """The name a report shows: only when the reporter chose to show it."""
    if case.anonymous:
        return ""
    if case.applicant_name.strip():
        return case.applicant_name.strip()
    return (case.applicant.display_name if case.applicant_id and case.applicant else "") or ""


def public_steps(case: Case, *, own: bool) -> list[dict]:
    """The public history: (kind, label, when, text, department). The applicant sees
    their own texts too (a reopening reason); the public sees staff's words only."""
    rows = (
        CaseEvent.objects.for_hromada(case.hromada)
        .filter(case=case, public=True)
        .order_by("created_at", "id")
    )
    from .models import Department

    events = list(rows)
    ids = {str((e.data or {}).get("department")) for e in events if (e.data or {}).get("department")}
    names = {
        str(pid): name
        for pid, name in Department.objects.for_hromada(case.hromada)
        .filter(public_id__in=[i for i in ids if _uuid_or_none(i)])
        .values_list("public_id", "name")
    }
    steps = []
    for e in events:
        text = e.text if (own or e.kind in STAFF_TEXT_EVENTS) else ""
        data = e.data or {}
        department = data.get("department_name") or names.get(str(data.get("department")), "")
        if (
            not department
            and e.kind == EventKind.REGISTERED
            and e.status == CaseStatus.ASSIGNED
            and case.department
        ):
            department = case.department.name  # routed at registration
        steps.append(
            {
                "kind": e.kind,
                "label": e.get_kind_display(),
                "at": e.created_at,
                "text": text,
                "status": e.get_status_display() if e.status else "",
                "department": department,
            }
        )
    return steps


def public_photos(case: Case, *, own: bool) -> list[Attachment]:
    rows = Attachment.objects.for_hromada(case.hromada).filter(case=case, public=True)
    if not own:
        rows = rows.filter(moderation=Moderation.SHOWN)
    else:
        rows = rows.exclude(moderation=Moderation.HIDDEN)
    return list(rows.order_by("id"))


def is_overdue(case: Case, now=None) -> bool:
    now = now or timezone.now()
    if case.due_at is None:
        return False
    if case.status in OPEN_STATUSES:
        return now > case.due_at
    return case.answered_at is not None and case.answered_at > case.due_at


def is_following(user, case: Case) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Subscription.objects.for_hromada(case.hromada).filter(user=user, case=case).exists()


def report_point_geojson(case: Case) -> dict:
    features = []
    if case.lat is not None and case.lon is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
                "properties": {
                    "label": f"№{case.number} {case.category.name if case.category else ''}".strip()
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- the applicant's cabinet -------------------------------------------------------


def my_cases(*, hromada, user) -> QuerySet[Case]:
    """Every registered case of `user` in `hromada`: as the applicant (any kind, any
    channel where the account is the applicant) or as a co-signer."""
    return (
        Case.objects.for_hromada(hromada)
        .filter(Q(applicant=user) | Q(cosigners__user=user))
        .exclude(status=CaseStatus.DRAFT)
        .select_related("category", "department")
        .distinct()
        .order_by("-registered_at", "-id")
    )


def my_drafts(*, hromada, user) -> QuerySet[Case]:
    return (
        Case.objects.for_hromada(hromada)
        .filter(applicant=user, status=CaseStatus.DRAFT)
        .select_related("category")
        .order_by("-updated_at", "-id")
    )


def my_subscriptions(*, hromada, user) -> QuerySet[Subscription]:
    return (
        Subscription.objects.for_hromada(hromada)
        .filter(user=user)
        .select_related("case", "case__category", "area", "category")
        .order_by("-created_at", "-id")
    )


def areas(*, hromada):
    """The okrugs and districts a report can fall in (filters, area subscriptions)."""
    from hromada.places import selectors as places

    return places.routing_areas(hromada=hromada).order_by("name")


def report_categories(*, hromada) -> QuerySet[Category]:
    return (
        Category.objects.for_hromada(hromada)
        .filter(kind=CaseKind.REPORT, active=True)
        .order_by("order", "name")
    )


def _uuid_or_none(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def area_get(*, hromada, public_id):
    """An okrug or district of `hromada` by its id (None when none is asked;
    DomainError area_invalid when it is not one of the hromada's)."""
    if not public_id:
        return None
    found = (
        areas(hromada=hromada).filter(public_id=_uuid_or_none(public_id)).first()
        if _uuid_or_none(public_id)
        else None
    )
    if found is None:
        raise DomainError("area_invalid", _("Такого округу чи району в громаді немає."), field="area")
    return found


def category_get(*, hromada, public_id):
    if not public_id:
        return None
    key = _uuid_or_none(public_id)
    found = report_categories(hromada=hromada).filter(public_id=key).first() if key else None
    if found is None:
        raise DomainError("category_invalid", _("Такої категорії повідомлень немає."), field="category")
    return found
