"""python -m bench [NAME ...]: run the benchmarks and print one figure per line.

Exits 1 when a figure misses its target.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

BENCHES = ["generation", "video", "publishing", "pages", "loop"]
DEFAULT = ["generation", "video", "publishing", "pages"]  # loop runs on its own: about ten minutes


def main(argv: list[str]) -> int:
    names = [name for name in argv if name] or DEFAULT
    unknown = sorted(set(names) - set(BENCHES))
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    bench_dir = Path(os.environ.get("GAGECAST_VAR_DIR", "var")) / "bench"
    shutil.rmtree(bench_dir, ignore_errors=True)  # a fresh database and queue every run

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    missed = 0
    for name in names:
        for figure in importlib.import_module(f"bench.{name}").run():
            print(figure.line(), flush=True)
            missed += not figure.met()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
