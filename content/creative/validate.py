"""Will the platform take this file? Media checks without ffprobe.

Videos: the MP4 boxes are read directly — ``ftyp``; ``moov`` before ``mdat``
(faststart); ``mvhd`` duration; per track ``tkhd``, ``edts/elst``, ``mdhd``, ``hdlr``
and the sample table (``stsd`` with ``avc1/avcC`` and the H.264 sequence parameter
set for profile, level, chroma format, bit depth and progressive scan; ``mp4a/esds``
for AAC; ``stts`` for the frame rate); the x264 settings message in the first sample
tells whether GOPs are closed. Images: Pillow reads the header. Problems are plain
Korean sentences for the shop owner and the agency.
"""

from __future__ import annotations

import contextlib
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
AVC_PROFILES = {
    66: "Baseline",
    77: "Main",
    88: "Extended",
    100: "High",
    110: "High 10",
    122: "High 4:2:2",
    244: "High 4:4:4",
}
CHROMA_FORMATS = {0: "gray", 1: "yuv420p", 2: "yuv422p", 3: "yuv444p"}
AAC_OBJECTS = {1: "Main", 2: "LC", 3: "SSR", 4: "LTP", 5: "HE", 29: "HEv2"}
AAC_RATES = (
    96000,
    88200,
    64000,
    48000,
    44100,
    32000,
    24000,
    22050,
    16000,
    12000,
    11025,
    8000,
    7350,
)
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}
MAX_MOOV = 64 * MB


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
class AvcConfig:
    profile_idc: int
    level_idc: int
    chroma_format: int | None = None  # 1 = 4:2:0
    bit_depth: int | None = None
    progressive: bool | None = None  # frame_mbs_only_flag


@dataclass
class AudioConfig:
    channels: int
    sample_rate: int
    object_type: int | None = None  # 0x40: MPEG-4 audio
    aac_object: int | None = None  # 2: AAC LC


@dataclass
class Track:
    handler: str = ""  # "vide" or "soun"
    timescale: int = 0
    duration: int = 0
    width: int = 0
    height: int = 0
    codec: str = ""  # sample entry: avc1, hvc1, mp4a…
    sample_count: int = 0
    sample_time: int = 0  # sum of the stts deltas
    stts_entries: int = 0
    edits: list[tuple[int, int, float]] = field(default_factory=list)  # duration, media time, rate
    avc: AvcConfig | None = None
    audio: AudioConfig | None = None
    first_chunk: int | None = None
    first_sample_size: int = 0


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


# --- Boxes ------------------------------------------------------------------------------


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in ``data[start:end]``."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, start)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, start + 8)[0], 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, start + header, start + size
        start += size


