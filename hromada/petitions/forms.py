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
        label=_("Документ рішення"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The help names the types and size the service's rule allows, from that rule.
        from hromada.core.formats import filesize
        from hromada.core.uploads import allowed_types_text

        from .services.consideration import ANSWER_DOCUMENT_MAX_BYTES, ANSWER_DOCUMENT_TYPES

        self.fields["document"].help_text = _("Лише %(types)s, до %(size)s.") % {
            "types": allowed_types_text(ANSWER_DOCUMENT_TYPES),
            "size": filesize(ANSWER_DOCUMENT_MAX_BYTES),
        }


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Новий строк"), widget=forms.DateInput(attrs={"type": "date"}))
    notice = forms.CharField(
        label=_("Причина продовження (буде оприлюднена на сторінці петиції)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Що виправити (коментар для автора проєкту)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Виправлений текст відповіді"), widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(
        label=_("Що і чому виправлено (буде оприлюднено)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Внутрішня нотатка"),
        help_text=_("Бачать лише працівники громади; на сторінці петиції її немає."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    department = forms.ChoiceField(label=_("Підрозділ"), required=False)
    officer = forms.ChoiceField(label=_("Посадова особа"), required=False)

    def __init__(self, *args, departments=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("— не змінювати —"))] + [
            (str(d.public_id), d.name) for d in departments
        ]
        cast(forms.ChoiceField, self.fields["officer"]).choices = [("", _("— не призначати —"))] + list(
            officers
        )


class StepForm(forms.Form):
    title = forms.CharField(label=_("Крок, який обіцяно"), max_length=300)
    due_date = forms.DateField(label=_("Строк"), widget=forms.DateInput(attrs={"type": "date"}))


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Що зроблено"), widget=forms.Textarea(attrs={"rows": 4}))
    step = forms.ChoiceField(label=_("Крок"), required=False)
    done = forms.BooleanField(label=_("Крок виконано"), required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["step"]).choices = [("", _("— загальний звіт —"))] + [
            (str(s.pk), s.title) for s in steps
        ]


class CategoryRouteForm(forms.Form):
    department = forms.ChoiceField(label=_("Підрозділ"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("— не визначено —"))] + [
            (str(d.public_id), d.name) for d in departments
        ]
