"""What notify gives the platform: e-mail retries and its part of the personal data."""

from hromada.core.modules import Job, Module, register

register(
    Module(
        label="notify",
        name="notify",
        event_prefix="notify",
        kernel=True,
        jobs=(Job("hromada.notify.tasks.retry_pending_emails", 300),),
        personal_models=("notify.Notification", "notify.Preference"),
        personal_data_export="hromada.notify.selectors.personal_data",
        personal_data_erase="hromada.notify.services.notifications_erase",
    )
)
