"""A folder over HTTP on 127.0.0.1: what a web server in front of MEDIA_ROOT does.

The benchmarks and the worker tests point PUBLIC_BASE_URL at it, so the platform
simulators fetch the shop's media the way Meta fetches it from a real site.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from sandbox.server import FakeServer, RecordedRequest, Reply


class FileServer(FakeServer):
    """``GET {prefix}/<path>`` answers the file under ``root`` with its type, else 404."""

    def __init__(self, root: Path, *, prefix: str = "/media", **options: Any) -> None:
        super().__init__(**options)
        self.root = Path(root).resolve()
        self.route("GET", rf"{prefix}/(?P<path>.+)", self._file)

    def _file(self, request: RecordedRequest, match: Any) -> Reply:
        path = (self.root / match["path"]).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return Reply(status=404, body="not found")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Reply(body=path.read_bytes(), content_type=mime_type)
