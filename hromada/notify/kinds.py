"""The kinds of notification, each with the label residents see on the preferences page.

An app that sends a new kind adds it here; `notify_send` refuses kinds it does not know.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    # Residents (petition authors and signers).
    "petition_moderated": _("Рішення модератора щодо моєї петиції (опубліковано чи відхилено)"),
    "petition_threshold": _("Петиція набрала необхідну кількість підписів"),
    "petition_answered": _("Опубліковано відповідь на петицію, яку я подав(-ла) чи підписав(-ла)"),
    "petition_closed": _("Збір підписів під моєю петицією завершено без потрібної кількості"),
    "deadline_extended": _("Продовжено строк розгляду петиції, яку я подав(-ла) чи підписав(-ла)"),
    # Staff.
    "moderation_overdue": _("Прострочено модерацію петиції"),
    "consideration_overdue": _("Прострочено розгляд петиції"),
}

# Shown on the preferences page only to people who hold a staff role somewhere.
STAFF_KINDS = frozenset({"moderation_overdue", "consideration_overdue"})


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
