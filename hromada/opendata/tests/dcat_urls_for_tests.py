"""The DCAT paths alone under /opendata/, for testing them before and apart from the
module's pages (the landing-page links then use their documented fallbacks)."""

from django.urls import include, path

urlpatterns = [path("opendata/", include("hromada.opendata.dcat_urls"))]
