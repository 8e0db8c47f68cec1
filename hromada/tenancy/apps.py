from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "hromada.tenancy"
    label = "tenancy"
