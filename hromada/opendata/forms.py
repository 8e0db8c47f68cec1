"""Forms of the catalogue's pages: they parse and show; the services validate (their
DomainError lands on the field it names, so nothing typed is lost)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MemberRole, PublisherKind
from .vocabularies import FREQUENCIES, LANGUAGES, LICENCES


def _licence_choices():
    return [(lic.id, lic.title) for lic in LICENCES]


def _frequency_choices():
    return [("", _("— не вказано —"))] + [(f.value, f.label) for f in FREQUENCIES]


def _language_choices():
    return [(code, label) for code, (label, _uri) in LANGUAGES.items()]


class DatasetForm(forms.Form):
    publisher = forms.ChoiceField(label=_("Розпорядник"))
    title = forms.CharField(label=_("Назва"), max_length=300)
    name = forms.CharField(
        label=_("Адреса набору (латиницею)"),
        max_length=100,
        help_text=_(
            "Малі латинські літери, цифри, дефіс: вона стане частиною посилання, наприклад «byudzhet-2026»."
        ),
    )
    notes = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    tags = forms.CharField(
        label=_("Теги"), required=False, help_text=_("Через кому: бюджет, освіта, транспорт.")
    )
    groups = forms.MultipleChoiceField(label=_("Теми"), required=False, widget=forms.CheckboxSelectMultiple)
    license_id = forms.ChoiceField(label=_("Ліцензія"), choices=_licence_choices)
    frequency = forms.ChoiceField(label=_("Частота оновлення"), choices=_frequency_choices, required=False)
    purpose = forms.CharField(label=_("Мета збору інформації"), max_length=512, required=False)
    language = forms.ChoiceField(label=_("Мова"), choices=_language_choices, initial="uk")
    maintainer = forms.CharField(label=_("Відповідальна особа"), max_length=200, required=False)
    maintainer_email = forms.CharField(label=_("E-mail відповідальної особи"), max_length=254, required=False)
    spatial = forms.CharField(label=_("Територія, яку охоплюють дані"), max_length=300, required=False)
    temporal_start = forms.DateField(
        label=_("Дані з"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    temporal_end = forms.DateField(
        label=_("Дані по"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, publishers=(), groups=(), editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["publisher"]).choices = [(p.name, p.title) for p in publishers]
        cast(forms.ChoiceField, self.fields["groups"]).choices = [(g.name, g.title) for g in groups]
        self.editing = editing
        if editing is not None:
            # The publisher of an existing dataset stays; its address stays once published.
            del self.fields["publisher"]
            if editing.state != "draft":
                self.fields["name"].disabled = True
                self.fields["name"].help_text = _("Адресу оприлюдненого набору не змінюють.")
            if editing.source == "platform":
                # Set by the platform from its module's registry entry (services.platform).
                for key in ("title", "name", "notes", "license_id", "frequency"):
                    self.fields[key].disabled = True
                    self.fields[key].help_text = _("Це поле задає платформа з даних модуля.")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("publisher", None)
        data["tags"] = [t for t in (data.get("tags") or "").split(",") if t.strip()]
        if self.editing is not None:
            for key in ("title", "name", "notes", "license_id", "frequency"):
                if self.fields[key].disabled:
                    data.pop(key, None)
        return data

    @staticmethod
    def initial_of(dataset) -> dict:
        return {
            **{
                f: getattr(dataset, f)
                for f in (
                    "title",
                    "name",
                    "notes",
                    "license_id",
                    "frequency",
                    "purpose",
                    "language",
                    "maintainer",
                    "maintainer_email",
                    "spatial",
                    "temporal_start",
                    "temporal_end",
                )
            },
            "tags": ", ".join(dataset.tags.values_list("name", flat=True)),
            "groups": list(dataset.groups.values_list("name", flat=True)),
        }


class ResourceForm(forms.Form):
    name = forms.CharField(
        label=_("Назва ресурсу"), max_length=300, required=False, help_text=_("Порожньо — за назвою файлу.")
    )
    upload = forms.FileField(
        label=_("Файл"), required=False, help_text=_("CSV, XLSX, JSON, GeoJSON, XML, PDF, ODS, ZIP…")
    )
    url = forms.CharField(
        label=_("Або посилання на дані деінде"), max_length=1000, required=False, widget=forms.URLInput()
    )
    format = forms.CharField(
        label=_("Формат"),
        max_length=20,
        required=False,
        help_text=_("Для файлу визначається сам; для посилання — CSV, JSON…"),
    )
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("Файл нової версії"))
    note = forms.CharField(label=_("Що змінилося"), max_length=300, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"), max_length=500, help_text=_("Її побачать відвідувачі на сторінці набору.")
    )


class PublisherForm(forms.Form):
    title = forms.CharField(label=_("Назва"), max_length=300)
    name = forms.CharField(
        label=_("Коротка назва (латиницею)"), max_length=100, help_text=_("Наприклад, «finance».")
    )
    kind = forms.ChoiceField(label=_("Вид"), choices=[c for c in PublisherKind.choices if c[0] != "platform"])
    identifier = forms.CharField(label=_("Код ЄДРПОУ"), max_length=10, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    url = forms.CharField(label=_("Вебсайт"), max_length=200, required=False)
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(forms.Form):
    user = forms.ChoiceField(label=_("Працівник"))
    role = forms.ChoiceField(label=_("Роль"), choices=MemberRole.choices)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", _("— оберіть —"))] + [
            (str(u.pk), str(u)) for u in people
        ]


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Назва"), max_length=300)
    name = forms.CharField(label=_("Коротка назва (латиницею)"), max_length=100)
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- the Resolution 835 answers and the console's edit pages --------------------------------


class RequirementForm(forms.Form):
    dataset = forms.ChoiceField(
        label=_("Набір даних, що виконує вимогу"),
        required=False,
        help_text=_("Чернетку теж можна обрати: вимогу вважатимуть виконаною, щойно набір оприлюднять."),
    )
    not_applicable = forms.CharField(
        label=_("Або чому вимога не стосується громади"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Пояснення побачать відвідувачі порталу. Не більше 500 символів."),
    )
    publisher = forms.ChoiceField(
        label=_("Відповідальний розпорядник"),
        required=False,
        help_text=_(
            "Його редакторам надійде нагадування перед строком оновлення. Порожньо — розпорядник набору."
        ),
    )

    def __init__(self, *args, datasets=(), publishers=(), **kwargs):
        super().__init__(*args, **kwargs)
        states = {"draft": _("чернетка"), "withdrawn": _("знято")}
        cast(forms.ChoiceField, self.fields["dataset"]).choices = [("", _("— не обрано —"))] + [
            (d.name, f"{d.title} ({states[d.state]})" if d.state in states else d.title) for d in datasets
        ]
        cast(forms.ChoiceField, self.fields["publisher"]).choices = [("", _("— не обрано —"))] + [
            (p.name, p.title) for p in publishers
        ]


class PublisherEditForm(forms.Form):
    title = forms.CharField(label=_("Назва"), max_length=300)
    kind = forms.ChoiceField(label=_("Вид"), choices=[c for c in PublisherKind.choices if c[0] != "platform"])
    identifier = forms.CharField(label=_("Код ЄДРПОУ"), max_length=10, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    url = forms.CharField(label=_("Вебсайт"), max_length=200, required=False)
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(
        label=_("Активний"),
        required=False,
        help_text=_(
            "Неактивний розпорядник лишається на порталі, але нових наборів від його імені не створюють."
        ),
    )

    def __init__(self, *args, publisher=None, **kwargs):
        super().__init__(*args, **kwargs)
        if publisher is not None and publisher.kind == "platform":
            # The platform's own publisher stays what it is: its datasets are the modules'.
            del self.fields["kind"]


class GroupEditForm(forms.Form):
    title = forms.CharField(label=_("Назва"), max_length=300)
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResourceEditForm(forms.Form):
    name = forms.CharField(label=_("Назва ресурсу"), max_length=300)
    description = forms.CharField(label=_("Опис"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.CharField(label=_("Посилання на дані"), max_length=1000, widget=forms.URLInput())
    format = forms.CharField(
        label=_("Формат"), max_length=20, required=False, help_text=_("CSV, JSON, XLSX…")
    )

    def __init__(self, *args, resource=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resource is not None and not resource.url:
            # A file's format is what its content is (checked on upload), and it has no link.
            del self.fields["url"]
            del self.fields["format"]


class BudgetImportForm(forms.Form):
    """The open budget's import (services.budget_import validates)."""

    year = forms.IntegerField(label=_("Бюджетний рік"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Що містить файл"))
    publisher = forms.ChoiceField(
        label=_("Розпорядник, який оприлюднює бюджет"),
        required=False,
        help_text=_(
            "Потрібен, коли набору бюджету за цей рік ще немає; далі набір лишається за своїм розпорядником."
        ),
    )
    file = forms.FileField(
        label=_("Файл CSV з «Відкритого бюджету»"),
        help_text=_(
            "Вивантаження openbudget.gov.ua або таблиця в тому самому вигляді: CSV (cp1251 чи UTF-8) або XLSX."
        ),
    )
    cumulative = forms.BooleanField(
        label=_("Суми за місяцями — наростаючим підсумком (як у вивантаженні за місяцями)"), required=False
    )

    def __init__(self, *args, publishers=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = list(kinds)
        cast(forms.ChoiceField, self.fields["publisher"]).choices = [("", _("— оберіть —"))] + [
            (p.name, p.title) for p in publishers
        ]
