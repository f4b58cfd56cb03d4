"""Settings only name folders; start-up (core.folders, from CoreConfig.ready) makes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Reads the settings module in a fresh process: what exists afterwards, and the run id.
IMPORT_SETTINGS = """
import importlib, json, os, sys
importlib.import_module(sys.argv[1])
print(json.dumps({"run": os.environ.get("GAGECAST_TEST_RUN")}))
"""
START_DJANGO = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"broker": settings.CELERY_BROKER_TRANSPORT_OPTIONS, "url": settings.CELERY_BROKER_URL}))
"""


def _python(code: str, var_dir: Path, *args: str, **extra: str) -> dict:
    unset = ("GAGECAST_TEST_RUN", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(GAGECAST_VAR_DIR=str(var_dir), SECRET_KEY="x" * 50, **extra)
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "module",
    ["config.settings.local", "config.settings.test", "config.settings.bench"],
)
def test_importing_the_settings_creates_no_folder_and_writes_no_environment(
    module: str, tmp_path: Path
):
    var_dir = tmp_path / "var"

    seen = _python(IMPORT_SETTINGS, var_dir, module)

    assert not var_dir.exists()
    assert seen == {"run": None}


def test_starting_django_creates_the_database_broker_and_static_folders(tmp_path: Path):
    var_dir = tmp_path / "var"

    seen = _python(START_DJANGO, var_dir, DJANGO_SETTINGS_MODULE="config.settings.local")

    assert seen["url"] == "filesystem://"
    assert (var_dir / "static").is_dir()  # STATIC_ROOT; the SQLite file's folder is var/
    for name in ("data_folder_in", "data_folder_out", "control_folder"):
        assert Path(seen["broker"][name]).is_dir()
        assert Path(seen["broker"][name]).is_relative_to(var_dir)
