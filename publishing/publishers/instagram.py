"""Instagram through the Graph API's content publishing (Instagram Login or Facebook
Login: the same paths on ``job.endpoints.api``).

Formats:

- ``image``: one container with ``image_url``, ``caption`` and ``alt_text``;
- ``carousel``: one ``is_carousel_item`` container per image (2–10), each saved in
  ``job.progress["children"]`` as soon as Meta answers so a retry reuses it, then the
  parent ``CAROUSEL`` with ``children`` and the caption;
- ``reel``: ``media_type=REELS`` with ``video_url``, ``cover_url`` (the "cover" media)
  and ``share_to_feed``.

Creating, waiting and publishing are ``meta.ContainerPublisher``'s, shared with Threads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils import timezone

from publishing.publishers.base import (
    ErrorKind,
    PublishError,
    PublishJob,
    QuotaRule,
    RollingWindow,
)
from publishing.publishers.graph import GraphClient, GraphErrors, Meaning
from publishing.publishers.meta import ContainerPublisher, ContainerStatus, saved_time
from publishing.publishers.post import PostContent, assets_by_role, ordered

if TYPE_CHECKING:
    from content.models import ContentPiece


class InstagramPublisher(ContainerPublisher):
    platform = "instagram"
    formats = ("image", "carousel", "reel")
    errors = GraphErrors(name="인스타그램", subject="인스타그램이")

    CREATE_EDGE = "media"
    PUBLISH_EDGE = "media_publish"
    POSTS_EDGE = "media"
    LIMIT_EDGE = "content_publishing_limit"
    API_VERSION = "v21.0"
    API_URL_SETTING = "INSTAGRAM_GRAPH_URL"
    TOKEN_URL_SETTING = "INSTAGRAM_TOKEN_URL"
    SANDBOX_URL_SETTING = "SANDBOX_INSTAGRAM_URL"
    quota = QuotaRule(
        "INSTAGRAM_POSTS_PER_24H",
        "인스타그램은 24시간에 {limit}개까지 올릴 수 있어요",
        RollingWindow(hours=24),
    )
    media_needed = {"image": 1, "carousel": 2, "reel": 1}
    TEXT_FIELD = "caption"
    STATUS_FIELDS = ("status_code", "status")
    counts_followers = True
    VIDEO_FORMATS = frozenset({"reel"})
    # impressions, plays and video_views are gone (v21/v22, 2025): views replaces them.
    INSIGHT_METRICS = (
        "views",
        "reach",
        "likes",
        "comments",
        "saved",
        "shares",
        "total_interactions",
    )
    VIDEO_INSIGHT_METRICS = ("ig_reels_avg_watch_time", "ig_reels_video_view_total_time")
    METRIC_NAMES = {"saved": "saves"}

    CAPTION_MAX_CHARS: ClassVar[int] = 2200
    HASHTAGS_MAX: ClassVar[int] = 30
    MENTIONS_MAX: ClassVar[int] = 20
    CAROUSEL_ITEMS: ClassVar[range] = range(2, 11)
    # Meta keeps a container 24 h: reuse a saved carousel item only while it is younger.
    CHILD_REUSE_FOR: ClassVar[dt.timedelta] = dt.timedelta(hours=23)
    HASHTAG: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\w&])#\w+")
    MENTION: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\w.])@[\w.]+")
    # A failed container's ``status`` reads like "Error: … error code 2207026".
    STATUS_SUBCODE: ClassVar[re.Pattern[str]] = re.compile(r"\b(2207\d{3})\b")

    # Our piece formats as Instagram's.
    FORMATS_OF: ClassVar[dict[str, str]] = {
        "image": "image",
        "carousel": "carousel",
        "video": "reel",
    }

    @classmethod
    def post(cls, piece: ContentPiece) -> PostContent:
        assets = assets_by_role(piece)
        publish_format = cls.FORMATS_OF.get(piece.format, "image")
        if publish_format == "carousel":
            media = [("image", a) for a in ordered(assets, "carousel")]
        elif publish_format == "reel":
            media = [("video", assets["reel"])] if "reel" in assets else []
            media += [("cover", assets["cover"])] if "cover" in assets else []
        else:
            media = [("image", assets["feed"])] if "feed" in assets else []
        return PostContent(
            format=publish_format,
            text=piece.body,
            alt_text=(piece.fields or {}).get("alt_text", ""),
            assets=media,
        )

    def check(self, job: PublishJob) -> None:
        problems = []
        if len(job.text) > self.CAPTION_MAX_CHARS:
            problems.append(f"글이 {len(job.text):,}자입니다({self.CAPTION_MAX_CHARS:,}자까지)")
        if len(self.HASHTAG.findall(job.text)) > self.HASHTAGS_MAX:
            problems.append(f"해시태그는 {self.HASHTAGS_MAX}개까지입니다")
        if len(self.MENTION.findall(job.text)) > self.MENTIONS_MAX:
            problems.append(f"@언급은 {self.MENTIONS_MAX}개까지입니다")
        images, videos = job.media_of("image"), job.media_of("video")
        if job.format == "image" and not images:
            problems.append("올릴 사진이 없습니다")
        if job.format == "carousel" and len(images) not in self.CAROUSEL_ITEMS:
            problems.append(f"여러 장 게시물은 사진이 2–10장이어야 합니다(지금 {len(images)}장)")
        if job.format == "reel" and not videos:
            problems.append("올릴 릴스 영상이 없습니다")
        if problems:
            raise PublishError(
                f"인스타그램 규칙에 맞지 않아 올리지 않았습니다: {', '.join(problems)}. "
                "콘텐츠를 고친 뒤 다시 예약해 주세요.",
                kind=ErrorKind.PERMANENT,
                detail="; ".join(problems),
                code="invalid_post",
            )

    def container_params(self, graph: GraphClient, job: PublishJob) -> dict[str, Any]:
        if job.format == "reel":
            covers = job.media_of("cover")
            return {
                "media_type": "REELS",
                "video_url": job.media_of("video")[0].url,
                "cover_url": covers[0].url if covers else None,
                "share_to_feed": True,
                "caption": job.text,
            }
        if job.format == "carousel":
            return {
                "media_type": "CAROUSEL",
                "children": self._carousel_items(graph, job),
                "caption": job.text,
            }
        return {
            "image_url": job.media_of("image")[0].url,
            "caption": job.text,
            "alt_text": job.alt_text or None,
        }

    def status_meaning(self, status: ContainerStatus) -> Meaning:
        match = self.STATUS_SUBCODE.search(status.detail)
        if match and int(match[1]) in self.errors.SUBCODES:
            return self.errors.SUBCODES[int(match[1])]
        return Meaning(
            ErrorKind.PERMANENT,
            f"인스타그램이 사진이나 영상을 처리하지 못했습니다({status.detail or '이유 없음'}). "
            "사진은 JPEG 4:5, 릴스는 MP4(H.264, AAC) 9:16인지 확인하고 다시 만든 뒤 예약해 주세요.",
        )

    def forget_progress(self) -> dict[str, Any]:
        # The items of a failed or expired carousel may be what failed (or expired too).
        return {"children": []}

    def _carousel_items(self, graph: GraphClient, job: PublishJob) -> list[str]:
        """One item container per image, in order, each committed as soon as Meta gives
        its id; items saved by an earlier attempt for the same image URL are reused."""
        saved = [c for c in job.progress.get("children") or [] if isinstance(c, dict)]
        fresh_after = timezone.now() - self.CHILD_REUSE_FOR
        children: list[dict[str, str]] = []
        for index, image in enumerate(job.media_of("image")):
            earlier = saved[index] if index < len(saved) else {}
            made = saved_time(earlier.get("created_at"))
            if earlier.get("url") == image.url and made is not None and made > fresh_after:
                children.append(earlier)
                continue
            item_id = graph.post_for_id(
                "create_carousel_item",
                f"{job.credentials.user_id}/{self.CREATE_EDGE}",
                image_url=image.url,
                is_carousel_item=True,
                alt_text=(job.alt_text or None) if index == 0 else None,
            )
            children.append(
                {"id": item_id, "url": image.url, "created_at": timezone.now().isoformat()}
            )
            job.save(children=[*children, *saved[index + 1 :]])
        return [child["id"] for child in children]

    def followers(self, job: PublishJob) -> int | None:
        """``GET /{ig-user-id}?fields=followers_count``."""
        with GraphClient(job, self.errors) as graph:
            body = graph.get("read_followers", job.credentials.user_id, fields="followers_count")
        count = body.get("followers_count")
        return int(count) if isinstance(count, int | str) and str(count).isdigit() else None
