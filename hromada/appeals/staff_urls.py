"""Staff pages, /staff/appeals/…: each part's patterns live beside its views."""

from .staff_urls_hotline import urlpatterns as hotline_patterns
from .staff_urls_setup import urlpatterns as setup_patterns
from .staff_urls_work import urlpatterns as work_patterns

app_name = "staff_appeals"

urlpatterns = [*work_patterns, *hotline_patterns, *setup_patterns]
