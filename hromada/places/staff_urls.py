app_name = "staff_places"

urlpatterns: list = []
