"""What accounts gives the platform: staff-console sections, the kernel's own
permissions, staff events and the account's part of the personal-data export."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Job, Module, Permission, StaffSection, register

register(
    Module(
        label="accounts",
        name=_("Облікові записи"),
        event_prefix="staff",
        kernel=True,
        settings_model="accounts.AccountSettings",
        permissions=(
            Permission("accounts.manage_staff", _("Надавати й відкликати ролі працівників"), ("admin",)),
            Permission("accounts.verify_in_person", _("Підтверджувати особу в ЦНАП"), ("admin", "officer")),
        ),
        staff_sections=(
            StaffSection(
                _("Підрозділи"), _("Структурні підрозділи громади."), "staff:departments", order=800
            ),
            StaffSection(
                _("Ролі працівників"),
                _("Надати або відкликати ролі адміністратора, модератора, посадової особи."),
                "staff:roles",
                permission="accounts.manage_staff",
                order=810,
            ),
            StaffSection(
                _("Підтвердження особи в ЦНАП"),
                _("Підтвердити особу мешканця за оригіналом документа."),
                "staff:verify_in_person",
                permission="accounts.verify_in_person",
                order=820,
            ),
        ),
        ledger_kinds={
            "staff.role_granted": _("Працівникові надано роль"),
            "staff.role_revoked": _("У працівника відкликано роль"),
        },
        personal_models=("accounts.Identity", "accounts.StaffRole", "accounts.ApiToken"),
        # The development identity provider forgets abandoned grants within minutes.
        jobs=(Job("hromada.accounts.identity.dev_idp.dev_idp_purge", 60),),
        personal_data_export="hromada.accounts.selectors.account_personal_data",
        personal_data_erase="hromada.accounts.services.users.account_erase",
    )
)
