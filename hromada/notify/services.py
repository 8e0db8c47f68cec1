"""Writes of the notify app: sending notifications, e-mailing them, marking them read,
and residents' preferences."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Iterator
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hromada.core.modules import registry

from .kinds import kinds
from .models import Notification, Preference

logger = logging.getLogger(__name__)

CREATE_CHUNK = 1000  # rows per INSERT
EMAIL_CHUNK = 200  # notifications per e-mail task
RETRY_AFTER = dt.timedelta(minutes=10)  # a pending e-mail older than this is retried
GIVE_UP_AFTER = dt.timedelta(days=2)  # ... until it is this old


class EmailDeliveryError(Exception):
    """Some e-mails of a batch could not be sent; they stay pending for a retry."""


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _user_ids(users) -> list[int]:
    ids: Iterable[int]
    if isinstance(users, QuerySet):
        ids = users.values_list("pk", flat=True)
    else:
        ids = (u if isinstance(u, int) else u.pk for u in users)
    return sorted(set(ids))


def notify_send(*, hromada, users, kind: str, title, body="", url: str = "") -> int:
    """Notify `users` (a queryset, or an iterable of users or user ids) of one event.

    Creates the in-app notifications now, in the caller's transaction, for everyone whose
    preference for `kind` allows in-app (the default). After commit, e-mail copies go out
    through background tasks, one per EMAIL_CHUNK recipients, to those whose preference
    allows e-mail (the default) and whose address is confirmed. Inactive users get
    nothing. Returns the number of notification rows created.

    `title` and `body` are rendered in each recipient's language: pass lazy texts
    (`gettext_lazy`, `hromada.core.i18n.lazy_format`) for anything translatable.
    """
    if not registry.is_notification_kind(kind):
        raise ValueError(
            f"unknown notification kind {kind!r}: declare it in the notification_kinds of its module.py"
        )
    ids = _user_ids(users)
    if not ids:
        return 0
    url = str(url or "")[:500]
    texts: dict[str, tuple[str, str]] = {}

    def texts_in(language: str) -> tuple[str, str]:
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        if language not in texts:
            with translation.override(language):
                texts[language] = (" ".join(str(title).split())[:300], str(body or ""))
        return texts[language]

    User = get_user_model()
    created = 0
    email_ids: list[int] = []
    with transaction.atomic():
        for id_chunk in _chunks(ids, CREATE_CHUNK):
            people = {
                pk: (confirmed_at, language)
                for pk, confirmed_at, language in User.objects.filter(
                    pk__in=id_chunk, is_active=True
                ).values_list("pk", "email_confirmed_at", "language")
            }
            prefs = {
                user_id: (in_app, email)
                for user_id, in_app, email in Preference.objects.filter(
                    user_id__in=id_chunk, kind=kind
                ).values_list("user_id", "in_app", "email")
            }
            rows = []
            for user_id, (confirmed_at, language) in people.items():
                in_app, email = prefs.get(user_id, (True, True))
                email = email and confirmed_at is not None
                if in_app or email:
                    title_text, body_text = texts_in(language)
                    rows.append(
                        Notification(
                            public_id=uuid.uuid4(),
                            hromada=hromada,
                            user_id=user_id,
                            kind=kind,
                            title=title_text,
                            body=body_text,
                            url=url,
                            in_app=in_app,
                            email_pending=email,
                        )
                    )
            if not rows:
                continue
            Notification.objects.bulk_create(rows)
            created += len(rows)
            wanted = [row for row in rows if row.email_pending]
            if wanted and any(row.pk is None for row in wanted):  # a backend that returns no ids
                wanted = list(
                    Notification.objects.filter(public_id__in=[row.public_id for row in wanted]).only("pk")
                )
            email_ids.extend(row.pk for row in wanted)
        if email_ids:
            transaction.on_commit(partial(_enqueue_emails, email_ids), robust=True)
    return created


# notify_send as one part of a larger statement (PostgreSQL), for a hot path that writes
# the event and its notifications at once (hromada/appeals/edge_report.py): the same
# rows — active users only, each one's preference for the kind (in-app and e-mail by
# default, e-mail only to a confirmed address), the texts in the recipient's language.


def notify_texts(title, body="") -> dict[str, tuple[str, str]]:
    """{language: (title, body)} for every language, as notify_send renders them."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = (" ".join(str(title).split())[:300], str(body or ""))
    return texts


