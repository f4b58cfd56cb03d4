"""Settings shared by every way of running Gagecast.

Every value that differs between machines comes from the environment through
``config.env``; the README's configuration table lists them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.broker import EMBEDDED_BROKER_URL, filesystem_transport_options
from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_time_zone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state (SQLite, embedded broker, static files); core.folders creates what is used.
VAR_DIR = Path(env_str("GAGECAST_VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS", [])
PUBLIC_BASE_URL = env_url("PUBLIC_BASE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))

# --- Apps -----------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]
LOCAL_APPS = [
    "core",
    "marketing",
    "campaigns",
    "content",
    "publishing",
    "analytics",
    "owner",  # the owner's app: review and edit, the calendar (on top of every other app)
    "sandbox",  # the simulators' management commands; no models
]

# Social logins are switched on only when their keys are configured.
SOCIAL_LOGIN_KEYS = {
    provider: (
        env_str(f"{provider.upper()}_CLIENT_ID", ""),
        env_str(f"{provider.upper()}_CLIENT_SECRET", ""),
    )
    for provider in ("google", "naver", "kakao")
}
SOCIAL_PROVIDERS_ENABLED = [
    name for name, (cid, secret) in SOCIAL_LOGIN_KEYS.items() if cid and secret
]
THIRD_PARTY_APPS += [f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS_ENABLED]
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {
    name: {
        "APPS": [{"client_id": SOCIAL_LOGIN_KEYS[name][0], "secret": SOCIAL_LOGIN_KEYS[name][1]}]
    }
    for name in SOCIAL_PROVIDERS_ENABLED
}
if "google" in SOCIALACCOUNT_PROVIDERS:
    SOCIALACCOUNT_PROVIDERS["google"]["SCOPE"] = ["profile", "email"]

INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A client viewer changes nothing (owner.middleware): any write refused with 403.
    "owner.middleware.ClientViewerReadOnly",
    # Last: it authenticates the API caller the way DRF will, then claims the key.
    "core.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "owner.context_processors.needs_you",
                "django.template.context_processors.tz",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# Absent DATABASE_URL: a SQLite file with WAL and a busy timeout, so the web
# process, the worker and beat can all write at once.
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
    ),
}
DATABASES = {"default": env_database("DATABASE_URL", {})}
if not DATABASES["default"]:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "gagecast.sqlite3",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "marketing.User"

# --- Cache and broker -------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    # The embedded broker: kombu's filesystem transport, no server needed.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = EMBEDDED_BROKER_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(BROKER_DIR)

# --- Celery -----------------------------------------------------------------
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # tasks record their outcome in the domain's own tables
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# What belongs in each queue (so operators can scale them apart):
CELERY_TASK_QUEUES = (
    Queue("default"),  # housekeeping, probes, e-mail
    Queue("generation"),  # LLM calls: slow, network-bound, metered
    Queue("render"),  # images and video: CPU-heavy, memory-hungry
    Queue("publish"),  # platform calls that must run on time, exactly once
    Queue("analytics"),  # metric collection and learning: can lag
)
# One route per tasks module that exists (tests/core/test_routing.py checks both ways).
CELERY_TASK_ROUTES = {
    "content.tasks.render_*": {"queue": "render"},
    "content.tasks.*": {"queue": "generation"},
    "publishing.tasks.*": {"queue": "publish"},
    "marketing.tasks.*": {"queue": "default"},  # SEMAS look-ups: short, not metered
    "core.tasks.*": {"queue": "default"},
    "analytics.tasks.*": {"queue": "analytics"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks live in the database (editable in the admin); core.schedules installs
# the defaults after migrate without overwriting edits. Nothing is scheduled from here.
CELERY_BEAT_SCHEDULE: dict = {}
# Every worker writes a heartbeat (with the queues it serves) this often; /healthz reads it.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30, minimum=5)

# --- Auth and accounts ------------------------------------------------------
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
LOGIN_REDIRECT_URL = "marketing:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # one password field: fewer taps on a phone
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None  # people log in with their e-mail address
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_ADAPTER = "marketing.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "marketing.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Gagecast <no-reply@gagecast.local>")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Seoul")

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media the platforms fetch: S3-compatible storage through django-storages when a bucket
# is set (pip install '.[s3]'), otherwise the local disk served at PUBLIC_BASE_URL/media/.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    try:
        import storages  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a deployment mistake, said in one line
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            "pip install '.[s3]'"
        ) from exc
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None  # R2, MinIO, NCP…
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN", "") or None
    AWS_QUERYSTRING_AUTH = False  # platforms fetch plain public URLs
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_IMAGE_BYTES = env_int("UPLOAD_MAX_IMAGE_BYTES", 15 * 1024 * 1024, minimum=1)
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000, minimum=1)

# --- REST API ---------------------------------------------------------------
# Requests per user (one token per user) and per address for anonymous callers; the
# counters live in the default cache, shared by every web process (Redis, or the files).
API_THROTTLE_RATE = env_rate("API_THROTTLE_RATE", "1200/hour")
API_ANON_THROTTLE_RATE = env_rate("API_ANON_THROTTLE_RATE", "120/hour")
# How long an Idempotency-Key keeps its first answer.
API_IDEMPOTENCY_TTL_S = env_int("API_IDEMPOTENCY_TTL_S", 24 * 3600, minimum=60)
REST_FRAMEWORK = {
    # The token first: an anonymous or badly signed call gets 401 with WWW-Authenticate:
    # Token (with the session first DRF can only answer 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketing.api.authentication.AuditedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.UserThrottle",
        "core.api.throttling.AnonThrottle",
    ],
    # JSON in and out, so the schema can say exactly what is accepted; uploads declare
    # their multipart parser on the view.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_METADATA_CLASS": "core.api.metadata.Metadata",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gagecast API",
    "DESCRIPTION": "Businesses, campaigns, content and publishing for Korean small shops.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies as the server reads them: no read-only fields, blank text refused.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every error status each operation can answer, in core.api.errors' one shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
    ],
}

# --- Product ----------------------------------------------------------------
# Generation: Gemini when a key is set, otherwise the offline writer ("auto").
GENERATION_PROVIDER = env_choice("GENERATION_PROVIDER", ("auto", "gemini", "offline"), "auto")
GEMINI_API_KEY = env_str("GEMINI_API_KEY", "") or env_str("GOOGLE_API_KEY", "")
GEMINI_BASE_URL = env_url("GEMINI_BASE_URL", "", schemes=("http", "https"))  # sandbox/tests
GEMINI_MODEL_LONG = env_str("GEMINI_MODEL_LONG", "gemini-2.5-flash")  # long copy
GEMINI_MODEL_SHORT = env_str("GEMINI_MODEL_SHORT", "gemini-2.5-flash-lite")  # short fields, repairs
GEMINI_TIMEOUT_S = env_int("GEMINI_TIMEOUT_S", 90, minimum=1)
# Video narration read aloud: "auto" speaks with Gemini when the organization writes with it.
TTS_PROVIDER = env_choice("TTS_PROVIDER", ("auto", "gemini", "none"), "auto")
GEMINI_MODEL_TTS = env_str("GEMINI_MODEL_TTS", "gemini-2.5-flash-preview-tts")
GEMINI_TTS_VOICES = (
    "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe",
    "Autonoe", "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib",
    "Rasalgethi", "Laomedeia", "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima",
    "Achird", "Zubenelgenubi", "Vindemiatrix", "Sadachbia", "Sadaltager", "Sulafat",
)  # fmt: skip
GEMINI_TTS_VOICE = env_choice("GEMINI_TTS_VOICE", GEMINI_TTS_VOICES, "Kore")
# USD per million tokens (input, output); thinking tokens are billed as output, and a
# TTS model's output is audio (25 tokens a second).
GEMINI_PRICES_USD_PER_MTOK: dict[str, tuple[float, float]] = {
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.5-flash-preview-tts": (0.50, 10.00),
}
GENERATION_CACHE_TTL_S = env_int("GENERATION_CACHE_TTL_S", 7 * 24 * 3600, minimum=0)
GENERATION_MAX_RETRIES = env_int("GENERATION_MAX_RETRIES", 4, minimum=0)
GENERATION_BREAKER_FAILURES = env_int("GENERATION_BREAKER_FAILURES", 5, minimum=1)
GENERATION_BREAKER_RESET_S = env_int("GENERATION_BREAKER_RESET_S", 60, minimum=1)
# Market context from SEMAS (소상공인시장진흥공단 상가정보); optional.
SEMAS_SERVICE_KEY = env_str("SEMAS_SERVICE_KEY", "")
SEMAS_BASE_URL = env_url(
    "SEMAS_BASE_URL", "https://apis.data.go.kr/B553077/api/open/sdsc2", schemes=("http", "https")
)
MARKET_CONTEXT_TTL_DAYS = env_int("MARKET_CONTEXT_TTL_DAYS", 7, minimum=1)
# An erase the owner confirmed waits this many days (cancelable) before the shop, its
# posts and files are deleted for good (publishing.lifecycle.erase_due, hourly).
BUSINESS_ERASE_GRACE_DAYS = env_int("BUSINESS_ERASE_GRACE_DAYS", 7, minimum=0)
# Outbound HTTP (core.http): every call has these timeouts.
HTTP_CONNECT_TIMEOUT_S = env_int("HTTP_CONNECT_TIMEOUT_S", 5, minimum=1)
HTTP_READ_TIMEOUT_S = env_int("HTTP_READ_TIMEOUT_S", 30, minimum=1)
# Owner feedback: a 👎 or a negative comment is posted here once (a Discord or Slack
# incoming-webhook URL); empty switches the alerts off, and each feedback records so.
FEEDBACK_WEBHOOK_URL = env_url("FEEDBACK_WEBHOOK_URL", "", schemes=("https", "http"))
# Creative studio: a brand font file (TTF/OTF with Hangul) replaces NanumGothic when set.
BRAND_FONT_PATH = env_str("BRAND_FONT_PATH", "")
BRAND_FONT_BOLD_PATH = env_str("BRAND_FONT_BOLD_PATH", "")
VOICE_MEMO_MAX_SECONDS = 120
VOICE_MEMO_MAX_BYTES = env_int("VOICE_MEMO_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# A shop's background music for its videos (checked by content when uploaded).
MUSIC_MAX_SECONDS = 600
MUSIC_MAX_BYTES = env_int("MUSIC_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Pieces a month per plan (None: unlimited); the quota is checked before any generation call.
PLAN_MONTHLY_PIECE_QUOTAS: dict[str, int | None] = {"starter": 10, "pro": 100, "business": None}
# --- Publishing -----------------------------------------------------------
# Channel tokens are encrypted with the first key; every key listed still decrypts, so
# a new key goes first and `manage.py rotate_token_keys` re-encrypts, then the old one
# can go. Empty: a key derived from SECRET_KEY (local and test only; production refuses).
TOKEN_ENCRYPTION_KEYS: list[str] = env_list("TOKEN_ENCRYPTION_KEYS", [])
# Every platform endpoint is a setting: the same code talks to the platform, the
# sandbox (`manage.py platform_sandbox`) or a test server.
INSTAGRAM_GRAPH_URL = env_url(
    "INSTAGRAM_GRAPH_URL", "https://graph.instagram.com/v21.0", schemes=("http", "https")
)
INSTAGRAM_TOKEN_URL = env_url(
    "INSTAGRAM_TOKEN_URL", "https://graph.instagram.com", schemes=("http", "https")
)
INSTAGRAM_AUTHORIZE_URL = env_url(
    "INSTAGRAM_AUTHORIZE_URL",
    "https://www.instagram.com/oauth/authorize",
    schemes=("http", "https"),
)
INSTAGRAM_CODE_URL = env_url(
    "INSTAGRAM_CODE_URL", "https://api.instagram.com/oauth/access_token", schemes=("http", "https")
)
THREADS_GRAPH_URL = env_url(
    "THREADS_GRAPH_URL", "https://graph.threads.net/v1.0", schemes=("http", "https")
)
THREADS_TOKEN_URL = env_url(
    "THREADS_TOKEN_URL", "https://graph.threads.net", schemes=("http", "https")
)
THREADS_AUTHORIZE_URL = env_url(
    "THREADS_AUTHORIZE_URL", "https://threads.net/oauth/authorize", schemes=("http", "https")
)
THREADS_CODE_URL = env_url(
    "THREADS_CODE_URL", "https://graph.threads.net/oauth/access_token", schemes=("http", "https")
)
YOUTUBE_API_URL = env_url(
    "YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3", schemes=("http", "https")
)
YOUTUBE_UPLOAD_URL = env_url(
    "YOUTUBE_UPLOAD_URL", "https://www.googleapis.com/upload/youtube/v3", schemes=("http", "https")
)
YOUTUBE_ANALYTICS_URL = env_url(
    "YOUTUBE_ANALYTICS_URL", "https://youtubeanalytics.googleapis.com/v2", schemes=("http", "https")
)
GOOGLE_AUTHORIZE_URL = env_url(
    "GOOGLE_AUTHORIZE_URL",
    "https://accounts.google.com/o/oauth2/v2/auth",
    schemes=("http", "https"),
)
GOOGLE_TOKEN_URL = env_url(
    "GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token", schemes=("http", "https")
)
NAVER_BLOG_XMLRPC_URL = env_url(
    "NAVER_BLOG_XMLRPC_URL", "https://api.blog.naver.com/xmlrpc", schemes=("http", "https")
)
# Sandbox accounts talk to the simulators; each URL is a simulator's root.
SANDBOX_INSTAGRAM_URL = env_url(
    "SANDBOX_INSTAGRAM_URL", "http://127.0.0.1:8711", schemes=("http", "https")
)
SANDBOX_THREADS_URL = env_url(
    "SANDBOX_THREADS_URL", "http://127.0.0.1:8712", schemes=("http", "https")
)
SANDBOX_YOUTUBE_URL = env_url(
    "SANDBOX_YOUTUBE_URL", "http://127.0.0.1:8713", schemes=("http", "https")
)
SANDBOX_NAVER_URL = env_url("SANDBOX_NAVER_URL", "http://127.0.0.1:8714", schemes=("http", "https"))
SANDBOX_ACCOUNTS_ENABLED = env_bool("SANDBOX_ACCOUNTS_ENABLED", True)
# OAuth apps (docs/publishing.md: how to register them). Empty: that platform can only
# be connected as a sandbox account (or assisted, for Naver).
META_INSTAGRAM_APP_ID = env_str("META_INSTAGRAM_APP_ID", "")
META_INSTAGRAM_APP_SECRET = env_str("META_INSTAGRAM_APP_SECRET", "")
META_THREADS_APP_ID = env_str("META_THREADS_APP_ID", "")
META_THREADS_APP_SECRET = env_str("META_THREADS_APP_SECRET", "")
GOOGLE_YOUTUBE_CLIENT_ID = env_str("GOOGLE_YOUTUBE_CLIENT_ID", "")
GOOGLE_YOUTUBE_CLIENT_SECRET = env_str("GOOGLE_YOUTUBE_CLIENT_SECRET", "")
# Limits (platform numbers change: the live limit wins where the platform reports one).
INSTAGRAM_POSTS_PER_24H = env_int("INSTAGRAM_POSTS_PER_24H", 50, minimum=1)
THREADS_POSTS_PER_24H = env_int("THREADS_POSTS_PER_24H", 250, minimum=1)
YOUTUBE_UPLOADS_PER_DAY = env_int("YOUTUBE_UPLOADS_PER_DAY", 6, minimum=1)  # per Pacific day
# The project's YouTube Data API units a Pacific day, shared by uploads and reading numbers
# (videos.list: 1 unit). An upload costs YOUTUBE_UPLOAD_UNITS (older quota pages: 1,600; 0
# where videos.insert has a daily count of its own). Collecting reads only while more than
# the day's remaining uploads need plus YOUTUBE_UNITS_RESERVE is left.
YOUTUBE_UNITS_PER_DAY = env_int("YOUTUBE_UNITS_PER_DAY", 10_000, minimum=1)
YOUTUBE_UPLOAD_UNITS = env_int("YOUTUBE_UPLOAD_UNITS", 1_600, minimum=0)
YOUTUBE_UNITS_RESERVE = env_int("YOUTUBE_UNITS_RESERVE", 100, minimum=0)
PUBLISH_MAX_ATTEMPTS = env_int("PUBLISH_MAX_ATTEMPTS", 6, minimum=1)
PUBLISH_BACKOFF_BASE_S = env_int("PUBLISH_BACKOFF_BASE_S", 30, minimum=1)
PUBLISH_BACKOFF_MAX_S = env_int("PUBLISH_BACKOFF_MAX_S", 3600, minimum=1)
PUBLISH_POLL_S = env_int("PUBLISH_POLL_S", 20, minimum=1)  # container status polls
PUBLISH_STUCK_AFTER_S = env_int("PUBLISH_STUCK_AFTER_S", 600, minimum=10)  # reaper
PUBLISH_BREAKER_FAILURES = env_int("PUBLISH_BREAKER_FAILURES", 5, minimum=1)
PUBLISH_BREAKER_RESET_S = env_int("PUBLISH_BREAKER_RESET_S", 120, minimum=1)
PUBLISH_DISPATCH_BATCH = env_int("PUBLISH_DISPATCH_BATCH", 500, minimum=1)
TOKEN_REFRESH_BEFORE_DAYS = env_int("TOKEN_REFRESH_BEFORE_DAYS", 10, minimum=1)
# --- Learning -----------------------------------------------------------------
# The performance loop (docs/analytics.md): guidance into the writers and learned
# posting times. Off: the writers choose freely and campaigns keep the default hours.
LEARNING_ENABLED = env_bool("LEARNING_ENABLED", True)
# Videos at a quarter of the width (270×480) and 12 frames a second, checked against
# that: for the loop benchmark's hundreds of renders only; posts that go out need the
# full 1080×1920 at 30 fps.
RENDER_VIDEO_DRAFT = env_bool("RENDER_VIDEO_DRAFT", False)

# Media handed to platforms: PUBLIC_BASE_URL above, or S3-compatible storage when
# AWS_STORAGE_BUCKET_NAME is set (django-storages; AWS_S3_ENDPOINT_URL for others).
MEDIA_CHECK_ALLOW_PRIVATE = env_bool("MEDIA_CHECK_ALLOW_PRIVATE", False)
# Image URLs in an import file are fetched from public addresses only (a file from
# outside must not make this server read its own network); on for local development.
IMPORT_IMAGE_ALLOW_PRIVATE = env_bool("IMPORT_IMAGE_ALLOW_PRIVATE", False)

DEMO_OWNER_EMAIL = "owner@demo.gagecast.local"
DEMO_OPERATOR_EMAIL = "operator@demo.gagecast.local"
DEMO_AGENCY_EMAIL = "agency@demo.gagecast.local"  # the demo agency's manager
DEMO_CLIENT_EMAIL = "client@demo.gagecast.local"  # a client viewer of its first shop

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
