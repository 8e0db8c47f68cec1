"""Who may do what with petitions. Services enforce these; views use them to
decide what to show."""

from __future__ import annotations

from hromada.accounts import rules as account_rules

from .models import Petition, Status

PUBLIC_STATUSES = (Status.COLLECTING, Status.CONSIDERATION, Status.ANSWERED, Status.UNSUCCESSFUL)


def can_submit(user, hromada) -> bool:
    from .selectors import petition_settings

    return account_rules.has_identity_level(
        user, petition_settings(hromada=hromada).submit_level, hromada=hromada
    )


def can_view(user, petition: Petition) -> bool:
    if petition.status in PUBLIC_STATUSES:
        return True
    if user is None or not user.is_authenticated:
        return False
    if is_editor(user, petition):
        return True
    if petition.status == Status.DRAFT:  # a draft is its authors' alone, not the moderators'
        return False
    return petition.author_id == user.pk or account_rules.has_perm(
        user, petition.hromada, "petitions.moderate"
    )


def can_moderate(user, petition: Petition) -> bool:
    return account_rules.has_perm(user, petition.hromada, "petitions.moderate")


def can_answer(user, petition: Petition) -> bool:
    return account_rules.has_perm(user, petition.hromada, "petitions.answer")


def can_extend(user, petition: Petition) -> bool:
    return account_rules.has_perm(user, petition.hromada, "petitions.answer")


def can_view_staff_queues(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "petitions.moderate") or account_rules.has_perm(
        user, hromada, "petitions.answer"
    )


def can_manage_categories(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "petitions.manage_categories")


# --- authoring ---

# Before a moderator acts the authors may still change the text; after, it is the record.
EDITABLE_STATUSES = (Status.DRAFT, Status.MODERATION)


def is_editor(user, petition: Petition) -> bool:
    """The author or a co-author who accepted the invitation."""
    if user is None or not user.is_authenticated:
        return False
    if petition.author_id == user.pk:
        return True
    return petition.coauthors.filter(user=user, accepted_at__isnull=False).exists()


def can_edit(user, petition: Petition) -> bool:
    return petition.status in EDITABLE_STATUSES and is_editor(user, petition)


def can_withdraw(user, petition: Petition) -> bool:
    """Only the author withdraws, and only before publication (once public, the
    signatures collected belong to the record)."""
    return (
        petition.status == Status.MODERATION
        and user is not None
        and user.is_authenticated
        and petition.author_id == user.pk
    )


def can_invite_coauthors(user, petition: Petition) -> bool:
    return (
        petition.status in (Status.DRAFT, Status.MODERATION, Status.COLLECTING)
        and user is not None
        and user.is_authenticated
        and petition.author_id == user.pk
    )
