"""The project form: texts, place, estimate (a formset of cost lines), co-funding and
files. Every rule is the service's (services.projects); the form parses."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ALT_TEXT_MAX, TEXT_MAX, TITLE_MAX
from .services.projects import FILE_MAX_BYTES, MAX_FILES, SUMMARY_MAX, CostLineData

FILE_SLOTS = 3


class ProjectForm(forms.Form):
    category = forms.ChoiceField(label=_("Категорія"), required=False)
    title = forms.CharField(
        label=_("Назва проєкту"),
        required=False,
        max_length=TITLE_MAX,
        help_text=_("Коротко: що буде зроблено і де. Напр. «Освітлення скверу на вул. Шкільній»."),
    )
    summary = forms.CharField(
        label=_("Коротко про проєкт"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Одне-два речення: їх побачать у списку проєктів і в бюлетені."),
    )
    description = forms.CharField(
        label=_("Опис проєкту"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Що саме буде зроблено, як і в які строки."),
    )
    problem = forms.CharField(
        label=_("Яку проблему розв'язує"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    beneficiaries = forms.CharField(
        label=_("Хто отримає користь"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Напр. «мешканці мікрорайону, близько 2 000 осіб; учні школи № 3»."),
    )
    address = forms.CharField(
        label=_("Адреса чи місце"),
        required=False,
        max_length=300,
        help_text=_("Як люди називають це місце. Точку чи ділянку можна позначити на карті нижче."),
    )
    lat = forms.FloatField(
        label=_("Широта"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lon = forms.FloatField(
        label=_("Довгота"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    area_geojson = forms.CharField(
        label=_("Межа ділянки (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Необов'язково: обведіть ділянку на карті, поле заповниться саме."),
    )
    # Carries the estimate's errors (the lines are the formset's).
    cost_lines = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Кошторис"))
    cofunding_amount = forms.IntegerField(
        label=_("Співфінансування, грн"),
        required=False,
        min_value=0,
        help_text=_("Необов'язково: скільки додає бізнес чи партнер."),
    )
    cofunding_partner = forms.CharField(label=_("Хто співфінансує"), required=False, max_length=TITLE_MAX)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .tally import format_uah

        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— оберіть —"))] + [
            (str(c.public_id), f"{c.title} ({format_uah(int(c.min_cost))} – {format_uah(int(c.max_cost))})")
            for c in categories
        ]
        self.fields["category"].help_text = _("Від категорії залежить, скільки може коштувати проєкт.")
        for n in range(1, FILE_SLOTS + 1):
            self.fields[f"file_{n}"] = forms.FileField(
                label=_("Файл %(n)d") % {"n": n},
                required=False,
                help_text=_(
                    "Фото (JPEG, PNG, WebP) або документ PDF, до %(mb)d МБ. Усього до %(max)d файлів."
                )
                % {"mb": FILE_MAX_BYTES // (1024 * 1024), "max": MAX_FILES},
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("Що на фото %(n)d") % {"n": n},
                required=False,
                max_length=ALT_TEXT_MAX,
                help_text=_("Обов'язково для фото: опис для тих, хто не бачить зображення."),
            )

    def slot_fields(self):
        return [(self[f"file_{n}"], self[f"alt_{n}"]) for n in range(1, FILE_SLOTS + 1)]

    def clean_area_geojson(self) -> Any:
        raw = (self.cleaned_data.get("area_geojson") or "").strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Межа ділянки має бути записана як GeoJSON."))

    def uploads(self) -> list[tuple[str, Any, str]]:
        """(slot field name, file, alt text) for each file chosen."""
        data = getattr(self, "cleaned_data", {})
        return [
            (f"file_{n}", data[f"file_{n}"], data.get(f"alt_{n}", ""))
            for n in range(1, FILE_SLOTS + 1)
            if data.get(f"file_{n}")
        ]


class CostLineForm(forms.Form):
    item = forms.CharField(label=_("Стаття витрат"), required=False, max_length=TITLE_MAX)
    quantity = forms.DecimalField(
        label=_("Кількість"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-cost": "quantity"}),
    )
    unit = forms.CharField(label=_("Одиниця"), required=False, max_length=30)
    unit_price = forms.IntegerField(
        label=_("Ціна за одиницю, грн"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-cost": "price"}),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) not in (None, "") for k in ("item", "quantity", "unit", "unit_price"))


CostLineFormSet = forms.formset_factory(CostLineForm, extra=2, max_num=50, absolute_max=60)


def cost_lines_of(formset) -> list[CostLineData]:
    """The typed lines (blank rows skipped); the service checks them."""
    lines = []
    for row in formset.forms:
        if not hasattr(row, "cleaned_data") or row.is_blank():
            continue
        data = row.cleaned_data
        lines.append(
            CostLineData(
                item=data.get("item") or "",
                quantity=data.get("quantity") or 0,
                unit=data.get("unit") or "",
                unit_price=data.get("unit_price") or 0,
            )
        )
    return lines


class CoauthorInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Електронна пошта співавтора"),
        required=False,
        help_text=_("Людина має бути зареєстрована. Залиште порожнім, щоб отримати посилання-запрошення."),
    )
