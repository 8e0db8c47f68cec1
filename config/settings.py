"""Hromada settings: one file, every value read from the environment.

Every variable is listed in README.md's configuration table.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.keys import distinct, platform_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Under pytest, default to what the suite needs (each still overridable from the environment).
if "pytest" in sys.modules:
    for _name, _value in {
        "FAST_PASSWORD_HASHER": "1",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "IDENTITY_PROVIDERS": "dev,idgovua,oidc",
        "STATIC_MANIFEST": "0",
        "MAP_TILES_URL": "",  # no test reaches the internet: maps are drawn without tiles
        "PAGE_CACHE_SECONDS": "0",
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789abcdef",
        "IDENTITY_HASH_KEY": "test-identity-hash-key-not-for-production-0123456789",
    }.items():
        os.environ.setdefault(_name, _value)
# Type-checking (django-stubs) imports the settings and runs nothing: fixed keys will do.
if "mypy" in sys.modules:
    os.environ.setdefault("SECRET_KEY", "typecheck-secret-key-not-for-production-0123456789")
    os.environ.setdefault("IDENTITY_HASH_KEY", "typecheck-identity-hash-key-not-for-production-0123456789")

DEBUG = env_bool("DEBUG", False)
# The platform's own keys (config/keys.py): required outside the demo, never a public
# value, at least 32 bytes; the demo generates them once into VAR_DIR.
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
_demo = env_bool("DEMO")
DEMO = _demo  # the demo install (views that only the demo and development show)
SECRET_KEY = platform_key("SECRET_KEY", demo=_demo, var_dir=VAR_DIR, file_name="secret-key")
# Keyed hash of tax numbers (РНОКПП): separate from SECRET_KEY (never falls back to it) so
# rotating sessions does not orphan identities.
IDENTITY_HASH_KEY = platform_key(
    "IDENTITY_HASH_KEY", demo=_demo, var_dir=VAR_DIR, file_name="identity-hash-key"
)
distinct("IDENTITY_HASH_KEY", IDENTITY_HASH_KEY, "SECRET_KEY", SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "hromada.accounts.admin_apps.InstallAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",  # its bundled Swagger UI files are served from the install (hromada/api/docs.py)
    "hromada.core",
    "hromada.tenancy",
    "hromada.accounts",
    "hromada.ledger",
    "hromada.notify",
    "hromada.comments",
    "hromada.petitions",
    "hromada.places",
    "hromada.budget",
    "hromada.consultations",
    "hromada.appeals",
    "hromada.opendata",
    "hromada.cnap",
    "hromada.api",
]

MIDDLEWARE = [
    "hromada.core.middleware.MetricsMiddleware",
    "hromada.core.csp.ContentSecurityPolicyMiddleware",  # a strict CSP on every response
    "hromada.api.middleware.ApiJsonErrorsMiddleware",  # every error under /api/ is JSON
    "hromada.appeals.open311.middleware.Open311ErrorsMiddleware",  # …and under /open311/ the spec's
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hromada.core.middleware.LanguageMiddleware",
    "hromada.core.text.TextGuardMiddleware",  # hostile text refused before any view
    "hromada.core.middleware.AnonymousPageCache",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hromada.accounts.middleware.ApiTokenMiddleware",  # a bearer token counts on API reads too
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hromada.core.middleware.HtmxLoginRedirectMiddleware",  # htmx + lost session → HX-Redirect to log in
    "hromada.tenancy.middleware.HromadaMiddleware",
    "hromada.tenancy.middleware.ModuleGateMiddleware",
    "hromada.core.error_views.QueryStringLimitMiddleware",  # an over-long query → a 414 page
    "axes.middleware.AxesMiddleware",  # a locked-out log-in → 429 (hromada.accounts.lockout)
    "hromada.core.ratelimit.RateLimitMiddleware",  # a view's RateLimited → 429 + Retry-After
]

# The kernel's tests run against a small test-only module (hromada/core/tests/sample);
# TEST_WITHOUT="petitions" leaves a module out, to prove the kernel stands without it.
if "pytest" in sys.modules:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("hromada.api"), "hromada.core.tests.sample")
    for _label in env_list("TEST_WITHOUT"):
        INSTALLED_APPS.remove(f"hromada.{_label}")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hromada.tenancy.context_processors.hromada",
                "hromada.core.context_processors.site",
            ],
        },
    },
]

# Embedded SQLite by default so `make demo` needs nothing installed; PostgreSQL in
# production via DATABASE_URL=postgres://...
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if env_bool("DB_SERVER_SIDE_BINDING", True):
        # psycopg sends parameters separately from the statement text.
        _pg_options["server_side_binding"] = True
    # psycopg prepares a statement on a connection once it has run this many times,
    # so PostgreSQL parses and plans the hot ones once per connection instead of on
    # every request (measured: the token look-up's PostgreSQL CPU 0.23 → 0.06 ms). Django
    # turns this off by default for transaction-pooling proxies: set
    # DB_PREPARE_THRESHOLD=off behind PgBouncer older than 1.21.
    _prepare = env("DB_PREPARE_THRESHOLD", "5")
    if _prepare.lower() not in ("", "off", "none"):
        _pg_options["prepare_threshold"] = int(_prepare)
# Parallel test runs (several developers or CI jobs on one server) pick their own name.
if env("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out log-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "hromada.accounts.backends.EmailBackend"]
# Login lockout (django-axes; policy in hromada.accounts.lockout): failures are counted in
# the database, so every worker and app server sees them, by account and by client address.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(env("LOGIN_COOLOFF_MINUTES", "15"))
STAFF_LOGIN_FAILURE_LIMIT = int(env("STAFF_LOGIN_FAILURE_LIMIT", "3"))
STAFF_LOGIN_COOLOFF_MINUTES = int(env("STAFF_LOGIN_COOLOFF_MINUTES", "60"))
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "hromada.accounts.lockout.login_username"
AXES_CLIENT_IP_CALLABLE = "hromada.accounts.lockout.client_ip"
AXES_FAILURE_LIMIT = "hromada.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "hromada.accounts.lockout.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each failure expires on its own (staff cool off longer)
AXES_LOCKOUT_CALLABLE = "hromada.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # a success must not wipe an address's count of sprayed failures
AXES_DISABLE_ACCESS_LOG = True  # no record of successful log-ins is kept
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER"):  # tests and benchmark fixtures only
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = env("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A stale form is told to reload the page, in the person's language (JSON under /api/).
CSRF_FAILURE_VIEW = "hromada.core.error_views.csrf_failure"

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Kyiv"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package-lock.json), never from a CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12_000_000

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Громада <noreply@hromada.local>")

# Background work: django-tasks with its database backend, run by `manage.py worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Identity providers (see docs/identity.md). IDENTITY_PROVIDERS lists enabled ones.
IDENTITY_PROVIDERS = env_list("IDENTITY_PROVIDERS", "dev" if DEBUG or env_bool("DEMO") else "")
IDGOVUA_BASE_URL = env("IDGOVUA_BASE_URL", "https://test.id.gov.ua")
IDGOVUA_CLIENT_ID = env("IDGOVUA_CLIENT_ID", "")
IDGOVUA_CLIENT_SECRET = env("IDGOVUA_CLIENT_SECRET", "")
IDGOVUA_AUTH_TYPES = env("IDGOVUA_AUTH_TYPES", "dig_sign,bank_id,diia_id")
IDGOVUA_DECRYPT_URL = env("IDGOVUA_DECRYPT_URL", "")  # EUSignCP sidecar, see docs
# Each flow's redirect carries its own `?flow=` binding (docs/identity.md); off for a
# registration that accepts only the exact callback address.
IDGOVUA_BIND_REDIRECT = env_bool("IDGOVUA_BIND_REDIRECT", True)
OIDC_ISSUER = env("OIDC_ISSUER", "")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
OIDC_NAME = env("OIDC_NAME", "OpenID Connect")
# The built-in development identity provider speaks the id.gov.ua flow at /dev-idp/.
DEV_IDP_ENABLED = "dev" in IDENTITY_PROVIDERS

# Ledger: Ed25519 key that signs tree heads (PEM, or a path to a PEM file).
LEDGER_SIGNING_KEY = env("LEDGER_SIGNING_KEY", "")
LEDGER_SEAL_INTERVAL = int(env("LEDGER_SEAL_INTERVAL", "10"))
LEDGER_STRAGGLER_WINDOW = int(env("LEDGER_STRAGGLER_WINDOW", "600"))
LEDGER_FULL_SCAN_INTERVAL = int(env("LEDGER_FULL_SCAN_INTERVAL", "3600"))

# Periodic jobs, personal-data exporters, page-cache prefixes, ledger and notification
# kinds are declared by each module in its module.py (hromada.core.modules).
# When set, /metrics answers only to "Authorization: Bearer <token>".
METRICS_TOKEN = env("METRICS_TOKEN", "")

# Public pages for visitors without a session are cached this long (0 turns it off);
# which pages, each module says (module.py `page_cache_prefixes`).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "2"))

# Abuse limits (hromada.core.ratelimit, the one limiter; state in the database, shared by
# every process): "<count>/<s|m|h|d>" or "off"; "<name>" counts per account (or API
# token), "<name>:address" per client address. Override any with
# RATE_LIMITS="petition.submit=10/h,signup:address=off". Signing is never limited (one
# person, one signature). Off under pytest unless a test turns them on.
RATE_LIMITS = {
    "petition.submit": "5/h",
    "petition.submit:address": "30/h",
    "petition.similar:address": "120/m",  # the title-as-you-type look-up (a search each)
    "petition.coauthor_invite": "20/h",  # an e-mail invitation tells whether an account exists
    "budget.submit": "5/h",  # a project submitted (and the draft created)
    "budget.submit:address": "30/h",
    "budget.coauthor_invite": "20/h",
    "budget.residency": "20/h",  # an address declared for a cycle (a look-up each)
    "budget.school_vote:address": "30/m",  # a school code tried: guessing is slowed down
    "signup:address": "20/h",
    "email.password_reset": "3/h",  # per e-mail address asked for
    "email.password_reset:address": "10/h",
    "email.confirm": "3/h",
    "email.confirm:address": "10/h",
    "email.change": "3/h",
    "email.change:address": "10/h",
    "api.write": "60/m",  # per API token (or session account): every API write but signing
    "api.write:address": "300/m",
    "ledger.receipt": "30/m",  # receipt checks on /ledger/receipt/ and the API, per account
    "ledger.receipt:address": "60/m",
    "comments.post": "10/10m",  # a comment or a reply, per account (every entry point)
    "comments.report": "20/h",  # abuse reports, per account
    "consultations.propose": "10/h",  # a proposal to a consultation or a paragraph of a draft act
    "consultations.propose:address": "60/h",
    "appeals.open311": "120/m",  # Open311 POST requests, per API key (an app speaks for many)
    "appeals.open311:address": "300/m",
    "appeals.submit": "20/h",  # an appeal, information request or problem report registered (site and API)
    "appeals.submit:address": "120/h",
    "appeals.nearby:address": "120/m",  # the similar-reports look-up as the point is chosen
} | {i.partition("=")[0].strip(): i.partition("=")[2].strip() or "?" for i in env_list("RATE_LIMITS")}
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", "pytest" not in sys.modules)

# Comments (hromada.comments): how long the author may still edit a comment.
COMMENTS_EDIT_MINUTES = int(env("COMMENTS_EDIT_MINUTES", "15"))

# Map tiles (the kernel's map component, hromada/core/templates/core/_map.html): a
# {z}/{x}/{y} URL template; the CSP's img-src allows exactly its host. Empty: no tiles,
# maps draw areas and points on a plain background (a server without internet).
MAP_TILES_URL = env("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png" if DEMO else "")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    "© OpenStreetMap contributors" if "openstreetmap.org" in MAP_TILES_URL else "",
)

# One-hromada installs need nothing; this picks the tenant when a host matches none.
DEFAULT_HROMADA_SLUG = env("DEFAULT_HROMADA_SLUG", "")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
# Behind the TLS proxy the site is HTTPS only: plain-HTTP requests are redirected (the
# health and metrics probes excepted, for load balancers on the inside) and browsers are
# told to use HTTPS for a year (HSTS). Preloading is a separate, lasting commitment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", env_bool("BEHIND_TLS_PROXY"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if env_bool("BEHIND_TLS_PROXY") else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# W021 asks for HSTS preloading, which an install opts into deliberately (see above).
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
