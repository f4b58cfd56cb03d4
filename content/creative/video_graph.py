"""The picture as one ffmpeg filter graph: the timeline cut into shots (each segment
alone, then each crossfade as a two-input ``xfade``, joined by ``concat``, which copies
nothing), and the per-frame motion as expressions (a pan ``crop``s a moving window, a
zoom ``scale``s the small canvas, then crops the centre).

Memory: every filter that makes frames (``scale``, ``overlay``, ``xfade``) keeps a
buffer pool until the graph ends, so the graph has one chain per segment — its still
looped by reference, moved, captioned, then ``split`` into one ``trim``med branch per
shot — not one per shot; ``concat`` pulls the segments one after another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Motion = Literal["zoom_in", "zoom_out", "pan_left", "pan_right"]
MOTIONS: tuple[str, ...] = ("zoom_in", "zoom_out", "pan_left", "pan_right")
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


@dataclass(frozen=True)
class Segment:
    still: Path
    canvas: Size
    motion: Motion | None  # None: a card, shown still
    frames: int  # visible frames, fade-in included: the motion's whole course
    caption: Path | None = None
    caption_at: tuple[int, int] = (0, 0)


def _motion_filter(segment: Segment, size: Size) -> str:
    """Crop (pan) or scale + crop (zoom) at frame ``n`` of the segment's course."""
    width, height = size
    progress = f"n/{max(segment.frames - 1, 1)}"
    if segment.motion is None:
        return ""
    if segment.motion in ("zoom_out", "pan_right"):
        progress = f"(1-{progress})"
    extra_w, extra_h = segment.canvas[0] - width, segment.canvas[1] - height
    if segment.motion.startswith("pan"):
        return f",crop={width}:{height}:x='{extra_w}*{progress}':y=0:exact=1"
    scaled_w = f"2*round(({width}+{extra_w}*{progress})/2)"
    scaled_h = f"2*round(({height}+{extra_h}*{progress})/2)"
    return (
        f",scale=w='{scaled_w}':h='{scaled_h}':eval=frame:flags=bilinear"
        f",crop={width}:{height}:x='({scaled_w}-{width})/2':y='({scaled_h}-{height})/2':exact=1"
    )


def _uses(segments: Sequence[Segment], plan: Sequence[Shot | Crossfade]) -> list[int]:
    """How many shots show each segment."""
    uses = [0] * len(segments)
    for item in plan:
        for shot in (item.outgoing, item.incoming) if isinstance(item, Crossfade) else (item,):
            uses[shot.segment] += 1
    return uses


def _segment_chains(
    segments: Sequence[Segment], uses: Sequence[int], *, fps: int, size: Size
) -> list[str]:
    """Each segment's whole course as one chain: its still converted once to BT.709
    yuv420p, looped by reference, moved and captioned, then split into one branch per
    shot (``[s{k}_{i}]``). One chain per segment, not per shot: every filter that makes
    frames keeps its own buffer pool until the graph ends."""
    to_yuv = "scale=out_color_matrix=bt709:out_range=tv"
    chains, caption_input = [], len(segments)
    for k, segment in enumerate(segments):
        chain = (
            f"[{k}:v]{to_yuv},format=yuv420p,loop=loop={segment.frames - 1}:size=1:start=0,"
            f"settb=1/{fps},setpts=N{_motion_filter(segment, size)}"
        )
        if segment.caption is not None:
            chains.append(f"[{caption_input}:v]{to_yuv},format=yuva420p[c{k}]")
            x, y = segment.caption_at
            chain += f"[m{k}];[m{k}][c{k}]overlay=x={x}:y={y}"
            caption_input += 1
        outs = "".join(f"[s{k}_{i}]" for i in range(uses[k]))
        chains.append(f"{chain},setsar=1,split={uses[k]}{outs}")
    return chains


def filter_graph(
    segments: Sequence[Segment], plan: Sequence[Shot | Crossfade], *, fps: int, size: Size
) -> str:
    """The whole picture as one ``-filter_complex``: inputs are the stills, then the
    captions in segment order; the output pad is ``[v]``. Frames stream: each shot
    trims its segment's branch, and the segments are pulled one after another."""
    uses = _uses(segments, plan)
    chains, outs, taken = _segment_chains(segments, uses, fps=fps, size=size), [], [0] * len(uses)

    def trimmed(shot: Shot, out: str) -> str:
        branch, taken[shot.segment] = taken[shot.segment], taken[shot.segment] + 1
        end = shot.start + shot.count
        return f"[s{shot.segment}_{branch}]trim=start_frame={shot.start}:end_frame={end},setpts=N[{out}]"

    for index, item in enumerate(plan):
        out = f"p{index}"
        if isinstance(item, Shot):
            chains.append(trimmed(item, out))
        else:
            chains.append(trimmed(item.outgoing, f"{out}a"))
            chains.append(trimmed(item.incoming, f"{out}b"))
            duration = item.incoming.count / fps
            chains.append(
                f"[{out}a][{out}b]xfade=transition=fade:duration={duration}:offset=0[{out}]"
            )
        outs.append(f"[{out}]")
    chains.append(f"{''.join(outs)}concat=n={len(outs)}:v=1:a=0[v]")
    return ";".join(chains)
