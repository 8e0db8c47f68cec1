"""Django's deployment checks pass with production-like settings, and fail loudly when
a production setting is wrong."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "IDENTITY_HASH_KEY": secrets.token_urlsafe(48),
        "DEBUG": "0",
        "SECURE_COOKIES": "1",
        "BEHIND_TLS_PROXY": "1",
        "ALLOWED_HOSTS": "hromada.example.gov.ua",
        "CSRF_TRUSTED_ORIGINS": "https://hromada.example.gov.ua",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_production_setting_left_wrong_fails_them(tmp_path):
    result = _check(tmp_path, SECURE_COOKIES="0")
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr  # SESSION_COOKIE_SECURE
