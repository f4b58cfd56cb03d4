"""Real media files for upload tests: images from Pillow, WAV from the stdlib, and
m4a/mp3/ogg/mp4 encoded by the ffmpeg that imageio-ffmpeg ships (a few ms each)."""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile
import wave
import zlib
from functools import cache
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
from PIL import Image


def image_bytes(
    fmt: str = "JPEG",
    *,
    mode: str = "RGB",
    size: tuple[int, int] = (64, 48),
    color: str | tuple[int, ...] = "orange",
) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def noisy_jpeg(size: tuple[int, int] = (256, 256)) -> bytes:
    """A JPEG with real entropy-coded data (so cutting it loses pixels)."""
    noise = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = BytesIO()
    noise.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def wav_bytes(seconds: float, *, rate: int = 16_000) -> bytes:
    """Silence as 16-bit mono PCM."""
    buffer = BytesIO()
    with wave.open(buffer, "wb") as memo:
        memo.setnchannels(1)
        memo.setsampwidth(2)
        memo.setframerate(rate)
        memo.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


SINE = "-f lavfi -i sine=frequency=440:sample_rate=16000"
SILENCE = "-f lavfi -i anullsrc=r=16000:cl=mono"
FFMPEG_RECIPES = {
    "m4a": f"{SINE} -c:a aac".split(),
    "mp3": f"{SINE} -c:a libmp3lame".split(),
    "ogg": f"{SILENCE} -c:a libopus".split(),
    "mp4": f"-f lavfi -i color=c=black:s=64x64:r=5 {SILENCE} -c:v mpeg4 -c:a aac".split(),
}


@cache
def ffmpeg_audio(extension: str, seconds: float = 2.0) -> bytes:
    """``seconds`` of audio (an mp4 also has a video track) encoded by real ffmpeg."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"out.{extension}"
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error"]
        command += [*FFMPEG_RECIPES[extension], "-t", str(seconds), "-y", str(target)]
        subprocess.run(command, check=True, capture_output=True, timeout=30)
        return target.read_bytes()
