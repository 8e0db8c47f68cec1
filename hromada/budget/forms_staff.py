"""Forms of the staff console. They parse; the services decide (every rule and its
Ukrainian message lives there)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.tenancy.models import IdentityLevel

from .models import (
    CHECKLIST,
    PHASE_CODES,
    TEXT_MAX,
    TITLE_MAX,
    CategoryKind,
    Residence,
    ReviewDecision,
    TieRule,
    VotingRule,
)
from .services.cycles import CategorySpec, Regulation, phase_names

# Proposed lengths of each phase, in days, for a new cycle starting today.
DEFAULT_DAYS = {
    "ideas": 30,
    "support": 14,
    "review": 21,
    "ballot": 7,
    "voting": 14,
    "results": 7,
    "implementation": 365,
}


def default_phase_dates(today: dt.date, *, support: bool = True) -> dict[str, tuple[dt.date, dt.date]]:
    """Inclusive (first day, last day) of each phase, one after another from today."""
    out = {}
    start = today
    for code in PHASE_CODES:
        if code == "support" and not support:
            continue
        end = start + dt.timedelta(days=DEFAULT_DAYS[code] - 1)
        out[code] = (start, end)
        start = end + dt.timedelta(days=1)
    return out


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(forms.Form):
    title = forms.CharField(
        label=_("Назва циклу"), max_length=TITLE_MAX, help_text=_("Напр. «Бюджет участі 2027».")
    )
    slug = forms.SlugField(
        label=_("Адреса циклу"),
        max_length=60,
        required=False,
        help_text=_("Латиницею, для посилання /budget/<адреса>/. Порожнє — утвориться з назви."),
    )
    description = forms.CharField(
        label=_("Опис"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    regulation_url = forms.URLField(
        label=_("Положення про громадський бюджет (посилання)"), required=False, assume_scheme="https"
    )
    min_age = forms.IntegerField(label=_("Мінімальний вік"), min_value=0, max_value=35, initial=14)
    identity_level = forms.ChoiceField(
        label=_("Потрібний рівень ідентифікації"), choices=IdentityLevel.choices
    )
    residence = forms.ChoiceField(
        label=_("Хто вважається членом громади"), choices=Residence.choices, widget=forms.RadioSelect
    )
    residence_area = forms.ChoiceField(label=_("Район чи округ"), required=False)
    allow_authorisation = forms.BooleanField(
        label=_("Дозволити ручне підтвердження права голосу працівником"),
        required=False,
        initial=True,
        help_text=_("Для внутрішньо переміщених осіб і мешканців без електронного підпису."),
    )
    support_threshold = forms.IntegerField(
        label=_("Скільки підтримок потрібно проєкту до експертизи"),
        min_value=0,
        initial=0,
        help_text=_("0 — без етапу збору підтримки (тоді його дати не потрібні)."),
    )
    max_projects_per_author = forms.IntegerField(label=_("Проєктів від однієї особи"), min_value=1, initial=3)

    def __init__(self, *args, areas=(), settings=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {str(a.public_id): a for a in areas}
        cast(forms.ChoiceField, self.fields["residence_area"]).choices = [("", _("— не обмежено —"))] + [
            (key, f"{a.name} ({a.get_kind_display()})") for key, a in self.areas.items()
        ]
        if settings is not None:
            self.fields["min_age"].initial = settings.min_age
            self.fields["identity_level"].initial = settings.identity_level
            self.fields["max_projects_per_author"].initial = settings.max_projects_per_author
        self.fields["residence"].initial = Residence.HROMADA
        names = phase_names()
        # Proposed without the support phase (one after another): with a threshold, staff
        # give its dates and move the later phases.
        defaults = default_phase_dates(today or timezone.localdate(), support=False)
        for code in PHASE_CODES:
            start, end = defaults.get(code, (None, None))
            self.fields[f"{code}_start"] = forms.DateField(
                label=_("%(phase)s: перший день") % {"phase": names[code]},
                required=False,
                initial=start,
                widget=DATE_WIDGET,
            )
            self.fields[f"{code}_end"] = forms.DateField(
                label=_("%(phase)s: останній день") % {"phase": names[code]},
                required=False,
                initial=end,
                widget=DATE_WIDGET,
            )

    def phase_rows(self):
        names = phase_names()
        return [(code, names[code], self[f"{code}_start"], self[f"{code}_end"]) for code in PHASE_CODES]

    def main_fields(self):
        return [self[n] for n in ("title", "slug", "description", "regulation_url")]

    def regulation_fields(self):
        return [
            self[n]
            for n in (
                "min_age",
                "identity_level",
                "residence",
                "residence_area",
                "allow_authorisation",
                "support_threshold",
                "max_projects_per_author",
            )
        ]

    def regulation(self) -> Regulation:
        d = self.cleaned_data
        return Regulation(
            min_age=d["min_age"],
            identity_level=d["identity_level"],
            residence=d["residence"],
            residence_area=self.areas.get(d.get("residence_area") or ""),
            allow_authorisation=bool(d.get("allow_authorisation")),
            support_threshold=d["support_threshold"],
            max_projects_per_author=d["max_projects_per_author"],
        )

    def phase_dates(self) -> dict[str, tuple[dt.datetime, dt.datetime]]:
        """[first day 00:00, the day after the last 00:00) of each phase with both days
        given; a missing one is reported by the service, on its field."""
        out = {}
        support = (self.cleaned_data.get("support_threshold") or 0) > 0
        for code in PHASE_CODES:
            if code == "support" and not support:
                continue
            start, end = self.cleaned_data.get(f"{code}_start"), self.cleaned_data.get(f"{code}_end")
            if start and end:
                out[code] = (local_midnight(start), local_midnight(end + dt.timedelta(days=1)))
        return out


class CategoryForm(forms.Form):
    title = forms.CharField(label=_("Назва категорії"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Вид"), choices=CategoryKind.choices)
    pot = forms.IntegerField(label=_("Обсяг коштів, грн"), min_value=1)
    min_cost = forms.IntegerField(label=_("Мінімальна вартість проєкту, грн"), min_value=0, initial=0)
    max_cost = forms.IntegerField(label=_("Максимальна вартість проєкту, грн"), min_value=1)
    rule = forms.ChoiceField(label=_("Правило голосування"), choices=VotingRule.choices)
    max_choices = forms.IntegerField(
        label=_("Скільки проєктів можна обрати"),
        min_value=1,
        required=False,
        help_text=_("Для «обрати до N»."),
    )
    min_share = forms.DecimalField(
        label=_("Мінімальна частка суми"),
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        decimal_places=3,
        required=False,
        help_text=_("Від 0 до 1, напр. 0,7 — для правила мінімальної частки."),
    )
    tie_rule = forms.ChoiceField(label=_("За рівної кількості голосів"), choices=TieRule.choices)
    area = forms.ChoiceField(label=_("Район чи округ (для категорії району)"), required=False)
    school = forms.CharField(
        label=_("Заклад освіти (для шкільного бюджету)"), max_length=TITLE_MAX, required=False
    )
    max_age = forms.IntegerField(
        label=_("Найбільший вік голосування (для молодіжної)"), min_value=1, max_value=120, required=False
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {str(a.public_id): a for a in areas}
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", "—")] + [
            (key, f"{a.name} ({a.get_kind_display()})") for key, a in self.areas.items()
        ]

    def spec(self) -> CategorySpec:
        d = self.cleaned_data
        return CategorySpec(
            title=d["title"],
            kind=d["kind"],
            pot=d["pot"],
            min_cost=d.get("min_cost") or 0,
            max_cost=d["max_cost"],
            rule=d["rule"],
            max_choices=d.get("max_choices"),
            min_share=d.get("min_share"),
            tie_rule=d["tie_rule"],
            area=self.areas.get(d.get("area") or ""),
            school=d.get("school") or "",
            max_age=d.get("max_age"),
        )


class BaseCategoryFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "areas": self.form_kwargs.get("areas", ())}


CategoryFormSet = forms.formset_factory(
    CategoryForm, formset=BaseCategoryFormSet, extra=0, min_num=1, max_num=20, validate_min=True
)


class ExtendForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    new_ends_at = forms.DateTimeField(label=_("Нова дата й час завершення"), widget=DATETIME_WIDGET)
    reason = forms.CharField(
        label=_("Підстава"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Напр. рішення виконкому №12."),
    )
    shift_following = forms.BooleanField(label=_("Перенести й наступні етапи"), required=False)


class CloseForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Підстава дострокового завершення"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    department = forms.ChoiceField(label=_("Підрозділ"))
    due_date = forms.DateField(
        label=_("Строк експертизи"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Порожнє — типовий строк громади."),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {str(d.public_id): d for d in departments}
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("— оберіть —"))] + [
            (k, d.name) for k, d in self.departments.items()
        ]

    def chosen_department(self):
        return self.departments.get(self.cleaned_data.get("department") or "")


MARKS = (("yes", _("Так")), ("no", _("Ні")), ("", _("Не перевірено")))
MARK_VALUES: dict[str, bool | None] = {"yes": True, "no": False, "": None}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Рішення"),
        choices=[
            (ReviewDecision.ADMITTED, ReviewDecision.ADMITTED.label),
            (ReviewDecision.REJECTED, ReviewDecision.REJECTED.label),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = forms.CharField(
        label=_("Обґрунтування (публічне)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Його побачать автор і всі відвідувачі сторінки проєкту."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, lines=(), checklist=None, **kwargs):
        super().__init__(*args, **kwargs)
        checklist = checklist or {}
        self.lines = list(lines)
        for key, label in CHECKLIST:
            saved = checklist.get(key) or {}
            value = saved.get("value") if isinstance(saved, dict) else saved
            self.fields[key] = forms.ChoiceField(
                label=label,
                choices=MARKS,
                widget=forms.RadioSelect,
                required=False,
                initial="yes" if value is True else "no" if value is False else "",
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Примітка до пункту «%(item)s»") % {"item": label},
                max_length=2000,
                required=False,
                initial=saved.get("note", "") if isinstance(saved, dict) else "",
            )
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s: сума за експертизою, грн") % {"item": line.item},
                min_value=0,
                required=False,
                initial=line.reviewed_amount if line.reviewed_amount is not None else line.amount,
            )

    def checklist_rows(self):
        return [(self[key], self[f"{key}_note"]) for key, _label in CHECKLIST]

    def line_rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def checklist(self) -> dict:
        return {
            key: {
                "value": MARK_VALUES.get(str(self.cleaned_data.get(key) or "")),
                "note": self.cleaned_data.get(f"{key}_note") or "",
            }
            for key, _label in CHECKLIST
        }

    def line_amounts(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}


class StageForm(forms.Form):
    title = forms.CharField(label=_("Назва етапу"), max_length=TITLE_MAX)
    planned_end = forms.DateField(label=_("Плановий строк"), required=False, widget=DATE_WIDGET)


class FundingForm(forms.Form):
    kpkvk = forms.CharField(
        label=_("КПКВК програми, з якої фінансується"),
        max_length=20,
        required=False,
        help_text=_("Сім цифр, як у рішенні про бюджет; наприклад 1216030. Порожнє — не вказано."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StageDoneForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Виконано"), widget=DATE_WIDGET)


PHOTO_SLOTS = 3


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Що зроблено"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    progress = forms.IntegerField(label=_("Виконано, %"), min_value=0, max_value=100)
    spent = forms.IntegerField(
        label=_("Використано коштів усього, грн"),
        min_value=0,
        initial=0,
        help_text=_("Загальна сума від початку."),
    )
    tender_id = forms.CharField(
        label=_("Ідентифікатор закупівлі в Prozorro"),
        max_length=40,
        required=False,
        help_text=_("Напр. UA-2026-03-14-004512-a."),
    )
    delay_reason = forms.CharField(
        label=_("Причина затримки"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Якщо реалізація затримується: її побачать мешканці."),
    )
    stage = forms.ChoiceField(label=_("Етап"), required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {str(s.pk): s for s in stages}
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", "—")] + [
            (k, s.title) for k, s in self.stages.items()
        ]
        for i in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{i}"] = forms.FileField(
                label=_("Фото %(i)d") % {"i": i},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[f"alt_{i}"] = forms.CharField(
                label=_("Опис фото %(i)d") % {"i": i},
                max_length=300,
                required=False,
                help_text=_(
                    "Обов'язковий для фото: що на ньому видно (прочитає програма екранного доступу)."
                ),
            )

    def main_fields(self):
        return [self[n] for n in ("text", "progress", "spent", "tender_id", "delay_reason", "stage")]

    def photo_rows(self):
        return [(self[f"photo_{i}"], self[f"alt_{i}"]) for i in range(1, PHOTO_SLOTS + 1)]

    def photos(self):
        from .services.implementation import Photo

        return [
            Photo(
                file=self.cleaned_data[f"photo_{i}"],
                alt_text=self.cleaned_data.get(f"alt_{i}") or "",
                file_field=f"photo_{i}",
                alt_field=f"alt_{i}",
            )
            for i in range(1, PHOTO_SLOTS + 1)
            if self.cleaned_data.get(f"photo_{i}")
        ]

    def stage_obj(self):
        return self.stages.get(self.cleaned_data.get("stage") or "")


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Ваша відповідь на висновок експертизи"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Відповісти можна один раз; відповідь буде опубліковано поруч із висновком."),
    )
