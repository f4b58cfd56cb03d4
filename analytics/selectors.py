"""Reads that other apps may use. Content asks "what should this piece try?"
(``guidance_for``), campaigns ask "when should this week's posts go out?"
(``posting_slots``), pages and the API ask "what has been learned?" (``learned_for``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from analytics import decisions, space
from analytics.learning import Knowledge, knowledge
from content.providers.base import Guidance
from marketing.models import Business

EXAMPLES = 3
# Measured posts on a channel before its posting times follow the shop's own numbers.
LEARNED_TIMES_AFTER = decisions.MIN_POSTS
EXAMPLE_CHARS = 300
_rng = np.random.default_rng()


def seed_decisions(seed: int) -> None:
    """Make the decisions reproducible (tests, the benchmark)."""
    global _rng
    _rng = np.random.default_rng(seed)


def enabled() -> bool:
    return bool(getattr(settings, "LEARNING_ENABLED", True))


def _knowledge(business_id: int, channel: str) -> Knowledge:
    business = Business.objects.only("industry").get(pk=business_id)
    return knowledge(business_id=business_id, family=business.industry_family, channel=channel)


def _examples(known: Knowledge) -> tuple[str, ...]:
    best = sorted((p for p in known.posts if p.text.strip()), key=lambda p: -p.score)
    return tuple(p.text.strip()[:EXAMPLE_CHARS] for p in best[:EXAMPLES] if p.score > 0)


def guidance_for(
    *, business_id: int, channel: str, previous: Mapping[str, Any] | None = None
) -> Guidance | None:
    """What the next piece on this channel should try, decided by Thompson sampling and
    returned with the evidence in Korean and the shop's best posts as examples.

    ``previous`` is the piece's stored decision (``ContentPiece.learning``): a rewrite
    keeps the attributes already chosen instead of drawing again. None when learning is
    switched off (``LEARNING_ENABLED``): the writers then choose freely, as before.
    """
    if not enabled():
        return None
    known = _knowledge(business_id, channel)
    decision = dict(previous or {})
    if not decision.get("attributes"):
        decision.update(decisions.choose_creative(known, _rng))
    # In the space's order, not the stored one: PostgreSQL's jsonb does not keep key order,
    # and the same decision must make the same prompt (the generation cache relies on it).
    stored = decision["attributes"]
    chosen = {dim: str(stored[dim]) for dim in known.space.arms if dim in stored}
    if "writer" not in decision:  # the attribute values the writers get, kept for rewrites
        decision["writer"] = space.preferred(chosen, lambda values: str(_rng.choice(values)))
    if (decision.get("slot") or {}).get("explored"):
        decision["note"] = decisions.NOTE_EXPLORED
    decision["summary"] = decisions.summary(known, chosen)
    return Guidance(
        summary=decision["summary"],
        preferred=dict(sorted(decision["writer"].items())),
        examples=_examples(known),
        note=str(decision.get("note", "")),
        decision=decision,
    )


def posting_slots(
    *,
    business_id: int,
    channel: str,
    defaults: Sequence[dt.datetime],
    days: Sequence[dt.date],
) -> list[tuple[dt.datetime, dict[str, Any]]]:
    """This week's local posting times for the channel (as many as ``defaults``) with the
    decision behind each; the defaults as they are when learning is off."""
    if not enabled():
        return [(when, {}) for when in defaults]
    return decisions.choose_slots(_knowledge(business_id, channel), defaults, days, _rng)


@dataclass(frozen=True)
class Learned:
    """What the owner sees on the "배운 점" card for one channel."""

    channel: str
    evidence: int
    findings: tuple[str, ...]
    best: dict[str, str]  # dimension -> value (posterior mean), for the API
    best_labels: tuple[str, ...]
    uses_learned_times: bool


def learned_for(*, business_id: int, channels: Sequence[str]) -> list[Learned]:
    out = []
    for channel in channels:
        known = _knowledge(business_id, channel)
        best = decisions.best_values(known) if known.evidence else {}
        out.append(
            Learned(
                channel=channel,
                evidence=known.evidence,
                findings=tuple(decisions.findings(known)),
                best=best,
                best_labels=tuple(
                    decisions.label(dim, value)
                    for dim, value in best.items()
                    if known.count(dim, value) >= decisions.MIN_IN_SLOT
                ),
                uses_learned_times=known.evidence >= decisions.MIN_POSTS,
            )
        )
    return out
