"""Open311 POST requests: a client's service request becomes a registered problem
report (kind report, channel api), through the same registration as every channel.

Everything wrong with a request is said at once (the spec's error list): the location
(a point, an address of the register, or its id; outside the hromada refused), the
description, the category's attributes (required ones, their datatypes and keys), the
reporter's details. A `media_url` is an address on the client's server: it is kept
for staff in the case's internal history, never fetched (no request from our server to
an address a client chose) and never shown in public.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from hromada.core.errors import DomainError

from ..models import (
    ADDRESS_MAX,
    NAME_MAX,
    TEXT_MAX,
    AttributeType,
    Case,
    CaseKind,
    Category,
    Channel,
    EventKind,
)
from ..open311.errors import Open311Error, Problem
from ..open311.selectors import attribute_values, parse_w3c, service_get
from .cases import case_register, event_add

PHONE_MAX = 40
EMAIL_MAX = 254
URL_MAX = 1000
STRING_MAX = 500
ATTRIBUTE_TEXT_MAX = 5_000


def _get(form, name: str) -> str:
    return (form.get(name) or "").strip()


def _location(*, hromada, form, problems: list[Problem]) -> dict | None:
    """{lat, lon, address, building} from lat/long, address_id or address_string."""
    from hromada.places import lookup
    from hromada.places import selectors as places

    lat_text, lon_text = _get(form, "lat"), _get(form, "long")
    address = _get(form, "address_string")
    address_id = _get(form, "address_id")
    if len(address) > ADDRESS_MAX:
        problems.append(Problem("field_too_long", {"field": "address_string", "max": ADDRESS_MAX}))
        return None
    if lat_text or lon_text:
        try:
            lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
        except ValueError:
            problems.append(Problem("lat_long_invalid"))
            return None
        try:
            found = places.where(hromada=hromada, lat=lat, lon=lon)
        except DomainError:
            problems.append(Problem("lat_long_invalid"))
            return None
        if found.inside_hromada is False:
            problems.append(Problem("location_outside"))
            return None
        return {"lat": lat, "lon": lon, "address": address or found.label, "building": found.building}
    if address_id:
        try:
            building = places.building_get(hromada=hromada, public_id=address_id)
        except DomainError:
            building = None
        if building is None:
            problems.append(Problem("address_id_not_found", {"address_id": address_id[:60]}))
            return None
        if building.lat is None or building.lon is None:
            problems.append(Problem("address_not_located"))
            return None
        return {
            "lat": building.lat,
            "lon": building.lon,
            "address": address or str(building),
            "building": building,
        }
    if address:
        try:
            found = places.where(hromada=hromada, address=address)
        except (lookup.AddressNotFound, lookup.AddressInvalid):
            problems.append(Problem("address_not_found", {"address": address[:100]}))
            return None
        if found.lat is None or found.lon is None:
            problems.append(Problem("address_not_located"))
            return None
        if found.inside_hromada is False:
            problems.append(Problem("location_outside"))
            return None
        return {
            "lat": found.lat,
            "lon": found.lon,
            "address": found.label or address,
            "building": found.building,
        }
    problems.append(Problem("location_missing"))
    return None


def _number(value: str):
    number = float(value.replace(",", "."))
    if number != number or number in (float("inf"), float("-inf")):  # NaN, infinities
        raise ValueError(value)
    return int(number) if number.is_integer() and "." not in value and "," not in value else number


def _attributes(*, category: Category, form, problems: list[Problem]) -> dict:
    """attribute[code] answers, checked against the category's definition."""
    defined = {a.code: a for a in category.attributes.all()}
    given: dict[str, list[str]] = {}
    for key in form:
        if not key.startswith("attribute["):
            continue
        code = key[len("attribute[") :].removesuffix("[]").removesuffix("]")
        values = [v.strip() for v in form.getlist(key) if v.strip()]
        given.setdefault(code, []).extend(values)
    out: dict = {}
    for code in given:
        if code not in defined:
            problems.append(Problem("attribute_unknown", {"code": code[:40], "service": category.code}))
    for code, attribute in sorted(defined.items(), key=lambda item: (item[1].order, item[1].pk)):
        values = given.get(code, [])
        if not values:
            if attribute.required:
                problems.append(
                    Problem("attribute_required", {"code": code, "question": attribute.description})
                )
            continue
        datatype = attribute.datatype
        keys = [v["key"] for v in attribute_values(attribute)]
        try:
            if datatype == AttributeType.MULTI:
                unknown = [v for v in values if v not in keys]
                if unknown:
                    raise KeyError(unknown[0])
                out[code] = list(dict.fromkeys(values))
                continue
            value = values[-1]
            if datatype == AttributeType.SINGLE:
                if value not in keys:
                    raise KeyError(value)
                out[code] = value
            elif datatype == AttributeType.NUMBER:
                out[code] = _number(value)
            elif datatype == AttributeType.DATETIME:
                out[code] = parse_w3c(f"attribute[{code}]", value).isoformat()
            else:
                limit = ATTRIBUTE_TEXT_MAX if datatype == AttributeType.TEXT else STRING_MAX
                if len(value) > limit:
                    problems.append(Problem("field_too_long", {"field": f"attribute[{code}]", "max": limit}))
                    continue
                out[code] = value
        except KeyError as exc:
            problems.append(
                Problem(
                    "attribute_value_unknown",
                    {"code": code, "value": str(exc.args[0])[:60], "keys": ", ".join(keys)},
                )
            )
        except (ValueError, Open311Error):
            problems.append(
                Problem("attribute_invalid", {"code": code, "value": values[-1][:60], "datatype": datatype})
            )
    return out


