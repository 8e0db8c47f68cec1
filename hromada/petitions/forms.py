from typing import cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.formats import filesize, number

from .models import ALT_TEXT_MAX, TEXT_MAX, TITLE_MAX, Decision, RejectionReason


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
    """A petition as its author writes it. Every rule is checked by the service
    (services.petition_check), which reports all problems at once; the help texts quote
    the same constants, so what the form promises is what the service enforces."""

    title = forms.CharField(label=_("Назва петиції"), required=False)
    text = forms.CharField(
        label=_("Текст петиції"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    category = forms.ChoiceField(label=_("Категорія"), required=False)

    def __init__(self, *args, categories=(), slots: int | None = None, existing=(), **kwargs):
        from .services import (
            ATTACHMENT_MAX_BYTES,
            MAX_ATTACHMENTS,
            TEXT_MIN,
            TITLE_MIN,
        )

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— оберіть —"))] + [
            (c.slug, c.name) for c in categories
        ]
        # Built per request: the numbers are written as the page's language writes them.
        self.fields["title"].help_text = _(
            "Коротко і зрозуміло: чого ви просите. Від %(min)s до %(max)s символів."
        ) % {"min": number(TITLE_MIN), "max": number(TITLE_MAX)}
        self.fields["text"].help_text = _(
            "Суть вимоги та її обґрунтування: що не так зараз, що саме потрібно зробити і чому. "
            "Від %(min)s до %(max)s символів."
        ) % {"min": number(TEXT_MIN), "max": number(TEXT_MAX)}
        # A live count of characters against the limits (static/js/petition-form.js); the
        # texts are the page's language, the numbers the service's constants.
        for name, low, high in (("title", TITLE_MIN, TITLE_MAX), ("text", TEXT_MIN, TEXT_MAX)):
            self.fields[name].widget.attrs.update(
                {
                    "data-count-min": str(low),
                    "data-count-max": str(high),
                    "data-count-short": str(_("Ще щонайменше {n} символів")),
                    "data-count-ok": str(_("{n} з {max} символів")),
                    "data-count-long": str(_("Забагато на {n} символів")),
                }
            )
        # As the title is typed, the similar petitions appear under it (views_authoring.similar).
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse("petitions:similar"),
                "hx-trigger": "keyup changed delay:400ms, change",
                "hx-target": "#similar",
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        )
        self.fields["category"].help_text = _(
            "Від категорії залежить, хто з посадовців розглядатиме петицію."
        )
        self.slots = MAX_ATTACHMENTS if slots is None else max(0, slots)
        self.attachment_help = _(
            "До %(n)d файлів: зображення JPEG, PNG, WebP або документ PDF, кожен до %(size)s."
        ) % {"n": MAX_ATTACHMENTS, "size": filesize(ATTACHMENT_MAX_BYTES)}
        self.existing_images = [a.pk for a in existing if a.is_image]
        for attachment in existing:
            if attachment.is_image:
                self.fields[f"alt_existing_{attachment.pk}"] = forms.CharField(
                    label=_("Опис зображення «%(name)s»") % {"name": attachment.original_name},
                    required=False,
                    initial=attachment.alt_text,
                )
        for i in range(1, self.slots + 1):
            self.fields[f"file_{i}"] = forms.FileField(
                label=_("Файл %(i)d") % {"i": i},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "data-attachment-file": ""}),
            )
            self.fields[f"alt_{i}"] = forms.CharField(
                label=_("Короткий опис зображення %(i)d") % {"i": i},
                required=False,
                help_text=_(
                    "Обов'язковий для зображення: що на ньому видно, до %(max)d символів "
                    "(наприклад, «Яма на дорозі біля будинку №5»). Цей опис прочитає вголос "
                    "програма екранного доступу людині, яка не бачить зображення."
                )
                % {"max": ALT_TEXT_MAX},
            )

    def existing_alt_fields(self) -> dict:
        """The description field of each image already attached, by attachment id."""
        return {pk: self[f"alt_existing_{pk}"] for pk in self.existing_images}

    def existing_alt_texts(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"alt_existing_{pk}") or "" for pk in self.existing_images}

    def slot_fields(self):
        """(file field, alt text field) per attachment slot, for the template."""
        return [(self[f"file_{i}"], self[f"alt_{i}"]) for i in range(1, self.slots + 1)]

    def main_fields(self):
        return [self["title"], self["text"], self["category"]]

    def uploads(self) -> list:
        """The files chosen, each with its description and slot (for errors by field)."""
        from .services import Upload

        return [
            Upload(
                file=self.cleaned_data[f"file_{i}"], alt_text=self.cleaned_data.get(f"alt_{i}") or "", slot=i
            )
            for i in range(1, self.slots + 1)
            if self.cleaned_data.get(f"file_{i}")
        ]

    def add_domain_errors(self, errors) -> None:
        """Put each of a service's errors on its field (or at the top of the form)."""
        for exc in errors:
            field = exc.field if exc.field in self.fields else None
            if field == "files":
                field = "file_1" if "file_1" in self.fields else None
            self.add_error(field, str(exc.message))


ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


class CoauthorInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Електронна пошта співавтора"),
        help_text=_("Адреса, з якою людина входить на сайт громади. Ми надішлемо їй запрошення."),
        max_length=254,
    )


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
