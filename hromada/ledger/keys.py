"""The Ed25519 key that signs tree heads.

settings.LEDGER_SIGNING_KEY holds a PEM (PKCS#8) private key, or the path of a file
that does. When it is empty — a demo or a fresh install — a key is generated once and
kept at var/ledger-signing-key.pem (mode 0600). Production should set it explicitly
and back the key up: losing it does not endanger the log (old heads stay verifiable
with the public key kept in LedgerKey), but a new key must be announced to witnesses.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hromada.core.files import write_once

GENERATED_KEY_NAME = "ledger-signing-key.pem"
_lock = threading.Lock()
_cache: dict[str, SigningKey] = {}


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_raw: bytes

    @property
    def key_id(self) -> str:
        return key_id_for(self.public_raw)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def public_pem(self) -> str:
        return public_pem(self.public_raw)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")


def key_id_for(public_raw: bytes) -> str:
    """SHA-256 of the raw 32-byte public key, hex."""
    return hashlib.sha256(public_raw).hexdigest()


def public_pem(public_raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(public_raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def generated_key_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / GENERATED_KEY_NAME


def signing_key() -> SigningKey:
    configured = (settings.LEDGER_SIGNING_KEY or "").strip()
    cache_key = configured or f"generated:{generated_key_path()}"
    key = _cache.get(cache_key)
    if key is None:
        with _lock:
            key = _cache.get(cache_key) or _load(configured)
            _cache[cache_key] = key
    return key


def _load(configured: str) -> SigningKey:
    if configured.startswith("-----BEGIN"):
        pem = configured.encode()
        origin = "LEDGER_SIGNING_KEY"
    elif configured:
        path = Path(configured).expanduser()
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise ImproperlyConfigured(f"LEDGER_SIGNING_KEY: cannot read {path}: {exc.strerror}") from exc
        origin = str(path)
    else:
        path = generated_key_path()
        pem = _read_or_generate(path)
        origin = str(path)
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{origin}: not an unencrypted PEM private key ({exc})") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{origin}: the ledger key must be Ed25519, not {type(private).__name__}")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return SigningKey(private=private, public_raw=raw)


def generate_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _read_or_generate(path: Path) -> bytes:
    """The key in `path`, generated the first time (once, whichever process is first)."""
    if path.exists():
        return path.read_bytes()
    return write_once(path, generate_pem())


def clear_cache() -> None:
    with _lock:
        _cache.clear()
