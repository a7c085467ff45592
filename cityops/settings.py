"""CityOps settings, read from the environment (12-factor).

The same module serves the embedded one-machine run (SQLite under ``CITYOPS_DATA_DIR``, in-process
jobs) and production (``CITYOPS_PRODUCTION=1``: PostgreSQL, Redis, HTTPS-only cookies). Every
variable is documented in README.md.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

PRODUCTION = env.bool("CITYOPS_PRODUCTION", default=False)
DATA_DIR = Path(env.str("CITYOPS_DATA_DIR", default="var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """The embedded run keeps a generated key under the data directory, never in the code."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # required: production refuses to start without it
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()

DEBUG = env.bool("CITYOPS_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_htmx",
    "cityops.platform",
    "cityops.accounts",
    "cityops.agencies",
    "cityops.reports",
    "cityops.stats",
    "cityops.intel",
    "cityops.monitoring",
    "cityops.alerts",
    "cityops.channels",
    "cityops.transit",
    "cityops.press",
    "cityops.violations",
    "cityops.services",
    "cityops.tourism",
    "cityops.planning",
    "cityops.indicators",
    "cityops.payments",
    "cityops.online",
    "cityops.demo",
    "cityops.console",
    "cityops.agency",
    "cityops.dashboard",
    "cityops.portal",
    "cityops.api",
    "cityops.open311",
    "cityops.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cityops.platform.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cityops.platform.bodylimit.RequestBodyLimitMiddleware",  # 413 before a body is read
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cityops.platform.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cityops.urls"
ASGI_APPLICATION = "cityops.asgi.application"
WSGI_APPLICATION = "cityops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of Django's own templates (the admin's), found before the apps' templates.
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

# Database: SQLite under the data directory unless DATABASE_URL names another.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'cityops.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions avoid "database is locked" upgrades under concurrent writers.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from psycopg_pool import ConnectionPool

    # Persistent connections under ASGI exhaust PostgreSQL; a pool does not.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Only statements run on a server-binding cursor (platform/prepared.py: intake's API
        # key lookup, idempotency reservation and insert) are prepared, after their 5th run on
        # a connection; the ORM's own cursors bind on the client and are never prepared.
        "prepare_threshold": 5,
        "pool": {
            "min_size": 1,
            "max_size": env.int("DATABASE_POOL_SIZE", default=10),
            # While the database is down a request waits this long for a connection, then
            # gets a 503 (platform/unavailable.py), not psycopg_pool's 30 s.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5.0),
            # A failed reconnection is retried after 1 s, then (check) begun anew: the pool is
            # back within about a second of the database, where the default backoff (1, 2,
            # 4 … s for 300 s) leaves it down up to as long again as the outage lasted.
            "reconnect_timeout": 2.0,
            "reconnect_failed": ConnectionPool.check,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["cityops.accounts.backends.LoginBackend"]
LOGIN_URL = "portal:sign_in"
LOGIN_REDIRECT_URL = "portal:my_reports"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Django's defaults name first_name and last_name; CityOps keeps one full name.
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "cityops.platform.staticfiles.StaticStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Leaflet and its marker clusters come from xstatic wheels: served by us, never from a CDN.
STATICFILES_DIRS = [
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]

REDIS_URL = env.str("REDIS_URL", default="")
MQTT_URL = env.str("MQTT_URL", default="")

if REDIS_URL:
    # Django's Redis cache, where a Redis that cannot be reached is a logged miss: every page
    # works without it, only slower (cityops.platform.cache).
    CACHES = {
        "default": {"BACKEND": "cityops.platform.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Jobs: Django's tasks API in front of Huey (SQLite file embedded, Redis when REDIS_URL is set).
TASKS = {"default": {"BACKEND": "cityops.platform.jobs.HueyBackend"}}
CITYOPS_JOBS_IMMEDIATE = env.bool("CITYOPS_JOBS_IMMEDIATE", default=False)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CityOps <no-reply@cityops.local>")
# SMTP when EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The portal's public address, for links in emails (jobs have no request to ask).
CITYOPS_SITE_URL = env.str("CITYOPS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The citizen portal's map: tile server and its attribution ({z}/{x}/{y} placeholders).
CITYOPS_MAP_TILES_URL = env.str(
    "CITYOPS_MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
CITYOPS_MAP_ATTRIBUTION = env.str(
    "CITYOPS_MAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# The city's working calendar (deadlines are counted in working time).
CITYOPS_OFFICE_HOURS = env.str("CITYOPS_OFFICE_HOURS", default="07:00-11:30,13:30-17:00")
CITYOPS_EXTRA_DAYS_OFF = env.list("CITYOPS_EXTRA_DAYS_OFF", default=[])
CITYOPS_EXTRA_WORKING_DAYS = env.list("CITYOPS_EXTRA_WORKING_DAYS", default=[])
# A resolved report nobody rates is closed after this many days.
# Live views: a comment line this often keeps proxies from closing an idle event stream.
CITYOPS_SSE_KEEPALIVE_SECONDS = env.float("CITYOPS_SSE_KEEPALIVE_SECONDS", default=15.0)
# With REDIS_URL, the Redis stream every web process reads its live events from.
CITYOPS_REALTIME_STREAM = env.str("CITYOPS_REALTIME_STREAM", default="cityops:events")
CITYOPS_CLOSE_AFTER_DAYS = env.int("CITYOPS_CLOSE_AFTER_DAYS", default=7)
# An agency's extension ends at most this many working days after the deadline it replaces.
CITYOPS_MAX_EXTENSION_WORKING_DAYS = env.int("CITYOPS_MAX_EXTENSION_WORKING_DAYS", default=30)
CITYOPS_UPLOAD_MAX_BYTES = env.int("CITYOPS_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CITYOPS_UPLOAD_MAX_PIXELS = env.int("CITYOPS_UPLOAD_MAX_PIXELS", default=40_000_000)
CITYOPS_MAX_PHOTOS = 5
# Duplicate detection looks for similar reports within this distance (docs/intelligence.md).
CITYOPS_DUPLICATE_RADIUS_M = env.int("CITYOPS_DUPLICATE_RADIUS_M", default=200)
# Sensor readings (docs/monitoring.md): raw readings are kept this many days (0: forever),
# their hourly and daily rollups forever; PostgreSQL's monthly partitions of the readings are
# created this many months ahead.
CITYOPS_READINGS_RETENTION_DAYS = env.int("CITYOPS_READINGS_RETENTION_DAYS", default=730)
CITYOPS_READINGS_PARTITIONS_AHEAD = env.int("CITYOPS_READINGS_PARTITIONS_AHEAD", default=3)
# Alarms and warning bulletins (docs/alerts.md): addresses that get every critical and major
# alarm besides the operators on duty; CAP feeds polled every 5 minutes; how long a CAP
# bulletin without <expires> stays up; who the city's own bulletins are from.
CITYOPS_ALARM_EMAILS = env.list("CITYOPS_ALARM_EMAILS", default=[])
CITYOPS_CAP_FEEDS = env.list("CITYOPS_CAP_FEEDS", default=[])
# Public transport (docs/transit.md): positions older than this are dropped; a bus later than
# this raises an alarm; two buses of a route closer than these metres or minutes are bunching.
# CITYOPS_TRANSIT_GTFS_RT_URL: a GTFS-realtime VehiclePositions feed polled every minute.
CITYOPS_TRANSIT_STALE_SECONDS = env.int("CITYOPS_TRANSIT_STALE_SECONDS", default=90)
CITYOPS_TRANSIT_DELAY_ALARM_MINUTES = env.int("CITYOPS_TRANSIT_DELAY_ALARM_MINUTES", default=10)
CITYOPS_TRANSIT_BUNCHING_METRES = env.int("CITYOPS_TRANSIT_BUNCHING_METRES", default=150)
CITYOPS_TRANSIT_BUNCHING_MINUTES = env.int("CITYOPS_TRANSIT_BUNCHING_MINUTES", default=2)
CITYOPS_TRANSIT_GTFS_RT_URL = env.str("CITYOPS_TRANSIT_GTFS_RT_URL", default="")
# Sector indicators (docs/indicators.md): a department's API answering JSON rows, imported by
# ``manage.py indicators_import`` without a file.
CITYOPS_INDICATORS_API_URL = env.str("CITYOPS_INDICATORS_API_URL", default="")
# The hosts (host or host:port) whose addresses IOC staff may have the server fetch from the
# upload page, separated by commas; the host of CITYOPS_INDICATORS_API_URL is always allowed. No
# other address is fetched, so the page cannot make the server call inside its own network.
CITYOPS_INDICATORS_API_HOSTS = env.list("CITYOPS_INDICATORS_API_HOSTS", default=[])
# Press monitoring (docs/press.md): polite polling (timeouts in seconds, pages and feeds capped
# in bytes, back-off doubling after errors up to the cap), near-duplicate stories (Jaccard
# similarity of word shingles within a window of days), mention spikes (count in the last hour
# against the usual: factor and minimum count, usual from the previous days), reports alike;
# the daily digest, e-mailed at digest_time (city time) to CITYOPS_PRESS_DIGEST_TO (addresses
# separated by commas).
CITYOPS_PRESS = {
    "user_agent": env.str("CITYOPS_PRESS_USER_AGENT", default="CityOps press monitor"),
    "connect_timeout": env.float("CITYOPS_PRESS_CONNECT_TIMEOUT", default=5.0),
    "read_timeout": env.float("CITYOPS_PRESS_READ_TIMEOUT", default=15.0),
    "max_feed_bytes": env.int("CITYOPS_PRESS_MAX_FEED_BYTES", default=5 * 1024 * 1024),
    "max_page_bytes": env.int("CITYOPS_PRESS_MAX_PAGE_BYTES", default=3 * 1024 * 1024),
    "max_items_per_poll": env.int("CITYOPS_PRESS_MAX_ITEMS_PER_POLL", default=100),
    "backoff_max_seconds": env.int("CITYOPS_PRESS_BACKOFF_MAX_SECONDS", default=6 * 3600),
    "story_threshold": env.float("CITYOPS_PRESS_STORY_THRESHOLD", default=0.5),
    "story_window_days": env.int("CITYOPS_PRESS_STORY_WINDOW_DAYS", default=3),
    "spike_factor": env.float("CITYOPS_PRESS_SPIKE_FACTOR", default=3.0),
    "spike_min_count": env.int("CITYOPS_PRESS_SPIKE_MIN_COUNT", default=5),
    "spike_days": env.int("CITYOPS_PRESS_SPIKE_DAYS", default=7),
    "report_days": env.int("CITYOPS_PRESS_REPORT_DAYS", default=3),
    "report_radius_m": env.int("CITYOPS_PRESS_REPORT_RADIUS_M", default=1000),
    "digest_recipients": env.list("CITYOPS_PRESS_DIGEST_TO", default=[]),
    "digest_time": env.str("CITYOPS_PRESS_DIGEST_TIME", default="07:00"),
}
CITYOPS_BULLETIN_DEFAULT_HOURS = env.int("CITYOPS_BULLETIN_DEFAULT_HOURS", default=24)
CITYOPS_BULLETIN_SENDER = env.str("CITYOPS_BULLETIN_SENDER", default="ioc@cityops.local")
CITYOPS_BULLETIN_SENDER_NAME = env.str(
    "CITYOPS_BULLETIN_SENDER_NAME", default="Trung tâm Giám sát, điều hành đô thị thông minh Huế"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Anonymous public reads answered before Django (cityops/platform/readcache.py): on unless
# CITYOPS_READ_CACHE=0; an answer is kept at most this many seconds (changes without a report
# event: category names, areas), in each process at most this many answers and bytes.
CITYOPS_READ_CACHE = env.bool("CITYOPS_READ_CACHE", default=True)
CITYOPS_READ_CACHE_SECONDS = env.float("CITYOPS_READ_CACHE_SECONDS", default=30.0)
CITYOPS_READ_CACHE_ENTRIES = env.int("CITYOPS_READ_CACHE_ENTRIES", default=5000)
CITYOPS_READ_CACHE_BYTES = env.int("CITYOPS_READ_CACHE_BYTES", default=64 * 1024 * 1024)

# Rate limits on public endpoints ("count/period", period s, m, h or d, e.g. 100/10m).
CITYOPS_RATE_LIMITS = {
    "write_per_ip": env.str("CITYOPS_RATE_WRITE_PER_IP", default="20/m"),
    "write_per_key": env.str("CITYOPS_RATE_WRITE_PER_KEY", default="600/m"),
    "login_per_ip": env.str("CITYOPS_RATE_LOGIN_PER_IP", default="10/m"),
    # Failed sign-ins, on every way in (portal, API token, admin): past these, sign-ins wait.
    "login_failures_per_account": env.str(
        "CITYOPS_RATE_LOGIN_FAILURES_PER_ACCOUNT", default="5/15m"
    ),
    "login_failures_per_ip": env.str("CITYOPS_RATE_LOGIN_FAILURES_PER_IP", default="30/h"),
}
# Outside channels (docs/channels.md): each is off until switched on, its secrets from the
# environment only.
CITYOPS_CHANNELS = {
    "email": env.bool("CITYOPS_CHANNEL_EMAIL", default=False),
    "zalo": env.bool("CITYOPS_CHANNEL_ZALO", default=False),
    "facebook": env.bool("CITYOPS_CHANNEL_FACEBOOK", default=False),
    "sms": env.bool("CITYOPS_CHANNEL_SMS", default=False),
    "webpush": env.bool("CITYOPS_CHANNEL_WEBPUSH", default=False),
}
# The e-mail channel (docs/channels.md, "E-mail"): the city's mailbox, polled over IMAP every
# minute; replies to a thread go to <local>+<token>@<domain> of this address (the mail server
# must deliver "+" addresses to the mailbox). Reports wait under CITYOPS_EMAIL_CATEGORY.
CITYOPS_EMAIL_ADDRESS = env.str("CITYOPS_EMAIL_ADDRESS", default="phananh@cityops.local")
CITYOPS_EMAIL_NAME = env.str("CITYOPS_EMAIL_NAME", default=CITYOPS_BULLETIN_SENDER_NAME)
CITYOPS_EMAIL_CATEGORY = env.str("CITYOPS_EMAIL_CATEGORY", default="other")
CITYOPS_EMAIL_IMAP = {
    "host": env.str("CITYOPS_EMAIL_IMAP_HOST", default=""),
    "port": env.int("CITYOPS_EMAIL_IMAP_PORT", default=993),
    "user": env.str("CITYOPS_EMAIL_IMAP_USER", default=""),
    "password": env.str("CITYOPS_EMAIL_IMAP_PASSWORD", default=""),
    "ssl": env.bool("CITYOPS_EMAIL_IMAP_SSL", default=True),
    "folder": env.str("CITYOPS_EMAIL_IMAP_FOLDER", default="INBOX"),
}
# A GTFS-realtime consumer polls every 10–30 s: 120 a minute leaves room for several behind one
# address.
CITYOPS_RATE_LIMITS["gtfs_rt_per_ip"] = env.str("CITYOPS_RATE_GTFS_RT_PER_IP", default="120/m")
CITYOPS_RATE_LIMITS["webhook_per_channel"] = env.str(
    "CITYOPS_RATE_WEBHOOK_PER_CHANNEL", default="6000/m"
)
# Zalo Official Account (docs/channels.md): the OA API's address and access token, and the
# app id with the OA secret key that sign its webhook calls (X-ZEvent-Signature).
CITYOPS_ZALO_API_URL = env.str("CITYOPS_ZALO_API_URL", default="https://openapi.zalo.me").rstrip(
    "/"
)
CITYOPS_ZALO_OA_ACCESS_TOKEN = env.str("CITYOPS_ZALO_OA_ACCESS_TOKEN", default="")
CITYOPS_ZALO_APP_ID = env.str("CITYOPS_ZALO_APP_ID", default="")
CITYOPS_ZALO_OA_SECRET_KEY = env.str("CITYOPS_ZALO_OA_SECRET_KEY", default="")
# Facebook Messenger: the Graph API's address, the page's access token, the app secret that signs
# webhook calls (X-Hub-Signature-256) and the token the webhook's verification echoes.
CITYOPS_META_GRAPH_URL = env.str(
    "CITYOPS_META_GRAPH_URL", default="https://graph.facebook.com/v19.0"
).rstrip("/")
CITYOPS_META_PAGE_TOKEN = env.str("CITYOPS_META_PAGE_TOKEN", default="")
CITYOPS_META_APP_SECRET = env.str("CITYOPS_META_APP_SECRET", default="")
CITYOPS_META_VERIFY_TOKEN = env.str("CITYOPS_META_VERIFY_TOKEN", default="")
# SMS gateway (docs/channels.md, "SMS"): where texts are POSTed with the bearer token, and the
# secret whose HMAC-SHA256 of the raw body signs incoming texts (X-CityOps-Signature).
CITYOPS_SMS_GATEWAY_URL = env.str("CITYOPS_SMS_GATEWAY_URL", default="")
CITYOPS_SMS_GATEWAY_TOKEN = env.str("CITYOPS_SMS_GATEWAY_TOKEN", default="")
CITYOPS_SMS_WEBHOOK_SECRET = env.str("CITYOPS_SMS_WEBHOOK_SECRET", default="")
# Web push: the VAPID key pair (base64url, see docs/channels.md) and the contact it names.
CITYOPS_VAPID_PUBLIC_KEY = env.str("CITYOPS_VAPID_PUBLIC_KEY", default="")
CITYOPS_VAPID_PRIVATE_KEY = env.str("CITYOPS_VAPID_PRIVATE_KEY", default="")
CITYOPS_VAPID_SUBJECT = env.str("CITYOPS_VAPID_SUBJECT", default="mailto:ioc@cityops.local")
# The reverse proxies in front of the web processes, as addresses or CIDR networks: only from
# them is X-Forwarded-For believed (cityops.platform.http.client_ip). Empty: from nobody.
CITYOPS_TRUSTED_PROXIES = env.list("CITYOPS_TRUSTED_PROXIES", default=[])
# Payment gateways (docs/online-services.md, "Payments"): secrets from the environment only.
CITYOPS_VNPAY_TMN_CODE = env.str("CITYOPS_VNPAY_TMN_CODE", default="")
CITYOPS_VNPAY_HASH_SECRET = env.str("CITYOPS_VNPAY_HASH_SECRET", default="")
CITYOPS_VNPAY_URL = env.str(
    "CITYOPS_VNPAY_URL", default="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
)
CITYOPS_VNPAY_QUERY_URL = env.str(
    "CITYOPS_VNPAY_QUERY_URL",
    default="https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
)
CITYOPS_MOMO_PARTNER_CODE = env.str("CITYOPS_MOMO_PARTNER_CODE", default="")
CITYOPS_MOMO_ACCESS_KEY = env.str("CITYOPS_MOMO_ACCESS_KEY", default="")
CITYOPS_MOMO_SECRET_KEY = env.str("CITYOPS_MOMO_SECRET_KEY", default="")
CITYOPS_MOMO_ENDPOINT = env.str(
    "CITYOPS_MOMO_ENDPOINT", default="https://test-payment.momo.vn"
).rstrip("/")
# The demo's stand-in for VNPay (payments/demo_gateway.py): anyone may mark a fee paid, so no
# environment variable turns it on; `cityops run` does, with demo data and no VNPay terminal.
CITYOPS_PAYMENTS_DEMO = False
CITYOPS_VIETQR_BANK_BIN = env.str("CITYOPS_VIETQR_BANK_BIN", default="")
CITYOPS_VIETQR_ACCOUNT = env.str("CITYOPS_VIETQR_ACCOUNT", default="")
CITYOPS_VIETQR_ACCOUNT_NAME = env.str("CITYOPS_VIETQR_ACCOUNT_NAME", default="")
# The receipts' seller (the agency collecting the fees) and series (KHHDon).
CITYOPS_RECEIPT_SELLER = env.str("CITYOPS_RECEIPT_SELLER", default=CITYOPS_BULLETIN_SENDER_NAME)
CITYOPS_RECEIPT_SELLER_TAX_CODE = env.str("CITYOPS_RECEIPT_SELLER_TAX_CODE", default="")
CITYOPS_RECEIPT_SELLER_ADDRESS = env.str("CITYOPS_RECEIPT_SELLER_ADDRESS", default="")
CITYOPS_RECEIPT_SERIES = env.str("CITYOPS_RECEIPT_SERIES", default="1C26TCO")
CITYOPS_RATE_LIMITS["payments_per_ip"] = env.str("CITYOPS_RATE_PAYMENTS_PER_IP", default="120/m")
# The gateways' notifications come from a few addresses of theirs: a higher limit per address.
CITYOPS_RATE_LIMITS["payments_ipn_per_ip"] = env.str(
    "CITYOPS_RATE_PAYMENTS_IPN_PER_IP", default="1200/m"
)
