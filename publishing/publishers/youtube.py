"""YouTube Shorts: the video goes up with YouTube Data API v3's resumable upload
(``youtube_upload``; Google's errors and reads are ``youtube_api``).

An upload session is saved before any byte is sent and a later call resumes it; a
video YouTube is still processing (``uploadStatus: uploaded``) is ``Pending``, and the
next call reads its status (videos.list) until it is ``processed``.

``job.options`` read here (all optional):

- ``privacy_status``: "public" (default) | "unlisted" | "private";
- ``let_youtube_publish``: true → YouTube publishes at ``job.scheduled_at``
  (``publishAt``, which YouTube only takes on private videos, so privacy is private);
- ``category_id``: YouTube's video category (default "22", People & Blogs).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import requests
from django.conf import settings
from django.utils import timezone

from core.http import http_session
from publishing.publishers.base import (
    Credentials,
    Endpoints,
    ErrorKind,
    Metrics,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
    QuotaRule,
    UnitBudget,
)
from publishing.publishers.post import PostContent, assets_by_role
from publishing.publishers.youtube_analytics import WatchReport, watch_report
from publishing.publishers.youtube_api import (
    OWNER_ZONE,
    QUOTA_DAY,
    api_get,
    google_time,
    video_resource,
)
from publishing.publishers.youtube_upload import (
    UPLOAD_QUANTUM,
    ResumableUpload,
    UploadState,
    video_of,
)

if TYPE_CHECKING:
    from content.models import ContentPiece

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VideoStatistics:
    views: int
    likes: int
    comments: int


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
    # The Data API's daily units, shared with uploads: videos.list (statistics, status
    # polls), channels.list and playlistItems.list cost one each; collect reads one.
    units = UnitBudget(
        "YOUTUBE_UNITS_PER_DAY",
        "YOUTUBE_UPLOAD_UNITS",
        "YOUTUBE_UNITS_RESERVE",
        unit_actions=("videos_list", "channels_list", "playlistItems_list"),
    )
    media_needed = {"short": 1}
    collects = True
    counts_followers = True

    DEFAULT_CHUNK_SIZE: ClassVar[int] = 32 * 1024 * 1024  # a Short is usually one or two chunks
    PROCESSING_POLL_S: ClassVar[float] = 30.0
    TITLE_MAX_CHARS: ClassVar[int] = 100
    DESCRIPTION_MAX_BYTES: ClassVar[int] = 5000
    TAGS_MAX_CHARS: ClassVar[int] = 500  # all tags together; a tag with a space counts its quotes
    DEFAULT_CATEGORY: ClassVar[str] = "22"  # People & Blogs
    PRIVACY_STATUSES: ClassVar[tuple[str, ...]] = ("public", "unlisted", "private")
    SHORTS_TAG: ClassVar[str] = "#Shorts"
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
                api=f"{root}/youtube/v3",
                upload=f"{root}/upload/youtube/v3",
                token=f"{root}/token",
                analytics=f"{root}/v2",
            )
        return Endpoints(
            api=settings.YOUTUBE_API_URL,
            upload=settings.YOUTUBE_UPLOAD_URL,
            token=settings.GOOGLE_TOKEN_URL,
            analytics=settings.YOUTUBE_ANALYTICS_URL,
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
                return self._finish(job, video_resource(session, job, str(video_id)))
            video = video_of(job)
            upload = self._upload(session, job)
            state = upload.where_it_stands()
            if state.video is not None:
                return self._finish(job, state.video)
            with upload.video_bytes(video) as (file, size):
                if state.expired or job.progress.get("upload_size") != size:
                    # No session, an expired one or a new file: the old one made no video.
                    upload.start(video, size)
                    state = UploadState()
                uploaded = upload.send(video, file, size, state.received)
            return self._finish(job, uploaded)

    def find_published(self, job: PublishJob) -> Published | None:
        """The video this job's upload made, if YouTube has it (no bytes are sent)."""
        if job.progress.get("video_id"):
            return self._published(job)
        with http_session() as session:
            state = self._upload(session, job).where_it_stands()
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
                body = api_get(
                    session,
                    endpoints,
                    credentials,
                    "videos",
                    {"part": "statistics", "id": ",".join(ids[start : start + 50])},
                )
                for item in body.get("items") or []:
                    found[item["id"]] = _statistics_of(item)
        return found

    def watch_time(
        self,
        *,
        endpoints: Endpoints,
        credentials: Credentials,
        video_ids: Sequence[str],
        refused: frozenset[str] = frozenset(),
    ) -> WatchReport:
        """How long each video is watched (YouTube Analytics, 200 videos a report, no Data
        API units); a token without yt-analytics.readonly gives the names back refused.
        Raises PublishError."""
        with http_session() as session:
            return watch_report(
                session, endpoints, credentials, video_ids, today=_pacific_today(), refused=refused
            )

    def collect(
        self, job: PublishJob, external_id: str, *, refused: frozenset[str] = frozenset()
    ) -> Metrics:
        """One video's views, likes and comments (videos.list?part=statistics: 1 unit) and,
        where the account allows it, how long it is watched and how often shared (the
        Analytics report, read first: it costs no units). Both recorded. A video YouTube
        no longer shows (deleted, made private) is permanent."""
        params = {"part": "statistics", "id": external_id}
        with http_session() as session:
            watch = self._watch(session, job, external_id, refused)
            body = api_get(session, job.endpoints, job.credentials, "videos", params, job=job)
        for item in body.get("items") or []:
            if item.get("id") == external_id:
                numbers = _statistics_of(item)
                values: dict[str, float] = {"views": numbers.views, "likes": numbers.likes}
                values |= {"comments": numbers.comments} | watch.ours(external_id)
                raw = body | {"analytics": watch.raw} if watch.raw else body
                return Metrics(values=values, raw=raw, refused=watch.refused)
        raise PublishError(
            "YouTube에서 영상을 찾을 수 없어 성과를 더 읽지 않습니다(삭제되었거나 비공개일 수 있어요).",
            kind=ErrorKind.PERMANENT,
            detail=f"videos.list found no video {external_id}",
            code="videoNotFound",
        )

    def followers(self, job: PublishJob) -> int | None:
        """The channel's subscribers (channels.list?part=statistics&mine=true, 1 unit);
        None when the channel hides its count."""
        params = {"part": "statistics", "mine": "true"}
        with http_session() as session:
            body = api_get(session, job.endpoints, job.credentials, "channels", params, job=job)
        for item in body.get("items") or []:
            statistics = item.get("statistics") or {}
            if statistics.get("hiddenSubscriberCount"):
                return None
            count = str(statistics.get("subscriberCount", ""))
            return int(count) if count.isdigit() else None
        return None

    def _watch(
        self, session: requests.Session, job: PublishJob, video_id: str, refused: frozenset[str]
    ) -> WatchReport:
        """The Analytics report for one video. A token that expired or was revoked fails
        the collect, and so do YouTube's passing troubles (nothing was spent yet); a
        report YouTube will not give (the API not enabled for the project, its own quota
        used up, a query it refuses) leaves the numbers to the statistics this time."""
        try:
            return watch_report(
                session,
                job.endpoints,
                job.credentials,
                [video_id],
                today=_pacific_today(),
                refused=refused,
                job=job,
            )
        except PublishError as exc:
            if exc.kind is ErrorKind.AUTH or (
                exc.kind is ErrorKind.TRANSIENT and exc.code != "quota"
            ):
                raise
            logger.warning("YouTube Analytics gave no report for %s: %s", video_id, exc)
            return WatchReport(refused=refused)

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

    def _upload(self, session: requests.Session, job: PublishJob) -> ResumableUpload:
        return ResumableUpload(
            session, job, resource=lambda: self.resource(job), chunk_size=self.chunk_size
        )

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
            when = google_time(progress["publish_at"])
            if when is not None:
                note = f"YouTube가 {when.astimezone(OWNER_ZONE):%Y년 %m월 %d일 %H:%M}(한국 시간)에 공개합니다."
        elif progress.get("privacy_status") == "private" and asked != "private":
            note = self.LOCKED_PRIVATE_NOTE
        return Published(
            external_id=video_id, permalink=f"https://youtube.com/shorts/{video_id}", note=note
        )


# --- Helpers ------------------------------------------------------------------------------


def _statistics_of(video: dict[str, Any]) -> VideoStatistics:
    numbers = video.get("statistics") or {}
    return VideoStatistics(
        views=int(numbers.get("viewCount", 0)),
        likes=int(numbers.get("likeCount", 0)),
        comments=int(numbers.get("commentCount", 0)),
    )


def _pacific_today() -> dt.date:
    """Today as YouTube Analytics counts days (Pacific time)."""
    return timezone.now().astimezone(QUOTA_DAY.zone).date()


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without_angle_brackets(text: str) -> str:
    return text.replace("<", "").replace(">", "")


def _one_line(text: str) -> str:
    """The first non-blank line, with its spaces collapsed."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    return " ".join(line.split())


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")
