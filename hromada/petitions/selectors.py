"""Reads for e-petitions. Every function is scoped by hromada."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import NotFound
from hromada.core.search import fold, text_search
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_settings

from . import rules
from .models import Category, CoAuthor, Petition, PetitionSettings, Signature, SignerNames, Status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _SignedAt(TypedDict):
    signed_at: dt.datetime


# The petition page shows a count at most this many seconds old.
LIVE_COUNT_SECONDS = 2

SORTS = {
    "newest": ("-published_at", "-id"),
    "popular": ("-signature_count", "-published_at"),
    "ending": ("collection_ends_at", "id"),
}


@dataclass
class PetitionFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    sort: str = "newest"


def petition_settings(*, hromada: Hromada) -> PetitionSettings:
    """The hromada's petition rules (its statute), one row per hromada."""
    return module_settings(hromada=hromada, label="petitions")


def _not_found() -> NotFound:
    return NotFound("petition_not_found", _("Петицію не знайдено."))


def petition_list(*, hromada: Hromada, filters: PetitionFilters | None = None) -> QuerySet[Petition]:
    """Public list: published petitions only."""
    filters = filters or PetitionFilters()
    qs = Petition.objects.filter(hromada=hromada, status__in=rules.PUBLIC_STATUSES).select_related("category")
    if filters.status in rules.PUBLIC_STATUSES:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__slug=filters.category)
    if filters.q:
        qs = text_search(qs, fields=["title", "text"], folded_field="search_text", query=filters.q)
    sort = filters.sort if filters.sort in SORTS else "newest"
    if sort == "ending":
        qs = qs.filter(status=Status.COLLECTING)
    return qs.order_by(*SORTS[sort])


def petition_get(*, hromada: Hromada, public_id, viewer=None) -> Petition:
    """A petition the viewer may see, or NotFound (also for another hromada's id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise _not_found()
    petition = (
        Petition.objects.select_related("hromada", "category", "answer")
        .filter(hromada=hromada, public_id=key)
        .first()
    )
    if petition is None or not rules.can_view(viewer, petition):
        raise _not_found()
    return petition


# The hot path reads the same petition thousands of times a second. What signing needs
# of it (status, end of collection, threshold, age, identity level) changes at most once,
# and a change is no more delayed by this cache than by the threshold check itself.
SIGNING_CACHE_SECONDS = 2.0
_signing_cache: dict[tuple[int, uuid.UUID], tuple[float, Petition]] = {}
_signing_lock = threading.Lock()


def signing_cache_clear(petition: Petition | None = None) -> None:
    """Forget the cached rows (of one petition, or all)."""
    with _signing_lock:
        if petition is None:
            _signing_cache.clear()
        else:
            _signing_cache.pop((petition.hromada_id, petition.public_id), None)


def petition_for_signing(*, hromada: Hromada, public_id) -> Petition:
    """The minimal row the sign service needs: one indexed query, then kept for
    SIGNING_CACHE_SECONDS in this process."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise _not_found()
    now = time.monotonic()
    hit = _signing_cache.get((hromada.pk, key))
    if hit is not None and hit[0] > now:
        return hit[1]
    petition = (
        Petition.objects.only(
            "id",
            "public_id",
            "hromada_id",
            "status",
            "collection_ends_at",
            "threshold",
            "min_age",
            "sign_level",
            "sign_after_threshold",
            "number",
            "signature_count",
        )
        .filter(hromada=hromada, public_id=key, status__in=rules.PUBLIC_STATUSES)
        .order_by()
        .first()
    )
    if petition is None:
        raise _not_found()
    Petition.hromada.field.set_cached_value(petition, hromada)  # the request's own, not a join
    with _signing_lock:
        if len(_signing_cache) > 10_000:
            _signing_cache.clear()
        _signing_cache[(hromada.pk, key)] = (now + SIGNING_CACHE_SECONDS, petition)
    return petition


def petition_live_count(petition: Petition) -> int:
    """Signatures counted from the rows themselves, cached for LIVE_COUNT_SECONDS so a
    thousand readers a second cost one COUNT per process per interval. If the database
    cannot answer, the last rolled-up figure is shown rather than an error."""
    if petition.status not in rules.SIGNABLE_STATUSES:
        return petition.signature_count  # closed short of the threshold: the final count
    key = f"petition:{petition.pk}:count"
    count = cache.get(key)
    if count is None:
        try:
            count = Signature.objects.filter(petition_id=petition.pk).count()
        except DatabaseError:
            return petition.signature_count
        cache.set(key, count, LIVE_COUNT_SECONDS)
    return count


