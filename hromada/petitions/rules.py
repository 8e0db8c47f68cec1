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
