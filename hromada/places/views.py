"""Public pages of the registers: the map, address search, a page per settlement, okrug,
district, street and building. Thin: each calls selectors (and lookup for search) and
renders; maps are the kernel's component fed with the GeoJSON API's URLs."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, NotFound

from . import lookup, selectors
from .addresses import AddressInvalid
from .models import AreaKind

# The lookup's own refusal of text that is no address (its contract), or the parser's.
INVALID = (getattr(lookup, "AddressInvalid", AddressInvalid), AddressInvalid, DomainError)
SUGGEST_LIMIT = 8
SEARCH_LIMIT = 20
Q_MAX = 200


def _api(name: str, **params: str) -> str:
    url = reverse(f"api-v1:{name}")
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{url}?{query}" if query else url


def _layer(name: str, url: str, kind: str, style: str = "default", **more) -> dict:
    return {"name": name, "url": url, "kind": kind, "style": style, **more}


def _buildings_layer(**more) -> dict:
    return _layer(_("Будинки"), _api("places_buildings"), "points", "muted", bbox=True, min_zoom=16, **more)


def _address_layers(street_id: str, building_id: str) -> list[dict]:
    """One address on the map: its street's houses, muted and unclustered, and the
    house itself highlighted; the map is centred on it (no fitting to the street)."""
    layers = [
        _layer(
            _("Будинки вулиці"),
            _api("places_buildings", street=street_id),
            "points",
            "muted",
            cluster=False,
            fit=False,
        )
    ]
    if building_id:
        layers.append(
            _layer(
                _("Ця адреса"),
                _api("places_buildings", building=building_id),
                "points",
                "highlight",
                cluster=False,
                fit=False,
            )
        )
    return layers


def _not_found(error: NotFound):
    raise Http404(str(error.message))


def _suggestion_url(s: lookup.Suggestion) -> str:
    if s.building_id:
        return reverse("places:building", kwargs={"public_id": s.building_id})
    return reverse("places:street", kwargs={"public_id": s.street_id})


def _q(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:Q_MAX]


def register_map(request):
    hromada = request.hromada
    settlements = list(selectors.settlement_list(hromada=hromada))
    okrugs = list(selectors.area_list(hromada=hromada, kind=AreaKind.OKRUG, purpose=""))
    districts = list(selectors.area_list(hromada=hromada, kind=AreaKind.DISTRICT, purpose=""))
    layers = [
        _layer(_("Межа громади"), _api("places_areas", kind="boundary"), "areas", "boundary"),
        _layer(_("Старостинські округи"), _api("places_areas", kind="okrug"), "areas", "okrug"),
    ]
    if districts:
        layers.append(_layer(_("Райони міста"), _api("places_areas", kind="district"), "areas", "district"))
    layers += [
        _layer(_("Населені пункти"), _api("places_settlements"), "points"),
        _buildings_layer(),
    ]
    return render(
        request,
        "places/map.html",
        {
            "settlements": settlements,
            "okrugs": okrugs,
            "districts": districts,
            "layers": layers,
            "boundary": selectors.boundary(hromada=hromada),
        },
    )


def suggest(request):
    """Autocomplete under the search field (htmx): a short list of links. Asked for
    as a page (no htmx), it is the search page."""
    q = _q(request)
    if not request.headers.get("HX-Request"):
        return redirect(
            f"{reverse('places:search')}?{urlencode({'q': q})}" if q else reverse("places:search")
        )
    try:
        found = lookup.suggest(hromada=request.hromada, q=q, limit=SUGGEST_LIMIT) if len(q) >= 2 else []
    except INVALID:
        found = []
    response = render(
        request,
        "places/_suggestions.html",
        {"q": q, "suggestions": [(s, _suggestion_url(s)) for s in found]},
    )
    patch_vary_headers(response, ("HX-Request",))  # a fragment here, a redirect to a page without htmx
    return response


def search(request):
    q = _q(request)
    context: dict = {
        "q": q,
        "found": None,
        "results": [],
        "not_found": False,
        "invalid": False,
        "layers": None,
    }
    if q:
        try:
            found = lookup.find(hromada=request.hromada, q=q)
        except lookup.AddressNotFound as exc:
            context["not_found"] = True
            context["results"] = [(s, _suggestion_url(s)) for s in exc.suggestions]
        except INVALID:
            context["invalid"] = True
        else:
            context["found"] = (found, _suggestion_url(found))
            if found.lat is not None and found.lon is not None:
                # The address on the map, among its street's houses.
                context["layers"] = _address_layers(found.street_id, found.building_id)
                context["center"] = [found.lat, found.lon]
            others = lookup.suggest(hromada=request.hromada, q=q, limit=SEARCH_LIMIT)
            context["results"] = [
                (s, _suggestion_url(s))
                for s in others
                if (s.street_id, s.building_id) != (found.street_id, found.building_id)
            ]
    return render(request, "places/search.html", context)


def settlement(request, slug: str):
    try:
        place = selectors.settlement_get(hromada=request.hromada, slug=slug)
    except NotFound as exc:
        _not_found(exc)
    streets = list(selectors.street_list(hromada=request.hromada, settlement=place))
    layers = []
    if place.okrug_id:
        layers.append(
            _layer(
                place.okrug.name, _api("places_areas", kind="okrug", slug=place.okrug.slug), "areas", "okrug"
            )
        )
    layers += [
        _layer(_("Вулиці"), _api("places_streets", settlement=place.slug), "areas", "default"),
        _layer(
            selectors.local_name(place), _api("places_settlements", slug=place.slug), "points", "highlight"
        ),
        _buildings_layer(),
    ]
    center = [place.lat, place.lon] if place.lat is not None else None
    return render(
        request,
        "places/settlement.html",
        {"settlement": place, "streets": streets, "layers": layers, "center": center},
    )


def _area_page(request, kind: str, slug: str, template: str):
    try:
        area = selectors.area_get(hromada=request.hromada, kind=kind, slug=slug)
    except NotFound as exc:
        _not_found(exc)
    villages = list(selectors.okrug_villages(okrug=area)) if kind == AreaKind.OKRUG else []
    layers = [
        _layer(selectors.local_name(area), _api("places_areas", kind=kind, slug=area.slug), "areas", kind)
    ]
    if villages:
        layers.append(_layer(_("Населені пункти"), _api("places_settlements", okrug=area.slug), "points"))
    layers.append(_buildings_layer())
    return render(request, template, {"area": area, "villages": villages, "layers": layers})


def okrug(request, slug: str):
    return _area_page(request, AreaKind.OKRUG, slug, "places/okrug.html")


def district(request, slug: str):
    return _area_page(request, AreaKind.DISTRICT, slug, "places/district.html")


def street(request, public_id):
    try:
        found = selectors.street_get(hromada=request.hromada, public_id=public_id)
    except NotFound as exc:
        _not_found(exc)
    buildings = list(selectors.street_buildings(street=found))
    layers = [
        _layer(
            _("Будинки вулиці"), _api("places_buildings", street=str(found.public_id)), "points", "highlight"
        ),
    ]
    if found.geometry:
        layers.insert(
            0, _layer(_("Вулиця"), _api("places_streets", settlement=found.settlement.slug), "areas")
        )
    return render(
        request,
        "places/street.html",
        {
            "street": found,
            "buildings": buildings,
            "layers": layers,
            "has_points": any(b.lat is not None for b in buildings),
            "former_names": list(found.former_names.all()),
        },
    )


def building(request, public_id):
    try:
        found = selectors.building_get(hromada=request.hromada, public_id=public_id)
    except NotFound as exc:
        _not_found(exc)
    places = selectors.building_places(building=found)
    layers = []
    for area in (places["district"], places["okrug"]):
        if area is not None and area.geometry:
            layers.append(
                _layer(
                    selectors.local_name(area),
                    _api("places_areas", kind=area.kind, slug=area.slug),
                    "areas",
                    area.kind,
                )
            )
    layers += _address_layers(str(found.street.public_id), str(found.public_id))
    center = [found.lat, found.lon] if found.lat is not None else None
    return render(
        request,
        "places/building.html",
        {"building": found, "street": found.street, "places": places, "layers": layers, "center": center},
    )
