"""YouTube Shorts: the video goes up with YouTube Data API v3's resumable upload.

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
4. A video YouTube is still processing (``uploadStatus: uploaded``) is ``Pending``;
   the next call reads its status (videos.list) until it is ``processed``.

``job.options`` read here (all optional):

- ``privacy_status``: "public" (default) | "unlisted" | "private";
- ``let_youtube_publish``: true → YouTube publishes at ``job.scheduled_at``
  (``publishAt``, which YouTube only takes on private videos, so privacy is private);
- ``category_id``: YouTube's video category (default "22", People & Blogs).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils import timezone

from core.http import http_session, retry_after_s
from publishing.publishers.base import (
    CallRecord,
    Credentials,
    Endpoints,
    ErrorKind,
    Media,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
    QuotaDay,
    QuotaRule,
)
from publishing.publishers.post import PostContent, assets_by_role

if TYPE_CHECKING:
    from content.models import ContentPiece

QUOTA_DAY = QuotaDay(ZoneInfo("America/Los_Angeles"))  # YouTube's quotas reset at Pacific midnight
OWNER_ZONE = ZoneInfo("Asia/Seoul")
UPLOAD_QUANTUM = 256 * 1024  # chunk sizes must be multiples of this, but for the last chunk


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
            return cls(response.status_code, response.text[:300], (), retry_after_s(response))
        reasons = tuple(
            str(item.get("reason"))
            for item in error.get("errors") or []
            if isinstance(item, dict) and item.get("reason")
        )
        return cls(
            response.status_code, str(error.get("message", "")), reasons, retry_after_s(response)
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
    # Uploads per day for the whole Cloud project (every API account shares it).
    quota = QuotaRule(
        "YOUTUBE_UPLOADS_PER_DAY",
        "유튜브 업로드 한도(하루 {limit}개)를 다 썼어요",
        QUOTA_DAY,
        per_project=True,
    )
    media_needed = {"short": 1}

    DEFAULT_CHUNK_SIZE: ClassVar[int] = 32 * 1024 * 1024  # a Short is usually one or two chunks
    PROCESSING_POLL_S: ClassVar[float] = 30.0
    CLOCK_SLACK: ClassVar[dt.timedelta] = dt.timedelta(minutes=10)  # our clock vs Google's
    TITLE_MAX_CHARS: ClassVar[int] = 100
    DESCRIPTION_MAX_BYTES: ClassVar[int] = 5000
    TAGS_MAX_CHARS: ClassVar[int] = 500  # all tags together; a tag with a space counts its quotes
    DEFAULT_CATEGORY: ClassVar[str] = "22"  # People & Blogs
    PRIVACY_STATUSES: ClassVar[tuple[str, ...]] = ("public", "unlisted", "private")
    SHORTS_TAG: ClassVar[str] = "#Shorts"
    # Reasons (errors[].reason) that mean "no more today": wait for the quota day.
    # (uploadLimitExceeded comes as a 400: the reason decides, not the status.)
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
        "invalidVideoMetadata": "영상 정보(제목·설명·태그·공개 범위)가 YouTube 규칙에 맞지 않습니다.",
        "mediaBodyRequired": "YouTube에 영상 파일이 전달되지 않았습니다.",
        "invalidContentType": "YouTube가 받지 않는 영상 형식입니다(MP4로 만들어 주세요).",
    }
    # status.failureReason / rejectionReason of a video YouTube would not keep.
    UPLOAD_FAILURES: ClassVar[dict[str, str]] = {
        "codec": "YouTube가 영상의 코덱을 읽지 못했습니다",
        "conversion": "YouTube가 영상을 변환하지 못했습니다",
        "emptyFile": "영상 파일이 비어 있습니다",
        "invalidFile": "영상 파일이 올바르지 않습니다",
        "tooSmall": "영상 파일이 너무 작습니다",
        "uploadAborted": "업로드가 중간에 취소되었습니다",
        "duplicate": "같은 영상이 이미 채널에 있어 YouTube가 거절했습니다",
        "length": "영상이 YouTube가 허용하는 길이보다 깁니다",
        "copyright": "저작권 문제로 YouTube가 거절했습니다",
        "inappropriate": "YouTube 정책에 맞지 않아 거절되었습니다",
        "termsOfUse": "YouTube 이용약관에 맞지 않아 거절되었습니다",
    }
    # The owner's words for videos that uploaded but came back private (unaudited API app).
    LOCKED_PRIVATE_NOTE: ClassVar[str] = (
        "Google 심사를 받지 않은 앱으로 올린 영상은 비공개로 잠깁니다. 영상은 올라갔지만 "
        "지금은 비공개예요: YouTube 스튜디오에서 공개로 바꾸거나, 앱 심사가 끝난 뒤 다시 올려 주세요."
    )
    PROCESSING_NOTE: ClassVar[str] = (
        "YouTube가 영상을 처리하고 있어요. 끝나면 자동으로 게시 완료로 바뀝니다."
    )

    def __init__(self, *, chunk_size: int | None = None) -> None:
        size = chunk_size or self.DEFAULT_CHUNK_SIZE
        if size <= 0 or size % UPLOAD_QUANTUM:
            raise ValueError(f"YouTube upload chunks must be multiples of {UPLOAD_QUANTUM} bytes")
        self.chunk_size = size

    # --- The interface ----------------------------------------------------------------

    @classmethod
    def endpoints(cls, sandbox: bool) -> Endpoints:
        if sandbox:
            root = settings.SANDBOX_YOUTUBE_URL.rstrip("/")
            return Endpoints(
                api=f"{root}/youtube/v3", upload=f"{root}/upload/youtube/v3", token=f"{root}/token"
            )
        return Endpoints(
            api=settings.YOUTUBE_API_URL,
            upload=settings.YOUTUBE_UPLOAD_URL,
            token=settings.GOOGLE_TOKEN_URL,
        )

    @classmethod
    def post(cls, piece: ContentPiece) -> PostContent:
        fields, assets = piece.fields or {}, assets_by_role(piece)
        media = [("video", assets["short"])] if "short" in assets else []
        media += [("thumbnail", assets["thumbnail"])] if "thumbnail" in assets else []
        return PostContent(
            format="short",
            text=piece.body,
            title=fields.get("title") or piece.title,
            tags=list(fields.get("tags") or []),
            assets=media,
        )

    def publish(self, job: PublishJob) -> Published | Pending:
        """Upload ``job``'s video, resuming a saved session, then wait for processing.
        Never makes a second video while an earlier one may exist. Raises PublishError."""
        with http_session() as session:
            video_id = job.progress.get("video_id")
            if video_id:  # uploaded earlier: only its processing is left to watch
                if job.progress.get("upload_status") == "processed":
                    return self._published(job)
                return self._finish(job, self._video_resource(session, job, str(video_id)))
            video = self._video(job)
            state = self._where_upload_stands(session, job)
            if state.video is not None:
                return self._finish(job, state.video)
            with self._video_bytes(session, video) as (file, size):
                if state.expired or job.progress.get("upload_size") != size:
                    # No session, an expired one or a new file: the old one made no video.
                    self._start(session, job, video, size)
                    state = _UploadState()
                uploaded = self._send(session, job, video, file, size, state.received)
            return self._finish(job, uploaded)

    def find_published(self, job: PublishJob) -> Published | None:
        """The video this job's upload made, if YouTube has it (no bytes are sent)."""
        if job.progress.get("video_id"):
            return self._published(job)
        with http_session() as session:
            state = self._where_upload_stands(session, job)
        if state.video is None or self._failure(state.video):
            return None
        self._remember(job, state.video)
        return self._published(job)

    def statistics(
        self, *, endpoints: Endpoints, credentials: Credentials, video_ids: Sequence[str]
    ) -> dict[str, VideoStatistics]:
        """Views, likes and comments per video id (videos.list, 50 ids a call, 1 unit each).
        Deleted or private videos are simply absent. Raises PublishError."""
        found: dict[str, VideoStatistics] = {}
        ids = list(dict.fromkeys(video_ids))
        with http_session() as session:
            for start in range(0, len(ids), 50):
                body = self._api_get(
                    session,
                    endpoints,
                    credentials,
                    "videos",
                    {"part": "statistics", "id": ",".join(ids[start : start + 50])},
                )
                for item in body.get("items") or []:
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
            "title": title[: self.TITLE_MAX_CHARS].strip() or self.SHORTS_TAG,
            "description": self._description(description),
            "tags": self._tags(job.tags),
            "categoryId": str(job.options.get("category_id") or self.DEFAULT_CATEGORY),
            "defaultLanguage": "ko",
        }
        status: dict[str, Any] = {
            "privacyStatus": self._asked_privacy(job),
            "selfDeclaredMadeForKids": False,
        }
        publish_at = self._publish_at(job)
        if publish_at is not None:  # YouTube takes publishAt on private videos only
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

    # --- The upload -------------------------------------------------------------------

    def _video(self, job: PublishJob) -> Media:
        videos = job.media_of("video")
        if not videos or not (_local_file(videos[0]) or videos[0].url):
            raise PublishError(
                "올릴 영상 파일을 찾지 못했습니다. 콘텐츠에서 영상을 다시 만든 뒤 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail="no video file or URL for the short",
            )
        return videos[0]

    @contextmanager
    def _video_bytes(
        self, session: requests.Session, video: Media
    ) -> Iterator[tuple[BinaryIO, int]]:
        """The video's bytes and size: the local file, or (remote storage) a copy
        downloaded from its URL for the length of this call."""
        local = _local_file(video)
        if local is not None:
            with local.open("rb") as file:
                yield file, local.stat().st_size
            return
        with tempfile.TemporaryFile() as file:
            response = _request(session, "GET", video.url, stream=True)
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
                raise self._stalled(f"video download broke off: {error}") from error
            yield file, file.tell()

    def _start(self, session: requests.Session, job: PublishJob, video: Media, size: int) -> None:
        """Open an upload session and commit its URL before any byte is sent."""
        resource = self.resource(job)
        status = resource["status"]
        with job.call("upload_start", size=size, privacy=status["privacyStatus"]) as rec:
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
            final_chunk_sent=False,
            session_started_at=timezone.now().isoformat(),
            title=resource["snippet"]["title"],
            privacy_asked=status["privacyStatus"],
            publish_at=status.get("publishAt", ""),
        )

    def _where_upload_stands(self, session: requests.Session, job: PublishJob) -> _UploadState:
        """The saved session's state ("expired" when there is none). A session gone after
        its last bytes went out may still have made the video: look in the uploads."""
        size = job.progress.get("upload_size")
        if not job.container_id or not isinstance(size, int):
            return _UploadState(expired=True)
        with job.call("upload_status", size=size) as rec:
            response = _request(
                session,
                "PUT",
                job.container_id,
                data=b"",
                headers={**_auth(job.credentials), "Content-Range": f"bytes */{size}"},
            )
            rec.status = response.status_code
            state = self._state(response)
            rec.summary["received"] = state.received
        if state.expired and job.progress.get("final_chunk_sent"):
            found = self._find_in_uploads(session, job)
            if found is not None:
                return _UploadState(video=found)
        return state

    def _send(
        self,
        session: requests.Session,
        job: PublishJob,
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
            if last and not job.progress.get("final_chunk_sent"):
                job.save(final_chunk_sent=True)  # from here on the video may exist
            file.seek(offset)
            chunk = file.read(end - offset + 1)
            with job.call("upload_chunk", start=offset, end=end, size=size) as rec:
                try:
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
                    raise self._stalled("the upload session expired twice in one call")
                self._start(session, job, video, size)
                offset = 0
                continue
            stalled = stalled + 1 if state.received <= offset else 0
            if stalled >= 3 or state.received >= size:
                raise self._stalled(f"YouTube holds {state.received} of {size} bytes")
            offset = state.received
            job.save(uploaded_bytes=offset)

    def _state(self, response: requests.Response) -> _UploadState:
        if response.status_code in (200, 201):
            video = response.json()
            if not isinstance(video, dict) or not video.get("id"):
                raise self._stalled(f"upload finished without a video id: {response.text[:200]}")
            return _UploadState(video=video)
        if response.status_code == 308:
            return _UploadState(received=_received(response.headers.get("Range", "")))
        if response.status_code in (404, 410):
            return _UploadState(expired=True)
        raise self._error(GoogleError.from_response(response))

    # --- Reading the channel ----------------------------------------------------------

    def _find_in_uploads(self, session: requests.Session, job: PublishJob) -> dict[str, Any] | None:
        """Our video among the channel's newest uploads: same title, made since the
        session opened (channels.list + playlistItems.list, 1 quota unit each)."""
        channels = self._api_get(
            session,
            job.endpoints,
            job.credentials,
            "channels",
            {"part": "contentDetails", "mine": "true"},
            job=job,
        )
        items = channels.get("items") or [{}]
        uploads = items[0].get("contentDetails", {}).get("relatedPlaylists", {}).get("uploads")
        if not uploads:
            return None
        playlist = self._api_get(
            session,
            job.endpoints,
            job.credentials,
            "playlistItems",
            {"part": "snippet", "playlistId": uploads, "maxResults": "10"},
            job=job,
        )
        since = dt.datetime.fromisoformat(str(job.progress["session_started_at"]))
        for item in playlist.get("items") or []:
            snippet = item.get("snippet") or {}
            added = _google_time(snippet.get("publishedAt"))
            if (
                snippet.get("title") == job.progress.get("title")
                and added is not None
                and added >= since - self.CLOCK_SLACK
            ):
                video_id = str((snippet.get("resourceId") or {}).get("videoId", ""))
                return self._video_resource(session, job, video_id) if video_id else None
        return None

    def _video_resource(
        self, session: requests.Session, job: PublishJob, video_id: str
    ) -> dict[str, Any]:
        body = self._api_get(
            session,
            job.endpoints,
            job.credentials,
            "videos",
            {"part": "status", "id": video_id},
            job=job,
        )
        for item in body.get("items") or []:
            if item.get("id") == video_id:
                return item
        raise PublishError(
            "YouTube에서 올린 영상을 찾을 수 없습니다(채널에서 삭제되었을 수 있어요). "
            "채널을 확인한 뒤 다시 예약해 주세요.",
            kind=ErrorKind.PERMANENT,
            detail=f"videos.list found no video {video_id}",
            code="videoNotFound",
        )

    def _api_get(
        self,
        session: requests.Session,
        endpoints: Endpoints,
        credentials: Credentials,
        resource: str,
        params: dict[str, str],
        *,
        job: PublishJob | None = None,
    ) -> dict[str, Any]:
        """One read of the Data API (recorded when it serves a job). Raises PublishError."""
        recording: AbstractContextManager[CallRecord] = (
            job.call(f"{resource}_list", **params) if job else nullcontext(CallRecord())
        )
        with recording as rec:
            response = _request(
                session,
                "GET",
                f"{endpoints.api}/{resource}",
                params=params,
                headers=_auth(credentials),
            )
            rec.status = response.status_code
            if response.status_code != 200:
                raise self._error(GoogleError.from_response(response))
            body = response.json()
        return body if isinstance(body, dict) else {}

    # --- The result -------------------------------------------------------------------

    def _finish(self, job: PublishJob, video: dict[str, Any]) -> Published | Pending:
        """Published once YouTube has processed the video; Pending while it works."""
        failure = self._failure(video)
        if failure:
            # A later try (after the owner fixes the video) starts a new upload.
            job.save(
                container_id="",
                upload_size=None,
                final_chunk_sent=False,
                failed_video_id=str(video["id"]),
            )
            raise PublishError(
                f"{failure}. 콘텐츠에서 영상을 다시 만든 뒤 다시 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail=json.dumps(video.get("status") or {}, ensure_ascii=False),
                code=str((video.get("status") or {}).get("uploadStatus", "")),
            )
        self._remember(job, video)
        if job.progress.get("upload_status") == "uploaded":
            return Pending(poll_after_s=self.PROCESSING_POLL_S, note=self.PROCESSING_NOTE)
        return self._published(job)

    def _failure(self, video: dict[str, Any]) -> str:
        """The owner's words for a video YouTube failed or rejected; "" when it is fine."""
        status = video.get("status") or {}
        if status.get("uploadStatus") not in ("failed", "rejected", "deleted"):
            return ""
        reason = str(status.get("failureReason") or status.get("rejectionReason") or "")
        return self.UPLOAD_FAILURES.get(reason, f"YouTube가 영상을 받지 않았습니다({reason})")

    def _remember(self, job: PublishJob, video: dict[str, Any]) -> None:
        status = video.get("status") or {}
        job.save(
            video_id=str(video["id"]),
            # A resource without status (no "status" part) counts as done.
            upload_status=str(status.get("uploadStatus") or "processed"),
            privacy_status=str(status.get("privacyStatus", "")),
            uploaded_bytes=job.progress.get("upload_size", 0),
        )

    def _published(self, job: PublishJob) -> Published:
        progress = job.progress
        video_id = str(progress["video_id"])
        asked = progress.get("privacy_asked") or self._asked_privacy(job)
        note = ""
        if progress.get("publish_at"):
            when = _google_time(progress["publish_at"])
            if when is not None:
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
        common = {"detail": error.detail, "status": error.status}
        if reasons & self.QUOTA_REASONS:
            resets = QUOTA_DAY.frees_at(timezone.now())
            # code "quota": the service waits for the quota day without spending attempts.
            return PublishError(
                "오늘 YouTube에 올릴 수 있는 한도를 다 썼습니다. 한도가 새로 생기는 "
                f"{resets.astimezone(OWNER_ZONE):%m월 %d일 %H시}(한국 시간)에 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=max(1.0, (resets - timezone.now()).total_seconds()),
                code="quota",
                **common,
            )
        if reasons & self.RATE_REASONS:
            return PublishError(
                "YouTube가 잠시 요청을 줄여 달라고 합니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s or self.RATE_LIMIT_WAIT_S,
                code=error.reason,
                **common,
            )
        if error.status == 401 or (error.status == 403 and reasons & self.ACCOUNT_REASONS):
            return PublishError(
                "YouTube 연결이 만료되었거나 권한이 없습니다. 설정에서 YouTube 계정을 다시 "
                "연결해 주세요(업로드 권한을 허용하고, 채널이 있는 계정으로).",
                kind=ErrorKind.AUTH,
                code=error.reason,
                **common,
            )
        if error.status in (408, 429) or error.status >= 500:
            return PublishError(
                "YouTube가 잠시 응답하지 못했습니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s,
                code=error.reason,
                **common,
            )
        explanation = next(
            (self.INVALID_METADATA[r] for r in error.reasons if r in self.INVALID_METADATA),
            f"YouTube가 영상을 받지 않았습니다({error.message or error.status}).",
        )
        return PublishError(
            f"{explanation} 제목·설명·태그를 고친 뒤 다시 예약해 주세요.",
            kind=ErrorKind.PERMANENT,
            code=error.reason,
            **common,
        )

    def _stalled(self, detail: str) -> PublishError:
        return PublishError(
            "YouTube 업로드가 중간에 멈췄습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=detail,
        )


# --- Helpers ------------------------------------------------------------------------------


def _request(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One call; a timeout or dropped connection becomes a transient PublishError."""
    try:
        return session.request(method, url, **kwargs)
    except requests.RequestException as error:
        raise PublishError(
            "YouTube와 연결이 끊겼습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=f"{type(error).__name__}: {error}",
        ) from error


def _local_file(video: Media) -> Path | None:
    return video.path if video.path is not None and video.path.is_file() else None


def _auth(credentials: Credentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {credentials.access_token}"}


def _received(range_header: str) -> int:
    """Bytes YouTube holds, from ``Range: bytes=0-1234`` (none: nothing yet)."""
    match = re.fullmatch(r"\s*bytes=0-(\d+)\s*", range_header)
    return int(match[1]) + 1 if match else 0


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _google_time(value: object) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _without_angle_brackets(text: str) -> str:
    return text.replace("<", "").replace(">", "")


def _one_line(text: str) -> str:
    """The first non-blank line, with its spaces collapsed."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    return " ".join(line.split())


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")
