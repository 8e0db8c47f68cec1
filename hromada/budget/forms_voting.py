"""Forms of the voting pages. They only parse; the services decide (their DomainErrors
are put on the fields with core.forms.apply_domain_error)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuthorisationReason, Channel
from .services.school_codes import BATCH_MAX


class ResidencyForm(forms.Form):
    address = forms.CharField(
        label=_("Адреса, за якою ви проживаєте"),
        max_length=300,
        help_text=_("Вулиця і номер будинку, напр. «вул. Шевченка, 12а». Квартиру вказувати не треба."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class BallotForm(forms.Form):
    """The projects as checkboxes; the choices are the category's admitted projects."""

    choices = forms.MultipleChoiceField(
        label=_("Проєкти"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choices"]).choices = [
            (str(p.public_id), p.title) for p in projects
        ]


class SchoolBallotForm(BallotForm):
    code = forms.CharField(
        label=_("Код з картки"),
        max_length=20,
        help_text=_("10 літер і цифр, напр. ABCDE-FGH23. Великі чи малі літери — однаково."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class PaperBallotForm(BallotForm):
    tax_number = forms.CharField(
        label=_("РНОКПП (податковий номер) виборця"),
        max_length=12,
        help_text=_("Звірте з документом. Номер не зберігається: лише для перевірки віку та одного голосу."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Адреса проживання виборця"),
        max_length=300,
        required=False,
        help_text=_("Не потрібна, якщо особі вже підтверджено право голосу вручну (крім проєктів округу)."),
    )
    channel = forms.ChoiceField(
        label=_("Спосіб голосування"),
        choices=[(Channel.PAPER, Channel.PAPER.label), (Channel.ASSISTED, Channel.ASSISTED.label)],
        initial=Channel.PAPER,
        widget=forms.RadioSelect,
    )


class AuthorisationForm(forms.Form):
    tax_number = forms.CharField(
        label=_("РНОКПП (податковий номер) особи"),
        max_length=12,
        help_text=_("Зберігається лише його ключований відбиток: сам номер не зберігається."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = forms.ChoiceField(
        label=_("Підстава"), choices=AuthorisationReason.choices, widget=forms.RadioSelect
    )
    document_seen = forms.CharField(
        label=_("Переглянутий документ"),
        max_length=200,
        help_text=_("Вид документа, напр. «довідка ВПО», «паспорт» — без його номера."),
    )
    note = forms.CharField(
        label=_("Примітка"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link_account = forms.BooleanField(
        label=_("Пов'язати з обліковим записом цієї особи, якщо він підтверджений цим номером"),
        required=False,
        initial=True,
    )


class CodesForm(forms.Form):
    category = forms.ChoiceField(label=_("Шкільний бюджет (категорія)"))
    size = forms.IntegerField(
        label=_("Скільки кодів"),
        min_value=1,
        max_value=BATCH_MAX,
        help_text=_("Від 1 до %(max)d: по одному на учня.") % {"max": BATCH_MAX},
    )
    label = forms.CharField(label=_("Клас чи група"), max_length=100, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (str(c.public_id), f"{c.cycle.title} — {c.title} ({c.school})") for c in categories
        ]
