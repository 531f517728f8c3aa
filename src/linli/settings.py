"""Settings: every value comes from the environment, through small helpers that fail loudly."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import to_language

from linli.maps import rules as map_rules

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    import os

    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"environment variable {name} is required")
    return value


def envbool(name: str, default: str) -> bool:
    value = env(name, default).lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envnetworks(name: str) -> list:
    """A comma-separated list of IP addresses and CIDR networks (10.0.0.0/8, 2001:db8::/32)."""
    import ipaddress

    try:
        return [ipaddress.ip_network(part.strip()) for part in env(name, "").split(",") if part.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc


DEBUG = envbool("LINLI_DEBUG", "false")
SECRET_KEY = env("LINLI_SECRET_KEY")
ALLOWED_HOSTS = env("LINLI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env("LINLI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# PII (PIPL): Fernet keys, newest first, for encryption at rest; a separate key for the lookup hash.
PII_KEYS = env("LINLI_PII_KEYS").split(",")
PII_LOOKUP_KEY = env("LINLI_PII_LOOKUP_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "linli.accounts.apps.AxesConfig",  # django-axes, named in Chinese
    "simple_history",
    "ninja",
    "django_tasks",
    "linli.ops.apps.TasksDatabaseConfig",  # django-tasks-db, named in Chinese
    "linli.accounts",
    "linli.audit",
    "linli.regions",
    "linli.organizations",
    "linli.people",
    "linli.maps",  # base map, address search, geocoder (docs/maps.md)
    "linli.workdays",
    "linli.notifications",  # notify(): in-app messages, SMS and later channels (docs/notifications.md)
    "linli.cases",
    "linli.residents",  # 居民端: residents' accounts, 实名认证, the portal (docs/residents.md)
    "linli.notices",  # 社区公告: staff publish to a community, grid, estate or building; residents read
    "linli.property",  # 物业监管: companies, projects, 物业化, credit files (docs/property.md)
    "linli.committees",  # 业主委员会 and 红色物业, the estate page (docs/property.md)
    "linli.votes",  # 业主大会表决 (Civil Code art. 278): staff run the vote, owners vote in the portal
    "linli.consultation",  # 议事协商: proposals, discussion and one-resident-one-vote polls of a place
    "linli.surveys",  # 调查与普查: forms, frames, enumeration areas, draws, door-to-door entry, re-checks
    "linli.volunteers",  # 志愿服务: volunteers, teams, activities, hours, stars, certificates (docs/volunteers.md)
    "linli.donations",  # 公益捐助: drives, receipts, disbursements, the public ledger (docs/donations.md)
    "linli.archives",  # 电子台账与档案: boxes, items, Chinese full-text search (docs/archives.md)
    "linli.burden",  # 社区减负: the two lists, work access (准入), work given to communities (docs/burden.md)
    "linli.certificates",  # 居委会出具证明: matters, applications, codes checked online (docs/certificates.md)
    "linli.campaigns",
    "linli.assessment",
    "linli.honours",
    "linli.bulletins",  # monthly 通报 and scoring schemes (docs/bulletins.md)
    "linli.stats",
    "linli.demo",
    "linli.workbench",  # 工作台: the offices' landing page
    "linli.ops",  # periodic jobs (./linli scheduler), notices, serve_check
    "linli.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that API requests never write a session and a failed session save fails no response.
    "linli.core.sessions.SessionMiddleware",
    # No LocaleMiddleware: the interface speaks LANGUAGE_CODE whatever the browser asks (docs/accessibility.md).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "linli.accounts.middleware.ResidentsStayInThePortal",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "linli.core.busy.DatabaseBusyMiddleware",  # last: the first to see a view's exception
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "linli" / "templates"],
        "OPTIONS": {
            "loaders": [
                (
                    "linli.core.templateloader.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"jinja": "linli.jinja"},
        },
    },
    # What pages draw many times over (a list's rows, the menu, a form's fields), drawn by {% jinja %} from each
    # app's jinja2/ folder and the project's (linli/jinja.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "src" / "linli" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "linli.jinja.environment"},
    },
]

FORM_RENDERER = "linli.core.forms.WidgetRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'linli.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Lockout: 5 failures lock the username for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Lock the account, not the address: a whole street office shares one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "linli.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "linli.core.clientip.client_ip"

# Idle timeout: a session lives 30 minutes after the last page request, pushed back at most once a minute
# (linli.core.sessions), so a click does not write the session row every time.
SESSION_COOKIE_AGE = int(env("LINLI_SESSION_IDLE_SECONDS", "1800"))
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
API_TOKEN_TTL = timedelta(hours=int(env("LINLI_API_TOKEN_HOURS", "12")))

SECURE = envbool("LINLI_SECURE", "false")  # true behind HTTPS in production
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
# The reverse proxies whose X-Forwarded-For is believed (linli.core.clientip); none by default.
TRUSTED_PROXIES = envnetworks("LINLI_TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp), enforced: scripts and styles only from our own static
# files, so an injected <script>, onclick= or style= does nothing even if escaping ever fails. Pages keep no inline
# code (static/linli/app.js does what onclick= did); json_script data blocks are not scripts. Images may also be
# data: (the API docs' icons) and blob: (the public report's photo previews); the maps draw our own boundaries, so a
# tile service, once configured, adds its host to img-src. Stored files keep the stricter sandbox policy that
# core.files sets, which this does not replace.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# ---- maps (docs/maps.md)
# The base map's tiles: 天地图 with its key, or a template the operator names with its attribution and coordinate
# system (wgs84, cgcs2000 or gcj02). Neither: the registry (estates, buildings, boundaries) is the base map.
MAP_TILES = map_rules.tiles(
    tianditu_key=env("LINLI_TIANDITU_KEY", ""),
    url=env("LINLI_MAP_TILES_URL", ""),
    attribution=env("LINLI_MAP_TILES_ATTRIBUTION", ""),
    system=env("LINLI_MAP_TILES_SYSTEM", map_rules.WGS84),
)
if MAP_TILES:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += MAP_TILES["hosts"]
# Address search: a class with `search(text, user=, limit=)`; the registry's own search by default.
LINLI_GEOCODER = env("LINLI_GEOCODER", "linli.maps.geocoders.RegistryGeocoder")

# One interface language per installation, never negotiated with the browser: every page, message, form error and
# API error speaks it. Our strings are written in Simplified Chinese (the msgids); another language is a catalogue
# only: locale/<locale>/LC_MESSAGES/django.mo (./linli messages zh_Hant) makes it a choice here. No English: we ship
# no English translation, and an English request only got Django's own messages in English inside Chinese pages.
# locale/zh_Hans holds the Chinese for what third-party apps leave in English in the admin (django-axes, django-tasks).
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
LANGUAGES = [("zh-hans", "简体中文")] + [
    (to_language(d.name), LANG_INFO.get(to_language(d.name), {}).get("name_local", d.name))
    for d in sorted(LOCALE_PATHS[0].iterdir())
    if d.name != "zh_Hans" and (d / "LC_MESSAGES" / "django.mo").is_file()
]
LANGUAGE_CODE = env("LINLI_LANGUAGE", "zh-hans").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LINLI_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` gathers the files the server hands out (LINLI_STATIC_ROOT: a benchmark collects into a folder of
# its own, so runs side by side never read each other's half-written manifest).
STATIC_ROOT = Path(env("LINLI_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# The project's own static files (app.css, vendored libraries) live beside the templates, outside any app.
STATICFILES_DIRS = [BASE_DIR / "src" / "linli" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 50 * 1024 * 1024
IMPORT_MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # what an .xlsx may unpack to (100,000 rows as inline strings: 175 MB)
IMPORT_MAX_ROWS = 100_000

# Background tasks (django-tasks): imports and exports are queued in the database and run by `./linli worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job that has not reported progress for this long lost its worker: it is undone and marked failed.
JOB_STALE_AFTER = timedelta(minutes=int(env("LINLI_JOB_STALE_MINUTES", "10")))
EXPORT_KEEP = timedelta(hours=int(env("LINLI_EXPORT_KEEP_HOURS", "24")))  # finished export files, then deleted

# Return visits (回访, docs/cases.md): the unanswered calls after which a reporter counts as unreachable, and how
# unreachable visits count in 解决率: "excluded" (left out), "unsolved" or "solved".
VISIT_TRIES = int(env("LINLI_VISIT_TRIES", "3"))
VISIT_UNREACHABLE = env("LINLI_VISIT_UNREACHABLE", "excluded")

# Duplicate hints (疑似重复件, docs/cases.md): open cases of the same category within this many metres of a new
# case's point and received within this many days before it are shown at intake and on the public form.
DUPLICATE_METRES = int(env("LINLI_DUPLICATE_METRES", "150"))
DUPLICATE_DAYS = int(env("LINLI_DUPLICATE_DAYS", "30"))

# Backups (`./linli backup`, docs/operations.md): where the archives go unless --output says otherwise.
BACKUP_DIR = Path(env("LINLI_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

# Working hours on a working day, used to add working hours to a moment.
WORK_PERIODS = (("09:00", "12:00"), ("13:30", "17:30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LINLI_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------- several application nodes
# Behind a load balancer every node must see the same state (docs/operations.md, "Several application nodes"). The
# rate limits (public reports, wrong tracking codes, Open311 posts) and the login lockout (django-axes) are rows in
# the database, counted under its locks; sessions and what they carry (searches, pending imports) are database rows
# too. What a node would otherwise keep to itself is Django's cache (a per-process LocMemCache by default) and the
# uploaded files (a local directory): LINLI_REDIS_URL and LINLI_S3_BUCKET move them to shared services.
REDIS_URL = env("LINLI_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "linli",
            # An unreachable cache answers within a second instead of holding the worker until the proxy gives up.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions read from the shared cache and are written to both: every page request reads its session, and the
    # database stays the record, so a restarted or emptied cache logs nobody out (the plain cache engine would).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Reference data (linli.core.reference) stays in each process's memory even with redis: a network round trip would
# cost what the queries it saves cost. A change made by another process shows within this many seconds.
REFERENCE_SECONDS = 30

S3_BUCKET = env("LINLI_S3_BUCKET", "")
if S3_BUCKET:
    S3_ENDPOINT_URL = env("LINLI_S3_ENDPOINT_URL", "")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,  # empty: AWS itself
            # Empty keys: boto3's own chain (an instance role, ~/.aws) supplies them.
            "access_key": env("LINLI_S3_ACCESS_KEY", "") or None,
            "secret_key": env("LINLI_S3_SECRET_KEY", "") or None,
            "region_name": env("LINLI_S3_REGION", "") or None,
            # Self-hosted S3 (MinIO, Ceph) answers at its endpoint's own host name, with the bucket in the path.
            "addressing_style": "path" if S3_ENDPOINT_URL else None,
            # Two uploads of 照片.jpg get two names, as on a local disk, instead of the second replacing the first.
            "file_overwrite": False,
            # Objects stay private: the application serves them itself (core.files), after its permission checks.
            "default_acl": None,
            "querystring_auth": True,
        },
    }

# Notifications (docs/notifications.md): the backend of each channel beyond the in-app inbox. The outbox keeps every
# SMS in a table (demo, tests); production names linli.notifications.backends.AliyunSmsBackend and its account.
# The outbox page shows every SMS kept, codes included: for administrators, on a DEBUG site or the demo only.
OUTBOX_PAGE = DEBUG or envbool("LINLI_OUTBOX_PAGE", "false")
NOTIFICATION_BACKENDS = {"sms": env("LINLI_SMS_BACKEND", "linli.notifications.backends.OutboxBackend")}
ALIYUN_SMS = {
    "endpoint": env("LINLI_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "access_key_id": env("LINLI_ALIYUN_SMS_KEY_ID", ""),
    "access_key_secret": env("LINLI_ALIYUN_SMS_KEY_SECRET", ""),
    "sign_name": env("LINLI_ALIYUN_SMS_SIGN_NAME", ""),
    # our template key → the TemplateCode approved in the Aliyun console, e.g. accounts.login_code=SMS_1234,…
    "templates": dict(p.split("=", 1) for p in env("LINLI_ALIYUN_SMS_TEMPLATES", "").split(",") if p),
    "timeout": 5,
}

# ---------------------------------------------------------------- property supervision (docs/property.md)
# The tender rule for an estate's first (前期) company: {"public_tender_area": "50000", "min_invited": 3} is
# 沈阳's (000 篇1), the default. The credit scheme (诚信档案): None is the seeded 济南 scheme (property/rules.py
# JINAN); a locality's own is a dict of the same shape.
LINLI_PROPERTY_TENDER = {}
LINLI_PROPERTY_CREDIT_SCHEME = None
