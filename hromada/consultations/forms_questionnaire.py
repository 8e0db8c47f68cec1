"""The questionnaire's HTML form: reading a POST into the raw answers the services take,
the rows the templates render (each question with its value, error and hint), and the
staff builder's small forms. No rules here: the services check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from hromada.core.text import validate_line, validate_text

from .models import TEXT_MAX, TITLE_MAX, QuestionKind
from .questionnaire_selectors import Questionnaire, QuestionSpec


def name_of(question: QuestionSpec) -> str:
    return f"q-{question.id}"


def raw_from_post(questionnaire: Questionnaire, data) -> dict[str, Any]:
    """The form's fields as raw answers: `q-<id>` (one value, or several checkboxes),
    `q-<id>-<option id>` the rank of each option (ranking), `q-<id>-lat`/`-lon` (point)."""
    raw: dict[str, Any] = {}
    for q in questionnaire.questions:
        name = name_of(q)
        if q.kind == QuestionKind.MULTIPLE:
            raw[q.id] = data.getlist(name)
        elif q.kind == QuestionKind.RANKING:
            raw[q.id] = {o.id: data.get(f"{name}-{o.id}", "") for o in q.options}
        elif q.kind == QuestionKind.POINT:
            raw[q.id] = {"lat": data.get(f"{name}-lat", ""), "lon": data.get(f"{name}-lon", "")}
        else:
            raw[q.id] = data.get(name, "")
    return raw


@dataclass
class Row:
    """One question as the page shows it."""

    q: QuestionSpec
    name: str
    value: Any = ""
    chosen: set = field(default_factory=set)  # option ids (single, multiple)
    ranks: dict = field(default_factory=dict)  # option id -> rank text (ranking)
    lat: str = ""
    lon: str = ""
    error: str = ""
    hint: str = ""  # "Answer only if …" (a condition)
    conditions: str = ""  # the option ids, space-separated, for the script

    @property
    def rank_choices(self) -> list[int]:
        return list(range(1, self.q.rank_count + 1))

    @property
    def option_rows(self) -> list[dict]:
        return [
            {"o": o, "checked": o.id in self.chosen, "rank": str(self.ranks.get(o.id, "") or "")}
            for o in self.q.options
        ]


def _hint(questionnaire: Questionnaire, q: QuestionSpec) -> str:
    sources = questionnaire.condition_sources(q)
    if not sources:
        return ""
    parts = [
        _("на питання %(number)d ви відповіли «%(option)s»")
        % {"number": source.number, "option": option.label}
        for source, option in sources
    ]
    return _("Відповідайте, лише якщо %(when)s.") % {"when": _(" або ").join(parts)}


def rows_of(questionnaire: Questionnaire, raw: dict, errors: dict) -> list[dict]:
    """Sections with their rows, for the answer page."""
    out = []
    for section in questionnaire.sections:
        rows = []
        for q in section.questions:
            value = raw.get(q.id, "")
            row = Row(
                q=q,
                name=name_of(q),
                error=errors.get(q.id, ""),
                hint=_hint(questionnaire, q),
                conditions=" ".join(q.conditions),
            )
            if q.kind == QuestionKind.SINGLE:
                row.chosen = {str(value)} if value else set()
            elif q.kind == QuestionKind.MULTIPLE:
                row.chosen = {str(v) for v in (value or [])} if isinstance(value, list) else {str(value)}
            elif q.kind == QuestionKind.RANKING:
                if isinstance(value, dict):
                    row.ranks = {k: v for k, v in value.items() if v not in (None, "")}
                elif isinstance(value, list):
                    row.ranks = {o: str(n) for n, o in enumerate(value, 1)}
            elif q.kind == QuestionKind.POINT:
                if isinstance(value, dict):
                    row.lat = "" if value.get("lat") in (None, "") else str(value.get("lat"))
                    row.lon = "" if value.get("lon") in (None, "") else str(value.get("lon"))
            else:
                row.value = "" if value is None else str(value)
            rows.append(row)
        out.append({"section": section, "rows": rows})
    return out


# --- the staff builder -----------------------------------------------------------------


class SectionForm(forms.Form):
    title = forms.CharField(label=_l("Назва розділу"), max_length=TITLE_MAX, validators=[validate_line])
    description = forms.CharField(
        label=_l("Пояснення"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_text],
    )


class QuestionForm(forms.Form):
    """Every kind's fields; the template shows the ones of the chosen kind."""

    kind = forms.ChoiceField(label=_l("Тип питання"), choices=QuestionKind.choices)
    text = forms.CharField(label=_l("Питання"), max_length=500, validators=[validate_line])
    help = forms.CharField(label=_l("Підказка"), required=False, max_length=1000, validators=[validate_line])
    required = forms.BooleanField(label=_l("Обов'язкове питання"), required=False, initial=True)
    section = forms.ChoiceField(label=_l("Розділ"), required=False)
    options = forms.CharField(
        label=_l("Варіанти відповіді, кожен з нового рядка"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("Для питань з вибором і ранжування: щонайменше два."),
    )
    min_choices = forms.IntegerField(label=_l("Щонайменше варіантів"), required=False, min_value=0)
    max_choices = forms.IntegerField(
        label=_l("Щонайбільше варіантів (0 — без обмеження; для ранжування — скільки ранжувати, 0 — усі)"),
        required=False,
        min_value=0,
    )
    scale_min = forms.TypedChoiceField(
        label=_l("Шкала від"), choices=[(1, "1"), (0, "0")], coerce=int, required=False, initial=1
    )
    scale_max = forms.TypedChoiceField(
        label=_l("до"), choices=[(n, str(n)) for n in range(2, 11)], coerce=int, required=False, initial=5
    )
    scale_min_label = forms.CharField(label=_l("Підпис початку шкали"), required=False, max_length=100)
    scale_max_label = forms.CharField(label=_l("Підпис кінця шкали"), required=False, max_length=100)
    number_min = forms.CharField(label=_l("Найменше число"), required=False, max_length=20)
    number_max = forms.CharField(label=_l("Найбільше число"), required=False, max_length=20)

    def __init__(self, *args, sections=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        section_field = self.fields["section"]
        assert isinstance(section_field, forms.ChoiceField)
        section_field.choices = [("", _("— без розділу (на початку) —"))] + [
            (str(s.pk), s.title) for s in sections
        ]
        if editing:
            del self.fields["kind"]
            del self.fields["options"]

    def params(self) -> dict:
        data = self.cleaned_data
        names = (
            "min_choices", "max_choices", "scale_min", "scale_max",
            "scale_min_label", "scale_max_label", "number_min", "number_max",
        )  # fmt: skip
        return {n: data.get(n) for n in names if data.get(n) not in (None, "")}

    def option_labels(self) -> list[str]:
        return [line for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]


class OptionForm(forms.Form):
    label = forms.CharField(label=_l("Варіант"), max_length=300, validators=[validate_line])
