"""Imports into the registers: a CSV table, a GeoJSON FeatureCollection (e.g. an
OpenStreetMap export) or, for areas, a KML file — run as a django-tasks job.

`import_start` checks what can be checked at once (the right, the size, the format) and
queues the job; `import_run` reads the file into rows, keeps every good row (each in its
own savepoint) and reports every bad one with its number and reasons in Ukrainian.
Re-importing a file updates what it matched (streets by settlement, type and name;
buildings by street and house key; areas by kind and name) instead of duplicating it.
The address index is rebuilt once per touched street at the end, not per row, and the
import ends with one `places.import_finished` ledger entry."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.formats import filesize
from hromada.core.text import check_text
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada

from .. import geometry, search
from ..addresses import STREET_TYPES, fold
from ..models import (
    EXCLUSIVE_KINDS,
    Area,
    AreaKind,
    Building,
    BuildingUse,
    ImportKind,
    ImportRun,
    Settlement,
    Street,
    StreetType,
)
from .registers import (
    BuildingData,
    area_save,
    building_check,
    building_save,
    former_name_add,
    street_rename,
    street_save,
)

log = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
# Rows written per transaction; progress (rows_done) is published after each batch.
BATCH = 200
FORMAT_CSV, FORMAT_GEOJSON, FORMAT_KML = "csv", "geojson", "kml"
FORMAT_NAMES = {FORMAT_CSV: "CSV", FORMAT_GEOJSON: "GeoJSON", FORMAT_KML: "KML"}
AREA_IMPORT_KINDS = (AreaKind.OKRUG, AreaKind.DISTRICT, AreaKind.ZONE, AreaKind.TERRITORY, AreaKind.BOUNDARY)


def max_bytes() -> int:
    return int(getattr(settings, "PLACES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


class FileUnreadable(DomainError):
    """The whole file cannot be read as rows (the import fails with this message)."""

    def __init__(self, message: Any) -> None:
        super().__init__("file_unreadable", message, field="file")


# --- columns -----------------------------------------------------------------------

# Canonical field → the header names a table may use for it (Ukrainian or English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "settlement": ("населений пункт", "нп", "н п", "місто", "село", "settlement", "city", "place", "locality"),
    "type": ("тип", "тип вулиці", "вид вулиці", "type", "street type"),
    "street": ("вулиця", "назва вулиці", "назва", "street", "street name", "name"),
    "former_name": ("колишня назва", "стара назва", "попередня назва", "former name", "former", "old name"),
    "renamed_on": ("дата перейменування", "перейменовано", "дата", "renamed on", "renamed", "date"),
    "decision": ("рішення", "рішення про перейменування", "decision"),
    "decision_url": ("посилання на рішення", "посилання", "decision url", "url"),
    "number": ("номер", "номер будинку", "будинок", "№", "number", "house", "housenumber", "house number"),
    "postcode": ("індекс", "поштовий індекс", "postcode", "zip", "postal code"),
    "lat": ("широта", "lat", "latitude"),
    "lon": ("довгота", "lon", "lng", "long", "longitude"),
    "floors": ("поверхів", "поверховість", "поверхи", "floors", "levels", "building:levels"),
    "year": ("рік", "рік побудови", "year", "year built"),
    "use": ("призначення", "use", "building"),
}  # fmt: skip
REQUIRED: dict[str, tuple[str, ...]] = {
    ImportKind.STREETS: ("street",),
    ImportKind.BUILDINGS: ("street", "number"),
}


def _header_key(text: str) -> str:
    return " ".join(fold(text).strip(" *\"'").replace("_", " ").replace(".", " ").split())


_ALIAS = {_header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def column_label(name: str) -> str:
    """The column's Ukrainian header, for messages."""
    return COLUMNS[name][0]


# --- values ------------------------------------------------------------------------

_TYPE_WORDS = {
    alias.rstrip("."): canonical for canonical, aliases in STREET_TYPES.items() for alias in aliases
}


def street_type_of(text: str) -> str | None:
    """The register's street type for a written type ("вул.", "Provulok"), or None."""
    return _TYPE_WORDS.get(fold(text or "").rstrip("."))


def split_street(text: str, type_text: str = "") -> tuple[str | None, str]:
    """ "вулиця Шевченка", "Шевченка вулиця", "вул. Тараса Шевченка" → (type, name).
    The type column, when given, wins; a name that is only a type word stays a name.
    Returns (None, name) when a written type is unknown."""
    words = (text or "").split()
    found = ""
    if len(words) > 1 and street_type_of(words[0]):
        found, words = words[0], words[1:]
    elif len(words) > 1 and street_type_of(words[-1]):
        found, words = words[-1], words[:-1]
    name = " ".join(words).strip(" ,")
    if type_text.strip():
        return street_type_of(type_text), name
    return (street_type_of(found) if found else StreetType.STREET), name


_SETTLEMENT_PREFIXES = ("місто", "м", "село", "с", "селище міського типу", "смт", "селище", "сел", "с-ще", "city", "village")  # fmt: skip


def settlement_key(text: str) -> str:
    key = fold(text or "").replace(".", ". ")
    key = " ".join(key.split())
    for prefix in sorted(_SETTLEMENT_PREFIXES, key=len, reverse=True):
        for sep in (". ", " "):
            if key.startswith(prefix + sep):
                return key[len(prefix + sep) :].strip()
    return key