def notify_insert_sql(conn, users_sql: str) -> str:
    """`INSERT … SELECT … RETURNING id, email_pending` creating the notifications of the
    users `users_sql` selects (a subquery of user ids); notify_insert_params' values
    come before users_sql's own."""
    from hromada.core.models import column_field

    User = get_user_model()
    q = conn.ops.quote_name
    table = q(Notification._meta.db_table)
    columns = ", ".join(
        q(column_field(Notification, name).column)
        for name in (
            "created_at",
            "updated_at",
            "public_id",
            "hromada",
            "user",
            "kind",
            "title",
            "body",
            "url",
            "in_app",
            "email_pending",
        )
    )
    pref = q(Preference._meta.db_table)
    return (
        f"INSERT INTO {table} ({columns})"  # noqa: S608 - names from the models, values bound
        " SELECT %s, %s, gen_random_uuid(), %s, u.id, %s, t.title, t.body, %s, x.in_app, x.email"
        f" FROM {q(User._meta.db_table)} u"
        f" LEFT JOIN {pref} p ON p.user_id = u.id AND p.kind = %s"
        " CROSS JOIN LATERAL (SELECT COALESCE(p.in_app, true) AS in_app,"
        " COALESCE(p.email, true) AND u.email_confirmed_at IS NOT NULL AS email) x"
        " JOIN unnest(%s::text[], %s::text[], %s::text[]) AS t(language, title, body)"
        " ON t.language = CASE WHEN u.language = ANY(%s::text[]) THEN u.language ELSE %s END"
        f" WHERE u.is_active AND (x.in_app OR x.email) AND u.id IN ({users_sql})"
        " RETURNING id, email_pending"
    )


