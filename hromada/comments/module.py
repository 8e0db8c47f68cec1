"""What the comments app gives the platform as a kernel part: threads any module attaches
to its things through `Module.comment_targets` (docs/comments.md)."""

from django.utils.translation import gettext_lazy as _

from hromada.core.modules import Module, Permission, StaffSection, register

register(
    Module(
        label="comments",
        name=_("Коментарі"),
        event_prefix="comments",
        kernel=True,
        staff_sections=(
            StaffSection(
                _("Модерація коментарів"),
                _("Коментарі зі скаргами, приховані й нові коментарі всіх розділів."),
                "staff_comments:queue",
                permission="comments.moderate",
                order=90,
            ),
        ),
        staff_summary="hromada.comments.selectors.staff_summary",
        permissions=(Permission("comments.moderate", _("Модерувати коментарі"), ("admin", "moderator")),),
        ledger_kinds={
            "comments.posted": _("Опубліковано коментар"),
            "comments.edited": _("Автор змінив коментар"),
            "comments.deleted": _("Автор видалив коментар"),
            "comments.hidden": _("Модератор приховав коментар"),
            "comments.restored": _("Модератор повернув коментар"),
            "comments.reports_dismissed": _("Модератор відхилив скарги на коментар"),
        },
        notification_kinds={
            "comments.reply": _("Відповідь на мій коментар"),
            "comments.new": _("Новий коментар до того, що я подав(-ла)"),
            "comments.reported": _("Скарга на коментар"),
            "comments.hidden": _("Мій коментар приховано модератором"),
        },
        staff_notification_kinds=frozenset({"comments.reported"}),
        personal_models=("comments.Comment", "comments.CommentReport"),
        personal_data_export="hromada.comments.privacy.personal_data",
        personal_data_erase="hromada.comments.privacy.personal_data_erase",
        # Erasure keeps the text of a public discussion (replies answer it) but takes the
        # person out of it: the author link goes, the name becomes "Колишній користувач";
        # the reports the person made are deleted (privacy.py).
        not_personal={},
    )
)
