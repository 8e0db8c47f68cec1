"""Tiny identity providers that run in a thread of the test process, on 127.0.0.1
and a free port: an OpenID Connect provider (discovery, JWKS, token, userinfo)
and an id.gov.ua look-alike with an EUSignCP decryption sidecar. No internet."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    """A ThreadingHTTPServer whose handler calls self.handle(method, path, query, form, headers)."""

    def __init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _dispatch(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                outer.requests.append(
                    {
                        "method": method,
                        "path": parts.path,
                        "raw_query": parts.query,
                        "body": raw,
                        "headers": dict(self.headers),
                    }
                )
                status, body = outer.handle(
                    method,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    raw,
                    dict(self.headers),
                )
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._dispatch("GET")

            def do_POST(self):  # noqa: N802
                self._dispatch("POST")

            def log_message(self, *args):
                pass

        self.requests: list[dict] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, method, path, query, body, headers):  # pragma: no cover - overridden
        raise TypeError(f"{type(self).__name__} must define handle()")


def _form(body: bytes) -> dict:
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


class FakeOidcProvider(_Server):
    client_id = "hromada-test"
    client_secret = "s3cret"

    def __init__(self, *, auth_methods=("client_secret_basic", "client_secret_post")) -> None:
        super().__init__()
        self.issuer = self.url
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.auth_methods = list(auth_methods)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.claims = {
            "sub": "person-42",
            "family_name": "Шевчук",
            "given_name": "Андрій",
            "middle_name": "Миколайович",
            "birthdate": "1972-11-02",
            "drfocode": "",
        }
        self.id_token_overrides: dict = {}
        self.sign_with_other_key = False
        self.token_auth_seen: list[str] = []

    def jwk(self) -> dict:
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**data, "kid": "k1", "use": "sig", "alg": "RS256"}

    def issue_code(self, *, nonce: str, challenge: str, redirect_uri: str) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": nonce,
            "challenge": challenge,
            "redirect_uri": redirect_uri,
            "used": False,
        }
        return code

    def handle(self, method, path, query, body, headers):
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": self.auth_methods,
                "code_challenge_methods_supported": ["S256"],
            }
        if path == "/jwks":
            return 200, {"keys": [self.jwk()]}
        if path == "/token" and method == "POST":
            return self._token(_form(body), headers)
        if path == "/userinfo":
            token = (headers.get("Authorization") or "").removeprefix("Bearer ")
            if token not in self.tokens:
                return 401, {"error": "invalid_token"}
            return 200, {k: v for k, v in self.claims.items() if v}
        return 404, {"error": "not_found"}

    def _token(self, form: dict, headers: dict):
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _sep, secret = base64.b64decode(auth[6:]).decode().partition(":")
            self.token_auth_seen.append("client_secret_basic")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
            self.token_auth_seen.append("client_secret_post")
        if (client_id, secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant["used"]:
            return 400, {"error": "invalid_grant"}
        grant["used"] = True
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE or redirect_uri mismatch"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": self.claims["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        claims.update(self.id_token_overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.other_key if self.sign_with_other_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
        access = secrets.token_urlsafe(16)
        self.tokens[access] = claims
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}


class FakeIdGovUa(_Server):
    """id.gov.ua's three endpoints answering with an encrypted envelope, and the
    EUSignCP sidecar's two endpoints, on one server."""

    client_id = "rp-client"
    client_secret = "rp-secret"
    certificate = "MIIB+base64/certificate=="

    def __init__(self) -> None:
        super().__init__()
        self.person = {
            "lastname": "Бондаренко",
            "givenname": "Ірина",
            "middlename": "Василівна",
            "drfocode": "",
            "auth_type": "diia_id",
        }
        self.codes = {"good-code": False}
        self.always_encrypt = False

    def handle(self, method, path, query, body, headers):
        if path == "/get-access-token":
            form = {**query, **_form(body)}
            if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
                return 401, {"error": "invalid_client"}
            if self.codes.get(form.get("code")) is not False:
                return 400, {"error": "invalid_grant"}
            self.codes[form["code"]] = True
            return 200, {
                "access_token": "at-1",
                "token_type": "bearer",
                "expires_in": 60,
                "refresh_token": "rt",
                "user_id": "u-1",
            }
        if path == "/get-user-info":
            if query.get("access_token") != "at-1" or query.get("user_id") != "u-1":
                return 200, {"error": "invalid_token", "error_description": "bad token"}
            if "cert" not in query and not self.always_encrypt:
                return 200, self.person
            if self.always_encrypt:
                return 200, {"encryptedUserInfo": base64.b64encode(json.dumps(self.person).encode()).decode()}
            if query.get("cert") != self.certificate_once_encoded():
                return 200, {
                    "error": "bad_cert",
                    "error_description": "certificate must be URL-encoded twice",
                }
            envelope = base64.b64encode(json.dumps(self.person).encode()).decode()
            return 200, {"encryptedUserInfo": envelope}
        if path == "/get-user-logout":
            return 200, {"error": "0", "error_description": "Дані користувача із ID = u-1 видалено успішно"}
        if path == "/api/v1/certificate":
            return 200, {"certificate": self.certificate}
        if path == "/api/v1/decrypt" and method == "POST":
            envelope = json.loads(body)["encryptedUserInfo"]
            return 200, json.loads(base64.b64decode(envelope))
        return 404, {"error": "not_found"}

    @classmethod
    def certificate_once_encoded(cls) -> str:
        # parse_qs decodes once; what is left must still be encoded once more.
        from urllib.parse import quote

        return quote(cls.certificate, safe="")
