"""What the learner may choose for a post on each channel, and how a measured post is
described in the same words (docs/analytics.md, "The model").

Creative dimensions are the attributes the writers record (``ContentPiece`` columns);
time is the weekday and the posting hour, with the hour also grouped into bands so
neighbouring hours share what is learned. A dimension with one possible value on a
channel (YouTube's only format) is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from content import specs
from content.channels import POSTING_HOURS

# The posting hours the learner chooses between, one per band of the day (a shop posts
# between 7 and 23 h), plus the channel's own default hours (``hours_for``), so a post made
# at a default hour is learned as what it is; a post made at another hour counts for the
# nearest one. Fewer, wider choices are learned from fewer posts; neighbouring choices
# also share a band.
HOURS = (8, 10, 12, 15, 18, 20, 22)
BANDS = {
    8: "morning",
    10: "morning",
    12: "midday",
    15: "afternoon",
    18: "evening",
    19: "evening",
    20: "evening",
    21: "night",
    22: "night",
}
WEEKDAYS = ("0", "1", "2", "3", "4", "5", "6")  # Monday first
# Hashtag counts the learner chooses between (what the writer is asked for); a measured
# post falls under the largest arm not above its count.
HASHTAG_ARMS: dict[str, tuple[int, ...]] = {
    "instagram": (0, 3, 10, 20),
    "threads": (0, 1),
    "youtube_shorts": (1, 8, 16),  # #Shorts is always one of them
    "naver_blog": (3, 6, 10),
}
# The first line either asks a question or it does not; which statement hook (number,
# story, benefit…) is the writer's choice. Emoji: none, a few, or one opening the post.
OPENINGS = ("question", "statement")
EMOJI = ("none", "low", "high")
CREATIVE = ("format", "opening", "length_bucket", "emoji_density", "hashtag_count")
TIME = ("weekday", "hour")


@dataclass(frozen=True)
class Space:
    channel: str
    arms: dict[str, tuple[str, ...]]  # dimension -> values it may take

    @property
    def hours(self) -> tuple[int, ...]:
        return tuple(int(h) for h in self.arms.get("hour", ()))

    @property
    def creative(self) -> tuple[str, ...]:
        return tuple(d for d in CREATIVE if d in self.arms)

    def features(self) -> list[str]:
        """Names of the model's coefficients: one per dimension value, plus the hour bands."""
        names = ["intercept"]
        for dim, values in self.arms.items():
            names += [f"{dim}={v}" for v in values]
        names += [f"band={b}" for b in dict.fromkeys(BANDS.values())]
        return names


def space_for(channel: str) -> Space:
    spec = specs.spec_for(channel)
    arms: dict[str, tuple[str, ...]] = {
        "format": tuple(spec.formats),
        "opening": OPENINGS,
        "length_bucket": specs.LENGTH_BUCKETS,
        "emoji_density": EMOJI,
        "hashtag_count": tuple(str(n) for n in HASHTAG_ARMS[channel]),
        "weekday": WEEKDAYS,
        "hour": tuple(str(h) for h in hours_for(channel)),
    }
    return Space(channel, {dim: values for dim, values in arms.items() if len(values) > 1})


def hashtag_arm(channel: str, count: int) -> str:
    arms = HASHTAG_ARMS[channel]
    return str(max((a for a in arms if a <= count), default=arms[0]))


def hours_for(channel: str) -> tuple[int, ...]:
    """The hours the learner chooses between on the channel: the grid and its defaults."""
    return tuple(sorted(set(HOURS) | set(default_hours(channel))))


def nearest_hour(hour: int, hours: Sequence[int] = HOURS) -> int:
    return min(hours, key=lambda h: abs(h - hour))


def band(hour: int) -> str:
    """The band of the day an hour belongs to (its nearest named hour's)."""
    return BANDS[nearest_hour(hour, tuple(BANDS))]


def describe(
    space: Space, attributes: dict[str, object], local_time: dt.datetime
) -> dict[str, str]:
    """A post's value on each dimension of the space (attributes as the piece recorded
    them, time in the business's zone)."""
    values = {
        "format": str(attributes.get("format") or ""),
        "opening": "question" if attributes.get("hook_style") == "question" else "statement",
        "length_bucket": str(attributes.get("length_bucket") or ""),
        "emoji_density": "high"
        if attributes.get("emoji_density") == "medium"
        else str(attributes.get("emoji_density") or ""),
        "hashtag_count": hashtag_arm(space.channel, int(attributes.get("hashtag_count") or 0)),  # type: ignore[call-overload]
        "weekday": str(local_time.weekday()),
        "hour": str(nearest_hour(local_time.hour, space.hours or HOURS)),
    }
    return {dim: values[dim] for dim in space.arms}


def default_hours(channel: str) -> tuple[int, ...]:
    return POSTING_HOURS[channel]


STATEMENT_HOOKS = tuple(h for h in specs.HOOK_STYLES if h != "question")


def preferred(chosen: dict[str, str], pick: Callable[[Sequence[str]], str]) -> dict[str, str]:
    """The writers' attribute values for a decision: a statement opening becomes one of
    the statement hooks (``pick`` chooses which)."""
    out = {dim: value for dim, value in chosen.items() if dim in CREATIVE and dim != "opening"}
    if "opening" in chosen:
        out["hook_style"] = "question" if chosen["opening"] == "question" else pick(STATEMENT_HOOKS)
    return out
