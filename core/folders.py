"""The folders the settings name on this machine, created at start-up (``CoreConfig.ready``).

Settings only name them, so importing settings writes nothing; every process that runs
Django (web, worker, beat, manage.py, the tests, the benchmarks) makes them here first.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from config.broker import EMBEDDED_BROKER_URL, filesystem_folders_create

SQLITE_ENGINE = "django.db.backends.sqlite3"


def local_folders_create() -> None:
    """Create the SQLite database's folder, the embedded broker's folders and STATIC_ROOT
    (whitenoise warns about a missing one) when the settings use them. Idempotent."""
    folders = [Path(settings.STATIC_ROOT)]
    database = settings.DATABASES["default"]
    if database["ENGINE"] == SQLITE_ENGINE and str(database["NAME"]) != ":memory:":
        folders.append(Path(database["NAME"]).parent)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    if settings.CELERY_BROKER_URL == EMBEDDED_BROKER_URL:
        filesystem_folders_create(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
