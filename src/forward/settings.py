"""Forward's one settings module, configured from ``FORWARD_*`` environment variables.

See the README's configuration table. Every reader raises ``ConfigError`` naming the variable,
which the ``forward`` command prints as one line.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import ConfigError, env_bool, env_int, env_list, env_str
from .storage_url import storage_config

PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("FORWARD_DEBUG", False)
DATA_DIR = Path(env_str("FORWARD_DATA_DIR") or (Path.cwd() / "forward-data")).resolve()

SECRET_KEY = env_str("FORWARD_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "FORWARD_SECRET_KEY",
            "is required when FORWARD_DEBUG is off; set it to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))")',
        )
    SECRET_KEY = "forward-insecure-debug-only-key"  # noqa: S105 - only ever with FORWARD_DEBUG=true
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ConfigError("FORWARD_SECRET_KEY", "is shorter than 32 characters; use a long random string")

ALLOWED_HOSTS = env_list("FORWARD_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("FORWARD_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("FORWARD_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Fernet keys that encrypt the credential signing keys at rest (comma-separated; the first
# encrypts, all decrypt, so a key is rotated by putting the new one first).
CREDENTIAL_KEYS = env_list("FORWARD_CREDENTIAL_KEYS", [])
if not CREDENTIAL_KEYS:
    if not DEBUG:
        raise ConfigError(
            "FORWARD_CREDENTIAL_KEYS",
            "is required when FORWARD_DEBUG is off; it encrypts the credential signing keys "
            '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")',
        )
    import base64
    import hashlib

    CREDENTIAL_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(b"credentials:" + SECRET_KEY.encode()).digest()).decode()]
try:
    from cryptography.fernet import Fernet

    for _key in CREDENTIAL_KEYS:
        Fernet(_key)
except ValueError:
    raise ConfigError("FORWARD_CREDENTIAL_KEYS", "each key must be a Fernet key: 32 bytes, url-safe base64 "
                      "(comma-separated; the first encrypts, all decrypt)") from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "allauth",
    "allauth.account",
    "ninja",
    "forward.core",
    "forward.competitions",
    "forward.academy",
    "forward.credentials",
    "forward.talent",
    "forward.ventures",
    "forward.impact",
    "forward.discussions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "forward.core.middleware.ContentSecurityPolicyMiddleware",
    "forward.core.middleware.StaticFilesMiddleware",  # WhiteNoise, its file list made once per process
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "forward.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "forward.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "forward.urls"
WSGI_APPLICATION = "forward.wsgi.application"
ASGI_APPLICATION = "forward.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forward.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
_database_url = env_str("FORWARD_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'forward.sqlite3'}"
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for bad URLs
    raise ConfigError(
        "FORWARD_DATABASE_URL",
        f"cannot use {_database_url!r} ({exc}); expected postgres://USER:PASSWORD@HOST:5432/NAME "
        "or sqlite:////absolute/path/forward.sqlite3",
    ) from exc
if _database["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ConfigError(
        "FORWARD_DATABASE_URL", f"{_database['ENGINE']} is not supported; use postgres:// or sqlite://"
    )
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    _database["CONN_HEALTH_CHECKS"] = False
    _database["OPTIONS"] = {
        # WAL lets readers work while a writer commits; the busy timeout makes a second writer
        # wait instead of failing; IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file (not memory) so that a worker process in the tests can share the test database.
    _database["TEST"] = {"NAME": str(DATA_DIR / "test-forward.sqlite3")}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits) ----------------------------------------------------------------------
_cache_url = env_str("FORWARD_CACHE_URL") or ""
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url == "":
    # Shared by every process on the machine, so rate limits hold across gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
else:
    raise ConfigError("FORWARD_CACHE_URL", f"expected redis://HOST:6379/0 or locmem://, got {_cache_url!r}")

# --- Auth and accounts (django-allauth) ----------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "forward.core.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "forward.core.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forward] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute from one address, 5 per 5 minutes against one account.
    "login_failed": env_str("FORWARD_LOGIN_RATE_LIMIT") or "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Dates use each locale's named formats (DATE_FORMAT, ...); forward/formats/ overrides the few
# that read badly for our users (see forward/formats/en/formats.py).
FORMAT_MODULE_PATH = "forward.formats"
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve straight from the package; `collectstatic` is optional
MEDIA_ROOT = DATA_DIR / "files"
# Uploaded and generated files: the local directory, or an S3-compatible object store shared by
# every web server and worker (see forward/storage_url.py and the README's deployment section).
FORWARD_STORAGE_URL = env_str("FORWARD_STORAGE_URL") or ""
# Downloads from object storage: streamed through the web server (the default), or with
# FORWARD_STORAGE_REDIRECT=true a redirect to a presigned URL that expires after this many seconds.
FORWARD_STORAGE_REDIRECT = env_bool("FORWARD_STORAGE_REDIRECT", False)
FORWARD_STORAGE_PRESIGN_SECONDS = env_int("FORWARD_STORAGE_PRESIGN_SECONDS", 300, minimum=10)
STORAGES = {
    "default": storage_config(FORWARD_STORAGE_URL, media_root=MEDIA_ROOT,
                              presign_seconds=FORWARD_STORAGE_PRESIGN_SECONDS),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------------------------
_email_backend = (env_str("FORWARD_EMAIL_BACKEND") or "console").lower()
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
if _email_backend not in _EMAIL_BACKENDS:
    raise ConfigError("FORWARD_EMAIL_BACKEND", f"expected one of {', '.join(_EMAIL_BACKENDS)}, got {_email_backend!r}")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("FORWARD_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("FORWARD_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("FORWARD_EMAIL_USER") or ""
EMAIL_HOST_PASSWORD = env_str("FORWARD_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("FORWARD_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("FORWARD_DEFAULT_FROM_EMAIL") or "Forward <noreply@forward.local>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (Celery) ---------------------------------------------------------------
CELERY_BROKER_URL = env_str("FORWARD_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Eager tasks still make a producer; an in-memory transport keeps kombu from guessing at localhost.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-run is redelivered to another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic jobs: every `forward worker` runs a scheduler (forward.core.periodic); one at a time,
# chosen by a lease that lasts one reap interval, sends these when due, and each run takes a lock.
FORWARD_REAP_INTERVAL = env_int("FORWARD_REAP_INTERVAL", 60, minimum=5)
_REAP_INTERVAL = FORWARD_REAP_INTERVAL
CELERY_BEAT_SCHEDULE = {
    "reap": {"task": "forward.competitions.reap", "schedule": _REAP_INTERVAL},
    "credentials": {"task": "forward.credentials.requeue", "schedule": _REAP_INTERVAL},
    "credentials-status-lists": {"task": "forward.credentials.publish_status_lists", "schedule": _REAP_INTERVAL},
    "talent-rounds": {"task": "forward.talent.requeue_rounds", "schedule": _REAP_INTERVAL},
    "talent-expired": {"task": "forward.talent.refresh_expired", "schedule": 3600},  # hourly
    # ventures (one line per area below)
    "ventures-events": {"task": "forward.ventures.events_periodic", "schedule": _REAP_INTERVAL},
    "impact-refresh": {"task": "forward.impact.refresh", "schedule": 3600},  # hourly; incremental
    "discussion-digests": {"task": "forward.discussions.digests", "schedule": 3600},  # hourly; one mail a person
    "academy-labs": {"task": "forward.academy.reap_labs", "schedule": _REAP_INTERVAL},
    "academy-attempts": {"task": "forward.academy.close_attempts", "schedule": _REAP_INTERVAL},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FORWARD_SECURE_COOKIES", SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("FORWARD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# A site whose public address is https sends http visitors to https and tells browsers to come
# back only over https (HSTS, a year). Both are Django's SecurityMiddleware; behind a proxy it needs
# FORWARD_BEHIND_PROXY to tell https from http (system check forward.W001 says so).
_HTTPS_SITE = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("FORWARD_SSL_REDIRECT", _HTTPS_SITE)
SECURE_HSTS_SECONDS = env_int("FORWARD_HSTS_SECONDS", 365 * 24 * 3600 if _HTTPS_SITE else 0, minimum=0)
# Subdomains and the browsers' preload list bind hosts this site may not run, so they are opt-in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FORWARD_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("FORWARD_HSTS_PRELOAD", False)
if SECURE_HSTS_PRELOAD and not (SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 365 * 24 * 3600):
    raise ConfigError("FORWARD_HSTS_PRELOAD", "the preload list needs FORWARD_HSTS_INCLUDE_SUBDOMAINS=true and "
                      "FORWARD_HSTS_SECONDS of at least 31536000 (a year)")
# The browser runs only the site's own files: no inline script or style, no eval, no plugins, no
# framing. Images and media may also come over https: course Markdown links images, and a lesson's
# video may stream from a CDN (neither can run script). data: images are the browser's own
# (form controls) and the API docs' icons; blob: media is how players feed HLS. See the README.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "media-src 'self' https: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# --- Forward itself ---------------------------------------------------------------------------
FORWARD_PROGRAMME_NAME = _("Forward")
FORWARD_PAGE_SIZE = 25
FORWARD_INVITATION_DAYS = 14
# A submission running longer than this is given back to the queue by the reaper.
FORWARD_SCORING_DEADLINE = env_int("FORWARD_SCORING_DEADLINE", 600, minimum=10)
# Each scoring job runs in a child process with this much memory (MB, on top of what the worker
# already holds) and this much time (seconds, below the deadline, so that the reaper never gives a
# job that is still running to another worker); a submission interrupted this many times fails.
FORWARD_SCORING_MEMORY_MB = env_int("FORWARD_SCORING_MEMORY_MB", 2048, minimum=64)
FORWARD_SCORING_TIMEOUT = env_int("FORWARD_SCORING_TIMEOUT", 300, minimum=1)
if FORWARD_SCORING_TIMEOUT >= FORWARD_SCORING_DEADLINE:
    raise ConfigError("FORWARD_SCORING_TIMEOUT", f"must be less than FORWARD_SCORING_DEADLINE "
                      f"({FORWARD_SCORING_DEADLINE} s), got {FORWARD_SCORING_TIMEOUT}")
FORWARD_SCORING_MAX_ATTEMPTS = env_int("FORWARD_SCORING_MAX_ATTEMPTS", 3, minimum=1)
# Each worker process keeps the parsed and indexed solutions of the rounds it scores, within this
# many MB (least recently used first out; 0 keeps none).
FORWARD_SCORING_CACHE_MB = env_int("FORWARD_SCORING_CACHE_MB", 512, minimum=0)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads stream to a temporary file
# The largest course bundle imported, as a zip and unpacked (academy.bundle_input).
FORWARD_BUNDLE_MAX_MB = env_int("FORWARD_BUNDLE_MAX_MB", 200, minimum=1)

# --- Ventures (one block per area) ------------------------------------------------------------
# Introductions: open requests an organization may have asked for in a week.
FORWARD_INTRO_WEEKLY_LIMIT = env_int("FORWARD_INTRO_WEEKLY_LIMIT", 10, minimum=1)
# Networking events: seconds the meeting scheduler may search before it reports its best.
FORWARD_SCHEDULE_TIME_LIMIT = env_int("FORWARD_SCHEDULE_TIME_LIMIT", 60, minimum=1)

# --- Discussions ------------------------------------------------------------------------------
# Accounts younger than a day (or without a verified email) post at most this many threads and
# replies an hour; authors edit their posts for this many hours.
FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR = env_int("FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR", 5, minimum=1)
FORWARD_DISCUSSION_EDIT_HOURS = env_int("FORWARD_DISCUSSION_EDIT_HOURS", 24, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FORWARD_LOG_LEVEL") or "INFO"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
