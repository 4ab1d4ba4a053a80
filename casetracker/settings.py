"""Casetracker settings, driven by environment variables.

Every variable has a safe development default so that ``make run`` works on a fresh machine
with no servers: SQLite under ``var/``, and a Celery broker that needs no server. Production
(``DEBUG=False``) refuses to start without a real ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL``. README.md lists every variable.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

if not DEBUG:
    missing = [
        name
        for name, bad in (
            ("SECRET_KEY", SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40),
            ("ALLOWED_HOSTS", not env.list("ALLOWED_HOSTS", default=[])),
            ("DATABASE_URL", "DATABASE_URL" not in env),
            ("ENCRYPTION_KEYS", not env.list("ENCRYPTION_KEYS", default=[])),
        )
        if bad
    ]
    if missing:
        raise ImproperlyConfigured(
            "DEBUG=False needs these environment variables set to real values: "
            + ", ".join(missing)
            + " (SECRET_KEY must be at least 40 characters and not the development key)."
        )

# Encryption at rest (casetracker/crypto.py): Fernet keys, the current one first; older ones
# still decrypt until `manage.py rotate_keys` has re-encrypted everything. Under DEBUG without
# keys, a development key derived from SECRET_KEY (the demo's data is public anyway).
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS", default=[])
if not ENCRYPTION_KEYS and DEBUG:
    import base64
    import hashlib

    ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"casetracker development key:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

INSTALLED_APPS = [
    "casetracker.apps.AdminConfig",  # Django's admin on our site: who may enter it
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "casetracker",
    "organisations",
    "people",
    "cases",
    "rulings",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The read audit sees every answer, the refusals of the middleware below included.
    "casetracker.access_log.AccessLogMiddleware",
    "casetracker.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casetracker.api.throttling.ApiIpRateMiddleware",
    "casetracker.sessions.SessionLifetimeMiddleware",
    "casetracker.mfa.MfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casetracker.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Every page, the admin and the API docs included: our own files only, nothing inline, no eval
# (issue #5). SVG attributes such as the timeline's x/width are not styles and need nothing.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"
ASGI_APPLICATION = "casetracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.alerts",
                "casetracker.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'casetracker.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A fresh test database is made from template0 in UTF-8; its collation/ctype come from the
    # cluster, which the `casetracker.E001` system check verifies for Cyrillic trigram search.
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Vendored assets served by the app itself (no CDN), compressed, in production too.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded documents live outside the web root and are served only through access-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "documents")

REDIS_URL = env.str("REDIS_URL", default="")
# The cache holds the API's rate-limit counts: with Redis every worker process shares them;
# without it (`make run`, one machine) each process counts its own.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Without Redis, the broker is kombu's "filesystem" transport: no server, for one machine where
# the web process and the worker share CELERY_BROKER_FOLDER (what `make run` starts). It has
# no use for the host name, but kombu logs a warning on every connection without one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
_broker_folder = Path(env.str("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem:"):
    # kombu creates none of its folders and resolves relative ones (its default "control" for
    # the exchange bindings) against the working directory: absolute folders, made here, so
    # every process finds the same queue whatever directory it was started from.
    for _folder in ("messages", "control"):
        (_broker_folder / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder / "messages"),
        "data_folder_out": str(_broker_folder / "messages"),
        "control_folder": str(_broker_folder / "control"),
        # An idle worker lists the folder this often (kombu's default: every second).
        "polling_interval": 0.2,
    }
# Tasks go to, and workers read, this queue: two deployments (or a test) can share one Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How often beat sweeps for due reminders (DESIGN §6: "every few minutes").
DEADLINE_SWEEP_SECONDS = env.int("DEADLINE_SWEEP_SECONDS", default=300)
# How often beat looks for closed cases past their retention period (daily).
RETENTION_REVIEW_SECONDS = env.int("RETENTION_REVIEW_SECONDS", default=24 * 60 * 60)
CELERY_BEAT_SCHEDULE = {
    "deadlines-sweep": {
        "task": "cases.tasks.deadlines_sweep_task",
        "schedule": DEADLINE_SWEEP_SECONDS,
        # A sweep that could not start in time is superseded by the next one.
        "options": {"expires": DEADLINE_SWEEP_SECONDS},
    },
    # Closed cases past their organisation's retention period (cases/services/retention.py).
    "retention-review": {
        "task": "cases.tasks.retention_review_task",
        "schedule": RETENTION_REVIEW_SECONDS,
        "options": {"expires": RETENTION_REVIEW_SECONDS},
    },
}
# --- backups (issue #11; README "Backup and restore") -------------------------------------
# Where `manage.py backup`, the /backups/ page and beat write archives (never the web root).
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
# The base64 of 32 random bytes (`manage.py backup --new-key`): when set, archives are
# encrypted with it (AES-256-GCM, casetracker/backup/archive.py). Kept apart from the archives.
BACKUP_KEY = env.str("BACKUP_KEY", default="")
# Beat queues a backup this often; 0, the default, schedules none.
BACKUP_EVERY_HOURS = env.int("BACKUP_EVERY_HOURS", default=0)
# A queued or running backup silent this long is taken for dead (its worker stopped).
BACKUP_STALE_MINUTES = env.int("BACKUP_STALE_MINUTES", default=15)
# A restore refuses, without --force, a database with a row in any of these tables: the
# accounts, people and cases it would replace. A freshly migrated database has none.
BACKUP_RESTORE_GUARD_TABLES = ["auth_user", "people_person", "cases_case"]
if BACKUP_EVERY_HOURS > 0:
    CELERY_BEAT_SCHEDULE["backup"] = {
        "task": "casetracker.tasks.backup_run_scheduled_task",
        "schedule": BACKUP_EVERY_HOURS * 3600,
        "options": {"expires": BACKUP_EVERY_HOURS * 3600},
    }
CELERY_TIMEZONE = TIME_ZONE

# Email: the console in development; EMAIL_URL (e.g. smtp+tls://user:pass@host:587) in
# production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casetracker@localhost")

# The browser's sign-in page (django.contrib.auth's views); the admin keeps its own.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
# The case page and the person page gather every forum, so they live in workspace, the top of
# the dependency chain: cases and people know their page's address from here, not by naming
# an app above them (DESIGN §3).
ABSOLUTE_URL_OVERRIDES = {
    "cases.case": lambda case: reverse("workspace:case_detail", args=[case.pk]),
    "people.person": lambda person: reverse("workspace:person_detail", args=[person.pk]),
}
LOGOUT_REDIRECT_URL = "login"

# --- access security (issue #10; README "Security") ----------------------------------------

# django-axes sees every sign-in (the browser's and the admin's) first; the policy backend then
# checks the password and refuses the demo's public password outside DEBUG.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "casetracker.auth.PasswordPolicyBackend",
]
# Passwords that are public (the demo's): refused at sign-in unless DEBUG is on.
PUBLIC_PASSWORDS = ("demo-casetracker",)
# 10 failed sign-ins for one username, or from one IP address, lock it for 30 minutes; the
# failures are forgotten 30 minutes after the last one, and on a successful sign-in.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casetracker.auth.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR: a client-sent X-Forwarded-For is never trusted.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor sign-in (django-otp). A wrong code slows the next attempt down (1 s, 2 s, 4 s …).
OTP_TOTP_ISSUER = env.str("MFA_ISSUER", default="Casetracker")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How often a signed-in user's duty to use two-factor sign-in is read again from the database
# (an organisation switching require_mfa on, an admin resetting a member's devices).
MFA_RECHECK_SECONDS = env.int("MFA_RECHECK_SECONDS", default=300)

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# sign-in whatever the activity.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; its warnings (a lockout) are what matters.
    "loggers": {"axes": {"level": "WARNING"}},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casetracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "casetracker.api.pagination.CursorPage",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casetracker.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "casetracker.api.throttling.TokenRateThrottle",
    ],
    # The client's IP is REMOTE_ADDR; a client-sent X-Forwarded-For is not trusted.
    "NUM_PROXIES": 0,
}
# Requests per token (or session) and per client IP address: "<n>/second|minute|hour|day".
API_THROTTLE_RATES = {
    "token": env.str("API_RATE_PER_TOKEN", default="120/minute"),
    "ip": env.str("API_RATE_PER_IP", default="300/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casetracker API",
    "DESCRIPTION": (
        "Cases, people, detentions, extradition proceedings, refugee-status decisions, "
        "complaints to UN treaty bodies and their deadlines. Every read returns an ETag; send "
        "it back in If-Match to make a write conditional (412 if the record changed). A write "
        "without If-Match is accepted. Anything you may not see answers 404. Requests are "
        "limited per API token and per client IP address (API_RATE_PER_TOKEN, API_RATE_PER_IP; "
        "by default 120 and 300 a minute): over the limit the answer is 429 with Retry-After, "
        "the seconds to wait."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from the app, never a CDN (DESIGN §3).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, where several fields share a name or a set.
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "django_countries.countries",
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "RequestStatusEnum": "cases.choices.RequestStatus",
        "DeadlineStatusEnum": "cases.choices.DeadlineStatus",
        "ComplaintStatusEnum": "rulings.choices.ComplaintStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casetracker.api.throttling.document_rate_limits",
    ],
}

# The audit timeline's model (see casetracker/audit.py).
CASETRACKER_EVENT_MODEL = "cases.CaseEvent"

# ISO 3166 has no code for statelessness; "XX" is the user-assigned code UNHCR and ICAO use.
COUNTRIES_OVERRIDE = {"XX": _("Stateless")}

# Largest document accepted for upload, in bytes.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
