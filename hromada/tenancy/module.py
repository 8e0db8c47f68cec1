"""What tenancy gives the platform: the hromada's settings page and its events."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Module, Permission, StaffSection, register

register(
    Module(
        label="tenancy",
        name=_("Громада"),
        event_prefix="hromada",
        kernel=True,
        permissions=(
            Permission(
                "tenancy.change_settings", _("Змінювати налаштування громади та її модулів"), ("admin",)
            ),
        ),
        staff_sections=(
            StaffSection(
                _("Налаштування громади"),
                _(
                    "Населення, увімкнені модулі та правила кожного модуля (пороги, строки, рівні ідентифікації)."
                ),
                "staff_settings:index",
                permission="tenancy.change_settings",
                order=900,
            ),
        ),
        ledger_kinds={
            "hromada.created": _("Створено громаду на платформі"),
            "hromada.settings_changed": _("Змінено налаштування громади"),
            "hromada.module_switched": _("Увімкнено чи вимкнено модуль"),
            # Written before module settings existed; kept so old entries keep their name.
            "hromada.statute_changed": _("Змінено налаштування статуту громади"),
        },
    )
)
