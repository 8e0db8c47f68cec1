"""Forms of a consultation's life. They parse (dates and times are read in the
hromada's time, Europe/Kyiv); the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import REASON_MAX, TEXT_MAX, TITLE_MAX, Audience, Kind, ResultsVisibility

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def combine(day: dt.date, time: dt.time | None) -> dt.datetime:
    """An aware moment from a date and a time read in the site's zone (Europe/Kyiv)."""
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time.min))


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Назва"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Коротко"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Одне-два речення для списку консультацій і сповіщень."),
    )
    question = forms.CharField(
        label=_("Питання, винесене на консультацію"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Опис і обґрунтування"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    initiator = forms.CharField(label=_("Ініціатор (підрозділ ради)"), max_length=TITLE_MAX, required=False)
    contact = forms.CharField(label=_("Контактна особа"), max_length=TITLE_MAX, required=False)
    opens_date = forms.DateField(label=_("Початок: дата"), widget=DATE_WIDGET)
    opens_time = forms.TimeField(label=_("Початок: час (за Києвом)"), widget=TIME_WIDGET, required=False)
    closes_date = forms.DateField(label=_("Завершення: дата"), widget=DATE_WIDGET)
    closes_time = forms.TimeField(
        label=_("Завершення: час (за Києвом)"),
        widget=TIME_WIDGET,
        required=False,
        help_text=_("Порожньо — о 00:00, тобто на початку цього дня."),
    )
    audience = forms.ChoiceField(
        label=_("Хто може брати участь"), choices=Audience.choices, widget=forms.RadioSelect
    )
    min_age = forms.IntegerField(label=_("Мінімальний вік"), min_value=0, max_value=100, initial=0)
    area = forms.TypedChoiceField(
        label=_("Лише мешканці району чи округу"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Порожньо — уся громада. Учасник вкаже адресу, її перевірять за реєстром."),
    )
    ask_area = forms.BooleanField(
        label=_("Питати район чи округ учасника (для розрізу результатів)"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Анонімні відповіді (імена авторів пропозицій не показують)"), required=False
    )
    results_visibility = forms.ChoiceField(
        label=_("Результати"), choices=ResultsVisibility.choices, widget=forms.RadioSelect
    )
    # On by default: a consultation or a discussion is mostly its proposals (untick for a survey).
    allow_proposals = forms.BooleanField(
        label=_("Учасники можуть вносити пропозиції"), required=False, initial=True
    )
    allow_comments = forms.BooleanField(label=_("Коментарі"), required=False)

    MAIN = ("kind", "title", "summary", "question", "body", "initiator", "contact")
    DATES = ("opens_date", "opens_time", "closes_date", "closes_time")
    WHO = ("audience", "min_age", "area", "ask_area")
    HOW = ("anonymous", "results_visibility", "allow_proposals", "allow_comments")

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {a.pk: a for a in areas}
        choices = [("", _("Уся громада"))] + [(a.pk, f"{a.get_kind_display()}: {a.name}") for a in areas]
        self.fields["area"].choices = choices  # type: ignore[attr-defined]

    def _group(self, names):
        return [self[n] for n in names]

    def main_fields(self):
        return self._group(self.MAIN)

    def date_fields(self):
        return self._group(self.DATES)

    def who_fields(self):
        return self._group(self.WHO)

    def how_fields(self):
        return self._group(self.HOW)

    @classmethod
    def initial_from(cls, consultation) -> dict:
        opens = timezone.localtime(consultation.opens_at)
        closes = timezone.localtime(consultation.closes_at)
        return {
            **{
                n: getattr(consultation, n)
                for n in (
                    "kind",
                    "title",
                    "summary",
                    "question",
                    "body",
                    "initiator",
                    "contact",
                    "audience",
                    "min_age",
                    "ask_area",
                    "anonymous",
                    "results_visibility",
                    "allow_proposals",
                    "allow_comments",
                )
            },
            "area": consultation.area_id,
            "opens_date": opens.date(),
            "opens_time": opens.time().replace(second=0, microsecond=0),
            "closes_date": closes.date(),
            "closes_time": closes.time().replace(second=0, microsecond=0),
        }

    def clean_area(self):
        value = self.cleaned_data.get("area")
        if value is None:
            return None
        if value not in self.areas:
            raise forms.ValidationError(_("Такого району чи округу в громаді немає."))
        return self.areas[value]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            **{n: data[n] for n in self.MAIN},
            "opens_at": combine(data["opens_date"], data.get("opens_time")),
            "closes_at": combine(data["closes_date"], data.get("closes_time")),
            **{n: data[n] for n in self.WHO},
            **{n: data[n] for n in self.HOW},
        }


# Where a service's error on a date lands on this form.
FIELD_OF = {"opens_at": "opens_date", "closes_at": "closes_date"}


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Назва документа"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Порожньо — за назвою файлу."),
    )
    file = forms.FileField(
        label=_("Файл"),
        required=False,
        help_text=_("PDF, документи Word / Excel / PowerPoint чи OpenDocument, зображення; до 20 МБ."),
    )
    url = forms.URLField(
        label=_("…або посилання"),
        required=False,
        assume_scheme="https",
        help_text=_("Напр. на проєкт рішення на сайті ради."),
    )


class ExtendForm(forms.Form):
    ends_date = forms.DateField(label=_("Нова дата завершення"), widget=DATE_WIDGET)
    ends_time = forms.TimeField(label=_("Час (за Києвом)"), widget=TIME_WIDGET, required=False)
    reason = forms.CharField(
        label=_("Підстава продовження"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Її побачать учасники й читачі реєстру подій, напр. «Розпорядження міського голови №12»."
        ),
    )

    def ends_at(self) -> dt.datetime:
        return combine(self.cleaned_data["ends_date"], self.cleaned_data.get("ends_time"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Підстава"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
