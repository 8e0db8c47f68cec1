from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hromada.core"
    label = "core"
