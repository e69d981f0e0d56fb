"""Settings for the hair-loss evidence tracker.

Every value that differs between a laptop and a server comes from an environment
variable; the README lists them all.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Only for local development and tests; a server must set DJANGO_SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

# The one name of the site: page titles, the header, the admin, the feed, the data package, citations.
SITE_NAME = os.environ.get("TRACKER_SITE_NAME", "").strip() or "Hair-loss evidence tracker"

# Where the admin lives; a less obvious path keeps most password-guessing bots away.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"


def env_public_url(name):
    """The address the public reaches the site at, e.g. https://evidence.example.org: scheme, host and
    an optional port, nothing else. Links in feeds, downloads and citations are built from it, never
    from a request's Host header, which a client chooses."""
    value = os.environ.get(name, "").strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        port_is_valid = parts.port is None or parts.port > 0
    except ValueError:
        port_is_valid = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_is_valid:
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address such as https://evidence.example.org, not {value!r}."
        )
    if parts.path or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(f"{name} must be the site's address alone, without a path: not {value!r}.")
    return value


PUBLIC_URL = env_public_url("TRACKER_PUBLIC_URL")


INSTALLED_APPS = [
    # First, so that its runserver, which refuses unsafe settings as the production servers do
    # (tracker/checks.py), takes the place of whitenoise's and Django's.
    "tracker",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "studies",
    "claims",
    "api",
    "registries",
    "serving",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the session middleware, so that it sees whether a response depends on a cookie.
    "serving.middleware.cache_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: it chooses which database this request reads.
    "serving.middleware.route_reads",
    # Before CommonMiddleware, so that its headers reach every API response, redirects included.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a refusal.
    "axes.middleware.AxesMiddleware",
    # Inside every other, so that its refusals carry the same headers as any page.
    "tracker.middleware.refuse_nul_in_query",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"

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
                "studies.context_processors.site_name",
            ],
        },
    },
]

# Sections other apps add to the pages of studies: templates included at the end of each study page
# and of /methods/, so that studies depends on none of those apps.
PAGE_SECTIONS = {
    "study": ["claims/includes/citing_claims.html"],
    "methods": ["claims/includes/verdict_definitions.html"],
    "methods_contents": [("verdicts", "Claim checks: what the verdicts mean")],
}

WSGI_APPLICATION = "tracker.wsgi.application"

# SQLite in the project directory unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}


def replica_databases(urls, primary):
    """Read replicas of the primary, from DATABASE_REPLICA_URLS (comma-separated). In tests each is a
    mirror of the test database: a streaming replica holds the test database the primary creates."""
    replicas = {}
    for number, url in enumerate(urls, start=1):
        replica = dj_database_url.parse(url, conn_max_age=60)
        if replica["ENGINE"] != primary["ENGINE"] or "postgresql" not in replica["ENGINE"]:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS must name PostgreSQL replicas of the PostgreSQL DATABASE_URL, not {url!r}."
            )
        replicas[f"replica{number}"] = {**replica, "TEST": {"MIRROR": "default"}}
    return replicas


