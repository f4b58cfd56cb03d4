"""Local Meta Graph APIs: ``FakeInstagram`` (Instagram API with Instagram Login) and
``FakeThreads`` (Threads API), the content-publishing subset Gagecast uses.

Point a publisher at ``fake.url`` exactly where it would use graph.instagram.com
(or graph.threads.net): every Graph path takes an optional version prefix
(``/v21.0``, ``/v1.0``); OAuth lives unversioned on the same server::

    with FakeInstagram(video_processing_s=0.2) as ig:
        token = ig.token_for(ig.user_id_for("yeonnam_cafe"))
        # POST {ig.url}/v21.0/{user}/media  image_url=… caption=… access_token=…
        # GET  {ig.url}/v21.0/{container}?fields=status_code,status
        # POST {ig.url}/v21.0/{user}/media_publish  creation_id=…
        ig.posts()  # what went live

The simulator downloads ``image_url``/``video_url`` like Meta does (loopback URLs
only, by default), processes containers for a configurable time, enforces the
publishing quota and answers errors in Graph's format
(``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from content.specs import threads_length
from sandbox.faults import Fault
from sandbox.graph import (
    DOWNLOAD_FAILED,
    ERROR,
    EXPIRED,
    FINISHED,
    IN_PROGRESS,
    PUBLISHED,
    UNSUPPORTED_VIDEO,
    VIDEO_DOWNLOAD_FAILED,
    Container,
    GraphFailure,
    GraphSimulator,
    graph_error,
    truthy,
)
from sandbox.media import MediaFetchError, MediaStats
from sandbox.platform import SandboxPost, graph_time, redirect
from sandbox.server import Reply

__all__ = ["FakeInstagram", "FakeThreads", "GraphSimulator"]


class FakeInstagram(GraphSimulator):
    """Instagram API with Instagram Login (graph.instagram.com), v21.0 paths.

    Containers: a single image (``image_url``; JPEG/PNG ≤ 8 MiB, aspect ratio 4:5 …
    1.91:1 when it decodes), a Reel (``media_type=REELS`` + ``video_url``, optional
    ``cover_url``, ``share_to_feed``, ``thumb_offset``), carousel items
    (``is_carousel_item=true`` with ``image_url``, or ``media_type=VIDEO`` +
    ``video_url``) and a carousel (``media_type=CAROUSEL`` + ``children``, 2–10).
    """

    platform = "instagram"
    product = "Instagram"
    token_prefix = "IGSB"
    exchange_grant = "ig_exchange_token"
    refresh_grant = "ig_refresh_token"
    user_id_prefix = "17841"
    default_scopes = ("instagram_business_basic", "instagram_business_content_publish")
    create_edge = "media"
    publish_edge = "media_publish"
    limit_edge = "content_publishing_limit"
    insight_metrics = (
        "views",
        "reach",
        "likes",
        "comments",
        "saved",
        "shares",
        "total_interactions",
    )
    deprecated_metrics = (
        "impressions",
        "plays",
        "video_views",
        "clips_replays_count",
        "ig_reels_aggregated_all_plays_count",
    )
    max_children = 10
    max_caption = 2200
    max_hashtags = 30
    max_mentions = 20
    image_types = ("image/jpeg", "image/png")  # JPEG is documented; PNG acceptance is disputed
    video_types = ("video/mp4", "video/quicktime")

    def __init__(self, **options: Any) -> None:
        options.setdefault("publish_limit", 50)
        super().__init__(**options)
        self.route("GET", r"/p/(?P<code>[A-Za-z0-9_-]+)/?", self._post_page)
        self.route("GET", r"/reel/(?P<code>[A-Za-z0-9_-]+)/?", self._post_page)

    def new_container(self, user_id: str, params: Mapping[str, Any], fault: Fault | None) -> Reply:
        media_type = str(params.get("media_type") or "").upper()
        item = truthy(params.get("is_carousel_item"))
        caption = str(params.get("caption") or "")
        refusal = None if item else self._caption_refusal(caption)
        if refusal is not None:
            return refusal
        extra = {
            key: params[key]
            for key in ("alt_text", "share_to_feed", "cover_url", "thumb_offset")
            if params.get(key)
        }
        if media_type == "CAROUSEL":
            return self.add_carousel(
                user_id, caption, params.get("children"), fault=fault, extra=extra
            )
        if media_type == "REELS" or (media_type == "VIDEO" and item):
            return self._video_container(user_id, media_type, caption, params, item, fault, extra)
        if media_type == "VIDEO":
            return graph_error(
                "(#100) The VIDEO media type is no longer supported for feed videos: publish them as REELS.",
                code=100,
            )
        if media_type not in ("", "IMAGE"):
            return graph_error(
                f"The media type {media_type} is unknown.",
                code=100,
                subcode=2207023,
                transient=False,
            )
        image_url = str(params.get("image_url") or "")
        if not image_url:
            return graph_error("(#100) The parameter image_url is required.", code=100)
        try:
            stats = self.fetch(image_url, "image", fault)
        except MediaFetchError as error:
            return self.fetch_error(error)
        if stats.content_type not in self.image_types:
            return graph_error(
                f"The image format {stats.content_type} is not supported. Supported formats are: "
                f"{', '.join(self.image_types)}.",
                code=36001,
                subcode=2207005,
                transient=False,
            )
        ratio = stats.aspect_ratio
        if ratio is not None and not 0.8 - 0.005 <= ratio <= 1.91 + 0.005:
            return graph_error(
                f"The submitted image with aspect ratio ('{stats.width}/{stats.height}') cannot be published. "
                "Please submit an image with a valid aspect ratio.",
                code=36003,
                subcode=2207009,
                transient=False,
                user_title="Invalid aspect ratio",
                user_msg="The aspect ratio must be between 4:5 and 1.91:1.",
            )
        return self.add_container(
            user_id,
            "IMAGE",
            caption,
            media_urls=(image_url,),
            media=(stats,),
            processing_s=self.image_processing_s,
            is_carousel_item=item,
            fault=fault,
            extra=extra,
        )

    def _video_container(
        self,
        user_id: str,
        media_type: str,
        caption: str,
        params: Mapping[str, Any],
        item: bool,
        fault: Fault | None,
        extra: Mapping[str, Any],
    ) -> Reply:
        video_url = str(params.get("video_url") or "")
        if not video_url:
            return graph_error("(#100) The parameter video_url is required.", code=100)
        media: tuple[MediaStats, ...] = ()
        failure = None
        try:
            media = (self.fetch(video_url, "video", fault),)
        except MediaFetchError:
            failure = VIDEO_DOWNLOAD_FAILED  # Meta fetches while processing: the container fails
        if media and media[0].content_type not in self.video_types:
            failure = UNSUPPORTED_VIDEO
        cover_url = str(params.get("cover_url") or "")
        if cover_url and failure is None:
            try:
                media += (self.fetch(cover_url, "image", None),)
            except MediaFetchError:
                failure = GraphFailure(9004, 2207052, f"{DOWNLOAD_FAILED} (cover_url)")
        return self.add_container(
            user_id,
            "REELS" if media_type == "REELS" else "VIDEO",
            caption,
            media_urls=(video_url,),
            media=media,
            processing_s=self.video_processing_s,
            is_carousel_item=item,
            failure=failure,
            fault=fault,
            extra=extra,
        )

    def _caption_refusal(self, caption: str) -> Reply | None:
        hashtags = len(re.findall(r"#[^\s#]+", caption))
        if len(caption) > self.max_caption or hashtags > self.max_hashtags:
            return graph_error(
                f"The submitted image's caption was {len(caption)} characters long"
                f" ({hashtags} hashtags). The maximum number of characters permitted for a "
                f"caption is {self.max_caption} (and {self.max_hashtags} hashtags). Please "
                "submit media with a shorter caption.",
                code=36004,
                subcode=2207010,
                transient=False,
            )
        if len(re.findall(r"@[A-Za-z0-9._]+", caption)) > self.max_mentions:
            return graph_error(
                f"Cannot use more than {self.max_mentions} tags per created media.",
                code=100,
                subcode=2207040,
                transient=False,
            )
        return None

    def post_media_type(self, container: Container) -> str:
        return {"CAROUSEL": "CAROUSEL_ALBUM", "REELS": "REELS"}.get(container.media_type, "IMAGE")

    def permalink(self, post_id: str, code: str, username: str, media_type: str) -> str:
        return f"{self.url}/{'reel' if media_type == 'REELS' else 'p'}/{code}/"

    def container_fields(self, container: Container) -> dict[str, Callable[[], Any]]:
        def status_code() -> str:
            with self.state_lock:
                return self._status(container)

        def status() -> str:
            with self.state_lock:
                code = self._status(container)
                failure = self.failure_of(container)
            return {
                IN_PROGRESS: "In Progress: Media is still being processed.",
                FINISHED: "Finished: Media has been uploaded and it is ready to be published.",
                PUBLISHED: "Published: Media has been successfully published.",
                EXPIRED: "Expired: Media was not published within 24 hours.",
                ERROR: f"Error: {failure.message if failure else 'unknown'} (subcode {failure.subcode if failure else '-'})",
            }[code]

        return {"status_code": status_code, "status": status}

    def media_fields(self, post: SandboxPost) -> dict[str, Callable[[], Any]]:
        def numbers() -> dict[str, int]:
            return self.metrics(post.id)

        read_type = {"REELS": "VIDEO"}.get(post.media_type, post.media_type)
        return {
            "caption": lambda: post.text,
            "media_type": lambda: read_type,
            "media_product_type": lambda: "REELS" if post.media_type == "REELS" else "FEED",
            "media_url": lambda: post.media_urls[0] if post.media_urls else "",
            "thumbnail_url": lambda: post.extra.get("cover_url", ""),
            "permalink": lambda: post.permalink,
            "shortcode": lambda: post.shortcode,
            "timestamp": lambda: graph_time(post.published_at),
            "username": lambda: post.username,
            "owner": lambda: {"id": post.user_id},
            "alt_text": lambda: post.extra.get("alt_text", ""),
            "is_comment_enabled": lambda: True,
            "like_count": lambda: numbers().get("likes", 0),
            "comments_count": lambda: numbers().get("comments", 0),
            "children": lambda: {
                "data": [{"id": child} for child in post.extra.get("children", [])]
            },
        }

    def user_fields(self, user_id: str) -> dict[str, Callable[[], Any]]:
        username = self.username_of(user_id)
        return {
            "user_id": lambda: user_id,
            "username": lambda: username,
            "name": lambda: username.replace("_", " ").title(),
            "account_type": lambda: "BUSINESS",
            "profile_picture_url": lambda: "",
            "followers_count": lambda: self.audience.followers(self.platform, user_id, self.now()),
            "follows_count": lambda: 120,
            "media_count": lambda: len(self.posts(user_id)),
        }

    def metric_error(self, name: str) -> str:
        if name in self.deprecated_metrics:
            return (
                f"(#100) Starting from version v22.0 and above, the {name} metric is no longer "
                "supported for media; use views."
            )
        return super().metric_error(name)

    def code_exchange_error(self, message: str) -> Reply:
        # api.instagram.com still answers in the old Instagram shape.
        return Reply(
            status=400, body={"error_type": "OAuthException", "code": 400, "error_message": message}
        )

    def code_exchange_answer(
        self, token: str, user_id: str, scopes: tuple[str, ...]
    ) -> dict[str, Any]:
        return {"access_token": token, "user_id": int(user_id), "permissions": list(scopes)}

    def authorized_redirect(self, redirect_uri: str, code: str, state: Any) -> Reply:
        reply = redirect(redirect_uri, code=code, state=state)
        location = reply.headers["Location"]
        # Instagram appends "#_" to the redirect; it is not part of the code.
        return replace(
            reply, headers={"Location": location if "#" in location else f"{location}#_"}
        )


class FakeThreads(GraphSimulator):
    """Threads API (graph.threads.net), v1.0 paths.

    Containers: ``media_type`` TEXT (``text`` ≤ 500, emoji counted as their UTF-8
    bytes), IMAGE (``image_url``), VIDEO (``video_url``) or CAROUSEL (``children``,
    2–20 items created with ``is_carousel_item=true``).
    """

    platform = "threads"
    product = "Threads"
    token_prefix = "THSB"
    exchange_grant = "th_exchange_token"
    refresh_grant = "th_refresh_token"
    user_id_prefix = "259"
    default_scopes = ("threads_basic", "threads_content_publish")
    create_edge = "threads"
    publish_edge = "threads_publish"
    limit_edge = "threads_publishing_limit"
    insight_metrics = ("views", "likes", "replies", "reposts", "quotes", "shares")
    max_children = 20
    max_text = 500

    def __init__(self, **options: Any) -> None:
        options.setdefault("publish_limit", 250)
        super().__init__(**options)
        self.route(
            "GET", r"/@(?P<user>[A-Za-z0-9_.]+)/post/(?P<code>[A-Za-z0-9_-]+)/?", self._post_page
        )

    def new_container(self, user_id: str, params: Mapping[str, Any], fault: Fault | None) -> Reply:
        media_type = str(params.get("media_type") or "").upper()
        text = str(params.get("text") or "")
        item = truthy(params.get("is_carousel_item"))
        if threads_length(text) > self.max_text:
            return graph_error(
                f"Param text must be at most {self.max_text} characters long.",
                code=100,
                error_type="THApiException",
            )
        extra = {
            key: params[key]
            for key in ("reply_control", "alt_text", "link_attachment", "topic_tag")
            if params.get(key)
        }
        if media_type == "TEXT":
            if not text.strip():
                return graph_error(
                    "Param text is required for TEXT posts.", code=100, error_type="THApiException"
                )
            return self.add_container(user_id, "TEXT", text, fault=fault, extra=extra)
        if media_type == "CAROUSEL":
            return self.add_carousel(
                user_id, text, params.get("children"), fault=fault, extra=extra
            )
        if media_type == "IMAGE":
            image_url = str(params.get("image_url") or "")
            if not image_url:
                return graph_error("Param image_url is required for IMAGE posts.", code=100)
            try:
                stats = self.fetch(image_url, "image", fault)
            except MediaFetchError as error:
                return self.fetch_error(error)
            return self.add_container(
                user_id,
                "IMAGE",
                text,
                media_urls=(image_url,),
                media=(stats,),
                processing_s=self.image_processing_s,
                is_carousel_item=item,
                fault=fault,
                extra=extra,
            )
        if media_type == "VIDEO":
            video_url = str(params.get("video_url") or "")
            if not video_url:
                return graph_error("Param video_url is required for VIDEO posts.", code=100)
            media: tuple[MediaStats, ...]
            try:
                media, failure = (self.fetch(video_url, "video", fault),), None
            except MediaFetchError:
                media, failure = (), VIDEO_DOWNLOAD_FAILED
            return self.add_container(
                user_id,
                "VIDEO",
                text,
                media_urls=(video_url,),
                media=media,
                processing_s=self.video_processing_s,
                is_carousel_item=item,
                failure=failure,
                fault=fault,
                extra=extra,
            )
        return graph_error(
            "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}.",
            code=100,
            error_type="THApiException",
        )

    def missing_container_error(self, creation_id: str) -> Reply:
        return self.not_ready_error(creation_id)

    def not_ready_error(self, creation_id: str) -> Reply:
        # Threads answers "not found" for a container it has not finished processing.
        return graph_error(
            "The requested resource does not exist",
            code=24,
            subcode=4279009,
            transient=False,
            user_title="Media Not Found",
            user_msg=f"The media with id {creation_id} cannot be found.",
        )

    def quota_error(self) -> Reply:
        return graph_error(
            "Application request limit reached",
            code=9,
            subcode=2207042,
            transient=False,
            user_title="Publishing limit reached",
            user_msg="You reached the maximum number of posts that can be published through the API in 24 hours.",
        )

    def post_media_type(self, container: Container) -> str:
        return {"TEXT": "TEXT_POST", "CAROUSEL": "CAROUSEL_ALBUM"}.get(
            container.media_type, container.media_type
        )

    def permalink(self, post_id: str, code: str, username: str, media_type: str) -> str:
        return f"{self.url}/@{username}/post/{code}"

    def container_fields(self, container: Container) -> dict[str, Callable[[], Any]]:
        def status() -> str:
            with self.state_lock:
                return self._status(container)

        def error_message() -> str | None:
            with self.state_lock:
                failure = self.failure_of(container) if self._status(container) == ERROR else None
            return failure.threads_message if failure else None

        return {"status": status, "error_message": error_message}

    def media_fields(self, post: SandboxPost) -> dict[str, Callable[[], Any]]:
        return {
            "media_product_type": lambda: "THREADS",
            "media_type": lambda: post.media_type,
            "media_url": lambda: post.media_urls[0] if post.media_urls else "",
            "permalink": lambda: post.permalink,
            "owner": lambda: {"id": post.user_id},
            "username": lambda: post.username,
            "text": lambda: post.text,
            "timestamp": lambda: graph_time(post.published_at),
            "shortcode": lambda: post.shortcode,
            "thumbnail_url": lambda: "",
            "children": lambda: {
                "data": [{"id": child} for child in post.extra.get("children", [])]
            },
            "is_quote_post": lambda: False,
            "alt_text": lambda: post.extra.get("alt_text", ""),
        }

    def user_fields(self, user_id: str) -> dict[str, Callable[[], Any]]:
        username = self.username_of(user_id)
        return {
            "username": lambda: username,
            "name": lambda: username.replace("_", " ").title(),
            "threads_profile_picture_url": lambda: "",
            "threads_biography": lambda: "Gagecast 샌드박스 계정 / sandbox account",
            "is_verified": lambda: False,
        }
