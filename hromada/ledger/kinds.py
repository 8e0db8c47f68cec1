"""Names of ledger events for people, from the modules that own them (module.py). A kind
written before its label existed, or by a module no longer installed, is shown as written."""

from hromada.core.modules import registry


def kind_label(kind: str) -> str:
    return str(registry.ledger_kinds().get(kind, kind))
