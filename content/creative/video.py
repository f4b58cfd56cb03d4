"""Vertical slideshow videos (Shorts, Reels): photos with slow motion, Korean captions,
crossfades, an intro and an outro card, and an AAC track, as an upload-ready MP4.

Python makes every frame and streams it, raw yuv420p, to one ffmpeg process that only
encodes (``-f rawvideo -i pipe:0`` plus the sound; no filter graph). What was measured
and decided (2-core development machine, 15 s at 1080×1920, 30 fps, five 1600×2400
photos; ``python -m bench video`` runs the comparisons side by side):

- Memory was the reason. The earlier design (stills on disk, one ffmpeg filter graph
  doing the motion, captions and crossfades) peaked at ~0.58 GB in ffmpeg alone: every
  still input and every ``scale``/``overlay``/``xfade`` chain keeps a buffer pool until
  the graph ends. Now ffmpeg holds ~215 MB, nearly all of it x264: ``encoder_args``
  asks for a lookahead of 2 frames and two sliced threads (encoding from a pipe:
  ~325 MB with the preset's defaults, ~250 MB with the short lookahead on three frame
  threads, ~215 MB sliced, at the same speed). Neither ``-thread_queue_size 1`` (under
  10 MB) nor a 1 MB pipe buffer was worth an option. The render process peaks at
  ~175 MB, ~78 MB of it the interpreter with numpy, Pillow and OpenCV: one photo is
  decoded at a time and dropped once its canvas is made, and only the playing slide and
  the next are held, as planes. The benchmark reads each process's own VmHWM: a fresh
  process's ``ru_maxrss`` starts at its parent's peak, which inflated the old figure.
- Per slide, once: the photo decoded (~60 ms for a 1600×2400 PNG), cover-cropped and
  scaled (Lanczos, ~50 ms) to a canvas 12 % larger than the frame, converted to BT.709
  limited-range Y, U, V planes by Pillow's matrix ``convert`` (17 ms), the caption box
  drawn with ``fit_text`` and converted to planes and an alpha mask. This runs on a
  helper thread while the previous slide streams (Pillow releases the GIL), so ffmpeg
  does not wait for it.
- Per frame (``video_frames``): a pan crops the planes (0.1 ms); a zoom warps the canvas
  window it shows to the frame, bilinear at sub-pixel offsets, with OpenCV (~1.2 ms for
  the three planes; Pillow's BOX resize took ~8 ms and made the zooms the renderer's
  largest cost); the caption is pasted through its mask (0.1 ms); a crossfade blends
  two frames (~2 ms); a card is one frame converted once. The frames go through the
  pipe from this thread; ffmpeg encodes in parallel and the pipe's backpressure keeps
  the frames in flight few.
- Speed is CPU: on two cores x264 takes most of it, and the benchmark's ffmpeg-only
  reference graph (same encoder settings) a little more than this renderer: the median
  of five side-by-side rounds read 0.92 (6.1 s against 6.7 s). The filter-graph
  renderer was faster still (0.82 in one run) but could not fit the memory. Naive
  moviepy (per-frame ``resized(lambda t: …)``) is about 7× slower.
- moviepy composes the soundtrack when there is one (music looped or cut to length,
  ducked under the narration, faded out; its proglog bars drive the progress); the
  silent track is ffmpeg's ``anullsrc``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageDraw, ImageFile

from content.creative.typography import draw_text, fit_text
from content.creative.video_audio import SAMPLE_RATE, Soundtrack, compose_soundtrack
from content.creative.video_frames import (
    Caption,
    Scene,
    canvas_size,
    cover,
    crossfade,
    first_frame,
    frame_bytes,
)
from content.creative.video_timeline import (
    MOTIONS,
    Crossfade,
    Motion,
    Shot,
    Size,
    overlap_frames,
    segment_frames,
    shots,
)

Progress = Callable[[int], None]

SIZE: Size = (1080, 1920)
FPS = 30
TRANSITION_S = 0.3
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
        *("-flags", "+cgop", "-bf", "2"),
        # Memory: x264 holds every frame in flight at 1080×1920. A lookahead of 2 frames
        # and sliced threads (two threads share each frame instead of encoding two
        # frames at once) bring ffmpeg's peak, encoding from a pipe, from ~325 MB (the
        # defaults) to ~215 MB at the speed three frame threads had on two cores
        # (2.4 s for 200 frames either way); slices cost a little compression per CRF.
        *("-threads", "2", "-x264-params", "rc-lookahead=2:sync-lookahead=0:sliced-threads=1"),
        *("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"),
        *("-color_range", "tv"),
        *("-c:a", "aac", "-b:a", "128k", "-ar", str(SAMPLE_RATE), "-ac", "2"),
        # moov first; B-frame delay as negative composition offsets instead of an edit
        # list, which Meta's upload specification forbids.
        *("-movflags", "+faststart+negative_cts_offsets", "-use_editlist", "0"),
    ]


# --- Captions -----------------------------------------------------------------------------


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


def _with_caption(
    frame: Image.Image, caption: tuple[Image.Image, tuple[int, int]] | None
) -> Image.Image:
    if caption is None:
        return frame
    frame = frame.convert("RGBA")
    frame.alpha_composite(*caption)
    return frame.convert("RGB")


# --- The frames, one segment at a time ------------------------------------------------------


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


@contextlib.contextmanager
def _decoded(image: Image.Image) -> Iterator[Image.Image]:
    """A photo still undecoded (``Image.open``) is decoded here from its file, privately,
    and dropped with its canvas: the caller's image stays small, and only one photo is
    ever decoded at a time."""
    if isinstance(image, ImageFile.ImageFile) and image.tile and image.filename:
        with Image.open(image.filename) as private:
            yield private
    else:
        yield image


class _Scenes:
    """The segments' scenes, each made once on a helper thread while the previous one
    plays (Pillow releases the GIL as it decodes and scales), so ffmpeg never waits for
    a photo; only the current segment and the next are held."""

    def __init__(
        self, parts: Sequence[_Part], frames: Sequence[int], overlap: int, size: Size
    ) -> None:
        self.parts, self.frames, self.overlap, self.size = parts, frames, overlap, size
        self.first = next(k for k, part in enumerate(parts) if part.motion is not None)
        self.kept: dict[int, Future[Scene]] = {}
        self.cover: bytes | None = None  # the JPEG
        self.maker = ThreadPoolExecutor(max_workers=1)  # one photo decoded at a time

    def __enter__(self) -> _Scenes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.maker.shutdown(cancel_futures=True)

    def __getitem__(self, k: int) -> Scene:
        for old in [j for j in self.kept if j < k]:
            del self.kept[old]
        for j in (k, k + 1):
            if j < len(self.parts) and j not in self.kept:
                self.kept[j] = self.maker.submit(self._make, j)
        return self.kept[k].result()

    def _make(self, k: int) -> Scene:
        """Only this thread draws captions: FreeType faces are not thread-safe."""
        part, size = self.parts[k], self.size
        with _decoded(part.image) as image:
            canvas = cover(image, canvas_size(part.motion, size))
        caption = caption_overlay(part.caption, size)
        if k == self.first:
            jpeg = BytesIO()
            _with_caption(first_frame(canvas, part.motion, size), caption).save(
                jpeg, format="JPEG", quality=COVER_QUALITY, optimize=True, progressive=True
            )
            self.cover = jpeg.getvalue()
        course = self.frames[k] + (self.overlap if k else 0)
        return Scene(
            canvas, part.motion, course, size, Caption.from_rgba(*caption) if caption else None
        )

    def stream(self, plan: Sequence[Shot | Crossfade]) -> Iterator[list[bytes]]:
        """Every frame of the video in order, as raw yuv420p planes."""
        for item in plan:
            if isinstance(item, Shot):
                scene = self[item.segment]
                for n in range(item.start, item.start + item.count):
                    yield scene.frame_bytes(n)
                continue
            outgoing, incoming = self[item.outgoing.segment], self[item.incoming.segment]
            for n in range(item.incoming.count):
                yield frame_bytes(
                    crossfade(
                        outgoing.frame(item.outgoing.start + n),
                        incoming.frame(item.incoming.start + n),
                        n / item.incoming.count,
                    )
                )


# --- Encoding ---------------------------------------------------------------------------------


def _encode(
    args: list[str], frames: Iterator[list[bytes]], total: int, report: Callable[[float], None]
) -> None:
    """Run ffmpeg on ``args`` (its first input is the raw video on stdin), feeding it
    ``frames`` from this thread while it encodes; the pipe's backpressure keeps the
    frames in flight few. A failure on either side stops both."""
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        *("-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
        *args,
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
        )
        assert process.stdin is not None
        complete = False
        try:
            for written, planes in enumerate(frames, start=1):
                for plane in planes:
                    process.stdin.write(plane)
                report(written / total)
            process.stdin.close()
            complete = True
        except BrokenPipeError:
            pass  # ffmpeg stopped reading: its status and its last lines say why
        finally:
            if not complete:
                process.kill()
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
            process.wait()
        if process.returncode != 0 or not complete:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip().splitlines()[-6:]
            raise RenderError(f"ffmpeg failed ({process.returncode}): " + " | ".join(tail))


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
        has_sound = soundtrack is not None and bool(soundtrack.background or soundtrack.narration)
        video_from = AUDIO_SHARE if has_sound else 0
        audio = _audio_input(
            soundtrack,
            duration_s,
            intro.duration_s if intro else 0.0,
            Path(scratch),
            percent.span(0, video_from),
        )
        width, height = size
        partial = output.with_name(f".{output.stem}.part.mp4")
        args = [
            *("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}"),
            *("-framerate", str(fps), "-i", "pipe:0", *audio),
            *("-map", "0:v", "-map", "1:a", *encoder_args(fps)),
            *("-frames:v", str(sum(frames)), "-t", f"{duration_s:.3f}", "-f", "mp4", str(partial)),
        ]
        try:
            with _Scenes(parts, frames, overlap, size) as scenes:
                frames_out = scenes.stream(shots(frames, overlap))
                _encode(args, frames_out, sum(frames), percent.span(video_from, 99))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    assert scenes.cover is not None  # made with the first slide's scene
    cover_file.write_bytes(scenes.cover)
    percent.set(100)
    return RenderedVideo(output, cover_file, duration_s, size[0], size[1], output.stat().st_size)
