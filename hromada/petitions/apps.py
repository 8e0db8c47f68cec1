from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "hromada.petitions"
    label = "petitions"
