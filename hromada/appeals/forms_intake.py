"""Forms of the channels in. They parse; the services decide what is required (so a
draft keeps whatever is valid, and submission names every missing field at once)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.text import validate_line, validate_text

from .models import (
    ADDRESS_MAX,
    ALT_TEXT_MAX,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AppealType,
    AttributeType,
    CaseKind,
    Category,
    Channel,
)
from .services.intake import (
    ANSWER_FORMS,
    DOCUMENT_MAX_BYTES,
    MAX_DOCUMENTS,
    MAX_PHOTOS,
    OPERATOR_CHANNELS,
    PHOTO_MAX_BYTES,
    URGENT_REASONS,
)

FILE_SLOTS = 3
MB = 1024 * 1024


def _line(label, *, max_length: int, help_text="", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        validators=[validate_line],
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _text(label, *, help_text="", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def category_label(category: Category, default_hours: int) -> str:
    hours = category.target_hours or default_hours
    if category.kind != CaseKind.REPORT:
        return category.name
    if hours % 24 == 0:
        term = _("%(n)d дн.") % {"n": hours // 24}
    else:
        term = _("%(n)d год") % {"n": hours}
    return _("%(name)s — вирішуємо за %(term)s") % {"name": category.name, "term": term}


def category_choices(categories, *, default_hours: int = 240) -> list:
    """Choices grouped by the category's group (an <optgroup> each)."""
    choices: list[Any] = [("", _("— оберіть —"))]
    groups: dict[str, list] = {}
    for c in categories:
        groups.setdefault(c.group, []).append((c.code, category_label(c, default_hours)))
    for group, items in groups.items():
        if group:
            choices.append((group, items))
        else:
            choices.extend(items)
    return choices


