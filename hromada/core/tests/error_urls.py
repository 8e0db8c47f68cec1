"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DatabaseError
from django.http import Http404
from django.urls import path

from config.urls import *  # noqa: F403  (the handlers too)
from config.urls import urlpatterns as _project


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("tampered")


def _missing(request):
    raise Http404("a thing")


def _crash(request):
    raise RuntimeError("boom: secret detail")


def _database_down(request):
    raise DatabaseError("connection refused: secret detail")


urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/bad/", _bad),
    path("test-errors/missing/", _missing),
    path("test-errors/crash/", _crash),
    path("test-errors/database/", _database_down),
    path("api/v1/test-errors/forbidden", _forbidden),
    path("api/v1/test-errors/missing", _missing),
    path("api/v1/test-errors/crash", _crash),
    *_project,
]
