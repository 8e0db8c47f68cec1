"""results part: public URL patterns (see urls.py)."""

urlpatterns: list = []
