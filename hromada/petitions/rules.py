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


def _staff_roles(user, hromada):
    """The user's staff roles in `hromada`, read once per request (like accounts' role cache)."""
    from hromada.accounts.models import StaffRole

    if user is None or not user.is_authenticated:
        return []
    cache = getattr(user, "_petition_staff_roles", None)
    if cache is None:
        cache = user._petition_staff_roles = {}
    if hromada.pk not in cache:
        cache[hromada.pk] = list(StaffRole.objects.filter(user=user, hromada=hromada))
    return cache[hromada.pk]


def departments_of(user, hromada) -> set[int]:
    """Ids of the departments `user` works in, in `hromada`."""
    return {r.department_id for r in _staff_roles(user, hromada) if r.department_id}


def headed_departments(user, hromada) -> set[int]:
    return {r.department_id for r in _staff_roles(user, hromada) if r.is_head and r.department_id}


def answering_department_id(petition: Petition) -> int | None:
    """The department that answers `petition`: the one assigned, else its category's."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        assignment = petition.assignment
    except ObjectDoesNotExist:
        assignment = None
    if assignment is not None and assignment.department_id:
        return assignment.department_id
    try:
        return petition.category.route.department_id
    except ObjectDoesNotExist:
        return None


def is_in_scope(user, petition: Petition) -> bool:
    """Whether the petition is `user`'s to answer: assigned to them, or to (or by its
    category falling to) a department they work in."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        if petition.assignment.officer_id == user.pk:
            return True
    except ObjectDoesNotExist:
        pass
    department = answering_department_id(petition)
    return department is not None and department in departments_of(user, petition.hromada)


def can_answer(user, petition: Petition) -> bool:
    """Prepare an answer (and extend the deadline): officers within their scope; holders
    of petitions.answer_any for every petition."""
    if not account_rules.has_perm(user, petition.hromada, "petitions.answer"):
        return False
    return account_rules.has_perm(user, petition.hromada, "petitions.answer_any") or is_in_scope(
        user, petition
    )


def can_extend(user, petition: Petition) -> bool:
    return can_answer(user, petition)


def can_approve(user, petition: Petition, department_id: int | None = None) -> bool:
    """Approve (publish) an answer or correct a published one: the head of the answering
    department, or a holder of petitions.approve_answer."""
    if account_rules.has_perm(user, petition.hromada, "petitions.approve_answer"):
        return True
    if department_id is None and petition.status == Status.ANSWERED:
        department_id = _published_department_id(petition)
    department_id = department_id if department_id is not None else answering_department_id(petition)
    return department_id is not None and department_id in headed_departments(user, petition.hromada)


def _published_department_id(petition: Petition) -> int | None:
    """The department whose draft became the published answer."""
    from .models import AnswerDraft, DraftStatus

    return (
        AnswerDraft.objects.filter(petition=petition, status=DraftStatus.PUBLISHED)
        .order_by("-id")
        .values_list("department_id", flat=True)
        .first()
    )


def can_assign(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "petitions.assign")


def can_download_signers(user, petition: Petition) -> bool:
    return account_rules.has_perm(user, petition.hromada, "petitions.signer_list")


def can_view_staff_queues(user, hromada) -> bool:
    return (
        account_rules.has_perm(user, hromada, "petitions.moderate")
        or account_rules.has_perm(user, hromada, "petitions.answer")
        or bool(headed_departments(user, hromada))
    )


def can_note(user, petition: Petition) -> bool:
    """Internal notes: every staff member who works the petitions queues."""
    return can_view_staff_queues(user, petition.hromada)


def can_manage_categories(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "petitions.manage_categories")
