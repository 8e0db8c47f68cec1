from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "hromada.ledger"
    label = "ledger"
