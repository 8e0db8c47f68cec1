from django.shortcuts import render

from .models import Settlement


def register_map(request):
    settlements = Settlement.objects.for_hromada(request.hromada)
    return render(request, "places/map.html", {"settlements": settlements})
