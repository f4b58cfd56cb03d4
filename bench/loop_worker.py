"""The loop benchmark's worker processes: each simulated shop runs in a process of its
own, on its own database, media and broker folders (``GAGECAST_VAR_DIR``), so shops
simulated side by side never see each other's posts. Nothing here imports Django
before the process has its own settings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


def start(var_root: str) -> None:
    """Pool initializer: a fresh var folder and database for this process."""
    var_dir = Path(var_root) / f"loop-{os.getpid()}"
    shutil.rmtree(var_dir, ignore_errors=True)
    os.environ["GAGECAST_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def simulate(task: tuple[str | None, int, bool]) -> dict[str, Any]:
    """One shop, one arm: each channel's expected outcomes, and the oracle's for the loop."""
    from bench import loop_shop as loop
    from sandbox.audience import AudienceModel

    path, seed, learning = task
    audience_path = Path(path) if path else None
    run = loop.simulate(audience_path, seed, learning=learning)
    audience = AudienceModel.load(audience_path, seed=seed)
    result: dict[str, Any] = {"wall": run.wall_s, "posts": {}, "last": {}, "oracle": {}}
    for channel in loop.CHANNELS:
        values = [value for _, value, _ in run.posts[channel]]
        result["posts"][channel] = len(values)
        result["last"][channel] = values[-loop.LAST :]
        if learning:
            result["oracle"][channel] = loop.oracle_outcomes(channel, run, audience)
    return result
