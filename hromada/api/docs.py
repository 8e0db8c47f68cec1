"""/api/v1/docs: Swagger UI served from the install, under the site's CSP.

Ninja would load Swagger UI from a CDN unless "ninja" is in INSTALLED_APPS; it is
(config/settings.py), so the swagger-ui files that django-ninja ships (pinned in
requirements.txt) are served by staticfiles like every other asset — a hromada's
server may have no internet. The page is our own template: the page's language,
its title, and no inline script (the settings travel as a JSON data block read
by static/js/api-docs.js)."""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import Swagger


class ApiDocs(Swagger):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"swagger_settings": settings, "api": api})
