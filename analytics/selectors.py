"""Reads that other apps may use. The one interface content uses:
"give me the guidance for business B on channel C"."""

from __future__ import annotations

from content.providers.base import Guidance


def guidance_for(*, business_id: int, channel: str) -> Guidance | None:
    """What worked for this business on this channel, or None when nothing is known yet.

    None means neutral: the writer explores. The performance model (the analytics
    issue) fills this from MetricSnapshots; until a business has measured posts
    there is nothing to say, and saying nothing is the right answer.
    """
    return None
