"""Django settings for Renkei, read from environment variables.

Defaults suit a laptop: SQLite under ``var/``, DEBUG on, a development secret.
Production sets ``DEBUG=false``, a real ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL); with DEBUG off the development secret is refused.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RENKEI_VAR_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "renkei-development-secret-not-for-production"  # noqa: S105 — check --deploy refuses it


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development secret; set a real SECRET_KEY when DEBUG is off."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "renkei.apps.RenkeiAdminConfig",  # the admin, for operators only (admin_base)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "renkei.tenancy",
    "renkei.audit",
    "renkei.programmes",
    "renkei.finance",
    "renkei.reports",
    "renkei.inquiries",
    "renkei.staff",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "renkei.portal",
    "renkei.opendata",
    "renkei.api",
    "renkei.operations",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id (renkei/request_log.py).
    "renkei.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database too busy to take a write: 503 with Retry-After (JSON under /api/), not 500.
    "renkei.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renkei.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "renkei.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renkei" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "renkei.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'renkei.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # One writer at a time: WAL lets pages read while a write is under way; a transaction
    # takes the write lock when it begins (IMMEDIATE), so it waits its turn (up to
    # ``timeout`` seconds) instead of failing with "database is locked" when two
    # transactions that began reading both try to write. NORMAL sync is safe with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# `renkei backup`: Django's JSON fixtures, but times keep their microseconds.
SERIALIZATION_MODULES = {"renkei-json": "renkei.operations.serializer"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The one authentication backend: Django's user name and password check behind the sign-in
# throttle (renkei/tenancy/signin.py), whichever screen or API asks.
AUTHENTICATION_BACKENDS = ["renkei.tenancy.signin.ThrottledModelBackend"]
# Reverse proxies in front of Renkei that append the client's address to X-Forwarded-For;
# 0: the address the connection came from (REMOTE_ADDR) is the client's.
RENKEI_TRUSTED_PROXY_COUNT = int(os.environ.get("RENKEI_TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "renkei" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "renkei" / "static"]
# Serve straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def storages_config(env) -> dict:
    """Where files (photos, vouchers, reports) are kept: under MEDIA_ROOT, or with
    ``RENKEI_S3_BUCKET`` in that private bucket of S3-compatible object storage (at
    ``RENKEI_S3_ENDPOINT_URL``, empty for AWS itself; in ``RENKEI_S3_REGION``; under the
    key prefix ``RENKEI_S3_PREFIX``). The credentials are not settings: boto3 reads
    ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (or a profile, or the machine's role)
    itself, so they never show in settings or error reports."""
    storages: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    bucket = env.get("RENKEI_S3_BUCKET", "").strip()
    if not bucket:
        return storages
    endpoint = env.get("RENKEI_S3_ENDPOINT_URL", "").strip() or None
    # Path-style addresses (https://host/bucket/key) work on every S3-compatible server;
    # virtual-hosted ones need a DNS name per bucket, which a closed network rarely has.
    style = env.get("RENKEI_S3_ADDRESSING_STYLE", "").strip() or ("path" if endpoint else "auto")
    if style not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(f"RENKEI_S3_ADDRESSING_STYLE {style!r}: path, virtual or auto.")
    storages["default"] = {
        "BACKEND": "renkei.object_storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env.get("RENKEI_S3_REGION", "").strip() or None,
            "location": env.get("RENKEI_S3_PREFIX", "").strip().strip("/"),
            "addressing_style": style,
        },
    }
    return storages


STORAGES = storages_config(os.environ)
# Local copies a renderer reads by path (photos from object storage, photos scaled for
# print): disposable, rebuilt when missing.
RENKEI_CACHE_DIR = Path(os.environ.get("RENKEI_CACHE_DIR", VAR_DIR / "cache"))

# Uploads: a request declaring a larger body is refused (413) before it is read; file
# parts above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, never into memory;
# the form fields of one request may take DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", 22 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# HTTPS. Production redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT, on by default when
# DEBUG is off) and sends HSTS once SECURE_HSTS_SECONDS is set (31536000 = a year; off by
# default: a browser that has seen it refuses plain HTTP for that long).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The proxy's and the monitor's health checks may come over plain HTTP on the local network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` (or ``X-Forwarded-Proto=https``): the header a TLS-terminating
    proxy sets, as SECURE_PROXY_SSL_HEADER. Set it only behind a proxy that always sets
    (or strips) that header, or a client could claim HTTPS."""
    if not value.strip():
        return None
    name, _sep, expected = value.partition("=")
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return meta, expected.strip() or "https"


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))

# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts
# only from this site, none inline (templates keep their scripts and styles in static
# files), no plugins, no framing, forms posting only here. A view that serves a document
# with its own inline style (the HTML report) sets its own, narrower header.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Error reports (the DEBUG page, mails to ADMINS) hide connection URLs and URL passwords too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "renkei.exception_reporting.SecretHidingFilter"


def cache_config(url: str) -> dict:
    """The default cache: per-process memory, or a shared cache from ``CACHE_URL``
    (``redis://host:6379/0`` needs the ``redis`` package, ``memcached://host:11211``
    the ``pymemcache`` package)."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renkei",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    scheme, _sep, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": rest}
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {scheme!r} is not one of redis, rediss, memcached."
    )


CACHES = {"default": cache_config(os.environ.get("CACHE_URL", ""))}
# Seconds a rendered public page (anonymous GET) is served from CACHES before it is rendered
# again; 0 turns the server-side cache off. Writes through Renkei's models end it earlier.
RENKEI_PUBLIC_CACHE_SECONDS = int(os.environ.get("RENKEI_PUBLIC_CACHE_SECONDS", "60"))

# JSON API (renkei/api): token or session auth, paginated, errors in one Japanese shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "renkei.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "renkei.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "renkei.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Hours an API token is accepted after it was issued; then /api/token/ issues a new one.
RENKEI_API_TOKEN_TTL_HOURS = int(os.environ.get("RENKEI_API_TOKEN_TTL_HOURS", "720"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Renkei API",
    "DESCRIPTION": "広域連携事業の活動記録（公開分は認証なし、職員は Token 認証で読み書き）",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Licence of the published open data: "CC-BY-4.0" or "PDL-1.0" (公共データ利用規約 第1.0版).
RENKEI_OPEN_DATA_LICENCE = os.environ.get("RENKEI_OPEN_DATA_LICENCE", "CC-BY-4.0")


def email_config(url: str) -> dict:
    """Django's mail settings from ``EMAIL_URL``: ``smtp://user:password@host:587`` (add
    ``?tls=1`` for STARTTLS), ``smtps://…`` (implicit TLS) or ``console://`` (mails
    written to the console, the default while DEBUG is on). Without it the usual
    ``EMAIL_HOST``/``EMAIL_PORT``… variables are read."""
    from urllib.parse import parse_qs, unquote, urlsplit

    if not url:
        backend = "console" if DEBUG and not os.environ.get("EMAIL_HOST") else "smtp"
        return {
            "EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend",
            "EMAIL_HOST": os.environ.get("EMAIL_HOST", "localhost"),
            "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "25")),
            "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", False),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", False),
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp, smtps, console)")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in ("1", "true", "yes"),
    }


globals().update(email_config(os.environ.get("EMAIL_URL", "")))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "renkei@localhost")
# Where the links in mails point: the staff screens' public address.
RENKEI_BASE_URL = os.environ.get("RENKEI_BASE_URL", "http://localhost:8000").rstrip("/")
# Days before a part's deadline its recipient's staff are reminded (e.g. "7,2").
RENKEI_REMINDER_DAYS = [int(d) for d in env_list("RENKEI_REMINDER_DAYS", ["7", "2"])]

# Long work (rendering and issuing reports) runs as jobs of Django's tasks framework
# (the django-tasks backport) in the database: `renkei worker` runs them, beside runserver
# under `make run`, or on any machine that shares the database (docs/adr/0011-job-queue.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A report job that finishes this many seconds after it was asked for is also mailed to the
# person who asked (they have probably left its page); 0 mails every finished job.
RENKEI_JOB_MAIL_AFTER_SECONDS = int(os.environ.get("RENKEI_JOB_MAIL_AFTER_SECONDS", "30"))
# /readyz answers 503 when a job has waited longer than this for a worker (none running?).
RENKEI_QUEUE_STALL_SECONDS = int(os.environ.get("RENKEI_QUEUE_STALL_SECONDS", "300"))

# Logs: JSON lines (one object per line, with the request's id) for collectors, or plain
# text; JSON unless DEBUG is on.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "renkei.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "renkei.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
