from django.apps import AppConfig


class CnapConfig(AppConfig):
    name = "hromada.cnap"
    label = "cnap"
