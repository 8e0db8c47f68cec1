"""Co-authors: invited by the author (by an account's e-mail or by a link), accepted by
the person invited; they may edit the petition with the author while it is editable.

An invitation or an acceptance is ledgered only when it concerns a published petition:
before publication nothing about a petition is public, and once published, who stands
behind it is part of its public record."""

from __future__ import annotations

import secrets
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import CoAuthor, Petition, Status
from ._common import _forbidden, _url
from .submission import _author_name

# An author may invite this many people at most (pending and accepted together).
MAX_COAUTHORS = 10


def coauthor_accept_url(invitation: CoAuthor) -> str:
    return reverse("petitions:coauthor_accept", kwargs={"token": invitation.token})


def _check_may_invite(petition: Petition, actor) -> None:
    if petition.author_id != getattr(actor, "pk", None):
        raise _forbidden(_("Запрошувати співавторів може лише автор петиції."))
    if not rules.can_invite_coauthors(actor, petition):
        raise DomainError(
            "coauthors_closed",
            _("Співавторів можна запросити, доки петиція — чернетка, на модерації або збирає підписи."),
            status=409,
        )
    if CoAuthor.objects.filter(petition=petition).count() >= MAX_COAUTHORS:
        raise DomainError(
            "too_many_coauthors",
            _("Можна запросити не більше %(n)d співавторів.") % {"n": MAX_COAUTHORS},
            status=409,
        )


def _ledger(petition: Petition, kind: str, payload: dict) -> None:
    if petition.status in rules.PUBLIC_STATUSES:
        ledger_append(
            hromada=petition.hromada,
            kind=kind,
            payload={"petition": str(petition.public_id), "number": petition.number, **payload},
        )


def coauthor_invite(*, petition: Petition, actor, email: str = "") -> CoAuthor:
    """Invite the account with `email`, or (no e-mail) make an invitation link that the
    first person to accept it takes."""
    _check_may_invite(petition, actor)
    user = None
    email = " ".join((email or "").split()).lower()
    if email:
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise DomainError(
                "account_not_found",
                _(
                    "Немає облікового запису з адресою %(e)s. Перевірте адресу або надішліть "
                    "людині посилання-запрошення."
                )
                % {"e": email},
                field="email",
            )
        if user.pk == petition.author_id:
            raise DomainError("coauthor_is_author", _("Ви вже автор цієї петиції."), field="email")
    try:
        with transaction.atomic():
            invitation = CoAuthor.objects.create(
                hromada=petition.hromada,
                petition=petition,
                user=user,
                invited_by=actor,
                token=secrets.token_urlsafe(24),
            )
            # No one is named until they accept: the invitee has not agreed to anything yet.
            _ledger(petition, "petition.coauthor_invited", {"by": "email" if user else "link"})
            if user is not None:
                notify_send(
                    hromada=petition.hromada,
                    users=[user],
                    kind="petition.coauthor_invited",
                    title=lazy_format(
                        _("Вас запрошують стати співавтором петиції «%(t)s»"), t=petition.title
                    ),
                    body=lazy_format(
                        _("%(a)s запрошує вас стати співавтором. Відкрийте запрошення, щоб прийняти його."),
                        a=petition.author_name,
                    ),
                    url=coauthor_accept_url(invitation),
                )
    except IntegrityError:
        raise DomainError(
            "already_invited", _("Цю людину вже запрошено до петиції."), field="email", status=409
        )
    return invitation


def coauthor_accept(*, invitation: CoAuthor, user) -> CoAuthor:
    """The invited person joins the petition as a co-author."""
    with transaction.atomic():
        invitation = (
            CoAuthor.objects.select_for_update().select_related("petition__hromada").get(pk=invitation.pk)
        )
        petition = invitation.petition
        if invitation.accepted_at is not None:
            if invitation.user_id == user.pk:
                return invitation
            raise DomainError(
                "invitation_used", _("Цим запрошенням уже скористалася інша людина."), status=409
            )
        if invitation.user_id is not None and invitation.user_id != user.pk:
            raise DomainError("invitation_not_yours", _("Це запрошення надіслано іншій людині."), status=403)
        if petition.author_id == user.pk:
            raise DomainError("coauthor_is_author", _("Ви вже автор цієї петиції."), status=409)
        if petition.status not in (Status.DRAFT, Status.MODERATION, Status.COLLECTING):
            raise DomainError(
                "coauthors_closed", _("До цієї петиції вже не можна приєднатися як співавтор."), status=409
            )
        invitation.user = user
        invitation.name = _author_name(user)
        invitation.accepted_at = timezone.now()
        try:
            with transaction.atomic():
                invitation.save(update_fields=["user", "name", "accepted_at", "updated_at"])
        except IntegrityError:
            raise DomainError("already_coauthor", _("Ви вже співавтор цієї петиції."), status=409)
        _ledger(petition, "petition.coauthor_joined", {"name": invitation.name})
        notify_send(
            hromada=petition.hromada,
            users=[petition.author_id],
            kind="petition.coauthor_accepted",
            title=lazy_format(_("%(n)s — тепер співавтор вашої петиції"), n=invitation.name),
            body=lazy_format(_("Петиція «%(t)s»."), t=petition.title),
            url=_url(petition) if petition.status in rules.PUBLIC_STATUSES else reverse("petitions:mine"),
        )
    return invitation


def coauthor_remove(*, invitation: CoAuthor, actor) -> None:
    """The author cancels an invitation or removes a co-author, or a co-author leaves:
    while the petition is not yet public (after that, the co-authors are on the record)."""
    petition = invitation.petition
    if actor.pk not in (petition.author_id, invitation.user_id):
        raise _forbidden(_("Прибрати співавтора може лише автор петиції."))
    if invitation.accepted_at is not None and petition.status not in rules.EDITABLE_STATUSES:
        raise DomainError(
            "coauthor_on_record",
            _("Петицію вже опубліковано: її співавторів не можна змінити."),
            status=409,
        )
    with transaction.atomic():
        CoAuthor.objects.filter(pk=invitation.pk).delete()


def petition_personal_data_erase(*, user) -> None:
    """The petitions part of deleting an account (module.py `personal_data_erase`): the
    person's drafts and withdrawn petitions (never public), invitations not accepted and
    co-authorships of petitions never published go; what was published stays. Follows
    are no public record: they go too."""
    from .follow import follows_erase

    follows_erase(user=user)
    never_public = [Status.DRAFT, Status.WITHDRAWN]
    CoAuthor.objects.filter(user=user, accepted_at__isnull=True).delete()
    CoAuthor.objects.filter(user=user).exclude(petition__status__in=rules.PUBLIC_STATUSES).delete()
    for petition in Petition.objects.filter(author=user, status__in=never_public):
        for item in petition.attachments.all():
            transaction.on_commit(partial(item.file.delete, save=False))
        petition.delete()
