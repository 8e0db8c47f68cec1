import pytest
from django.core import mail

from hromada.accounts.tests.factories import UserFactory
from hromada.notify import services
from hromada.notify.models import Notification, Preference
from hromada.notify.selectors import notification_list, notification_unread_count
from hromada.notify.services import notify_send

pytestmark = pytest.mark.django_db


def send(hromada, users, **kw):
    kw.setdefault("kind", "sample.noticed")
    kw.setdefault("title", "Опубліковано відповідь на петицію №7")
    return notify_send(hromada=hromada, users=users, body="Підтримано", url="/sample/x/", **kw)


def test_creates_in_app_rows_and_emails_after_commit(hromada, django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send(hromada, [alice, bob]) == 2
    assert mail.outbox == []  # nothing is sent before the commit
    assert Notification.objects.filter(hromada=hromada, email_pending=True).count() == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    message = mail.outbox[0]
    assert message.subject == "Опубліковано відповідь на петицію №7"
    assert "Підтримано" in message.body
    assert "http://127.0.0.1:8000/sample/x/" in message.body or "/sample/x/" in message.body
    assert "/notifications/preferences/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    rows = Notification.objects.filter(hromada=hromada)
    assert all(n.emailed_at is not None and not n.email_pending for n in rows)
    assert notification_unread_count(user=alice, hromada=hromada) == 1


def test_preferences_choose_channels(hromada, django_capture_on_commit_callbacks):
    quiet, app_only, mail_only, unconfirmed = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    unconfirmed.email_confirmed_at = None
    unconfirmed.save()
    Preference.objects.create(user=quiet, kind="sample.noticed", in_app=False, email=False)
    Preference.objects.create(user=app_only, kind="sample.noticed", in_app=True, email=False)
    Preference.objects.create(user=mail_only, kind="sample.noticed", in_app=False, email=True)
    # A preference for another kind changes nothing here.
    Preference.objects.create(user=app_only, kind="sample.closed", in_app=True, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(hromada, [quiet, app_only, mail_only, unconfirmed]) == 3
    assert not Notification.objects.filter(user=quiet).exists()
    assert [m.to[0] for m in mail.outbox] == [mail_only.email]
    assert list(notification_list(user=mail_only, hromada=hromada)) == []  # not shown in the app
    assert notification_unread_count(user=mail_only, hromada=hromada) == 0
    assert notification_unread_count(user=app_only, hromada=hromada) == 1
    assert notification_unread_count(user=unconfirmed, hromada=hromada) == 1
    assert Notification.objects.get(user=unconfirmed).email_pending is False


def test_inactive_users_and_duplicates(hromada, django_capture_on_commit_callbacks):
    active, gone = UserFactory(), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(hromada, [active, active, active.pk, gone]) == 1
    assert len(mail.outbox) == 1


def test_accepts_a_queryset(hromada, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    users = [UserFactory() for _ in range(3)]
    qs = get_user_model().objects.filter(pk__in=[u.pk for u in users]) | get_user_model().objects.filter(
        pk=users[0].pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send(hromada, qs.distinct()) == 3


def test_unknown_kind_is_refused(hromada):
    with pytest.raises(ValueError):
        send(hromada, [UserFactory()], kind="no_such_kind")
    assert not Notification.objects.exists()


def test_many_recipients_are_batched(hromada, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "CREATE_CHUNK", 4)
    monkeypatch.setattr(services, "EMAIL_CHUNK", 3)
    users = UserFactory.create_batch(10)
    batches = []

    class FakeTask:
        def enqueue(self, ids):
            batches.append(list(ids))

    monkeypatch.setattr("hromada.notify.tasks.send_notification_emails", FakeTask())
    with django_capture_on_commit_callbacks(execute=True):
        assert send(hromada, users) == 10
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(i for b in batches for i in b) == sorted(Notification.objects.values_list("pk", flat=True))


def test_emailing_is_idempotent(hromada, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send(hromada, [user])
    n = Notification.objects.get()
    assert services.notification_emails_send(ids=[n.pk]) == {"sent": 0, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_a_preference_changed_before_sending_is_respected(hromada, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(hromada, [user])
    Preference.objects.create(user=user, kind="sample.noticed", in_app=True, email=False)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    n = Notification.objects.get()
    assert n.emailed_at is None and n.email_pending is False


def test_a_failed_send_stays_pending_and_is_retried(hromada, django_capture_on_commit_callbacks, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        send(hromada, [user])
    n = Notification.objects.get()

    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_messages(self, messages):
            raise OSError("smtp down")

    monkeypatch.setattr(services, "get_connection", lambda: Broken())
    with pytest.raises(services.EmailDeliveryError):
        services.notification_emails_send(ids=[n.pk])
    n.refresh_from_db()
    assert n.email_pending is True and n.emailed_at is None
    monkeypatch.undo()
    # Too fresh for the retry job; then old enough.
    assert services.notification_emails_retry()["sent"] == 0
    later = timezone.now() + dt.timedelta(minutes=11)
    assert services.notification_emails_retry(now=later)["sent"] == 1
    assert len(mail.outbox) == 1
    # Past the give-up age nothing is retried.
    Notification.objects.filter(pk=n.pk).update(email_pending=True, emailed_at=None)
    assert services.notification_emails_retry(now=timezone.now() + dt.timedelta(days=3))["sent"] == 0


def test_mark_read_is_scoped_to_user_and_hromada(hromada, other_hromada):
    user, stranger = UserFactory(), UserFactory()
    send(hromada, [user])
    send(other_hromada, [user])
    mine = Notification.objects.get(hromada=hromada)
    elsewhere = Notification.objects.get(hromada=other_hromada)
    assert services.notification_mark_read(user=stranger, hromada=hromada, public_id=mine.public_id) is None
    assert services.notification_mark_read(user=user, hromada=hromada, public_id=elsewhere.public_id) is None
    elsewhere.refresh_from_db()
    assert elsewhere.read_at is None
    assert services.notification_mark_read(user=user, hromada=hromada, public_id=mine.public_id).read_at
    assert notification_unread_count(user=user, hromada=hromada) == 0
    assert notification_unread_count(user=user, hromada=other_hromada) == 1
    send(hromada, [user])
    assert services.notification_mark_all_read(user=user, hromada=hromada) == 1
    assert notification_unread_count(user=user, hromada=other_hromada) == 1


def test_preferences_set_stores_only_departures_from_the_default():
    user = UserFactory()
    services.preferences_set(
        user=user, choices={"sample.noticed": (True, False), "sample.closed": (True, True)}
    )
    assert list(Preference.objects.values_list("kind", "in_app", "email")) == [
        ("sample.noticed", True, False)
    ]
    services.preferences_set(user=user, choices={"sample.noticed": (True, True)})
    assert not Preference.objects.exists()
    with pytest.raises(ValueError):
        services.preferences_set(user=user, choices={"bogus": (True, True)})


def test_each_recipient_reads_the_notification_in_their_own_language(
    hromada, django_capture_on_commit_callbacks
):
    """Whoever triggers the event (here a moderator browsing in English) does not choose
    the language: every recipient gets the texts, and the e-mail, in their own."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy as _

    from hromada.core.i18n import lazy_format

    ukrainian, english = UserFactory(language="uk"), UserFactory(language="en")
    odd = UserFactory(language="xx")  # not a site language: the default
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify_send(
            hromada=hromada,
            users=[ukrainian, english, odd],
            kind="sample.noticed",
            # Any kernel message with a placeholder (a module's messages are read the same way).
            title=lazy_format(_("Можна мати щонайбільше %(n)d активних токенів. Відкличте непотрібні."), n=7),
            body=_("Непрочитаних сповіщень немає."),
        )
    uk_title = "Можна мати щонайбільше 7 активних токенів. Відкличте непотрібні."
    en_title = "You can have at most 7 active tokens. Revoke the ones you no longer need."
    titles = dict(Notification.objects.filter(hromada=hromada).values_list("user_id", "title"))
    assert titles[ukrainian.pk] == uk_title
    assert titles[english.pk] == en_title
    assert titles[odd.pk] == uk_title
    bodies = dict(Notification.objects.filter(hromada=hromada).values_list("user_id", "body"))
    assert (
        bodies[english.pk] == "No unread notifications."
        and bodies[ukrainian.pk] == "Непрочитаних сповіщень немає."
    )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[english.email] == en_title
    assert subjects[ukrainian.email] == uk_title


def test_lazy_format_translates_when_used_not_when_made():
    from django.utils import translation
    from django.utils.translation import gettext_lazy as _

    from hromada.core.i18n import lazy_format

    with translation.override("en"):
        text = lazy_format(_("Реєстр: %(n)d записів, корінь %(r)s"), n=3, r="ab12")
    with translation.override("uk"):
        assert str(text) == "Реєстр: 3 записів, корінь ab12"
    with translation.override("en"):
        assert str(text) == "Ledger size: 3, root ab12"
