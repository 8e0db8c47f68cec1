from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.forms import apply_domain_error

from . import rules, services
from .forms import StatuteForm


@login_required
def statute(request):
    hromada = request.hromada
    if not rules.can_change_statute(request.user, hromada):
        return render(request, "accounts/staff/forbidden.html", status=403)
    form = StatuteForm(
        request.POST or None, instance=hromada.statute, initial={"population": hromada.population}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.STATUTE_FIELDS}
        try:
            services.statute_update(
                actor=request.user, hromada=hromada, population=form.cleaned_data["population"], **data
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(
                request, _("Налаштування статуту збережено. Нові правила діють для нових петицій.")
            )
            return redirect("staff_settings:statute")
    status = 400 if request.method == "POST" else 200
    return render(request, "tenancy/statute.html", {"form": form}, status=status)
