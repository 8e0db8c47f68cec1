"""Drafts, editing before moderation, and withdrawing.

A draft is its authors' alone: not public, not in the moderation queue, without a
number (given at submission, so public numbers stay consecutive). The authors may edit
a draft, and a submitted petition until a moderator acts on it; that edit is a guarded
UPDATE (… WHERE status = 'moderation'), so an edit racing the moderator's decision fails
cleanly (409) and changes nothing. None of this is ledgered: nothing of the petition is
public before publication, and the ledger records the text published (its hash) then."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.search import fold
from hromada.tenancy.models import Hromada

from .. import rules
from ..models import ALT_TEXT_MAX, Attachment, Category, Petition, Status
from ._common import _clean_text, _forbidden
from .submission import (
    PetitionInvalid,
    Upload,
    _author_name,
    _check_may_submit,
    _save_attachments,
    _submission_fields,
    petition_check,
    statute_fields,
)


def _moderated_already() -> DomainError:
    return DomainError(
        "not_editable",
        _(
            "Модератор уже розглянув петицію, тому змінити її не можна. Ваші зміни не збережено, "
            "але їх текст лишився у формі: скопіюйте його, якщо він потрібен."
        ),
        status=409,
    )


def petition_draft_create(
    *,
    hromada: Hromada,
    author,
    title: str = "",
    text: str = "",
    category: Category | None = None,
    uploads: list[Upload] | None = None,
) -> Petition:
    """Save a new draft. Limits are checked (lengths, files), completeness is not."""
    checked = petition_check(
        hromada=hromada, title=title, text=text, category=category, uploads=uploads, strict=False
    )
    with transaction.atomic():
        petition = Petition.objects.create(
            hromada=hromada,
            author=author,
            author_name=_author_name(author),
            title=checked.title,
            text=checked.text,
            search_text=fold(f"{checked.title} {checked.text}"),
            category=checked.category,
            status=Status.DRAFT,
            number=None,
            **statute_fields(hromada),  # refreshed at submission
        )
        _save_attachments(petition, checked.uploads)
    return petition


def petition_update(
    *,
    petition: Petition,
    editor,
    title: str,
    text: str,
    category: Category | None,
    uploads: list[Upload] | None = None,
    remove_attachments: list[int] | tuple[int, ...] = (),
    alt_texts: dict[int, str] | None = None,
) -> Petition:
    """Change a draft, or a petition in moderation that no moderator has acted on yet.
    A petition in moderation is checked as fully as at submission. `alt_texts` gives
    new descriptions of images already attached, by attachment id."""
    if not rules.is_editor(editor, petition):
        raise _forbidden(_("Змінювати петицію можуть лише її автор і співавтори."))
    if petition.status not in rules.EDITABLE_STATUSES:
        raise _moderated_already()
    strict = petition.status != Status.DRAFT
    keep = petition.attachments.exclude(pk__in=list(remove_attachments))
    errors: list[DomainError] = []
    try:
        checked = petition_check(
            hromada=petition.hromada,
            title=title,
            text=text,
            category=category,
            uploads=uploads,
            kept_attachments=keep.count(),
            strict=strict,
        )
    except PetitionInvalid as exc:
        errors += exc.errors
    descriptions = {}
    for attachment in keep.filter(pk__in=list(alt_texts or {}), content_type__startswith="image/"):
        field = f"alt_existing_{attachment.pk}"
        alt = " ".join(_clean_text((alt_texts or {})[attachment.pk], field=field).split())
        if not alt:
            errors.append(
                DomainError(
                    "alt_text_required",
                    _(
                        "Опишіть зображення «%(name)s» кількома словами: опис прочитає програма екранного доступу."
                    )
                    % {"name": attachment.original_name},
                    field=field,
                )
            )
        elif len(alt) > ALT_TEXT_MAX:
            errors.append(
                DomainError(
                    "alt_text_too_long",
                    _("Опис зображення задовгий: %(len)d символів, дозволено до %(max)d.")
                    % {"len": len(alt), "max": ALT_TEXT_MAX},
                    field=field,
                )
            )
        else:
            descriptions[attachment.pk] = alt
    if errors:
        raise PetitionInvalid(errors)
    with transaction.atomic():
        changed = Petition.objects.filter(pk=petition.pk, status=petition.status).update(
            title=checked.title,
            text=checked.text,
            search_text=fold(f"{checked.title} {checked.text}"),
            category=checked.category,
            revision=F("revision") + 1,
            updated_at=timezone.now(),
        )
        if not changed:  # a moderator (or a withdrawal) got there first: nothing is written
            raise _moderated_already()
        Attachment.objects.filter(petition=petition, pk__in=list(remove_attachments)).delete()
        for pk, alt in descriptions.items():
            Attachment.objects.filter(petition=petition, pk=pk).update(alt_text=alt)
        petition.refresh_from_db()
        _save_attachments(petition, checked.uploads)
    return petition


def petition_draft_submit(*, petition: Petition, author) -> Petition:
    """Send a draft to moderation: checked in full, numbered, the statute's rules fixed."""
    if petition.author_id != author.pk:
        raise _forbidden(_("Подати петицію на модерацію може лише її автор."))
    if petition.status != Status.DRAFT:
        raise DomainError("not_a_draft", _("Цю петицію вже подано."), status=409)
    _check_may_submit(author, petition.hromada)
    checked = petition_check(
        hromada=petition.hromada,
        title=petition.title,
        text=petition.text,
        category=petition.category,
    )
    now = timezone.now()
    with transaction.atomic():
        fields = _submission_fields(petition.hromada, now)
        changed = Petition.objects.filter(pk=petition.pk, status=Status.DRAFT).update(
            title=checked.title, author_name=_author_name(author), updated_at=now, **fields
        )
        if not changed:
            raise DomainError("not_a_draft", _("Цю петицію вже подано."), status=409)
    petition.refresh_from_db()
    return petition


