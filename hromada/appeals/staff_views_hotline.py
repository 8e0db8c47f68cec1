"""Staff pages of the hotline part."""

from __future__ import annotations

from django.shortcuts import render

from .staff_common import staff_perm


@staff_perm("appeals.work", "appeals.register", "appeals.moderate", "appeals.manage")
def hotline(request):
    return render(request, "appeals/placeholder.html", {"heading": "hotline"})
