"""The setup and moderation pages' forms. They only carry what was typed: the services
check every rule and report every problem at once (SetupInvalid), which `apply_errors`
puts beside the fields. The choices (departments, staff, areas) are the hromada's own,
so another hromada's row cannot even be posted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from hromada.core.errors import DomainError

from .models import AttributeType, CaseKind, DepartmentKind
from .services.setup import values_text


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    """Every problem of a service's refusal beside its field (or above the form)."""
    for error in getattr(exc, "errors", [exc]):
        field = error.field if error.field in form.fields else None
        if field and form.has_error(field):
            continue
        form.add_error(field, str(error.message))


def _area_label(area) -> str:
    return f"{area.name} ({area.get_kind_display()})"


def _user_label(user) -> str:
    return f"{user.display_name} ({user.email})" if user.display_name else user.email


class CategoryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_l("Для чого категорія"), choices=CaseKind.choices, initial=CaseKind.REPORT
    )
    name = forms.CharField(label=_l("Назва"), required=False)
    code = forms.CharField(
        label=_l("Код (Open311 service_code)"),
        required=False,
        help_text=_l(
            "Латиницею: малі літери, цифри, «-» чи «_», напр. street-light. Не змінюється після перших звернень."
        ),
    )
    name_en = forms.CharField(label=_l("Назва англійською"), required=False)
    group = forms.CharField(
        label=_l("Група"), required=False, help_text=_l("Розділ у списку категорій, напр. «Благоустрій».")
    )
    description = forms.CharField(
        label=_l("Опис для мешканців"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = forms.CharField(
        label=_l("Ключові слова"),
        required=False,
        help_text=_l("Через кому: за ними мешканець знайде категорію в пошуку (напр. «ліхтар, освітлення»)."),
    )
    department = forms.ChoiceField(label=_l("Виконавець"), required=False)
    target_hours = forms.CharField(
        label=_l("Цільовий строк, годин"),
        required=False,
        help_text=_l("Лише для повідомлень про проблеми; порожнє — строк громади за замовчуванням."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    order = forms.CharField(
        label=_l("Порядок у списку"),
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {str(d.public_id): d for d in departments}
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— не призначено (розподілить адміністратор) —"))] + [
            (key, d.name) for key, d in self.departments.items()
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["department"] = self.departments.get(data.get("department") or "")
        data["target_hours"] = data.get("target_hours") or None
        return data

    @staticmethod
    def initial_of(category) -> dict:
        return {
            "kind": category.kind, "name": category.name, "code": category.code, "name_en": category.name_en,
            "group": category.group, "description": category.description, "keywords": category.keywords,
            "department": str(category.department.public_id) if category.department_id else "",
            "target_hours": category.target_hours or "", "order": category.order,
        }  # fmt: skip


class AttributeForm(forms.Form):
    description = forms.CharField(label=_l("Питання до заявника"), required=False)
    code = forms.CharField(
        label=_l("Код (Open311 attribute code)"),
        required=False,
        help_text=_l("Латиницею, напр. pole-number."),
    )
    datatype = forms.ChoiceField(label=_l("Тип відповіді"), choices=AttributeType.choices)
    required = forms.BooleanField(label=_l("Обов'язкове питання"), required=False)
    values = forms.CharField(
        label=_l("Варіанти (для вибору зі списку)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("Кожен з нового рядка: «ключ | назва», або лише назва."),
    )
    order = forms.CharField(
        label=_l("Порядок"),
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def values_list(self) -> list[dict]:
        from .services.setup import parse_values

        return parse_values(self.cleaned_data.get("values", ""))

    @staticmethod
    def initial_of(attribute) -> dict:
        return {
            "description": attribute.description,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "values": values_text(attribute.values or []),
            "order": attribute.order,
        }


class DepartmentForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Вид"), choices=DepartmentKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_l("Назва"), required=False)
    slug = forms.CharField(
        label=_l("Коротке ім'я (латиницею)"),
        required=False,
        help_text=_l("Порожнє — утвориться з назви."),
    )
    email = forms.CharField(
        label=_l("E-mail підрозділу"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_l("Телефон"), required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    area = forms.ChoiceField(
        label=_l("Територія"),
        required=False,
        help_text=_l("Офіс старости — його старостинський округ; для району міста — район. Інші — порожнє."),
    )
    head = forms.ChoiceField(
        label=_l("Керівник"),
        required=False,
        help_text=_l("Йому повідомляють, коли строк відповіді наближається чи минув."),
    )
    members = forms.MultipleChoiceField(
        label=_l("Працівники, що бачать чергу підрозділу"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(u.public_id): u for u in staff}
        self.areas = {str(a.public_id): a for a in areas}
        people = [(key, _user_label(u)) for key, u in self.staff.items()]
        head = self.fields["head"]
        members = self.fields["members"]
        area = self.fields["area"]
        assert isinstance(head, forms.ChoiceField) and isinstance(members, forms.MultipleChoiceField)
        assert isinstance(area, forms.ChoiceField)
        head.choices = [("", _("— не призначено —"))] + people
        members.choices = people
        area.choices = [("", _("— без території —"))] + [(k, _area_label(a)) for k, a in self.areas.items()]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["head"] = self.staff.get(data.get("head") or "")
        data["area"] = self.areas.get(data.get("area") or "")
        data["members"] = [self.staff[k] for k in data.get("members") or [] if k in self.staff]
        return data

    @staticmethod
    def initial_of(department, members) -> dict:
        return {
            "kind": department.kind, "name": department.name, "slug": department.slug,
            "email": department.email, "phone": department.phone,
            "area": str(department.area.public_id) if department.area_id else "",
            "head": str(department.head.public_id) if department.head_id else "",
            "members": [str(u.public_id) for u in members],
        }  # fmt: skip


class TemplateForm(forms.Form):
    title = forms.CharField(label=_l("Назва шаблону"), required=False)
    kind = forms.ChoiceField(label=_l("Для яких звернень"), required=False)
    department = forms.ChoiceField(label=_l("Для якого підрозділу"), required=False)
    text = forms.CharField(
        label=_l("Текст відповіді"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {str(d.public_id): d for d in departments}
        kind = self.fields["kind"]
        department = self.fields["department"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(department, forms.ChoiceField)
        kind.choices = [("", _("Будь-які"))] + list(CaseKind.choices)
        department.choices = [("", _("Усі підрозділи"))] + [(k, d.name) for k, d in self.departments.items()]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["department"] = self.departments.get(data.get("department") or "")
        return data

    @staticmethod
    def initial_of(template) -> dict:
        return {
            "title": template.title,
            "kind": template.kind,
            "department": str(template.department.public_id) if template.department_id else "",
            "text": template.text,
        }


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_l("Для кого ключ"),
        required=False,
        help_text=_l("Назва застосунку чи системи-партнера, напр. «Мобільний застосунок «Моє місто»»."),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_l("Причина (обов'язкова, щоб приховати)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RedactForm(forms.Form):
    title = forms.CharField(label=_l("Заголовок"), required=False)
    text = forms.CharField(
        label=_l("Текст для публічної сторінки"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    reason = forms.CharField(
        label=_l("Що прибрано (для працівників)"),
        required=False,
        help_text=_l("Напр. «прибрано номер телефону». Оригінал збережеться в історії для працівників."),
    )
