"""questionnaire part: public URL patterns (see urls.py)."""

urlpatterns: list = []
