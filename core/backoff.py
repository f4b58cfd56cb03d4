"""How long to wait before trying again: one policy for tasks and publications."""

from __future__ import annotations

import random


def backoff_s(
    step: int,
    *,
    base_s: float,
    cap_s: float,
    retry_after_s: float | None = None,
    floor_share: float = 0.0,
) -> float:
    """Exponential (``base_s * 2**step``, capped at ``cap_s``) with jitter between
    ``floor_share`` of that and all of it, never sooner than the server asked."""
    ceiling = min(cap_s, base_s * 2**step)
    return max(random.uniform(ceiling * floor_share, ceiling), retry_after_s or 0.0)
