"""Open311 errors in the spec's format, in English or Ukrainian.

GeoReport v2 answers an error with a list of `{code, description}` (XML:
`<errors><error><code/><description/></error></errors>`), `code` being the HTTP status.
The wording is this module's own (not the gettext catalogue), so a client may match on
it and it never changes with a translation; the language follows Accept-Language
(Ukrainian when the header names neither).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation.trans_real import parse_accept_lang_header

# code → (HTTP status, English, Ukrainian); %(name)s placeholders filled from `params`.
MESSAGES: dict[str, tuple[int, str, str]] = {
    "bad_request": (400, "Bad request.", "Неправильний запит."),
    "invalid_text": (
        400,
        "The request carries invalid characters.",
        "Запит містить недопустимі символи.",
    ),
    "forbidden": (403, "Forbidden.", "Доступ заборонено."),
    "not_found": (404, "Not found.", "Не знайдено."),
    "method_not_allowed": (
        405,
        "Method %(method)s is not allowed here; use %(allowed)s.",
        "Метод %(method)s тут не підтримується; використовуйте %(allowed)s.",
    ),
    "unsupported_media_type": (
        415,
        "Send the request as application/x-www-form-urlencoded or multipart/form-data.",
        "Надсилайте запит як application/x-www-form-urlencoded або multipart/form-data.",
    ),
    "request_too_large": (413, "The request is too large.", "Запит завеликий."),
    "uri_too_long": (414, "The request URI is too long.", "Адреса запиту задовга."),
    "rate_limited": (
        429,
        "Too many requests; retry after %(seconds)s seconds.",
        "Забагато запитів; повторіть за %(seconds)s с.",
    ),
    "server_error": (
        500,
        "Internal server error; try again later.",
        "Внутрішня помилка сервера; спробуйте пізніше.",
    ),
    "format_unsupported": (
        400,
        "Format '%(format)s' is not supported; use .json or .xml.",
        "Формат «%(format)s» не підтримується; використовуйте .json або .xml.",
    ),
    # jurisdiction_id
    "jurisdiction_required": (
        400,
        "jurisdiction_id was not provided: this endpoint serves several hromadas.",
        "Не вказано jurisdiction_id: ця адреса обслуговує кілька громад.",
    ),
    "jurisdiction_not_found": (
        404,
        "jurisdiction_id '%(jurisdiction)s' was not found.",
        "Громаду jurisdiction_id «%(jurisdiction)s» не знайдено.",
    ),
    # api_key
    "api_key_missing": (403, "api_key was not provided.", "Не вказано api_key."),
    "api_key_invalid": (
        403,
        "api_key is invalid or revoked.",
        "Ключ api_key недійсний або відкликаний.",
    ),
    # services
    "service_code_missing": (400, "service_code was not provided.", "Не вказано service_code."),
    "service_not_found": (
        404,
        "service_code '%(code)s' was not found.",
        "Послугу service_code «%(code)s» не знайдено.",
    ),
    # requests: location
    "location_missing": (
        400,
        "Provide lat and long, address_string or address_id.",
        "Вкажіть lat і long, address_string або address_id.",
    ),
    "lat_long_invalid": (
        400,
        "lat and long must be decimal degrees (WGS84), both given.",
        "lat і long мають бути десятковими градусами (WGS84), обидва.",
    ),
    "location_outside": (
        400,
        "The location is outside the hromada's territory.",
        "Місце поза територією громади.",
    ),
    "address_not_found": (
        400,
        "address_string '%(address)s' was not found in the hromada's address register.",
        "Адресу address_string «%(address)s» не знайдено в адресному реєстрі громади.",
    ),
    "address_not_located": (
        400,
        "The address was found but its point is not known yet; send lat and long.",
        "Адресу знайдено, але її точка ще не відома; надішліть lat і long.",
    ),
    "address_id_not_found": (
        400,
        "address_id '%(address_id)s' was not found.",
        "Адресу address_id «%(address_id)s» не знайдено.",
    ),
    # requests: content
    "description_missing": (
        400,
        "description was not provided: describe the problem.",
        "Не вказано description: опишіть проблему.",
    ),
    "field_too_long": (
        400,
        "%(field)s is too long: at most %(max)s characters.",
        "Поле %(field)s задовге: до %(max)s знаків.",
    ),
    "email_invalid": (
        400,
        "email is not a valid e-mail address.",
        "email — неправильна адреса електронної пошти.",
    ),
    "media_url_invalid": (
        400,
        "media_url must be an http(s) URL.",
        "media_url має бути адресою http(s).",
    ),
    "attribute_required": (
        400,
        "attribute[%(code)s] is required: %(question)s",
        "Потрібне attribute[%(code)s]: %(question)s",
    ),
    "attribute_invalid": (
        400,
        "attribute[%(code)s]: '%(value)s' is not a valid %(datatype)s.",
        "attribute[%(code)s]: «%(value)s» — неправильне значення типу %(datatype)s.",
    ),
    "attribute_value_unknown": (
        400,
        "attribute[%(code)s]: '%(value)s' is not one of the keys %(keys)s.",
        "attribute[%(code)s]: «%(value)s» не з-поміж ключів %(keys)s.",
    ),
    "attribute_unknown": (
        400,
        "attribute[%(code)s] is not an attribute of service '%(service)s'.",
        "attribute[%(code)s] не є атрибутом послуги «%(service)s».",
    ),
    # GET requests
    "date_invalid": (
        400,
        "%(field)s '%(value)s' is not a W3C datetime (e.g. 2026-05-01T08:00:00+03:00).",
        "%(field)s «%(value)s» — не дата й час W3C (наприклад, 2026-05-01T08:00:00+03:00).",
    ),
    "date_range_order": (
        400,
        "end_date must be after start_date.",
        "end_date має бути пізніше за start_date.",
    ),
    "date_range_too_long": (
        400,
        "The date range may not span more than %(days)s days.",
        "Проміжок дат не може перевищувати %(days)s днів.",
    ),
    "status_invalid": (
        400,
        "status '%(value)s' is not 'open' or 'closed'.",
        "status «%(value)s» — не «open» і не «closed».",
    ),
    "service_request_id_invalid": (
        400,
        "service_request_id '%(value)s' is not a request number.",
        "service_request_id «%(value)s» — не номер запиту.",
    ),
    "too_many_ids": (
        400,
        "At most %(max)s service_request_id values at once.",
        "Не більше %(max)s значень service_request_id за раз.",
    ),
    "request_not_found": (
        404,
        "Service request '%(id)s' was not found.",
        "Запит «%(id)s» не знайдено.",
    ),
    "token_not_found": (404, "Token '%(token)s' was not found.", "Токен «%(token)s» не знайдено."),
}

# The status of an error response the platform made before Open311's views ran (a
# module switched off, an unknown host, a crash) → the code of its message.
STATUS_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
}

LANGUAGES = ("uk", "en")


def language_of(request) -> str:
    """'en' or 'uk', the first the Accept-Language header accepts ('uk' without one)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500] if request is not None else ""
    for code, _quality in parse_accept_lang_header(header):
        base = code.lower().split("-")[0]
        if base in LANGUAGES:
            return base
    return "uk"


@dataclass
class Problem:
    """One error of a response: its stable code and the values of its message."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def status(self) -> int:
        return MESSAGES[self.code][0]

    def description(self, language: str) -> str:
        _status, en, uk = MESSAGES[self.code]
        template = en if language == "en" else uk
        return template % self.params if self.params else template


class Open311Error(Exception):
    """Raised by Open311's selectors and services: one or more problems, answered
    together (the spec's error list) with the first one's HTTP status."""

    def __init__(self, problem: str | Problem | list[Problem], /, **params) -> None:
        if isinstance(problem, list):
            self.problems = problem
        elif isinstance(problem, Problem):
            self.problems = [problem]
        else:
            self.problems = [Problem(problem, params)]
        super().__init__(", ".join(p.code for p in self.problems))

    @property
    def status(self) -> int:
        return self.problems[0].status

    def as_list(self, language: str) -> list[dict]:
        return [{"code": p.status, "description": p.description(language)} for p in self.problems]
