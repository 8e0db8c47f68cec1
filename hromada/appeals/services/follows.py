"""Subscriptions: follow one report ("tell me when it changes"), or every new report in
an okrug or district, optionally of one category ("new reports in my district",
FixMyStreet's local alerts).

A subscription is a person's own choice and not a public act: no ledger entry (the
ledger is public and would say who follows what). The moderation part calls
`area_subscribers_notify(case)` once, when a report is first SHOWN."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError, NotFound
from hromada.core.i18n import lazy_format
from hromada.notify.services import notify_send

from ..models import Case, CaseKind, CaseStatus, Category, Moderation, Subscription
from .cases import case_url

SUBSCRIPTIONS_MAX = 50  # area subscriptions per person and hromada


def _require_login(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise DomainError("login_required", _("Увійдіть, щоб стежити за повідомленнями."), status=401)


def _followable(case: Case, user) -> None:
    public = (
        case.kind == CaseKind.REPORT
        and case.moderation == Moderation.SHOWN
        and case.status != CaseStatus.DRAFT
    )
    if not (public or case.applicant_id == user.pk):
        raise NotFound("case_not_found", _("Такого повідомлення немає."))


def case_follow(case: Case, user) -> Subscription:
    """Follow a public report (idempotent: following twice is one subscription)."""
    _require_login(user)
    _followable(case, user)
    existing = Subscription.objects.for_hromada(case.hromada).filter(user=user, case=case).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(hromada_id=case.hromada_id, user=user, case=case)
    except IntegrityError:  # a second click at the same moment
        return Subscription.objects.for_hromada(case.hromada).get(user=user, case=case)


def case_unfollow(case: Case, user) -> bool:
    """Stop following a report. One who joined it ("me too") also withdraws that
    support: the supporters' count is the number of joined subscriptions."""
    _require_login(user)
    with transaction.atomic():
        row = (
            Subscription.objects.for_hromada(case.hromada)
            .select_for_update()
            .filter(user=user, case=case)
            .first()
        )
        if row is None:
            return False
        if row.joined:
            Case.objects.filter(pk=case.pk, supporters__gt=0).update(supporters=F("supporters") - 1)
        row.delete()
    return True


def area_subscribe(*, hromada, user, area=None, category: Category | None = None) -> Subscription:
    """New reports in `area` (an okrug or district of `hromada`), of `category` when
    given; a category alone means that category anywhere in the hromada."""
    from hromada.places import selectors as places

    _require_login(user)
    if area is None and category is None:
        raise DomainError("area_required", _("Оберіть округ чи район, або категорію."), field="area")
    if area is not None and not places.is_routing_area(area, hromada=hromada):
        raise DomainError("area_invalid", _("Такого округу чи району в громаді немає."), field="area")
    if category is not None and not (category.hromada_id == hromada.pk and category.kind == CaseKind.REPORT):
        raise DomainError("category_invalid", _("Такої категорії повідомлень немає."), field="category")
    rows = Subscription.objects.for_hromada(hromada).filter(user=user, case__isnull=True)
    existing = rows.filter(area=area, category=category).first()
    if existing is not None:
        return existing
    if rows.count() >= SUBSCRIPTIONS_MAX:
        raise DomainError(
            "too_many_subscriptions",
            _("Не більше %(n)s підписок на райони й категорії: видаліть непотрібні.")
            % {"n": SUBSCRIPTIONS_MAX},
        )
    try:
        with transaction.atomic():
            return Subscription.objects.create(hromada=hromada, user=user, area=area, category=category)
    except IntegrityError:
        return rows.get(area=area, category=category)


def subscription_delete(*, hromada, user, public_id) -> None:
    """Remove one of the person's own subscriptions (by its id)."""
    _require_login(user)
    row = Subscription.objects.for_hromada(hromada).filter(user=user, pk=public_id).first()
    if row is None:
        raise NotFound("subscription_not_found", _("Такої підписки немає."))
    if row.case_id is not None:
        case_unfollow(row.case, user)
    else:
        row.delete()


def area_subscribers(case: Case):
    """Who wants to hear of `case`: area subscriptions matching its area (or none) and
    its category (or none); never the reporter themselves."""
    rows = Subscription.objects.for_hromada(case.hromada).filter(case__isnull=True)
    area_match = Q(area__isnull=True)
    if case.area_id:
        area_match |= Q(area_id=case.area_id)
    category_match = Q(category__isnull=True)
    if case.category_id:
        category_match |= Q(category_id=case.category_id)
    rows = rows.filter(area_match, category_match)
    # A subscription with neither would be everything: the model forbids it; a
    # category-only one is that category anywhere.
    rows = rows.exclude(area__isnull=True, category__isnull=True)
    if case.applicant_id:
        rows = rows.exclude(user_id=case.applicant_id)
    return rows.values_list("user_id", flat=True).distinct()


def area_subscribers_notify(case: Case) -> int:
    """Tell the area's subscribers of a report just shown by moderation (notification
    kind `appeals.area_report`). Call it once, when the report first becomes SHOWN;
    it does nothing for a report that is not public. Returns the notifications made."""
    if case.kind != CaseKind.REPORT or case.moderation != Moderation.SHOWN or case.status == CaseStatus.DRAFT:
        return 0
    users = sorted(set(area_subscribers(case)))
    if not users:
        return 0
    category = case.category.name if case.category_id and case.category else ""
    where = case.area.name if case.area_id and case.area else ""
    return notify_send(
        hromada=case.hromada,
        users=users,
        kind="appeals.area_report",
        title=lazy_format(gettext_lazy("Нове повідомлення №%(n)s: %(c)s"), n=case.number, c=category),
        body=where,
        url=case_url(case),
    )
