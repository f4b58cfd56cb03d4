"""What a platform sees of a post's media: it downloads the URL and looks at it.

Meta fetches ``image_url``/``video_url`` itself; the simulators do the same with
a short timeout, check the answer (status 200, an image/* or video/* type, a
sane size) and, for images, measure what the audience model reacts to
(brightness, colourfulness, aspect ratio). By default only loopback URLs are
fetched: the sandbox never sends traffic off the machine.
"""

from __future__ import annotations

import io
import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

MAX_IMAGE_BYTES = 8 * 1024 * 1024  # Instagram: ≤ 8 MiB
MAX_VIDEO_BYTES = 300 * 1024 * 1024  # Reels: ≤ 300 MB (sources say 300 MB or 1 GB)
SNIFF_BYTES = 64 * 1024  # what is kept of a video: the start is enough to sniff it
ANALYSIS_SIZE = (64, 64)


class MediaFetchError(Exception):
    """The platform could not use the media. ``reason``: ``unreachable``, ``timeout``,
    ``status``, ``type``, ``empty``, ``too_large`` or ``not_loopback``."""

    def __init__(self, reason: str, message: str, url: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.url = url


@dataclass(frozen=True)
class MediaStats:
    """One fetched medium as the platform saw it."""

    url: str
    content_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    brightness: float | None = None  # mean luma, 0 (black) … 1 (white)
    colourfulness: float | None = (
        None  # Hasler–Süsstrunk M / 100: 0 grey, ≈ 0.3 average, ≥ 0.6 vivid
    )

    @property
    def aspect_ratio(self) -> float | None:
        if not self.width or not self.height:
            return None
        return self.width / self.height

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "content_type": self.content_type,
            "size_bytes": self.size_bytes,
            "width": self.width,
            "height": self.height,
            "brightness": self.brightness,
            "colourfulness": self.colourfulness,
        }


def fetch_media(
    url: str,
    *,
    expect: str,
    timeout_s: float = 5.0,
    max_bytes: int | None = None,
    loopback_only: bool = True,
) -> MediaStats:
    """GET ``url`` the way the platform would and describe what came back.

    ``expect``: ``"image"`` or ``"video"``. Raises MediaFetchError (with ``url`` set).
    """
    try:
        return _fetch(url, expect, timeout_s, max_bytes, loopback_only)
    except MediaFetchError as error:
        error.url = url
        raise


def _fetch(
    url: str, expect: str, timeout_s: float, max_bytes: int | None, loopback_only: bool
) -> MediaStats:
    limit = (
        max_bytes
        if max_bytes is not None
        else (MAX_IMAGE_BYTES if expect == "image" else MAX_VIDEO_BYTES)
    )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaFetchError("unreachable", f"not an http(s) URL: {url!r}")
    if loopback_only and not _is_loopback(parts.hostname):
        raise MediaFetchError(
            "not_loopback",
            f"the sandbox only fetches media from this machine, not {parts.hostname}",
        )
    deadline = time.monotonic() + timeout_s
    try:
        with requests.get(url, stream=True, timeout=timeout_s, allow_redirects=False) as response:
            if response.status_code != 200:
                raise MediaFetchError(
                    "status", f"the media URL answered HTTP {response.status_code}"
                )
            content_type = (
                (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            )
            if not content_type.startswith(f"{expect}/"):
                raise MediaFetchError(
                    "type", f"the media URL sent {content_type or 'no type'}, not {expect}/*"
                )
            kept, size = _read(response, limit, expect, deadline)
    except requests.Timeout as error:
        raise MediaFetchError("timeout", "it takes too long to download the media") from error
    except requests.RequestException as error:
        raise MediaFetchError(
            "unreachable", f"the media URL could not be fetched: {error}"
        ) from error
    if size == 0:
        raise MediaFetchError("empty", "the media URL sent an empty body")
    if expect != "image":
        return MediaStats(url, content_type, size)
    return analyse_image(kept, url=url, content_type=content_type)


def analyse_image(data: bytes, *, url: str = "", content_type: str = "image/jpeg") -> MediaStats:
    """Size, brightness and colourfulness of an image; only the byte count when it
    does not decode (a test's stand-in bytes are still a valid upload)."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.draft("RGB", ANALYSIS_SIZE)  # JPEG: decode at a fraction of the size
            small = image.convert("RGB").resize(ANALYSIS_SIZE)
    except Exception:  # anything Pillow cannot read
        return MediaStats(url, content_type, len(data))
    pixels = list(small.getdata())
    brightness = sum(0.299 * r + 0.587 * g + 0.114 * b for r, g, b in pixels) / (255 * len(pixels))
    return MediaStats(
        url,
        content_type,
        len(data),
        width=width,
        height=height,
        brightness=round(brightness, 4),
        colourfulness=round(_colourfulness(pixels), 4),
    )


def _colourfulness(pixels: list[tuple[int, int, int]]) -> float:
    # Hasler & Süsstrunk (2003): spread and mean of the opponent channels rg and yb.
    rg = [r - g for r, g, _ in pixels]
    yb = [0.5 * (r + g) - b for r, g, b in pixels]
    spread = math.hypot(_std(rg), _std(yb))
    mean = math.hypot(sum(rg) / len(rg), sum(yb) / len(yb))
    return (spread + 0.3 * mean) / 100


def _std(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))


def _read(
    response: requests.Response, limit: int, expect: str, deadline: float
) -> tuple[bytes, int]:
    kept = bytearray()
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > limit:
            raise MediaFetchError("too_large", f"the media is larger than {limit} bytes")
        if expect == "image" or len(kept) < SNIFF_BYTES:
            kept.extend(chunk)
        if time.monotonic() > deadline:
            raise MediaFetchError("timeout", "it takes too long to download the media")
    return bytes(kept), size


class Mp4Duration:
    """The duration an MP4's movie header (``mvhd``) declares, read from bytes fed in
    order (an upload's chunks, hashed and not kept): ``seconds`` stays None until a
    plausible header has gone by (moov before or after mdat, split across chunks or not)."""

    LONGEST_S = 12 * 3600.0  # a "header" beyond this is a chance match inside the media
    _AFTER = 32  # bytes after the box type a version-1 header needs

    def __init__(self) -> None:
        self.seconds: float | None = None
        self._tail = b""

    def feed(self, data: bytes) -> None:
        if self.seconds is not None or not data:
            return
        buffer = self._tail + data
        at = buffer.find(b"mvhd")
        while at >= 0:
            header = buffer[at + 4 : at + 4 + self._AFTER]
            if len(header) < (32 if header[:1] == b"\x01" else 20):
                self._tail = buffer[at:]  # the rest of this header comes with the next chunk
                return
            seconds = _mvhd_seconds(header)
            if seconds is not None and 0 < seconds <= self.LONGEST_S:
                self.seconds = seconds
                self._tail = b""
                return
            at = buffer.find(b"mvhd", at + 1)
        self._tail = buffer[-3:]  # a box type split across two chunks


def _mvhd_seconds(header: bytes) -> float | None:
    """Duration / timescale of an ``mvhd`` body (version 0: 32-bit times; 1: 64-bit)."""
    if header[:1] == b"\x00" and len(header) >= 20:
        timescale, duration = int.from_bytes(header[12:16]), int.from_bytes(header[16:20])
    elif header[:1] == b"\x01" and len(header) >= 32:
        timescale, duration = int.from_bytes(header[20:24]), int.from_bytes(header[24:32])
    else:
        return None
    if header[1:4] != b"\x00\x00\x00" or not timescale:
        return None
    return duration / timescale


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
