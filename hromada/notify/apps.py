from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hromada.notify"
    label = "notify"
