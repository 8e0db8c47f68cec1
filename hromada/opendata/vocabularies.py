"""The portal's controlled vocabularies, kept as data (ADR 0009): licences, data.gov.ua's
update frequencies (stored verbatim in Ukrainian), file formats and languages, each with
the EU Publications Office authority URI that DCAT-AP wants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EU = "http://publications.europa.eu/resource/authority/"


@dataclass(frozen=True)
class Licence:
    id: str  # what `Dataset.license_id` holds and CKAN's `license_list` answers
    title: str
    url: str
    eu_uri: str  # "" when the EU authority has no entry (e.g. not specified)
    od_conformance: str = "approved"  # CKAN's field: is it an open licence
    domain_data: bool = True


LICENCES: tuple[Licence, ...] = (
    Licence(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        EU + "licence/CC_BY_4_0",
    ),
    Licence(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        EU + "licence/CC_BYSA_4_0",
    ),
    Licence(
        "CC0-1.0",
        "Creative Commons CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        EU + "licence/CC0",
    ),
    Licence(
        "ODC-BY-1.0",
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
        EU + "licence/ODC_BY",
    ),
    Licence(
        "ODbL-1.0",
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        EU + "licence/ODC_ODBL",
    ),
    Licence(
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        EU + "licence/ODC_PDDL",
    ),
    Licence("other-open", "Other (Open)", "", EU + "licence/OP_DATPRO", od_conformance="approved"),
    Licence("notspecified", "License not specified", "", "", od_conformance="not reviewed"),
)
LICENCE_BY_ID = {lic.id: lic for lic in LICENCES}
DEFAULT_LICENCE = "CC-BY-4.0"


def licence(license_id: str) -> Licence | None:
    return LICENCE_BY_ID.get(license_id)


@dataclass(frozen=True)
class Frequency:
    value: str  # data.gov.ua's word, stored verbatim in `Dataset.frequency`
    label: object  # shown in the interface (the same Ukrainian word; English in translation)
    eu_uri: str
    period: datetime.timedelta | None  # how long a published update stays current; None: no term


FREQUENCIES: tuple[Frequency, ...] = (
    Frequency(
        "Більше одного разу на день",
        _("Більше одного разу на день"),
        EU + "frequency/CONT",
        datetime.timedelta(hours=12),
    ),
    Frequency("Щодня", _("Щодня"), EU + "frequency/DAILY", datetime.timedelta(days=1)),
    Frequency("Щотижня", _("Щотижня"), EU + "frequency/WEEKLY", datetime.timedelta(weeks=1)),
    Frequency("Щомісяця", _("Щомісяця"), EU + "frequency/MONTHLY", datetime.timedelta(days=31)),
    Frequency("Щокварталу", _("Щокварталу"), EU + "frequency/QUARTERLY", datetime.timedelta(days=92)),
    Frequency("Кожні півроку", _("Кожні півроку"), EU + "frequency/ANNUAL_2", datetime.timedelta(days=183)),
    Frequency("Щороку", _("Щороку"), EU + "frequency/ANNUAL", datetime.timedelta(days=366)),
    Frequency(
        "Відразу після внесення змін", _("Відразу після внесення змін"), EU + "frequency/UPDATE_CONT", None
    ),
    Frequency("Позапланово", _("Позапланово"), EU + "frequency/IRREG", None),
)
FREQUENCY_BY_VALUE = {f.value: f for f in FREQUENCIES}


def frequency(value: str) -> Frequency | None:
    return FREQUENCY_BY_VALUE.get(value)


@dataclass(frozen=True)
class Format:
    code: str  # what `Resource.format` holds (upper case, CKAN's habit)
    mimetypes: tuple[str, ...]
    extensions: tuple[str, ...]
    eu_uri: str
    tabular: bool = False  # loaded into the DataStore
    geo: bool = False  # previewed on the map


FORMATS: tuple[Format, ...] = (
    Format("CSV", ("text/csv",), (".csv",), EU + "file-type/CSV", tabular=True),
    Format(
        "XLSX",
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
        (".xlsx",),
        EU + "file-type/XLSX",
        tabular=True,
    ),
    Format("JSON", ("application/json",), (".json",), EU + "file-type/JSON"),
    Format("GEOJSON", ("application/geo+json",), (".geojson",), EU + "file-type/GEOJSON", geo=True),
    Format("XML", ("application/xml", "text/xml"), (".xml",), EU + "file-type/XML"),
    Format("PDF", ("application/pdf",), (".pdf",), EU + "file-type/PDF"),
    Format(
        "DOCX",
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
        (".docx",),
        EU + "file-type/DOCX",
    ),
    Format("ODS", ("application/vnd.oasis.opendocument.spreadsheet",), (".ods",), EU + "file-type/ODS"),
    Format("ZIP", ("application/zip",), (".zip",), EU + "file-type/ZIP"),
    Format("HTML", ("text/html",), (".html", ".htm"), EU + "file-type/HTML"),
    Format("TXT", ("text/plain",), (".txt",), EU + "file-type/TXT"),
)
FORMAT_BY_CODE = {f.code: f for f in FORMATS}


def format_of(code: str) -> Format | None:
    return FORMAT_BY_CODE.get((code or "").upper())


def format_from_name(filename: str) -> Format | None:
    name = (filename or "").lower()
    for f in FORMATS:
        if name.endswith(f.extensions):
            return f
    return None


# ISO 639-1 as data.gov.ua stores it → the EU language authority (ISO 639-3 based codes).
LANGUAGES: dict[str, tuple[object, str]] = {
    "uk": (_("українська"), EU + "language/UKR"),
    "en": (_("англійська"), EU + "language/ENG"),
    "crh": (_("кримськотатарська"), EU + "language/CRH"),
    "pl": (_("польська"), EU + "language/POL"),
    "ro": (_("румунська"), EU + "language/RON"),
    "hu": (_("угорська"), EU + "language/HUN"),
}
