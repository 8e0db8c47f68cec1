"""Helpers shared by the staff parts' services (review, implementation, notices)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from hromada.accounts.models import StaffRole
from hromada.core.text import check_text


def clean_text(value: str | None, *, field: str, multiline: bool = True) -> str:
    """Text a person wrote, checked by the platform's one validator (the edge checks
    HTTP input; services are called from elsewhere too)."""
    return check_text((value or "").replace("\r\n", "\n").strip(), field=field, multiline=multiline)


def url_or_blank(name: str, **kwargs) -> str:
    """A URL of another part's page; "" while that part is not on this branch."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def project_url(project) -> str:
    return url_or_blank("budget:project", public_id=project.public_id)


def department_staff(hromada, department) -> list:
    """The active staff of one department of the hromada."""
    ids = StaffRole.objects.filter(hromada=hromada, department=department).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def in_department(user, hromada, department) -> bool:
    return StaffRole.objects.filter(hromada=hromada, department=department, user=user).exists()
