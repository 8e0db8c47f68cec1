"""The budget project as a thing people discuss (module.py `comment_targets`,
hromada.comments, docs/comments.md): a public project's page carries its comment thread,
open for as long as the project is public; its authors are told of new comments."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.modules import CommentTarget

from .models import PUBLIC_STATUSES, CoAuthor, Project


def project(*, hromada, key) -> CommentTarget | None:
    try:
        public_id = uuid.UUID(str(key))
    except ValueError:
        return None
    item = (
        Project.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .only("id", "public_id", "number", "title", "status", "author_id", "hromada_id")
        .first()
    )
    if item is None:
        return None

    def audience():
        coauthors = (
            CoAuthor.objects.for_hromada(hromada)
            .filter(project=item, accepted_at__isnull=False, user__isnull=False)
            .values_list("user_id", flat=True)
        )
        return [i for i in (item.author_id, *coauthors) if i]

    title = (
        _("Проєкт №%(n)s «%(t)s»") % {"n": item.number, "t": item.title}
        if item.number
        else _("Проєкт «%(t)s»") % {"t": item.title}
    )
    return CommentTarget(
        title=title,
        url=reverse("budget:project", kwargs={"public_id": item.public_id}),
        audience=audience,
        public=item.status in PUBLIC_STATUSES,
    )
