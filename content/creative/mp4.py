"""Reading an MP4 (ISO BMFF) file without ffprobe: the top-level boxes, the ``moov``
tree (``mvhd`` duration; per track ``tkhd``, ``edts/elst``, ``mdhd``, ``hdlr`` and the
sample table: ``stsd`` with ``avc1/avcC`` and the H.264 sequence parameter set for
profile, level, chroma format, bit depth and progressive scan, ``mp4a/esds`` for AAC,
``stts`` for the frame rate), and the x264 settings message in the first sample. What
the platforms accept is decided in ``validate``.
"""

from __future__ import annotations

import contextlib
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

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
MAX_MOOV = 64 * 1024 * 1024  # larger is not read: a short video's moov is a few kB


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


def top_level(stream: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
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


def parse_moov(data: bytes) -> tuple[int, int, list[Track]]:
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


def pixel_format(avc: AvcConfig) -> str | None:
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


def closed_gop(first_sample: bytes) -> bool | None:
    """x264 writes its settings into the first frame; other encoders may not."""
    marker = first_sample.find(b"open_gop=")
    if marker < 0:
        return None
    return first_sample[marker + 9 : marker + 10] == b"0"