def _number(text: Any) -> float | None:
    if text is None or text == "":
        return None
    if isinstance(text, (int, float)):
        return float(text)
    value = str(text).strip().replace(",", ".").replace("\u2212", "-")
    return float(value) if value else None


def _integer(text: Any) -> int | None:
    value = _number(text)
    if value is None:
        return None
    if value != int(value):
        raise ValueError(text)
    return int(value)


def parse_date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# OpenStreetMap's building=* (and written uses) → the register's use.
_USE_OF = {
    **{v: v for v in BuildingUse.values},
    **{fold(str(label)): value for value, label in BuildingUse.choices},
    "house": "residential", "detached": "residential", "semidetached_house": "residential",
    "terrace": "residential", "bungalow": "residential", "farm": "residential", "dormitory": "apartments",
    "school": "education", "kindergarten": "education", "university": "education", "college": "education",
    "hospital": "health", "clinic": "health", "retail": "commercial", "shop": "commercial",
    "office": "commercial", "supermarket": "commercial", "kiosk": "commercial", "hotel": "commercial",
    "warehouse": "industrial", "factory": "industrial", "civic": "public", "government": "public",
    "church": "public", "townhall": "public", "fire_station": "public", "train_station": "public",
    "yes": "", "": "", "garage": "other", "garages": "other", "shed": "other", "roof": "other",
}  # fmt: skip


# --- rows --------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # the line of the table (the header is 1) or the feature's place in the file
    kind: str  # "street" | "building" | "area"
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    geometry: dict | None = None
    label: str = ""


@dataclass
class Parsed:
    rows: list[Row]
    skipped: int = 0
    detected: dict = field(default_factory=dict)


def detect_format(file_name: str, content: bytes) -> str:
    ext = os.path.splitext(file_name or "")[1].lower()
    if ext in (".csv", ".txt", ".tsv"):
        return FORMAT_CSV
    if ext in (".geojson", ".json"):
        return FORMAT_GEOJSON
    if ext == ".kml":
        return FORMAT_KML
    head = content[:200].lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"{"):
        return FORMAT_GEOJSON
    if head.startswith(b"<"):
        return FORMAT_KML
    return FORMAT_CSV


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with a
    BOM, or Windows-1251 (what Excel saves as "CSV" on a Ukrainian Windows)."""
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            raise FileUnreadable(
                _("Файл позначено як UTF-8, але байт %(n)s у ньому не з UTF-8.") % {"n": exc.start + 3}
            ) from exc
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_("Файл позначено як UTF-16, але прочитати його не вдалося.")) from exc
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError as exc:
        raise FileUnreadable(
            _("Не вдалося прочитати файл: це не текст у кодуванні UTF-8 чи Windows-1251 (байт %(n)s).")
            % {"n": exc.start}
        ) from exc


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


DELIMITER_NAMES = {";": "«;»", ",": "«,»", "\t": "табуляція"}


def parse_csv(content: bytes, kind: str) -> Parsed:
    if kind == ImportKind.AREAS:
        raise FileUnreadable(_("Території імпортуються з файлу GeoJSON або KML, а не з таблиці CSV."))
    text, encoding = decode(content)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise FileUnreadable(_("У файлі немає жодного рядка."))
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:  # a cell beyond the csv module's size limit, an unclosed quote
        raise FileUnreadable(
            _("Таблицю не вдалося прочитати біля рядка %(n)s: %(error)s.")
            % {"n": reader.line_num, "error": exc}
        ) from exc
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if start is None:
        raise FileUnreadable(_("У файлі немає жодного рядка зі значеннями."))
    header = records[start]
    columns: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        name = _ALIAS.get(_header_key(cell))
        if name is not None and name in columns:
            raise FileUnreadable(_("Стовпець «%(c)s» повторюється в заголовку.") % {"c": cell.strip()})
        columns.append(name)
        if name is None and cell.strip():
            unknown.append(cell.strip())
    missing = [c for c in REQUIRED[kind] if c not in columns]
    if missing:
        raise FileUnreadable(
            _(
                "У заголовку таблиці немає стовпця %(missing)s. Знайдено: %(found)s. Перший рядок файлу "
                "має називати стовпці, напр.: %(example)s."
            )
            % {
                "missing": ", ".join(f"«{column_label(c)}»" for c in missing),
                "found": ", ".join(f"«{c.strip()}»" for c in header if c.strip()) or "—",
                "example": "населений пункт; тип; вулиця; номер; індекс"
                if kind == ImportKind.BUILDINGS
                else "населений пункт; тип; вулиця; колишня назва; дата перейменування; рішення",
            }
        )
    rows: list[Row] = []
    row_kind = "building" if kind == ImportKind.BUILDINGS else "street"
    width = len(header)
    for index, cells in enumerate(records[start + 1 :], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        row = Row(number=index, kind=row_kind)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            row.errors.append(
                _(
                    "Клітинок у рядку: %(n)s, а стовпців у заголовку: %(w)s; зайві значення «%(extra)s». "
                    "Можливо, у назві є розділювач %(d)s — візьміть її в лапки."
                )
                % {
                    "n": len(cells),
                    "w": width,
                    "extra": delimiter.join(c for c in cells[width:] if c.strip())[:80],
                    "d": DELIMITER_NAMES[delimiter],
                }
            )
        elif len(cells) < width:
            lacking = [header[i].strip() for i in range(len(cells), width)]
            row.errors.append(
                _("Клітинок у рядку: %(n)s, а стовпців у заголовку: %(w)s; бракує %(cols)s.")
                % {"n": len(cells), "w": width, "cols": ", ".join(f"«{c}»" for c in lacking)}
            )
        for name, cell in zip(columns, cells, strict=False):
            if name is not None:
                row.values[name] = cell.strip()
        row.label = _row_label(row)
        rows.append(row)
    detected = {
        "format": FORMAT_CSV,
        "encoding": encoding,
        "delimiter": DELIMITER_NAMES[delimiter],
        "columns": [c for c in columns if c],
        "unknown_columns": unknown,
    }
    return Parsed(rows=rows, detected=detected)


def _row_label(row: Row) -> str:
    v = row.values
    parts = [p for p in (v.get("type", ""), v.get("street", "")) if p]
    label = " ".join(parts)
    if v.get("number"):
        label += f", {v['number']}"
    if v.get("settlement"):
        label += f" ({v['settlement']})"
    return label.strip()[:200]


def _props(feature: dict) -> dict:
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return {}
    tags = props.get("tags")
    if isinstance(tags, dict):  # overpass's "raw" export nests the tags
        props = {**props, **tags}
    return props


def _first(props: dict, *keys: str) -> str:
    for key in keys:
        value = props.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _osm_id(feature: dict, props: dict) -> str:
    value = props.get("@id") or feature.get("id") or props.get("id") or ""
    return str(value)[:40]


_BUILDING_GEOMETRIES = ("Point", "Polygon", "MultiPolygon")
_LINE_GEOMETRIES = ("LineString", "MultiLineString")
_AREA_GEOMETRIES = ("Polygon", "MultiPolygon")


def _point_of(geom: dict) -> tuple[float | None, float | None]:
    """(lat, lon) of a Point, or the centroid of a building's outline."""
    try:
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"][:2]
            return float(lat), float(lon)
        from shapely.geometry import shape  # type: ignore[import-untyped]

        centre = shape(geom).centroid
        return round(centre.y, 7), round(centre.x, 7)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None, None