class ApplicantFields(forms.Form):
    """The person: the law's fields (full name, address of residence) and a contact."""

    applicant_name = _line(
        _("Прізвище, ім'я та по батькові"),
        max_length=NAME_MAX,
        help_text=_("Повністю, як у документі. Закон вимагає їх у кожному зверненні."),
        autocomplete="name",
    )
    applicant_address = _line(
        _("Місце проживання"),
        max_length=ADDRESS_MAX,
        help_text=_("Населений пункт, вулиця, будинок, квартира."),
        autocomplete="street-address",
    )
    applicant_email = forms.EmailField(
        label=_("Електронна пошта"),
        required=False,
        max_length=254,
        help_text=_("Сюди надішлемо відповідь. Потрібен e-mail або телефон."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_phone = _line(
        _("Телефон"),
        max_length=40,
        help_text=_("Напр. 067 123 45 67."),
        autocomplete="tel",
        inputmode="tel",
    )


class FileSlots(forms.Form):
    """Up to three files with a description each (required for images)."""

    file_help = ""

    def add_slots(self, *, photos: bool) -> None:
        for n in range(1, FILE_SLOTS + 1):
            self.fields[f"file_{n}"] = forms.FileField(
                label=(_("Фото %(n)d") if photos else _("Файл %(n)d")) % {"n": n},
                required=False,
                help_text=(
                    _("JPEG, PNG або WebP, до %(mb)d МБ. Усього до %(max)d фото.")
                    % {"mb": PHOTO_MAX_BYTES // MB, "max": MAX_PHOTOS}
                    if photos
                    else _("PDF, JPEG або PNG, до %(mb)d МБ. Усього до %(max)d файлів.")
                    % {"mb": DOCUMENT_MAX_BYTES // MB, "max": MAX_DOCUMENTS}
                ),
                widget=forms.ClearableFileInput(
                    attrs={
                        "accept": "image/jpeg,image/png,image/webp"
                        if photos
                        else "application/pdf,image/jpeg,image/png",
                        "data-attachment-file": "",
                    }
                ),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("Що на фото %(n)d") % {"n": n} if photos else _("Що на зображенні %(n)d") % {"n": n},
                required=False,
                max_length=ALT_TEXT_MAX,
                validators=[validate_line],
                help_text=_("Обов'язково для фото: короткий опис для тих, хто не бачить зображення."),
            )

    def slot_fields(self):
        return [(self[f"file_{n}"], self[f"alt_{n}"]) for n in range(1, FILE_SLOTS + 1)]

    def uploads(self) -> list[tuple[str, Any, str]]:
        """(slot number, file, description) for each file chosen and valid."""
        data = getattr(self, "cleaned_data", {})
        return [
            (str(n), data[f"file_{n}"], data.get(f"alt_{n}", ""))
            for n in range(1, FILE_SLOTS + 1)
            if data.get(f"file_{n}")
        ]


class AppealForm(ApplicantFields, FileSlots):
    appeal_type = forms.ChoiceField(
        label=_("Вид звернення"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (AppealType.PROPOSAL, _("Пропозиція (зауваження) — як покращити роботу ради чи життя громади")),
            (
                AppealType.STATEMENT,
                _("Заява (клопотання) — прохання допомогти реалізувати ваше право чи інтерес"),
            ),
            (AppealType.COMPLAINT, _("Скарга — про порушення ваших прав рішенням, дією чи бездіяльністю")),
        ],
    )
    collective = forms.ChoiceField(
        label=_("Хто подає"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("individual", _("Я особисто (індивідуальне)")),
            ("collective", _("Кілька людей (колективне): інші підпишуть за посиланням")),
        ],
        initial="individual",
    )
    category = forms.ChoiceField(
        label=_("Тема"),
        required=False,
        help_text=_("Необов'язково: допоможе швидше передати звернення до потрібного підрозділу."),
    )
    title = _line(_("Коротко, про що звернення"), max_length=TITLE_MAX)
    text = _text(_("Суть звернення"), help_text=_("Що сталося, чого ви просите чи що пропонуєте."), rows=8)

    field_order = [
        "appeal_type",
        "collective",
        "applicant_name",
        "applicant_address",
        "applicant_email",
        "applicant_phone",
        "category",
        "title",
        "text",
    ]

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(categories)
        if not categories:
            del self.fields["category"]
        self.add_slots(photos=False)

    def values(self, categories) -> dict:
        data = self.cleaned_data
        fields = {
            k: data[k]
            for k in (
                "applicant_name",
                "applicant_address",
                "applicant_email",
                "applicant_phone",
                "title",
                "text",
                "appeal_type",
            )
            if k in data
        }
        if "collective" in data:
            fields["collective"] = data["collective"] == "collective"
        if "category" in data:
            fields["category"] = next((c for c in categories if c.code == data["category"]), None)
        return fields


class InfoForm(ApplicantFields, FileSlots):
    title = _line(_("Коротко, яка інформація"), max_length=TITLE_MAX)
    text = _text(
        _("Яку інформацію ви запитуєте"),
        help_text=_("Опишіть документ чи відомості якомога точніше: назва, дата, номер, якщо відомі."),
        rows=6,
    )
    answer_form = forms.ChoiceField(
        label=_("Як надати відповідь"),
        required=False,
        widget=forms.RadioSelect,
        choices=list(ANSWER_FORMS.items()),
        initial="email",
    )
    urgent = forms.BooleanField(
        label=_("Терміново: відповідь потрібна протягом 48 годин"),
        required=False,
        help_text=_(
            "Лише коли інформація потрібна для захисту життя чи свободи, про стан довкілля або про аварію чи надзвичайну подію."
        ),
    )
    urgent_reason = forms.ChoiceField(
        label=_("Чому терміново"),
        required=False,
        widget=forms.RadioSelect,
        choices=list(URGENT_REASONS.items()),
    )
    category = forms.ChoiceField(label=_("Тема"), required=False)

    field_order = [
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "applicant_address",
        "category",
        "title",
        "text",
        "answer_form",
        "urgent",
        "urgent_reason",
    ]

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_name"].label = _("Прізвище, ім'я та по батькові (або назва організації)")
        self.fields["applicant_name"].help_text = _("Запит може подати будь-яка людина чи організація.")
        self.fields["applicant_address"].label = _("Поштова адреса")
        self.fields["applicant_address"].help_text = _("Потрібна, якщо відповідь надсилати поштою.")
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(categories)
        if not categories:
            del self.fields["category"]
        self.add_slots(photos=False)

    def values(self, categories) -> dict:
        data = self.cleaned_data
        keys = (
            "applicant_name",
            "applicant_address",
            "applicant_email",
            "applicant_phone",
            "title",
            "text",
            "answer_form",
            "urgent",
            "urgent_reason",
        )
        fields = {k: data[k] for k in keys if k in data}
        if "category" in data:
            fields["category"] = next((c for c in categories if c.code == data["category"]), None)
        return fields


def attribute_field(attribute) -> forms.Field:
    label = attribute.description
    choices = [(str(v.get("key")), v.get("name") or v.get("key")) for v in attribute.values or []]
    if attribute.datatype == AttributeType.SINGLE:
        return forms.ChoiceField(label=label, required=False, choices=[("", _("— оберіть —")), *choices])
    if attribute.datatype == AttributeType.MULTI:
        return forms.MultipleChoiceField(
            label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if attribute.datatype == AttributeType.TEXT:
        return forms.CharField(
            label=label, required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
        )
    if attribute.datatype == AttributeType.NUMBER:
        return forms.CharField(
            label=label, required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"})
        )
    if attribute.datatype == AttributeType.DATETIME:
        return forms.CharField(
            label=label,
            required=False,
            max_length=40,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        )
    return forms.CharField(label=label, required=False, max_length=500, validators=[validate_line])


class ReportForm(FileSlots):
    category = forms.ChoiceField(
        label=_("Що сталося"),
        required=False,
        help_text=_("Оберіть категорію: від неї залежать виконавець і строк."),
    )
    address = _line(
        _("Адреса чи місце"),
        max_length=ADDRESS_MAX,
        help_text=_(
            "Вулиця й номер будинку, напр. «вул. Шевченка, 12». Можна не позначати на карті: знайдемо за адресою."
        ),
        autocomplete="off",
    )
    lat = forms.FloatField(
        label=_("Широта"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Довгота"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    title = _line(
        _("Коротко (необов'язково)"),
        max_length=TITLE_MAX,
        help_text=_("Напр. «Не світить ліхтар біля зупинки»."),
    )
    text = _text(
        _("Опис проблеми"),
        help_text=_("Що саме не так і відколи. Текст побачать усі після модерації."),
        rows=5,
    )
    show_name = forms.BooleanField(
        label=_("Показувати моє ім'я на карті"),
        required=False,
        help_text=_(
            "Без позначки повідомлення буде анонімним для всіх; працівники громади бачать, хто його подав."
        ),
    )

    def __init__(
        self, *args, categories=(), default_hours: int = 240, chosen: Category | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(
            categories, default_hours=default_hours
        )
        self.chosen = chosen
        self.attribute_names: list[str] = []
        if chosen is not None:
            for attribute in chosen.attributes.all():
                name = f"attr_{attribute.code}"
                self.fields[name] = attribute_field(attribute)
                if attribute.required:
                    self.fields[name].help_text = _("Обов'язково.")
                self.attribute_names.append(name)
        self.add_slots(photos=True)

    def attribute_fields(self):
        return [self[n] for n in self.attribute_names]

    def values(self, categories) -> dict:
        data = self.cleaned_data
        fields: dict[str, Any] = {k: data[k] for k in ("address", "title", "text", "lat", "lon") if k in data}
        fields["anonymous"] = not data.get("show_name", False)
        if "category" in data:
            fields["category"] = next((c for c in categories if c.code == data["category"]), None)
        fields["attributes"] = {
            n.removeprefix("attr_"): data[n]
            for n in self.attribute_names
            if n in data and data[n] not in ("", [], None)
        }
        return fields


class CosignForm(forms.Form):
    name = _line(_("Прізвище, ім'я та по батькові"), max_length=NAME_MAX, autocomplete="name")
    address = _line(_("Місце проживання"), max_length=ADDRESS_MAX, autocomplete="street-address")


# --- the hotline ----------------------------------------------------------------------------


class CallerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Телефон, e-mail чи прізвище заявника"),
        required=False,
        max_length=100,
        validators=[validate_line],
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Щонайменше 3 символи. Телефон — у будь-якому записі: 067 123 45 67 чи +380671234567."),
    )


class HotlineForm(ApplicantFields):
    kind = forms.ChoiceField(
        label=_("Що реєструємо"),
        widget=forms.RadioSelect,
        choices=[
            (CaseKind.APPEAL, _("Звернення (пропозиція, заява, скарга)")),
            (CaseKind.INFO, _("Запит на публічну інформацію")),
            (CaseKind.REPORT, _("Повідомлення про проблему")),
        ],
        initial=CaseKind.APPEAL,
        error_messages={"required": _("Оберіть, що реєструємо.")},
    )
    channel = forms.ChoiceField(
        label=_("Як надійшло"),
        choices=[(c, Channel(c).label) for c in OPERATOR_CHANNELS],
        initial=Channel.HOTLINE,
        error_messages={"required": _("Оберіть, як надійшло звернення.")},
    )
    appeal_type = forms.ChoiceField(
        label=_("Вид звернення"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (AppealType.PROPOSAL, AppealType.PROPOSAL.label),
            (AppealType.STATEMENT, AppealType.STATEMENT.label),
            (AppealType.COMPLAINT, AppealType.COMPLAINT.label),
        ],
    )
    collective = forms.BooleanField(label=_("Колективне звернення"), required=False)
    cosigners = forms.CharField(
        label=_("Інші підписанти (колективне)"),
        required=False,
        max_length=10_000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Кожен з нового рядка: прізвище, ім'я, по батькові; адреса — через крапку з комою."),
    )
    category = forms.ChoiceField(label=_("Категорія чи тема"), required=False)
    title = _line(_("Коротко, про що"), max_length=TITLE_MAX)
    text = _text(_("Суть (зі слів заявника)"), rows=6)
    address = _line(
        _("Адреса проблеми"),
        max_length=ADDRESS_MAX,
        help_text=_("Для повідомлення про проблему: вулиця й будинок."),
    )
    lat = forms.FloatField(
        label=_("Широта"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Довгота"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    answer_form = forms.ChoiceField(
        label=_("Як надати відповідь на запит"), required=False, choices=[("", "—"), *ANSWER_FORMS.items()]
    )
    urgent = forms.BooleanField(label=_("Терміновий запит (48 годин)"), required=False)
    urgent_reason = forms.ChoiceField(
        label=_("Чому терміново"), required=False, choices=[("", "—"), *URGENT_REASONS.items()]
    )
    caller = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = [
        "kind",
        "channel",
        "applicant_name",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    ]

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for c in categories:
            groups.setdefault(str(CaseKind(c.kind).label), []).append((f"{c.kind}:{c.code}", c.name))
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("— без категорії —")),
            *groups.items(),
        ]
        self.fields["category"].help_text = _("Для повідомлення про проблему — обов'язково.")

    def sections(self) -> dict[str, list]:
        names = {
            "who": ["applicant_name", "applicant_phone", "applicant_email", "applicant_address"],
            "appeal": ["appeal_type", "collective", "cosigners"],
            "what": ["category", "title", "text"],
            "report": ["address", "lat", "lon"],
            "info": ["answer_form", "urgent", "urgent_reason"],
        }
        return {k: [self[n] for n in v] for k, v in names.items()}

    def values(self, categories) -> dict:
        data = self.cleaned_data
        keys = (
            "applicant_name",
            "applicant_address",
            "applicant_email",
            "applicant_phone",
            "title",
            "text",
            "appeal_type",
            "collective",
            "address",
            "lat",
            "lon",
            "answer_form",
            "urgent",
            "urgent_reason",
        )
        fields = {k: data[k] for k in keys if k in data}
        kind, _sep, code = (data.get("category") or "").partition(":")
        fields["category"] = next((c for c in categories if c.kind == kind and c.code == code), None)
        return fields

    def signers(self) -> list[tuple[str, str]]:
        out = []
        for line in (self.cleaned_data.get("cosigners") or "").splitlines():
            name, _sep, address = line.partition(";")
            if name.strip():
                out.append((name.strip(), address.strip()))
        return out
