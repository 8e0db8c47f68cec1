"""Generic OpenID Connect client for regional identity providers.

Authorization code flow with PKCE (S256), state and nonce; discovery from
{OIDC_ISSUER}/.well-known/openid-configuration; the token endpoint with
client_secret_post or client_secret_basic; the id_token checked against the
provider's JWKS (signature, iss, aud, azp, exp, iat, nonce); then userinfo.

Claims: family_name, given_name, middle_name, birthdate and the tax number
from the claim named by OIDC_TAX_CLAIM (default "drfocode"); `email`, when the
provider sends it, only pre-fills a new person's sign-up form.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets
from urllib.parse import urlencode

import jwt
from django.core.cache import cache
from django.urls import reverse

from hromada.accounts.models import VerificationMethod

from .base import (
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

ALLOWED_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]
DISCOVERY_CACHE_SECONDS = 3600
CLOCK_SKEW_SECONDS = 60


class OidcProvider:
    key = "oidc"
    method = VerificationMethod.OIDC

    def __init__(
        self,
        *,
        issuer: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        tax_claim: str | None = None,
        scopes: str | None = None,
        token_auth: str | None = None,
        label: str | None = None,
    ) -> None:
        self.issuer = (issuer if issuer is not None else conf("OIDC_ISSUER")).rstrip("/")
        self.client_id = client_id if client_id is not None else conf("OIDC_CLIENT_ID")
        self.client_secret = client_secret if client_secret is not None else conf("OIDC_CLIENT_SECRET")
        self.tax_claim = tax_claim or conf("OIDC_TAX_CLAIM", "drfocode")
        self.scopes = scopes or conf("OIDC_SCOPES", "openid profile")
        if "openid" not in self.scopes.split():
            self.scopes = "openid " + self.scopes
        # "" lets discovery decide; otherwise client_secret_post or client_secret_basic.
        self.token_auth = token_auth if token_auth is not None else conf("OIDC_TOKEN_AUTH", "")
        self.label = label or conf("OIDC_NAME", "OpenID Connect")
        self.short_label = self.label

    def _require_config(self) -> None:
        if not self.issuer or not self.client_id:
            raise identity_error("provider_misconfigured", status=503)

    def redirect_uri(self, request) -> str:
        return request.build_absolute_uri(reverse("accounts:verify_callback", args=[self.key]))

    # --- discovery and keys ----------------------------------------------------------------------

    def discovery(self) -> dict:
        key = "identity:oidc:discovery:" + hashlib.sha256(self.issuer.encode()).hexdigest()
        document = cache.get(key)
        if document is None:
            with http_client() as client:
                status, document = call_json(client, "GET", f"{self.issuer}/.well-known/openid-configuration")
            required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if status != 200 or any(not document.get(k) for k in required):
                raise identity_error("idp_bad_response", status=502)
            if str(document["issuer"]).rstrip("/") != self.issuer:
                log.error("OIDC discovery issuer %r differs from OIDC_ISSUER", document["issuer"])
                raise identity_error("provider_misconfigured", status=503)
            cache.set(key, document, DISCOVERY_CACHE_SECONDS)
        return document

    def _jwks(self, client, uri: str, *, refresh: bool = False) -> jwt.PyJWKSet:
        key = "identity:oidc:jwks:" + hashlib.sha256(uri.encode()).hexdigest()
        data = None if refresh else cache.get(key)
        if data is None:
            status, data = call_json(client, "GET", uri)
            if status != 200 or not isinstance(data.get("keys"), list):
                raise identity_error("idp_bad_response", status=502)
            cache.set(key, data, DISCOVERY_CACHE_SECONDS)
        try:
            return jwt.PyJWKSet.from_dict(data)
        except jwt.PyJWTError:
            raise identity_error("idp_bad_response", status=502)

    # --- browser leg -----------------------------------------------------------------------------

    def authorization_url(self, request) -> str:
        self._require_config()
        document = self.discovery()
        state, nonce = new_state(), secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        flow_begin(request, provider=self.key, state=state, nonce=nonce, verifier=verifier)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri(request),
                "scope": self.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        endpoint = document["authorization_endpoint"]
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    # --- callback --------------------------------------------------------------------------------

    def complete(self, request) -> VerifiedPerson:
        self._require_config()
        flow = flow_finish(request, provider=self.key)
        error = request.GET.get("error", "")
        if error:
            if error in {"access_denied", "login_required", "consent_required", "interaction_required"}:
                raise identity_error("access_denied")
            raise identity_error("idp_error", status=502)
        code = request.GET.get("code", "")
        if not code:
            raise identity_error("missing_code")
        document = self.discovery()
        with http_client() as client:
            tokens = self._token(client, document, code, flow["verifier"], self.redirect_uri(request))
            claims = self._validate_id_token(client, document, tokens["id_token"], flow["nonce"])
            if document.get("userinfo_endpoint") and tokens.get("access_token"):
                userinfo = self._userinfo(client, document["userinfo_endpoint"], tokens["access_token"])
                if userinfo.get("sub") != claims.get("sub"):
                    raise identity_error("token_invalid", status=502)
                claims = {**claims, **userinfo}
        return person_from_attributes(
            provider=self.key,
            last_name=claims.get("family_name"),
            first_name=claims.get("given_name"),
            middle_name=claims.get("middle_name"),
            tax_number=claims.get(self.tax_claim),
            birth_date=_parse_birthdate(claims.get("birthdate")),
            auth_type=claims.get("acr") or (claims.get("amr") or ["oidc"])[0],
            # Pre-fills a new person's sign-up form only; unverified addresses are fine for that.
            email=claims.get("email"),
        )

    def _token(self, client, document: dict, code: str, verifier: str, redirect_uri: str) -> dict:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.client_id,
        }
        auth = None
        if self._auth_method(document) == "client_secret_basic":
            auth = (self.client_id, self.client_secret)
        else:
            data["client_secret"] = self.client_secret
        status, body = call_json(client, "POST", document["token_endpoint"], data=data, auth=auth)
        if body.get("error"):
            if body["error"] == "invalid_grant":
                raise identity_error("code_replayed")
            log.info(
                "OIDC token error %s: %s", body.get("error"), str(body.get("error_description", ""))[:200]
            )
            raise identity_error("idp_error", status=502)
        if status != 200 or not body.get("id_token"):
            raise identity_error("idp_bad_response", status=502)
        return body

    def _auth_method(self, document: dict) -> str:
        if self.token_auth in {"client_secret_post", "client_secret_basic"}:
            return self.token_auth
        supported = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        return "client_secret_basic" if "client_secret_basic" in supported else "client_secret_post"

    def _validate_id_token(self, client, document: dict, id_token: str, nonce: str) -> dict:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError:
            raise identity_error("token_invalid", status=502)
        algorithm = header.get("alg")
        supported = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        if algorithm not in ALLOWED_ALGORITHMS or algorithm not in supported:
            raise identity_error("token_invalid", status=502)
        key = self._signing_key(client, document["jwks_uri"], header.get("kid"))
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=[algorithm],
                audience=self.client_id,
                issuer=document["issuer"],
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            log.info("OIDC id_token refused: %s", exc.__class__.__name__)
            raise identity_error("token_invalid", status=502)
        aud = claims.get("aud")
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != self.client_id:
            raise identity_error("token_invalid", status=502)
        if not nonce or claims.get("nonce") != nonce:
            raise identity_error("token_invalid", status=502)
        return claims

    def _signing_key(self, client, jwks_uri: str, kid: str | None):
        for refresh in (False, True):  # a key we do not know may be a rotation: refetch once
            keys = [
                k
                for k in self._jwks(client, jwks_uri, refresh=refresh).keys
                if k.public_key_use in (None, "sig")
            ]
            matching = [k for k in keys if kid is None or k.key_id == kid]
            if matching:
                return matching[0].key
        raise identity_error("token_invalid", status=502)

    def _userinfo(self, client, endpoint: str, access_token: str) -> dict:
        status, body = call_json(client, "GET", endpoint, headers={"Authorization": f"Bearer {access_token}"})
        if status != 200 or body.get("error"):
            raise identity_error("idp_error", status=502)
        return body


def _parse_birthdate(value) -> dt.date | None:
    """OIDC birthdate is YYYY-MM-DD; "0000-MM-DD" (year withheld) or YYYY alone give no date."""
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
