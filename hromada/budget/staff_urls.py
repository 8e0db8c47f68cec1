"""Staff console, /staff/budget/…: each part's patterns live beside its views."""

from .staff_urls_cycles import urlpatterns as cycle_patterns
from .staff_urls_results import urlpatterns as result_patterns
from .staff_urls_voting import urlpatterns as voting_patterns

app_name = "staff_budget"

urlpatterns = [*cycle_patterns, *voting_patterns, *result_patterns]
