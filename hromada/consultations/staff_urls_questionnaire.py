"""questionnaire part: staff URL patterns (see staff_urls.py)."""

urlpatterns: list = []
