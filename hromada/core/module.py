"""What the core gives the platform as a kernel part: purging expired rate-limit windows."""

from hromada.core.modules import Job, Module, register

register(
    Module(
        label="core",
        name="core",
        event_prefix="core",
        kernel=True,
        jobs=(Job("hromada.core.ratelimit.rate_counters_purge", 300),),
    )
)
