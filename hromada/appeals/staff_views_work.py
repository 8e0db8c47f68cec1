"""Staff pages of the work part."""

from __future__ import annotations

from django.shortcuts import render

from .staff_common import staff_perm


@staff_perm("appeals.work", "appeals.register", "appeals.moderate", "appeals.manage")
def queue(request):
    return render(request, "appeals/placeholder.html", {"heading": "queue"})


@staff_perm("appeals.work", "appeals.register", "appeals.moderate")
def case(request, public_id):
    return render(request, "appeals/placeholder.html", {"heading": "case"})
