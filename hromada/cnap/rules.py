"""Who may do what in the service centre (permissions are declared in module.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import PermissionDenied

MANAGE = "cnap.manage"
SERVE = "cnap.serve"


def can_manage(user, hromada) -> bool:
    """Keep the catalogue, offices, windows and hours."""
    return bool(user and user.is_authenticated and has_perm(user, hromada, MANAGE))


def require_manage(user, hromada) -> None:
    if not can_manage(user, hromada):
        raise PermissionDenied(
            "cnap_forbidden",
            _("Змінювати каталог послуг, офіси й графіки ЦНАП може лише його адміністратор."),
        )
