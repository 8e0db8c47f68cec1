from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hromada.api"
    label = "api"
