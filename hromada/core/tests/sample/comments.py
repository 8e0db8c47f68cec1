"""The sample module's comment target (Module.comment_targets): a Thing, keyed by its id.
A thing titled "closed" refuses comments, one titled "draft" is not public; the owner is
told of new comments; sample.act moderates them besides comments.moderate."""

from hromada.core.errors import DomainError
from hromada.core.modules import CommentTarget

from .models import Thing


def thing(*, hromada, key):
    if not str(key).isdigit():
        return None
    item = Thing.objects.for_hromada(hromada).filter(pk=int(key)).first()
    if item is None:
        return None

    def refusal(user):
        if item.title == "closed":
            return DomainError("thing_closed", "Обговорення цієї речі закрите.", status=409)
        return None

    return CommentTarget(
        title=f"Річ {item.title}",
        url=f"/sample/?thing={item.pk}",
        refusal=refusal,
        audience=lambda: [item.owner_id],
        moderate_perm="sample.act",
        public=item.title != "draft",
    )
