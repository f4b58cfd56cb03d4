"""Will the platform take this file? Media checks without ffprobe.

Videos: ``mp4`` reads the boxes; here they are measured against the channel —
``ftyp`` first, ``moov`` before ``mdat`` (faststart), duration, H.264 profile, level,
pixel format and progressive scan, frame rate, closed GOPs (from the x264 settings
message), AAC and its sample rate, edit lists, file size. Images: Pillow reads the
header. Problems are plain Korean sentences for the shop owner and the agency.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from content.creative.mp4 import (
    AAC_OBJECTS,
    AVC_PROFILES,
    MAX_MOOV,
    Track,
    closed_gop,
    parse_moov,
    pixel_format,
    top_level,
)

MB = 1024 * 1024


@dataclass(frozen=True)
class VideoRules:
    label: str
    size: tuple[int, int]
    min_s: float
    max_s: float
    min_fps: float = 23
    max_fps: float = 60
    max_sample_rate: int = 48_000
    max_bytes: int = 300 * MB


RULES: dict[str, VideoRules] = {
    "youtube_shorts": VideoRules("YouTube Shorts", (1080, 1920), 15, 60),
    "instagram": VideoRules("Instagram 릴스", (1080, 1920), 3, 15 * 60),
}


@dataclass
class VideoReport:
    path: Path
    channel: str
    size_bytes: int = 0
    is_mp4: bool = False
    brand: str = ""
    faststart: bool = False
    duration_s: float = 0.0
    video_codec: str | None = None  # "h264", "hevc", …
    profile: str | None = None  # "High"
    profile_idc: int | None = None
    level: float | None = None  # 4.0
    width: int = 0
    height: int = 0
    pixel_format: str | None = None  # "yuv420p"
    progressive: bool | None = None
    frame_rate: float | None = None
    constant_frame_rate: bool | None = None
    closed_gop: bool | None = None  # None: the encoder did not say
    audio_codec: str | None = None  # "aac"
    audio_profile: str | None = None  # "LC"
    sample_rate: int | None = None
    channels: int | None = None
    edit_lists: int = 0  # tracks with an edit list
    complete: bool = True  # no box runs past the end of the file
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- The report ---------------------------------------------------------------------------


def _read_structure(path: Path, report: VideoReport) -> list[Track]:
    order: list[bytes] = []
    moov = b""
    with path.open("rb") as stream:
        for kind, offset, size in top_level(stream):
            order.append(kind)
            report.complete = report.complete and offset + size <= report.size_bytes
            if kind == b"ftyp" and offset == 0:
                stream.seek(8)
                report.brand = stream.read(4).decode("latin-1")
            elif kind == b"moov" and size <= MAX_MOOV:
                stream.seek(offset + 8)
                moov = stream.read(size - 8)
        report.is_mp4 = bool(order) and order[0] == b"ftyp"
        if not report.is_mp4 or not moov:
            return []
        report.faststart = b"mdat" in order and order.index(b"moov") < order.index(b"mdat")
        timescale, duration, tracks = parse_moov(moov)
        report.duration_s = duration / timescale if timescale else 0.0
        video = next((t for t in tracks if t.handler == "vide"), None)
        if video and video.first_chunk is not None and video.first_sample_size:
            stream.seek(video.first_chunk)
            report.closed_gop = closed_gop(stream.read(min(video.first_sample_size, 1 * MB)))
    return tracks


def _describe_video(track: Track, report: VideoReport) -> None:
    report.video_codec = {"avc1": "h264", "avc3": "h264", "hvc1": "hevc", "hev1": "hevc"}.get(
        track.codec, track.codec or None
    )
    report.width, report.height = track.width, track.height
    if avc := track.avc:
        report.profile_idc = avc.profile_idc
        report.profile = AVC_PROFILES.get(avc.profile_idc, str(avc.profile_idc))
        report.level = avc.level_idc / 10
        report.pixel_format = pixel_format(avc)
        report.progressive = avc.progressive
    if track.sample_time and track.timescale:
        report.frame_rate = round(track.sample_count * track.timescale / track.sample_time, 3)
        report.constant_frame_rate = track.stts_entries == 1


def _describe_audio(track: Track, report: VideoReport) -> None:
    report.audio_codec = track.codec or "unknown"
    if (audio := track.audio) is None:
        return
    if audio.object_type in (0x40, 0x66, 0x67, 0x68):  # MPEG-4 audio, MPEG-2 AAC
        report.audio_codec = "aac"
    elif audio.object_type in (0x69, 0x6B):
        report.audio_codec = "mp3"
    if audio.aac_object is not None:
        report.audio_profile = AAC_OBJECTS.get(audio.aac_object, str(audio.aac_object))
    report.sample_rate, report.channels = audio.sample_rate, audio.channels


def _trivial(edits: list[tuple[int, int, float]]) -> bool:
    """One entry that plays the media from a non-negative offset at normal speed."""
    return len(edits) == 1 and edits[0][1] >= 0 and edits[0][2] == 1


def check_video(path: Path | str, *, channel: str, rules: VideoRules | None = None) -> VideoReport:
    """Measure ``path`` and list, in Korean, what ``channel`` (a key of RULES) would
    refuse; ``rules`` replaces the channel's rules (e.g. for small test renders)."""
    path = Path(path)
    rules = rules or RULES[channel]
    report = VideoReport(path, channel, size_bytes=path.stat().st_size)
    try:
        tracks = _read_structure(path, report)
    except (struct.error, IndexError):
        report.problems.append("MP4 구조가 손상되어 읽을 수 없습니다")
        return report
    if not report.is_mp4:
        report.problems.append("MP4 파일이 아닙니다 (ftyp 상자가 맨 앞에 없습니다)")
        return report
    if video := next((t for t in tracks if t.handler == "vide"), None):
        _describe_video(video, report)
    if audio := next((t for t in tracks if t.handler == "soun"), None):
        _describe_audio(audio, report)
    report.edit_lists = sum(1 for t in tracks if t.edits)
    if any(t.edits and not _trivial(t.edits) for t in tracks):
        report.problems.append("편집 목록(elst)이 있어 일부 플랫폼이 거부합니다")
    report.problems.extend(_problems(report, rules, has_moov=bool(tracks)))
    return report


