"""Reads that other apps may use. Content asks "what should this piece try?"
(``guidance_for``), campaigns ask "when should this week's posts go out?"
(``posting_slots``), pages and the API ask "what has been learned?" (``learned_for``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

from analytics import decisions, space
from analytics.learning import Knowledge, knowledge_for
from analytics.models import Feedback
from content.providers.base import Guidance
from marketing.models import Business
from marketing.selectors import AnyUser

if TYPE_CHECKING:
    from analytics.models import WeeklyReport
    from content.models import ContentPiece

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


def _knowledge_for(business_id: int, channels: Sequence[str]) -> list[Knowledge]:
    if not channels:
        return []
    family = Business.objects.only("industry").get(pk=business_id).industry_family
    return knowledge_for(business_id=business_id, family=family, channels=channels)


def _knowledge(business_id: int, channel: str) -> Knowledge:
    return _knowledge_for(business_id, [channel])[0]


def _examples(known: Knowledge) -> tuple[str, ...]:
    # A post the shop gave a 👎 is no example to follow, however well it did.
    liked = (p for p in known.posts if p.text.strip() and not p.disliked)
    best = sorted(liked, key=lambda p: -p.score)
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
    """What was learned on each of ``channels``, in order: the same few queries however
    many channels are asked about, once their posts are cached (analytics.learning)."""
    out = []
    for channel, known in zip(channels, _knowledge_for(business_id, channels), strict=True):
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


def feedback_of(
    *, user: AnyUser, piece: ContentPiece | None = None, report: WeeklyReport | None = None
) -> Feedback | None:
    """The user's own 👍/👎 on the piece or the report (None: none yet, or signed out)."""
    if not user.is_authenticated or (piece is None) == (report is None):
        return None
    return Feedback.objects.filter(author_id=user.pk, piece=piece, report=report).first()
