"""Staff pages for proposals: the answer queue (owned by the proposals part; placeholder)."""

from __future__ import annotations

from django.shortcuts import render

from .staff_common import staff_perm


@staff_perm("consultations.answer")
def proposals_queue(request):
    return render(request, "consultations/staff/proposals_queue.html", {"items": []})


@staff_perm("consultations.moderate")
def moderation(request):
    return render(request, "consultations/staff/moderation.html", {"items": []})
