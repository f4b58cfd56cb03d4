"""Benchmarks: the product's code on a throwaway SQLite database and broker folder,
so `make bench` never touches the development data."""

from config.broker import filesystem_transport_options
from config.env import env_int

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR

DEBUG = False
SECRET_KEY = "bench-only-secret-key"
BENCH_DIR = VAR_DIR / "bench"  # its folders are made at start-up (core.folders)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BENCH_DIR / "bench.sqlite3",
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
CELERY_BROKER_URL = "filesystem://"
# A worker looks at the queue folder every half second; the generation benchmark's worker
# looks every 20 ms, or that wait (a phase of the polling, 0-0.5 s) swamps the 1 s call
# it measures against (GAGECAST_BENCH_BROKER_POLL_MS is set for that worker only).
CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(
    BENCH_DIR / "broker",
    polling_interval_s=env_int("GAGECAST_BENCH_BROKER_POLL_MS", 500, minimum=10) / 1000,
)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The pages benchmark renders templates: plain static URLs, no collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
