"""Names of ledger events for people. The kind itself stays free-form ('area.event');
a kind not listed here is shown as it is written."""

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "petition.published": _("Петицію опубліковано"),
    "petition.rejected": _("Петицію відхилено"),
    "petition.signed": _("Петицію підписано"),
    "petition.threshold_reached": _("Петиція набрала потрібну кількість підписів"),
    "petition.answered": _("Опубліковано відповідь на петицію"),
    "petition.closed_unsuccessful": _("Петиція не набрала потрібної кількості підписів"),
    "petition.deadline_extended": _("Строк розгляду петиції продовжено"),
    "staff.role_granted": _("Працівникові надано роль"),
    "staff.role_revoked": _("У працівника відкликано роль"),
    "hromada.statute_changed": _("Змінено налаштування статуту громади"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
