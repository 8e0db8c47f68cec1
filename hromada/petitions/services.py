"""Writes for e-petitions. Every state change runs in one transaction with its
ledger entry; notifications are sent after commit."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts import rules as account_rules
from hromada.accounts.models import Role, StaffRole
from hromada.core.calendar import deadline_for
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.search import fold
from hromada.core.uploads import MB, check_upload
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import (
    ledger_append,
    ledger_entry_new,
    ledger_insert,
    ledger_insert_params,
    ledger_insert_parts,
)
from hromada.notify.services import notify_send
from hromada.tenancy.models import Hromada, IdentityLevel

from . import rules
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Answer,
    Attachment,
    Category,
    Decision,
    Petition,
    RejectionReason,
    Signature,
    Status,
)
from .selectors import petition_count_bump, petition_live_count, signing_cache_clear

TITLE_MIN = 10
TEXT_MIN = 50
MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 5 * MB
ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
ANSWER_DOCUMENT_MAX_BYTES = 10 * MB


def _identity_of(user):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.identity
    except ObjectDoesNotExist:
        return None


def _url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"public_id": petition.public_id})


def _forbidden(message) -> PermissionDenied:
    return PermissionDenied("forbidden", message)


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().select_related("hromada").get(pk=petition.pk)


def _clean_text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


# --- submission -------------------------------------------------------------------------------


def petition_submit(
    *,
    hromada: Hromada,
    author,
    title: str,
    text: str,
    category: Category | None,
    files: list | None = None,
) -> Petition:
    statute = hromada.statute
    if not account_rules.has_identity_level(author, statute.petition_submit_level):
        if statute.petition_submit_level == IdentityLevel.VERIFIED:
            raise DomainError(
                "identity_required",
                _("Щоб подати петицію, підтвердьте особу через id.gov.ua або в ЦНАП."),
                status=403,
            )
        raise DomainError(
            "email_unconfirmed", _("Щоб подати петицію, підтвердьте електронну пошту."), status=403
        )
    title = " ".join(_clean_text(title).split())
    text = _clean_text(text)
    if not title:
        raise DomainError("title_required", _("Вкажіть назву петиції."), field="title")
    if len(title) < TITLE_MIN:
        raise DomainError(
            "title_too_short",
            _("Назва занадто коротка: щонайменше %(n)d символів.") % {"n": TITLE_MIN},
            field="title",
        )
    if len(title) > TITLE_MAX:
        raise DomainError(
            "title_too_long",
            _("Назва задовга: %(len)d символів, дозволено до %(max)d.")
            % {"len": len(title), "max": TITLE_MAX},
            field="title",
        )
    if len(text) < TEXT_MIN:
        raise DomainError(
            "text_too_short",
            _("Текст петиції занадто короткий: опишіть суть вимоги (щонайменше %(n)d символів).")
            % {"n": TEXT_MIN},
            field="text",
        )
    if len(text) > TEXT_MAX:
        raise DomainError(
            "text_too_long",
            _("Текст задовгий: %(len)d символів, дозволено до %(max)d.")
            % {"len": len(text), "max": TEXT_MAX},
            field="text",
        )
    if category is None or category.hromada_id != hromada.pk:
        raise DomainError("category_invalid", _("Оберіть категорію зі списку."), field="category")
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(
            "too_many_files",
            _("Можна додати не більше %(n)d файлів.") % {"n": MAX_ATTACHMENTS},
            field="files",
        )
    checked = [
        (f, check_upload(f, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES, field="files"))
        for f in files
    ]
    now = timezone.now()
    identity = _identity_of(author)
    with transaction.atomic():
        # The hromada row lock serialises numbering; submissions are rare.
        Hromada.objects.select_for_update().filter(pk=hromada.pk).first()
        number = (Petition.objects.filter(hromada=hromada).aggregate(n=Max("number"))["n"] or 0) + 1
        petition = Petition.objects.create(
            hromada=hromada,
            number=number,
            author=author,
            author_name=identity.public_name_full if identity else (author.display_name or author.email),
            title=title,
            text=text,
            search_text=fold(f"{title} {text}"),
            category=category,
            status=Status.MODERATION,
            threshold=statute.petition_threshold,
            collection_days=statute.petition_collection_days,
            consideration_days=statute.petition_consideration_days,
            min_age=statute.petition_min_age,
            sign_level=statute.petition_sign_level,
            submitted_at=now,
            moderation_due=deadline_for(start=now, working_days=statute.petition_moderation_days),
        )
        for upload, info in checked:
            name = os.path.basename(upload.name)[:200] or f"file.{info.extension}"
            upload.name = f"{uuid.uuid4().hex}.{info.extension}"
            Attachment.objects.create(
                hromada=hromada,
                petition=petition,
                file=upload,
                original_name=name,
                content_type=info.content_type,
                size=upload.size,
            )
    return petition


# --- moderation -------------------------------------------------------------------------------


def petition_publish(*, petition: Petition, moderator) -> Petition:
    if not rules.can_moderate(moderator, petition):
        raise _forbidden(_("Публікувати петиції можуть лише модератори цієї громади."))
    now = timezone.now()
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.MODERATION:
            raise DomainError("not_in_moderation", _("Петицію вже розглянуто модератором."), status=409)
        petition.status = Status.COLLECTING
        petition.moderated_at = now
        petition.moderated_by = moderator
        petition.published_at = now
        petition.collection_ends_at = now + dt.timedelta(days=petition.collection_days)
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.published",
            payload={
                "petition": str(petition.public_id),
                "number": petition.number,
                "title": petition.title,
                "text_sha256": hashlib.sha256(petition.text.encode()).hexdigest(),
                "threshold": petition.threshold,
                "collection_ends_at": petition.collection_ends_at.isoformat(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition_moderated",
            title=lazy_format(_("Вашу петицію №%(n)d опубліковано"), n=petition.number),
            body=lazy_format(
                _("Петиція «%(t)s» збирає підписи до %(d)s."),
                t=petition.title,
                d=timezone.localtime(petition.collection_ends_at).strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
    return petition


def petition_reject(*, petition: Petition, moderator, reason: str, comment: str = "") -> Petition:
    if not rules.can_moderate(moderator, petition):
        raise _forbidden(_("Відхиляти петиції можуть лише модератори цієї громади."))
    if reason not in RejectionReason.values:
        raise DomainError("reason_invalid", _("Оберіть причину відхилення зі списку."), field="reason")
    comment = _clean_text(comment)
    if len(comment) > 2000:
        raise DomainError("comment_too_long", _("Коментар задовгий (до 2000 символів)."), field="comment")
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.MODERATION:
            raise DomainError("not_in_moderation", _("Петицію вже розглянуто модератором."), status=409)
        petition.status = Status.REJECTED
        petition.rejection_reason = reason
        petition.rejection_comment = comment
        petition.moderated_at = timezone.now()
        petition.moderated_by = moderator
        petition.closed_at = petition.moderated_at
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.rejected",
            payload={"petition": str(petition.public_id), "number": petition.number, "reason": reason},
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition_moderated",
            title=lazy_format(_("Вашу петицію №%(n)d відхилено"), n=petition.number),
            body=lazy_format(
                "%(reason)s. %(comment)s" if comment else "%(reason)s.",
                reason=RejectionReason(reason).label,
                comment=comment,
            ),
            url=_url(petition),
        )
    return petition


# --- signing (the hot path) ---------------------------------------------------------------------


def signer_pseudonym(*, petition: Petition, person_key: str) -> str:
    """A per-petition pseudonym: the same person gets unlinkable ids on different petitions."""
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, f"{petition.public_id}:{person_key}".encode(), hashlib.sha256).hexdigest()[:32]


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def petition_sign(*, petition: Petition, user) -> Signature:
    """Sign a petition. Checked here: the period, the identity level, the age; the
    database's unique constraints make "one person, one signature" hold under races,
    and the INSERT itself re-reads the petition's status and end, so a signature
    cannot slip in after the petition moved on while this process held it cached.
    No counter row is touched, so a thousand concurrent signers do not queue on one row."""
    now = timezone.now()
    identity = _check_can_sign(petition=petition, user=user, now=now)
    person_key = identity.tax_hash if identity is not None else f"user:{user.public_id}"
    signature = Signature(
        hromada_id=petition.hromada_id,
        petition=petition,
        user=user,
        person_key=person_key,
        signer_name=identity.public_name_full if identity is not None else (user.display_name or "—"),
        created_at=now,
    )
    entry = ledger_entry_new(
        hromada=petition.hromada,
        kind="petition.signed",
        payload={
            "petition": str(petition.public_id),
            "signer": signer_pseudonym(petition=petition, person_key=person_key),
        },
    )
    if not _store_signature(signature, entry, now):
        _explain_refused_signature(petition=petition, user=user, person_key=person_key)
    # The signature is stored: nothing after this point may turn it into an error.
    petition_count_bump(petition)
    # Moving to consideration is checked off the signer's critical path (and by the
    # worker's periodic tick, should this enqueue fail).
    if petition_live_count(petition) >= petition.threshold:
        transaction.on_commit(lambda: _enqueue_threshold_check(petition.pk), robust=True)
    return signature


def _check_can_sign(*, petition: Petition, user, now: dt.datetime):
    """Raise the DomainError that refuses this signature, if any; return the identity."""
    if petition.status != Status.COLLECTING or (
        petition.collection_ends_at and now >= petition.collection_ends_at
    ):
        raise _closed()
    if user is None or not user.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб підписати петицію."), status=401)
    identity = _identity_of(user)
    if petition.sign_level == IdentityLevel.VERIFIED and identity is None:
        raise DomainError(
            "identity_required",
            _("Підписувати петиції можуть лише особи з підтвердженою особою (id.gov.ua або ЦНАП)."),
            status=403,
        )
    if petition.sign_level == IdentityLevel.EMAIL and not user.email_confirmed:
        raise DomainError("email_unconfirmed", _("Підтвердьте електронну пошту, щоб підписати."), status=403)
    if petition.min_age:
        if identity is None or identity.birth_date is None:
            raise DomainError(
                "age_unknown",
                _("Неможливо перевірити ваш вік: підтвердьте особу з датою народження."),
                status=403,
            )
        if _age_on(identity.birth_date, timezone.localdate(now)) < petition.min_age:
            raise DomainError(
                "underage",
                _("Підписувати петиції можна з %(age)d років.") % {"age": petition.min_age},
                status=403,
            )
    return identity


def _closed() -> DomainError:
    return DomainError("petition_closed", _("Збір підписів під цією петицією завершено."), status=409)


_SIGNATURE_FIELDS = ("hromada", "petition", "user", "person_key", "signer_name", "created_at")


@functools.cache
def _signature_sql(vendor: str) -> tuple[str, str]:
    """The signature INSERT as `INSERT … SELECT … WHERE <petition still collecting>
    ON CONFLICT DO NOTHING RETURNING id` (no row back: refused), and, on PostgreSQL,
    the same with the ledger entry inserted by the same statement."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]

    q = connection.ops.quote_name
    fields = [Signature._meta.get_field(name) for name in _SIGNATURE_FIELDS]
    columns = ", ".join(q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    still_open = (
        f"SELECT 1 FROM {q(Petition._meta.db_table)} WHERE id = %s AND status = %s"  # noqa: S608
        " AND (collection_ends_at IS NULL OR collection_ends_at > %s)"
    )
    # Names come from the models; every value is a parameter.
    insert = (
        f"INSERT INTO {q(Signature._meta.db_table)} ({columns}) SELECT {values}"  # noqa: S608
        f" WHERE EXISTS ({still_open}) ON CONFLICT DO NOTHING RETURNING id"
    )
    target, markers = ledger_insert_parts(connection)
    combined = (
        f"WITH s AS ({insert}), "  # noqa: S608
        f"l AS (INSERT INTO {target} SELECT {markers} FROM s RETURNING id) "
        "SELECT s.id FROM s, l"
    )
    return insert, combined


def _store_signature(signature: Signature, entry: LedgerEntry, now: dt.datetime) -> bool:
    """Insert the signature and its ledger entry, atomically; False if refused (the
    petition stopped collecting, or this person or account already signed).

    On PostgreSQL this is one statement in autocommit: one round trip and one commit
    per signature, which is most of what a signature costs the database."""
    from django.db import DEFAULT_DB_ALIAS, connections

    conn = connections[DEFAULT_DB_ALIAS]  # once: every access through the proxy costs
    insert, combined = _signature_sql(conn.vendor)
    values = [
        field.get_db_prep_save(getattr(signature, field.attname), conn)
        for field in (Signature._meta.get_field(name) for name in _SIGNATURE_FIELDS)
    ]
    values += [signature.petition_id, Status.COLLECTING.value, now]
    if conn.vendor == "postgresql":
        # In autocommit the statement is its own transaction; inside a caller's
        # atomic block it is part of that one.
        with conn.cursor() as cursor:
            cursor.execute(combined, values + ledger_insert_params(entry, conn))
            row = cursor.fetchone()
        if row is None:
            return False
        signature.pk = row[0]
    else:
        with transaction.atomic(), conn.cursor() as cursor:
            cursor.execute(insert, values)
            row = cursor.fetchone()
            if row is None:
                return False
            signature.pk = row[0]
            ledger_insert(entry)
    signature._state.adding = False
    return True


def _explain_refused_signature(*, petition: Petition, user, person_key: str) -> None:
    if Signature.objects.filter(petition=petition, person_key=person_key).exists() or (
        Signature.objects.filter(petition=petition, user=user).exists()
    ):
        raise DomainError("already_signed", _("Ви вже підписали цю петицію."), status=409)
    # The row says the petition no longer collects: forget this process's copy.
    signing_cache_clear(petition)
    raise _closed()


def _enqueue_threshold_check(petition_pk: int) -> None:
    from django.core.cache import cache

    from .tasks import petition_check_threshold

    # One queued check per petition every few seconds, however many sign at once.
    if cache.add(f"petition:{petition_pk}:threshold-check", 1, 3):
        petition_check_threshold.enqueue(petition_pk)


def petition_reach_threshold(*, petition: Petition) -> bool:
    """Move a collecting petition whose signatures reached the threshold to
    consideration. Idempotent; returns True when it moved."""
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.COLLECTING:
            return False
        count = Signature.objects.filter(petition=petition).count()
        if count < petition.threshold:
            return False
        now = timezone.now()
        petition.status = Status.CONSIDERATION
        petition.signature_count = count
        petition.threshold_reached_at = now
        petition.consideration_due = deadline_for(start=now, working_days=petition.consideration_days)
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.threshold_reached",
            payload={
                "petition": str(petition.public_id),
                "signatures": count,
                "consideration_due": petition.consideration_due.isoformat(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition_threshold",
            title=lazy_format(_("Петиція №%(n)d набрала необхідні підписи"), n=petition.number),
            body=lazy_format(
                _("Петицію передано на розгляд. Відповідь має бути до %(d)s."),
                d=petition.consideration_due.strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
        notify_send(
            hromada=petition.hromada,
            users=_staff(petition.hromada, [Role.ADMIN, Role.OFFICER]),
            kind="petition_threshold",
            title=lazy_format(_("Нова петиція на розгляді: №%(n)d"), n=petition.number),
            body=petition.title,
            url=reverse("staff_petitions:consideration"),
        )
    return True


def petition_close_unsuccessful(*, petition: Petition) -> bool:
    """Close a petition whose collection period ended short of the threshold."""
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.COLLECTING or timezone.now() < petition.collection_ends_at:
            return False
        count = Signature.objects.filter(petition=petition).count()
        if count >= petition.threshold:
            # Reached in the last seconds: it goes to consideration instead.
            transaction.on_commit(lambda: petition_reach_threshold(petition=petition))
            return False
        petition.status = Status.UNSUCCESSFUL
        petition.signature_count = count
        petition.closed_at = timezone.now()
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.closed_unsuccessful",
            payload={
                "petition": str(petition.public_id),
                "signatures": count,
                "threshold": petition.threshold,
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition_closed",
            title=lazy_format(_("Збір підписів під петицією №%(n)d завершено"), n=petition.number),
            body=lazy_format(
                _("Петиція зібрала %(c)d з %(t)d необхідних підписів."), c=count, t=petition.threshold
            ),
            url=_url(petition),
        )
    return True


# --- consideration and answer ----------------------------------------------------------------


def petition_answer(*, petition: Petition, officer, decision: str, text: str, document=None) -> Answer:
    if not rules.can_answer(officer, petition):
        raise _forbidden(_("Публікувати відповіді можуть лише посадові особи цієї громади."))
    if decision not in Decision.values:
        raise DomainError("decision_invalid", _("Оберіть рішення зі списку."), field="decision")
    text = _clean_text(text)
    if len(text) < 20:
        raise DomainError(
            "answer_too_short", _("Текст відповіді занадто короткий (щонайменше 20 символів)."), field="text"
        )
    if len(text) > 20_000:
        raise DomainError(
            "answer_too_long", _("Текст відповіді задовгий (до 20 000 символів)."), field="text"
        )
    checked = None
    if document is not None:
        checked = check_upload(
            document, allowed={"application/pdf"}, max_bytes=ANSWER_DOCUMENT_MAX_BYTES, field="document"
        )
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise DomainError(
                "not_in_consideration",
                _("Відповісти можна лише на петицію, що перебуває на розгляді."),
                status=409,
            )
        now = timezone.now()
        answer = Answer(
            hromada=petition.hromada,
            petition=petition,
            decision=decision,
            text=text,
            answered_by=officer,
            published_at=now,
        )
        if document is not None and checked is not None:
            answer.document_name = os.path.basename(document.name)[:200]
            document.name = f"{uuid.uuid4().hex}.{checked.extension}"
            answer.document = document
        answer.save()
        petition.status = Status.ANSWERED
        petition.closed_at = now
        petition.save(update_fields=["status", "closed_at", "updated_at"])
        ledger_append(
            hromada=petition.hromada,
            kind="petition.answered",
            payload={
                "petition": str(petition.public_id),
                "decision": decision,
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "on_time": timezone.localdate(now) <= petition.deadline,
            },
        )
        title = lazy_format(_("Опубліковано відповідь на петицію №%(n)d"), n=petition.number)
        notify_send(
            hromada=petition.hromada,
            users=_author_and_signers(petition),
            kind="petition_answered",
            title=title,
            body=Decision(decision).label,
            url=_url(petition),
        )
    return answer


def petition_extend_deadline(*, petition: Petition, officer, until: dt.date, notice: str) -> Petition:
    """Record that the consideration deadline is extended, with the notice sent."""
    if not rules.can_extend(officer, petition):
        raise _forbidden(_("Продовжувати строк розгляду можуть лише посадові особи цієї громади."))
    notice = _clean_text(notice)
    if len(notice) < 20:
        raise DomainError(
            "notice_required",
            _("Поясніть причину продовження строку (щонайменше 20 символів)."),
            field="notice",
        )
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise DomainError(
                "not_in_consideration",
                _("Продовжити можна лише строк петиції, що перебуває на розгляді."),
                status=409,
            )
        if until <= petition.deadline:
            raise DomainError(
                "extension_not_later",
                _("Нова дата має бути пізнішою за чинний строк (%(d)s).")
                % {"d": petition.deadline.strftime("%d.%m.%Y")},
                field="until",
            )
        petition.consideration_extended_until = until
        petition.extension_notice = notice
        petition.extension_noticed_at = timezone.now()
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.deadline_extended",
            payload={"petition": str(petition.public_id), "until": until.isoformat()},
        )
        notify_send(
            hromada=petition.hromada,
            users=_author_and_signers(petition),
            kind="deadline_extended",
            title=lazy_format(
                _("Строк розгляду петиції №%(n)d продовжено до %(d)s"),
                n=petition.number,
                d=until.strftime("%d.%m.%Y"),
            ),
            body=notice,
            url=_url(petition),
        )
    return petition


# --- categories ----------------------------------------------------------------------------------


def category_create(*, hromada: Hromada, actor, name: str, slug: str) -> Category:
    if not account_rules.is_hromada_admin(actor, hromada):
        raise _forbidden(_("Категорії створює адміністратор громади."))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Вкажіть назву категорії."), field="name")
    try:
        with transaction.atomic():
            return Category.objects.create(hromada=hromada, name=name[:100], slug=slug)
    except IntegrityError:
        raise DomainError("category_exists", _("Така категорія вже є."), field="slug", status=409)


# --- periodic upkeep ------------------------------------------------------------------------------


def petitions_tick(*, now: dt.datetime | None = None) -> dict:
    """Run by the worker every few seconds: refresh counts, move petitions that
    reached their threshold, close expired ones, flag overdue moderation and answers."""
    now = now or timezone.now()
    moved = closed = flagged = 0
    rows = (
        Signature.objects.filter(petition__status=Status.COLLECTING)
        .values("petition_id")
        .annotate(n=Count("id"))
    )
    counts = {r["petition_id"]: r["n"] for r in rows}
    for petition in Petition.objects.filter(status=Status.COLLECTING).select_related("hromada"):
        count = counts.get(petition.pk, 0)
        if count != petition.signature_count:
            Petition.objects.filter(pk=petition.pk).update(signature_count=count)
        if count >= petition.threshold:
            moved += petition_reach_threshold(petition=petition)
        elif now >= petition.collection_ends_at:
            closed += petition_close_unsuccessful(petition=petition)
    today = timezone.localdate(now)
    for petition in Petition.objects.filter(
        status=Status.MODERATION, moderation_due__lt=today, moderation_overdue_notified_at__isnull=True
    ).select_related("hromada"):
        with transaction.atomic():
            updated = Petition.objects.filter(
                pk=petition.pk, moderation_overdue_notified_at__isnull=True
            ).update(moderation_overdue_notified_at=now)
            if updated:
                flagged += 1
                notify_send(
                    hromada=petition.hromada,
                    users=_staff(petition.hromada, [Role.ADMIN, Role.MODERATOR]),
                    kind="moderation_overdue",
                    title=lazy_format(_("Прострочено модерацію петиції №%(n)d"), n=petition.number),
                    body=petition.title,
                    url=reverse("staff_petitions:moderation"),
                )
    return {"moved_to_consideration": moved, "closed_unsuccessful": closed, "moderation_overdue": flagged}


def _staff(hromada: Hromada, roles: list[str]):
    from django.contrib.auth import get_user_model

    user_ids = StaffRole.objects.filter(hromada=hromada, role__in=roles).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))


def _author_and_signers(petition: Petition):
    from django.contrib.auth import get_user_model

    signer_ids = Signature.objects.filter(petition=petition).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(pk__in=signer_ids) | get_user_model().objects.filter(
        pk=petition.author_id
    )
    return users.distinct()
