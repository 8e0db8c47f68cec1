"""Staff pages of the setup part."""

from __future__ import annotations

from django.shortcuts import render

from .staff_common import staff_perm


@staff_perm("appeals.work", "appeals.register", "appeals.moderate", "appeals.manage")
def setup(request):
    return render(request, "appeals/placeholder.html", {"heading": "setup"})


@staff_perm("appeals.work", "appeals.register", "appeals.moderate", "appeals.manage")
def moderation(request):
    return render(request, "appeals/placeholder.html", {"heading": "moderation"})
