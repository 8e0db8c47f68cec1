"""Outside the demo the platform refuses to start without its own SECRET_KEY and
IDENTITY_HASH_KEY (issue 8, finding 1); the demo generates them once into VAR_DIR.

Each case runs `manage.py check` in a subprocess with a clean environment, as an
operator's shell would, so the settings are imported afresh and not under pytest."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PUBLIC_DEFAULT = "dev-insecure-change-me-in-production-0123456789abcdef"
GOOD_SECRET = "s" * 20 + "-a-long-enough-secret-key-for-tests"
GOOD_HASH_KEY = "h" * 20 + "-a-long-enough-identity-hash-key-xy"


def check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refused(result: subprocess.CompletedProcess, name: str) -> bool:
    return result.returncode != 0 and "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_refuses_to_start_without_a_secret_key(tmp_path):
    assert refused(check(tmp_path), "SECRET_KEY")
    assert refused(check(tmp_path, IDENTITY_HASH_KEY=GOOD_HASH_KEY), "SECRET_KEY")


def test_refuses_to_start_without_an_identity_hash_key_and_never_falls_back(tmp_path):
    # Only SECRET_KEY set: the hash key must not silently become SECRET_KEY.
    assert refused(check(tmp_path, SECRET_KEY=GOOD_SECRET), "IDENTITY_HASH_KEY")


def test_refuses_the_public_default_key(tmp_path):
    assert refused(check(tmp_path, SECRET_KEY=PUBLIC_DEFAULT, IDENTITY_HASH_KEY=GOOD_HASH_KEY), "SECRET_KEY")
    assert refused(
        check(tmp_path, SECRET_KEY=GOOD_SECRET, IDENTITY_HASH_KEY=PUBLIC_DEFAULT), "IDENTITY_HASH_KEY"
    )


@pytest.mark.parametrize("name", ["SECRET_KEY", "IDENTITY_HASH_KEY"])
def test_refuses_a_short_key(tmp_path, name):
    keys = {"SECRET_KEY": GOOD_SECRET, "IDENTITY_HASH_KEY": GOOD_HASH_KEY, name: "x" * 31}
    result = check(tmp_path, **keys)
    assert refused(result, name) and "32" in result.stderr


def test_refuses_the_same_key_for_both(tmp_path):
    assert refused(
        check(tmp_path, SECRET_KEY=GOOD_SECRET, IDENTITY_HASH_KEY=GOOD_SECRET), "IDENTITY_HASH_KEY"
    )


def test_starts_with_its_own_keys(tmp_path):
    result = check(tmp_path, SECRET_KEY=GOOD_SECRET, IDENTITY_HASH_KEY=GOOD_HASH_KEY)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var").exists()  # nothing generated outside the demo


def test_demo_generates_its_keys_once_and_keeps_them(tmp_path):
    result = check(tmp_path, DEMO="1")
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    secret, hash_key = var / "secret-key", var / "identity-hash-key"
    first = (secret.read_text(), hash_key.read_text())
    assert len(first[0].strip()) >= 32 and len(first[1].strip()) >= 32
    assert first[0] != first[1] and PUBLIC_DEFAULT not in first
    for path in (secret, hash_key):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert check(tmp_path, DEMO="1").returncode == 0
    assert (secret.read_text(), hash_key.read_text()) == first  # kept, not regenerated


def test_demo_still_refuses_a_bad_key_it_is_given(tmp_path):
    assert refused(check(tmp_path, DEMO="1", SECRET_KEY="short"), "SECRET_KEY")
