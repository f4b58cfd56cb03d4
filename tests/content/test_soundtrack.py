"""A video's sound through the whole render service: the narration read by the Gemini
simulator (real SDK, real HTTP), the shop's music ducked under it, what is reused,
and what happens when the voice fails. Videos are 270×480 so each render takes a
second or two; the audio is decoded by ffmpeg and measured."""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from django.core.files.base import ContentFile

from content.creative import services, validate
from content.creative.services import piece_render
from content.creative.soundtrack import NARRATION_TAIL_S, fitted_scenes
from content.creative.validate import check_video
from content.models import Asset, ContentPiece, RenderStatus
from content.providers.base import ProviderError
from marketing.models import UsageRecord
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory

pytestmark = pytest.mark.django_db

SMALL = (270, 480)
RATE = 8_000  # decoded audio: enough for a 1 kHz tone and a voice's hum
TTS_MODEL = "gemini-2.5-flash-preview-tts"
INTRO_S = 1.5
SCENES = [
    ("갓 구운 소금빵", "아침마다 소금빵을 구워요", 5.0),
    ("버터 향 가득", "버터 향이 골목까지 퍼져요", 5.0),
    ("오늘 오후 3시까지", "오늘 오후 세 시까지 할인해요", 5.0),
]


@pytest.fixture(autouse=True)
def small_videos(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same renderer and checks, at the draft size (a quarter of the width)."""
    settings.RENDER_VIDEO_DRAFT = True
    assert services.DRAFT_VIDEO_SIZE == SMALL
    for channel in ("youtube_shorts", "instagram"):  # the tests' own checks too
        small = dataclasses.replace(validate.RULES[channel], size=SMALL, min_fps=services.DRAFT_FPS)
        monkeypatch.setitem(validate.RULES, channel, small)


def _short(tenant: Tenant, scenes: list[tuple[str, str, float]] = SCENES) -> ContentPiece:
    script = [{"caption": c, "narration": n, "duration_s": s} for c, n, s in scenes]
    return ContentPieceFactory(
        business=tenant.business,
        channel="youtube_shorts",
        status=ContentPiece.Status.READY,
        call_to_action="visit",
        fields={
            "title": "소금빵",
            "thumbnail_text": "갓 구운 소금빵",
            "video_script": {"scenes": script},
        },
    )


def _ffmpeg(*args: str) -> bytes:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
    return subprocess.run([*command, *args], check=True, capture_output=True).stdout


def _tone_mp3(frequency: int, seconds: float) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "tone.mp3"
        _ffmpeg(
            *("-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=44100"),
            *("-t", str(seconds), "-c:a", "libmp3lame", "-y", str(target)),
        )
        return target.read_bytes()


class Sound:
    """A rendered video's audio, mono at 8 kHz, measured over spans of seconds."""

    def __init__(self, path: str) -> None:
        raw = _ffmpeg("-i", path, "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-")
        self.samples = np.frombuffer(raw, "<i2").astype(float)

    def _span(self, start: float, end: float) -> np.ndarray:
        return self.samples[int(start * RATE) : int(end * RATE)]

    def loudness(self, start: float, end: float) -> float:
        return float(np.sqrt(np.mean(self._span(start, end) ** 2)))

    def tone(self, frequency: float, start: float, end: float) -> float:
        """Amplitude of ``frequency`` (±20 Hz) in the span: the music, apart from the voice."""
        span = self._span(start, end)
        spectrum = np.abs(np.fft.rfft(span * np.hanning(len(span))))
        bins = np.fft.rfftfreq(len(span), 1 / RATE)
        return float(spectrum[np.abs(bins - frequency) <= 20].max() / len(span))


def _rendered(piece: ContentPiece, **options: bool) -> ContentPiece:
    piece_render(piece_id=piece.pk, **options)
    piece.refresh_from_db()
    assert piece.render_status == RenderStatus.DONE, piece.render_error
    return piece


def _video(piece: ContentPiece) -> Asset:
    clip = piece.assets.get(kind=Asset.Kind.VIDEO)
    assert check_video(clip.file.path, channel=piece.channel).problems == []
    return clip


def _tts_calls(gemini) -> int:
    return len(gemini.requests_for(TTS_MODEL))


# --- Narration ---------------------------------------------------------------------------------


def test_a_narrated_short_speaks_from_the_first_slide_and_passes_the_checks(gemini, alice: Tenant):
    piece = _rendered(_short(alice))

    narration = piece.assets.get(kind=Asset.Kind.AUDIO)
    sound = Sound(_video(piece).file.path)
    spoken_s = narration.duration_s
    assert (narration.role, narration.mime_type) == ("narration", "audio/wav")
    assert 5 < spoken_s < 12
    assert sound.loudness(0.2, INTRO_S - 0.2) < 50  # the intro card: no voice, no music
    assert sound.loudness(INTRO_S + 0.5, INTRO_S + spoken_s - 0.5) > 1_000  # the voice
    assert sound.loudness(INTRO_S + spoken_s + 0.3, 15) < 50  # said and done
    assert piece.render_note == ""
    [request] = gemini.requests_for(TTS_MODEL)
    assert request.text == (
        "아침마다 소금빵을 구워요. 버터 향이 골목까지 퍼져요. 오늘 오후 세 시까지 할인해요."
    )


def test_the_narration_is_counted_as_usage_with_its_cost(gemini, alice: Tenant):
    _rendered(_short(alice))

    [record] = UsageRecord.objects.filter(kind=UsageRecord.Kind.LLM_CALL)
    assert record.model_name == TTS_MODEL
    assert record.business == alice.business and record.organization == alice.organization
    assert record.input_tokens > 0 and record.output_tokens > 100 and record.cost_usd > 0


def test_rendering_again_makes_no_new_speech_and_reuses_every_file(gemini, alice: Tenant):
    piece = _rendered(_short(alice))
    first = {a.kind: a.file.name for a in piece.assets.all()}

    _rendered(piece)

    assert _tts_calls(gemini) == 1
    assert {a.kind: a.file.name for a in piece.assets.all()} == first
    assert UsageRecord.objects.filter(model_name=TTS_MODEL).count() == 1


def test_another_piece_with_the_same_words_reuses_the_narration(gemini, alice: Tenant):
    _rendered(_short(alice))

    second = _rendered(_short(alice))

    assert _tts_calls(gemini) == 1
    assert second.assets.filter(kind=Asset.Kind.AUDIO).exists()


def test_new_words_or_a_new_voice_are_spoken_again(gemini, alice: Tenant, settings):
    piece = _rendered(_short(alice))
    settings.GEMINI_TTS_VOICE = "Puck"

    _rendered(piece)

    assert _tts_calls(gemini) == 2
    assert gemini.requests_for(TTS_MODEL)[-1].voice_name == "Puck"


def test_a_narration_longer_than_the_slides_stretches_them_alike(gemini, alice: Tenant):
    long = [(c, f"{n}. {n}. {n}", s) for c, n, s in SCENES]  # about 25 s of speech for 15 s

    piece = _rendered(_short(alice, long))

    spoken_s = piece.assets.get(kind=Asset.Kind.AUDIO).duration_s
    clip = _video(piece)
    sound = Sound(clip.file.path)
    assert spoken_s > 20
    assert clip.duration_s == pytest.approx(2 * INTRO_S + spoken_s + NARRATION_TAIL_S, abs=0.4)
    assert sound.loudness(INTRO_S + spoken_s - 1.2, INTRO_S + spoken_s - 0.3) > 500  # not cut


def test_a_narration_too_long_for_a_minute_is_left_out_with_a_note(gemini, alice: Tenant):
    rambling = [(c, ". ".join([n] * 9), 5.0) for c, n, _s in SCENES]  # about 75 s of speech

    piece = _rendered(_short(alice, rambling))

    clip = _video(piece)
    assert clip.duration_s == pytest.approx(15 + 2 * INTRO_S, abs=0.1)  # the script's length
    assert Sound(clip.file.path).loudness(0, clip.duration_s) < 50
    assert "60초에 맞지 않아 음성 없이" in piece.render_note


def test_a_shop_writing_offline_gets_no_narration_and_no_note(alice: Tenant, settings):
    settings.GEMINI_API_KEY = ""

    piece = _rendered(_short(alice))

    assert not piece.assets.filter(kind=Asset.Kind.AUDIO).exists()
    assert piece.render_note == ""
    assert Sound(_video(piece).file.path).loudness(0, 18) < 50  # the silent AAC track


# --- When the voice fails ----------------------------------------------------------------------


def test_a_refused_narration_still_makes_the_video_and_tells_the_owner(gemini, alice: Tenant):
    gemini.fail_next(400, "Request contains an invalid argument.")

    piece = _rendered(_short(alice), can_retry=True)  # permanent: no retry asked for

    assert not piece.assets.filter(kind=Asset.Kind.AUDIO).exists()
    assert Sound(_video(piece).file.path).loudness(0, 18) < 50
    assert "내레이션 음성을 만들지 못해 음성 없이 영상을 만들었어요" in piece.render_note
    assert "Gemini가 요청을 거절했습니다" in piece.render_note


def test_rendering_again_after_a_failure_speaks_and_clears_the_note(gemini, alice: Tenant):
    gemini.fail_next(400, "Request contains an invalid argument.")
    piece = _rendered(_short(alice))
    silent = _video(piece).file.name

    _rendered(piece)

    piece.refresh_from_db()
    assert piece.render_note == ""
    assert piece.assets.filter(kind=Asset.Kind.AUDIO).exists()
    assert _video(piece).file.name != silent  # narration is part of the video's key


def test_a_transient_failure_asks_for_a_retry_before_anything_is_drawn(gemini, alice: Tenant):
    gemini.fail_next(503, "The model is overloaded.")
    piece = _short(alice)

    with pytest.raises(ProviderError) as raised:
        piece_render(piece_id=piece.pk, can_retry=True)

    piece.refresh_from_db()
    assert raised.value.permanent is False
    assert piece.render_status == RenderStatus.RENDERING
    assert not piece.assets.exists()


def test_on_the_last_attempt_a_transient_failure_renders_without_narration(gemini, alice: Tenant):
    gemini.fail_next(503, "The model is overloaded.")

    piece = _rendered(_short(alice), can_retry=False)

    assert not piece.assets.filter(kind=Asset.Kind.AUDIO).exists()
    assert piece.render_note == "음성 서비스가 잠시 응답하지 않아 내레이션 없이 영상을 만들었어요."


def test_the_render_task_retries_a_transient_failure_then_narrates(gemini, alice: Tenant):
    from content.tasks import render_piece

    gemini.fail_next(429, "Resource has been exhausted")
    piece = _short(alice)

    render_piece.apply(args=[piece.pk])  # eager: the retry runs at once, in-process

    piece.refresh_from_db()
    assert piece.render_status == RenderStatus.DONE and piece.render_note == ""
    assert piece.assets.filter(kind=Asset.Kind.AUDIO).exists()
    assert _tts_calls(gemini) == 2


def test_the_render_task_gives_up_on_the_voice_not_on_the_video(gemini, alice: Tenant):
    from content.tasks import render_piece

    gemini.fail_next(503, "The model is overloaded.", times=3)
    piece = _short(alice)

    render_piece.apply(args=[piece.pk])

    piece.refresh_from_db()
    assert _tts_calls(gemini) == 3  # the first try and two retries
    assert piece.render_status == RenderStatus.DONE
    assert "내레이션 없이 영상을 만들었어요" in piece.render_note
    assert piece.assets.filter(kind=Asset.Kind.VIDEO).exists()


# --- Music -------------------------------------------------------------------------------------


def _with_music(tenant: Tenant, frequency: int = 1_000, seconds: float = 4.0) -> None:
    music = ContentFile(_tone_mp3(frequency, seconds), name="song.mp3")
    tenant.business.background_music.save("song.mp3", music, save=True)


def test_music_plays_at_music_level_and_is_ducked_under_the_narration(gemini, alice: Tenant):
    _with_music(alice)  # 4 s of a 1 kHz tone: looped to the video's length

    piece = _rendered(_short(alice))

    spoken_s = piece.assets.get(kind=Asset.Kind.AUDIO).duration_s
    sound = Sound(_video(piece).file.path)
    alone = sound.tone(1_000, 0.2, INTRO_S - 0.4)
    under_voice = sound.tone(1_000, INTRO_S + 1, INTRO_S + spoken_s - 1)
    after = sound.tone(1_000, INTRO_S + spoken_s + 0.6, 15)
    assert alone > 3 * under_voice  # ducked while the narration speaks
    assert after > 3 * under_voice  # and back up once it is done
    assert under_voice > 0  # ducked, not muted
    assert sound.loudness(0.2, INTRO_S - 0.4) > 1_000  # really playing


def test_without_narration_the_music_plays_throughout(alice: Tenant, settings):
    settings.GEMINI_API_KEY = ""
    _with_music(alice)

    piece = _rendered(_short(alice))

    sound = Sound(_video(piece).file.path)
    levels = [sound.tone(1_000, start, start + 2) for start in (0.5, 5, 10, 14)]
    assert min(levels) > 0.7 * max(levels)


def test_a_new_track_makes_a_new_video_but_no_new_narration(gemini, alice: Tenant):
    piece = _rendered(_short(alice))
    before = _video(piece).file.name

    _with_music(alice, frequency=700)
    _rendered(piece)

    assert _video(piece).file.name != before
    assert _tts_calls(gemini) == 1
    assert Sound(_video(piece).file.path).tone(700, 0.2, 1.0) > 0


def test_a_track_missing_from_storage_leaves_the_music_out_with_a_note(alice: Tenant):
    _with_music(alice)
    Path(alice.business.background_music.path).unlink()

    piece = _rendered(_short(alice))

    assert "배경 음악 파일을 읽지 못해" in piece.render_note
    assert Sound(_video(piece).file.path).loudness(0, 18) < 50


# --- Fitting the scenes to the voice -----------------------------------------------------------


def test_scenes_are_kept_when_the_narration_fits():
    scenes = (("a", 5.0), ("b", 4.0))

    assert fitted_scenes(scenes, 8.0, cards_s=3) == scenes


def test_scenes_stretch_by_one_factor_to_a_tenth_of_a_second():
    stretched = fitted_scenes((("a", 3.0), ("b", 6.0)), 9.9 - NARRATION_TAIL_S, cards_s=3)

    assert stretched == (("a", 3.3), ("b", 6.6))


def test_scenes_that_would_pass_a_minute_are_refused():
    assert fitted_scenes((("a", 10.0),), 55.0, cards_s=3) is not None
    assert fitted_scenes((("a", 10.0),), 57.0, cards_s=3) is None
