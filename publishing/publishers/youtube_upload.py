"""YouTube's resumable upload: one session per video, its URL committed before any
byte is sent, the bytes in chunks, and a later call resuming where YouTube got to.

1. ``POST {upload}/videos?uploadType=resumable`` with the video resource opens an
   upload session; its URL is saved (``job.save(container_id=…)``) before any byte
   is sent.
2. The bytes go in ``PUT`` chunks (multiples of 256 KiB) with ``Content-Range``;
   ``308`` + ``Range`` says how far YouTube got, ``200``/``201`` brings the video.
3. A later call with a saved session first asks ``PUT {session}`` with
   ``Content-Range: bytes */{size}`` and resumes from there. ``404``/``410`` means the
   session expired; a session never finished makes no video, so a new one starts —
   unless the last bytes had gone out (``final_chunk_sent``), when the video may
   exist: the channel's uploads playlist is read first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import requests
from django.utils import timezone

from publishing.publishers.base import ErrorKind, Media, PublishError, PublishJob
from publishing.publishers.youtube_api import (
    GoogleError,
    YouTubeErrors,
    api_get,
    auth,
    google_time,
    request,
    video_resource,
)

UPLOAD_QUANTUM = 256 * 1024  # chunk sizes must be multiples of this, but for the last chunk


@dataclass(frozen=True)
class UploadState:
    """What YouTube says about a session: how many bytes it has, or the finished video."""

    received: int = 0
    video: dict[str, Any] | None = None
    expired: bool = False


def video_of(job: PublishJob) -> Media:
    videos = job.media_of("video")
    if not videos or not (_local_file(videos[0]) or videos[0].url):
        raise PublishError(
            "올릴 영상 파일을 찾지 못했습니다. 콘텐츠에서 영상을 다시 만든 뒤 예약해 주세요.",
            kind=ErrorKind.PERMANENT,
            detail="no video file or URL for the short",
        )
    return videos[0]


class ResumableUpload:
    """One job's upload session on one HTTP session. ``resource`` gives the video
    resource (snippet and status) sent when a session opens."""

    CLOCK_SLACK: ClassVar[dt.timedelta] = dt.timedelta(minutes=10)  # our clock vs Google's

    def __init__(
        self,
        session: requests.Session,
        job: PublishJob,
        *,
        resource: Callable[[], dict[str, Any]],
        chunk_size: int,
    ) -> None:
        self.session = session
        self.job = job
        self.resource = resource
        self.chunk_size = chunk_size

    @contextmanager
    def video_bytes(self, video: Media) -> Iterator[tuple[BinaryIO, int]]:
        """The video's bytes and size: the local file, or (remote storage) a copy
        downloaded from its URL for the length of this call."""
        local = _local_file(video)
        if local is not None:
            with local.open("rb") as file:
                yield file, local.stat().st_size
            return
        with tempfile.TemporaryFile() as file:
            response = request(self.session, "GET", video.url, stream=True)
            if response.status_code != 200:
                gone = response.status_code in (403, 404, 410)
                raise PublishError(
                    "올릴 영상 파일을 내려받지 못했습니다. 콘텐츠에서 영상을 다시 만든 뒤 예약해 주세요."
                    if gone
                    else "영상 파일을 잠시 내려받지 못했습니다. 잠시 뒤 다시 올릴게요.",
                    kind=ErrorKind.PERMANENT if gone else ErrorKind.TRANSIENT,
                    detail=f"GET {video.url}: HTTP {response.status_code}",
                    status=response.status_code,
                )
            try:
                for block in response.iter_content(1024 * 1024):
                    file.write(block)
            except requests.RequestException as error:
                raise YouTubeErrors.stalled(f"video download broke off: {error}") from error
            yield file, file.tell()

    def start(self, video: Media, size: int) -> None:
        """Open an upload session and commit its URL before any byte is sent."""
        resource = self.resource()
        status = resource["status"]
        with self.job.call("upload_start", size=size, privacy=status["privacyStatus"]) as rec:
            response = request(
                self.session,
                "POST",
                f"{self.job.endpoints.upload}/videos",
                params={"uploadType": "resumable", "part": "snippet,status"},
                data=json.dumps(resource, ensure_ascii=False).encode(),
                headers={
                    **auth(self.job.credentials),
                    "Content-Type": "application/json; charset=UTF-8",
                    "X-Upload-Content-Length": str(size),
                    "X-Upload-Content-Type": video.mime_type or "video/mp4",
                },
            )
            rec.status = response.status_code
            location = response.headers.get("Location", "")
            if response.status_code not in (200, 201) or not location:
                raise YouTubeErrors.from_google(GoogleError.from_response(response))
        self.job.save(
            container_id=location,
            upload_size=size,
            uploaded_bytes=0,
            final_chunk_sent=False,
            session_started_at=timezone.now().isoformat(),
            title=resource["snippet"]["title"],
            privacy_asked=status["privacyStatus"],
            publish_at=status.get("publishAt", ""),
        )

    def where_it_stands(self) -> UploadState:
        """The saved session's state ("expired" when there is none). A session gone after
        its last bytes went out may still have made the video: look in the uploads."""
        size = self.job.progress.get("upload_size")
        if not self.job.container_id or not isinstance(size, int):
            return UploadState(expired=True)
        with self.job.call("upload_status", size=size) as rec:
            response = request(
                self.session,
                "PUT",
                self.job.container_id,
                data=b"",
                headers={**auth(self.job.credentials), "Content-Range": f"bytes */{size}"},
            )
            rec.status = response.status_code
            state = self._state(response)
            rec.summary["received"] = state.received
        if state.expired and self.job.progress.get("final_chunk_sent"):
            found = self._find_in_uploads()
            if found is not None:
                return UploadState(video=found)
        return state

    def send(
        self,
        video: Media,
        file: BinaryIO,
        size: int,
        offset: int,
    ) -> dict[str, Any]:
        """PUT the bytes from ``offset`` on, chunk by chunk, following YouTube's ``Range``."""
        restarted = stalled = 0
        while True:
            end = min(offset + self.chunk_size, size) - 1
            last = end == size - 1
            if last and not self.job.progress.get("final_chunk_sent"):
                self.job.save(final_chunk_sent=True)  # from here on the video may exist
            file.seek(offset)
            chunk = file.read(end - offset + 1)
            with self.job.call("upload_chunk", start=offset, end=end, size=size) as rec:
                try:
                    response = request(
                        self.session,
                        "PUT",
                        self.job.container_id,
                        data=chunk,
                        headers={
                            **auth(self.job.credentials),
                            "Content-Type": video.mime_type or "video/mp4",
                            "Content-Range": f"bytes {offset}-{end}/{size}",
                        },
                    )
                    rec.status = response.status_code
                    state = self._state(response)
                except PublishError as error:
                    error.outcome_unknown = last  # the last chunk may have made the video
                    raise
                rec.summary["received"] = state.received
            if state.video is not None:
                return state.video
            if state.expired:  # expired mid-way: the bytes so far made nothing
                restarted += 1
                if restarted > 1:
                    raise YouTubeErrors.stalled("the upload session expired twice in one call")
                self.start(video, size)
                offset = 0
                continue
            stalled = stalled + 1 if state.received <= offset else 0
            if stalled >= 3 or state.received >= size:
                raise YouTubeErrors.stalled(f"YouTube holds {state.received} of {size} bytes")
            offset = state.received
            self.job.save(uploaded_bytes=offset)

    def _state(self, response: requests.Response) -> UploadState:
        if response.status_code in (200, 201):
            video = response.json()
            if not isinstance(video, dict) or not video.get("id"):
                raise YouTubeErrors.stalled(
                    f"upload finished without a video id: {response.text[:200]}"
                )
            return UploadState(video=video)
        if response.status_code == 308:
            return UploadState(received=_received(response.headers.get("Range", "")))
        if response.status_code in (404, 410):
            return UploadState(expired=True)
        raise YouTubeErrors.from_google(GoogleError.from_response(response))

    def _find_in_uploads(self) -> dict[str, Any] | None:
        """Our video among the channel's newest uploads: same title, made since the
        session opened (channels.list + playlistItems.list, 1 quota unit each)."""
        channels = api_get(
            self.session,
            self.job.endpoints,
            self.job.credentials,
            "channels",
            {"part": "contentDetails", "mine": "true"},
            job=self.job,
        )
        items = channels.get("items") or [{}]
        uploads = items[0].get("contentDetails", {}).get("relatedPlaylists", {}).get("uploads")
        if not uploads:
            return None
        playlist = api_get(
            self.session,
            self.job.endpoints,
            self.job.credentials,
            "playlistItems",
            {"part": "snippet", "playlistId": uploads, "maxResults": "10"},
            job=self.job,
        )
        since = dt.datetime.fromisoformat(str(self.job.progress["session_started_at"]))
        for item in playlist.get("items") or []:
            snippet = item.get("snippet") or {}
            added = google_time(snippet.get("publishedAt"))
            if (
                snippet.get("title") == self.job.progress.get("title")
                and added is not None
                and added >= since - self.CLOCK_SLACK
            ):
                video_id = str((snippet.get("resourceId") or {}).get("videoId", ""))
                return video_resource(self.session, self.job, video_id) if video_id else None
        return None


def _local_file(video: Media) -> Path | None:
    return video.path if video.path is not None and video.path.is_file() else None


def _received(range_header: str) -> int:
    """Bytes YouTube holds, from ``Range: bytes=0-1234`` (none: nothing yet)."""
    match = re.fullmatch(r"\s*bytes=0-(\d+)\s*", range_header)
    return int(match[1]) + 1 if match else 0
