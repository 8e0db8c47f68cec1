"""Staff pages of a consultation's life (owned by the lifecycle part; placeholders)."""

from __future__ import annotations

from django.shortcuts import render

from hromada.consultations.models import Consultation

from .staff_common import staff_perm


@staff_perm("consultations.manage")
def consultation_list(request):
    items = Consultation.objects.for_hromada(request.hromada).order_by("-created_at")[:100]
    return render(request, "consultations/staff/list.html", {"items": items})