REPLICA_DATABASES = replica_databases(env_list("DATABASE_REPLICA_URLS"), DATABASES["default"])
DATABASES.update(REPLICA_DATABASES)
# The aliases public reads are spread over; empty without replicas.
DATABASE_REPLICAS = list(REPLICA_DATABASES)
DATABASE_ROUTERS = ["serving.replicas.ReplicaRouter"]
# How long after a save a curator's requests keep reading the primary: longer than replicas lag.
READ_PRIMARY_AFTER_WRITE_SECONDS = int(os.environ.get("TRACKER_READ_PRIMARY_SECONDS", "30"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a web server: readers never wait for a writer (write-ahead log); a write
    # transaction takes the database at its start (IMMEDIATE), so two curators' saves queue up
    # instead of one failing half-way with "database is locked"; a waiting save gives up only
    # after 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The study list's counts are one query whose estimated cost wakes PostgreSQL's JIT compiler,
    # which then spends longer compiling it (over a second) than running it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(url):
    """Django's cache: this process's memory by default, or Redis shared by every server process with
    CACHE_URL=redis://host:port/db. Pages are filed under the content version, so they never go
    stale; an hour's expiry only makes room for current ones. CACHE_URL=dummy:// keeps nothing, to
    measure the site without its cache."""
    if url == "dummy://":
        return {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "TIMEOUT": 3600,
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        }
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"CACHE_URL must be a Redis address such as redis://127.0.0.1:6379/0, not {url!r}.")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "TIMEOUT": 3600,
            "KEY_PREFIX": "tracker",
            # A Redis that does not answer within half a second is treated as empty (serving/pages.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


CACHES = cache_settings(os.environ.get("CACHE_URL", "").strip())
# A download larger than this streams from the database every time instead of being kept.
PAGE_CACHE_MAX_DOWNLOAD_BYTES = int(os.environ.get("TRACKER_CACHE_MAX_DOWNLOAD_BYTES", str(4 * 1024 * 1024)))
# The apps whose every change the public may see: a change to any of their rows raises the content version.
PUBLIC_CONTENT_APPS = ["studies", "claims"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers cache static files forever; `collectstatic` writes them.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Browser safety. Everything the pages use is served from this site, so the policy can be strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"


def static_file_headers(headers, path, url):
    """whitenoise answers for static files before the middleware that adds these headers; a static
    file never needs to run script or be framed, so its policy allows nothing."""
    headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    headers["X-Frame-Options"] = X_FRAME_OPTIONS


WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# On where TLS ends at this process or the proxy does not redirect itself; `make serve` on
# loopback speaks plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Password guessing: after 5 failures for one username from one address, that pair is locked
# out for the cool-off period, even with the right password.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The log names the account and address, so an operator can see who is being guessed at and lift
# a lockout (`manage.py axes_reset_username NAME`); passwords are never logged.
AXES_SENSITIVE_PARAMETERS = []

# Every server error is logged with its traceback to standard error, where gunicorn (and
# whatever runs it) collects it; with DEBUG off a visitor sees only a plain error page.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        "serving": {"handlers": ["console"], "level": "WARNING"},
        "api": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Optional error tracking: with SENTRY_DSN set, every server error also goes to that Sentry
# project (no personal data: curators' names and addresses are not sent).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=0.0,
    )

# The JSON API (api/): read-only, anonymous, public data.
API_PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100
# Requests per client address, e.g. "120/minute" or "5000/day"; empty for no limit. Counted in the
# default cache: with CACHE_URL (Redis) one count for all servers; without it each server process
# counts on its own, so with N processes a client may get up to N times this.
API_RATE_LIMIT = os.environ.get("TRACKER_API_RATE_LIMIT", "120/minute").strip() or None
if API_RATE_LIMIT and not re.fullmatch(r"[0-9]+/(second|minute|hour|day|[smhd])", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"TRACKER_API_RATE_LIMIT must be a number of requests per second, minute, hour or day, such as "
        f"120/minute, not {API_RATE_LIMIT!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.ExactJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Behind one proxy the client's address is the last one it adds to X-Forwarded-For.
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_PROXY", default=False) else None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (
        "Read-only JSON of the published studies, filtered as on the study list. Numbers are JSON numbers "
        "written with the places the source printed (3.00 is written 3.00); read them as decimals to keep "
        "those places. Unknown values are null, never 0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The description reads the database (the country filter's choices), which `check --deploy` may
    # run before; the tests generate and validate it instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise send the schema to validator.swagger.io, which the policy forbids.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per set of codes, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "ArmRoleEnum": "studies.models.arms.Arm.Role",
        "MeasureRoleEnum": "studies.models.outcomes.OutcomeMeasure.Role",
        "AdverseEventStatusEnum": "studies.models.study.Study.AdverseEventStatus",
    },
}
# Public data: any site may read the API from a browser, but only read it.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_ALLOW_CREDENTIALS = False

# Reverting from the history page would skip the edit lock and reasons; curators edit instead.
SIMPLE_HISTORY_REVERT_DISABLED = True

# ClinicalTrials.gov API v2, read by the import and by `sync_registrations`. The address can point at a
# mirror or a test server; the timeout is per attempt, and a failed attempt is tried once more.
CTGOV_API_URL = os.environ.get("TRACKER_CTGOV_API_URL", "").strip().rstrip("/") or "https://clinicaltrials.gov/api/v2"
CTGOV_TIMEOUT = float(os.environ.get("TRACKER_CTGOV_TIMEOUT", "20"))
