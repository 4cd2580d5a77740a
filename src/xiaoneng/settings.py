"""Settings come from the environment.

XIAONENG_ENV selects the mode: ``production`` (the default: SECRET_KEY required, no demo
password), ``demo`` (the one-command county demo), ``dev`` or ``test``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
ENV = os.environ.get("XIAONENG_ENV", "production")
if ENV not in {"production", "demo", "dev", "test"}:
    raise ImproperlyConfigured(f"XIAONENG_ENV must be production, demo, dev or test, not {ENV!r}")
TESTING = ENV == "test"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("XIAONENG_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if ENV == "production":
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (XIAONENG_ENV=production)."
        )
    SECRET_KEY = f"insecure-{ENV}-key-do-not-use-in-production"

# Demo mode: the documented demo password is accepted only while this is on.
DEMO = env_bool("XIAONENG_DEMO", ENV == "demo")
DEMO_PASSWORD = "Xiaoneng@2026"

DEBUG = env_bool("DEBUG", ENV == "dev")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "xiaoneng.core.views_errors.csrf_failure"  # the styled 403 page

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "huey.contrib.djhuey",
    "xiaoneng.core",
    "xiaoneng.complaints",
    "xiaoneng.selfcheck",
    "xiaoneng.rectification",
    "xiaoneng.campaigns",
    "xiaoneng.inspections",
    "xiaoneng.evaluations",
    "xiaoneng.portal",
    "xiaoneng.open311",
    "xiaoneng.accountability",
    "xiaoneng.servicetimes",
    "xiaoneng.reports",
    "xiaoneng.supervision",
    "xiaoneng.openness",
    "xiaoneng.party",
    "xiaoneng.documents",
]

MIDDLEWARE = [
    "xiaoneng.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xiaoneng.core.security.SecurityHeadersMiddleware",
    "xiaoneng.core.middleware_db.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xiaoneng.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xiaoneng.core.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "xiaoneng.core.bodylimits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xiaoneng.core.middleware.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xiaoneng.core.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"

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
                "xiaoneng.core.context_processors.shell",
            ],
        },
    }
]

# Database: embedded SQLite under var/ unless DATABASE_URL points elsewhere.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'xiaoneng.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file (not memory) so tests can start real worker processes against the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

REDIS_URL = os.environ.get("REDIS_URL", "")

if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "xiaoneng_cache",
        }
    }

# Task queue: Huey on SQLite in embedded mode, on Redis when REDIS_URL is set.
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "xiaoneng",
        "url": REDIS_URL,
        "immediate": TESTING,
        "consumer": {"workers": 4, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "xiaoneng",
        "filename": str(VAR_DIR / "huey.db"),
        "immediate": TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

AUTHENTICATION_BACKENDS = ["xiaoneng.core.auth.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "xiaoneng.core.auth.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "xiaoneng.core.auth.NotDemoPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# 限时服务: the event logs as Parquet partitions (the database keeps metadata and aggregates).
# A test run gets its own empty store (its database is fresh too).
SERVICELOG_DIR = Path(os.environ.get("XIAONENG_SERVICELOG_DIR", VAR_DIR / "servicelogs"))
if TESTING:
    import atexit
    import shutil
    import tempfile

    SERVICELOG_DIR = Path(tempfile.mkdtemp(prefix="xiaoneng-servicelogs-"))
    atexit.register(shutil.rmtree, SERVICELOG_DIR, True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_MAX_FAILURES = int(os.environ.get("XIAONENG_LOGIN_MAX_FAILURES", 5))
LOGIN_LOCK_MINUTES = int(os.environ.get("XIAONENG_LOGIN_LOCK_MINUTES", 10))

# 30-minute idle timeout: the cookie is renewed on every request.
SESSION_COOKIE_AGE = int(os.environ.get("XIAONENG_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
# ... written at most once a minute when nothing else changed (core/sessions.py).
SESSION_ENGINE = "xiaoneng.core.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", ENV == "production")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- https, HSTS, proxies, CSP (issue #21; README "Running in production") ---------------------
# Behind nginx: the proxies' addresses or networks. Only from them are X-Forwarded-For (the
# client address rate limits and logs key on) and X-Forwarded-Proto believed.
XIAONENG_TRUSTED_PROXIES = env_list("XIAONENG_TRUSTED_PROXIES")
if XIAONENG_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("XIAONENG_SSL_REDIRECT", ENV == "production")
SECURE_HSTS_SECONDS = int(
    os.environ.get("XIAONENG_HSTS_SECONDS", 365 * 24 * 3600 if ENV == "production" else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XIAONENG_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a commitment made by submitting the domain to the browsers' list; off unless
# chosen. Django's deploy check reminds of it (security.W021): silenced while it is off.
SECURE_HSTS_PRELOAD = env_bool("XIAONENG_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (core.security): empty = the built-in policy (no inline script).
XIAONENG_CSP = os.environ.get("XIAONENG_CSP", "")
XIAONENG_CSP_REPORT_ONLY = env_bool("XIAONENG_CSP_REPORT_ONLY", False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("XIAONENG_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("XIAONENG_S3_BUCKET"):
    # S3-compatible object storage (MinIO) for attachments and evidence.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["XIAONENG_S3_BUCKET"],
            "endpoint_url": os.environ.get("XIAONENG_S3_ENDPOINT"),
            "access_key": os.environ.get("XIAONENG_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("XIAONENG_S3_SECRET_KEY"),
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# JSON request bodies (core.bodylimits): size unless the endpoint declares its own, and depth.
XIAONENG_JSON_MAX_BYTES = int(os.environ.get("XIAONENG_JSON_MAX_BYTES", 1024 * 1024))
XIAONENG_JSON_MAX_DEPTH = int(os.environ.get("XIAONENG_JSON_MAX_DEPTH", 32))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# Limits of every imported .xlsx, checked on the zip before it is read (core/spreadsheet.py):
# a small file that unpacks to hundreds of MB of XML ("zip bomb") is refused.
XLSX_MAX_UNPACKED_BYTES = int(os.environ.get("XIAONENG_XLSX_MAX_UNPACKED_MB", 200)) * 1024 * 1024
XLSX_MAX_COMPRESSION_RATIO = int(os.environ.get("XIAONENG_XLSX_MAX_COMPRESSION_RATIO", 100))
XLSX_MAX_ROWS = int(os.environ.get("XIAONENG_XLSX_MAX_ROWS", 200_000))
XLSX_MAX_COLUMNS = int(os.environ.get("XIAONENG_XLSX_MAX_COLUMNS", 200))
XLSX_MAX_CELLS = int(os.environ.get("XIAONENG_XLSX_MAX_CELLS", 4_000_000))

# Retention of login and audit logs (days); never less than 180.
LOG_RETENTION_DAYS = max(180, int(os.environ.get("XIAONENG_LOG_RETENTION_DAYS", 365)))

# Key for encrypting sensitive fields (complainant identity). Derived from SECRET_KEY
# outside production so the demo works out of the box.
FIELD_ENCRYPTION_KEY = os.environ.get("XIAONENG_FIELD_KEY", "")
if not FIELD_ENCRYPTION_KEY and ENV == "production":
    raise ImproperlyConfigured("XIAONENG_FIELD_KEY must be set in production (see README).")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xiaoneng.core.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "xiaoneng.core.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "xiaoneng.core.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "xiaoneng.core.bodylimits.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xiaoneng API",
    "DESCRIPTION": "效能 platform REST API (see docs/API.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
API_TOKEN_TTL_HOURS = int(os.environ.get("XIAONENG_API_TOKEN_TTL_HOURS", 24 * 30))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xiaoneng@localhost")
# The address people use to reach the site, for links in e-mail and SMS.
SITE_URL = os.environ.get("XIAONENG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # every record carries the request id (core.context.RequestIdFilter); a refused request
    # (403/400) is one line, not a traceback (core.logfilters); 5xx keep theirs.
    "filters": {
        "request_id": {"()": "xiaoneng.core.context.RequestIdFilter"},
        "one_line_client_errors": {"()": "xiaoneng.core.logfilters.OneLineClientErrors"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "loggers": {"django.request": {"filters": ["one_line_client_errors"]}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LOG_LEVEL", "WARNING" if TESTING else "INFO"),
    },
}

# SMS: the log backend records messages (offline intranets); set the HTTP gateway for a provider.
SMS_BACKEND = os.environ.get("XIAONENG_SMS_BACKEND", "xiaoneng.core.notify.LogSmsBackend")
SMS_GATEWAY_URL = os.environ.get("XIAONENG_SMS_GATEWAY_URL", "")
SMS_GATEWAY_METHOD = os.environ.get("XIAONENG_SMS_GATEWAY_METHOD", "POST")
SMS_GATEWAY_HEADERS = os.environ.get("XIAONENG_SMS_GATEWAY_HEADERS", "")
