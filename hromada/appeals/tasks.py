"""Background work of appeals: e-mail to applicants without an account, and the
periodic tick (reminders before a deadline, escalation to the department's head,
overdue marking: owned by the work part)."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("hromada.appeals")


@task()
def applicant_email(case_id: int, subject: str, body: str, url: str) -> bool:
    """E-mail an applicant who has no account (a hotline caller, a paper appeal) at the
    address they gave."""
    from django.core.mail import EmailMessage

    from hromada.notify.services import absolute_url

    from .models import Case

    case = Case.objects.select_related("hromada").filter(pk=case_id).first()
    if case is None or not case.applicant_email:
        return False
    text = f"{body}\n\n{absolute_url(case.hromada, url)}".strip()
    EmailMessage(subject=subject, body=text, to=[case.applicant_email]).send()
    return True


def appeals_tick() -> dict:
    """Periodic job (hromada.core.schedule)."""
    from .services.reminders import reminders_tick

    return reminders_tick()
