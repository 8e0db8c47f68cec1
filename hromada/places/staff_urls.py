app_name = "staff_places"

from .staff_views_territories import territory_urlpatterns  # noqa: E402 - the integrator merges this

urlpatterns: list = [*territory_urlpatterns]
