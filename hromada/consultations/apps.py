from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "hromada.consultations"
    label = "consultations"
