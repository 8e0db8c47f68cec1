"""Public pages, /appeals/…: each part's patterns live beside its views."""

from .urls_intake import urlpatterns as intake_patterns
from .urls_public import urlpatterns as public_patterns

app_name = "appeals"

urlpatterns = [*intake_patterns, *public_patterns]
