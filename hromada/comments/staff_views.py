"""Moderation pages (placeholder until the comments part fills them)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
@login_required
def queue(request):
    return HttpResponse("")
