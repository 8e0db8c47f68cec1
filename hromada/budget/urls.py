"""Public pages, /budget/…: each part's patterns live beside its views."""

from .urls_projects import urlpatterns as project_patterns
from .urls_results import urlpatterns as result_patterns
from .urls_review_public import urlpatterns as review_patterns
from .urls_voting import urlpatterns as voting_patterns

app_name = "budget"

urlpatterns = [*project_patterns, *voting_patterns, *result_patterns, *review_patterns]
