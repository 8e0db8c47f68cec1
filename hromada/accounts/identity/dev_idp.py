"""The built-in development identity provider, mounted at /dev-idp/ when "dev" is
in IDENTITY_PROVIDERS. It speaks the id.gov.ua protocol for real over HTTP:

    GET  /dev-idp/?response_type=code&client_id&auth_type&state&redirect_uri
         a page where a tester picks one of several invented people (or types one);
         POST answers with a redirect to redirect_uri?code&state (or error=access_denied)
    GET|POST /dev-idp/get-access-token   grant_type, client_id, client_secret, code (single use)
    GET|POST /dev-idp/get-user-info      access_token (single use), user_id, fields -> plain JSON
    GET|POST /dev-idp/get-user-logout    access_token, user_id -> the person data is deleted

Everything it knows is invented; it never encrypts (no `cert` support), which is
what id.gov.ua's test environment does when `cert` is empty.

A tester may still type a real tax number, so a grant keeps only what the flow needs:
the code and the access token as SHA-256 hashes, and the person sealed (AES-GCM) under
a key derived from the code, then from the token, which the database never holds. The
person is forgotten as soon as get-user-info has handed it over, and a grant not
carried through is purged within minutes (dev_idp_purge, a job run every minute).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.http.request import validate_host
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hromada.accounts.models import AUTH_TYPE_LABELS, DevIdpGrant

from . import taxnumber
from .providers import dev_client_credentials

CODE_SECONDS = 5 * 60
TOKEN_SECONDS = 10 * 60
# A grant is done with once its token has expired; nothing is kept past that.
PURGE_AFTER = dt.timedelta(seconds=CODE_SECONDS + TOKEN_SECONDS)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"hromada-dev-idp:v1\n" + secret.encode()).digest()


def _seal(person: dict, secret: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    box = AESGCM(_key(secret)).encrypt(nonce, json.dumps(person).encode(), None)
    return {"sealed": base64.b64encode(nonce + box).decode()}


def _open(stored: dict, secret: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not stored.get("sealed"):
        return {}
    raw = base64.b64decode(stored["sealed"])
    return json.loads(AESGCM(_key(secret)).decrypt(raw[:12], raw[12:], None))


def dev_idp_purge(now: dt.datetime | None = None) -> int:
    """Delete grants older than PURGE_AFTER: their code and token have expired, used or
    not. Run every minute by the worker (accounts' module.py) and on each new grant."""
    now = now or timezone.now()
    deleted, _by_model = DevIdpGrant.objects.filter(created_at__lt=now - PURGE_AFTER).delete()
    return deleted


@dataclass(frozen=True)
class DevPerson:
    last_name: str
    first_name: str
    middle_name: str
    born: dt.date
    tax_number: str
    note: str
    email: str = ""  # as a bank might give it; some people come without one

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}"

    def age(self, today: dt.date) -> int:
        return today.year - self.born.year - ((today.month, today.day) < (self.born.month, self.born.day))


def dev_people(today: dt.date | None = None) -> list[DevPerson]:
    """Invented residents with checksum-valid tax numbers whose first five digits
    encode their birth dates. Ages are kept relative to today, so the minor stays
    a minor and the young voter stays between 16 and 18."""
    today = today or timezone.localdate()
    spec = [
        (
            "Коваленко",
            "Олена",
            "Петрівна",
            dt.date(1985, 3, 14),
            1024,
            _("мешканка громади"),
            "olena.kovalenko@example.com",
        ),
        ("Шевчук", "Андрій", "Миколайович", dt.date(1972, 11, 2), 3517, _("мешканець громади"), ""),
        (
            "Бондаренко",
            "Ірина",
            "Василівна",
            dt.date(1999, 7, 21),
            2208,
            _("молода мешканка"),
            "iryna.bondarenko@example.com",
        ),
        ("Мельник", "Тарас", "Олегович", dt.date(1948, 1, 30), 4411, _("людина поважного віку"), ""),
        (
            "Гнатюк",
            "Марко",
            "Іванович",
            dt.date(today.year - 17, 1, 15),
            6131,
            _("від 16 до 18 років"),
            "",
        ),
        ("Ткаченко", "Софія", "Андріївна", dt.date(today.year - 14, 5, 9), 5062, _("молодше 16 років"), ""),
    ]
    people = []
    for last, first, middle, born, serial, note, email in spec:
        people.append(DevPerson(last, first, middle, born, taxnumber.make(born, serial), str(note), email))
    return people


