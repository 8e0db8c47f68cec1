from django.http import HttpResponse
from prometheus_client.core import GaugeMetricFamily

from .models import Thing

TICKS: list[int] = []
CACHE: dict = {}


def listing(request):
    return HttpResponse(f"things of {request.hromada.slug}")


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
