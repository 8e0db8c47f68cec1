"""The platform's own secrets: SECRET_KEY and IDENTITY_HASH_KEY (README "Keys").

Outside the demo each must be set in the environment, at least 32 bytes long, never
the public development value, and the two must differ; otherwise the settings raise
ImproperlyConfigured naming the variable, so no command (not even `manage.py check`)
starts. The demo (DEMO=1) generates random keys once into VAR_DIR (mode 0600) and keeps
them, so its sessions and identities survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from hromada.core.files import write_once

MIN_KEY_BYTES = 32
# Values that were ever public (the old development default): never accepted.
PUBLIC_KEYS = frozenset({"dev-insecure-change-me-in-production-0123456789abcdef"})
HOW_TO = 'create one with: python -c "import secrets; print(secrets.token_urlsafe(48))" (README "Keys")'


def platform_key(name: str, *, demo: bool, var_dir: Path, file_name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        if not demo:
            raise ImproperlyConfigured(f"{name} is not set: the platform needs its own key; {HOW_TO}")
        value = _read_or_generate(var_dir / file_name)
        origin = f"{name} (generated into {var_dir / file_name})"
    else:
        origin = name
    if value in PUBLIC_KEYS:
        raise ImproperlyConfigured(f"{origin} is the public development value, known to anyone; {HOW_TO}")
    if len(value.encode()) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(f"{origin} is shorter than {MIN_KEY_BYTES} bytes; {HOW_TO}")
    return value


def distinct(name: str, value: str, other_name: str, other: str) -> None:
    if value == other:
        raise ImproperlyConfigured(f"{name} must differ from {other_name}; {HOW_TO}")


def _read_or_generate(path: Path) -> str:
    """The key in `path`, generated the first time (once, whichever process is first)."""
    return write_once(path, (secrets.token_urlsafe(48) + "\n").encode()).decode().strip()
