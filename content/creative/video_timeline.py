"""The timeline of a slideshow: the frames each slide or card owns, how long the
crossfades are, and the output in order as shots (a stretch of one segment) and
crossfades (the end of one segment blended into the start of the next).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Motion = Literal["zoom_in", "zoom_out", "pan_left", "pan_right"]
MOTIONS: tuple[Motion, ...] = ("zoom_in", "zoom_out", "pan_left", "pan_right")
Size = tuple[int, int]


@dataclass(frozen=True)
class Shot:
    """``count`` frames of segment ``segment``, from frame ``start`` of its own clock."""

    segment: int
    start: int
    count: int


@dataclass(frozen=True)
class Crossfade:
    outgoing: Shot
    incoming: Shot


def segment_frames(durations: Sequence[float], fps: int) -> list[int]:
    """Frames each segment owns, rounded on the running total so none drift."""
    ends = [round(sum(durations[: k + 1]) * fps) for k in range(len(durations))]
    return [end - start for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def overlap_frames(frames: Sequence[int], fps: int, transition_s: float) -> int:
    """Crossfade length, shortened if a segment is too short to hold it."""
    wanted = round(transition_s * fps)
    return max(0, min([wanted, *(count - 1 for count in frames[:-1])]))


def shots(frames: Sequence[int], overlap: int) -> list[Shot | Crossfade]:
    """The output in order: each segment alone, then fading into the next. Segment k
    is visible for ``frames[k]`` frames plus ``overlap`` frames fading in (k > 0)."""
    plan: list[Shot | Crossfade] = []
    last = len(frames) - 1
    for k, count in enumerate(frames):
        lead = overlap if k else 0
        tail = overlap if k < last else 0
        if count - tail > 0:
            plan.append(Shot(k, lead, count - tail))
        if k < last and overlap:
            plan.append(
                Crossfade(Shot(k, lead + count - overlap, overlap), Shot(k + 1, 0, overlap))
            )
    return plan
