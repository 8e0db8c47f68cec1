"""What the centre's services share: collecting every problem of a form at once, the
text checks, the ledger's common payload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.text import text_problem


class CnapInvalid(DomainError):
    """Every problem found; code/message/field are the first one's (the API's answer)."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field, status=first.status)
        self.errors = errors


_URL = URLValidator(schemes=["http", "https"])


class Check:
    """Collects problems field by field; `done()` raises them all."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def add(self, code: str, message, field: str | None) -> None:
        if field is None or not any(e.field == field for e in self.errors):  # one message per field
            self.errors.append(DomainError(code, message, field=field, status=422))

    def failed(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def line(self, value, field: str, *, limit: int, required: bool = False, label: str = "") -> str:
        return self._text(value, field, limit=limit, required=required, label=label, multiline=False)

    def text(self, value, field: str, *, limit: int = 10_000, required: bool = False, label: str = "") -> str:
        return self._text(value, field, limit=limit, required=required, label=label, multiline=True)

    def _text(self, value, field, *, limit, required, label, multiline) -> str:
        value = str(value or "").strip()
        if required and not value:
            self.add(f"{field}_required", _("Заповніть поле «%(label)s».") % {"label": label}, field)
        elif len(value) > limit:
            self.add(
                f"{field}_too_long",
                _("Поле «%(label)s» задовге: до %(n)d знаків (зараз %(len)d).")
                % {"label": label, "n": limit, "len": len(value)},
                field,
            )
        elif text_problem(value, multiline=multiline) is not None:
            self.add(
                "invalid_text", _("Поле «%(label)s» містить недозволений символ.") % {"label": label}, field
            )
        return value

    def url(self, value, field: str, *, label: str) -> str:
        value = str(value or "").strip()
        if value:
            try:
                if len(value) > 500:
                    raise ValidationError("too long")
                _URL(value)
            except ValidationError:
                self.add(
                    f"{field}_invalid",
                    _("«%(label)s»: потрібна повна адреса, що починається з https:// (до 500 знаків).")
                    % {"label": label},
                    field,
                )
        return value

    def email(self, value, field: str) -> str:
        value = str(value or "").strip()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.add(f"{field}_invalid", _("Адреса електронної пошти неправильна."), field)
        return value

    def amount(self, value, field: str) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.add(f"{field}_invalid", _("Сума має бути числом, наприклад 85 або 85,50."), field)
            return None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
            self.add(f"{field}_invalid", _("Сума має бути від 0 до 99 999 999 грн."), field)
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.add(f"{field}_invalid", _("Сума — з точністю до копійки."), field)
            return None
        return amount

    def integer(self, value, field: str, *, low: int, high: int, label: str) -> int | None:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            self.add(f"{field}_invalid", _("«%(label)s»: потрібне ціле число.") % {"label": label}, field)
            return None
        if not low <= number <= high:
            self.add(
                f"{field}_out_of_range",
                _("«%(label)s»: від %(low)d до %(high)d.") % {"label": label, "low": low, "high": high},
                field,
            )
            return None
        return number

    def time(self, value, field: str, *, label: str, required: bool = True) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        value = str(value or "").strip()
        if not value:
            if required:
                self.add(f"{field}_required", _("Вкажіть час «%(label)s».") % {"label": label}, field)
            return None
        try:
            hours, minutes = value.split(":")
            if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
                raise ValueError(value)
            return dt.time(int(hours), int(minutes))
        except ValueError:
            self.add(f"{field}_invalid", _("«%(label)s»: час як 08:00.") % {"label": label}, field)
            return None

    def date(self, value, field: str, *, label: str) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        value = str(value or "").strip()
        if not value:
            self.add(f"{field}_required", _("Вкажіть дату «%(label)s».") % {"label": label}, field)
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.add(f"{field}_invalid", _("«%(label)s»: дата як 2026-12-31.") % {"label": label}, field)
            return None

    def done(self) -> None:
        if self.errors:
            raise CnapInvalid(self.errors)