class AuthorizeForm(forms.Form):
    person = forms.ChoiceField(label=_("Особа"), widget=forms.RadioSelect)
    auth_type = forms.ChoiceField(label=_("Спосіб входу"))
    last_name = forms.CharField(label=_("Прізвище"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Ім'я"), max_length=100, required=False)
    middle_name = forms.CharField(label=_("По батькові"), max_length=100, required=False)
    tax_number = forms.CharField(
        label=_("РНОКПП"),
        max_length=20,
        required=False,
        help_text=_(
            "Можна ввести будь-яке значення або залишити порожнім, щоб перевірити реакцію платформи."
        ),
    )
    email = forms.CharField(
        label=_("Електронна пошта (необов'язково)"),
        max_length=254,
        required=False,
        help_text=_("Так, як її передав би банк. Платформа лише підставить її у форму реєстрації."),
    )

    def __init__(self, *args, people: list[DevPerson], auth_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        choices: list[tuple[str, str | Promise]] = [
            (
                str(i),
                f"{p.full_name} · {p.born:%d.%m.%Y} ({p.age(today)}) · {p.tax_number} · {p.note}"
                + (f" · {p.email}" if p.email else ""),
            )
            for i, p in enumerate(people)
        ]
        choices.append(("custom", _("Інша особа — ввести дані нижче")))
        cast(forms.ChoiceField, self.fields["person"]).choices = choices
        cast(forms.ChoiceField, self.fields["auth_type"]).choices = [
            (a, AUTH_TYPE_LABELS.get(a, a)) for a in auth_types
        ]
        self.people = people

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("person") == "custom" and not (
            data.get("last_name", "").strip() and data.get("first_name", "").strip()
        ):
            raise forms.ValidationError(_("Для іншої особи вкажіть щонайменше прізвище та ім'я."))
        return data

    def attributes(self) -> dict:
        data = self.cleaned_data
        if data["person"] == "custom":
            person = {
                "lastname": data["last_name"].strip(),
                "givenname": data["first_name"].strip(),
                "middlename": data["middle_name"].strip(),
                "drfocode": data["tax_number"].strip(),
                "email": data["email"].strip(),
            }
        else:
            chosen = self.people[int(data["person"])]
            person = {
                "lastname": chosen.last_name,
                "givenname": chosen.first_name,
                "middlename": chosen.middle_name,
                "drfocode": chosen.tax_number,
                "email": chosen.email,
            }
        person["auth_type"] = data["auth_type"]
        return {k: v for k, v in person.items() if v}


def _authorize_problem(request) -> str | None:
    """Why an authorize request is refused, or None. Never redirects to a foreign host."""
    p = request.GET
    client_id, _secret = dev_client_credentials()
    if p.get("response_type") != "code":
        return str(_("Параметр response_type має дорівнювати «code»."))
    if not hmac.compare_digest(p.get("client_id", ""), client_id):
        return str(_("Невідомий client_id."))
    if not p.get("state"):
        return str(_("Не передано параметр state."))
    redirect_uri = p.get("redirect_uri", "")
    parts = urlsplit(redirect_uri)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return str(_("Недійсний redirect_uri."))
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return str(_("redirect_uri веде на сторонній сайт."))
    return None


def _redirect_back(redirect_uri: str, params: dict) -> HttpResponseRedirect:
    joiner = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(f"{redirect_uri}{joiner}{urlencode(params)}")


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    problem = _authorize_problem(request)
    if problem:
        return render(request, "accounts/dev_idp/error.html", {"problem": problem}, status=400)
    redirect_uri, state = request.GET["redirect_uri"], request.GET["state"]
    auth_types = [a for a in request.GET.get("auth_type", "").split(",") if a.strip()] or ["bank_id"]
    people = dev_people()
    form = AuthorizeForm(
        request.POST if request.method == "POST" else None, people=people, auth_types=auth_types
    )
    if request.method == "POST":
        if "cancel" in request.POST:
            return _redirect_back(
                redirect_uri,
                {
                    "error": "access_denied",
                    "error_description": "User cancelled authorization",
                    "state": state,
                },
            )
        if form.is_valid():
            now = timezone.now()
            code = secrets.token_urlsafe(32)
            with transaction.atomic():
                dev_idp_purge(now)
                DevIdpGrant.objects.create(
                    code=_digest(code),
                    client_id=request.GET["client_id"],
                    redirect_uri=redirect_uri,
                    user_id=secrets.token_hex(16),
                    person=_seal(form.attributes(), code),
                    code_expires_at=now + dt.timedelta(seconds=CODE_SECONDS),
                )
            return _redirect_back(redirect_uri, {"code": code, "state": state})
    return render(
        request,
        "accounts/dev_idp/authorize.html",
        {"form": form, "redirect_host": urlsplit(redirect_uri).netloc, "today": timezone.localdate()},
        status=400 if request.method == "POST" else 200,
    )


def _params(request) -> dict:
    return {**request.GET.dict(), **request.POST.dict()}


def _error(code: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code, "error_description": description}, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def get_access_token(request):
    p = _params(request)
    if p.get("grant_type") != "authorization_code":
        return _error("unsupported_grant_type", "grant_type must be authorization_code")
    client_id, secret = dev_client_credentials()
    if not (
        hmac.compare_digest(p.get("client_id", ""), client_id)
        and hmac.compare_digest(p.get("client_secret", ""), secret)
    ):
        return _error("invalid_client", "Unknown client or wrong secret", status=401)
    code = p.get("code", "")
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    # One UPDATE both checks and uses up the code, so two racing requests cannot both win.
    grants = DevIdpGrant.objects.filter(
        code=_digest(code), client_id=client_id, code_used_at__isnull=True, code_expires_at__gt=now
    )
    if "redirect_uri" in p:
        # As RFC 6749 4.1.3 asks: a code is good only at the redirect it was sent to.
        grants = grants.filter(redirect_uri=p["redirect_uri"])
    with transaction.atomic():
        used = grants.update(
            code_used_at=now,
            access_token=_digest(token),
            token_expires_at=now + dt.timedelta(seconds=TOKEN_SECONDS),
        )
        if not code or used != 1:
            return _error("invalid_grant", "Authorization code is unknown, expired or already used")
        grant = DevIdpGrant.objects.select_for_update().get(code=_digest(code))
        # From now on only the token's holder can open the person.
        grant.person = _seal(_open(grant.person, code), token)
        grant.save(update_fields=["person"])
    return JsonResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_SECONDS,
            "refresh_token": secrets.token_urlsafe(32),
            "user_id": grant.user_id,
        }
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def get_user_info(request):
    p = _params(request)
    token, user_id = p.get("access_token", ""), p.get("user_id", "")
    now = timezone.now()
    with transaction.atomic():
        used = DevIdpGrant.objects.filter(
            access_token=_digest(token), user_id=user_id, token_used_at__isnull=True, token_expires_at__gt=now
        ).update(token_used_at=now)
        if not token or used != 1:
            return _error("invalid_token", "Access token is unknown, expired or already used", status=401)
        grant = DevIdpGrant.objects.select_for_update().get(access_token=_digest(token))
        person = _open(grant.person, token)
        grant.person = {}  # handed over once; nothing of the person stays behind
        grant.save(update_fields=["person"])
    wanted = [f.strip() for f in p.get("fields", "").split(",") if f.strip()]
    return JsonResponse({k: v for k, v in person.items() if not wanted or k in wanted})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def get_user_logout(request):
    p = _params(request)
    token, user_id = p.get("access_token", ""), p.get("user_id", "")
    cleared = (
        DevIdpGrant.objects.filter(access_token=_digest(token), user_id=user_id)
        .exclude(access_token="")
        .update(person={})
    )
    if not token or cleared != 1:
        return _error("invalid_token", "Access token is unknown")
    return JsonResponse(
        {"error": "0", "error_description": f"Дані користувача із ID = {user_id} видалено успішно"}
    )
