"""The console's chart form: the columns of the resource's DataStore table as choices
(the service checks them again against the table of the moment)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .datastore.infer import INT, NUMERIC
from .models import Aggregate, ChartKind
from .services.charts import LIMIT_MAX, LIMIT_MIN

TYPE_NAMES = {
    "int": _("ціле число"),
    "numeric": _("число"),
    "bool": _("так/ні"),
    "date": _("дата"),
    "timestamp": _("дата й час"),
    "text": _("текст"),
}


class ChartForm(forms.Form):
    title = forms.CharField(label=_("Назва графіка"), max_length=300)
    kind = forms.ChoiceField(label=_("Вид графіка"), choices=ChartKind.choices, initial=ChartKind.BAR)
    x = forms.ChoiceField(
        label=_("Стовпець категорій (вісь X)"),
        help_text=_("Для лінійного графіка — дата чи число: точки підуть за порядком."),
    )
    aggregate = forms.ChoiceField(label=_("Що рахувати"), choices=Aggregate.choices, initial=Aggregate.COUNT)
    y = forms.ChoiceField(
        label=_("Стовпець значень (вісь Y)"),
        required=False,
        help_text=_("Потрібен для суми й середнього; лише числові стовпці."),
    )
    limit = forms.IntegerField(
        label=_("Скільки категорій показати"),
        min_value=LIMIT_MIN,
        max_value=LIMIT_MAX,
        initial=12,
        help_text=_("Решту категорій буде підсумовано як «Інше»."),
    )

    def __init__(self, *args, columns: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["x"]).choices = [
            (c["id"], f"{c['label']} ({TYPE_NAMES.get(c['type'], c['type'])})") for c in columns
        ]
        cast(forms.ChoiceField, self.fields["y"]).choices = [
            ("", _("— не потрібен (кількість рядків) —"))
        ] + [(c["id"], c["label"]) for c in columns if c["type"] in (INT, NUMERIC)]

    @classmethod
    def initial_of(cls, chart) -> dict:
        return {f: getattr(chart, f) for f in ("title", "kind", "x", "aggregate", "y", "limit")}
