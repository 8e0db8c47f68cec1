"""Staff console, /staff/consultations/…: each part's patterns live beside its views."""

from .staff_urls_lifecycle import urlpatterns as lifecycle_patterns
from .staff_urls_proposals import urlpatterns as proposal_patterns
from .staff_urls_questionnaire import urlpatterns as questionnaire_patterns
from .staff_urls_results import urlpatterns as result_patterns

app_name = "staff_consultations"

urlpatterns = [*lifecycle_patterns, *questionnaire_patterns, *proposal_patterns, *result_patterns]
