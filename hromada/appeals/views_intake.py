"""Residents' channels: the appeal, the information request, the problem report, drafts
(owned by the intake part)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _


def index(request):
    return render(request, "appeals/placeholder.html", {"heading": _("Звернення")})
