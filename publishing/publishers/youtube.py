"""YouTube Shorts: the video goes up with YouTube Data API v3's resumable upload.

1. ``POST {upload}/videos?uploadType=resumable`` with the video resource opens an
   upload session; its URL is saved (``job.save(container_id=…)``) before any byte
   is sent.
2. The bytes go in ``PUT`` chunks (multiples of 256 KiB) with ``Content-Range``;
   ``308`` + ``Range`` says how far YouTube got, ``200``/``201`` brings the video.
3. A later call with a saved session first asks ``PUT {session}`` with
   ``Content-Range: bytes */{size}`` and resumes from there; ``404``/``410`` means
   the session expired, and a session never finished makes no video, so a new one
   starts.

``job.options`` read here (all optional):

- ``privacy_status``: "public" (default) | "unlisted" | "private";
- ``let_youtube_publish``: true → YouTube publishes at ``job.scheduled_at``
  (``publishAt``, which YouTube only takes on private videos, so privacy is private);
- ``category_id``: YouTube's video category (default "22", People & Blogs).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import requests
from django.utils import timezone

from core.http import http_session
from publishing.publishers.base import (
    Credentials,
    Endpoints,
    ErrorKind,
    Media,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
)

QUOTA_DAY_ZONE = ZoneInfo("America/Los_Angeles")  # YouTube's quota day starts at Pacific midnight
OWNER_ZONE = ZoneInfo("Asia/Seoul")
UPLOAD_QUANTUM = 256 * 1024  # chunk sizes must be multiples of this, but for the last chunk


def next_quota_day(now: dt.datetime | None = None) -> dt.datetime:
    """The next midnight in Los Angeles (when YouTube's daily quotas reset), in UTC."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    tomorrow = now.astimezone(QUOTA_DAY_ZONE).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=QUOTA_DAY_ZONE).astimezone(dt.UTC)


@dataclass(frozen=True)
class GoogleError:
    """Google's error body: ``{"error": {"code", "message", "errors": [{"reason"}]}}``."""

    status: int
    message: str
    reasons: tuple[str, ...]
    retry_after_s: float | None

    @classmethod
    def from_response(cls, response: requests.Response) -> GoogleError:
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(response.status_code, response.text[:300], (), _retry_after(response))
        reasons = tuple(
            str(item.get("reason"))
            for item in error.get("errors") or []
            if isinstance(item, dict) and item.get("reason")
        )
        return cls(
            response.status_code, str(error.get("message", "")), reasons, _retry_after(response)
        )

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    @property
    def detail(self) -> str:
        return f"HTTP {self.status} {self.reason}: {self.message}".replace(" :", ":")


@dataclass(frozen=True)
class VideoStatistics:
    views: int
    likes: int
    comments: int


@dataclass(frozen=True)
class _UploadState:
    """What YouTube says about a session: how many bytes it has, or the finished video."""

    received: int = 0
    video: dict[str, Any] | None = None
    expired: bool = False


class YouTubePublisher(Publisher):
    platform = "youtube_shorts"
    formats = ("short",)

    DEFAULT_CHUNK_SIZE: ClassVar[int] = 32 * 1024 * 1024  # a Short is usually one or two chunks
    TITLE_MAX_CHARS: ClassVar[int] = 100
    DESCRIPTION_MAX_BYTES: ClassVar[int] = 5000
    TAGS_MAX_CHARS: ClassVar[int] = 500  # all tags together; a tag with a space counts its quotes
    DEFAULT_CATEGORY: ClassVar[str] = "22"  # People & Blogs
    PRIVACY_STATUSES: ClassVar[tuple[str, ...]] = ("public", "unlisted", "private")
    SHORTS_TAG: ClassVar[str] = "#Shorts"
    # Reasons (errors[].reason) that mean "no more today": wait for the quota day.
    QUOTA_REASONS: ClassVar[frozenset[str]] = frozenset(
        {"quotaExceeded", "uploadLimitExceeded", "dailyLimitExceeded"}
    )
    # Short-term rate limits (per 100 s / per user): back off briefly, not until midnight.
    RATE_REASONS: ClassVar[frozenset[str]] = frozenset(
        {"rateLimitExceeded", "userRateLimitExceeded"}
    )
    RATE_LIMIT_WAIT_S: ClassVar[float] = 60.0
    # 403s that only the owner can fix by reconnecting (scopes, no channel, closed account).
    ACCOUNT_REASONS: ClassVar[frozenset[str]] = frozenset(
        {
            "insufficientPermissions",
            "youtubeSignupRequired",
            "authenticatedUserAccountClosed",
            "authenticatedUserAccountSuspended",
            "accountDelegationForbidden",
            "forbidden",
        }
    )
    INVALID_METADATA: ClassVar[dict[str, str]] = {
        "invalidTitle": "영상 제목이 YouTube 규칙에 맞지 않습니다(100자 이하, < > 없이).",
        "invalidDescription": "영상 설명이 YouTube 규칙에 맞지 않습니다(5,000바이트 이하, < > 없이).",
        "invalidTags": "영상 태그가 YouTube 규칙에 맞지 않습니다(모두 합쳐 500자 이하).",
        "invalidCategoryId": "영상 카테고리가 올바르지 않습니다.",
        "invalidPublishAt": "YouTube 예약 공개 시각이 올바르지 않습니다(미래 시각이어야 합니다).",
        "invalidVideoMetadata": "영상 정보(제목·설명·태그)가 YouTube 규칙에 맞지 않습니다.",
        "mediaBodyRequired": "YouTube에 영상 파일이 전달되지 않았습니다.",
        "invalidFilename": "영상 파일 이름이 올바르지 않습니다.",
    }
    # The owner's words for videos that uploaded but came back private (unaudited API app).
    LOCKED_PRIVATE_NOTE: ClassVar[str] = (
        "Google 심사를 받지 않은 앱으로 올린 영상은 비공개로 잠깁니다. 영상은 올라갔지만 "
        "지금은 비공개예요: YouTube 스튜디오에서 공개로 바꾸거나, 앱 심사가 끝난 뒤 다시 올려 주세요."
    )

    def __init__(self, *, chunk_size: int | None = None) -> None:
        size = chunk_size or self.DEFAULT_CHUNK_SIZE
        if size <= 0 or size % UPLOAD_QUANTUM:
            raise ValueError(f"YouTube upload chunks must be multiples of {UPLOAD_QUANTUM} bytes")
        self.chunk_size = size

    # --- The interface ----------------------------------------------------------------

    def publish(self, job: PublishJob) -> Published | Pending:
        """Upload ``job``'s video, resuming a saved session; never makes a second video
        for a session that may have finished. Raises PublishError."""
        if job.progress.get("video_id"):  # finished earlier; the service had not recorded it
            return self._published(job, job.progress)
        video, path = self._video(job)
        size = path.stat().st_size
        with http_session() as session:
            state = _UploadState(expired=True)
            if job.container_id and job.progress.get("upload_size") == size:
                state = self._status(session, job, job.container_id, size)
            if state.video is not None:
                return self._finish(job, state.video)
            if state.expired:
                self._start(session, job, video, size)
                state = _UploadState()
            return self._finish(job, self._send(session, job, video, path, size, state.received))

    def find_published(self, job: PublishJob) -> Published | None:
        """The video a saved session finished, if it did (asks YouTube; no upload)."""
        if job.progress.get("video_id"):
            return self._published(job, job.progress)
        size = job.progress.get("upload_size")
        if not job.container_id or not isinstance(size, int):
            return None
        with http_session() as session:
            state = self._status(session, job, job.container_id, size)
        return self._finish(job, state.video) if state.video is not None else None

    def statistics(
        self, *, endpoints: Endpoints, credentials: Credentials, video_ids: Sequence[str]
    ) -> dict[str, VideoStatistics]:
        """Views, likes and comments per video id (videos.list, 50 ids a call, 1 unit each).
        Deleted or private videos are simply absent. Raises PublishError."""
        found: dict[str, VideoStatistics] = {}
        ids = list(dict.fromkeys(video_ids))
        with http_session() as session:
            for start in range(0, len(ids), 50):
                response = _request(
                    session,
                    "GET",
                    f"{endpoints.api}/videos",
                    params={"part": "statistics", "id": ",".join(ids[start : start + 50])},
                    headers=_auth(credentials),
                )
                if response.status_code != 200:
                    raise self._error(GoogleError.from_response(response))
                for item in response.json().get("items") or []:
                    numbers = item.get("statistics") or {}
                    found[item["id"]] = VideoStatistics(
                        views=int(numbers.get("viewCount", 0)),
                        likes=int(numbers.get("likeCount", 0)),
                        comments=int(numbers.get("commentCount", 0)),
                    )
        return found

    # --- The resource -----------------------------------------------------------------

    def resource(self, job: PublishJob) -> dict[str, Any]:
        """The video resource sent when the session opens (snippet and status)."""
        description = _without_angle_brackets(job.text).strip()
        title = _one_line(_without_angle_brackets(job.title)) or _one_line(description)
        snippet: dict[str, Any] = {
            "title": title[: self.TITLE_MAX_CHARS] or self.SHORTS_TAG,
            "description": self._description(description),
            "tags": self._tags(job.tags),
            "categoryId": str(job.options.get("category_id") or self.DEFAULT_CATEGORY),
            "defaultLanguage": "ko",
        }
        privacy = self._asked_privacy(job)
        status: dict[str, Any] = {"privacyStatus": privacy, "selfDeclaredMadeForKids": False}
        publish_at = self._publish_at(job)
        if publish_at is not None:
            status |= {"privacyStatus": "private", "publishAt": _rfc3339(publish_at)}
        return {"snippet": snippet, "status": status}

    def _description(self, text: str) -> str:
        """At most 5,000 bytes, ending with #Shorts unless the text already has it."""
        whole = _cut_bytes(text, self.DESCRIPTION_MAX_BYTES)
        if self.SHORTS_TAG.lower() in whole.lower():
            return whole
        suffix = f"\n\n{self.SHORTS_TAG}" if text else self.SHORTS_TAG
        room = self.DESCRIPTION_MAX_BYTES - len(suffix.encode())
        return f"{_cut_bytes(text, room).rstrip()}{suffix}"

    def _tags(self, tags: Sequence[str]) -> list[str]:
        kept: list[str] = []
        used = 0
        for raw in tags:
            tag = _one_line(_without_angle_brackets(raw).lstrip("#"))
            if not tag or tag in kept:
                continue
            cost = len(tag) + (2 if " " in tag else 0) + (1 if kept else 0)  # quotes, comma
            if used + cost > self.TAGS_MAX_CHARS:
                break
            kept.append(tag)
            used += cost
        return kept

    def _asked_privacy(self, job: PublishJob) -> str:
        privacy = str(job.options.get("privacy_status") or "public")
        return privacy if privacy in self.PRIVACY_STATUSES else "public"

    def _publish_at(self, job: PublishJob) -> dt.datetime | None:
        """When YouTube should publish by itself; None to publish on upload (also when the
        time has passed: YouTube refuses a publishAt in the past)."""
        if not job.options.get("let_youtube_publish") or job.scheduled_at is None:
            return None
        return job.scheduled_at if job.scheduled_at > timezone.now() else None

    # --- The protocol -----------------------------------------------------------------

    def _video(self, job: PublishJob) -> tuple[Media, Path]:
        videos = job.media_of("video")
        if not videos or videos[0].path is None or not videos[0].path.is_file():
            raise PublishError(
                "올릴 영상 파일을 찾지 못했습니다. 콘텐츠에서 영상을 다시 만든 뒤 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail="no local video file for the short",
            )
        return videos[0], videos[0].path

    def _start(self, session: requests.Session, job: PublishJob, video: Media, size: int) -> None:
        """Open an upload session and commit its URL before any byte is sent."""
        resource = self.resource(job)
        with job.call(
            "upload_start", size=size, privacy=resource["status"]["privacyStatus"]
        ) as rec:
            response = _request(
                session,
                "POST",
                f"{job.endpoints.upload}/videos",
                params={"uploadType": "resumable", "part": "snippet,status"},
                data=json.dumps(resource, ensure_ascii=False).encode(),
                headers={
                    **_auth(job.credentials),
                    "Content-Type": "application/json; charset=UTF-8",
                    "X-Upload-Content-Length": str(size),
                    "X-Upload-Content-Type": video.mime_type or "video/mp4",
                },
            )
            rec.status = response.status_code
            location = response.headers.get("Location", "")
            if response.status_code not in (200, 201) or not location:
                raise self._error(GoogleError.from_response(response))
        job.save(
            container_id=location,
            upload_size=size,
            uploaded_bytes=0,
            session_started_at=timezone.now().isoformat(),
            privacy_asked=resource["status"]["privacyStatus"],
            publish_at=resource["status"].get("publishAt", ""),
        )

    def _status(
        self, session: requests.Session, job: PublishJob, session_url: str, size: int
    ) -> _UploadState:
        """Ask YouTube how far the saved session got (``Content-Range: bytes */size``)."""
        with job.call("upload_status", size=size) as rec:
            response = _request(
                session,
                "PUT",
                session_url,
                data=b"",
                headers={**_auth(job.credentials), "Content-Range": f"bytes */{size}"},
            )
            rec.status = response.status_code
            state = self._state(response)
            rec.summary["received"] = state.received
        return state

    def _send(
        self,
        session: requests.Session,
        job: PublishJob,
        video: Media,
        path: Path,
        size: int,
        offset: int,
    ) -> dict[str, Any]:
        """PUT the bytes from ``offset`` on, chunk by chunk, following YouTube's ``Range``."""
        restarted = stalled = 0
        with path.open("rb") as file:
            while True:
                end = min(offset + self.chunk_size, size) - 1
                file.seek(offset)
                chunk = file.read(end - offset + 1)
                last = end == size - 1
                with job.call("upload_chunk", start=offset, end=end, size=size) as rec:
                    response = _request(
                        session,
                        "PUT",
                        job.container_id,
                        data=chunk,
                        headers={
                            **_auth(job.credentials),
                            "Content-Type": video.mime_type or "video/mp4",
                            "Content-Range": f"bytes {offset}-{end}/{size}",
                        },
                        outcome_unknown=last,  # the last chunk makes the video
                    )
                    rec.status = response.status_code
                    state = self._state(response)
                if state.video is not None:
                    return state.video
                if state.expired:  # expired mid-way: the bytes so far made nothing
                    restarted += 1
                    if restarted > 1:
                        raise self._transient("upload session expired twice in a row")
                    self._start(session, job, video, size)
                    offset = 0
                    continue
                stalled = stalled + 1 if state.received <= offset else 0
                if stalled >= 3 or state.received >= size:
                    raise self._transient(f"YouTube holds {state.received} of {size} bytes")
                offset = state.received
                job.save(uploaded_bytes=offset)

    def _state(self, response: requests.Response) -> _UploadState:
        if response.status_code in (200, 201):
            video = response.json()
            if not isinstance(video, dict) or not video.get("id"):
                raise self._transient(f"upload finished without a video id: {response.text[:200]}")
            return _UploadState(video=video)
        if response.status_code == 308:
            return _UploadState(received=_received(response.headers.get("Range", "")))
        if response.status_code in (404, 410):
            return _UploadState(expired=True)
        raise self._error(GoogleError.from_response(response))

    # --- The result -------------------------------------------------------------------

    def _finish(self, job: PublishJob, video: dict[str, Any]) -> Published:
        status = video.get("status") or {}
        job.save(
            video_id=str(video["id"]),
            privacy_status=str(status.get("privacyStatus", "")),
            uploaded_bytes=job.progress.get("upload_size", 0),
        )
        return self._published(job, job.progress)

    def _published(self, job: PublishJob, progress: dict[str, Any]) -> Published:
        video_id = str(progress["video_id"])
        asked = progress.get("privacy_asked") or self._asked_privacy(job)
        note = ""
        if progress.get("publish_at"):
            when = dt.datetime.fromisoformat(str(progress["publish_at"]).replace("Z", "+00:00"))
            note = f"YouTube가 {when.astimezone(OWNER_ZONE):%Y년 %m월 %d일 %H:%M}(한국 시간)에 공개합니다."
        elif progress.get("privacy_status") == "private" and asked != "private":
            note = self.LOCKED_PRIVATE_NOTE
        return Published(
            external_id=video_id, permalink=f"https://youtube.com/shorts/{video_id}", note=note
        )

    # --- Errors -----------------------------------------------------------------------

    def _error(self, error: GoogleError) -> PublishError:
        """Google's error as the owner's sentence and the service's kind of error."""
        reasons = set(error.reasons)
        common = {"detail": error.detail, "status": error.status, "code": error.reason}
        if reasons & self.QUOTA_REASONS:
            resets = next_quota_day()
            when = resets.astimezone(OWNER_ZONE)
            return PublishError(
                "오늘 YouTube에 올릴 수 있는 한도를 다 썼습니다. 한도가 새로 생기는 "
                f"{when:%m월 %d일 %H시}(한국 시간) 이후에 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=max(1.0, (resets - timezone.now()).total_seconds()),
                **common,
            )
        if reasons & self.RATE_REASONS:
            return PublishError(
                "YouTube가 잠시 요청을 줄여 달라고 합니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s or self.RATE_LIMIT_WAIT_S,
                **common,
            )
        if error.status == 401 or (error.status == 403 and reasons & self.ACCOUNT_REASONS):
            return PublishError(
                "YouTube 연결이 만료되었거나 권한이 없습니다. 설정에서 YouTube 계정을 다시 "
                "연결해 주세요(업로드 권한을 허용하고, 채널이 있는 계정으로).",
                kind=ErrorKind.AUTH,
                **common,
            )
        if error.status in (408, 429) or error.status >= 500:
            return PublishError(
                "YouTube가 잠시 응답하지 못했습니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s,
                **common,
            )
        explanation = next(
            (self.INVALID_METADATA[r] for r in error.reasons if r in self.INVALID_METADATA),
            f"YouTube가 영상을 받지 않았습니다({error.message or error.status}).",
        )
        return PublishError(
            f"{explanation} 제목·설명·태그를 고친 뒤 다시 예약해 주세요.",
            kind=ErrorKind.PERMANENT,
            **common,
        )

    def _transient(self, detail: str) -> PublishError:
        return PublishError(
            "YouTube 업로드가 중간에 멈췄습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=detail,
        )


# --- HTTP helpers -------------------------------------------------------------------------


def _request(
    session: requests.Session,
    method: str,
    url: str,
    *,
    outcome_unknown: bool = False,
    **kwargs: Any,
) -> requests.Response:
    """One call; a timeout or dropped connection becomes a transient PublishError."""
    try:
        return session.request(method, url, **kwargs)
    except requests.RequestException as error:
        raise PublishError(
            "YouTube와 연결이 끊겼습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=f"{type(error).__name__}: {error}",
            outcome_unknown=outcome_unknown,
        ) from error


def _auth(credentials: Credentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {credentials.access_token}"}


def _received(range_header: str) -> int:
    """Bytes YouTube holds, from ``Range: bytes=0-1234`` (none: nothing yet)."""
    match = re.fullmatch(r"\s*bytes=0-(\d+)\s*", range_header)
    return int(match[1]) + 1 if match else 0


def _retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds, given as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, math.ceil((when - timezone.now()).total_seconds()))


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without_angle_brackets(text: str) -> str:
    return text.replace("<", "").replace(">", "")


def _one_line(text: str) -> str:
    lines: Iterator[str] = (line.strip() for line in text.splitlines())
    return " ".join(next((line for line in lines if line), "").split())


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")
