"""Private helpers shared by the petition services."""

from __future__ import annotations

from django.urls import reverse

from hromada.accounts.models import StaffRole
from hromada.core.errors import PermissionDenied
from hromada.core.text import check_text
from hromada.tenancy.models import Hromada

from ..models import Petition


def _identity_of(user):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.identity
    except ObjectDoesNotExist:
        return None


def _url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"public_id": petition.public_id})


def _forbidden(message) -> PermissionDenied:
    return PermissionDenied("forbidden", message)


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().select_related("hromada").get(pk=petition.pk)


def _clean_text(value: str | None, *, field: str, multiline: bool = True) -> str:
    """Text a person wrote, checked by the platform's one validator (hromada.core.text)
    for code paths that do not come through HTTP, where the edge has checked it."""
    return check_text((value or "").replace("\r\n", "\n").strip(), field=field, multiline=multiline)


def _staff(hromada: Hromada, roles: list[str]):
    from django.contrib.auth import get_user_model

    user_ids = StaffRole.objects.filter(hromada=hromada, role__in=roles).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))


def _author_and_signers(petition: Petition):
    """Who is told of the petition's events: its author, signers and followers."""
    from ..selectors import petition_audience

    return petition_audience(petition)
