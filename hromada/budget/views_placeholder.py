"""Placeholders of the skeleton; each part's views replace them (delete this file then)."""

from django.http import HttpResponse


def public(request):
    return HttpResponse("budget")


def staff(request):
    return HttpResponse("budget staff")
