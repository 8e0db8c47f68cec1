"""The one validator for text that enters the platform (house rule 15).

Refused: invalid Unicode (lone surrogates, which cannot be encoded and so fail deep in
the database driver or the ledger; the 66 non-characters) and control characters —
NUL, the other C0 and C1 controls and DEL — except tab, line feed and carriage return
where multi-line text is allowed.

It is applied once, at the edge of the platform: TextGuardMiddleware checks the query
string, form fields, JSON bodies (every key and string value), uploaded files' names
and the Authorization header of every request before any view runs, and answers 400
with a specific error (JSON `{"code": "invalid_text", ...}` under /api/, a page
elsewhere). Services check again with check_text for text that does not come through
HTTP (commands, tasks, imports); forms and models may use validate_text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

CODE = "invalid_text"

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)
)
_SURROGATES = "\ud800-\udfff"
# Everything refused in single-line text; multi-line text also allows \t \n \r.
_BAD_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_SURROGATES}{_NONCHARACTERS}]")
_BAD_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_SURROGATES}{_NONCHARACTERS}]")


class InvalidText(DomainError):
    status = 400


def text_problem(value: str, *, multiline: bool = True) -> tuple[int, str] | None:
    """(position, code point as U+XXXX) of the first refused character, or None."""
    found = (_BAD_TEXT if multiline else _BAD_LINE).search(value)
    if found is None:
        return None
    return found.start(), f"U+{ord(found.group()):04X}"


def _message(value: str, position: int, code_point: str):
    char = value[position]
    if "\ud800" <= char <= "\udfff" or re.match(f"[{_NONCHARACTERS}]", char):
        return _("Текст містить недійсний символ Unicode %(char)s (позиція %(position)d).") % {
            "char": code_point,
            "position": position + 1,
        }
    return _("Текст містить керівний символ %(char)s (позиція %(position)d), який тут не дозволено.") % {
        "char": code_point,
        "position": position + 1,
    }


def check_text(value: str, *, field: str | None = None, multiline: bool = True) -> str:
    """The value unchanged if it is clean text; else InvalidText (code invalid_text)."""
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise InvalidText(CODE, _message(value, *problem), field=field)
    return value


def validate_text(value) -> None:
    """A Django validator (forms, models) for multi-line text."""
    if isinstance(value, str) and (problem := text_problem(value)) is not None:
        raise ValidationError(_message(value, *problem), code=CODE)


def validate_line(value) -> None:
    """A Django validator (forms, models) for single-line text: no tab or line break."""
    if isinstance(value, str) and (problem := text_problem(value, multiline=False)) is not None:
        raise ValidationError(_message(value, *problem), code=CODE)


def printable(value: str) -> str:
    """The value with every refused character replaced by U+FFFD, safe to show."""
    return _BAD_LINE.sub("\ufffd", value)


# The edge: every request's text, checked before any view runs.


def _json_strings(data) -> Iterator[tuple[str, str, bool]]:
    """(json path, string, multiline) for every key and string value, depth first;
    iterative, so no nesting the JSON parser accepted can exhaust the stack."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item, True
        elif isinstance(item, dict):
            children = []
            for key, value in item.items():
                child = f"{path}.{key}" if path else key
                yield child, key, False
                children.append((child, value))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(f"{path}[{i}]", value) for i, value in enumerate(item)]))


def request_problem(request) -> InvalidText | None:
    """The first refused text in a request, or None."""
    from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
    from django.http import UnreadablePostError

    def check(value: str, field: str, multiline: bool) -> None:
        check_text(value, field=printable(field), multiline=multiline)

    try:
        auth = request.META.get("HTTP_AUTHORIZATION")
        if auth:
            check(auth, "Authorization", False)
        for key, values in request.GET.lists():
            check(key, key, False)
            for value in values:
                check(value, key, True)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.content_type or ""
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            try:
                post, files = request.POST, request.FILES
            except UnreadablePostError:
                return None  # the client went away; as CSRF does, let the request go on
            # A malformed or oversized form raises here as it would in CSRF's check:
            # Django answers 400 (JSON under /api/, ApiJsonErrorsMiddleware).
            for key, values in post.lists():
                check(key, key, False)
                for value in values:
                    check(value, key, True)
            for key, uploads in files.lists():
                check(key, key, False)
                for upload in uploads:
                    check(upload.name or "", key, False)
            return None
        if "json" not in content_type and not request.path.startswith("/api/"):
            return None
        try:
            body = request.body
        except (RequestDataTooBig, SuspiciousOperation, BadRequest):
            return None
        if not body:
            return None
        try:
            data = json.loads(body)  # as the API parses it (UTF-8, or a UTF-16/32 BOM)
        except UnicodeDecodeError:
            if "json" not in content_type:
                return None  # a binary body is no text; a JSON endpoint refuses it itself
            return InvalidText(CODE, _("Тіло запиту не є коректним текстом у кодуванні UTF-8."))
        except (ValueError, RecursionError):
            return None  # not JSON (or nested too deep to read): the view says so
        for path, value, multiline in _json_strings(data):
            check(value, path, multiline)
    except InvalidText as exc:
        return exc
    return None


class TextGuardMiddleware:
    """Refuses a request carrying invalid Unicode or control characters with 400,
    before any view runs, so nothing of it is stored. Early in MIDDLEWARE: it needs
    only the language (for the message), not the tenant or the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(problem.as_dict(), status=400)
        from django.shortcuts import render

        return render(request, "core/invalid_text.html", {"problem": problem}, status=400)
