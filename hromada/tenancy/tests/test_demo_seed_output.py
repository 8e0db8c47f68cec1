"""The demo seed (issue 9, defect 13): its e-mails stay out of the console, the e-mail
records carry the story's dates, and the demo log-ins are the last thing printed."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from hromada.core.modules import registry

pytestmark = pytest.mark.django_db(transaction=True)

LAST_LINE = "teen@demo.hromada.test"


@pytest.fixture
def console_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_seed_prints_no_mail_and_ends_with_the_log_ins(console_mail, capfd, ledger_cleanup):
    out = io.StringIO()
    call_command("demo_seed", stdout=out)
    printed = capfd.readouterr().out  # what the console e-mail backend would have written
    assert "Subject:" not in printed and "Content-Type: text/plain" not in printed
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[0].startswith("Demo accounts")
    assert LAST_LINE in lines[-1], lines[-3:]
    assert "Subject:" not in out.getvalue()
    assert not mail.outbox or all("demo.hromada.test" in m.to[0] for m in mail.outbox)

    from hromada.notify.models import Notification

    notifications = Notification.objects.filter(hromada__slug="demo")
    if "petitions" in registry:
        assert notifications.exists()
    assert not notifications.filter(email_pending=True).exists()
    for created_at, emailed_at in notifications.exclude(emailed_at=None).values_list(
        "created_at", "emailed_at"
    ):
        # The story's date, not the seeding's: marked at the end of the seed, or sent at
        # the event's own moment when a module runs an event's after-commit work at once.
        assert abs(emailed_at - created_at) < dt.timedelta(minutes=1)

    # Run again: still the log-ins last.
    out = io.StringIO()
    call_command("demo_seed", stdout=out)
    assert LAST_LINE in out.getvalue().strip().splitlines()[-1]
