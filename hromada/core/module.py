"""What the core gives the platform as a kernel part: purging expired rate-limit windows
and moving dated phases on their own (hromada.core.phases)."""

from hromada.core.modules import Job, Module, register

register(
    Module(
        label="core",
        name="core",
        event_prefix="core",
        kernel=True,
        jobs=(
            Job("hromada.core.ratelimit.rate_counters_purge", 300),
            Job("hromada.core.phases.phases_tick", 30),
        ),
        not_personal={
            "core.PhaseExtension": "the official who extended a phase: a public act of office",
        },
    )
)
