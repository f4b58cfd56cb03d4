"""Vertical slideshow videos (Shorts, Reels): photos with slow motion, Korean captions,
crossfades, an intro and an outro card, and an AAC track, as an upload-ready MP4.

Speed: what was measured and what it decided (2-core development machine, 15 s at
1080×1920, 30 fps, five 1600×2400 photos, the encoder settings of ``encoder_args``;
``python -m bench video`` runs the comparisons side by side):

- x264 is the floor. It needs about 9–10 CPU-seconds for these 450 frames, roughly
  6 s of wall time on two cores whatever produces the frames; every CPU-second spent
  elsewhere is taken from it. The renderer's own per-frame work is about 2 CPU-s.
- Frames made in Python cost too much: a moviepy frame function that crops a
  pre-scaled canvas (no captions, no fades) took 16.3 s, because every frame crosses
  the pipe as RGB and is converted again; moviepy's ``resized(lambda t: …)`` with
  captions and fades took 71 s. So Pillow does the expensive pixel work once and
  ffmpeg does the cheap per-frame part, in one filter graph written here:
  * each photo is cover-cropped and scaled once (Lanczos, ~80 ms, two at a time) to
    a canvas 12 % larger than the frame, and written as raw PPM (6 ms to write; a
    PNG took 92 ms);
  * ffmpeg decodes each still once, converts it once to BT.709 yuv420p, and ``loop``
    repeats that frame by reference (``-loop 1 -i photo.png`` decodes the PNG again
    for every frame: 19 s for the whole video);
  * a pan is a ``crop`` whose offset moves: nothing is resampled;
  * a zoom ``scale``s the small canvas (not the photo), bilinear, ~4.5 ms a frame,
    then crops the centre;
  * captions are drawn once per slide with ``fit_text`` into an RGBA box, and
    ``overlay`` touches only that rectangle;
  * crossfades: a chain of ``xfade`` filters copies every later frame through every
    later fade (~1.1 ms per frame per fade, ~1.5 CPU-s here), so the timeline is cut
    into shots instead — each segment alone, and each 0.3 s overlap as a two-input
    ``xfade`` of 9 frames — joined by ``concat``, which copies nothing.
  The benchmark's ffmpeg-only reference graph for the same video took 8.5 s and this
  renderer 7.7 s (ratio 0.90); the naive moviepy version is 9× slower.
- moviepy composes the soundtrack when there is one (music looped or cut to length,
  ducked under the narration, faded out; its proglog bars drive the progress); the
  silent track is ffmpeg's ``anullsrc``.
- ffmpeg's peak memory is ~0.7 GB at 1080×1920 (x264 ~0.3 GB; the graph keeps a few
  frames queued on each pending shot).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import imageio_ffmpeg
import numpy as np
import proglog
from PIL import Image, ImageDraw, ImageOps

from content.creative.typography import draw_text, fit_text

Motion = Literal["zoom_in", "zoom_out", "pan_left", "pan_right"]
MOTIONS: tuple[str, ...] = ("zoom_in", "zoom_out", "pan_left", "pan_right")
Progress = Callable[[int], None]
Gain = Callable[[Callable, np.ndarray | float], np.ndarray]
Size = tuple[int, int]

SIZE: Size = (1080, 1920)
FPS = 30
MOTION_SCALE = 1.12  # the canvas is this much larger than the frame: zoom depth, pan travel
TRANSITION_S = 0.3
SAMPLE_RATE = 48_000
# Reels and Shorts draw their buttons over the right 12 % and the caption and profile
# row over the bottom 20 %: captions stay left of and above those strips.
SAFE_LEFT, SAFE_RIGHT, SAFE_BOTTOM = 0.06, 0.12, 0.20
CAPTION_BOX_ALPHA = 170  # white text on it keeps 7:1 even over a white photo (WCAG: 4.5)
COVER_QUALITY = 88
AUDIO_SHARE = 5  # percent of the progress bar spent composing the soundtrack


@dataclass(frozen=True)
class Slide:
    """One photo on screen, cover-cropped to the frame. ``zoom_in``/``zoom_out`` move
    12 % in or out of the centre; ``pan_left`` glides the picture to the left (the view
    travels right across it), ``pan_right`` the other way."""

    image: Image.Image
    caption: str = ""
    duration_s: float = 3.0
    motion: Motion = "zoom_in"


@dataclass(frozen=True)
class Card:
    """A still full-frame card (logo, call to action) shown without motion or caption."""

    image: Image.Image
    duration_s: float = 1.5


@dataclass(frozen=True)
class Soundtrack:
    """Background music and/or a narration (any format ffmpeg reads). The music is
    looped or cut to the video and ducked while the narration speaks; the narration
    starts with the first slide unless ``narration_start_s`` says otherwise."""

    background: Path | None = None
    narration: Path | None = None
    narration_start_s: float | None = None
    music_gain: float = 0.6
    ducked_gain: float = 0.15


@dataclass(frozen=True)
class RenderedVideo:
    path: Path
    cover_path: Path
    duration_s: float
    width: int
    height: int
    size_bytes: int


class RenderError(RuntimeError):
    """ffmpeg refused the job; the message carries its last lines."""


def encoder_args(fps: int = FPS) -> list[str]:
    """Output options every Gagecast video (and the benchmark's reference) uses."""
    return [
        *("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high"),
        *("-pix_fmt", "yuv420p", "-crf", "21", "-maxrate", "12M", "-bufsize", "24M"),
        # Closed GOPs of 2 s, IDR-only keyframes, B-frames as YouTube recommends.
        *("-g", str(2 * fps), "-keyint_min", str(2 * fps), "-sc_threshold", "0"),
        *("-flags", "+cgop", "-bf", "2", "-threads", "0"),
        *("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"),
        *("-color_range", "tv"),
        *("-c:a", "aac", "-b:a", "128k", "-ar", str(SAMPLE_RATE), "-ac", "2"),
        # moov first; B-frame delay as negative composition offsets instead of an edit
        # list, which Meta's upload specification forbids.
        *("-movflags", "+faststart+negative_cts_offsets", "-use_editlist", "0"),
    ]


# --- Timeline: shots in frames ---------------------------------------------------------


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


# --- Stills: canvases and caption overlays, made once ----------------------------------


@dataclass(frozen=True)
class Segment:
    still: Path
    canvas: Size
    motion: Motion | None  # None: a card, shown still
    frames: int  # visible frames, fade-in included: the motion's whole course
    caption: Path | None = None
    caption_at: tuple[int, int] = (0, 0)


def canvas_size(motion: Motion | None, size: Size) -> Size:
    width, height = size
    if motion is None:
        return size
    wide = 2 * round(width * MOTION_SCALE / 2)
    tall = 2 * round(height * MOTION_SCALE / 2) if motion.startswith("zoom") else height
    return wide, tall


def cover(image: Image.Image, size: Size) -> Image.Image:
    """``image`` scaled to fill ``size`` exactly, centred crop, EXIF rotation applied."""
    if image.getexif().get(0x0112, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    if image.size == size:
        return image
    target_w, target_h = size
    scale = max(target_w / image.width, target_h / image.height)
    crop_w, crop_h = target_w / scale, target_h / scale
    left, top = (image.width - crop_w) / 2, (image.height - crop_h) / 2
    box = (left, top, left + crop_w, top + crop_h)
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def caption_overlay(text: str, size: Size) -> tuple[Image.Image, tuple[int, int]] | None:
    """White caption on a rounded dark box, and where it goes: centred in the safe
    column, its bottom just above the platform's caption strip. None for no text."""
    if not text.strip():
        return None
    width, height = size
    pad_x, pad_y = round(width * 0.045), round(width * 0.035)
    safe_left, safe_right = round(width * SAFE_LEFT), round(width * (1 - SAFE_RIGHT))
    layout = fit_text(
        text,
        safe_right - safe_left - 2 * pad_x,
        round(height * 0.16),
        weight="extrabold",
        max_size=round(height * 0.044),
        min_size=round(height * 0.024),
        max_lines=3,
    )
    ink = Image.new("L", (layout.width + 2 * layout.size, layout.height + 2 * layout.size))
    draw_text(
        ImageDraw.Draw(ink),
        layout,
        (layout.size, layout.size),
        fill=255,
        align="center",
        box_w=layout.width,
    )
    if (inked := ink.getbbox()) is None:
        return None  # nothing drawable (only emoji the font lacks)
    ink = ink.crop(inked)
    box = Image.new("RGBA", (ink.width + 2 * pad_x, ink.height + 2 * pad_y))
    ImageDraw.Draw(box).rounded_rectangle(
        (0, 0, box.width - 1, box.height - 1),
        radius=round(width * 0.03),
        fill=(0, 0, 0, CAPTION_BOX_ALPHA),
    )
    box.paste((255, 255, 255, 255), (pad_x, pad_y), ink)
    x = safe_left + (safe_right - safe_left - box.width) // 2
    y = round(height * (1 - SAFE_BOTTOM - 0.02)) - box.height
    return box, (x, y)


def _still(
    image: Image.Image, motion: Motion | None, size: Size, path: Path, first: bool
) -> tuple[Size, Image.Image | None]:
    """Write the segment's canvas; only its size (and, for the cover's segment, its
    first frame) stays in memory."""
    canvas = cover(image, canvas_size(motion, size))
    canvas.save(path, format="PPM")  # raw: 6 ms to write, nothing to decode
    return canvas.size, first_frame(canvas, motion, size) if first else None


def first_frame(canvas: Image.Image, motion: Motion | None, size: Size) -> Image.Image:
    """What the first frame of a segment shows (for the cover image)."""
    width, height = size
    if motion is None:
        return canvas
    if motion == "zoom_in":
        return canvas.resize(size, Image.Resampling.LANCZOS)
    x = (canvas.width - width) // 2
    x = {"pan_left": 0, "pan_right": canvas.width - width}.get(motion, x)
    y = (canvas.height - height) // 2
    return canvas.crop((x, y, x + width, y + height))


# --- The ffmpeg filter graph -----------------------------------------------------------


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


# --- Sound ------------------------------------------------------------------------------


class _ProglogPercent(proglog.ProgressBarLogger):
    """moviepy's progress bars, as percent of ``share`` of the whole render."""

    def __init__(self, report: Callable[[float], None]) -> None:
        super().__init__()
        self.report = report

    def bars_callback(self, bar: str, attr: str, value: int, old_value: int | None = None) -> None:
        total = self.bars[bar].get("total") or 0
        if attr == "index" and total:
            self.report(min(1.0, value / total))


def _ducking(music_gain: float, ducked_gain: float, span: tuple[float, float] | None) -> Gain:
    """Music level over time: ``ducked_gain`` while the narration speaks, 0.3 s ramps."""
    start, end = span or (-1.0, -1.0)
    times = [start - 0.3, start, end, end + 0.3]
    levels = [music_gain, ducked_gain, ducked_gain, music_gain]

    def gain(get_frame: Callable, t: np.ndarray | float) -> np.ndarray:
        level = np.interp(t, times, levels)
        return get_frame(t) * (level[:, None] if np.ndim(t) else level)

    return gain


def compose_soundtrack(
    soundtrack: Soundtrack,
    duration_s: float,
    default_start_s: float,
    path: Path,
    report: Callable[[float], None] = lambda _: None,
) -> Path:
    """The mixed soundtrack as a 48 kHz WAV exactly ``duration_s`` long (moviepy)."""
    from moviepy import AudioFileClip, CompositeAudioClip, afx

    layers, narration_span = [], None
    with ExitStack() as sources:
        if soundtrack.narration:
            start = soundtrack.narration_start_s
            start = default_start_s if start is None else start
            voice = sources.enter_context(AudioFileClip(str(soundtrack.narration), fps=SAMPLE_RATE))
            voice = voice.subclipped(0, min(voice.duration, max(duration_s - start, 0.1)))
            layers.append(voice.with_start(start))
            narration_span = (start, start + voice.duration)
        if soundtrack.background:
            music = sources.enter_context(
                AudioFileClip(str(soundtrack.background), fps=SAMPLE_RATE)
            )
            if music.duration < duration_s:
                music = music.with_effects([afx.AudioLoop(duration=duration_s)])
            music = music.subclipped(0, duration_s).transform(
                _ducking(soundtrack.music_gain, soundtrack.ducked_gain, narration_span)
            )
            layers.append(music.with_effects([afx.AudioFadeOut(min(1.0, duration_s / 4))]))
        CompositeAudioClip(layers).with_duration(duration_s).write_audiofile(
            str(path), fps=SAMPLE_RATE, nbytes=2, codec="pcm_s16le", logger=_ProglogPercent(report)
        )
    return path


# --- Running ffmpeg ---------------------------------------------------------------------


def _run_ffmpeg(args: list[str], duration_s: float, report: Callable[[float], None]) -> None:
    """Run ffmpeg, feeding its ``-progress`` lines to ``report`` (0..1)."""
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        *("-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
        *("-progress", "pipe:1", "-nostats", "-stats_period", "0.2"),
        *args,
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        _follow(process.stdout, duration_s, report)
        if process.wait() != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip().splitlines()[-6:]
            raise RenderError(f"ffmpeg failed ({process.returncode}): " + " | ".join(tail))


def _follow(lines: IO[str] | None, duration_s: float, report: Callable[[float], None]) -> None:
    for line in lines or ():
        key, _, value = line.strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            report(max(0.0, min(1.0, int(value) / 1e6 / duration_s)))


class _Percent:
    """Turns fractions of each step into whole percents, reported once each, rising."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback, self.last = callback, -1

    def span(self, low: int, high: int) -> Callable[[float], None]:
        return lambda fraction: self.set(low + round((high - low) * fraction))

    def set(self, percent: int) -> None:
        if self.callback is not None and percent > self.last:
            self.last = percent
            self.callback(percent)


# --- The renderer -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    image: Image.Image
    motion: Motion | None
    duration_s: float
    caption: str = ""


def _parts(slides: Sequence[Slide], intro: Card | None, outro: Card | None) -> list[_Part]:
    opening = [_Part(intro.image, None, intro.duration_s)] if intro else []
    closing = [_Part(outro.image, None, outro.duration_s)] if outro else []
    middle = [_Part(slide.image, slide.motion, slide.duration_s, slide.caption) for slide in slides]
    return [*opening, *middle, *closing]


def _prepare(
    parts: Sequence[_Part], frames: Sequence[int], overlap: int, size: Size, workdir: Path
) -> tuple[list[Segment], Image.Image]:
    """The stills and caption overlays on disk, and the cover (first slide, captioned)."""
    stills = [workdir / f"still{k}.ppm" for k in range(len(parts))]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        # Pillow releases the GIL while it decodes, scales and writes: two photos at a time.
        # Each distinct image is decoded once first: a lazy load is not thread-safe.
        list(pool.map(Image.Image.load, {id(part.image): part.image for part in parts}.values()))
        first = next(k for k, part in enumerate(parts) if part.motion is not None)
        written = pool.map(
            _still,
            [p.image for p in parts],
            [p.motion for p in parts],
            [size] * len(parts),
            stills,
            [k == first for k in range(len(parts))],
        )
        # Captions meanwhile on this thread: FreeType faces are not thread-safe.
        captions = [caption_overlay(part.caption, size) for part in parts]
        canvas_sizes, first_frames = zip(*written, strict=True)
    segments = []
    for k, (part, caption) in enumerate(zip(parts, captions, strict=True)):
        caption_path, caption_at = None, (0, 0)
        if caption is not None:
            caption_path, caption_at = workdir / f"caption{k}.png", caption[1]
            caption[0].save(caption_path, compress_level=1)
        visible = frames[k] + (overlap if k else 0)
        segments.append(
            Segment(stills[k], canvas_sizes[k], part.motion, visible, caption_path, caption_at)
        )
    opening = first_frames[first]
    assert opening is not None  # _still kept it for this segment
    cover = _with_caption(opening, captions[first])
    return segments, cover


def _with_caption(
    frame: Image.Image, caption: tuple[Image.Image, tuple[int, int]] | None
) -> Image.Image:
    if caption is None:
        return frame
    frame = frame.convert("RGBA")
    frame.alpha_composite(*caption)
    return frame.convert("RGB")


def _audio_input(
    soundtrack: Soundtrack | None,
    duration_s: float,
    narration_from_s: float,
    workdir: Path,
    report: Callable[[float], None],
) -> list[str]:
    """ffmpeg input options for the sound: the composed soundtrack, or silence."""
    if soundtrack is None or not (soundtrack.background or soundtrack.narration):
        return ["-f", "lavfi", "-i", f"anullsrc=r={SAMPLE_RATE}:cl=stereo"]
    wav = compose_soundtrack(
        soundtrack, duration_s, narration_from_s, workdir / "sound.wav", report
    )
    return ["-i", str(wav)]


def render_video(
    slides: Sequence[Slide],
    *,
    output: Path | str,
    intro: Card | None = None,
    outro: Card | None = None,
    soundtrack: Soundtrack | None = None,
    size: Size = SIZE,
    fps: int = FPS,
    cover_path: Path | str | None = None,
    progress: Progress | None = None,
) -> RenderedVideo:
    """Render the slideshow to ``output`` (MP4) and its cover (JPEG, the first slide
    with its caption; beside the video unless ``cover_path``). The video file appears
    only when complete. ``progress`` gets rising whole percents from 0 to 100. Raises
    ValueError for bad input and RenderError when ffmpeg fails."""
    if not slides:
        raise ValueError("a video needs at least one slide")
    if bad := sorted({slide.motion for slide in slides} - set(MOTIONS)):
        raise ValueError(f"unknown motion {', '.join(bad)}; choose from {', '.join(MOTIONS)}")
    if size[0] % 2 or size[1] % 2:
        raise ValueError(f"yuv420p needs an even width and height, not {size[0]}×{size[1]}")
    parts = _parts(slides, intro, outro)
    frames = segment_frames([part.duration_s for part in parts], fps)
    if min(frames) < 1:
        raise ValueError(f"every slide and card needs at least one frame (1/{fps} s)")
    output = Path(output)
    cover_file = Path(cover_path) if cover_path else output.with_suffix(".jpg")
    percent = _Percent(progress)
    percent.set(0)
    overlap = overlap_frames(frames, fps, TRANSITION_S)
    duration_s = sum(frames) / fps
    with tempfile.TemporaryDirectory(prefix="gagecast-video-") as scratch:
        workdir = Path(scratch)
        segments, cover = _prepare(parts, frames, overlap, size, workdir)
        has_sound = soundtrack is not None and bool(soundtrack.background or soundtrack.narration)
        video_from = AUDIO_SHARE if has_sound else 0
        audio = _audio_input(
            soundtrack,
            duration_s,
            intro.duration_s if intro else 0.0,
            workdir,
            percent.span(0, video_from),
        )
        inputs = [str(s.still) for s in segments] + [str(s.caption) for s in segments if s.caption]
        partial = output.with_name(f".{output.stem}.part.mp4")
        args = [
            *(arg for path in inputs for arg in ("-framerate", str(fps), "-i", path)),
            *audio,
            *(
                "-filter_complex",
                filter_graph(segments, shots(frames, overlap), fps=fps, size=size),
            ),
            *("-map", "[v]", "-map", f"{len(inputs)}:a", *encoder_args(fps)),
            *("-frames:v", str(sum(frames)), "-t", f"{duration_s:.3f}", "-f", "mp4", str(partial)),
        ]
        try:
            _run_ffmpeg(args, duration_s, percent.span(video_from, 99))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    cover.save(cover_file, format="JPEG", quality=COVER_QUALITY, optimize=True, progressive=True)
    percent.set(100)
    return RenderedVideo(output, cover_file, duration_s, size[0], size[1], output.stat().st_size)
