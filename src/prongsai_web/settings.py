"""One settings module, driven by the environment (docs/web.md):

- ``PRONGSAI_DATA``: the data folder (default ``./prongsai-data``): the SQLite database ``db.sqlite3``,
  the generated secret key file ``secret_key`` and uploaded files under ``media/``;
- ``DATABASE_URL``: PostgreSQL instead of SQLite, ``postgres://user@/dbname?host=/run/socket`` or
  ``postgresql://user:password@host:5432/dbname``;
- ``PRONGSAI_SECRET_KEY``, ``PRONGSAI_DEBUG`` (1), ``PRONGSAI_ALLOWED_HOSTS`` (comma separated),
  ``PRONGSAI_SECURE`` (1 behind HTTPS: secure cookies, HSTS, redirect).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PRONGSAI_DATA", "prongsai-data")).resolve()
# the years an admin adds on the frameworks page (docs/web-staff.md) are read beside the bundled ones:
# the data folder's frameworks/ (made by web init) unless PRONGSAI_FRAMEWORKS names another folder
if (DATA_DIR / "frameworks").is_dir():
    os.environ.setdefault("PRONGSAI_FRAMEWORKS", str(DATA_DIR / "frameworks"))
FONTS_DIR = BASE_DIR.parent / "prongsai" / "document" / "fonts"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    """The key from the environment, else the data folder's key file (made on first use once the
    folder exists, readable by its owner only), else a key for this process alone (tests, a folder
    not yet made by ``prongsai web init``)."""
    given = os.environ.get("PRONGSAI_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    if DATA_DIR.is_dir():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key + "\n")
    return key


def database(url: str | None, data_dir: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from DATABASE_URL (PostgreSQL), or SQLite in the data folder."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "db.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (postgres:// or postgresql://)")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(query.pop("port", None) or parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
    }


SECRET_KEY = _secret_key()
DEBUG = _flag("PRONGSAI_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PRONGSAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "prongsai_web.directory",
    "prongsai_web.accounts",
    "prongsai_web.audit",
    "prongsai_web.results",
    "prongsai_web.plans",
    "django_tasks",
    "django_tasks_db",
    "prongsai_web.jobs",
    "prongsai_web.tracking",
    "prongsai_web.staff",
    "prongsai_web.ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "prongsai_web.access.MembershipsOnce",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "prongsai_web.urls"
WSGI_APPLICATION = "prongsai_web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static" if (DATA_DIR / "static").is_dir() else None  # collectstatic: optional
STATICFILES_DIRS = [("fonts", FONTS_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve from the package without a collectstatic step
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uploads: results files are small; anything larger is refused before it is read
UPLOAD_LIMIT = int(os.environ.get("PRONGSAI_UPLOAD_LIMIT", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT
# each evidence file of a progress update (docs/web-tracking.md); the front web server should cap
# the size of a whole request too (Django does not cap file uploads)
EVIDENCE_LIMIT = int(os.environ.get("PRONGSAI_EVIDENCE_LIMIT", str(10 * 1024 * 1024)))
LOGIN_ATTEMPTS = 5  # failures per user name and address before a pause
LOGIN_PAUSE_SECONDS = 15 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _flag("PRONGSAI_SECURE"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

# Background jobs: the Django Tasks API on django-tasks-db, in the same database (docs/web.md)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "interactive", "batch"],
    }
}
JOBS_MAX_ATTEMPTS = 3  # runs of a document job before it fails for good
JOBS_STALE_AFTER = int(os.environ.get("PRONGSAI_JOB_TIMEOUT", "600"))  # seconds: a run this old is reaped
JOBS_REAP_EVERY = 60  # seconds between the worker's reaper passes

# --- e-mail and reminders (jobs) ---
# docs/web-documents.md. Without PRONGSAI_SMTP_HOST the e-mails are written to the worker's output
# (Django's console backend: for trying the reminders out), never sent.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("PRONGSAI_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("PRONGSAI_SMTP_HOST", "localhost")
EMAIL_USE_TLS = _flag("PRONGSAI_SMTP_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = _flag("PRONGSAI_SMTP_SSL")  # TLS from the start, usually port 465
EMAIL_PORT = int(
    os.environ.get("PRONGSAI_SMTP_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
)
EMAIL_HOST_USER = os.environ.get("PRONGSAI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRONGSAI_SMTP_PASSWORD", "")
EMAIL_TIMEOUT = 30  # seconds: a server that hangs fails the attempt, which is tried again
DEFAULT_FROM_EMAIL = os.environ.get("PRONGSAI_MAIL_FROM", "prongsai <noreply@localhost>")
PRONGSAI_SITE_URL = os.environ.get("PRONGSAI_SITE_URL", "").rstrip("/")  # the e-mails' links; none unset
PRONGSAI_REMIND = os.environ.get("PRONGSAI_REMIND", "on").strip().lower() not in ("0", "off", "no", "false")
# Days before the due date (prongsai's choice, not an NACC rule); days after it an overdue measure
# may still be e-mailed about; the hour (Bangkok) from which the day's reminders may run.
PRONGSAI_REMIND_DAYS = int(os.environ.get("PRONGSAI_REMIND_DAYS", "14"))
PRONGSAI_REMIND_OVERDUE_FOR = int(os.environ.get("PRONGSAI_REMIND_OVERDUE_FOR", "30"))
PRONGSAI_REMIND_HOUR = int(os.environ.get("PRONGSAI_REMIND_HOUR", "8"))
JOBS_SCHEDULE_EVERY = 300  # seconds between the worker's checks of the reminders' schedule
JOBS_MAIL_ATTEMPTS = 5  # attempts at one e-mail (2, 4, 8, 16 minutes apart) before it fails
# --- end of e-mail and reminders (jobs) ---

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