def _reporter(form, problems: list[Problem]) -> dict:
    name = " ".join(f"{_get(form, 'first_name')} {_get(form, 'last_name')}".split())
    email = _get(form, "email")
    phone = _get(form, "phone")
    if len(name) > NAME_MAX:
        problems.append(Problem("field_too_long", {"field": "first_name/last_name", "max": NAME_MAX}))
    if len(phone) > PHONE_MAX:
        problems.append(Problem("field_too_long", {"field": "phone", "max": PHONE_MAX}))
    if email:
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
            EmailValidator()(email)
        except ValidationError:
            problems.append(Problem("email_invalid"))
    return {"applicant_name": name, "applicant_email": email, "applicant_phone": phone}


def request_create(*, hromada, client, form, now=None) -> Case:
    """Register the service request `form` (the POST's fields) posted by `client` (an
    ApiClient of `hromada`): a report numbered, routed and dated like every other.
    Raises Open311Error with every problem found."""
    category = service_get(hromada=hromada, code=_get(form, "service_code"))
    problems: list[Problem] = []
    where = _location(hromada=hromada, form=form, problems=problems)
    description = _get(form, "description")
    if not description:
        problems.append(Problem("description_missing"))
    elif len(description) > TEXT_MAX:
        problems.append(Problem("field_too_long", {"field": "description", "max": TEXT_MAX}))
    attributes = _attributes(category=category, form=form, problems=problems)
    reporter = _reporter(form, problems)
    media_url = _get(form, "media_url")
    if media_url:
        try:
            if len(media_url) > URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(Problem("media_url_invalid"))
    if problems:
        raise Open311Error(problems)
    assert where is not None
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            hromada=hromada,
            kind=CaseKind.REPORT,
            channel=Channel.API,
            api_client=client.name,
            category=category,
            title=category.name[:200],
            text=description,
            lat=where["lat"],
            lon=where["lon"],
            address=where["address"][:ADDRESS_MAX],
            building=where["building"],
            attributes=attributes,
            anonymous=True,
            **reporter,
        )
        try:
            case_register(case=case, actor=None, now=now)
        except DomainError as exc:  # what registration refuses despite the checks above
            raise Open311Error("bad_request") from exc
        if media_url:
            event_add(
                case=case,
                kind=EventKind.COMMENT,
                public=False,
                text=media_url,
                data={"source": "open311", "media_url": media_url},
            )
    return case


def service_notice(case: Case, language: str) -> str:
    """What the client tells the reporter after posting."""
    due = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") if case.due_at else ""
    if language == "en":
        return (
            f"Registered as problem report No. {case.number}: a service request, not an appeal under the "
            f"Law of Ukraine on Citizens' Appeals. Target time: {due}. The description and photos are "
            "published after moderation."
        )
    return (
        f"Зареєстровано повідомлення про проблему №{case.number}: це запит на послугу, а не звернення за "
        f"Законом «Про звернення громадян». Цільовий строк: {due}. Опис і фото з'являться після модерації."
    )