def _problems(report: VideoReport, rules: VideoRules, *, has_moov: bool) -> list[str]:
    if not has_moov:
        return ["moov 상자(영상 정보)가 없어 재생할 수 없는 파일입니다"]
    problems = []
    if not report.complete:
        problems.append("파일이 중간에 잘려 있습니다: 다시 만들어 올려야 합니다")
    if not report.faststart:
        problems.append("moov 상자가 앞에 있지 않아 일부 플랫폼이 거부합니다")
    if report.video_codec is None:
        problems.append("영상 트랙이 없습니다")
    elif report.video_codec != "h264":
        problems.append(f"영상 코덱이 H.264가 아닙니다 ({report.video_codec})")
    elif report.pixel_format != "yuv420p":
        problems.append(f"화소 형식이 yuv420p가 아닙니다 ({report.pixel_format or '알 수 없음'})")
    if report.progressive is False:
        problems.append("인터레이스 영상입니다: 프로그레시브로 인코딩해야 합니다")
    if report.closed_gop is False:
        problems.append("GOP가 열려 있습니다: 닫힌 GOP로 인코딩해야 합니다")
    if report.video_codec and (report.width, report.height) != rules.size:
        want = "×".join(map(str, rules.size))
        problems.append(f"화면 크기가 {want}이 아닙니다 ({report.width}×{report.height})")
    if report.frame_rate is not None and not rules.min_fps <= report.frame_rate <= rules.max_fps:
        problems.append(
            f"프레임 속도가 {rules.min_fps:g}–{rules.max_fps:g}fps 범위를 벗어납니다 "
            f"({report.frame_rate:g}fps)"
        )
    if not rules.min_s <= report.duration_s <= rules.max_s:
        problems.append(
            f"{rules.label} 영상은 {rules.min_s:g}–{rules.max_s:g}초여야 합니다 "
            f"({report.duration_s:.1f}초)"
        )
    problems.extend(_audio_problems(report, rules))
    if report.size_bytes > rules.max_bytes:
        problems.append(
            f"파일이 {rules.max_bytes // MB}MB를 넘습니다 ({report.size_bytes / MB:.0f}MB)"
        )
    return problems


