"""The petition as a thing people discuss (module.py `comment_targets`, hromada.comments,
docs/comments.md): a public petition's page carries its comment thread. Comments are
open while the petition collects signatures or is considered; once it is answered (or
has failed to collect) its discussion is archived — shown, closed to new comments."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.modules import CommentTarget

from . import rules
from .models import CoAuthor, Petition, Status

OPEN_STATUSES = (Status.COLLECTING, Status.CONSIDERATION)


def petition(*, hromada, key) -> CommentTarget | None:
    try:
        public_id = uuid.UUID(str(key))
    except ValueError:
        return None
    item = (
        Petition.objects.filter(hromada=hromada, public_id=public_id)
        .only("id", "public_id", "number", "title", "status", "author_id", "hromada_id")
        .first()
    )
    if item is None:
        return None

    def refusal(user):
        if item.status not in OPEN_STATUSES:
            return DomainError(
                "discussion_closed",
                _("Петицію розглянуто або збір підписів завершено: обговорення закрито."),
                status=409,
            )
        return None

    def audience():
        coauthors = CoAuthor.objects.filter(
            hromada=hromada, petition=item, accepted_at__isnull=False
        ).values_list("user_id", flat=True)
        return [item.author_id, *coauthors]

    return CommentTarget(
        title=_("Петиція №%(n)s «%(t)s»") % {"n": item.number, "t": item.title},
        url=reverse("petitions:detail", kwargs={"public_id": item.public_id}),
        refusal=refusal,
        audience=audience,
        moderate_perm="petitions.moderate",
        public=item.status in rules.PUBLIC_STATUSES,
    )
