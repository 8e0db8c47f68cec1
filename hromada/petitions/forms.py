from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, TITLE_MAX, Decision, RejectionReason


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PetitionForm(forms.Form):
    title = forms.CharField(
        label=_("Назва петиції"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Коротко і зрозуміло: чого ви просите (10–200 символів)."),
    )
    text = forms.CharField(
        label=_("Текст петиції"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Суть звернення та обґрунтування (до 10 000 символів)."),
    )
    category = forms.ChoiceField(label=_("Категорія"), required=False)
    # The form metaclass moves declared fields into base_fields, so this does not replace
    # BaseForm.files (the uploads) at run time; the stubs see only the class attribute.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Додатки"),
        required=False,
        help_text=_("До 5 файлів: зображення JPEG, PNG, WebP або PDF, кожен до 5 МБ."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— оберіть —"))] + [
            (c.slug, c.name) for c in categories
        ]
        # Length limits are checked by the service so the message is the same on every channel.
        for name in ("title", "text"):
            field = cast(forms.CharField, self.fields[name])
            field.max_length = None
            field.validators = []


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Причина відхилення"), choices=RejectionReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Коментар для автора"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Рішення"), choices=Decision.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Текст відповіді"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    document = forms.FileField(
        label=_("Документ (PDF, до 10 МБ)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Новий строк"), widget=forms.DateInput(attrs={"type": "date"}))
    notice = forms.CharField(
        label=_("Повідомлення авторові та підписантам"), widget=forms.Textarea(attrs={"rows": 4})
    )