def _audio_problems(report: VideoReport, rules: VideoRules) -> list[str]:
    if report.audio_codec is None:
        return ["오디오 트랙이 없습니다: 무음이라도 AAC 트랙을 넣어야 합니다"]
    problems = []
    if report.audio_codec != "aac":
        problems.append(f"오디오 코덱이 AAC가 아닙니다 ({report.audio_codec})")
    if report.sample_rate and report.sample_rate > rules.max_sample_rate:
        problems.append(
            f"오디오 샘플레이트가 {rules.max_sample_rate // 1000}kHz를 넘습니다 "
            f"({report.sample_rate}Hz)"
        )
    if report.channels and report.channels > 2:
        problems.append(f"오디오는 모노나 스테레오여야 합니다 ({report.channels}채널)")
    return problems


# --- Images -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageRules:
    label: str
    formats: tuple[str, ...]
    sizes: tuple[tuple[int, int], ...]
    max_bytes: int = 8 * MB


IMAGE_RULES: dict[str, ImageRules] = {
    "instagram": ImageRules("Instagram 피드", ("JPEG",), ((1080, 1350), (1080, 1080))),
    "instagram_portrait": ImageRules("Instagram 피드", ("JPEG",), ((1080, 1350),)),
    "instagram_square": ImageRules("Instagram 피드", ("JPEG",), ((1080, 1080),)),
    "carousel": ImageRules("Instagram 캐러셀", ("JPEG",), ((1080, 1350), (1080, 1080))),
    "threads": ImageRules("Threads", ("JPEG", "PNG"), ((1080, 1350), (1080, 1080))),
    "naver_header": ImageRules("네이버 블로그 대표", ("JPEG", "PNG"), ((1200, 675),)),
    "naver_body": ImageRules("네이버 블로그 본문", ("JPEG", "PNG"), ((1080, 1080),)),
    "youtube_thumbnail": ImageRules("YouTube 썸네일", ("JPEG", "PNG"), ((1280, 720),), 2 * MB),
    "reel_cover": ImageRules("릴스·쇼츠 표지", ("JPEG",), ((1080, 1920),)),
}
SRGB_MODES = {"RGB", "L", "P", "RGBA", "LA"}


@dataclass
class ImageReport:
    kind: str
    size_bytes: int = 0
    format: str | None = None  # "JPEG", "PNG"
    width: int = 0
    height: int = 0
    mode: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_image(source: Path | str | bytes, *, kind: str) -> ImageReport:
    """Format (by content), exact size and bytes of an image for ``kind`` (a key of
    IMAGE_RULES), with the problems in Korean. Reads the header only."""
    rules = IMAGE_RULES[kind]
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    report = ImageReport(kind, size_bytes=len(data))
    try:
        with Image.open(io.BytesIO(data)) as image:
            report.format, report.mode = image.format, image.mode
            report.width, report.height = image.size
    except (UnidentifiedImageError, OSError):
        report.problems.append("이미지 파일이 아니거나 손상되었습니다")
        return report
    if report.format not in rules.formats:
        allowed = " 또는 ".join(rules.formats)
        report.problems.append(f"{rules.label} 이미지는 {allowed}여야 합니다 ({report.format})")
    if (report.width, report.height) not in rules.sizes:
        allowed = " 또는 ".join(f"{w}×{h}" for w, h in rules.sizes)
        report.problems.append(f"크기가 {allowed}가 아닙니다 ({report.width}×{report.height})")
    if report.mode not in SRGB_MODES:
        report.problems.append(f"색 공간이 RGB가 아닙니다 ({report.mode}): 색이 다르게 보입니다")
    if report.size_bytes > rules.max_bytes:
        report.problems.append(
            f"파일이 {rules.max_bytes // MB}MB를 넘습니다 ({report.size_bytes / MB:.1f}MB)"
        )
    return report
