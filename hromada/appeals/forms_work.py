"""Forms of the staff's case actions. They parse; services/work.py decides (every rule
and its Ukrainian message lives there). Each form has its own prefix on the case page,
so several can stand on one page with distinct field ids."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.text import validate_line, validate_text

from .models import REASON_MAX, TEXT_MAX
from .services.work import ATTACHMENTS_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the service checks each by content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _files(label=None):
    return MultipleFileField(
        label=label or _("Файли"),
        help_text=_("До %(n)d файлів: JPEG, PNG, WebP або PDF, кожен до 10 МБ.") % {"n": ATTACHMENTS_MAX},
    )


def _text(label, *, required_message, help_text="", rows=5, max_length=TEXT_MAX):
    return forms.CharField(
        label=label,
        max_length=max_length,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
        help_text=help_text,
    )


class AssignForm(forms.Form):
    department = forms.ChoiceField(label=_("Підрозділ"), required=False)
    assignee = forms.ChoiceField(label=_("Виконавець"), required=False)

    def __init__(self, *args, departments=(), people=(), can_move=False, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if can_move:
            cast(forms.ChoiceField, self.fields["department"]).choices = [
                (str(d.public_id), d.name) for d in departments
            ]
        else:
            del self.fields["department"]
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("— без виконавця —"))] + [
            (str(u.pk), u.display_name or u.email) for u in people
        ]
        self.fields["assignee"].help_text = _(
            "Виконавцем може бути працівник підрозділу. Після зміни підрозділу оберіть виконавця з нового."
        )


class NoteForm(forms.Form):
    text = _text(_("Текст"), required_message=_("Напишіть текст."))
    files = _files()


class AnswerForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Шаблон відповіді"),
        required=False,
        help_text=_("Оберіть шаблон і натисніть «Вставити шаблон»: його текст додасться до відповіді."),
    )
    text = _text(
        _("Відповідь"),
        required_message=_("Напишіть відповідь."),
        help_text=_(
            "Її отримає заявник; для повідомлення про проблему вона буде на карті й на сторінці повідомлення."
        ),
        rows=8,
    )
    files = _files(_("Документи до відповіді"))

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— без шаблону —"))] + [
            (str(t.pk), f"{t.title} ({t.department.name})" if t.department_id else t.title) for t in templates
        ]
        cast(forms.ChoiceField, self.fields["template"]).choices = choices
        if not templates:
            del self.fields["template"]


class ReasonForm(forms.Form):
    reason = _text(
        _("Причина"),
        required_message=_("Вкажіть причину: її побачить заявник."),
        rows=3,
        max_length=REASON_MAX,
    )

    def __init__(self, *args, help_text="", required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["reason"].help_text = help_text
        self.fields["reason"].required = required


class ForwardForm(forms.Form):
    to = forms.CharField(
        label=_("Кому пересилаємо (орган, до повноважень якого належить питання)"),
        max_length=200,
        validators=[validate_line],
        error_messages={"required": _("Вкажіть, кому пересилаєте.")},
    )
    reason = _text(
        _("Чому не належить до повноважень ради"),
        required_message=_("Вкажіть, чому звернення не належить до повноважень ради."),
        rows=3,
        max_length=REASON_MAX,
    )


class ExtendForm(forms.Form):
    until = forms.DateField(
        label=_("Новий строк (останній день)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Вкажіть дату у форматі рррр-мм-дд.")},
    )
    reason = _text(
        _("Причина продовження"),
        required_message=_("Вкажіть причину продовження: її отримає заявник."),
        rows=3,
        max_length=REASON_MAX,
    )

    def __init__(self, *args, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if latest is not None:
            self.fields["until"].help_text = _(
                "Найпізніше — %(d)s (за законом). Порожнє — найдовший дозволений строк."
            ) % {"d": latest.strftime("%d.%m.%Y")}
        else:
            self.fields["until"].required = True
            self.fields["until"].error_messages["required"] = _("Вкажіть новий строк.")


class MergeForm(forms.Form):
    original = forms.UUIDField(
        label=_("Оригінал (з ним об'єднати)"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Оберіть звернення, дублікатом якого є це."),
            "invalid": _("Оберіть звернення зі списку."),
        },
    )
