"""Open311 GET requests answer byte for byte what the first implementation answered:
its row builder (model instances, select_related) and its ElementTree XML are kept here
as the reference, and the answers of the product for the same rows — every state, a
building, a department, a photo, a duplicate, awkward text — must equal them, in JSON
and XML, in both languages. The XML writer is also compared with ElementTree on
arbitrary text (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # noqa: S405 - building the reference, never parsing input

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from hromada.appeals.models import (
    OPEN_STATUSES,
    Attachment,
    AttachmentKind,
    Case,
    CaseKind,
    CaseStatus,
    Moderation,
)
from hromada.appeals.open311 import render
from hromada.appeals.open311 import selectors as o311
from hromada.appeals.tests.factories import make_case, make_category, make_department

pytestmark = pytest.mark.django_db

# --- the reference: the first implementation, as it was -------------------------------------


def ref_text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def ref_fill(element, data: dict) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            item_name = render.LIST_ITEMS.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, item_name)
                if isinstance(item, dict):
                    ref_fill(sub, item)
                else:
                    sub.text = ref_text(item)
        elif isinstance(value, dict):
            ref_fill(child, value)
        else:
            child.text = ref_text(value)


def ref_xml(data, *, root: str, item: str | None = None) -> bytes:
    element = ET.Element(root)
    if isinstance(data, list):
        for row in data:
            ref_fill(ET.SubElement(element, item or "item"), row)
    else:
        ref_fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def ref_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ref_status_notes(case: Case, language: str) -> str:
    en, uk = o311.STATUS_NOTES.get(case.status, ("", ""))
    label = en if language == "en" else uk
    status = case.status
    if status in (CaseStatus.RESOLVED, CaseStatus.ANSWERED):
        return case.answer.strip() or label
    if status == CaseStatus.FORWARDED:
        return f"{label}: {case.forwarded_to}" if case.forwarded_to else label
    if status == CaseStatus.DUPLICATE:
        number = case.duplicate_of.number if case.duplicate_of_id and case.duplicate_of else None
        return f"{label} {number}" if number else label
    if status in (CaseStatus.NOT_FIXED, CaseStatus.REJECTED, CaseStatus.RETURNED):
        reason = (case.close_reason or case.answer).strip()
        return f"{label}: {reason}" if reason else label
    return label


def ref_row(case: Case, *, language: str, absolute, now: dt.datetime) -> dict:
    shown = case.moderation == Moderation.SHOWN
    building = case.building if case.building_id else None
    category = case.category
    photo = getattr(case, "photo_file", None)
    overdue = case.status in OPEN_STATUSES and case.due_at is not None and case.due_at < now
    name = category.name_en if language == "en" and category.name_en else category.name
    return {
        "service_request_id": str(case.number),
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": ref_status_notes(case, language),
        "service_name": name if category is not None else "",
        "service_code": category.code if category is not None else "",
        "description": case.text if shown else "",
        "agency_responsible": case.department.name if case.department_id and case.department else "",
        "service_notice": (o311.OVERDUE_NOTICE[0] if language == "en" else o311.OVERDUE_NOTICE[1])
        if overdue
        else "",
        "requested_datetime": o311.w3c(case.registered_at),
        "updated_datetime": o311.w3c(case.updated_at),
        "expected_datetime": o311.w3c(case.due_at),
        "address": case.address,
        "address_id": str(building.public_id) if building else "",
        "zipcode": building.postcode if building else "",
        "lat": case.lat,
        "long": case.lon,
        "media_url": absolute(default_storage.url(photo)) if (photo and shown) else "",
    }


def reference(hromada, *, params: dict, language: str, fmt: str, now) -> bytes:
    """What the first implementation answered for GET requests with `params`."""
    from django.db.models import OuterRef, Subquery

    photo = (
        Attachment.objects.filter(
            case=OuterRef("pk"), kind=AttachmentKind.PHOTO, public=True, moderation=Moderation.SHOWN
        )
        .order_by("id")
        .values("file")[:1]
    )
    qs = (
        Case.objects.for_hromada(hromada)
        .filter(kind=CaseKind.REPORT)
        .exclude(status=CaseStatus.DRAFT)
        .exclude(moderation=Moderation.HIDDEN)
        .select_related("category", "department", "building", "duplicate_of")
        .annotate(photo_file=Subquery(photo))
    )
    if params.get("service_request_id"):
        qs = qs.filter(number__in=[int(v) for v in params["service_request_id"].split(",")])
    else:
        if params.get("service_code"):
            qs = qs.filter(category__code__in=params["service_code"].split(","))
        if params.get("status") == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif params.get("status") == "closed":
            qs = qs.exclude(status__in=OPEN_STATUSES)
        qs = qs.filter(registered_at__gte=now - dt.timedelta(days=90), registered_at__lte=now)
    cases = list(qs.order_by("-registered_at", "-id")[:1000])

    def absolute(path):
        return f"http://testserver{path}"

    rows = [ref_row(c, language=language, absolute=absolute, now=now) for c in cases]
    if fmt == "xml":
        return ref_xml(rows, root="service_requests", item="request")
    return ref_json(rows)


# --- the rows ---------------------------------------------------------------------------------


@pytest.fixture
def world(hromada, settings):
    settings.ALLOWED_HOSTS = ["*"]
    from hromada.places import services as places

    department = make_department(hromada, name="КП «Міськсвітло» & <Ко>")
    lights = make_category(
        hromada,
        code="street-light",
        name="Не світить ліхтар",
        name_en="Street light out",
        department=department,
    )
    roads = make_category(hromada, code="roads", name="Яма <на> дорозі & «тротуар»", name_en="")
    from hromada.places.tests.lookup_town import settlement

    town = settlement(hromada, "Кам’янка", "UA71080130010082913", centre=True, category="M")
    street = places.street_save(actor=None, hromada=hromada, settlement=town, name="Соборна")
    building, _ = places.building_save(
        actor=None, street=street, data=places.BuildingData(number="3", lat=48.5, lon=32.26, postcode="25006")
    )
    now = timezone.now()
    made = []
    texts = [
        'Текст із "лапками", <тегом> & амперсандом',
        "  пробіли  ",
        "рядок\nдругий\r\nтретій\tтаб",
        "]]> ' \"",
    ]
    statuses = [
        CaseStatus.REGISTERED,
        CaseStatus.ASSIGNED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RESOLVED,
        CaseStatus.ANSWERED,
        CaseStatus.NOT_FIXED,
        CaseStatus.REJECTED,
        CaseStatus.RETURNED,
        CaseStatus.FORWARDED,
    ]
    for i, status in enumerate(statuses * 2):
        case = make_case(
            hromada,
            category=lights if i % 2 else roads,
            text=texts[i % len(texts)],
            address="вул. Соборна, 3 <кв. & 5>" if i % 3 else "",
            now=now - dt.timedelta(days=i, hours=i),
        )
        fields = {
            "status": status,
            "moderation": [Moderation.SHOWN, Moderation.PENDING][i % 2 if i < 9 else 0],
            "department": department if i % 4 else None,
            "building": building if i % 5 == 0 else None,
            "answer": ["", "Замінили лампу <LED> & перевірили", "  "][i % 3],
            "close_reason": ["Не в компетенції & <ради>", ""][i % 2],
            "forwarded_to": "Облавтодор «Схід»" if status == CaseStatus.FORWARDED else "",
        }
        if i == 1:
            fields["due_at"] = now - dt.timedelta(hours=1)  # overdue
        Case.objects.filter(pk=case.pk).update(**fields)
        made.append(case)
    original = made[3]
    dup = make_case(hromada, category=lights, now=now - dt.timedelta(days=2))
    Case.objects.filter(pk=dup.pk).update(
        status=CaseStatus.DUPLICATE, duplicate_of=original, moderation=Moderation.SHOWN
    )
    made.append(dup)
    for case in made[:4]:
        Attachment.objects.create(
            hromada=hromada,
            case=case,
            kind=AttachmentKind.PHOTO,
            public=True,
            moderation=Moderation.SHOWN,
            file=SimpleUploadedFile(f"p{case.pk}.jpg", b"\xff\xd8\xff fake"),
            original_name="p.jpg",
            content_type="image/jpeg",
            size=8,
            sha256="0" * 64,
        )
    hidden = make_case(hromada, category=lights)
    Case.objects.filter(pk=hidden.pk).update(moderation=Moderation.HIDDEN)
    return {"now": now, "cases": made, "numbers": [c.number for c in made]}


QUERIES = [
    {},
    {"service_code": "street-light"},
    {"service_code": "roads,street-light", "status": "open"},
    {"status": "closed"},
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_get_requests_answer_what_the_first_implementation_did(client, hromada, world, fmt, language):
    now = world["now"]
    queries = QUERIES + [{"service_request_id": ",".join(str(n) for n in world["numbers"][:12])}]
    for params in queries:
        response = client.get(f"/open311/v2/requests.{fmt}", params, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, response.content[:300]
        # The window of a query without dates ends at the request's moment: rows are older.
        expected = reference(hromada, params=params, language=language, fmt=fmt, now=timezone.now())
        assert response.content == expected, params
        assert len(response.content) > 20
    del now


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_answers_what_the_first_implementation_did(client, hromada, world, fmt):
    for number in world["numbers"]:
        response = client.get(f"/open311/v2/requests/{number}.{fmt}")
        expected = reference(
            hromada, params={"service_request_id": str(number)}, language="uk", fmt=fmt, now=timezone.now()
        )
        assert response.status_code == 200 and response.content == expected, number


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), max_size=30),
)
KEYS = st.sampled_from(["code", "description", "status_notes", "lat", "long", "service_name", "address"])
ROWS = st.lists(st.dictionaries(KEYS, SCALARS, max_size=7), max_size=5)


@settings(max_examples=300, deadline=None)
@given(rows=ROWS)
def test_the_xml_writer_equals_elementtree(rows):
    assert render.to_xml(rows, root="service_requests", item="request") == ref_xml(
        rows, root="service_requests", item="request"
    )


@settings(max_examples=100, deadline=None)
@given(
    data=st.fixed_dictionaries(
        {
            "service_code": SCALARS,
            "attributes": st.lists(
                st.fixed_dictionaries(
                    {
                        "variable": st.booleans(),
                        "code": SCALARS,
                        "values": st.lists(
                            st.fixed_dictionaries({"key": SCALARS, "name": SCALARS}), max_size=3
                        ),
                    }
                ),
                max_size=3,
            ),
            "formats": st.lists(SCALARS, max_size=3),
        }
    )
)
def test_nested_lists_and_dicts_equal_elementtree(data):
    assert render.to_xml(data, root="service_definition") == ref_xml(data, root="service_definition")
