"""Forms of proposals and the draft act's text. They parse; the services decide (every
rule and its Ukrainian message lives there)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.text import validate_line, validate_text

from .models import REASON_MAX, TEXT_MAX, TITLE_MAX, ProposalStatus
from .services.paragraphs import NUMBER_MAX, PASTE_MAX


class ProposalForm(forms.Form):
    paragraph = forms.ChoiceField(
        label=_("До якого пункту"),
        required=False,
        help_text=_("Оберіть пункт проєкту, редакцію якого ви пропонуєте, або «До проєкту загалом»."),
    )
    title = forms.CharField(
        label=_("Суть пропозиції"),
        error_messages={"required": _("Коротко напишіть суть пропозиції.")},
        max_length=TITLE_MAX,
        validators=[validate_line],
        help_text=_("Одним реченням: що змінити."),
    )
    wording = forms.CharField(
        label=_("Запропонована редакція"),
        required=False,
        max_length=TEXT_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Як, на вашу думку, має звучати пункт. Для пропозиції до пункту — обов'язково."),
    )
    body = forms.CharField(
        label=_("Обґрунтування"),
        required=False,
        max_length=TEXT_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Чому так краще (необов'язково)."),
    )

    def __init__(self, *args, paragraphs=(), with_wording: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("До проєкту загалом")))]
        choices += [(str(p.public_id), f"{p.number}. {p.text[:80]}") for p in paragraphs if not p.heading]
        cast(forms.ChoiceField, self.fields["paragraph"]).choices = choices
        if not paragraphs:
            del self.fields["paragraph"]
        if not with_wording:
            del self.fields["wording"]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Рішення"),
        error_messages={"required": _("Оберіть рішення: враховано, враховано частково чи відхилено.")},
        widget=forms.RadioSelect,
        choices=[
            (ProposalStatus.ACCEPTED, _("Враховано")),
            (ProposalStatus.PARTLY, _("Враховано частково")),
            (ProposalStatus.REJECTED, _("Відхилено")),
        ],
    )
    reason = forms.CharField(
        label=_("Обґрунтування рішення"),
        error_messages={"required": _("Напишіть обґрунтування рішення: воно буде у звіті про результати.")},
        max_length=REASON_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Буде показано під пропозицією і у звіті про результати."),
    )


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Текст проєкту акта"),
        error_messages={"required": _("Вставте текст проєкту акта.")},
        max_length=PASTE_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Вставте весь текст. Кожен рядок, що починається з номера («1.», «1.1.», «2.3.1»), "
            "з «Розділ I», «Глава 2», «Стаття 5» чи «II.», — новий пункт; інші рядки продовжують попередній. "
            "Увесь наявний текст буде замінено."
        ),
    )


class ParagraphForm(forms.Form):
    number = forms.CharField(
        label=_("Номер"),
        max_length=NUMBER_MAX,
        validators=[validate_line],
        error_messages={"required": _("Вкажіть номер пункту, наприклад 1.2.")},
    )
    heading = forms.BooleanField(label=_("Заголовок розділу"), required=False)
    text = forms.CharField(
        label=_("Текст"),
        max_length=TEXT_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        error_messages={"required": _("Напишіть причину.")},
        max_length=REASON_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Її побачить автор пропозиції."),
    )
