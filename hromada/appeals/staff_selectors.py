"""Staff-side reads: the figures on the staff home (the work part adds the queues)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.modules import StaffCounter

from . import rules
from .models import OPEN_STATUSES, Case


def staff_summary(*, hromada, user) -> list[StaffCounter]:
    """Open and overdue cases of the queues `user` works."""
    if not rules.is_staff_of(user, hromada):
        return []
    cases = Case.objects.for_hromada(hromada).filter(status__in=OPEN_STATUSES)
    if not rules.can_route(user, hromada):
        cases = cases.filter(department_id__in=rules.department_ids_of(user, hromada))
    url = reverse("staff_appeals:queue")
    return [
        StaffCounter(_("Звернень у роботі"), cases.count(), url),
        StaffCounter(
            _("Прострочено звернень"), cases.filter(due_at__lt=timezone.now()).count(), url, overdue=True
        ),
    ]