def _top_level(stream: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """(type, offset, size) of the file's top-level boxes, reading only their headers."""
    offset = 0
    while header := stream.read(8):
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
        elif size == 0:
            stream.seek(0, io.SEEK_END)
            size = stream.tell() - offset
        if size < 8:
            return
        yield kind, offset, size
        offset += size
        stream.seek(offset)


def _full_box(data: bytes, start: int) -> tuple[int, int]:
    """(version, start of the body) of a full box."""
    return data[start], start + 4


def _parse_moov(data: bytes) -> tuple[int, int, list[Track]]:
    timescale = duration = 0
    tracks: list[Track] = []
    for kind, start, end in _boxes(data):
        if kind == b"mvhd":
            version, body = _full_box(data, start)
            if version == 1:
                timescale, duration = struct.unpack_from(">IQ", data, body + 16)
            else:
                timescale, duration = struct.unpack_from(">II", data, body + 8)
        elif kind == b"trak":
            track = Track()
            _walk(data, start, end, track)
            tracks.append(track)
    return timescale, duration, tracks


def _walk(data: bytes, start: int, end: int, track: Track) -> None:
    for kind, body_start, body_end in _boxes(data, start, end):
        if kind in CONTAINERS:
            _walk(data, body_start, body_end, track)
        elif parser := _TRACK_BOXES.get(kind):
            parser(data, body_start, body_end, track)


def _tkhd(data: bytes, start: int, end: int, track: Track) -> None:
    track.width, track.height = (v >> 16 for v in struct.unpack_from(">II", data, end - 8))


def _mdhd(data: bytes, start: int, end: int, track: Track) -> None:
    version, body = _full_box(data, start)
    if version == 1:
        track.timescale, track.duration = struct.unpack_from(">IQ", data, body + 16)
    else:
        track.timescale, track.duration = struct.unpack_from(">II", data, body + 8)


def _hdlr(data: bytes, start: int, end: int, track: Track) -> None:
    track.handler = data[start + 8 : start + 12].decode("latin-1")


def _elst(data: bytes, start: int, end: int, track: Track) -> None:
    version, body = _full_box(data, start)
    (count,) = struct.unpack_from(">I", data, body)
    entry = ">QqhH" if version == 1 else ">IihH"
    step = struct.calcsize(entry)
    for index in range(count):
        duration, media_time, rate, fraction = struct.unpack_from(
            entry, data, body + 4 + index * step
        )
        track.edits.append((duration, media_time, rate + fraction / 65536))


def _stts(data: bytes, start: int, end: int, track: Track) -> None:
    (count,) = struct.unpack_from(">I", data, start + 4)
    track.stts_entries = count
    for index in range(count):
        samples, delta = struct.unpack_from(">II", data, start + 8 + index * 8)
        track.sample_count += samples
        track.sample_time += samples * delta


def _stsz(data: bytes, start: int, end: int, track: Track) -> None:
    size, count = struct.unpack_from(">II", data, start + 4)
    track.first_sample_size = size or (
        struct.unpack_from(">I", data, start + 12)[0] if count else 0
    )


def _stco(data: bytes, start: int, end: int, track: Track) -> None:
    if struct.unpack_from(">I", data, start + 4)[0]:
        track.first_chunk = struct.unpack_from(">I", data, start + 8)[0]


def _co64(data: bytes, start: int, end: int, track: Track) -> None:
    if struct.unpack_from(">I", data, start + 4)[0]:
        track.first_chunk = struct.unpack_from(">Q", data, start + 8)[0]


def _stsd(data: bytes, start: int, end: int, track: Track) -> None:
    for kind, entry_start, entry_end in _boxes(data, start + 8, end):
        track.codec = kind.decode("latin-1")
        if kind in (b"avc1", b"avc3"):
            track.width, track.height = struct.unpack_from(">HH", data, entry_start + 24)
            for child, child_start, child_end in _boxes(data, entry_start + 78, entry_end):
                if child == b"avcC":
                    track.avc = _avcc(data[child_start:child_end])
        elif kind == b"mp4a":
            track.audio = _mp4a(data, entry_start, entry_end)
        return  # the first sample entry describes the stream


_TRACK_BOXES = {
    b"tkhd": _tkhd,
    b"mdhd": _mdhd,
    b"hdlr": _hdlr,
    b"elst": _elst,
    b"stts": _stts,
    b"stsz": _stsz,
    b"stco": _stco,
    b"co64": _co64,
    b"stsd": _stsd,
}


# --- H.264 --------------------------------------------------------------------------------


class _Bits:
    """Exp-Golomb reader over an H.264 RBSP."""

    def __init__(self, payload: bytes) -> None:
        self.data = payload.replace(b"\x00\x00\x03", b"\x00\x00")  # emulation prevention
        self.position = 0

    def bit(self) -> int:
        byte = self.data[self.position >> 3]
        self.position += 1
        return (byte >> (7 - ((self.position - 1) & 7))) & 1

    def bits(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = (value << 1) | self.bit()
        return value

    def ue(self) -> int:
        zeros = 0
        while not self.bit():
            zeros += 1
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        value = self.ue()
        return (value + 1) // 2 if value & 1 else -(value // 2)


def _avcc(record: bytes) -> AvcConfig:
    config = AvcConfig(profile_idc=record[1], level_idc=record[3])
    if len(record) > 8 and record[5] & 0x1F:
        (length,) = struct.unpack_from(">H", record, 6)
        with contextlib.suppress(IndexError):  # a truncated SPS: keep what the record says
            _sps(record[8 + 1 : 8 + length], config)  # after the NAL header byte
    return config


def _skip_scaling_lists(bits: _Bits, count: int) -> None:
    for index in range(count):
        if bits.bit():
            last = next_scale = 8
            for _ in range(16 if index < 6 else 64):
                if next_scale:
                    next_scale = (last + bits.se() + 256) % 256
                last = next_scale or last


def _sps(payload: bytes, config: AvcConfig) -> None:
    """Chroma format, bit depth and frame_mbs_only_flag (progressive) from an SPS."""
    bits = _Bits(payload)
    profile = bits.bits(8)
    bits.bits(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    chroma, depth = 1, 8
    if profile in (100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135):
        chroma = bits.ue()
        if chroma == 3:
            bits.bit()
        depth = 8 + bits.ue()
        bits.ue()  # chroma bit depth
        bits.bit()
        if bits.bit():
            _skip_scaling_lists(bits, 12 if chroma == 3 else 8)
    bits.ue()  # log2_max_frame_num
    order_type = bits.ue()
    if order_type == 0:
        bits.ue()
    elif order_type == 1:
        bits.bit()
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.bit()
    bits.ue()  # width in macroblocks
    bits.ue()  # height in map units
    config.chroma_format, config.bit_depth = chroma, depth
    config.progressive = bool(bits.bit())


def _pixel_format(avc: AvcConfig) -> str | None:
    if avc.chroma_format is None:
        return None
    name = CHROMA_FORMATS.get(avc.chroma_format, "unknown")
    return name if avc.bit_depth == 8 else f"{name}{avc.bit_depth}le"


# --- AAC ----------------------------------------------------------------------------------


def _descriptor(data: bytes, position: int) -> tuple[int, int, int]:
    """(tag, body start, body end) of an MPEG-4 descriptor."""
    tag, position, length = data[position], position + 1, 0
    for _ in range(4):
        byte = data[position]
        position += 1
        length = (length << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return tag, position, position + length


def _mp4a(data: bytes, start: int, end: int) -> AudioConfig:
    (version,) = struct.unpack_from(">H", data, start + 8)
    channels, _, _, _, rate = struct.unpack_from(">HHHHI", data, start + 16)
    config = AudioConfig(channels=channels, sample_rate=rate >> 16)
    children = start + 28 + {1: 16, 2: 36}.get(version, 0)  # QuickTime sound v1/v2 fields
    for kind, body_start, body_end in _boxes(data, children, end):
        if kind == b"esds":
            _esds(data[body_start + 4 : body_end], config)
    return config


def _esds(data: bytes, config: AudioConfig) -> None:
    tag, start, _ = _descriptor(data, 0)
    if tag != 0x03:  # ES_Descriptor
        return
    flags, position = data[start + 2], start + 3
    position += 2 if flags & 0x80 else 0
    position += 1 + data[position] if flags & 0x40 else 0
    position += 2 if flags & 0x20 else 0
    tag, start, _ = _descriptor(data, position)
    if tag != 0x04:  # DecoderConfigDescriptor
        return
    config.object_type = data[start]
    tag, start, _ = _descriptor(data, start + 13)
    if tag == 0x05:  # AudioSpecificConfig: 5 bits object, 4 bits rate index, 4 bits channels
        bits = int.from_bytes(data[start : start + 2], "big")
        config.aac_object, rate_index = bits >> 11, (bits >> 7) & 0x0F
        if rate_index < len(AAC_RATES):
            config.sample_rate = AAC_RATES[rate_index]
        config.channels = (bits >> 3) & 0x0F or config.channels


# --- The report ---------------------------------------------------------------------------


def _read_structure(path: Path, report: VideoReport) -> list[Track]:
    order: list[bytes] = []
    moov = b""
    with path.open("rb") as stream:
        for kind, offset, size in _top_level(stream):
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
        timescale, duration, tracks = _parse_moov(moov)
        report.duration_s = duration / timescale if timescale else 0.0
        video = next((t for t in tracks if t.handler == "vide"), None)
        if video and video.first_chunk is not None and video.first_sample_size:
            stream.seek(video.first_chunk)
            report.closed_gop = _closed_gop(stream.read(min(video.first_sample_size, 1 * MB)))
    return tracks


def _closed_gop(first_sample: bytes) -> bool | None:
    """x264 writes its settings into the first frame; other encoders may not."""
    marker = first_sample.find(b"open_gop=")
    if marker < 0:
        return None
    return first_sample[marker + 9 : marker + 10] == b"0"


def _describe_video(track: Track, report: VideoReport) -> None:
    report.video_codec = {"avc1": "h264", "avc3": "h264", "hvc1": "hevc", "hev1": "hevc"}.get(
        track.codec, track.codec or None
    )
    report.width, report.height = track.width, track.height
    if avc := track.avc:
        report.profile_idc = avc.profile_idc
        report.profile = AVC_PROFILES.get(avc.profile_idc, str(avc.profile_idc))
        report.level = avc.level_idc / 10
        report.pixel_format = _pixel_format(avc)
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
