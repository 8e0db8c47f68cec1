"""Who may do what with petitions. Services enforce these; views use them to
decide what to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError
from hromada.tenancy.models import IdentityLevel

from .models import Petition, Status

PUBLIC_STATUSES = (Status.COLLECTING, Status.CONSIDERATION, Status.ANSWERED, Status.UNSUCCESSFUL)
# A petition past its threshold may still collect support, when its rules say so.
AFTER_THRESHOLD_STATUSES = (Status.CONSIDERATION, Status.ANSWERED)
SIGNABLE_STATUSES = (Status.COLLECTING, *AFTER_THRESHOLD_STATUSES)


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
    if petition.category is None:  # a draft may have none yet
        return None
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


# --- signing -------------------------------------------------------------------------------------
# The one place that says who may sign and why not: the sign service raises the refusal,
# the petition page shows it before anyone presses a button, and the kernel's
# post-verification message (module.py `eligibility`) repeats it.


def signing_open(petition: Petition, now: dt.datetime | None = None) -> bool:
    """Whether the petition takes signatures now: while collecting, and after the
    threshold until the collection period ends if its rules say so."""
    now = now or timezone.now()
    ends = petition.collection_ends_at
    if ends is not None and now >= ends:
        return False
    if petition.status == Status.COLLECTING:
        return True
    return bool(
        petition.sign_after_threshold and ends is not None and petition.status in AFTER_THRESHOLD_STATUSES
    )


def closed_refusal() -> DomainError:
    return DomainError("petition_closed", _("Збір підписів під цією петицією завершено."), status=409)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def signer_refusal(user, *, hromada, sign_level: str, min_age: int, today: dt.date):
    """(the DomainError refusing `user` as a signer under these rules, or None; the
    identity that counts in `hromada`). Rules are the petition's own (fixed when it was
    submitted) or, asked before any petition, the hromada's current ones."""
    if user is None or not user.is_authenticated:
        return DomainError("login_required", _("Увійдіть, щоб підписати петицію."), status=401), None
    # Only an identity that counts in this hromada (an in-person verification counts where
    # it was made, unless this hromada accepts other hromadas').
    identity = account_rules.identity_in(user, hromada=hromada)
    if sign_level == IdentityLevel.VERIFIED and identity is None:
        if account_rules.identity_in(user, hromada=None) is not None:
            message = _(
                "Вашу особу підтверджено в ЦНАП іншої громади, а ця громада такого підтвердження не "
                "приймає. Підтвердьте особу через id.gov.ua або в ЦНАП цієї громади."
            )
        else:
            message = _("Підписувати петиції можуть лише особи з підтвердженою особою (id.gov.ua або ЦНАП).")
        return DomainError("identity_required", message, status=403), None
    if sign_level == IdentityLevel.EMAIL and not user.email_confirmed:
        return DomainError(
            "email_unconfirmed", _("Підтвердьте електронну пошту, щоб підписати."), status=403
        ), None
    if min_age:
        if identity is None or identity.birth_date is None:
            return DomainError(
                "age_unknown",
                _("Неможливо перевірити ваш вік: підтвердьте особу з датою народження."),
                status=403,
            ), identity
        if age_on(identity.birth_date, today) < min_age:
            return DomainError(
                "underage", _("Підписувати петиції можна з %(age)d років.") % {"age": min_age}, status=403
            ), identity
    return None, identity


def sign_refusal(user, petition: Petition, now: dt.datetime | None = None):
    """(why `user` may not sign `petition` now, or None; the identity that counts).
    "Already signed" is left to the database's unique constraints."""
    now = now or timezone.now()
    if not signing_open(petition, now):
        return closed_refusal(), None
    return signer_refusal(
        user,
        hromada=petition.hromada,
        sign_level=petition.sign_level,
        min_age=petition.min_age,
        today=timezone.localdate(now),
    )


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
