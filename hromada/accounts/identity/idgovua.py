"""id.gov.ua (ІСЕІ) client: the OAuth2-style authorization-code flow that is not
OpenID Connect (see ../shared/standards/id-gov-ua.md and docs/identity.md).

    browser  -> {base}/?response_type=code&client_id&auth_type&state&redirect_uri
    callback <- redirect_uri?code&state            (or ?error=access_denied)
    server   -> {base}/get-access-token            grant_type, client_id, client_secret, code
    server   -> {base}/get-user-info               access_token, user_id, fields[, cert]
                (with cert: {"encryptedUserInfo"} opened by the EUSignCP sidecar)
    server   -> {base}/get-user-logout             access_token, user_id

The same class, pointed at the built-in development identity provider
(/dev-idp/), is the "dev" provider.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import VerificationMethod

from .base import (
    FLOW_PARAM,
    VerifiedPerson,
    call_json,
    conf,
    flow_begin,
    flow_finish,
    http_client,
    identity_error,
    new_state,
    person_from_attributes,
)

log = logging.getLogger("hromada.identity")

# Only what the platform keeps or needs to decide: data minimisation. `email`
# only pre-fills the sign-up form of a person who has no account yet.
USER_INFO_FIELDS = "lastname,givenname,middlename,drfocode,auth_type,email"


class IdGovUaProvider:
    key = "idgovua"
    method = VerificationMethod.IDGOVUA
    label = _("id.gov.ua — BankID, кваліфікований електронний підпис, Дія.Підпис")
    short_label = _("id.gov.ua")

    def __init__(
        self,
        *,
        base_url: str | None = None,
        internal_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        auth_types: str | None = None,
        decrypt_url: str | None = None,
    ) -> None:
        self._base_url = base_url
        self._internal_url = internal_url
        self.client_id = client_id if client_id is not None else conf("IDGOVUA_CLIENT_ID")
        self.client_secret = client_secret if client_secret is not None else conf("IDGOVUA_CLIENT_SECRET")
        self.auth_types = (
            auth_types if auth_types is not None else conf("IDGOVUA_AUTH_TYPES", "dig_sign,bank_id,diia_id")
        )
        self.decrypt_url = (decrypt_url if decrypt_url is not None else conf("IDGOVUA_DECRYPT_URL")).rstrip(
            "/"
        )

    # The browser is sent to base_url; server-to-server calls go to internal_url
    # (the same unless the server reaches the provider by another address).
    def base_url(self, request) -> str:
        return (self._base_url or conf("IDGOVUA_BASE_URL", "https://test.id.gov.ua")).rstrip("/")

    def internal_url(self, request) -> str:
        return (self._internal_url or self.base_url(request)).rstrip("/")

    def redirect_uri(self, request, binding: str) -> str:
        """This flow's own redirect: the callback, with the flow's binding (flow_begin);
        the bare callback when the binding is switched off (IDGOVUA_BIND_REDIRECT)."""
        path = reverse("accounts:verify_callback", args=[self.key])
        if not binding:
            return request.build_absolute_uri(path)
        return request.build_absolute_uri(f"{path}?{urlencode({FLOW_PARAM: binding})}")

    @property
    def bind_redirect(self) -> bool:
        # Whether id.gov.ua accepts a registered redirect whose query varies is not
        # confirmed; an install whose registration needs the exact address turns this off
        # and relies on the state alone.
        return conf("IDGOVUA_BIND_REDIRECT", "1").strip().lower() not in ("0", "false", "no", "off")

    def _require_config(self) -> None:
        if not self.client_id or not self.client_secret:
            raise identity_error("provider_misconfigured", status=503)

    # --- browser leg ---------------------------------------------------------------------------

    def authorization_url(self, request) -> str:
        self._require_config()
        state = new_state()
        binding = flow_begin(request, provider=self.key, state=state, bind=self.bind_redirect)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "auth_type": self.auth_types,
                "state": state,
                "redirect_uri": self.redirect_uri(request, binding),
            }
        )
        return f"{self.base_url(request)}/?{query}"

    # --- callback and server-to-server leg -------------------------------------------------------

    def complete(self, request) -> VerifiedPerson:
        self._require_config()
        flow = flow_finish(request, provider=self.key)
        error = request.GET.get("error", "")
        if error:
            if error == "access_denied":
                raise identity_error("access_denied")
            log.info(
                "id.gov.ua callback error %s: %s", error[:50], request.GET.get("error_description", "")[:200]
            )
            raise identity_error("idp_error", status=502)
        code = request.GET.get("code", "")
        if not code:
            raise identity_error("missing_code")
        base = self.internal_url(request)
        with http_client() as client:
            token = self._access_token(
                client, base, code, self.redirect_uri(request, flow.get("binding", ""))
            )
            attributes = self._user_info(client, base, token)
            self._logout(client, base, token)
        return person_from_attributes(
            provider=self.key,
            last_name=attributes.get("lastname"),
            first_name=attributes.get("givenname"),
            middle_name=attributes.get("middlename"),
            tax_number=attributes.get("drfocode"),
            auth_type=attributes.get("auth_type"),
            email=attributes.get("email"),
        )

    def _access_token(self, client, base: str, code: str, redirect_uri: str) -> dict:
        # The secret travels in a form body (never Basic auth, never in a logged URL). The
        # redirect the code was delivered to goes too (RFC 6749 4.1.3): an IdP that checks
        # it refuses a code carried to another flow's redirect; id.gov.ua ignores it.
        status, data = call_json(
            client,
            "POST",
            f"{base}/get-access-token",
            data={
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
            },
        )
        if _is_error(data):
            if data.get("error") in {"invalid_grant", "invalid_code", "code_used", "code_expired"}:
                raise identity_error("code_replayed")
            log.info(
                "id.gov.ua token error %s: %s",
                data.get("error"),
                str(data.get("error_description", ""))[:200],
            )
            raise identity_error("idp_error", status=502)
        if status != 200 or not data.get("access_token") or not data.get("user_id"):
            raise identity_error("idp_bad_response", status=502)
        return {"access_token": str(data["access_token"]), "user_id": str(data["user_id"])}

    def _user_info(self, client, base: str, token: dict) -> dict:
        params = {**token, "fields": USER_INFO_FIELDS}
        if self.decrypt_url:
            # httpx encodes the value once more: the URL carries it twice encoded,
            # as id.gov.ua asks ("urlencode(urlencode(cert))").
            params["cert"] = quote(self._envelope_certificate(client), safe="")
        status, data = call_json(client, "GET", f"{base}/get-user-info", params=params)
        if _is_error(data):
            log.info(
                "id.gov.ua user-info error %s: %s",
                data.get("error"),
                str(data.get("error_description", ""))[:200],
            )
            raise identity_error("idp_error", status=502)
        if "encryptedUserInfo" in data:
            if not self.decrypt_url:
                raise identity_error("decrypt_failed", status=502)
            data = self._decrypt(client, str(data["encryptedUserInfo"]))
        if status != 200:
            raise identity_error("idp_bad_response", status=502)
        return data

    def _logout(self, client, base: str, token: dict) -> None:
        """Ask id.gov.ua to forget the session data; failure here loses nothing."""
        try:
            client.post(f"{base}/get-user-logout", params=token)
        except Exception as exc:  # noqa: BLE001 - best effort, never blocks verification
            log.info("id.gov.ua logout failed: %s", exc.__class__.__name__)

    # --- EUSignCP sidecar (production decryption) ---------------------------------------------------

    def _envelope_certificate(self, client) -> str:
        from django.core.cache import cache

        cached = cache.get("identity:idgovua:envelope-cert")
        if cached:
            return cached
        try:
            response = client.get(f"{self.decrypt_url}/api/v1/certificate")
        except Exception as exc:  # noqa: BLE001 - any sidecar failure is one error for the person
            log.error("EUSignCP sidecar unreachable: %s", exc.__class__.__name__)
            raise identity_error("decrypt_failed", status=502)
        if response.status_code != 200:
            raise identity_error("decrypt_failed", status=502)
        try:
            body = response.json()
            cert = body.get("certificate") if isinstance(body, dict) else body
        except ValueError:
            cert = response.text
        cert = str(cert or "").strip().strip('"')
        if not cert:
            raise identity_error("decrypt_failed", status=502)
        cache.set("identity:idgovua:envelope-cert", cert, 3600)
        return cert

    def _decrypt(self, client, envelope: str) -> dict:
        try:
            response = client.post(f"{self.decrypt_url}/api/v1/decrypt", json={"encryptedUserInfo": envelope})
            data = response.json()
        except Exception as exc:  # noqa: BLE001 - transport or JSON failure
            log.error("EUSignCP sidecar decrypt failed: %s", exc.__class__.__name__)
            raise identity_error("decrypt_failed", status=502)
        if response.status_code != 200 or not isinstance(data, dict) or _is_error(data):
            raise identity_error("decrypt_failed", status=502)
        return data


def _is_error(data: dict) -> bool:
    """id.gov.ua answers errors as {"error", "error_description"}; "0" means success."""
    error = data.get("error")
    return error not in (None, "", "0", 0)
