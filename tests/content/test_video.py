"""The slideshow renderer and the media validator: a small real render (270×480, about
four seconds) checked box by box, frame by frame and, where installed, by ffprobe."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageDraw

from content.creative.validate import RULES, check_image, check_video
from content.creative.video import (
    SAFE_BOTTOM,
    SAFE_LEFT,
    SAFE_RIGHT,
    Card,
    RenderedVideo,
    RenderError,
    Slide,
    Soundtrack,
    caption_overlay,
    render_video,
)
from content.creative.video_timeline import Crossfade, Shot, overlap_frames, segment_frames, shots
from tests.content.media_files import ffmpeg_audio, image_bytes, wav_bytes

SIZE = (270, 480)
FPS = 30
SMALL_REEL = dataclasses.replace(RULES["instagram"], size=SIZE)
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def _photo(colour: tuple[int, int, int], size: tuple[int, int] = (400, 600)) -> Image.Image:
    """A photo-like slide: a coloured gradient with a white bar, so motion shows."""
    ramp = np.linspace(0.35, 1.0, size[0])[None, :, None]
    pixels = (np.array(colour)[None, None, :] * ramp).repeat(size[1], axis=0)
    image = Image.fromarray(pixels.astype(np.uint8))
    ImageDraw.Draw(image).rectangle(
        (size[0] // 2 - 12, 0, size[0] // 2 + 12, size[1]), fill="white"
    )
    return image


def _ffmpeg(*args: str) -> bytes:
    command = [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", *args]
    return subprocess.run(command, check=True, capture_output=True).stdout


def _frames(path: Path) -> np.ndarray:
    raw = _ffmpeg("-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE[1], SIZE[0], 3).astype(np.int16)


SLIDES = [
    Slide(_photo((230, 60, 40)), "갓 구운 크루아상 매일 아침", 1.0, "zoom_in"),
    Slide(_photo((40, 200, 60)), "버터 향 가득한 동네 빵집", 1.0, "pan_left"),
    Slide(_photo((50, 70, 230)), "오늘만 30% 할인", 1.0, "zoom_out"),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[RenderedVideo, list[int]]:
    folder = tmp_path_factory.mktemp("video")
    progress: list[int] = []
    video = render_video(
        SLIDES,
        output=folder / "reel.mp4",
        intro=Card(Image.new("RGB", SIZE, (20, 20, 20)), 0.5),
        outro=Card(Image.new("RGB", SIZE, (240, 240, 240)), 0.5),
        size=SIZE,
        fps=FPS,
        progress=progress.append,
    )
    return video, progress


# --- The render ------------------------------------------------------------------------


def test_a_small_slideshow_renders_as_an_upload_ready_mp4(rendered):
    video, _ = rendered

    report = check_video(video.path, channel="instagram", rules=SMALL_REEL)

    assert report.problems == []
    assert (report.video_codec, report.profile, report.pixel_format) == ("h264", "High", "yuv420p")
    assert (report.width, report.height) == SIZE
    assert report.frame_rate == 30 and report.constant_frame_rate
    assert report.progressive and report.closed_gop
    assert (report.audio_codec, report.audio_profile, report.sample_rate) == ("aac", "LC", 48_000)
    assert report.faststart and report.edit_lists == 0
    assert report.duration_s == pytest.approx(4.0, abs=0.05)


def test_the_rendered_video_describes_itself(rendered):
    video, _ = rendered

    assert (video.width, video.height, video.duration_s) == (270, 480, 4.0)
    assert video.size_bytes == video.path.stat().st_size > 0
    assert not list(video.path.parent.glob(".*part*"))  # no partial file left behind


def test_every_frame_is_there_and_the_slides_move_and_crossfade(rendered):
    frames = _frames(rendered[0].path)
    red, green = frames[..., 0].mean(axis=(1, 2)), frames[..., 1].mean(axis=(1, 2))

    assert len(frames) == 4 * FPS
    assert red[15 + 15] > red[15 + 15 + 30] and green[15 + 30 + 15] > green[15 + 15]  # slide order
    pan = frames[45 + 10 : 45 + 20]  # the green slide, pan left, no fade
    assert np.abs(np.diff(pan, axis=0)).mean() > 0.5  # it moves
    fade = green[45 - 9 : 45]  # red fading into green over 9 frames
    assert np.all(np.diff(fade) > 0)


def test_the_cover_is_the_first_slide_with_its_caption(rendered):
    video, _ = rendered
    cover = Image.open(video.cover_path)
    overlay = caption_overlay(SLIDES[0].caption, SIZE)
    assert overlay is not None
    _, (x, y) = overlay
    pixels = np.asarray(cover.convert("RGB")).astype(int)

    assert (cover.format, cover.size) == ("JPEG", SIZE)
    assert pixels[: y - 5, :, 0].mean() > pixels[: y - 5, :, 2].mean() + 50  # the red slide
    caption_rows = pixels[y : y + 20, x : SIZE[0] - x]
    assert caption_rows.min() < 60 and caption_rows.max() > 230  # white on a dark box


def test_progress_rises_to_100(rendered):
    _, progress = rendered

    assert progress[0] == 0 and progress[-1] == 100
    assert progress == sorted(set(progress))
    assert len(progress) >= 3  # 0, at least one step of the encode, 100


def test_captions_stay_clear_of_the_platform_buttons_and_caption_strip():
    overlay = caption_overlay("동네 단골이 먼저 찾는 소금빵 오늘도 완판", (1080, 1920))
    assert overlay is not None
    box, (x, y) = overlay

    assert x >= 1080 * SAFE_LEFT
    assert x + box.width <= 1080 * (1 - SAFE_RIGHT)
    assert y + box.height <= 1920 * (1 - SAFE_BOTTOM)
    alpha = np.asarray(box)[..., 3]
    assert alpha.max() == 255 and (alpha > 0).mean() > 0.9  # text on a nearly full box


def test_a_caption_of_only_emoji_draws_no_box():
    assert caption_overlay("🥐✨", (1080, 1920)) is None
    assert caption_overlay("  ", (1080, 1920)) is None


def test_music_is_ducked_while_the_narration_speaks(tmp_path):
    music = tmp_path / "music.mp3"
    music.write_bytes(ffmpeg_audio("mp3", 0.8))  # a 440 Hz tone, shorter than the video: looped
    narration = tmp_path / "voice.wav"
    narration.write_bytes(wav_bytes(1.0))  # silence, so only the music is heard
    soundtrack = Soundtrack(background=music, narration=narration, narration_start_s=1.0)

    video = render_video(
        SLIDES[:2], output=tmp_path / "short.mp4", soundtrack=soundtrack, size=SIZE, fps=FPS
    )
    pcm = np.frombuffer(
        _ffmpeg("-i", str(video.path), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"), "<i2"
    ).astype(float)

    def loudness(start: float, end: float) -> float:
        return float(np.sqrt(np.mean(pcm[int(start * 8000) : int(end * 8000)] ** 2)))

    assert (
        check_video(
            video.path, channel="instagram", rules=dataclasses.replace(SMALL_REEL, min_s=1)
        ).problems
        == []
    )
    assert loudness(0.1, 0.6) > 3 * loudness(1.4, 1.9)  # ducked under the narration
    assert loudness(0.1, 0.6) > 500  # and really playing


def test_bad_slides_are_refused_before_rendering(tmp_path):
    with pytest.raises(ValueError, match="at least one slide"):
        render_video([], output=tmp_path / "empty.mp4")
    with pytest.raises(ValueError, match="unknown motion"):
        render_video([Slide(_photo((1, 2, 3)), motion="spin")], output=tmp_path / "x.mp4")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="even width and height"):
        render_video(SLIDES, output=tmp_path / "odd.mp4", size=(271, 480))
    with pytest.raises(ValueError, match="at least one frame"):
        render_video([Slide(_photo((1, 2, 3)), duration_s=0.01)], output=tmp_path / "x.mp4")
    assert not list(tmp_path.iterdir())  # nothing written


def test_an_ffmpeg_failure_is_a_render_error_with_its_reason(tmp_path):
    with pytest.raises(RenderError, match="ffmpeg failed"):
        render_video(SLIDES[:1], output=tmp_path / "missing" / "reel.mp4", size=SIZE)


def test_a_photo_that_fails_to_decode_mid_render_stops_ffmpeg_and_leaves_nothing(tmp_path):
    whole = BytesIO()
    _photo((40, 200, 60)).save(whole, format="PNG")
    broken = tmp_path / "broken.png"
    broken.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    output = tmp_path / "out" / "reel.mp4"
    output.parent.mkdir()

    with Image.open(broken) as lazy, pytest.raises(OSError):  # decoded only when its turn comes
        render_video([SLIDES[0], Slide(lazy, "", 1.0, "pan_left")], output=output, size=SIZE)
    assert not list(output.parent.iterdir())  # neither the video nor its partial file


# --- The timeline ------------------------------------------------------------------------


def test_segments_own_whole_frames_without_drift():
    assert segment_frames([0.5, 1.0, 1.01, 1.01, 1.01], 30) == [15, 30, 30, 31, 30]
    assert sum(segment_frames([1 / 3] * 9, 30)) == 90


def test_the_timeline_alternates_shots_and_crossfades():
    plan = shots([15, 30, 15], overlap=9)

    assert plan == [
        Shot(0, 0, 6),
        Crossfade(Shot(0, 6, 9), Shot(1, 0, 9)),
        Shot(1, 9, 21),
        Crossfade(Shot(1, 30, 9), Shot(2, 0, 9)),
        Shot(2, 9, 15),
    ]
    assert sum(s.count if isinstance(s, Shot) else s.incoming.count for s in plan) == 60


def test_crossfades_shrink_to_fit_short_segments():
    assert overlap_frames([5, 30, 30], 30, 0.3) == 4
    assert overlap_frames([30], 30, 0.3) == 9


# --- The validator -----------------------------------------------------------------------


def test_a_file_without_faststart_is_reported(rendered, tmp_path):
    moved = tmp_path / "slow.mp4"
    _ffmpeg("-i", str(rendered[0].path), "-c", "copy", "-map", "0", str(moved))

    report = check_video(moved, channel="instagram", rules=SMALL_REEL)

    assert report.faststart is False
    assert "moov 상자가 앞에 있지 않아 일부 플랫폼이 거부합니다" in report.problems


def test_a_video_without_sound_is_refused(rendered, tmp_path):
    silent = tmp_path / "mute.mp4"
    _ffmpeg(
        "-i", str(rendered[0].path), "-c", "copy", "-an", "-movflags", "+faststart", str(silent)
    )

    report = check_video(silent, channel="instagram", rules=SMALL_REEL)

    assert report.audio_codec is None
    assert report.problems == ["오디오 트랙이 없습니다: 무음이라도 AAC 트랙을 넣어야 합니다"]


def test_a_cut_off_upload_is_reported(rendered, tmp_path):
    cut = tmp_path / "cut.mp4"
    data = rendered[0].path.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])

    report = check_video(cut, channel="instagram", rules=SMALL_REEL)

    assert report.problems == ["파일이 중간에 잘려 있습니다: 다시 만들어 올려야 합니다"]


def test_a_file_that_is_not_an_mp4_is_refused_in_korean(tmp_path):
    fake = tmp_path / "photo.mp4"
    fake.write_bytes(image_bytes("PNG"))

    report = check_video(fake, channel="youtube_shorts")

    assert not report.ok and not report.is_mp4
    assert report.problems == ["MP4 파일이 아닙니다 (ftyp 상자가 맨 앞에 없습니다)"]


def test_shorts_rules_refuse_a_small_four_second_video(rendered):
    report = check_video(rendered[0].path, channel="youtube_shorts")

    assert report.problems == [
        "화면 크기가 1080×1920이 아닙니다 (270×480)",
        "YouTube Shorts 영상은 15–60초여야 합니다 (4.0초)",
    ]


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is not installed here")
def test_ffprobe_agrees_with_the_validator(rendered):
    path = rendered[0].path
    probe = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_streams",
                "-show_format",
                str(path),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    video, audio = (
        next(s for s in probe["streams"] if s["codec_type"] == kind) for kind in ("video", "audio")
    )
    report = check_video(path, channel="instagram", rules=SMALL_REEL)

    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (video["width"], video["height"], video["r_frame_rate"]) == (270, 480, "30/1")
    assert video.get("field_order", "progressive") == "progressive"
    assert (audio["codec_name"], audio["sample_rate"]) == ("aac", "48000")
    assert float(probe["format"]["duration"]) == pytest.approx(report.duration_s, abs=0.001)
    assert video["level"] / 10 == report.level


def test_a_jpeg_fits_the_instagram_feed_and_a_png_does_not():
    jpeg = check_image(image_bytes("JPEG", size=(1080, 1350)), kind="instagram")
    png = check_image(image_bytes("PNG", size=(1080, 1350)), kind="instagram")

    assert jpeg.ok and (jpeg.format, jpeg.width, jpeg.height) == ("JPEG", 1080, 1350)
    assert png.problems == ["Instagram 피드 이미지는 JPEG여야 합니다 (PNG)"]


def test_a_youtube_thumbnail_may_be_png_but_must_be_1280_by_720(tmp_path):
    right = tmp_path / "thumb.png"
    right.write_bytes(image_bytes("PNG", size=(1280, 720)))

    assert check_image(right, kind="youtube_thumbnail").ok
    assert check_image(image_bytes("PNG", size=(1200, 675)), kind="youtube_thumbnail").problems == [
        "크기가 1280×720가 아닙니다 (1200×675)"
    ]


def test_an_oversized_or_unreadable_image_is_refused():
    noise = Image.frombytes("RGB", (1280, 720), np.random.default_rng(1).bytes(1280 * 720 * 3))
    buffer = BytesIO()
    noise.save(buffer, format="PNG")  # noise does not compress: about 2.7 MB

    assert (
        check_image(buffer.getvalue(), kind="youtube_thumbnail")
        .problems[0]
        .startswith("파일이 2MB를 넘습니다")
    )
    assert check_image(b"not an image", kind="instagram").problems == [
        "이미지 파일이 아니거나 손상되었습니다"
    ]
