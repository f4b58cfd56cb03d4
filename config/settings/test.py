"""The test suite: the same code as production, on whatever backends the
environment names (embedded defaults when none)."""

import os

from config.broker import filesystem_transport_options
from config.env import env_str

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, VAR_DIR

# One id per test run, so two runs on one machine never share a database, a queue folder
# or media; tests/conftest.py passes it on to the worker processes the suite starts.
TEST_RUN = env_str("GAGECAST_TEST_RUN", "") or str(os.getpid())
TEST_RUN_DIR = VAR_DIR / "test-runs" / TEST_RUN

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = TEST_RUN_DIR / "media"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the worker process in the integration tests must see it.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_RUN_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_gagecast_{TEST_RUN}"}

if not REDIS_URL:
    # Its own folder, so a `make run` on the same checkout never takes the suite's tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(TEST_RUN_DIR / "broker")
else:
    # Its own keys on a shared Redis, for the same reason: queues are named by run.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "global_keyprefix": f"gagecast-test-{TEST_RUN}:",
    }

# Per-process and cleared between tests: breaker state and cached answers never leak
# from one test to the next (clearing a Redis cache would FLUSHDB the broker too).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
