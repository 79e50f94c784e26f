"""Settings shared by every environment, read from the environment once."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from crs_site.logging import logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "staff",
    "customers",
    "feedback",
    "scorecards",
    "privacy",
    "integrations",
    "imports",
    "coaching",
]

MIDDLEWARE = [
    "crs_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crs_site.db_router.ReplicaReadsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "staff.middleware.EmployeeLanguageMiddleware",
    "staff.middleware.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crs_site.urls"
WSGI_APPLICATION = "crs_site.wsgi.application"

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
                "staff.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'crs.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A streaming replica for the dashboards' and score API's reads (crs_site/db_router.py); the
# primary stays the database of record. Without the variable every read uses `default`.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
DATABASE_ROUTERS = ["crs_site.db_router.ReplicaRouter"]


def replica_database(replica_url: str, *, conn_max_age: int) -> dict:
    """The `replica` alias for DATABASES, or nothing when no replica is configured."""
    if not replica_url:
        return {}
    return {
        "replica": {
            **env.db_url_config(replica_url),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"MIRROR": "default"},
        }
    }


DATABASES.update(
    replica_database(DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A stopped or hung Redis costs a page at most these seconds, never a hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A sign-in lasts a working day at most, and ends with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
# The largest request body read: a batch of 1,000 interactions with notes is about 3 MB. Larger
# bodies are refused with 413 (JSON on the API), before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_MAX_BODY_MB", default=8) * 1024 * 1024
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): a username is locked out from an address after this many
# failures in a row, for the cool-off time; a successful sign-in resets the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "new_password1"]
# Log lines about sign-ins name the request, not the person (they are in the admin).
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "crs_site.logging.axes_client_str"
# The client's address: behind AXES_PROXY_COUNT proxies, the one they appended to
# X-Forwarded-For; with no proxy declared, the socket's, since a client can write any
# X-Forwarded-For and would dodge the lockout by changing it.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Every page is served with this policy: scripts and styles only from this site (charts read
# their data from json_script blocks), a per-response nonce for the few third-party templates
# that embed one (Swagger UI), no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Days are calendar days in this zone: every score and period is cut on its midnight.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("lv", _("Latvian")),
    ("lt", _("Lithuanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Riga")
USE_I18N = True
USE_TZ = True
# One date style per language, numeric where month names break sentences (crs_site/formats).
FORMAT_MODULE_PATH = "crs_site.formats"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (imports). Never served by URL: the import pages and tasks read them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Files above this size are refused at upload (a 100,000-row CSV is about 20 MB).
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=200 * 1024 * 1024)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Uploaded import files, read by the Celery workers (MEDIA_ROOT on a shared disk).
    "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CRS <crs@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How long a process trusts an API key it verified before looking it up again
# (crs_site.api_auth.api_key_verified); 0 looks every request's key up.
API_MEMO_SECONDS = env.int("API_MEMO_SECONDS", default=5)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "crs_site.api_schema.ApiAutoSchema",
    # The API-key scheme comes first so an anonymous request gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crs_site.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crs_site.api_auth.ScopedAccess"],
    "DEFAULT_FILTER_BACKENDS": ["crs_site.api_filters.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "crs_site.api_negotiation.StrictFormatNegotiation",
    "DEFAULT_PARSER_CLASSES": ["crs_site.api_parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["crs_site.api_auth.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_THROTTLE_RATE", default="1200/min")},
    "EXCEPTION_HANDLER": "crs_site.api_schema.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CRS API",
    "DESCRIPTION": (
        "Customer Relationship Scorecards: scores, interactions, feedback, QA reviews, coaching."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # A dispute's outcome and each disputed criterion's decision: one set of choices, one name.
    "ENUM_NAME_OVERRIDES": {"DisputeOutcomeEnum": "feedback.choices.DisputeOutcome"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crs_site.api_schema.strict_bodies_hook",
    ],
}

# Celery: the broker is Redis in production and tests; `make run` uses kombu's filesystem
# transport so a real worker consumes real messages without any server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")


def broker_transport_options(broker_url: str) -> dict:
    """Kombu options for the broker a settings module chose (filesystem or Redis)."""
    if broker_url.startswith("filesystem://"):
        queue_dir = VAR_DIR / "celery-queue"
        return {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "processed_folder": str(VAR_DIR / "celery-processed"),
            "control_folder": str(VAR_DIR / "celery-control"),
            "store_processed": False,
        }
    # A hung or absent broker must never hold up a web request: fail fast, the dirty list
    # in the database catches up on the next run.
    return {
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
        # No second connection attempt: a publish holds a request for at most one connect and
        # one read timeout. A publish lost this way is caught up from the database (dirty list,
        # unsent survey invitations) by the next beat run.
        "max_retries": 0,
        "interval_start": 0,
        # A message whose worker died unacknowledged goes back to its queue after this many
        # seconds; it must stay above CELERY_TASK_TIME_LIMIT or long tasks would run twice.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    }


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING (JSON, request id, redaction) instead of Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BEAT_SCHEDULE = {
    "scores-recompute-today": {
        "task": "scorecards.tasks.scores_refresh",
        "schedule": crontab(minute="*/15"),
    },
    # Past days are finalised by the refresh above once their last SLA deadline has passed.
    # Goals whose period ended yesterday are settled once that day is final.
    "goals-settle-daily": {
        "task": "scorecards.tasks.goals_settle",
        "schedule": crontab(minute=20, hour="*/6"),
    },
    # Monday morning, once the weekend is scored: last week for every manager.
    "manager-digest-weekly": {
        "task": "scorecards.tasks.manager_digest_send",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Monday morning: last week's QA sample into the reviewers' queues (safe to run twice).
    "qa-sample-weekly": {
        "task": "feedback.qa_tasks.qa_sample_weekly",
        "schedule": crontab(minute=30, hour=6, day_of_week="mon"),
    },
    # Survey e-mails whose own task was lost (broker down when the interaction was resolved).
    "survey-invitations-send-pending": {
        "task": "feedback.tasks.survey_invitations_send_pending",
        "schedule": crontab(minute="7-59/15"),
    },
    # Zendesk Support connections: each reads its ticket export from its stored cursor
    # (integrations/zendesk/poller.py keeps under Zendesk's 10 export requests a minute).
    "zendesk-poll": {
        "task": "integrations.zendesk.tasks.zendesk_poll_all",
        "schedule": crontab(minute="*"),
    },
    # Helpdesk events stored while the broker or the workers were down: queued again.
    "inbound-events-sweep": {
        "task": "integrations.tasks.inbound_events_sweep",
        "schedule": crontab(minute="*"),
    },
    # GDPR: personal data of old interactions is anonymised nightly; the statistics stay.
    "interactions-retention-nightly": {
        "task": "privacy.tasks.personal_data_retention_run",
        "schedule": crontab(minute=30, hour=3),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Where a Zendesk Support account is reached; {subdomain} is the connection's. Only tests point
# it elsewhere (a local stand-in of the export): an admin names a subdomain, never a host.
CRS_ZENDESK_URL = env("CRS_ZENDESK_URL", default="https://{subdomain}.zendesk.com")

CRS_DEMO_PASSWORD = env("CRS_DEMO_PASSWORD", default="crs-demo-2026")
# The address customers and managers reach the site at: links in e-mails sent by the worker,
# which has no request to take the host from.
CRS_SITE_URL = env("CRS_SITE_URL", default="http://localhost:8000")
# The organisation's name as customers know it: shown on the survey pages.
CRS_ORGANISATION_NAME = env("CRS_ORGANISATION_NAME", default="CRS")

# An agent logs, changes or removes only interactions opened within this many days: older ones
# are settled history that past periods' scores and QA reviews rest on. Managers and the API
# may write further back, within the accepted dates (from 2000-01-01).
CRS_AGENT_EDIT_DAYS = env.int("CRS_AGENT_EDIT_DAYS", default=30)

# Interactions opened more than this many months ago lose their personal data (subject, notes,
# survey comment; customers not seen since are erased); their times, outcomes and ratings stay,
# so every score stays the same. 0 keeps everything.
CRS_RETENTION_MONTHS = env.int("CRS_RETENTION_MONTHS", default=24)
# /health/ reports "degraded" when no score run has completed for this long (beat: 15 min).
CRS_HEALTH_MAX_SCORE_AGE_MINUTES = env.int("CRS_HEALTH_MAX_SCORE_AGE_MINUTES", default=60)

# Plain text locally; one JSON object per line in production (LOG_FORMAT=json). Every record
# carries the request id; API keys, Authorization headers and survey tokens are redacted.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = logging_config(level=env("LOG_LEVEL", default="INFO"), json=LOG_FORMAT == "json")

# Sentry only when a DSN is set; without one nothing is imported or sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
sentry_init(
    dsn=SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    release=env("SENTRY_RELEASE", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
