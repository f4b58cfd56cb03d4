"""What Instagram's and Threads' Graph APIs share, simulated: tokens and OAuth,
media containers and their processing, publishing with its quota, node reads with
``fields``, insights, and Graph's error format
(``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``).

``sandbox.meta`` builds FakeInstagram and FakeThreads on ``GraphSimulator``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from sandbox.faults import (
    CONTAINER_ERROR,
    CONTAINER_EXPIRED,
    INSIGHTS_UNAVAILABLE,
    MEDIA_UNFETCHABLE,
    QUOTA_EXCEEDED,
    RATE_LIMITED,
    REVOKED_TOKEN,
    SLOW_PROCESSING,
    Fault,
    Operation,
    operation,
)
from sandbox.media import MediaFetchError, MediaStats, fetch_media
from sandbox.platform import (
    IdSequence,
    PlatformSimulator,
    SandboxPost,
    bearer_token,
    redirect,
    request_params,
    shortcode,
    stable_digits,
)
from sandbox.server import RecordedRequest, Reply

VERSION = r"(?:/v\d+\.\d+)?"
NODE = r"(?P<node>[A-Za-z0-9_.-]+)"
SHORT_LIVED_S = 3600
LONG_LIVED_S = 5_183_944  # what Meta answers for "60 days"
DEFAULT_USERNAME = "sandbox_shop"

# Container states (status_code on Instagram, status on Threads).
IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED = (
    "IN_PROGRESS",
    "FINISHED",
    "ERROR",
    "EXPIRED",
    "PUBLISHED",
)

CREATE_KINDS = (CONTAINER_ERROR, CONTAINER_EXPIRED, SLOW_PROCESSING, MEDIA_UNFETCHABLE)


@dataclass(frozen=True)
class GraphFailure:
    """Why a container ended in ERROR (and what publishing it answers)."""

    code: int
    subcode: int
    message: str
    threads_message: str = "UNKNOWN"  # Threads' error_message enum


DOWNLOAD_FAILED = (
    "Media download has failed.: The media could not be fetched from the URI provided."
)
VIDEO_DOWNLOAD_FAILED = GraphFailure(9004, 2207052, DOWNLOAD_FAILED, "FAILED_DOWNLOADING_VIDEO")
UPLOAD_FAILED = GraphFailure(-1, 2207053, "unknown upload error", "FAILED_PROCESSING_VIDEO")
UNSUPPORTED_VIDEO = GraphFailure(
    352,
    2207026,
    "The video format is not supported. Please check spec for supported video format",
    "FAILED_PROCESSING_VIDEO",
)
CREATE_FAILED = GraphFailure(
    -1, 2207032, "Create media fail, please try to re-create media", "UNKNOWN"
)


@dataclass
class Container:
    """An unpublished media container (mutable; guarded by the simulator's lock)."""

    id: str
    user_id: str
    media_type: str  # IMAGE | REELS | VIDEO | CAROUSEL | TEXT, as created
    text: str
    media_urls: tuple[str, ...]
    media: tuple[MediaStats, ...]
    created_at: float
    ready_at: float
    is_carousel_item: bool = False
    children: tuple[str, ...] = ()
    failure: GraphFailure | None = None
    expired: bool = False
    published_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def graph_error(
    message: str,
    *,
    code: int,
    subcode: int | None = None,
    status: int = 400,
    error_type: str = "OAuthException",
    transient: bool | None = None,
    user_title: str | None = None,
    user_msg: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """An error the way the Graph API sends one."""
    error: dict[str, Any] = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    if user_title:
        error["error_user_title"] = user_title
    if user_msg:
        error["error_user_msg"] = user_msg
    error["fbtrace_id"] = "A" + secrets.token_urlsafe(16)[:22]
    return Reply(status=status, body={"error": error}, headers=dict(headers or {}))


def unsupported_request(method: str, node: str) -> Reply:
    return graph_error(
        f"Unsupported {method} request. Object with ID '{node}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        code=100,
        subcode=33,
    )


class GraphSimulator(PlatformSimulator):
    """What Instagram and Threads share: tokens, OAuth, containers, publishing, quota,
    insights and faults. Subclasses say how their containers are created and read.

    ``image_processing_s`` / ``video_processing_s``: how long a container stays
    IN_PROGRESS; ``publish_limit`` / ``quota_duration_s``: the publishing quota;
    ``container_ttl_s``: when an unpublished container EXPIRES; ``fetch_media``:
    download media URLs (False: accept them unseen); ``loopback_only``: refuse
    media URLs off this machine; ``app_secret``: the one client_secret accepted
    (None: any); ``min_refresh_age_s``: a long-lived token refreshes only when older;
    ``send_retry_after``: throttling also sends ``Retry-After`` in seconds. Meta does
    not (it gives minutes in X-Business-Use-Case-Usage): a benchmark convenience.
    """

    product: ClassVar[str]  # "Instagram" | "Threads"
    token_prefix: ClassVar[str]
    exchange_grant: ClassVar[str]
    refresh_grant: ClassVar[str]
    user_id_prefix: ClassVar[str]
    default_scopes: ClassVar[tuple[str, ...]]
    create_edge: ClassVar[str]  # "media" | "threads"
    publish_edge: ClassVar[str]  # "media_publish" | "threads_publish"
    limit_edge: ClassVar[str]  # "content_publishing_limit" | "threads_publishing_limit"
    insight_metrics: ClassVar[tuple[str, ...]]
    max_children: ClassVar[int]
    config_fields = (
        "image_processing_s",
        "video_processing_s",
        "publish_limit",
        "quota_duration_s",
        "container_ttl_s",
        "fetch_media",
        "fetch_timeout_s",
        "loopback_only",
        "min_refresh_age_s",
        "send_retry_after",
    )

    def __init__(
        self,
        *,
        image_processing_s: float = 0.0,
        video_processing_s: float = 5.0,
        publish_limit: int = 50,
        quota_duration_s: int = 86_400,
        container_ttl_s: float = 86_400,
        fetch_media: bool = True,
        fetch_timeout_s: float = 5.0,
        loopback_only: bool = True,
        app_secret: str | None = None,
        min_refresh_age_s: float = 86_400,
        send_retry_after: bool = False,
        **base: Any,
    ) -> None:
        super().__init__(**base)
        self.image_processing_s = image_processing_s
        self.video_processing_s = video_processing_s
        self.publish_limit = publish_limit
        self.quota_duration_s = quota_duration_s
        self.container_ttl_s = container_ttl_s
        self.fetch_media = fetch_media
        self.fetch_timeout_s = fetch_timeout_s
        self.loopback_only = loopback_only
        self.app_secret = app_secret
        self.min_refresh_age_s = min_refresh_age_s
        self.send_retry_after = send_retry_after
        self._containers: dict[str, Container] = {}
        self._shortcodes: dict[str, str] = {}
        self._container_ids = IdSequence("179")
        self._media_ids = IdSequence("180")
        self.op_create = operation("create", self.create_edge, kinds=CREATE_KINDS)
        self.op_status = operation("status", "container_status")
        self.op_publish = operation("publish", self.publish_edge, kinds=(QUOTA_EXCEEDED,))
        self.op_read = operation("read", "media_read")
        self.op_list = operation("list", f"{self.create_edge}_list")
        self.op_limit = operation("limit", self.limit_edge)
        self.op_me = operation("me")
        self.op_insights = operation("insights", kinds=(INSIGHTS_UNAVAILABLE,))
        self.op_oauth = operation("oauth", "oauth_access_token", authenticated=False)
        self.op_token = operation("token", "access_token", "refresh_access_token")
        # Unversioned first: the generic node route would swallow them.
        self.route("GET", r"/oauth/authorize/?", self._authorize)
        self.route("POST", r"/oauth/authorize/?", self._authorize)
        self.route("POST", r"/oauth/access_token/?", self._code_exchange)
        self.route("GET", r"/access_token/?", self._long_lived)
        self.route("GET", r"/refresh_access_token/?", self._refresh)
        self.route("POST", rf"{VERSION}/{NODE}/{self.create_edge}", self._create)
        self.route("GET", rf"{VERSION}/{NODE}/{self.create_edge}", self._list)
        self.route("POST", rf"{VERSION}/{NODE}/{self.publish_edge}", self._publish)
        self.route("GET", rf"{VERSION}/{NODE}/{self.limit_edge}", self._limit)
        self.route("GET", rf"{VERSION}/{NODE}/insights", self._insights)
        self.route("GET", rf"{VERSION}/{NODE}", self._read)

    # --- Python API ------------------------------------------------------------------

    def user_id_for(self, username: str) -> str:
        """The account id a username gets (the same in every run), remembered."""
        user_id = f"{self.user_id_prefix}{stable_digits(f'{self.product}:{username}', 17 - len(self.user_id_prefix))}"
        self.remember_user(user_id, username)
        return user_id

    def token_for(self, user_id: str, *, kind: str = "long", issued_at: float | None = None) -> str:
        """A valid access token for ``user_id`` without the browser flow
        (``kind``: "long" for 60 days, "short" for one hour)."""
        ttl = LONG_LIVED_S if kind == "long" else SHORT_LIVED_S
        issued = self.clock() if issued_at is None else issued_at
        return self.signer.issue(self.token_prefix, kind, user_id, issued_at=issued, ttl_s=ttl)

    def container(self, container_id: str) -> Container | None:
        with self.state_lock:
            return self._containers.get(container_id)

    def container_status(self, container_id: str) -> str | None:
        with self.state_lock:
            container = self._containers.get(container_id)
            return None if container is None else self._status(container)

    def quota_usage(self, user_id: str) -> int:
        """API-published posts of ``user_id`` within the quota window."""
        since = self.now() - dt.timedelta(seconds=self.quota_duration_s)
        return sum(1 for post in self.posts(user_id) if post.published_at > since)

    def reset(self) -> None:
        super().reset()
        with self.state_lock:
            self._containers.clear()
            self._shortcodes.clear()

    def issue_sandbox_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        user_id = payload.get("user_id")
        username = payload.get("username")
        if not user_id:
            user_id = self.user_id_for(str(username or DEFAULT_USERNAME))
        elif username:
            self.remember_user(str(user_id), str(username))
        kind = str(payload.get("kind") or "long")
        return {
            "access_token": self.token_for(str(user_id), kind=kind),
            "token_type": "bearer",
            "expires_in": LONG_LIVED_S if kind == "long" else SHORT_LIVED_S,
            "user_id": str(user_id),
            "username": self.username_of(str(user_id)),
        }

    # --- For subclasses -------------------------------------------------------------------

    def new_container(self, user_id: str, params: Mapping[str, Any], fault: Fault | None) -> Reply:
        raise NotImplementedError

    def container_fields(self, container: Container) -> dict[str, Callable[[], Any]]:
        raise NotImplementedError

    def media_fields(self, post: SandboxPost) -> dict[str, Callable[[], Any]]:
        raise NotImplementedError

    def user_fields(self, user_id: str) -> dict[str, Callable[[], Any]]:
        raise NotImplementedError

    def post_media_type(self, container: Container) -> str:
        """The media type a published container reads back as (the audience's key)."""
        raise NotImplementedError

    def permalink(self, post_id: str, code: str, username: str, media_type: str) -> str:
        raise NotImplementedError

    def code_exchange_error(self, message: str) -> Reply:
        return graph_error(message, code=100, subcode=36007)

    def code_exchange_answer(
        self, token: str, user_id: str, scopes: tuple[str, ...]
    ) -> dict[str, Any]:
        return {"access_token": token, "user_id": int(user_id)}

    # --- Faults in Graph's words ---------------------------------------------------------

    def fault_reply(self, fault: Fault, operation: Operation) -> Reply:
        if fault.kind == RATE_LIMITED:
            code = int(fault.option("code", 4))
            message = RATE_LIMIT_MESSAGES.get(code, RATE_LIMIT_MESSAGES[4])
            retry_after = float(fault.option("retry_after_s", self.faults.retry_after_s))
            minutes = math.ceil(retry_after / 60)
            usage = {"call_count": 100, "total_cputime": 25, "total_time": 30}
            buc = {
                "sandbox": [
                    {
                        "type": self.product.lower(),
                        **usage,
                        "estimated_time_to_regain_access": minutes,
                    }
                ]
            }
            headers = {
                "X-App-Usage": json.dumps(usage),
                "X-Business-Use-Case-Usage": json.dumps(buc),
            }
            if self.send_retry_after:
                headers["Retry-After"] = str(math.ceil(retry_after))
            return graph_error(message, code=code, transient=True, headers=headers)
        if fault.kind == REVOKED_TOKEN:
            return self.token_error_revoked()
        status = int(fault.option("status", 500))
        if status == 503:
            return graph_error(
                "An unexpected error has occurred. Please retry your request later.",
                code=2,
                status=503,
                transient=True,
            )
        return graph_error("An unknown error has occurred.", code=1, status=status, transient=True)

    def token_error_revoked(self) -> Reply:
        return graph_error(
            "Error validating access token: The user has not authorized application sandbox.",
            code=190,
            subcode=458,
            headers={"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"'},
        )

    # --- Authentication --------------------------------------------------------------------

    def _token_owner(
        self, request: RecordedRequest, params: Mapping[str, Any]
    ) -> tuple[str, Reply | None]:
        token = str(params.get("access_token") or bearer_token(request) or "")
        if not token:
            return "", graph_error(
                "An access token is required to request this resource.", code=104
            )
        claims = self.signer.read(token, self.token_prefix)
        if claims is None:
            return "", graph_error(
                "Invalid OAuth access token - Cannot parse access token",
                code=190,
                headers={"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"'},
            )
        if self.is_revoked(token):
            return "", self.token_error_revoked()
        now = self.clock()
        if claims.expired(now):
            expired = dt.datetime.fromtimestamp(claims.expires_at, dt.UTC)
            return "", graph_error(
                f"Error validating access token: Session has expired on {expired:%A, %d-%b-%y %H:%M:%S} PDT. "
                f"The current time is {dt.datetime.fromtimestamp(now, dt.UTC):%A, %d-%b-%y %H:%M:%S} PDT.",
                code=190,
                subcode=463,
            )
        return claims.subject, None

    def _acting_user(
        self, request: RecordedRequest, params: Mapping[str, Any], node: str, method: str
    ) -> tuple[str, Reply | None]:
        """The token's user, who must be the path's user (or ``me``)."""
        user_id, refusal = self._token_owner(request, params)
        if refusal is not None:
            return "", refusal
        if node not in ("me", user_id):
            return "", unsupported_request(method, node)
        return user_id, None

    # --- Containers ----------------------------------------------------------------------------

    def _create(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        user_id, refusal = self._acting_user(request, params, match["node"], "post")
        if refusal is not None:
            return refusal
        return self.run(self.op_create, lambda fault: self.new_container(user_id, params, fault))

    def fetch(self, url: str, expect: str, fault: Fault | None) -> MediaStats:
        """Download a medium as Meta would; raises MediaFetchError."""
        if fault is not None and fault.kind == MEDIA_UNFETCHABLE:
            raise MediaFetchError(
                "unreachable", "the media URL could not be fetched (sandbox fault)", url
            )
        if not self.fetch_media:
            return MediaStats(url, f"{expect}/*", 0)
        return fetch_media(
            url, expect=expect, timeout_s=self.fetch_timeout_s, loopback_only=self.loopback_only
        )

    def fetch_error(self, error: MediaFetchError) -> Reply:
        """The answer to a container whose image could not be used."""
        if error.reason == "timeout":
            return graph_error(
                "It takes too long to download the media.",
                code=-2,
                subcode=2207003,
                transient=True,
                user_title="Media download timed out",
                user_msg="It takes too long to download the media.",
            )
        if error.reason == "too_large":
            return graph_error(
                "The image size is too large.",
                code=36000,
                subcode=2207004,
                transient=False,
                user_title="Image size too large",
                user_msg="The image is too large to download. It should be less than 8 MiB.",
            )
        return graph_error(
            f"{DOWNLOAD_FAILED} ({error.message})",
            code=9004,
            subcode=2207052,
            transient=False,
            user_title="Media download has failed",
            user_msg=f"The media could not be fetched from this uri: {error.url}",
        )

    def add_container(
        self,
        user_id: str,
        media_type: str,
        text: str,
        *,
        media_urls: tuple[str, ...] = (),
        media: tuple[MediaStats, ...] = (),
        processing_s: float = 0.0,
        is_carousel_item: bool = False,
        children: tuple[str, ...] = (),
        failure: GraphFailure | None = None,
        fault: Fault | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Reply:
        """Store a new container (the faults that shape it applied) and answer its id."""
        now = self.clock()
        delay = processing_s
        expired = False
        if fault is not None and fault.kind == SLOW_PROCESSING:
            delay += float(fault.option("extra_s", self.faults.slow_processing_s))
        elif fault is not None and fault.kind == CONTAINER_ERROR:
            failure = UPLOAD_FAILED if media_type in ("REELS", "VIDEO") else CREATE_FAILED
        elif fault is not None and fault.kind == CONTAINER_EXPIRED:
            expired = True
        container = Container(
            id=self._container_ids(),
            user_id=user_id,
            media_type=media_type,
            text=text,
            media_urls=media_urls,
            media=media,
            created_at=now,
            ready_at=now + delay,
            is_carousel_item=is_carousel_item,
            children=children,
            failure=failure,
            expired=expired,
            extra=dict(extra or {}),
        )
        with self.state_lock:
            self._containers[container.id] = container
        return Reply(body={"id": container.id})

    def add_carousel(
        self,
        user_id: str,
        text: str,
        raw_children: Any,
        *,
        fault: Fault | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Reply:
        """A carousel parent over checked children, or the refusal of its children."""
        children, refusal = self.carousel_children(user_id, raw_children)
        if refusal is not None:
            return refusal
        return self.add_container(
            user_id,
            "CAROUSEL",
            text,
            children=tuple(child.id for child in children),
            fault=fault,
            extra=extra,
        )

    def carousel_children(
        self, user_id: str, raw: Any
    ) -> tuple[tuple[Container, ...], Reply | None]:
        """The children of a carousel parent, checked: owned items, 2 … max_children."""
        if isinstance(raw, list):
            ids = [str(item) for item in raw]
        else:
            ids = [
                part.strip()
                for part in str(raw or "").strip("[]").replace('"', "").split(",")
                if part.strip()
            ]
        if not 2 <= len(ids) <= self.max_children:
            return (), graph_error(
                "Your post won't work as a carousel. Carousels need at least 2 photos/videos "
                f"and no more than {self.max_children} photos/videos.",
                code=100,
                subcode=2207028,
                transient=False,
            )
        children = []
        with self.state_lock:
            for child_id in ids:
                child = self._containers.get(child_id)
                if child is None or child.user_id != user_id:
                    return (), graph_error(
                        f"(#100) Param children[{child_id}] is not a valid media container.",
                        code=100,
                    )
                if not child.is_carousel_item:
                    return (), graph_error(
                        f"(#100) Container {child_id} was not created with is_carousel_item=true.",
                        code=100,
                    )
                children.append(child)
        return tuple(children), None

    def _status(self, container: Container) -> str:
        # Called with the lock held.
        now = self.clock()
        if container.published_id is not None:
            return PUBLISHED
        if container.expired or now >= container.created_at + self.container_ttl_s:
            return EXPIRED
        states = [
            self._status(self._containers[child])
            for child in container.children
            if child in self._containers
        ]
        if container.failure is not None and now >= container.ready_at:
            return ERROR
        if ERROR in states:
            return ERROR
        if now < container.ready_at or IN_PROGRESS in states:
            return IN_PROGRESS
        return FINISHED

    def failure_of(self, container: Container) -> GraphFailure | None:
        # Called with the lock held: its own failure, else the first failed child's.
        if container.failure is not None:
            return container.failure
        for child_id in container.children:
            child = self._containers.get(child_id)
            if child is not None and child.failure is not None:
                return child.failure
        return None

    # --- Publishing ----------------------------------------------------------------------

    def _publish(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        user_id, refusal = self._acting_user(request, params, match["node"], "post")
        if refusal is not None:
            return refusal
        creation_id = str(params.get("creation_id") or "")
        if not creation_id:
            return graph_error("(#100) The parameter creation_id is required.", code=100)
        return self.run(
            self.op_publish, lambda fault: self._publish_container(user_id, creation_id, fault)
        )

    def _publish_container(self, user_id: str, creation_id: str, fault: Fault | None) -> Reply:
        with self.state_lock:  # check and publish in one step: two racing calls make one post
            container = self._containers.get(creation_id)
            if container is None or container.user_id != user_id:
                return self.missing_container_error(creation_id)
            if container.is_carousel_item:
                return graph_error(
                    "(#100) A carousel item cannot be published on its own: publish its carousel.",
                    code=100,
                )
            status = self._status(container)
            if status == PUBLISHED:
                return graph_error(
                    f"(#100) The media container {creation_id} has already been published "
                    f"as {container.published_id}.",
                    code=100,
                )
            if status == EXPIRED:
                return graph_error(
                    "The media you are trying to access has expired. Please try to upload again.",
                    code=-2,
                    subcode=2207020,
                    transient=False,
                )
            if status == ERROR:
                failure = self.failure_of(container) or CREATE_FAILED
                return graph_error(
                    failure.message, code=failure.code, subcode=failure.subcode, transient=False
                )
            if status == IN_PROGRESS:
                return self.not_ready_error(creation_id)
            if (fault is not None and fault.kind == QUOTA_EXCEEDED) or self.quota_usage(
                user_id
            ) >= self.publish_limit:
                return self.quota_error()
            post = self._post_from(container)
            container.published_id = post.id
            self.add_post(post)
            self._shortcodes[post.shortcode] = post.id
        return Reply(body={"id": post.id})

    def not_ready_error(self, creation_id: str) -> Reply:
        return graph_error(
            "Media ID is not available",
            code=9007,
            subcode=2207027,
            transient=False,
            user_title="Media not ready for publishing",
            user_msg="The media is not ready for publishing, please wait for a moment",
        )

    def missing_container_error(self, creation_id: str) -> Reply:
        """Publishing a creation_id this account does not have (never made, another
        account's, or lost when the sandbox restarted)."""
        return graph_error(
            f"The media builder with creation id = {creation_id} does not exist or has been expired.",
            code=24,
            subcode=2207008,
            transient=False,
            user_title="Media builder not found",
            user_msg=f"The media builder with creation id = {creation_id} does not exist or has been expired.",
        )

    def quota_error(self) -> Reply:
        return graph_error(
            "Application request limit reached",
            code=9,
            subcode=2207042,
            transient=False,
            user_title="Reached the maximum number of posts",
            user_msg="You reached maximum number of posts that is allowed to be published by Content Publishing API.",
        )

    def _post_from(self, container: Container) -> SandboxPost:
        children = [
            self._containers[child] for child in container.children if child in self._containers
        ]
        media_urls = container.media_urls + tuple(
            url for child in children for url in child.media_urls
        )
        media = container.media + tuple(medium for child in children for medium in child.media)
        post_id = self._media_ids()
        code = shortcode(post_id)
        username = self.username_of(container.user_id)
        media_type = self.post_media_type(container)
        return SandboxPost(
            id=post_id,
            platform=self.platform,
            user_id=container.user_id,
            username=username,
            media_type=media_type,
            published_at=self.now(),
            text=container.text,
            container_id=container.id,
            media_urls=media_urls,
            media=media,
            permalink=self.permalink(post_id, code, username, media_type),
            shortcode=code,
            extra={**container.extra, "children": list(container.children)},
        )

    def _limit(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        user_id, refusal = self._acting_user(request, params, match["node"], "get")
        if refusal is not None:
            return refusal

        def answer(fault: Fault | None) -> Reply:
            usage: dict[str, Any] = {"quota_usage": self.quota_usage(user_id)}
            fields = requested_fields(params, ("quota_usage",))
            if "config" in fields:
                usage["config"] = {
                    "quota_total": self.publish_limit,
                    "quota_duration": self.quota_duration_s,
                }
            if "reply_quota_usage" in fields:
                usage["reply_quota_usage"] = 0
            if "reply_config" in fields:
                usage["reply_config"] = {"quota_total": 1000, "quota_duration": 86400}
            if "quota_usage" not in fields:
                usage.pop("quota_usage")
            return Reply(body={"data": [usage]})

        return self.run(self.op_limit, answer)

    # --- Reading -------------------------------------------------------------------------

    def _read(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        token_user, refusal = self._token_owner(request, params)
        if refusal is not None:
            return refusal
        node = match["node"]
        if node in ("me", token_user):
            return self.run(
                self.op_me,
                lambda fault: node_reply(token_user, self.user_fields(token_user), params, "User"),
            )
        with self.state_lock:
            container = self._containers.get(node)
        if container is not None and container.user_id == token_user:
            return self.run(
                self.op_status,
                lambda fault: node_reply(
                    container.id, self.container_fields(container), params, "MediaBuilder"
                ),
            )
        post = self.post(node)
        if post is not None and post.user_id == token_user:
            return self.run(
                self.op_read,
                lambda fault: node_reply(post.id, self.media_fields(post), params, "Media"),
            )
        return unsupported_request("get", node)

    def _list(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        user_id, refusal = self._acting_user(request, params, match["node"], "get")
        if refusal is not None:
            return refusal

        def answer(fault: Fault | None) -> Reply:
            posts = list(reversed(self.posts(user_id)))
            limit = max(1, min(100, int(params.get("limit") or 25)))
            start = _cursor_index(params.get("after")) + 1 if params.get("after") else 0
            page = posts[start : start + limit]
            data = [
                node_body(post.id, self.media_fields(post), requested_fields(params, ("id",)))
                for post in page
            ]
            if any(isinstance(item, Reply) for item in data):
                return next(item for item in data if isinstance(item, Reply))
            body: dict[str, Any] = {"data": data}
            if page:
                body["paging"] = {
                    "cursors": {"before": _cursor(start), "after": _cursor(start + len(page) - 1)}
                }
                if start + len(page) < len(posts):
                    body["paging"]["next"] = (
                        f"{self.url}{request.path}?after={_cursor(start + len(page) - 1)}"
                    )
            return Reply(body=body)

        return self.run(self.op_list, answer)

    def _insights(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        token_user, refusal = self._token_owner(request, params)
        if refusal is not None:
            return refusal
        post = self.post(match["node"])
        if post is None or post.user_id != token_user:
            return unsupported_request("get", match["node"])
        wanted = [
            name.strip() for name in str(params.get("metric") or "").split(",") if name.strip()
        ]
        if not wanted:
            return graph_error("(#100) The parameter metric is required.", code=100)
        for name in wanted:
            if name not in self.insight_metrics:
                return graph_error(self.metric_error(name), code=100)

        def answer(fault: Fault | None) -> Reply:
            if fault is not None and fault.kind == INSIGHTS_UNAVAILABLE:
                # Meta's answer for a post too few people saw: code 10, the same code as a
                # missing permission, on a token that is fine.
                return graph_error(
                    "(#10) Not enough viewers for the media to show insights", code=10
                )
            numbers = self.metrics(post.id)
            data = [
                {
                    "name": name,
                    "period": "lifetime",
                    "values": [{"value": numbers.get(name, 0)}],
                    "title": name.replace("_", " ").capitalize(),
                    "description": f"The number of {name.replace('_', ' ')} of this post (sandbox audience).",
                    "id": f"{post.id}/insights/{name}/lifetime",
                }
                for name in wanted
            ]
            return Reply(body={"data": data})

        return self.run(self.op_insights, answer)

    def metric_error(self, name: str) -> str:
        return f"(#100) metric[0] must be one of the following values: {', '.join(self.insight_metrics)}"

    def _post_page(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        with self.state_lock:
            post_id = self._shortcodes.get(match["code"])
        return self.post_page(self.post(post_id) if post_id else None)

    # --- OAuth ---------------------------------------------------------------------------

    def _authorize(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)

        def allow(username: str) -> Reply:
            user_id = self.user_id_for(username)
            code = self.issue_code(self.grant(user_id, username, params))
            return self.authorized_redirect(str(params["redirect_uri"]), code, params.get("state"))

        return self.consent_flow(
            params,
            product=self.product,
            action="/oauth/authorize",
            default_scopes=self.default_scopes,
            allow=allow,
            denied={
                "error": "access_denied",
                "error_reason": "user_denied",
                "error_description": "The user denied your request.",
            },
            default_username=DEFAULT_USERNAME,
        )

    def authorized_redirect(self, redirect_uri: str, code: str, state: Any) -> Reply:
        return redirect(redirect_uri, code=code, state=state)

    def _code_exchange(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)

        def answer(fault: Fault | None) -> Reply:
            for name in ("client_id", "client_secret", "grant_type", "redirect_uri", "code"):
                if not params.get(name):
                    return self.code_exchange_error(f"Missing required parameter: {name}")
            if params["grant_type"] != "authorization_code":
                return self.code_exchange_error("Unsupported grant_type")
            if not self._secret_ok(params):
                return self.code_exchange_error("Error validating client secret.")
            grant = self.take_code(str(params["code"]).removesuffix("#_"))
            if grant is None:
                return self.code_exchange_error("Invalid authorization code")
            if (
                grant.redirect_uri != params["redirect_uri"]
                or grant.client_id != params["client_id"]
            ):
                return self.code_exchange_error(
                    "Error validating verification code. Please make sure your redirect_uri is "
                    "identical to the one you used in the OAuth dialog request"
                )
            token = self.token_for(grant.subject, kind="short")
            return Reply(
                body=self.code_exchange_answer(
                    token, grant.subject, grant.scopes or self.default_scopes
                )
            )

        return self.run(self.op_oauth, answer)

    def _long_lived(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        if params.get("grant_type") != self.exchange_grant:
            return graph_error(f"(#100) grant_type must be {self.exchange_grant}", code=100)
        if not params.get("client_secret") or not self._secret_ok(params):
            return graph_error("Error validating client secret.", code=1, subcode=None)
        user_id, refusal = self._token_owner(request, params)
        if refusal is not None:
            return refusal
        return self.run(self.op_token, lambda fault: self._long_token_reply(user_id))

    def _refresh(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        if params.get("grant_type") != self.refresh_grant:
            return graph_error(f"(#100) grant_type must be {self.refresh_grant}", code=100)
        user_id, refusal = self._token_owner(request, params)
        if refusal is not None:
            return refusal
        claims = self.signer.read(
            str(params.get("access_token") or bearer_token(request) or ""), self.token_prefix
        )
        assert claims is not None  # _token_owner checked it
        if claims.kind != "long":
            return graph_error("(#100) Only a long-lived access token can be refreshed.", code=100)
        if self.clock() - claims.issued_at < self.min_refresh_age_s:
            return graph_error(
                "(#100) The access token can be refreshed once it is at least 24 hours old.",
                code=100,
            )
        return self.run(self.op_token, lambda fault: self._long_token_reply(user_id))

    def _long_token_reply(self, user_id: str) -> Reply:
        return Reply(
            body={
                "access_token": self.token_for(user_id, kind="long"),
                "token_type": "bearer",
                "expires_in": LONG_LIVED_S,
            }
        )

    def _secret_ok(self, params: Mapping[str, Any]) -> bool:
        return self.app_secret is None or params.get("client_secret") == self.app_secret


RATE_LIMIT_MESSAGES = {
    4: "Application request limit reached",
    17: "User request limit reached",
    32: "Page request limit reached",
    613: "Calls to this api have exceeded the rate limit.",
}


# --- Graph helpers ---------------------------------------------------------------------------


def requested_fields(params: Mapping[str, Any], default: tuple[str, ...]) -> list[str]:
    """The ``fields`` parameter as names: nested selections (``children{id}``) and
    modifiers (``.limit(5)``) are accepted and ignored."""
    raw = str(params.get("fields") or "")
    while True:
        flattened = re.sub(r"\{[^{}]*\}", "", raw)
        if flattened == raw:
            break
        raw = flattened
    raw = re.sub(r"\.[a-z_]+\([^)]*\)", "", raw)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    return names or list(default)


def node_body(
    node_id: str, fields: Mapping[str, Callable[[], Any]], wanted: list[str]
) -> dict[str, Any] | Reply:
    body: dict[str, Any] = {}
    for name in wanted:
        if name == "id":
            continue
        if name not in fields:
            return graph_error(f"(#100) Tried accessing nonexisting field ({name})", code=100)
        value = fields[name]()
        if value is not None:
            body[name] = value
    body["id"] = node_id
    return body


def node_reply(
    node_id: str, fields: Mapping[str, Callable[[], Any]], params: Mapping[str, Any], node_type: str
) -> Reply:
    body = node_body(node_id, fields, requested_fields(params, ("id",)))
    if isinstance(body, Reply):
        error = dict(body.body["error"])
        error["message"] = f"{error['message']} on node type ({node_type})"
        return replace(body, body={"error": error})
    return Reply(body=body)


def truthy(value: Any) -> bool:
    """A Graph boolean parameter: "true", "True", "1" or "yes"."""
    return str(value).lower() in ("true", "1", "yes")


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"idx:{index}".encode()).decode().rstrip("=")


def _cursor_index(cursor: Any) -> int:
    try:
        decoded = base64.urlsafe_b64decode(str(cursor) + "=" * (-len(str(cursor)) % 4)).decode()
        return int(decoded.removeprefix("idx:"))
    except (ValueError, UnicodeDecodeError):
        return -1
