"""A 15 s 1080×1920 slideshow short, rendered three ways side by side in one run on the
same five photos (1600×2400 PNG files) with the same timeline — intro card 1.5 s, five
slides of 2.4 s (zoom in, pan left, zoom out, pan right, zoom in) with Korean captions,
0.3 s crossfades, outro card 1.5 s — the same encoder settings and a silent AAC track:

(a) the product's renderer, ``content.creative.video.render_video``;
(b) the ffmpeg-only reference a competent ffmpeg user would write for the same video:
    each photo decoded once and converted once to yuv420p, then looped (the literal
    ``-loop 1 -t 3 -i slide.png`` re-decodes the PNG every frame and took 19 s, which
    would flatter (a)); zooms ``scale`` the cropped photo every frame, pans ``crop`` a
    once-scaled photo; captions with ``drawtext`` in the same font; ``xfade`` between
    segments;
(c) naive moviepy: ``ImageClip.resized(lambda t: …)`` for the zooms, a moving position
    for the pans, ``TextClip`` captions, ``CrossFadeIn``, one ``CompositeVideoClip``.

Every timing runs from the PNG files on disk to the MP4 on disk. (a) and (b) alternate
three times and the best run of each counts (other work on a shared machine only ever
adds time); (c) runs once (70–95 s). Peak RSS is the product's render process plus its
ffmpeg child, measured in a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import imageio_ffmpeg
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.report import Figure
from content.creative.fonts import font, font_path
from content.creative.video import (
    TRANSITION_S,
    Card,
    Slide,
    encoder_args,
    render_video,
)
from content.creative.video_audio import SAMPLE_RATE
from content.creative.video_frames import MOTION_SCALE
from content.creative.video_timeline import Motion, segment_frames

WIDTH, HEIGHT, FPS = 1080, 1920, 30
PHOTO_SIZE = (1600, 2400)
CARD_S, SLIDE_S = 1.5, 2.4
MOTIONS: tuple[Motion, ...] = ("zoom_in", "pan_left", "zoom_out", "pan_right", "zoom_in")
CAPTIONS = (
    "갓 구운 크루아상, 매일 아침 7시",
    "버터 향 가득한 동네 빵집",
    "단골이 먼저 찾는 소금빵",
    "오늘만 아메리카노 30% 할인",
    "지금 바로 들러 주세요",
)
CAPTION_SIZE = 72  # the reference's drawtext size; the product fits its own
IMAGE_RUNS = 15
ROUNDS = 5  # (a) and (b) alternate; the median of the rounds' ratios counts
Inputs = tuple[list[Path], Path, Path]  # photos, intro card, outro card

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from moviepy import VideoClip


# --- Inputs -----------------------------------------------------------------------------


def photo(seed: int, size: tuple[int, int] = PHOTO_SIZE) -> Image.Image:
    """A photo-like image: a two-colour gradient, soft shapes, a little sensor noise."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    blend = (x / width * 0.4 + y / height * 0.6)[..., None]
    first, second = rng.integers(40, 220, 3), rng.integers(40, 220, 3)
    pixels = first * (1 - blend) + second * blend + rng.normal(0, 5, (height, width, 1))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        cx, cy, r = (
            int(rng.integers(0, width)),
            int(rng.integers(0, height)),
            int(rng.integers(80, 420)),
        )
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
        else:
            draw.rectangle((cx - r, cy - r // 2, cx + r, cy + r // 2), fill=colour)
    return image.filter(ImageFilter.GaussianBlur(3))


def card(text: str, colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((240, 700, 840, 1100), radius=60, fill=(250, 246, 238))
    draw.text((540, 1300), text, fill="white", anchor="mm", font=font(80, "bold"))
    return image


def _inputs(folder: Path) -> Inputs:
    photos = []
    for seed in range(len(MOTIONS)):
        photos.append(folder / f"photo{seed}.png")
        photo(seed).save(photos[-1], compress_level=1)
    intro, outro = folder / "intro.png", folder / "outro.png"
    card("앨리스 베이커리", (47, 72, 88)).save(intro)
    card("지금 방문하세요", (120, 60, 40)).save(outro)
    return photos, intro, outro


def _durations() -> list[float]:
    return [CARD_S, *([SLIDE_S] * len(MOTIONS)), CARD_S]


# --- (a) the product --------------------------------------------------------------------


def product(photos: list[Path], intro: Path, outro: Path, output: Path) -> None:
    slides = [
        Slide(Image.open(path), caption, SLIDE_S, motion)
        for path, caption, motion in zip(photos, CAPTIONS, MOTIONS, strict=True)
    ]
    render_video(
        slides,
        output=output,
        intro=Card(Image.open(intro), CARD_S),
        outro=Card(Image.open(outro), CARD_S),
    )


def _peak_kb(pid: int | str = "self") -> int:
    """A process's own peak RSS in kB (the kernel's VmHWM), 0 once it is gone.

    Not ``ru_maxrss``: Linux carries it across ``exec``, so a fresh interpreter's
    RUSAGE_SELF starts at the peak of the benchmark process it was spawned from
    (measured: 378 MB before rendering anything), and RUSAGE_CHILDREN's ffmpeg at the
    size of the render process when it started ffmpeg."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class ChildPeaks(threading.Thread):
    """Samples the peak RSS of this process's child processes (ffmpeg) every 10 ms while
    they run; VmHWM only grows, so the last sample is the peak to within 10 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            for children in Path("/proc/self/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    for pid in children.read_text().split():
                        self.peaks[pid] = max(self.peaks.get(pid, 0), _peak_kb(pid))


def _measured_product(
    inputs: Inputs, output: Path, queue: Queue[tuple[float, float, float]]
) -> None:
    children = ChildPeaks()
    children.start()
    started = time.perf_counter()
    product(*inputs, output)
    seconds = time.perf_counter() - started
    children.done.set()
    children.join()
    # The renderer runs one ffmpeg at a time: its peak adds to the render process's own.
    # Without /proc (or a child too quick to sample) fall back to getrusage, which can only
    # overstate: a missing reading must never look like a met target.
    ffmpeg = max(children.peaks.values(), default=0) or _rusage_kb(resource.RUSAGE_CHILDREN)
    queue.put((seconds, (_peak_kb() or _rusage_kb(resource.RUSAGE_SELF)) / 1024, ffmpeg / 1024))


def _rusage_kb(who: int) -> int:
    return resource.getrusage(who).ru_maxrss  # kB on Linux


def product_in_fresh_process(inputs: Inputs, output: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB of the render process, of its ffmpeg). A fresh
    interpreter, so the figure is the render's own, not the benchmark's."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measured_product, args=(inputs, output, queue))
    process.start()
    seconds, own_mb, ffmpeg_mb = queue.get(timeout=600)
    process.join()
    return seconds, own_mb, ffmpeg_mb


# --- (b) the ffmpeg-only reference --------------------------------------------------------


def _cover_crop(width: int, height: int) -> str:
    """Crop the photo to the frame's aspect ratio (static, so ffmpeg does it once)."""
    photo_w, photo_h = PHOTO_SIZE
    crop_w = min(photo_w, round(photo_h * width / height))
    crop_h = min(photo_h, round(photo_w * height / width))
    return f"crop={crop_w}:{crop_h}"


def _reference_motion(motion: str, frames: int) -> str:
    progress = f"(n/{frames - 1})"
    if motion in ("zoom_out", "pan_right"):
        progress = f"(1-{progress})"
    if motion.startswith("pan"):
        wide = 2 * round(WIDTH * MOTION_SCALE / 2)
        return (
            f"{_cover_crop(wide, HEIGHT)},scale={wide}:{HEIGHT},loop=loop={frames - 1}:size=1,"
            f"crop={WIDTH}:{HEIGHT}:x='{wide - WIDTH}*{progress}':y=0"
        )
    zoom = f"(1+{MOTION_SCALE - 1:.2f}*{progress})"
    return (
        f"{_cover_crop(WIDTH, HEIGHT)},loop=loop={frames - 1}:size=1,"
        f"scale=w='2*round({WIDTH}*{zoom}/2)':h='2*round({HEIGHT}*{zoom}/2)':eval=frame,"
        f"crop={WIDTH}:{HEIGHT}:x='(2*round({WIDTH}*{zoom}/2)-{WIDTH})/2'"
        f":y='(2*round({HEIGHT}*{zoom}/2)-{HEIGHT})/2'"
    )


def _drawtext(caption_file: Path) -> str:
    return (
        f"drawtext=fontfile='{font_path('extrabold')}':textfile='{caption_file}'"
        f":expansion=none:fontsize={CAPTION_SIZE}:fontcolor=white:box=1:boxcolor=black@0.67:boxborderw=36"
        f":x=(w*0.82-text_w)/2+w*0.06:y=h*0.76-text_h"
    )


def reference_command(
    photos: list[Path], intro: Path, outro: Path, output: Path, folder: Path
) -> list[str]:
    frames = segment_frames(_durations(), FPS)
    overlap = round(TRANSITION_S * FPS)
    files = [intro, *photos, outro]
    chains = []
    for k in range(len(files)):
        visible = frames[k] + (overlap if k else 0)
        start = f"[{k}:v]scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
        if 0 < k < len(files) - 1:
            caption = folder / f"caption{k}.txt"
            caption.write_text(CAPTIONS[k - 1], encoding="utf-8")
            body = f"{_reference_motion(MOTIONS[k - 1], visible)},{_drawtext(caption)}"
        else:
            body = f"loop=loop={visible - 1}:size=1"
        chains.append(f"{start}{body},settb=1/{FPS},setpts=N,setsar=1[s{k}]")
    previous, elapsed = "s0", 0
    for k in range(1, len(files)):
        elapsed += frames[k - 1]
        offset = (elapsed - overlap) / FPS
        chains.append(
            f"[{previous}][s{k}]xfade=transition=fade:duration={overlap / FPS}"
            f":offset={offset}[x{k}]"
        )
        previous = f"x{k}"
    total = sum(frames)
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        *(arg for path in files for arg in ("-framerate", str(FPS), "-i", str(path))),
        "-f",
        "lavfi",
        "-i",
        f"anullsrc=r={SAMPLE_RATE}:cl=stereo",
        "-filter_complex",
        ";".join(chains),
        "-map",
        f"[{previous}]",
        "-map",
        f"{len(files)}:a",
        *encoder_args(FPS),
        "-frames:v",
        str(total),
        "-t",
        f"{total / FPS:.3f}",
        str(output),
    ]


def reference(photos: list[Path], intro: Path, outro: Path, output: Path) -> None:
    subprocess.run(reference_command(photos, intro, outro, output, output.parent), check=True)


# --- (c) naive moviepy --------------------------------------------------------------------


def _naive_layers(path: Path, caption: str, motion: str, duration: float) -> list[VideoClip]:
    """A slide as moviepy layers: the moving photo and its caption."""
    from moviepy import ImageClip, TextClip

    picture = ImageClip(str(path)).with_duration(duration)
    cover = max(WIDTH / picture.w, HEIGHT / picture.h)
    share = (
        (lambda t: t / duration)
        if motion in ("zoom_in", "pan_left")
        else (lambda t: 1 - t / duration)
    )
    if motion.startswith("zoom"):
        moving = picture.resized(lambda t: cover * (1 + (MOTION_SCALE - 1) * share(t)))
        moving = moving.with_position("center")
    else:
        moving = picture.resized(cover * MOTION_SCALE)
        travel = moving.w - WIDTH
        moving = moving.with_position(lambda t: (-travel * share(t), "center"))
    text = TextClip(
        font=str(font_path("extrabold")),
        text=caption,
        font_size=CAPTION_SIZE,
        color="white",
        bg_color=(0, 0, 0),
        margin=(36, 36),
    )
    text = text.with_duration(duration).with_position(("center", round(HEIGHT * 0.66)))
    return [moving, text]


def naive(photos: list[Path], intro: Path, outro: Path, output: Path) -> None:
    from moviepy import AudioClip, CompositeVideoClip, ImageClip, vfx

    segments = [[ImageClip(str(intro)).with_duration(CARD_S + TRANSITION_S)]]
    segments += [
        _naive_layers(path, caption, motion, SLIDE_S + TRANSITION_S)
        for path, caption, motion in zip(photos, CAPTIONS, MOTIONS, strict=True)
    ]
    segments.append([ImageClip(str(outro)).with_duration(CARD_S + TRANSITION_S)])
    layers, start = [], 0.0
    for index, (segment, duration) in enumerate(zip(segments, _durations(), strict=True)):
        for layer in segment:
            layer = layer.with_effects([vfx.CrossFadeIn(TRANSITION_S)]) if index else layer
            layers.append(layer.with_start(max(0.0, start - TRANSITION_S)))
        start += duration
    silence = AudioClip(
        lambda t: np.zeros((np.size(t), 2)) if np.ndim(t) else np.zeros(2),
        duration=start,
        fps=SAMPLE_RATE,
    )
    video = CompositeVideoClip(layers, size=(WIDTH, HEIGHT)).with_duration(start)
    video_only = _without(encoder_args(FPS), {"-c:v", "-preset", "-c:a", "-b:a", "-ar", "-ac"})
    video.with_audio(silence).write_videofile(
        str(output),
        fps=FPS,
        codec="libx264",
        preset="veryfast",
        audio_codec="aac",
        audio_bitrate="128k",
        audio_fps=SAMPLE_RATE,
        ffmpeg_params=video_only,
        logger=None,
    )


def _without(args: list[str], options: set[str]) -> list[str]:
    """``args`` minus the given options and their values."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in options:
            skip = True
        else:
            kept.append(arg)
    return kept


# --- Figures ------------------------------------------------------------------------------


def _timed(render: Callable[..., None], *args: object) -> float:
    started = time.perf_counter()
    render(*args)
    return time.perf_counter() - started


def image_render_ms() -> list[Figure]:
    """Median time to draw one 1080×1350 photo template; nothing until images.py exists."""
    try:
        from content.creative.images import CreativeInputs, render
    except ImportError:
        return []
    inputs = CreativeInputs(
        headline="갓 구운 크루아상, 매일 아침 7시",
        subline="버터 향 가득한 동네 빵집",
        shop_name="앨리스 베이커리",
        photos=[photo(7, (1200, 1600))],
    )
    timings = []
    for _ in range(IMAGE_RUNS):
        started = time.perf_counter()
        render("photo_band", "instagram_portrait", inputs)
        timings.append((time.perf_counter() - started) * 1000)
    return [Figure("image.render_ms_median", statistics.median(timings), "ms")]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="gagecast-bench-video-") as scratch:
        folder = Path(scratch)
        inputs = _inputs(folder)
        product_runs, reference_runs, peaks = [], [], []
        for attempt in range(ROUNDS):
            seconds, *peak = product_in_fresh_process(inputs, folder / f"product{attempt}.mp4")
            product_runs.append(seconds)
            peaks.append(peak)
            reference_runs.append(_timed(reference, *inputs, folder / f"reference{attempt}.mp4"))
        naive_s = _timed(naive, *inputs, folder / "naive.mp4")
    render_s, reference_s = statistics.median(product_runs), statistics.median(reference_runs)
    # Each round times both back to back, so a busy moment slows both sides of its ratio.
    ratios = [own / ref for own, ref in zip(product_runs, reference_runs, strict=True)]
    return [
        Figure("video.render_s", render_s, "s"),
        Figure("video.ffmpeg_reference_s", reference_s, "s"),
        Figure("video.naive_moviepy_s", naive_s, "s"),
        Figure("video.render_over_ffmpeg_reference", statistics.median(ratios), "x", "<=1.0"),
        Figure("video.render_over_ffmpeg_reference_spread", max(ratios) - min(ratios), "x"),
        Figure("video.naive_moviepy_over_render", naive_s / render_s, "x", ">=4"),
        Figure("video.peak_rss_mb", max(own + ffmpeg for own, ffmpeg in peaks), "MB", "<=400"),
        Figure("video.peak_rss_render_process_mb", max(own for own, _ in peaks), "MB"),
        Figure("video.peak_rss_ffmpeg_mb", max(ffmpeg for _, ffmpeg in peaks), "MB"),
        *image_render_ms(),
    ]
