"""When a published post's numbers are read: often while they move, rarely after.

Hourly for the first day, every 6 hours to day 7, daily to day 30, then never. The rungs
sit on a grid from the publishing time (published + k × step), so a late collection
does not shift the ones after it.
"""

from __future__ import annotations

import datetime as dt

LADDER: tuple[tuple[dt.timedelta, dt.timedelta], ...] = (  # (until the post's age, every)
    (dt.timedelta(days=1), dt.timedelta(hours=1)),
    (dt.timedelta(days=7), dt.timedelta(hours=6)),
    (dt.timedelta(days=30), dt.timedelta(days=1)),
)

LAST_RUNG = LADDER[-1][0]  # a post this old is not read on the ladder any more


def next_rung(published_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """The first rung after ``now`` for a post published at ``published_at``; None once
    the post is 30 days old (its last rung is day 30 itself)."""
    age = max(now - published_at, dt.timedelta(0))
    for until, step in LADDER:
        if age < until:
            return published_at + (age // step + 1) * step
    return None