def petition_count_bump(petition: Petition) -> None:
    """Count a signature just stored by this process, so its signer sees it at once."""
    try:
        cache.incr(f"petition:{petition.pk}:count")
    except ValueError:  # not cached: the next read counts the rows
        pass


def petition_has_signed(*, petition: Petition, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Signature.objects.filter(petition=petition, user=user).exists()


def petition_signers(*, petition: Petition) -> QuerySet[WithAnnotations[Signature, _SignedAt]]:
    """The public list of signers: a name and `signed_at`, the signing time truncated to
    the minute. The stored time (and the ledger's) is exact; publishing it to the
    microsecond beside the name would join each name to its pseudonym in the ledger."""
    return (
        Signature.objects.filter(petition=petition)
        .order_by("-created_at", "-id")
        .only("signer_name")
        .annotate(signed_at=TruncMinute("created_at"))
    )


def signer_display_name(name: str, *, hromada: Hromada) -> str:
    """Names as the statute says: in full, or first name and the surname's initial."""
    if petition_settings(hromada=hromada).signer_names == SignerNames.INITIALS:
        parts = name.split()
        if len(parts) >= 2:
            return f"{parts[0]} {parts[-1][:1]}."
    return name


def petition_days_left(petition: Petition) -> int | None:
    if petition.status != Status.COLLECTING or not petition.collection_ends_at:
        return None
    remaining = petition.collection_ends_at - timezone.now()
    return max(0, remaining.days + (1 if remaining.seconds else 0))


def category_list(*, hromada: Hromada) -> QuerySet[Category]:
    return Category.objects.filter(hromada=hromada).order_by("name")


def category_get(*, hromada: Hromada, slug_or_id) -> Category | None:
    qs = Category.objects.filter(hromada=hromada)
    if str(slug_or_id).isdigit():
        return qs.filter(pk=int(slug_or_id)).first()
    return qs.filter(slug=slug_or_id).first()


# --- staff ---------------------------------------------------------------------------------------


def moderation_queue(*, hromada: Hromada) -> QuerySet[Petition]:
    return (
        Petition.objects.filter(hromada=hromada, status=Status.MODERATION)
        .select_related("category")
        .prefetch_related("attachments")
        .order_by("moderation_due", "submitted_at")
    )


def consideration_queue(*, hromada: Hromada) -> QuerySet[Petition]:
    return (
        Petition.objects.filter(hromada=hromada, status=Status.CONSIDERATION)
        .select_related("category")
        .order_by("consideration_due", "threshold_reached_at")
    )


def is_overdue(petition: Petition, *, today=None) -> bool:
    today = today or timezone.localdate()
    if petition.status == Status.MODERATION:
        return petition.moderation_due < today
    if petition.status == Status.CONSIDERATION and petition.deadline:
        return petition.deadline < today
    return False


def petition_stats(*, hromada: Hromada) -> dict:
    """The staff statistics page's figures. Drafts are left out: they are their authors'
    private work, not yet submitted. Withdrawn petitions stay (staff only): they were
    submitted and took moderators' time, and are counted by their own status."""
    by_status = dict(
        Petition.objects.filter(hromada=hromada)
        .exclude(status=Status.DRAFT)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    signatures = Signature.objects.filter(hromada=hromada)
    total_signatures = signatures.count()
    unique_signers = signatures.values("person_key").distinct().count()
    population = hromada.population or 0
    answered = Petition.objects.filter(hromada=hromada, status=Status.ANSWERED).select_related("answer")
    on_time = sum(
        1
        for p in answered
        if hasattr(p, "answer")
        and timezone.localdate(p.answer.published_at)
        <= (p.deadline or timezone.localdate(p.answer.published_at))
    )
    return {
        "by_status": [
            (value, label, by_status.get(value, 0))
            for value, label in Status.choices
            if value != Status.DRAFT
        ],
        "total_petitions": sum(by_status.values()),
        "total_signatures": total_signatures,
        "unique_signers": unique_signers,
        "population": population,
        "unique_signers_pct": round(100 * unique_signers / population, 2) if population else None,
        "answered": len(answered),
        "answered_on_time": on_time,
        "overdue_moderation": Petition.objects.filter(
            hromada=hromada, status=Status.MODERATION, moderation_due__lt=timezone.localdate()
        ).count(),
        "overdue_consideration": sum(1 for p in consideration_queue(hromada=hromada) if is_overdue(p)),
    }


def petition_home_summary(*, hromada: Hromada) -> dict:
    public = Petition.objects.filter(hromada=hromada, status__in=rules.PUBLIC_STATUSES)
    return {
        "collecting": public.filter(status=Status.COLLECTING)
        .select_related("category")
        .order_by("-published_at")[:6],
        "recent_answers": public.filter(status=Status.ANSWERED)
        .select_related("answer")
        .order_by("-closed_at")[:3],
        "rules": petition_settings(hromada=hromada),  # for "how it works"
        "counts": {
            "collecting": public.filter(status=Status.COLLECTING).count(),
            "consideration": public.filter(status=Status.CONSIDERATION).count(),
            "answered": public.filter(status=Status.ANSWERED).count(),
        },
    }


def petition_export_rows(*, hromada: Hromada):
    """Open data: every published petition with its counts; no personal data beyond
    the author's public name, which the petition page already shows."""
    qs = (
        Petition.objects.filter(hromada=hromada, status__in=rules.PUBLIC_STATUSES)
        .select_related("category", "answer")
        .annotate(live_signatures=Count("signatures"))
        .order_by("number")
    )
    for p in qs.iterator(chunk_size=500):
        answer = getattr(p, "answer", None) if p.status == Status.ANSWERED else None
        yield {
            "id": str(p.public_id),
            "number": p.number,
            "title": p.title,
            "category": p.category.name,
            "status": p.status,
            "author": p.author_name,
            "published_at": p.published_at.isoformat() if p.published_at else None,
            "collection_ends_at": p.collection_ends_at.isoformat() if p.collection_ends_at else None,
            "threshold": p.threshold,
            "signatures": p.live_signatures,
            "threshold_reached_at": p.threshold_reached_at.isoformat() if p.threshold_reached_at else None,
            "consideration_due": p.deadline.isoformat() if p.deadline else None,
            "decision": answer.decision if answer else None,
            "answered_at": answer.published_at.isoformat() if answer else None,
        }


def petitions_for_feed(*, hromada: Hromada, limit: int = 50) -> QuerySet[Petition]:
    return (
        Petition.objects.filter(hromada=hromada, status__in=rules.PUBLIC_STATUSES)
        .filter(Q(published_at__isnull=False))
        .order_by("-updated_at")[:limit]
    )


def petitions_by_author(*, hromada: Hromada, author) -> QuerySet[Petition]:
    return (
        Petition.objects.filter(hromada=hromada, author=author)
        .select_related("category")
        .order_by("-submitted_at")
    )


def personal_data(*, user) -> dict:
    """The person's petitions and signatures in every hromada of the install (users are
    install-wide, ADR 0001), for the account's data export."""
    return {
        "petitions": [
            {
                "hromada": p.hromada.slug,
                "number": p.number,
                "id": str(p.public_id),
                "title": p.title,
                "status": p.status,
                "submitted_at": p.submitted_at.isoformat() if p.submitted_at else None,
                "author_name": p.author_name,
                "text": p.text if p.status in (Status.DRAFT, Status.WITHDRAWN) else None,
            }
            for p in Petition.objects.filter(author=user).select_related("hromada").order_by("created_at")
        ],
        "coauthorships": [
            {
                "hromada": c.petition.hromada.slug,
                "petition": str(c.petition.public_id),
                "petition_title": c.petition.title,
                "name_published": c.name,
                "invited_at": c.created_at.isoformat(),
                "accepted_at": c.accepted_at.isoformat() if c.accepted_at else None,
            }
            for c in CoAuthor.objects.filter(user=user).select_related("petition__hromada").order_by("id")
        ],
        "signatures": [
            {
                "hromada": s.petition.hromada.slug,
                "petition_number": s.petition.number,
                "petition": str(s.petition.public_id),
                "petition_title": s.petition.title,
                "signed_at": s.created_at.isoformat(),
                "name_published": s.signer_name,
            }
            for s in Signature.objects.filter(user=user)
            .select_related("petition__hromada")
            .order_by("created_at")
        ],
        "follows": _follows_of(user),
    }


def _follows_of(user) -> list[dict]:
    from .models import Follow

    return [
        {
            "hromada": f.petition.hromada.slug,
            "petition_number": f.petition.number,
            "petition": str(f.petition.public_id),
            "followed_at": f.created_at.isoformat(),
        }
        for f in Follow.objects.filter(user=user).select_related("petition__hromada").order_by("created_at")
    ]


# --- public pages ----------------------------------------------------------------------------------


def petition_audience(petition: Petition):
    """Everyone told of a petition's events: its author and co-authors, its signers and followers
    (a queryset of users). Notifications of a threshold, an answer, an extension and a
    follow-up go to this set."""
    from django.contrib.auth import get_user_model

    from .models import Follow

    users = get_user_model().objects
    signer_ids = Signature.objects.filter(petition=petition).values("user_id")
    follower_ids = Follow.objects.filter(petition=petition).values("user_id")
    coauthor_ids = CoAuthor.objects.filter(petition=petition, accepted_at__isnull=False).values("user_id")
    return users.filter(
        Q(pk=petition.author_id) | Q(pk__in=signer_ids) | Q(pk__in=follower_ids) | Q(pk__in=coauthor_ids)
    )


def petition_authors(petition: Petition):
    """The petition's author and the co-authors who accepted (a queryset of users): told
    of what concerns the authors — the moderator's decision, the end of collection — in
    the author's words."""
    from django.contrib.auth import get_user_model

    coauthor_ids = CoAuthor.objects.filter(petition=petition, accepted_at__isnull=False).values("user_id")
    return get_user_model().objects.filter(Q(pk=petition.author_id) | Q(pk__in=coauthor_ids))


def petition_is_followed(*, petition: Petition, user) -> bool:
    from .models import Follow

    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(petition=petition, user=user).exists()


def petition_follower_count(petition: Petition) -> int:
    from .models import Follow

    return Follow.objects.filter(petition=petition).count()


def petition_own_signature(*, petition: Petition, user) -> Signature | None:
    """The viewer's own signature of this petition (for their receipt), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Signature.objects.filter(petition=petition, user=user).only("person_key", "created_at").first()


def petition_sign_refusal(*, petition: Petition, user):
    """Why `user` may not sign `petition` now (a DomainError), or None: the same
    refusal the sign service would give, shown before anyone presses a button."""
    refusal, _identity = rules.sign_refusal(user, petition)
    return refusal


def petition_attachments(*, petition: Petition) -> list:
    """The petition's files, images first (shown as thumbnails), then documents."""
    items = list(petition.attachments.all())
    return sorted(items, key=lambda a: (not a.content_type.startswith("image/"), a.pk))


def petition_attachment(*, petition: Petition, attachment_id: int):
    return petition.attachments.filter(pk=attachment_id).first()


def petition_collection_days_left(petition: Petition) -> int | None:
    """Whole days left to sign (after the threshold too, when the rules allow it); None
    when the petition takes no signatures."""
    if not rules.signing_open(petition) or not petition.collection_ends_at:
        return None
    remaining = petition.collection_ends_at - timezone.now()
    return max(0, remaining.days + (1 if remaining.seconds else 0))


def petition_eligibility(*, user, hromada: Hromada) -> list[str]:
    """What `user` may now do with petitions here, or why not yet, under the hromada's
    current rules (module.py `eligibility`, shown by the kernel after a verification)."""
    from django.utils.translation import gettext as _t

    statute = petition_settings(hromada=hromada)
    refusal, _identity = rules.signer_refusal(
        user,
        hromada=hromada,
        sign_level=statute.sign_level,
        min_age=statute.min_age,
        today=timezone.localdate(),
    )
    sentences = []
    may_submit = rules.can_submit(user, hromada)
    if refusal is None and may_submit:
        sentences.append(_t("Тепер ви можете подавати й підписувати петиції."))
    elif refusal is None:
        sentences.append(_t("Тепер ви можете підписувати петиції."))
    else:
        if may_submit:
            sentences.append(_t("Тепер ви можете подавати петиції."))
        sentences.append(str(refusal.message))
    return sentences


def petition_how_it_works(*, hromada: Hromada) -> dict:
    """The hromada's own rules for the "how it works" block: its statute's settings and
    the reasons a moderator may refuse a petition."""
    from .models import RejectionReason

    return {"rules": petition_settings(hromada=hromada), "rejection_reasons": RejectionReason.choices}


def petition_by_number(*, hromada: Hromada, number: int) -> Petition | None:
    """A public petition by its number (the short address on posters)."""
    return Petition.objects.filter(hromada=hromada, number=number, status__in=rules.PUBLIC_STATUSES).first()


def signatures_of(*, hromada: Hromada, user) -> QuerySet[Signature]:
    """The person's signatures in this hromada, newest first, with their petitions."""
    return (
        Signature.objects.filter(hromada=hromada, user=user)
        .select_related("petition", "petition__category")
        .order_by("-created_at", "-id")
    )


def follows_of(*, hromada: Hromada, user):
    from .models import Follow

    return (
        Follow.objects.filter(hromada=hromada, user=user)
        .select_related("petition", "petition__category")
        .order_by("-created_at", "-id")
    )


# --- authoring ---

SIMILAR_LIMIT = 5
SIMILAR_MIN_CHARS = 5
SIMILAR_CANDIDATES = 200
# Words that say nothing about what a petition asks for.
_SIMILAR_STOP = frozenset(
    fold(w)
    for w in (
        "щодо прошу просимо просити вимагаємо петиція петицію петиції звернення громади громаді "
        "громада міста місті місто селі села село вулиці вулиця вулицю біля після через також "
        "який яка яке які якої якого цього цієї цей ця для від при про над під між"
    ).split()
)


def _similar_stems(title: str) -> list[str]:
    """The title's words, cut to a stem so inflected forms match ("дороги", "дорогу" →
    "доро"): Ukrainian inflects at the end of a word, and PostgreSQL has no Ukrainian
    stemmer either."""
    stems: list[str] = []
    for word in fold(title[:MAX_SIMILAR_QUERY]).replace("-", " ").split():
        word = "".join(ch for ch in word if ch.isalnum())
        if len(word) < 4 or word in _SIMILAR_STOP or word.isdigit():
            continue
        stem = word[: max(4, min(len(word) - 2, 7))]
        if stem not in stems:
            stems.append(stem)
    return stems[:8]


MAX_SIMILAR_QUERY = 200


def similar_petitions(*, hromada: Hromada, title: str, limit: int = SIMILAR_LIMIT) -> list[Petition]:
    """Published petitions still open to support (collecting) or already answered whose
    titles share words with `title`, best match first: shown while a person types a new
    petition's title, so they can sign one instead of writing it again.

    The same folded column as the list's search (core.search.fold, both databases), any
    word instead of every word, then ranked by how many of the title's words each title
    has (a long title needs two in common)."""
    stems = _similar_stems(title or "")
    if not stems:
        return []
    condition = Q()
    for stem in stems:
        condition |= Q(search_text__contains=stem)
    candidates = (
        Petition.objects.filter(hromada=hromada, status__in=(Status.COLLECTING, Status.ANSWERED))
        .filter(condition)
        .select_related("category")
        .order_by("-published_at")[:SIMILAR_CANDIDATES]
    )
    needed = 1 if len(stems) < 3 else 2
    scored = []
    for petition in candidates:
        folded = fold(petition.title)
        score = sum(1 for stem in stems if stem in folded)
        if score >= needed:
            scored.append((score, petition.status == Status.COLLECTING, petition.signature_count, petition))
    scored.sort(key=lambda row: row[:3], reverse=True)
    return [row[3] for row in scored[:limit]]


def petition_coauthors(petition: Petition) -> QuerySet[CoAuthor]:
    """The co-authors who accepted, in the order they joined: shown on the petition page."""
    return CoAuthor.objects.filter(petition=petition, accepted_at__isnull=False).order_by("accepted_at", "id")


def petition_invitations(petition: Petition) -> QuerySet[CoAuthor]:
    """Every invitation of the petition, accepted or not, for its author."""
    return CoAuthor.objects.filter(petition=petition).select_related("user").order_by("id")


def coauthor_invitation_get(*, hromada: Hromada, token: str) -> CoAuthor:
    invitation = (
        CoAuthor.objects.filter(hromada=hromada, token=str(token)[:64])
        .select_related("petition__hromada", "petition__category")
        .first()
    )
    if invitation is None:
        raise NotFound("invitation_not_found", _("Запрошення не знайдено або його скасовано."))
    return invitation


def coauthor_pending_for(*, hromada: Hromada, user) -> QuerySet[CoAuthor]:
    """Invitations sent to the person's account that they have not answered."""
    if user is None or not user.is_authenticated:
        return CoAuthor.objects.none()
    return (
        CoAuthor.objects.filter(hromada=hromada, user=user, accepted_at__isnull=True)
        .select_related("petition")
        .order_by("-id")
    )


def petitions_of_person(*, hromada: Hromada, user) -> QuerySet[Petition]:
    """The person's petitions: those they wrote and those they co-author, newest first."""
    return (
        Petition.objects.filter(hromada=hromada)
        .filter(Q(author=user) | Q(coauthors__user=user, coauthors__accepted_at__isnull=False))
        .distinct()
        .select_related("category")
        .order_by("-updated_at", "-id")
    )
