"""The hromada administrator's settings: the hromada's own facts, which modules it uses,
and each module's rules. Every change goes through tenancy.services (ledgered)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError
from hromada.core.forms import apply_domain_error
from hromada.core.modules import registry

from . import rules, selectors, services
from .forms import HromadaForm, ModuleSwitchForm, module_settings_form


def _forbidden(request):
    return render(request, "accounts/staff/forbidden.html", status=403)


def _index_context(request, *, hromada_form=None, switch_form=None) -> dict:
    hromada = request.hromada
    modules = registry.switchable()
    enabled = {m.label for m in selectors.modules_enabled(hromada)}
    return {
        "hromada_form": hromada_form or HromadaForm(initial={"population": hromada.population}),
        "switch_form": switch_form or ModuleSwitchForm(modules=modules, enabled=enabled),
        # Kernel parts with rules of their own (accounts) come first; they cannot be off.
        "configurable": [m for m in registry.modules() if m.settings_model],
        "enabled": enabled,
    }


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    hromada = request.hromada
    if not rules.can_change_settings(request.user, hromada):
        return _forbidden(request)
    if request.method == "GET":
        return render(request, "tenancy/settings.html", _index_context(request))
    form = HromadaForm(request.POST)
    if form.is_valid():
        try:
            services.hromada_update(
                actor=request.user, hromada=hromada, population=form.cleaned_data["population"]
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Налаштування громади збережено."))
            return redirect("staff_settings:index")
    return render(request, "tenancy/settings.html", _index_context(request, hromada_form=form), status=400)


@login_required
@require_POST
def modules(request):
    hromada = request.hromada
    if not rules.can_change_settings(request.user, hromada):
        return _forbidden(request)
    switchable = registry.switchable()
    enabled = {m.label for m in selectors.modules_enabled(hromada)}
    form = ModuleSwitchForm(request.POST, modules=switchable, enabled=enabled)
    if not form.is_valid():  # checkboxes cannot be invalid; kept for a tampered form
        return render(request, "tenancy/settings.html", _index_context(request, switch_form=form), status=400)
    for module in switchable:
        services.module_switch_set(
            actor=request.user, hromada=hromada, module=module.label, enabled=form.cleaned_data[module.label]
        )
    messages.success(request, _("Набір модулів громади збережено."))
    return redirect("staff_settings:index")


@login_required
@require_http_methods(["GET", "POST"])
def module_settings(request, label: str):
    hromada = request.hromada
    if not rules.can_change_settings(request.user, hromada):
        return _forbidden(request)
    module = registry.get(label)
    model = module.settings_model_class() if module else None
    if module is None or model is None:
        raise Http404
    # A fresh copy: form validation writes to its instance, and the cached row must not
    # change unless the service saves it.
    row = model.objects.get(pk=selectors.module_settings(hromada=hromada, label=label).pk)
    form_class = module_settings_form(label, model)
    form = form_class(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.settings_fields(label)}
        try:
            services.module_settings_update(actor=request.user, hromada=hromada, module=label, **values)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(
                request,
                _("Налаштування модуля «%(name)s» збережено. Нові правила діють для нових справ.")
                % {"name": module.name},
            )
            return redirect("staff_settings:module", label=label)
    status = 400 if request.method == "POST" else 200
    return render(request, "tenancy/module_settings.html", {"form": form, "module": module}, status=status)
