import datetime as dt

from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from prometheus_client.core import GaugeMetricFamily

from hromada.accounts.rules import has_identity_level
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import IdentityLevel

from .models import Thing

TICKS: list[int] = []
PHASE_CHANGES: list[tuple] = []
CACHE: dict = {}


def listing(request):
    things = Thing.objects.for_hromada(request.hromada).order_by("id")
    thing = things.filter(pk=request.GET["thing"]).first() if request.GET.get("thing", "").isdigit() else None
    return render(request, "sample/list.html", {"things": things, "thing": thing})


@require_POST
def act(request):
    """What a module's action asks of a person: a verified identity (as signing does)."""
    if not has_identity_level(request.user, IdentityLevel.VERIFIED, hromada=request.hromada):
        return HttpResponseForbidden("verify your identity first")
    with transaction.atomic():
        thing = Thing.objects.create(hromada=request.hromada, owner=request.user, title="acted")
        ledger_append(hromada=request.hromada, kind="sample.signed", payload={"thing": thing.pk})
    return redirect("sample:list")


def desk(request):
    return HttpResponse("desk")


def home_block(*, hromada) -> dict:
    return {"count": Thing.objects.for_hromada(hromada).count()}


def tick() -> int:
    TICKS.append(1)
    return len(TICKS)


def thing_rows(*, hromada):
    for thing in Thing.objects.for_hromada(hromada).order_by("id"):
        yield {"title": thing.title, "formula": "=1+1"}


def personal_data(*, user) -> list:
    return [t.title for t in Thing.objects.filter(owner=user).order_by("id")]


def erase(*, user) -> None:
    Thing.objects.filter(owner=user).delete()


def metrics():
    gauge = GaugeMetricFamily("hromada_sample_things", "Sample things")
    gauge.add_metric([], Thing.objects.count())
    yield gauge


def cache_clear() -> None:
    CACHE.clear()
    PHASE_CHANGES.clear()


def phase_changed(*, hromada, plan, old, new) -> None:
    """The sample's phase hook (Module.phase_changed): records what it was told."""
    PHASE_CHANGES.append((hromada.slug, plan.owner, old.code if old else None, new.code if new else None))


def describe_signed(*, hromada, payload):
    """The sample's receipt wording (Module.ledger_receipts)."""
    from hromada.core.modules import ReceiptSubject

    return ReceiptSubject(f"Ваш підпис під річчю {payload.get('thing', '?')}", "/sample/")


def eligibility(*, user, hromada):
    """What the sample module says a person may do (module.py `eligibility`)."""
    identity = getattr(user, "identity", None) if user.is_authenticated else None
    if (
        identity is not None
        and identity.birth_date
        and (dt.date.today() - identity.birth_date).days < 16 * 365
    ):
        return ["Sample things can be signed from the age of 16."]
    return ["You can now sign sample things."]


def staff_summary(*, hromada, user) -> list:
    """The staff home's figures: only for those who may act on things."""
    from hromada.accounts.rules import has_perm
    from hromada.core.modules import StaffCounter

    if not has_perm(user, hromada, "sample.act"):
        return []
    count = Thing.objects.filter(hromada=hromada).count()
    return [
        StaffCounter("Things to act on", count, "/staff/sample/"),
        StaffCounter("Things late", 0, overdue=True),
    ]


def standard_ping(request):
    from django.http import JsonResponse

    return JsonResponse({"standard": True, "hromada": request.hromada.slug})


def standard_api_error(request):
    """A standard's own JSON error under /api/, which the kernel must pass through."""
    from django.http import JsonResponse

    return JsonResponse({"success": False, "error": {"__type": "Not Found Error"}}, status=404)
