"""The soundtrack mix (moviepy): music looped or cut to the video's length, ducked
under the narration and faded out, written as a 48 kHz WAV for ffmpeg to encode."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import proglog

Gain = Callable[[Callable, np.ndarray | float], np.ndarray]
SAMPLE_RATE = 48_000


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
        level = np.asarray(np.interp(t, times, levels))
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
