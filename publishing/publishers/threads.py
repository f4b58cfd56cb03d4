"""Threads through the Threads API (``graph.threads.net``): the same container flow as
Instagram (``meta.ContainerPublisher``), with Threads' names.

Formats: ``text`` (``media_type=TEXT``), ``image`` (``IMAGE`` with ``image_url``) and
``video`` (``VIDEO`` with ``video_url``); images and videos carry ``alt_text``. A failed
container explains itself in ``error_message`` (FAILED_DOWNLOADING_VIDEO, INVALID_…),
not in a Graph subcode, so those words have their own table here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from content.specs import threads_length
from publishing.publishers.base import ErrorKind, PublishError, PublishJob, QuotaRule, RollingWindow
from publishing.publishers.graph import FETCH_FIX, VIDEO_FIX, GraphClient, GraphErrors, Meaning
from publishing.publishers.meta import ContainerPublisher, ContainerStatus
from publishing.publishers.post import PostContent, assets_by_role

if TYPE_CHECKING:
    from content.models import ContentPiece

P = ErrorKind.PERMANENT
THREADS_VIDEO_FIX = "MP4(H.264 영상, AAC 음성), 세로 9:16, 5분 이하로 다시 만든 뒤 예약해 주세요."
ASPECT_RATIO = Meaning(P, f"영상 비율이 스레드 허용 범위를 벗어났습니다. {THREADS_VIDEO_FIX}")
AUDIO_CHANNELS = Meaning(P, f"영상의 소리는 모노나 스테레오여야 합니다. {THREADS_VIDEO_FIX}")


class ThreadsPublisher(ContainerPublisher):
    platform = "threads"
    formats = ("text", "image", "video")
    errors = GraphErrors(name="스레드", subject="스레드가")

    CREATE_EDGE = "threads"
    PUBLISH_EDGE = "threads_publish"
    POSTS_EDGE = "threads"
    LIMIT_EDGE = "threads_publishing_limit"
    API_VERSION = "v1.0"
    API_URL_SETTING = "THREADS_GRAPH_URL"
    TOKEN_URL_SETTING = "THREADS_TOKEN_URL"
    SANDBOX_URL_SETTING = "SANDBOX_THREADS_URL"
    quota = QuotaRule(
        "THREADS_POSTS_PER_24H",
        "스레드는 24시간에 {limit}개까지 올릴 수 있어요",
        RollingWindow(hours=24),
    )
    media_needed = {"image": 1}
    TEXT_FIELD = "text"
    STATUS_FIELDS = ("status", "error_message")
    VIDEO_FORMATS = frozenset({"video"})
    INSIGHT_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")
    METRIC_NAMES = {"replies": "comments"}

    TEXT_MAX: ClassVar[int] = 500  # characters; an emoji counts as its UTF-8 bytes
    MEDIA_TYPES: ClassVar[dict[str, tuple[str, str]]] = {  # format -> (media_type, media kind)
        "text": ("TEXT", ""),
        "image": ("IMAGE", "image"),
        "video": ("VIDEO", "video"),
    }
    CONTAINER_ERRORS: ClassVar[dict[str, Meaning]] = {
        "FAILED_DOWNLOADING_VIDEO": Meaning(P, FETCH_FIX),
        "FAILED_PROCESSING_AUDIO": Meaning(
            P, f"스레드가 영상의 소리를 처리하지 못했습니다. {THREADS_VIDEO_FIX}"
        ),
        "FAILED_PROCESSING_VIDEO": Meaning(P, f"스레드가 영상을 처리하지 못했습니다. {VIDEO_FIX}"),
        "INVALID_ASPEC_RATIO": ASPECT_RATIO,  # Meta's own spelling
        "INVALID_ASPECT_RATIO": ASPECT_RATIO,  # in case Meta corrects it
        "INVALID_BIT_RATE": Meaning(
            P,
            f"영상 비트레이트가 스레드 허용 범위(100Mbps 이하)를 벗어났습니다. {THREADS_VIDEO_FIX}",
        ),
        "INVALID_DURATION": Meaning(
            P, f"영상 길이가 스레드 허용 범위(5분 이하)를 벗어났습니다. {THREADS_VIDEO_FIX}"
        ),
        "INVALID_FRAME_RATE": Meaning(
            P,
            f"영상의 초당 프레임 수가 스레드 허용 범위(23–60fps)를 벗어났습니다. {THREADS_VIDEO_FIX}",
        ),
        "INVALID_AUDIO_CHANNELS": AUDIO_CHANNELS,
        "INVALID_AUDIO_CHANNEL_LAYOUT": AUDIO_CHANNELS,
        "UNKNOWN": Meaning(
            ErrorKind.TRANSIENT,
            "스레드가 알 수 없는 이유로 미디어를 처리하지 못했습니다. 새로 준비해서 자동으로 다시 올릴게요.",
            fresh_container=True,
        ),
    }

    @classmethod
    def post(cls, piece: ContentPiece) -> PostContent:
        image = assets_by_role(piece).get("threads")
        return PostContent(
            format="image" if image else "text",
            text=piece.body,
            alt_text=(piece.fields or {}).get("image_headline", ""),
            assets=[("image", image)] if image else [],
        )

    def check(self, job: PublishJob) -> None:
        media_type, kind = self.MEDIA_TYPES[job.format]
        length = threads_length(job.text)
        if length > self.TEXT_MAX:
            raise PublishError(
                f"스레드 글은 {self.TEXT_MAX}자까지 올릴 수 있습니다(지금 {length}자, 이모지는 "
                "3–4자로 셉니다). 글을 줄인 뒤 다시 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail=f"text is {length} > {self.TEXT_MAX}",
                code="invalid_post",
            )
        if kind and not job.media_of(kind):
            raise PublishError(
                "스레드에 올릴 사진이나 영상이 없습니다. 콘텐츠에서 미디어를 다시 만든 뒤 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail=f"{media_type} post without {kind} media",
                code="media_missing",
            )

    def container_params(self, graph: GraphClient, job: PublishJob) -> dict[str, Any]:
        media_type, kind = self.MEDIA_TYPES[job.format]
        params: dict[str, Any] = {"media_type": media_type, "text": job.text}
        if kind:
            params[f"{kind}_url"] = job.media_of(kind)[0].url
            params["alt_text"] = job.alt_text or None
        return params

    def status_meaning(self, status: ContainerStatus) -> Meaning:
        known = self.CONTAINER_ERRORS.get(status.detail.strip().upper())
        return known or Meaning(
            P,
            f"스레드가 미디어를 처리하지 못했습니다({status.detail or '이유 없음'}). 사진은 JPEG, "
            f"영상은 {THREADS_VIDEO_FIX}",
        )
