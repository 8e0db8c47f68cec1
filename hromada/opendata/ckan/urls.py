"""CKAN's Action API at /api/3/action/ and /api/action/ (mounted by the kernel through
Module.standard_urls, gated with the opendata module). Every path under them is the
dispatcher's, so even an unknown one answers in CKAN's envelope."""

from django.urls import re_path

from .dispatch import dispatch

urlpatterns = [re_path(r"^(?P<name>[^/]*)/?$", dispatch), re_path(r"^(?P<name>.*)$", dispatch)]
