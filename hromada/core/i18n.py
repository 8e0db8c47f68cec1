"""Translation helpers."""

from __future__ import annotations

from django.utils.functional import Promise, lazy


def _format(message, params: dict) -> str:
    return str(message) % {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}


_lazy_format = lazy(_format, str)


def lazy_format(message, **params):
    """`message % params`, done when the text is used rather than now.

    `gettext_lazy("… %(n)d …") % {...}` translates at once, into the language of whoever
    triggered the event; a text stored for someone else (a notification) must be
    translated into the reader's language: `lazy_format(gettext_lazy("… %(n)d …"), n=5)`
    keeps both parts lazy until `str()` runs under the reader's language."""
    return _lazy_format(message, params)
