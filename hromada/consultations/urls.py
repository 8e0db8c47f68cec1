"""Public pages, /consultations/…: each part's patterns live beside its views."""

from .urls_lifecycle import urlpatterns as lifecycle_patterns
from .urls_proposals import urlpatterns as proposal_patterns
from .urls_questionnaire import urlpatterns as questionnaire_patterns
from .urls_results import urlpatterns as result_patterns

app_name = "consultations"

urlpatterns = [*lifecycle_patterns, *questionnaire_patterns, *proposal_patterns, *result_patterns]
