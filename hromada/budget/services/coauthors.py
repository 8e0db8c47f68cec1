"""Co-authors of a project: invited by the author (an account's e-mail, or a link), up
to MAX_COAUTHORS; once accepted they edit the project with the author until review.
The invitation's token is kept only as its SHA-256 (the link is shown once)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.notify.services import notify_send

from ..models import EDITABLE_STATUSES, CoAuthor, Project

MAX_COAUTHORS = 5


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def coauthor_accept_url(token: str) -> str:
    return reverse("budget:coauthor_accept", kwargs={"token": token})


def _project_url(project: Project) -> str:
    return reverse("budget:project", kwargs={"public_id": project.public_id})


def coauthor_invite(*, project: Project, actor, email: str = "") -> CoAuthor:
    """Invite the account with `email`, or make a link the first person to accept takes.
    The returned invitation carries the raw token in `.token` (not stored)."""
    if project.author_id != getattr(actor, "pk", None):
        raise PermissionDenied("forbidden", _("Запрошувати співавторів може лише автор проєкту."))
    if project.status not in EDITABLE_STATUSES:
        raise DomainError(
            "coauthors_closed", _("Співавторів можна запросити лише до початку експертизи."), status=409
        )
    if CoAuthor.objects.filter(project=project).count() >= MAX_COAUTHORS:
        raise DomainError(
            "too_many_coauthors",
            _("Можна запросити не більше %(n)d співавторів.") % {"n": MAX_COAUTHORS},
            field="email",
            status=409,
        )
    user = None
    email = " ".join((email or "").split()).lower()
    if email:
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise DomainError(
                "account_not_found",
                _("Немає облікового запису з адресою %(e)s. Надішліть людині посилання-запрошення.")
                % {"e": email},
                field="email",
            )
        if user.pk == project.author_id:
            raise DomainError("coauthor_is_author", _("Ви вже автор цього проєкту."), field="email")
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            invitation = CoAuthor.objects.create(
                hromada=project.hromada, project=project, user=user, email=email, token_hash=token_hash(token)
            )
            if user is not None:
                notify_send(
                    hromada=project.hromada,
                    users=[user],
                    kind="budget.coauthor_invited",
                    title=lazy_format(_("Вас запрошують стати співавтором проєкту «%(t)s»"), t=project.title),
                    body=lazy_format(
                        _("%(a)s запрошує вас до проєкту бюджету участі."), a=project.author_name
                    ),
                    url=coauthor_accept_url(token),
                )
    except IntegrityError:
        raise DomainError("already_invited", _("Цю людину вже запрошено."), field="email", status=409)
    invitation.token = token
    return invitation


def invitation_by_token(token: str) -> CoAuthor | None:
    return (
        CoAuthor.objects.select_related("project", "project__cycle")
        .filter(token_hash=token_hash(token))
        .first()
    )


def coauthor_accept(*, token: str, user) -> CoAuthor:
    if user is None or not user.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб прийняти запрошення."), status=401)
    with transaction.atomic():
        invitation = (
            CoAuthor.objects.select_for_update()
            .select_related("project")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if invitation is None:
            raise DomainError(
                "invitation_not_found", _("Запрошення не знайдено або його скасовано."), status=404
            )
        project = invitation.project
        if invitation.accepted_at is not None:
            if invitation.user_id == user.pk:
                return invitation
            raise DomainError(
                "invitation_used", _("Цим запрошенням уже скористалася інша людина."), status=409
            )
        if invitation.user_id is not None and invitation.user_id != user.pk:
            raise DomainError("invitation_not_yours", _("Це запрошення надіслано іншій людині."), status=403)
        if project.author_id == user.pk:
            raise DomainError("coauthor_is_author", _("Ви вже автор цього проєкту."), status=409)
        if project.status not in EDITABLE_STATUSES:
            raise DomainError(
                "coauthors_closed", _("До цього проєкту вже не можна приєднатися як співавтор."), status=409
            )
        invitation.user = user
        invitation.accepted_at = timezone.now()
        try:
            with transaction.atomic():
                invitation.save(update_fields=["user", "accepted_at", "updated_at"])
        except IntegrityError:
            raise DomainError("already_coauthor", _("Ви вже співавтор цього проєкту."), status=409)
        from .projects import author_display_name

        notify_send(
            hromada=project.hromada,
            users=[project.author_id],
            kind="budget.coauthor_accepted",
            title=lazy_format(_("%(n)s — тепер співавтор вашого проєкту"), n=author_display_name(user)),
            body=lazy_format(_("Проєкт «%(t)s»."), t=project.title),
            url=_project_url(project) if project.status != "draft" else reverse("budget:my"),
        )
    return invitation


def coauthor_remove(*, invitation: CoAuthor, actor) -> None:
    """The author cancels an invitation or removes a co-author, or a co-author leaves,
    before review."""
    project = invitation.project
    if getattr(actor, "pk", None) not in (project.author_id, invitation.user_id):
        raise PermissionDenied("forbidden", _("Прибрати співавтора може лише автор проєкту."))
    if project.status not in EDITABLE_STATUSES:
        raise DomainError(
            "coauthor_on_record", _("Проєкт уже на експертизі: співавторів не змінити."), status=409
        )
    with transaction.atomic():
        CoAuthor.objects.filter(pk=invitation.pk).delete()
