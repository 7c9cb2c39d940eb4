"""Settings for plenary, read from the environment with safe local defaults.

Every setting that differs between a laptop and production comes from a
``DJANGO_*`` variable or ``DATABASE_URL``; with none set, the app runs on an
SQLite file in the project folder with DEBUG off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key() -> str:
    """Return the key kept in ``.secret_key``, creating it on first use.

    The file is git-ignored, so every checkout gets its own key and none is
    ever committed.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The addresses our own reverse proxy connects from, whose X-Forwarded-For is believed
# (for counting failed sign-ins). Behind the README's nginx on the same machine: loopback.
TRUSTED_PROXIES = env_list(
    "DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"] if env_flag("DJANGO_SECURE") else []
)

INSTALLED_APPS = [
    "agenda",
    # Before the admin, whose forms it extends with a field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "simple_history",
    "axes",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "agenda.middleware.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "agenda.middleware.ConstantCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "agenda.middleware.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "agenda.middleware.UnaskableQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: locks out password guessing.
    "axes.middleware.AxesMiddleware",
]

# `make bench` reads each response's SQL query count from a header.
QUERY_COUNT_HEADER = env_flag("DJANGO_QUERY_COUNT_HEADER")
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "agenda.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "plenary.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "plenary.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Kept between requests: every request reads the content version (agenda/cache.py),
        # and opening a connection costs more than that read. Checked before each reuse.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Each transaction takes the write lock when it begins, so two saves queue for it (up
        # to `timeout` seconds) and the second reads what the first committed: it gets the
        # edit lock's refusal, not "database is locked" from two readers both trying to write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Readers are not held up by a writer, nor a writer by readers.
        "init_command": "PRAGMA journal_mode=WAL;",
    }

# Redis where REDIS_URL is set, so every app server shares one cache; this process's
# memory otherwise. Either way the cache only saves work: every key carries the content
# version read from the database (agenda/cache.py), so several workers with their own
# memory agree, and a Redis that is down, hung or back with old data is a miss, not a
# stale answer or an error. A hung Redis holds a request for at most the socket timeout.
REDIS_SOCKET_TIMEOUT_SECONDS = float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.25"))
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def redis_cache(url: str) -> dict:
    """The cache settings for the Redis at `url` (django-redis, errors taken as misses)."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "plenary"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    }


if os.environ.get("REDIS_URL"):
    CACHES = redis_cache(os.environ["REDIS_URL"])
else:
    # Room for each event of a long agenda feed (cache.cached_texts) beside pages and fragments:
    # the default of 300 entries would cull them at every build.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Spanish first: the concept notes, the secretariats and most delegates work in it.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A reader's choice of language, from the switcher's links, is kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# Titles, descriptions and concept notes in each language; missing ones fall back to Spanish.
MODELTRANSLATION_DEFAULT_LANGUAGE = "es"
MODELTRANSLATION_LANGUAGES = ("es", "en", "pt")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("es",)
USE_I18N = True

# Stored in UTC; each meeting carries its own IANA zone for display and entry.
USE_TZ = True
TIME_ZONE = "UTC"
# A new meeting's zone until the secretariat picks one: the seat of the CRM's
# Executive Secretariat, UTC-6 all year ("GMT-6" in the concept notes).
DEFAULT_MEETING_TIME_ZONE = "America/Costa_Rica"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Meeting documents. Not served as static files: a view checks who may read each one.
# With several app servers, point this at storage they share (see README, "Deploying").
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# In production (after collectstatic), hashed names that browsers and CDNs may keep for a year.
STATIC_MANIFEST = env_flag("DJANGO_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"
# The site's public address, for links sent by email (participants' private links).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Mail to participants goes through Django's backend: SMTP where EMAIL_HOST is set, else
# printed on the worker's console.
if os.environ.get("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DJANGO_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_TLS", "1") == "1"
    EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "20"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_FROM_EMAIL", "Plenaria CRM-CSM <no-reply@localhost>")
# Changes to a published meeting within this many seconds of the first go out in one mail.
NOTIFICATION_GATHER_SECONDS = int(os.environ.get("DJANGO_NOTIFICATION_GATHER_SECONDS", "120"))
# A mail being sent is left to its worker this long; a worker killed meanwhile leaves it to the next.
NOTIFICATION_LEASE_SECONDS = int(os.environ.get("DJANGO_NOTIFICATION_LEASE_SECONDS", "300"))

# The background worker (`manage.py run_huey`) that sends mail. Its queue is on the Redis
# the cache uses where REDIS_URL is set, else in a SQLite file beside the database. The
# queue only wakes the worker: what to send is stored in the database (Notification), and
# the worker's sweep every minute finds it even if a wake-up was lost.
HUEY = {
    "name": "plenary",
    "immediate": os.environ.get("DJANGO_HUEY_IMMEDIATE") == "1",
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if os.environ.get("REDIS_URL"):
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": os.environ["REDIS_URL"]}}
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "filename": os.environ.get("DJANGO_HUEY_FILE", str(BASE_DIR / "huey.sqlite3")),
    }

# Password guessing: five wrong passwords for one account from one address lock that
# pair out for 15 minutes (django-axes, counted in the database so every app server agrees).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address, read through our own proxy only (agenda/access.py).
AXES_CLIENT_IP_CALLABLE = "agenda.access.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Passwords and tokens stay out of the lockout log.
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
# The meeting form posts about eleven fields per agenda row: room for 1,000 rows
# (Django's default of 1,000 fields refused a meeting of more than about 92 topics).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
# A full backup keeps times to the microsecond (agenda/backup_json.py, agenda/backups.py).
SERIALIZATION_MODULES = {"backup-json": "agenda.backup_json"}
# A secretariat session ends after a working day, and at once on sign-out.
SESSION_COOKIE_AGE = 10 * 60 * 60

# Scripts only from this site, none inline. Styles allow attributes because Django's
# admin templates still carry a few `style=""`; the public pages have none.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The sites that may frame a meeting's embeddable agenda (/meetings/<slug>/embed/), and no other
# page: the conferences' own websites, space-separated in PLENARY_EMBED_FRAME_ANCESTORS.
PLENARY_EMBED_FRAME_ANCESTORS = os.environ.get(
    "PLENARY_EMBED_FRAME_ANCESTORS", "https://www.crmsv.org https://csmigraciones.org"
).split()
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a TLS-terminating proxy (DJANGO_SECURE=1): HTTPS only, secure cookies, HSTS.
if env_flag("DJANGO_SECURE"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
