"""What the ledger gives the platform: sealing every hromada's log."""

from django.conf import settings

from hromada.core.modules import Job, Module, register


def _seal_interval() -> float:
    return float(getattr(settings, "LEDGER_SEAL_INTERVAL", 10))


register(
    Module(
        label="ledger",
        name="ledger",
        event_prefix="ledger",
        kernel=True,
        jobs=(Job("hromada.ledger.tasks.seal_all_hromadas", _seal_interval),),
    )
)