def parse_geojson(content: bytes, kind: str) -> Parsed:
    text, _encoding = decode(content)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileUnreadable(
            _("Файл не є правильним JSON: рядок %(line)s, позиція %(col)s (%(msg)s).")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    features: Any
    if isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise FileUnreadable(_("У FeatureCollection немає списку features."))
    else:
        raise FileUnreadable(
            _(
                'Очікується GeoJSON FeatureCollection (об\'єкт із "type": "FeatureCollection" і списком features).'
            )
        )
    parsed = Parsed(rows=[], detected={"format": FORMAT_GEOJSON, "encoding": "UTF-8"})
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            parsed.skipped += 1
            continue
        geom = feature["geometry"]
        gtype = geom.get("type")
        props = _props(feature)
        row = _feature_row(index, kind, gtype, geom, props, feature)
        if row is None:
            parsed.skipped += 1
        else:
            parsed.rows.append(row)
    return parsed


def _feature_row(index: int, kind: str, gtype: Any, geom: dict, props: dict, feature: dict) -> Row | None:
    settlement = _first(
        props, "addr:city", "addr:town", "addr:village", "addr:hamlet", "settlement", "населений пункт"
    )
    if kind == ImportKind.AREAS:
        if gtype not in _AREA_GEOMETRIES:
            return None
        row = Row(number=index, kind="area", geometry=geom)
        row.values = {
            "name": _first(props, "name", "назва", "NAME", "Name", "name:uk"),
            "kind": _first(props, "kind", "вид"),
            "purpose": _first(props, "purpose"),
            "settlements": props.get("settlements") or props.get("villages") or "",
            "head_name": _first(props, "head_name", "starosta", "староста"),
            "phone": _first(props, "phone", "телефон"),
            "email": _first(props, "email"),
        }
        row.label = row.values["name"]
        return row
    if gtype in _LINE_GEOMETRIES:
        name = _first(props, "name", "name:uk", "назва")
        if not name:
            return None  # an unnamed path or service road is not a street
        row = Row(number=index, kind="street", geometry=geom)
        row.values = {"street": name, "settlement": settlement, "osm_id": _osm_id(feature, props)}
        row.values["former_name"] = _first(props, "old_name", "old_name:uk")
        row.label = name
        return row
    if kind != ImportKind.BUILDINGS or gtype not in _BUILDING_GEOMETRIES:
        return None
    number = _first(props, "addr:housenumber", "housenumber", "номер")
    street = _first(props, "addr:street", "street", "вулиця")
    if not number and not street:
        return None  # a building without an address: nothing to put in an address register
    lat, lon = _point_of(geom)
    row = Row(number=index, kind="building")
    row.values = {
        "settlement": settlement,
        "street": street,
        "number": number,
        "postcode": _first(props, "addr:postcode", "postcode"),
        "lat": lat,
        "lon": lon,
        "floors": _first(props, "building:levels", "levels"),
        "year": _first(props, "start_date", "building:year", "year")[:4],
        "use": _first(props, "building", "use"),
        "osm_id": _osm_id(feature, props),
    }
    row.label = _row_label(row)
    return row


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_ring(element) -> list[list[float]]:
    for child in element.iter():
        if _local(child.tag) == "coordinates":
            points = []
            for item in (child.text or "").split():
                parts = item.split(",")
                if len(parts) < 2:
                    raise ValueError(item)
                points.append([float(parts[0]), float(parts[1])])
            return points
    return []


def kml_placemarks(content: bytes) -> tuple[list[tuple[str, dict | None, dict]], int]:
    """[(name, GeoJSON geometry or None, extended data)] of a KML file's placemarks, and
    how many placemarks hold no polygon (a point, a path)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    try:
        root = fromstring(content)
    except (ParseError, DefusedXmlException) as exc:
        raise FileUnreadable(_("Файл KML не читається як XML: %(error)s.") % {"error": exc}) from exc
    out: list[tuple[str, dict | None, dict]] = []
    skipped = 0
    for placemark in root.iter():
        if _local(placemark.tag) != "Placemark":
            continue
        name, extra = "", {}
        polygons = []
        for child in placemark.iter():
            tag = _local(child.tag)
            if tag == "name" and not name:
                name = " ".join((child.text or "").split())
            elif tag in ("Data", "SimpleData"):
                key = child.get("name") or ""
                value = (
                    child.text
                    if tag == "SimpleData"
                    else next((c.text for c in child if _local(c.tag) == "value"), "")
                )
                extra[key] = (value or "").strip()
            elif tag == "Polygon":
                outer, inner = [], []
                for part in child:
                    ptag = _local(part.tag)
                    if ptag == "outerBoundaryIs":
                        outer = _kml_ring(part)
                    elif ptag == "innerBoundaryIs":
                        inner.append(_kml_ring(part))
                polygons.append([outer, *inner])
        if not polygons:
            skipped += 1
            continue
        if len(polygons) == 1:
            out.append((name, {"type": "Polygon", "coordinates": polygons[0]}, extra))
        else:
            out.append((name, {"type": "MultiPolygon", "coordinates": polygons}, extra))
    return out, skipped


def parse_kml(content: bytes, kind: str) -> Parsed:
    if kind != ImportKind.AREAS:
        raise FileUnreadable(
            _("З файлу KML імпортуються лише території; вулиці й будинки — з CSV або GeoJSON.")
        )
    try:
        placemarks, skipped = kml_placemarks(content)
    except ValueError as exc:
        raise FileUnreadable(_("У файлі KML координати записано неправильно: «%(v)s».") % {"v": exc}) from exc
    parsed = Parsed(rows=[], skipped=skipped, detected={"format": FORMAT_KML})
    for index, (name, geom, extra) in enumerate(placemarks, start=1):
        row = Row(number=index, kind="area", geometry=geom, label=name)
        row.values = {
            "name": name,
            "kind": extra.get("kind", ""),
            "purpose": extra.get("purpose", ""),
            "settlements": extra.get("settlements", ""),
        }
        parsed.rows.append(row)
    return parsed


PARSERS = {FORMAT_CSV: parse_csv, FORMAT_GEOJSON: parse_geojson, FORMAT_KML: parse_kml}


def read_geometry_file(file_name: str, content: bytes) -> dict:
    """One polygon from an uploaded GeoJSON or KML file (the area form's upload),
    validated; DomainError (field "geometry_file") with the reason otherwise."""
    fmt = detect_format(file_name, content)
    try:
        if fmt == FORMAT_KML:
            placemarks, _skipped = kml_placemarks(content)
            if len(placemarks) != 1:
                raise FileUnreadable(
                    _("У файлі %(n)s ділянок, а потрібна одна. Кілька ділянок завантажте через імпорт.")
                    % {"n": len(placemarks)}
                )
            value: Any = placemarks[0][1]
        elif fmt == FORMAT_GEOJSON:
            text, _enc = decode(content)
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FileUnreadable(
                    _("Файл не є правильним JSON: рядок %(line)s, позиція %(col)s.")
                    % {"line": exc.lineno, "col": exc.colno}
                ) from exc
        else:
            raise FileUnreadable(_("Завантажте файл GeoJSON (.geojson, .json) або KML (.kml)."))
        return geometry.to_geojson(geometry.polygon_from_geojson(value))
    except ValueError as exc:
        raise DomainError("file_unreadable", str(exc), field="geometry_file") from exc
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, field="geometry_file") from exc


# --- starting ----------------------------------------------------------------------


def _codename(kind: str, area_kind: str) -> str:
    if kind != ImportKind.AREAS:
        return "places.manage_addresses"
    return "places.manage_areas" if area_kind in EXCLUSIVE_KINDS else "places.manage_territories"


def may_import(user, hromada: Hromada, kind: str, area_kind: str = AreaKind.OKRUG) -> bool:
    return account_rules.has_perm(user, hromada, _codename(kind, area_kind))


def import_start(
    *, actor, hromada: Hromada, kind: str, file_name: str, content: bytes, options: dict | None = None
) -> ImportRun:
    """Check the file and queue its import. Options: `settlement` (КАТОТТГ code of the
    settlement rows without one go to; default: the hromada's centre), for areas
    `area_kind` (default okrug) and `purpose`."""
    options = dict(options or {})
    if kind not in ImportKind.values:
        raise DomainError(
            "import_kind_invalid", _("Оберіть, що імпортуємо: вулиці, будинки чи території."), field="kind"
        )
    area_kind = options.get("area_kind") or AreaKind.OKRUG
    if kind == ImportKind.AREAS:
        if area_kind not in AREA_IMPORT_KINDS:
            raise DomainError("area_kind_invalid", _("Невідомий вид території."), field="area_kind")
        options["area_kind"] = area_kind
    if not may_import(actor, hromada, kind, area_kind):
        raise PermissionDenied("forbidden", _("Недостатньо прав для імпорту до реєстрів громади."))
    file_name = os.path.basename(check_text(file_name or "", field="file", multiline=False)) or "file"
    if not content:
        raise DomainError("file_empty", _("Файл «%(name)s» порожній.") % {"name": file_name}, field="file")
    limit = max_bytes()
    if len(content) > limit:
        raise DomainError(
            "file_too_large",
            _("Файл «%(name)s» завеликий: %(size)s, а можна до %(max)s. Розділіть його на кілька файлів.")
            % {"name": file_name, "size": filesize(len(content)), "max": filesize(limit)},
            field="file",
        )
    fmt = detect_format(file_name, content)
    if fmt == FORMAT_KML and kind != ImportKind.AREAS:
        raise DomainError(
            "format_invalid",
            _("З файлу KML імпортуються лише території; вулиці й будинки — з CSV або GeoJSON."),
            field="file",
        )
    if fmt == FORMAT_CSV and kind == ImportKind.AREAS:
        raise DomainError(
            "format_invalid",
            _("Території імпортуються з файлу GeoJSON або KML, а не з таблиці CSV."),
            field="file",
        )
    code = (options.get("settlement") or "").strip()
    if code:
        if not Settlement.objects.filter(hromada=hromada, katottg=code).exists():
            raise DomainError(
                "settlement_invalid", _("Оберіть населений пункт цієї громади."), field="settlement"
            )
        options["settlement"] = code
    options["format"] = fmt
    with transaction.atomic():
        run = ImportRun.objects.create(
            hromada=hromada,
            kind=kind,
            file_name=file_name[:255],
            content=content,
            options=options,
            created_by=actor,
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from ..tasks import places_import

    places_import.enqueue(run_id)


# --- running -----------------------------------------------------------------------


class RowError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class _Context:
    hromada: Hromada
    run: ImportRun
    default: Settlement | None
    settlements: dict[str, list[Settlement]]
    streets: dict[tuple[int, str, str], Street]
    bbox: geometry.BBox | None
    boundary: Any  # the boundary polygon, prepared for point tests (shapely), or None
    columns: set[str]
    seen: dict[tuple, int] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)
    lines: dict[int, list] = field(default_factory=dict)  # street pk → line parts from this file
    houses: dict[int, dict[str, Building]] = field(default_factory=dict)  # street pk → house key → building
    row_streets: list[tuple[int, str, str]] = field(default_factory=list)  # created by the current row
    areas: list[Area] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    report: list[dict] = field(default_factory=list)

    def settlement(self, text: str, errors: list[str]) -> Settlement | None:
        if not (text or "").strip():
            if self.default is None:
                errors.append(_("Не вказано населений пункт, а в громаді ще немає населених пунктів."))
            return self.default
        found = self.settlements.get(settlement_key(text), [])
        if len(found) == 1:
            return found[0]
        if not found:
            errors.append(
                _("Населеного пункту «%(name)s» немає в громаді. Є: %(all)s.")
                % {
                    "name": text,
                    "all": ", ".join(sorted({s[0].name for s in self.settlements.values()}))[:300],
                }
            )
        else:
            errors.append(
                _("У громаді кілька населених пунктів «%(name)s»: оберіть один у налаштуваннях імпорту.")
                % {"name": text}
            )
        return None


def _context(run: ImportRun, parsed: Parsed) -> _Context:
    hromada = run.hromada
    settlements = list(Settlement.objects.filter(hromada=hromada))
    by_key: dict[str, list[Settlement]] = {}
    for s in settlements:
        for key in {settlement_key(s.name), settlement_key(s.name_en)}:
            if key:
                by_key.setdefault(key, []).append(s)
    code = run.options.get("settlement")
    default = next((s for s in settlements if s.katottg == code), None) if code else None
    default = default or next((s for s in settlements if s.is_centre), None)
    boundary = Area.objects.filter(hromada=hromada, kind=AreaKind.BOUNDARY, min_lon__isnull=False).first()
    bbox = (
        geometry.BBox(boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat)
        if boundary
        else None
    )
    prepared = None
    if boundary is not None:
        import shapely

        prepared = geometry.polygon_from_geojson(boundary.geometry)
        shapely.prepare(prepared)
    streets = {
        (s.settlement_id, s.street_type, s.name_key): s for s in Street.objects.filter(hromada=hromada)
    }
    columns = (
        set(parsed.detected.get("columns") or ()) if parsed.detected.get("format") == FORMAT_CSV else set()
    )
    return _Context(
        hromada=hromada,
        run=run,
        default=default,
        settlements=by_key,
        streets=streets,
        bbox=bbox,
        boundary=prepared,
        columns=columns,
        areas=list(Area.objects.filter(hromada=hromada)),
    )


def _clean(row: Row) -> None:
    for key, value in row.values.items():
        if isinstance(value, str):
            try:
                check_text(value, multiline=False)
            except DomainError as exc:
                row.errors.append(str(exc.message))
                row.values[key] = ""


def _street_parts(ctx: _Context, row: Row, errors: list[str]) -> tuple[Settlement | None, str, str]:
    settlement = ctx.settlement(row.values.get("settlement", ""), errors)
    kind, name = split_street(row.values.get("street", ""), row.values.get("type", ""))
    if kind is None:
        errors.append(
            _("Невідомий тип вулиці «%(t)s». Можна: %(all)s.")
            % {"t": row.values.get("type", ""), "all": ", ".join(StreetType.values)}
        )
    if not name or not any(ch.isalpha() for ch in name):
        errors.append(_("Не вказано назву вулиці."))
    return settlement, kind or StreetType.STREET, name


def _duplicate(ctx: _Context, key: tuple, row: Row, errors: list[str]) -> None:
    first = ctx.seen.get(key)
    if first is not None:
        errors.append(_("Рядок повторює рядок %(n)s цього файлу.") % {"n": first})
    else:
        ctx.seen[key] = row.number


def _street_for(
    ctx: _Context, settlement: Settlement, kind: str, name: str, osm_id: str = ""
) -> tuple[Street, bool]:
    street = ctx.streets.get((settlement.pk, kind, fold(name)))
    if street is not None:
        if osm_id and not street.osm_id:
            Street.objects.filter(pk=street.pk).update(osm_id=osm_id)
        return street, False
    street = street_save(
        actor=None,
        hromada=ctx.hromada,
        settlement=settlement,
        name=name,
        street_type=kind,
        osm_id=osm_id,
        ledger=False,
        index=False,
    )
    key = (settlement.pk, street.street_type, street.name_key)
    ctx.streets[key] = street
    ctx.row_streets.append(key)
    return street, True


def _do_street(ctx: _Context, row: Row) -> bool:
    errors = list(row.errors)
    settlement, kind, name = _street_parts(ctx, row, errors)
    former_text = row.values.get("former_name", "")
    former_kind, former_name = split_street(former_text) if former_text else (kind, "")
    renamed_on = None
    try:
        renamed_on = parse_date(row.values.get("renamed_on", ""))
    except ValueError:
        errors.append(
            _("Дата перейменування «%(v)s» не схожа на дату (ДД.ММ.РРРР).")
            % {"v": row.values.get("renamed_on")}
        )
    if former_name and fold(former_name) == fold(name) and (former_kind or kind) == kind:
        errors.append(_("Колишня назва «%(n)s» збігається з теперішньою.") % {"n": former_text})
    if (row.values.get("renamed_on") or row.values.get("decision")) and not former_name:
        errors.append(_("Вказано дату чи рішення про перейменування, але не вказано колишню назву."))
    if settlement is not None and row.geometry is None:
        _duplicate(ctx, ("street", settlement.pk, kind, fold(name), fold(former_name)), row, errors)
    if errors:
        raise RowError(errors)
    assert settlement is not None
    renamed = _rename_in_register(
        ctx, row, settlement, kind, name, former_kind or kind, former_name, renamed_on
    )
    if renamed is not None:
        street, created = renamed, False
    else:
        street, created = _street_for(ctx, settlement, kind, name, row.values.get("osm_id", ""))
    if former_name and renamed is None:
        former_name_add(
            actor=None,
            street=street,
            name=former_name,
            street_type=former_kind or kind,
            renamed_on=renamed_on,
            decision=row.values.get("decision", ""),
            decision_url=row.values.get("decision_url", ""),
            ledger=False,
            index=False,
        )
    if row.geometry is not None:
        parts = ctx.lines.setdefault(street.pk, [])
        coords = row.geometry.get("coordinates") or []
        parts.extend(coords if row.geometry.get("type") == "MultiLineString" else [coords])
    ctx.touched.add(street.pk)
    return created


def _rename_in_register(
    ctx: _Context,
    row: Row,
    settlement: Settlement,
    kind: str,
    name: str,
    former_kind: str,
    former_name: str,
    renamed_on: dt.date | None,
) -> Street | None:
    """The file says a street was renamed, and the register still has it only under its
    old name: that street is renamed (a ledgered renaming, its buildings kept), rather
    than a second street added beside it."""
    if not former_name or (settlement.pk, kind, fold(name)) in ctx.streets:
        return None
    old_key = (settlement.pk, former_kind, fold(former_name))
    street = ctx.streets.get(old_key)
    if street is None:
        return None
    street_rename(
        actor=None,
        street=street,
        name=name,
        street_type=kind,
        renamed_on=renamed_on,
        decision=row.values.get("decision", ""),
        decision_url=row.values.get("decision_url", ""),
    )
    ctx.streets.pop(old_key, None)
    ctx.streets[(settlement.pk, street.street_type, street.name_key)] = street
    return street


def _building_data(ctx: _Context, row: Row, errors: list[str]) -> BuildingData:
    v = row.values
    data = BuildingData(number=v.get("number", ""), postcode=str(v.get("postcode") or "").replace(" ", ""))
    data.osm_id = v.get("osm_id", "")
    try:
        data.lat = _number(v.get("lat"))
    except ValueError:
        errors.append(_("Широта «%(v)s» не є числом.") % {"v": v.get("lat")})
    try:
        data.lon = _number(v.get("lon"))
    except ValueError:
        errors.append(_("Довгота «%(v)s» не є числом.") % {"v": v.get("lon")})
    try:
        data.floors = _integer(v.get("floors"))
    except ValueError:
        errors.append(_("Кількість поверхів «%(v)s» не є цілим числом.") % {"v": v.get("floors")})
    try:
        data.year_built = _integer(v.get("year"))
    except ValueError:
        errors.append(_("Рік побудови «%(v)s» не є роком.") % {"v": v.get("year")})
    use = v.get("use", "")
    if use:
        mapped = _USE_OF.get(fold(use))
        if mapped is None:
            if row.geometry is None and "use" in ctx.columns:
                data.use = use  # building_check names the allowed uses
            else:
                data.attributes["building"] = use  # an OSM tag we have no use for: kept as is
        else:
            data.use = mapped
    return data


def _inside(ctx: _Context, lon: float, lat: float) -> bool:
    """Inside the hromada's boundary: the bounding box first, then the polygon itself."""
    if ctx.bbox is None or not ctx.bbox.contains(lon, lat):
        return False
    import shapely

    return bool(ctx.boundary is None or ctx.boundary.covers(shapely.Point(lon, lat)))


def _do_building(ctx: _Context, row: Row) -> bool:
    errors = list(row.errors)
    settlement, kind, name = _street_parts(ctx, row, errors)
    data = _building_data(ctx, row, errors)
    if not data.number.strip():
        errors.append(_("Не вказано номер будинку."))
        key = ""
    else:
        key, problems = building_check(data)
        errors.extend(message for _field, message in problems)
    if (
        ctx.bbox is not None
        and data.lat is not None
        and data.lon is not None
        and -90 <= data.lat <= 90
        and -180 <= data.lon <= 180
        and not _inside(ctx, data.lon, data.lat)
    ):
        message = _("Точка %(lat)s, %(lon)s лежить поза межами громади.") % {"lat": data.lat, "lon": data.lon}
        if _inside(ctx, data.lat, data.lon):
            message += " " + _("Схоже, широту й довготу переставлено місцями.")
        errors.append(message)
    if settlement is not None and key:
        _duplicate(ctx, ("building", settlement.pk, kind, fold(name), key), row, errors)
    if errors:
        raise RowError(errors)
    assert settlement is not None
    street, _street_created = _street_for(ctx, settlement, kind, name)
    houses = ctx.houses.get(street.pk)
    if houses is None:  # one query per street, not one per row
        houses = ctx.houses[street.pk] = {
            b.house_key: b for b in Building.objects.filter(street=street).order_by("pk")
        }
    existing = houses.get(key)
    if existing is not None:
        # What the file leaves empty keeps its value in the register.
        data.postcode = data.postcode or existing.postcode
        if data.lat is None:
            data.lat, data.lon = existing.lat, existing.lon
        data.floors = existing.floors if data.floors is None else data.floors
        data.year_built = existing.year_built if data.year_built is None else data.year_built
        data.use = data.use or existing.use
        data.attributes = {**existing.attributes, **data.attributes}
    building, _created = building_save(
        actor=None, street=street, data=data, building=existing, ledger=False, index=False
    )
    houses[key] = building
    ctx.touched.add(street.pk)
    return existing is None


def _area_kind(ctx: _Context, text: str) -> str | None:
    if not text:
        return ctx.run.options.get("area_kind") or AreaKind.OKRUG
    folded = fold(text)
    for value, label in AreaKind.choices:
        if folded in (value, fold(str(label))):
            return value
    return None


def _do_area(ctx: _Context, row: Row) -> bool:
    errors = list(row.errors)
    name = " ".join((row.values.get("name") or "").split())
    if not name:
        errors.append(_("Ділянка без назви: додайте властивість name (у KML — елемент name)."))
    kind = _area_kind(ctx, row.values.get("kind", ""))
    if kind is None:
        errors.append(
            _("Невідомий вид території «%(v)s». Можна: %(all)s.")
            % {"v": row.values.get("kind"), "all": ", ".join(AREA_IMPORT_KINDS)}
        )
    elif _codename(ImportKind.AREAS, kind) != _codename(
        ImportKind.AREAS, ctx.run.options.get("area_kind", "okrug")
    ):
        if not account_rules.has_perm(ctx.run.created_by, ctx.hromada, _codename(ImportKind.AREAS, kind)):
            errors.append(_("Недостатньо прав для території виду «%(v)s».") % {"v": kind})
    purpose = row.values.get("purpose") or ctx.run.options.get("purpose", "")
    settlements = None
    wanted = row.values.get("settlements")
    if wanted and kind == AreaKind.OKRUG:
        names = wanted if isinstance(wanted, list) else re.split(r"[;,]", str(wanted))
        settlements = []
        for item in names:
            if str(item).strip():
                found = ctx.settlement(str(item), errors)
                if found is not None:
                    settlements.append(found)
    if name and kind:
        _duplicate(ctx, ("area", kind, purpose, fold(name)), row, errors)
    if errors:
        raise RowError(errors)
    assert kind is not None
    existing = next(
        (
            a
            for a in ctx.areas
            if a.kind == kind
            and (kind == AreaKind.BOUNDARY or (a.purpose == purpose and fold(a.name) == fold(name)))
        ),
        None,
    )
    contacts = {k: row.values[k] for k in ("head_name", "phone", "email") if row.values.get(k)}
    if existing is not None:
        for k in ("head_name", "head_title", "phone", "email", "office_address", "office_hours"):
            contacts.setdefault(k, getattr(existing, k))
    area = area_save(
        actor=None,
        hromada=ctx.hromada,
        kind=kind,
        name=name,
        geometry_value=row.geometry,
        area=existing,
        purpose=purpose,
        name_en=existing.name_en if existing and fold(existing.name) == fold(name) else "",
        description=existing.description if existing else "",
        settlements=settlements,
        **contacts,
    )
    if existing is None:
        ctx.areas.append(area)
    return existing is None


HANDLERS = {"street": _do_street, "building": _do_building, "area": _do_area}


def _process(ctx: _Context, row: Row) -> None:
    _clean(row)
    ctx.row_streets = []
    try:
        with transaction.atomic():
            created = HANDLERS[row.kind](ctx, row)
    except RowError as exc:
        _fail(ctx, row, exc.errors)
    except DomainError as exc:
        _forget(ctx)
        _fail(ctx, row, [*row.errors, str(exc.message)])
    except DatabaseError:  # a constraint or a value the database refuses: this row only
        _forget(ctx)
        log.warning("import %s row %s: database error", ctx.run.pk, row.number, exc_info=True)
        _fail(ctx, row, [_("Рядок суперечить наявному запису реєстру (повтор чи неможливе значення).")])
    else:
        if created:
            ctx.created += 1
        else:
            ctx.updated += 1


def _forget(ctx: _Context) -> None:
    """A row rolled back: the streets it created are gone, so are they from the caches."""
    for key in ctx.row_streets:
        street = ctx.streets.pop(key, None)
        if street is not None:
            ctx.houses.pop(street.pk, None)
            ctx.touched.discard(street.pk)
            ctx.lines.pop(street.pk, None)


def _fail(ctx: _Context, row: Row, errors: list[str]) -> None:
    seen: dict[str, None] = {}
    for e in errors:
        seen.setdefault(str(e), None)
    ctx.report.append({"row": row.number, "label": row.label, "errors": list(seen)})


def _chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _progress(run: ImportRun, ctx: _Context, done: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        rows_done=done,
        rows_created=ctx.created,
        rows_updated=ctx.updated,
        rows_failed=len(ctx.report),
        updated_at=timezone.now(),  # the report itself is written once, at the end
    )


def import_run(run_id: int) -> dict:
    """Do the import queued as `run_id` (the task's body). Safe to call twice: only a
    queued import is started."""
    taken = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, updated_at=timezone.now()
    )
    if not taken:
        return {"run": run_id, "started": False}
    run = ImportRun.objects.select_related("hromada", "created_by").get(pk=run_id)
    content = bytes(run.content)
    area_kind = run.options.get("area_kind", AreaKind.OKRUG)
    if not may_import(run.created_by, run.hromada, run.kind, area_kind):
        return _finish(run, None, content, error=_("Автор імпорту більше не має права змінювати ці реєстри."))
    try:
        parsed = PARSERS[run.options.get("format") or detect_format(run.file_name, content)](
            content, run.kind
        )
    except FileUnreadable as exc:
        return _finish(run, None, content, error=str(exc.message))
    except (ValueError, RecursionError, MemoryError):  # what a hostile or broken file may raise
        log.warning("import %s: file unreadable", run.pk, exc_info=True)
        return _finish(
            run, None, content, error=_("Файл не вдалося прочитати: він пошкоджений або не того формату.")
        )
    run.options = {**run.options, "detected": parsed.detected}
    run.rows_total, run.rows_skipped = len(parsed.rows), parsed.skipped
    run.save(update_fields=["options", "rows_total", "rows_skipped", "updated_at"])
    ctx = _context(run, parsed)
    error = ""
    done = 0
    try:
        for batch in _chunks(parsed.rows, BATCH):
            with transaction.atomic():
                for row in batch:
                    _process(ctx, row)
            done += len(batch)
            _progress(run, ctx, done)
    except Exception:  # a defect, not a bad row: stop, keep what was written, say so
        log.exception("import %s failed at row %s", run.pk, done)
        error = _(
            "Імпорт перервано через внутрішню помилку після %(n)s рядків; збережені рядки залишено."
        ) % {"n": done}
    return _finish(run, ctx, content, error=error, done=done)


def _finish(run: ImportRun, ctx: _Context | None, content: bytes, *, error: str = "", done: int = 0) -> dict:
    status = ImportRun.Status.FAILED if error else ImportRun.Status.DONE
    with transaction.atomic():
        if ctx is not None:
            for pk, parts in ctx.lines.items():
                value = (
                    {"type": "LineString", "coordinates": parts[0]}
                    if len(parts) == 1
                    else {
                        "type": "MultiLineString",
                        "coordinates": parts,
                    }
                )
                Street.objects.filter(pk=pk).update(geometry=value)
            search.index_streets(Street.objects.filter(pk__in=ctx.touched))
        counts = {
            "rows_total": run.rows_total,
            "rows_done": done,
            "rows_created": ctx.created if ctx else 0,
            "rows_updated": ctx.updated if ctx else 0,
            "rows_failed": len(ctx.report) if ctx else 0,
            "rows_skipped": run.rows_skipped,
        }
        ImportRun.objects.filter(pk=run.pk).update(
            status=status,
            error=error,
            report=ctx.report if ctx else [],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
            **counts,
        )
        ledger_append(
            hromada=run.hromada,
            kind="places.import_finished",
            payload={
                "import": str(run.public_id),
                "kind": run.kind,
                "file_name": run.file_name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "status": status,
                "created": counts["rows_created"],
                "updated": counts["rows_updated"],
                "failed": counts["rows_failed"],
                "skipped": counts["rows_skipped"],
                "total": counts["rows_total"],
            },
        )
    return {"run": run.pk, "started": True, "status": status, **counts}


def imports_tick(*, stale_after: dt.timedelta = dt.timedelta(minutes=30)) -> int:
    """An import whose worker died leaves it "running" for ever: after half an hour
    without progress it is marked failed, saying so. Returns how many were."""
    cutoff = timezone.now() - stale_after
    stale = ImportRun.objects.filter(status=ImportRun.Status.RUNNING, updated_at__lt=cutoff)
    return stale.update(
        status=ImportRun.Status.FAILED,
        error=_(
            "Імпорт зупинився (обробник завдань перервався). Завантажте файл ще раз: збережені рядки оновляться."
        ),
        finished_at=timezone.now(),
    )
