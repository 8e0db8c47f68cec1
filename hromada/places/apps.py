from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "hromada.places"
    label = "places"
