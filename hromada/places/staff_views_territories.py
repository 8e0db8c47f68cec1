"""Staff pages for service territories: a purpose's territories, and a territory's street
rules (add with precise errors, delete after a confirmation, import from CSV text).
`territory_urlpatterns` are included in staff_urls.py."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError
from hromada.core.forms import apply_domain_error

from . import lookup, services, staff_selectors, territories
from .models import TerritoryRule
from .staff_views import _base

PERMISSION = "places.manage_territories"


def territories_staff(view):
    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not account_rules.has_perm(request.user, request.hromada, PERMISSION):
            return render(request, "accounts/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


class TerritoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Назва території"), max_length=200)
    purpose = forms.CharField(
        label=gettext_lazy("Для чого"),
        max_length=60,
        help_text=gettext_lazy("Модуль, якому вона служить, латиницею: «education», «health»."),
    )
    # The page draws it on the map component in draw mode (territories/list.html).
    geometry = forms.CharField(
        label=gettext_lazy("Межі на карті (GeoJSON), якщо територія — ділянка"),
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Можна лишити порожнім і задати територію вулицями та номерами."),
    )

    def clean_geometry(self):
        import json

        text = self.cleaned_data["geometry"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Це не GeoJSON: помилка в рядку %(line)s, позиції %(col)s.")
                % {"line": getattr(exc, "lineno", "?"), "col": getattr(exc, "colno", "?")}
            ) from None


class RuleForm(forms.Form):
    street = forms.CharField(
        label=gettext_lazy("Вулиця"),
        max_length=300,
        help_text=gettext_lazy("Як її пишуть люди: «вул. Шевченка», «Вербівка, Шкільна», колишня назва теж."),
    )
    parity = forms.ChoiceField(
        label=gettext_lazy("Які номери"),
        choices=TerritoryRule.Parity.choices,
        initial=TerritoryRule.Parity.ALL,
        widget=forms.RadioSelect,
    )
    from_house = forms.CharField(
        label=gettext_lazy("Від номера"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Порожньо — від початку вулиці. Напр. 9, 10А."),
    )
    to_house = forms.CharField(
        label=gettext_lazy("До номера"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Включно; порожньо — до кінця вулиці. «20» бере й 20А, 20Б."),
    )


class RuleImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Правила, по одному в рядку"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=200_000,
        help_text=gettext_lazy("Вулиця; правило — напр. «Шевченка; непарні 1–15» або «вул. Садова; усі»."),
    )


def _territory(request, public_id):
    return staff_selectors.territory_get(hromada=request.hromada, public_id=public_id)


@territories_staff
@require_http_methods(["GET", "POST"])
def territory_list(request):
    hromada = request.hromada
    purpose = request.GET.get("purpose", "").strip()
    form = TerritoryForm(request.POST or None, initial={"purpose": purpose})
    if request.method == "POST" and form.is_valid():
        try:
            area = services.territory_create(
                actor=request.user,
                hromada=hromada,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                geometry_value=form.cleaned_data["geometry"],
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Територію «%(n)s» створено. Додайте її вулиці.") % {"n": area.name})
            return redirect("staff_places:territory", public_id=area.public_id)
    areas, purposes = staff_selectors.territory_list(hromada=hromada, purpose=purpose)
    return render(
        request,
        "places/staff/territories/list.html",
        _base(request, "territories", areas=areas, purposes=purposes, purpose=purpose, form=form),
    )


@territories_staff
@require_http_methods(["GET", "POST"])
def territory_detail(request, public_id):
    area = _territory(request, public_id)
    if area is None:
        return render(request, "accounts/staff/forbidden.html", status=404)
    action = request.POST.get("action", "")
    rule_form = RuleForm(request.POST if action == "add" else None, prefix="rule")
    import_form = RuleImportForm(request.POST if action == "import" else None, prefix="import")
    report = None
    street_choices: list[lookup.Suggestion] = []
    if action == "add" and rule_form.is_valid():
        data = rule_form.cleaned_data
        try:
            street = _street(request, data["street"])
            services.territory_rule_add(
                actor=request.user,
                area=area,
                street=street,
                parity=data["parity"],
                from_house=data["from_house"],
                to_house=data["to_house"],
            )
        except lookup.AddressNotFound as exc:
            street_choices = exc.suggestions
            rule_form.add_error("street", exc.message)
        except lookup.AddressInvalid:
            rule_form.add_error("street", _("Напишіть назву вулиці, напр. «вул. Шевченка»."))
        except DomainError as exc:
            apply_domain_error(request, rule_form, exc)
        else:
            messages.success(request, _("Правило додано."))
            return redirect("staff_places:territory", public_id=area.public_id)
    elif action == "import" and import_form.is_valid():
        try:
            report = services.territory_rules_import(
                actor=request.user, area=area, text=import_form.cleaned_data["text"]
            )
        except DomainError as exc:
            apply_domain_error(request, import_form, exc)
        else:
            if report.added:
                messages.success(request, _("Додано правил: %(n)s.") % {"n": report.added})
    rules = staff_selectors.territory_rules(area=area)
    return render(
        request,
        "places/staff/territories/detail.html",
        _base(
            request,
            "territories",
            area=area,
            rules=rules,
            rule_form=rule_form,
            import_form=import_form,
            report=report,
            street_choices=[s for s in street_choices if s.kind == "street"][:5],
        ),
    )


def _street(request, typed: str):
    """The street meant by what was typed (a house number is ignored)."""
    found = lookup.find(hromada=request.hromada, q=typed)
    return found.street


@territories_staff
@require_POST
def territory_rule_delete(request, public_id, rule_id: int):
    area = _territory(request, public_id)
    rule = staff_selectors.territory_rule_get(area=area, rule_id=rule_id) if area else None
    if rule is None:
        return render(request, "accounts/staff/forbidden.html", status=404)
    back = reverse("staff_places:territory", kwargs={"public_id": area.public_id})
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "core/confirm.html",
            {
                "title": _("Вилучити правило?"),
                "what_happens": _("Вулиця «%(s)s» (%(r)s) більше не належатиме території «%(a)s».")
                % {"s": rule.street, "r": territories.rule_text(rule), "a": area.name},
                "action_url": request.path,
                "fields": [],
                "button": _("Вилучити"),
                "danger": True,
                "back": back,
            },
        )
    try:
        services.territory_rule_delete(actor=request.user, rule=rule)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Правило вилучено."))
    return redirect(back)


territory_urlpatterns = [
    path("territories/", territory_list, name="territories"),
    path("territories/<uuid:public_id>/", territory_detail, name="territory"),
    path(
        "territories/<uuid:public_id>/rules/<int:rule_id>/delete/",
        territory_rule_delete,
        name="territory_rule_delete",
    ),
]
