"""Media the platform simulators download in tests: a second local server that
hosts images and videos the way Gagecast's media URLs do."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from PIL import Image

from sandbox.server import FakeServer, Reply

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4096


def jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def striped_jpeg(size: tuple[int, int]) -> bytes:
    """A colourful image: vertical stripes of saturated colours."""
    image = Image.new("RGB", size)
    colours = [(230, 30, 30), (30, 200, 40), (40, 60, 230), (250, 220, 20)]
    stripe = size[0] // len(colours)
    for index, colour in enumerate(colours):
        image.paste(colour, (index * stripe, 0, (index + 1) * stripe, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class MediaHost:
    server: FakeServer

    def url(self, name: str) -> str:
        return f"{self.server.url}/{name}"

    def fetches(self, name: str) -> int:
        return len(self.server.requests_to(f"/{name}", method="GET"))


@cache
def media_files() -> dict[str, tuple[bytes, str]]:
    """The hosted files by name: (body, Content-Type). Built once per test run."""
    return {
        "feed.jpg": (jpeg((1080, 1350), (200, 120, 40)), "image/jpeg"),
        "square.jpg": (jpeg((1080, 1080), (90, 140, 200)), "image/jpeg"),
        "dark.jpg": (jpeg((1080, 1350), (15, 15, 20)), "image/jpeg"),
        "bright.jpg": (jpeg((1080, 1350), (245, 245, 240)), "image/jpeg"),
        "stripes.jpg": (striped_jpeg((1080, 1080)), "image/jpeg"),
        "wide.jpg": (jpeg((2000, 800), (120, 120, 120)), "image/jpeg"),
        "reel.mp4": (MP4, "video/mp4"),
        "page.html": (b"<html>not an image</html>", "text/html"),
        "empty.jpg": (b"", "image/jpeg"),
    }


@contextmanager
def media_host() -> Iterator[MediaHost]:
    with FakeServer() as server:
        for name, (body, content_type) in media_files().items():
            server.route(
                "GET",
                "/" + re.escape(name),
                lambda request, match, body=body, content_type=content_type: Reply(
                    body=body, content_type=content_type
                ),
            )
        yield MediaHost(server)
