"""Forms of the registers' staff pages. They parse and say what is wrong with a field;
the rules are in services (registers.py, imports.py)."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.text import validate_line, validate_text

from .models import AreaKind, BuildingUse, ImportKind, StreetType

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _line(label, *, required=False, max_length=200, help_text="", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        validators=[validate_line],
        **kwargs,
    )


def _choices(queryset, *, empty=None) -> list[tuple[str, str]]:
    out = [("", empty)] if empty is not None else []
    return out + [(s.katottg, s.name) for s in queryset]


class SettlementOkrugForm(forms.Form):
    okrug = forms.ChoiceField(label=_("Старостинський округ"), required=False)

    def __init__(self, *args, okrugs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["okrug"].choices = [("", _("— без округу —"))] + [
            (str(o.public_id), o.name) for o in okrugs
        ]


class AreaForm(forms.Form):
    name = _line(_("Назва"), required=True, error_messages={"required": _("Вкажіть назву.")})
    settlements = forms.MultipleChoiceField(
        label=_("Населені пункти округу"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Село, позначене тут, переходить до цього округу з будь-якого іншого."),
    )
    head_name = _line(_("Староста / керівник"))
    head_title = _line(_("Посада"))
    phone = _line(_("Телефон"), max_length=40)
    email = forms.EmailField(
        label=_("Електронна пошта"),
        required=False,
        error_messages={"invalid": _("Адреса електронної пошти має вигляд name@example.com.")},
    )
    office_address = _line(_("Адреса приймальні"), max_length=300)
    office_hours = _line(_("Години прийому"), max_length=300)
    description = forms.CharField(
        label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}), validators=[validate_text]
    )
    geometry = forms.CharField(
        label=_("Межі (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Намалюйте межу на карті, вставте GeoJSON (Polygon чи MultiPolygon, спершу довгота, потім "
            "широта) або завантажте файл нижче."
        ),
    )
    geometry_file = forms.FileField(
        label=_("Або файл із межами (GeoJSON чи KML)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml"}),
        required=False,
        help_text=_("Файл замінює те, що вписано в поле вище."),
    )

    def __init__(self, *args, kind: str, settlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == AreaKind.OKRUG:
            self.fields["settlements"].choices = list(settlements)
        else:
            del self.fields["settlements"]
        if kind == AreaKind.BOUNDARY:
            for name in ("head_name", "head_title", "phone", "email", "office_address", "office_hours"):
                del self.fields[name]
        if kind in (AreaKind.BOUNDARY, AreaKind.DISTRICT):
            self.fields["geometry"].help_text = _(
                "Обов'язково. Намалюйте межу на карті, вставте GeoJSON або завантажте файл нижче."
            )

    def clean_geometry(self):
        text = (self.cleaned_data.get("geometry") or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Це не GeoJSON: помилка в рядку %(line)s, позиції %(col)s."),
                params={"line": exc.lineno, "col": exc.colno},
            ) from exc


class StreetForm(forms.Form):
    settlement = forms.ChoiceField(label=_("Населений пункт"))
    street_type = forms.ChoiceField(label=_("Тип"), choices=StreetType.choices, initial=StreetType.STREET)
    name = _line(
        _("Назва"),
        required=True,
        help_text=_("Без типу: «Тараса Шевченка», а не «вулиця Тараса Шевченка»."),
        error_messages={"required": _("Вкажіть назву вулиці.")},
    )

    def __init__(self, *args, settlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].choices = _choices(settlements)


class RenameForm(forms.Form):
    name = _line(_("Нова назва"), required=True, error_messages={"required": _("Вкажіть нову назву вулиці.")})
    street_type = forms.ChoiceField(label=_("Тип"), choices=StreetType.choices)
    renamed_on = forms.DateField(
        label=_("Дата перейменування"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Дата має вигляд ДД.ММ.РРРР.")},
    )
    decision = _line(
        _("Рішення"), max_length=300, help_text=_("Напр. «рішення міської ради № 1234 від 19.05.2016».")
    )
    decision_url = forms.URLField(
        label=_("Посилання на рішення"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Посилання має починатися з https://.")},
    )


class FormerNameForm(RenameForm):
    name = _line(_("Колишня назва"), required=True, error_messages={"required": _("Вкажіть колишню назву.")})


class BuildingForm(forms.Form):
    number = _line(
        _("Номер"),
        required=True,
        max_length=40,
        help_text=_("Як його пишуть: 12, 12А, 12/2, 12 корп. 3."),
        error_messages={"required": _("Вкажіть номер будинку.")},
    )
    postcode = _line(_("Поштовий індекс"), max_length=12, help_text=_("П'ять цифр."))
    lat = forms.FloatField(
        label=_("Широта"), required=False, error_messages={"invalid": _("Широта — число, напр. 49.0318.")}
    )
    lon = forms.FloatField(
        label=_("Довгота"), required=False, error_messages={"invalid": _("Довгота — число, напр. 32.1024.")}
    )
    floors = forms.IntegerField(
        label=_("Поверхів"), required=False, error_messages={"invalid": _("Кількість поверхів — ціле число.")}
    )
    year_built = forms.IntegerField(
        label=_("Рік побудови"),
        required=False,
        error_messages={"invalid": _("Рік — чотири цифри, напр. 1978.")},
    )
    use = forms.ChoiceField(label=_("Призначення"), required=False, choices=[("", "—"), *BuildingUse.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Що імпортуємо"),
        choices=ImportKind.choices,
        initial=ImportKind.STREETS,
    )
    file = forms.FileField(
        label=_("Файл"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.geojson,.json,.kml"}),
        help_text=_(
            "CSV (UTF-8 чи Windows-1251, розділювач «;» або «,»; перший рядок — назви стовпців), "
            "GeoJSON (напр. вивантаження OpenStreetMap) або KML (лише території)."
        ),
        error_messages={"required": _("Оберіть файл."), "empty": _("Файл порожній.")},
    )
    settlement = forms.ChoiceField(
        label=_("Населений пункт за замовчуванням"),
        required=False,
        help_text=_("Для рядків, де населений пункт не вказано. Якщо не обрати — центр громади."),
    )
    area_kind = forms.ChoiceField(
        label=_("Вид територій (для імпорту територій)"),
        required=False,
        choices=[
            (AreaKind.OKRUG.value, AreaKind.OKRUG.label),
            (AreaKind.DISTRICT.value, AreaKind.DISTRICT.label),
            (AreaKind.ZONE.value, AreaKind.ZONE.label),
            (AreaKind.BOUNDARY.value, AreaKind.BOUNDARY.label),
        ],
        initial=AreaKind.OKRUG,
    )

    def __init__(self, *args, settlements=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].choices = _choices(settlements, empty=_("— центр громади —"))
        if kinds is not None:
            self.fields["kind"].choices = [c for c in ImportKind.choices if c[0] in kinds]
