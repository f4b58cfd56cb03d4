"""The learning loop: does the product learn what works for a shop it has never seen?

A shop runs ``WEEKS`` weekly campaigns on Instagram, Threads and YouTube Shorts
(``POSTS_PER_WEEK`` each: 50 posts per channel) through the real code
path, in-process on a moved clock (time-machine): ``campaign_create`` (slots laid out
by the loop) → the offline writer (with guidance) → rendering (videos at the draft size,
``RENDER_VIDEO_DRAFT``) → ``schedule_campaign`` → the publishers → the in-process
simulators with the given audience → the collectors on the ladder (read once a
day of the moved clock) → learning. Queue messages are not sent; the benchmark calls
the same services a worker would.

Only the oracle reads the audience model: for each channel and week it takes the best
creative choice and the best hour on the best distinct weekdays, as many as the loop
posted that week, over the same decision space (``analytics.space``), writing each
creative combination with the same offline writer so the platform sees what it would
see. Everything is compared on expected (noise-free) outcomes, the channel's primary
outcome (``analytics.scoring.outcome``), with the followers at each post's time.

- ``loop.share_of_oracle``: the loop's expected outcome over its last 10 posts per
  channel ÷ the oracle's, averaged over channels and seeds (target ≥ 0.85);
- ``loop.over_baseline``: the same ÷ the baseline's, the same pipeline with
  ``LEARNING_ENABLED`` off (target ≥ 1.3; on a small noisy account ≥ 0.97). The
  baseline learns nothing, so only its last weeks are simulated (``BASELINE_WEEKS``).

Environment: ``AUDIENCE=FILE`` (default: the sandbox's default audience; ``all``: every
file in ``bench/audiences/``), ``SEED=N`` (first seed; ``SEEDS`` seeds from it, default
5: one shop's figure moves by several hundredths from seed to seed).
``bench/loop_fast.py`` is the quick stand-in used to compare ideas before this run.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from multiprocessing.pool import Pool
from pathlib import Path

from django.conf import settings

from bench import loop_worker
from bench.loop_shop import CHANNELS
from bench.report import Figure

SEEDS = int(os.environ.get("SEEDS", "5"))
WORKERS = 2  # shops simulated at once (the machine's two cores)
AUDIENCES = Path(__file__).parent / "audiences"


# --- Figures ----------------------------------------------------------------------------------


def _audience_files() -> list[Path | None]:
    """``AUDIENCE`` (one file, or ``all`` for every file in bench/audiences/), else the
    sandbox's default audience."""
    chosen = os.environ.get("AUDIENCE", "")
    if chosen == "all":
        return list(sorted(AUDIENCES.glob("*.json")))
    return [Path(chosen)] if chosen else [None]


def evaluate(path: Path | None, seeds: list[int], pool: Pool) -> dict[str, float]:
    """Both arms for every seed, simulated side by side in the worker processes."""
    tasks = [  # the long runs (the loop's) first, so the short ones fill in at the end
        (str(path) if path else None, seed, learning)
        for learning in (True, False)
        for seed in seeds
    ]
    results = dict(zip(tasks, pool.map(loop_worker.simulate, tasks, chunksize=1), strict=True))
    shares, overs, counts = [], [], []
    for seed in seeds:
        loop = results[(tasks[0][0], seed, True)]
        baseline = results[(tasks[0][0], seed, False)]
        for channel in CHANNELS:
            shares.append(sum(loop["last"][channel]) / sum(loop["oracle"][channel]))
            overs.append(sum(loop["last"][channel]) / sum(baseline["last"][channel]))
            counts.append(loop["posts"][channel])
    return {"share": statistics.mean(shares), "over": statistics.mean(overs), "posts": min(counts)}


def run() -> list[Figure]:
    first = int(os.environ.get("SEED") or "0")
    seeds = list(range(first, first + SEEDS))
    started = time.perf_counter()
    figures = []
    results = {}
    var_root = Path(settings.VAR_DIR) / "bench" / "loop"
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS, initializer=loop_worker.start, initargs=(str(var_root),)) as pool:
        for path in _audience_files():
            name = path.stem if path else "default"
            results[name] = evaluate(path, seeds, pool)
    for name, r in results.items():
        figures += [
            Figure(f"loop.{name}.share_of_oracle", r["share"], "ratio"),
            Figure(f"loop.{name}.over_baseline", r["over"], "ratio"),
        ]
    figures += [
        Figure(
            "loop.share_of_oracle",
            statistics.mean(r["share"] for r in results.values()),
            "ratio",
            ">=0.85",
        ),
        Figure(
            "loop.over_baseline",
            statistics.mean(r["over"] for r in results.values()),
            "ratio",
            ">=1.3",
        ),
        # A small, noisy account: learning may not pay yet, but it must not cost.
        Figure("loop.no_harm", min(r["over"] for r in results.values()), "ratio", ">=0.97"),
    ]
    figures += [
        Figure("loop.posts_per_channel", min(r["posts"] for r in results.values()), "posts"),
        Figure("loop.wall_s", time.perf_counter() - started, "s"),
    ]
    return figures