def notify_insert_params(*, hromada_id: int, kind: str, texts: dict, url: str, now) -> list:
    if not registry.is_notification_kind(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    languages = list(texts)
    return [
        now,
        now,
        hromada_id,
        kind,
        str(url or "")[:500],
        kind,
        languages,
        [texts[lang][0] for lang in languages],
        [texts[lang][1] for lang in languages],
        languages,
        settings.LANGUAGE_CODE,
    ]


def notify_emails_after_commit(ids: list[int]) -> None:
    """The e-mail copies of notifications notify_insert_sql created, after commit."""
    if ids:
        transaction.on_commit(partial(_enqueue_emails, ids), robust=True)


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    for chunk in _chunks(ids, EMAIL_CHUNK):
        send_notification_emails.enqueue(chunk)


def notification_emails_send(*, ids: Iterable[int]) -> dict:
    """E-mail the pending notifications among `ids`. Safe to run twice or concurrently:
    each notification is claimed (email_pending cleared) by exactly one run before it is
    sent; a failed send gives the claim back so that a later run retries it."""
    ids = list(ids)
    stats = {"sent": 0, "skipped": 0, "failed": 0}
    rows = list(
        Notification.objects.filter(pk__in=ids, email_pending=True)
        .select_related("user", "hromada")
        .order_by("pk")
    )
    if not rows:
        return stats
    email_off = set(
        Preference.objects.filter(
            user_id__in={n.user_id for n in rows}, kind__in={n.kind for n in rows}, email=False
        ).values_list("user_id", "kind")
    )
    with get_connection() as connection:
        for n in rows:
            claimed = Notification.objects.filter(pk=n.pk, email_pending=True).update(email_pending=False)
            if not claimed:
                continue  # another run has it
            user = n.user
            if not user.is_active or user.email_confirmed_at is None or (n.user_id, n.kind) in email_off:
                stats["skipped"] += 1
                continue
            try:
                connection.send_messages([_email_for(n)])
            except Exception:  # noqa: BLE001 - any transport error: keep it pending and go on
                logger.exception("e-mail for notification %s to user %s failed", n.pk, n.user_id)
                Notification.objects.filter(pk=n.pk).update(email_pending=True)
                stats["failed"] += 1
                continue
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            stats["sent"] += 1
    if stats["failed"]:
        raise EmailDeliveryError(f"{stats['failed']} of {len(rows)} e-mails failed; they will be retried")
    return stats


def notification_emails_retry(*, now: dt.datetime | None = None) -> dict:
    """Periodic job: send e-mails still pending RETRY_AFTER after the notification (a
    failed send, a lost task), as long as they are younger than GIVE_UP_AFTER."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email_pending=True, created_at__lt=now - RETRY_AFTER, created_at__gte=now - GIVE_UP_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[: EMAIL_CHUNK * 5]
    )
    totals = {"sent": 0, "skipped": 0, "failed": 0}
    errors = []
    for chunk in _chunks(ids, EMAIL_CHUNK):
        try:
            stats = notification_emails_send(ids=chunk)
        except EmailDeliveryError as exc:
            errors.append(str(exc))
            continue
        for key, value in stats.items():
            totals[key] += value
    if errors:
        raise EmailDeliveryError("; ".join(errors))
    return totals


def _base_url(hromada) -> str:
    site = urlsplit(settings.SITE_URL)
    hosts = [h.lower() for h in (hromada.hosts or [])]
    if not hosts or (site.hostname or "").lower() in hosts:
        return settings.SITE_URL.rstrip("/")
    return f"{site.scheme or 'https'}://{hosts[0]}"


def _absolute(base: str, url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return base + (url if url.startswith("/") else "/" + url)


def _email_for(n: Notification) -> EmailMessage:
    base = _base_url(n.hromada)
    preferences_url = base + reverse("notify:preferences")
    with translation.override(n.user.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "notify/email.txt",
            {
                "notification": n,
                "hromada": n.hromada,
                "link": _absolute(base, n.url),
                "preferences_url": preferences_url,
            },
        )
    return EmailMessage(
        subject=n.title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.user.email],
        headers={"Auto-Submitted": "auto-generated", "List-Unsubscribe": f"<{preferences_url}>"},
    )


# --- the resident's side -------------------------------------------------------------------------


def notification_mark_read(*, user, hromada, public_id) -> Notification | None:
    """Mark one of `user`'s notifications in `hromada` read. None if there is no such
    notification for this user here (someone else's, another hromada's)."""
    notification = Notification.objects.filter(
        public_id=public_id, user=user, hromada=hromada, in_app=True
    ).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user, hromada) -> int:
    return Notification.objects.filter(user=user, hromada=hromada, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_set(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store `user`'s choice of channels, {kind: (in_app, email)}, for known kinds.
    A choice equal to the default (both on) removes the row."""
    unknown = set(choices) - set(kinds())
    if unknown:
        raise ValueError(f"unknown notification kinds {sorted(unknown)}")
    with transaction.atomic():
        for kind, (in_app, email) in choices.items():
            if in_app and email:
                Preference.objects.filter(user=user, kind=kind).delete()
            else:
                Preference.objects.update_or_create(
                    user=user, kind=kind, defaults={"in_app": bool(in_app), "email": bool(email)}
                )


def notifications_erase(*, user) -> None:
    """The account is deleted: its notifications and channel choices go with it."""
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()


def absolute_url(hromada, url: str) -> str:
    """`url` on the hromada's own site, for texts that leave it (e-mails to addresses
    without an account)."""
    return _absolute(_base_url(hromada), url)
