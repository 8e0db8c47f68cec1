"""The consultation's things people comment on (module.py `comment_targets`,
hromada.comments): the consultation itself, a paragraph of the draft act, a proposal.
Each resolver takes the thing's public id as `key` and returns a CommentTarget, or None
when the hromada has no such thing."""

from __future__ import annotations

import uuid

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.modules import CommentTarget

from .models import Consultation, Paragraph, Proposal, ProposalStatus, Status
from .services import participation


def _uuid(key) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(key))
    except (TypeError, ValueError, AttributeError):
        return None


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _refusal(consultation: Consultation):
    def refusal(user) -> DomainError | None:
        if not consultation.allow_comments:
            return DomainError("comments_off", _("У цій консультації коментарі вимкнено."), status=409)
        return participation.refusal(user, consultation)

    return refusal


def _public(consultation: Consultation) -> bool:
    return consultation.status != Status.DRAFT


def consultation(*, hromada, key) -> CommentTarget | None:
    public_id = _uuid(key)
    found = (
        Consultation.objects.for_hromada(hromada).filter(public_id=public_id).first() if public_id else None
    )
    if found is None:
        return None
    return CommentTarget(
        title=_("Консультація №%(n)s «%(t)s»") % {"n": found.number or "—", "t": found.title},
        url=_url("consultations:detail", found.number) if found.number else "",
        refusal=_refusal(found),
        moderate_perm="consultations.moderate",
        public=_public(found),
    )


def paragraph(*, hromada, key) -> CommentTarget | None:
    public_id = _uuid(key)
    found = (
        Paragraph.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .select_related("consultation")
        .first()
        if public_id
        else None
    )
    if found is None:
        return None
    c = found.consultation
    return CommentTarget(
        title=_("Пункт %(p)s проєкту «%(t)s»") % {"p": found.number, "t": c.title},
        url=_url("consultations:paragraph", c.number, found.public_id) if c.number else "",
        refusal=_refusal(c),
        moderate_perm="consultations.moderate",
        public=_public(c),
    )


def proposal(*, hromada, key) -> CommentTarget | None:
    public_id = _uuid(key)
    found = (
        Proposal.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .select_related("consultation")
        .first()
        if public_id
        else None
    )
    if found is None:
        return None
    c = found.consultation
    author_id = found.author_id

    def audience():
        from django.contrib.auth import get_user_model

        if author_id is None:
            return []
        return get_user_model().objects.filter(pk=author_id, is_active=True)

    return CommentTarget(
        title=_("Пропозиція №%(n)s «%(t)s»") % {"n": found.number, "t": found.title},
        url=_url("consultations:proposal", c.number, found.number) if c.number else "",
        refusal=_refusal(c),
        audience=audience,
        moderate_perm="consultations.moderate",
        public=_public(c) and found.status != ProposalStatus.HIDDEN,
    )
