"""Staff forms: they only carry what was typed (every field optional here); the services
decide and report every problem, which apply_errors puts beside its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _l

from hromada.core.errors import DomainError

from .models import DocumentForm, FeeKind, OfficeKind, ServiceStatus

WEEKDAY_NAMES = (
    _l("Понеділок"),
    _l("Вівторок"),
    _l("Середа"),
    _l("Четвер"),
    _l("П'ятниця"),
    _l("Субота"),
    _l("Неділя"),
)


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    """Every problem of a service's refusal beside its field (or above the form)."""
    for error in getattr(exc, "errors", [exc]):
        field = error.field if error.field in form.fields else None
        if field and form.has_error(field):
            continue
        form.add_error(field, str(error.message))


def _text(label, rows=3, **kw):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class ServiceForm(forms.Form):
    code = forms.CharField(
        label=_l("Код послуги"),
        required=False,
        help_text=_l("Код з Реєстру адміністративних послуг, напр. «00050», або власний код ЦНАП."),
    )
    title = forms.CharField(label=_l("Назва"), required=False)
    description = _text(_l("Коротко, що це за послуга (для мешканця)"))
    category = forms.ChoiceField(label=_l("Категорія"), required=False)
    life_situations = forms.MultipleChoiceField(
        label=_l("Життєві ситуації"), required=False, widget=forms.CheckboxSelectMultiple
    )
    provider = forms.CharField(
        label=_l("Суб'єкт надання"),
        required=False,
        help_text=_l("Орган, що ухвалює рішення, напр. «Виконавчий комітет міської ради»."),
    )
    applicants = _text(_l("Хто може звернутися"))
    term = forms.CharField(
        label=_l("Строк надання"),
        required=False,
        help_text=_l("Напр. «у день звернення» або «до 10 робочих днів»."),
    )
    result = _text(_l("Результат"))
    result_delivery = _text(_l("Як отримати результат"), rows=2)
    legal_basis = _text(_l("Правові підстави"))
    fee_kind = forms.ChoiceField(
        label=_l("Оплата"), choices=FeeKind.choices, required=False, widget=forms.RadioSelect
    )
    fee_amount = forms.CharField(
        label=_l("Сума, грн"), required=False, help_text=_l("Для фіксованої плати, напр. 85 або 85,50.")
    )
    fee_note = _text(_l("Як і куди платити, тариф"), rows=2)
    in_person = forms.BooleanField(label=_l("Особисто в ЦНАП"), required=False)
    booking_allowed = forms.BooleanField(label=_l("Можна записатися онлайн на час візиту"), required=False)
    visit_units = forms.CharField(
        label=_l("Тривалість візиту, одиниць часу вікна"),
        required=False,
        help_text=_l("Ціле число від 1 до 32: скільки одиниць (зазвичай по 15 хвилин) займає візит."),
    )
    online_url = forms.CharField(label=_l("Онлайн-послуга (посилання)"), required=False)
    diia_url = forms.CharField(label=_l("Послуга в Дії (посилання)"), required=False)

    def __init__(self, *args, categories=(), situations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.code, c.name) for c in categories]
        self.fields["life_situations"].choices = [(s.code, s.name) for s in situations]

    @staticmethod
    def initial_of(service) -> dict:
        return {
            "code": service.code,
            "title": service.title,
            "description": service.description,
            "category": service.category.code if service.category else "",
            "life_situations": [s.code for s in service.life_situations.all()],
            "provider": service.provider,
            "applicants": service.applicants,
            "term": service.term,
            "result": service.result,
            "result_delivery": service.result_delivery,
            "legal_basis": service.legal_basis,
            "fee_kind": service.fee_kind,
            "fee_amount": "" if service.fee_amount is None else str(service.fee_amount),
            "fee_note": service.fee_note,
            "in_person": service.in_person,
            "booking_allowed": service.booking_allowed,
            "visit_units": service.visit_units,
            "online_url": service.online_url,
            "diia_url": service.diia_url,
        }

    def values(self) -> tuple[dict, list[str]]:
        data = dict(self.cleaned_data)
        situations = data.pop("life_situations", [])
        data["category"] = data.get("category") or None
        data["fee_kind"] = data.get("fee_kind") or FeeKind.FREE
        return data, situations


class DocumentFormForm(forms.Form):
    title = forms.CharField(label=_l("Документ"), required=False)
    form = forms.ChoiceField(label=_l("У якому вигляді"), choices=DocumentForm.choices, required=False)
    required = forms.BooleanField(label=_l("Обов'язковий"), required=False, initial=True)
    note = forms.CharField(label=_l("Примітка"), required=False)
    order = forms.CharField(label=_l("Порядок"), required=False, help_text=_l("Порожньо — у кінець списку."))


class TaxonomyForm(forms.Form):
    code = forms.CharField(label=_l("Код (латиницею)"), required=False)
    name = forms.CharField(label=_l("Назва"), required=False)
    description = _text(_l("Опис"), rows=2)
    order = forms.CharField(label=_l("Порядок"), required=False, initial="0")


class OfficeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_l("Вид"), choices=OfficeKind.choices, required=False, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_l("Назва"), required=False)
    code = forms.CharField(
        label=_l("Коротке ім'я (для адреси сторінки)"),
        required=False,
        help_text=_l("Латинські малі літери, цифри й дефіс, напр. «tsentr»."),
    )
    address = forms.CharField(label=_l("Адреса"), required=False)
    okrug = forms.ChoiceField(label=_l("Старостинський округ, який обслуговує"), required=False)
    lat = forms.CharField(label=_l("Широта"), required=False)
    lon = forms.CharField(label=_l("Довгота"), required=False)
    phone = forms.CharField(label=_l("Телефон"), required=False)
    email = forms.CharField(label=_l("Електронна пошта"), required=False)
    how_to_get = _text(_l("Як дістатися, доступність"))
    active = forms.BooleanField(label=_l("Працює (показувати мешканцям)"), required=False, initial=True)
    order = forms.CharField(label=_l("Порядок"), required=False, initial="0")

    def __init__(self, *args, okrugs=(), **kwargs):
        super().__init__(*args, **kwargs)
        if okrugs:
            self.fields["okrug"].choices = [("", "—")] + [(a.slug, a.name) for a in okrugs]
        else:
            del self.fields["okrug"]

    @staticmethod
    def initial_of(office) -> dict:
        return {
            "kind": office.kind,
            "name": office.name,
            "code": office.code,
            "address": office.address,
            "okrug": office.okrug.slug if office.okrug_id else "",
            "lat": "" if office.lat is None else office.lat,
            "lon": "" if office.lon is None else office.lon,
            "phone": office.phone,
            "email": office.email,
            "how_to_get": office.how_to_get,
            "active": office.active,
            "order": office.order,
        }


class WorkplaceForm(forms.Form):
    number = forms.CharField(label=_l("Номер вікна"), required=False)
    name = forms.CharField(
        label=_l("Назва"), required=False, help_text=_l("Напр. «Реєстрація місця проживання».")
    )
    unit_minutes = forms.CharField(
        label=_l("Одиниця часу, хвилин"), required=False, help_text=_l("Від 5 до 120; зазвичай 15.")
    )
    active = forms.BooleanField(label=_l("Працює"), required=False, initial=True)
    services = forms.MultipleChoiceField(
        label=_l("Послуги, які тут надають"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(s.code, f"{s.title} ({s.code})") for s in services]


class WeekForm(forms.Form):
    """Seven rows of four time inputs, fields d<weekday>_opens … d<weekday>_break_ends."""

    PARTS = (
        ("opens", _l("відкривається")),
        ("closes", _l("зачиняється")),
        ("break_starts", _l("перерва з")),
        ("break_ends", _l("перерва до")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for d, day in enumerate(WEEKDAY_NAMES):
            for part, label in self.PARTS:
                self.fields[f"d{d}_{part}"] = forms.CharField(
                    label=f"{day}: {label}",
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    @staticmethod
    def initial_of(rows) -> dict:
        out = {}
        for r in rows:
            out[f"d{r.weekday}_opens"] = r.opens.strftime("%H:%M")
            out[f"d{r.weekday}_closes"] = r.closes.strftime("%H:%M")
            if r.break_starts:
                out[f"d{r.weekday}_break_starts"] = r.break_starts.strftime("%H:%M")
                out[f"d{r.weekday}_break_ends"] = r.break_ends.strftime("%H:%M")
        return out

    def days(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {d: {part: data.get(f"d{d}_{part}") or "" for part, _ in self.PARTS} for d in range(7)}

    def rows(self):
        return [
            {"name": day, "fields": [self[f"d{d}_{part}"] for part, _ in self.PARTS]}
            for d, day in enumerate(WEEKDAY_NAMES)
        ]


class ExceptionForm(forms.Form):
    workplace = forms.ChoiceField(label=_l("Для кого"), required=False)
    starts_on = forms.CharField(
        label=_l("З дати"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.CharField(
        label=_l("По дату (включно)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("Порожньо — лише один день."),
    )
    closed = forms.ChoiceField(
        label=_l("Що змінюється"),
        choices=(("1", _l("Не працює")), ("0", _l("Інші години роботи"))),
        required=False,
        initial="1",
        widget=forms.RadioSelect,
    )
    opens = forms.CharField(
        label=_l("Відкривається"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.CharField(
        label=_l("Зачиняється"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_l("Причина (її побачать мешканці)"), required=False)

    def __init__(self, *args, workplaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].choices = [("", _l("Увесь офіс"))] + [
            (str(w.pk), f"№{w.number}{' — ' + w.name if w.name else ''}") for w in workplaces
        ]


STATUS_CHOICES = [("", _l("Усі"))] + list(ServiceStatus.choices)
