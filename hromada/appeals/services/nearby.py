"""Similar open reports near a point, and joining one instead of filing a duplicate
("me too", FixMyStreet's "this has already been reported").

The look-up is a box over the (hromada, lat, lon) index, then the exact great-circle
distance here: a few dozen rows at most for a radius of a few hundred metres."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from .. import rules
from ..models import OPEN_STATUSES, Case, CaseKind, EventKind, Moderation, Subscription
from .cases import event_add, ledger_case, settings_of

EARTH_R = 6_371_008.8
_M_PER_DEG = math.pi * EARTH_R / 180
NEARBY_LIMIT = 5


@dataclass(frozen=True)
class Nearby:
    case: Case
    distance_m: int


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(h)))


def nearby_similar(
    *, hromada, category, lat: float | None, lon: float | None, radius_m: int | None = None, exclude=None
) -> list[Nearby]:
    """Open reports of `category` within the hromada's `nearby_m` metres of the point,
    nearest first (at most NEARBY_LIMIT). Hidden ones (moderated away) are left out."""
    if category is None or lat is None or lon is None:
        return []
    radius = float(radius_m or settings_of(hromada).nearby_m)
    dlat = radius / _M_PER_DEG
    dlon = radius / (_M_PER_DEG * max(math.cos(math.radians(lat)), 1e-6))
    rows = (
        Case.objects.for_hromada(hromada)
        .filter(
            kind=CaseKind.REPORT,
            category=category,
            status__in=OPEN_STATUSES,
            lat__gte=lat - dlat,
            lat__lte=lat + dlat,
            lon__gte=lon - dlon,
            lon__lte=lon + dlon,
        )
        .exclude(moderation=Moderation.HIDDEN)
        .select_related("category")
    )
    if exclude is not None and exclude.pk:
        rows = rows.exclude(pk=exclude.pk)
    found = []
    for case in rows[:500]:
        d = distance_m(lat, lon, case.lat, case.lon)
        if d <= radius:
            found.append(Nearby(case, round(d)))
    found.sort(key=lambda n: (n.distance_m, n.case.pk))
    return found[:NEARBY_LIMIT]


def case_join(*, case: Case, user) -> Subscription:
    """`user` joins an open report instead of filing the same one: they follow it
    (Subscription joined=True), it counts one more supporter, a public JOINED step."""
    if not getattr(user, "is_authenticated", False):
        raise DomainError("login_required", _("Увійдіть, щоб долучитися до повідомлення."), status=401)
    if case.kind != CaseKind.REPORT:
        raise DomainError("not_a_report", _("Долучитися можна лише до повідомлення про проблему."))
    if rules.is_applicant(user, case):
        raise DomainError("own_case", _("Це ваше власне повідомлення."), status=409)
    rules.require_open(case)
    already = DomainError("already_joined", _("Ви вже долучилися до цього повідомлення."), status=409)
    try:
        with transaction.atomic():
            subscription = (
                Subscription.objects.for_hromada(case.hromada)
                .select_for_update()
                .filter(user=user, case=case)
                .first()
            )
            if subscription is not None and subscription.joined:
                raise already
            if subscription is None:
                subscription = Subscription.objects.create(
                    hromada_id=case.hromada_id, user=user, case=case, joined=True
                )
            else:
                subscription.joined = True
                subscription.save(update_fields=["joined", "updated_at"])
            Case.objects.filter(pk=case.pk).update(supporters=F("supporters") + 1)
            case.refresh_from_db(fields=["supporters"])
            event_add(case=case, kind=EventKind.JOINED, actor=user, public=True)
            ledger_case(case, "appeals.case_joined", supporters=case.supporters)
    except IntegrityError:  # a concurrent join by the same person
        raise already from None
    return subscription