def petition_withdraw(*, petition: Petition, author) -> Petition:
    """The author takes back a petition no moderator has acted on. It keeps its number
    (numbers are given at submission) and stays visible to its authors and the
    moderators, never to the public; not ledgered, as it was never public."""
    if not rules.can_withdraw(author, petition):
        if petition.author_id != author.pk:
            raise _forbidden(_("Відкликати петицію може лише її автор."))
        raise DomainError(
            "not_withdrawable",
            _("Відкликати можна лише петицію на модерації. Опубліковану петицію відкликати не можна."),
            status=409,
        )
    now = timezone.now()
    with transaction.atomic():
        changed = Petition.objects.filter(pk=petition.pk, status=Status.MODERATION).update(
            status=Status.WITHDRAWN, withdrawn_at=now, closed_at=now, updated_at=now
        )
        if not changed:
            raise DomainError(
                "not_withdrawable",
                _("Модератор уже розглянув петицію, тому відкликати її не можна."),
                status=409,
            )
    petition.refresh_from_db()
    return petition


def petition_draft_delete(*, petition: Petition, author) -> None:
    """Delete a draft (with its files): nothing of it was ever submitted."""
    if petition.author_id != author.pk:
        raise _forbidden(_("Видалити чернетку може лише її автор."))
    with transaction.atomic():
        attachments = list(petition.attachments.all())
        deleted, _rows = Petition.objects.filter(pk=petition.pk, status=Status.DRAFT).delete()
        if not deleted:
            raise DomainError("not_a_draft", _("Цю петицію вже подано, її не можна видалити."), status=409)
        for item in attachments:
            transaction.on_commit(partial(item.file.delete, save=False))


def petition_draft_copy(*, petition: Petition, author) -> Petition:
    """A new draft with the text of the author's withdrawn or rejected petition, to
    rework and submit again (attachments are not copied: they are chosen anew)."""
    if petition.author_id != author.pk:
        raise _forbidden(_("Скопіювати петицію в чернетку може лише її автор."))
    if petition.status not in (Status.WITHDRAWN, Status.REJECTED):
        raise DomainError(
            "not_copyable",
            _("У нову чернетку можна скопіювати відкликану або відхилену петицію."),
            status=409,
        )
    return petition_draft_create(
        hromada=petition.hromada,
        author=author,
        title=petition.title,
        text=petition.text,
        category=petition.category,
    )
