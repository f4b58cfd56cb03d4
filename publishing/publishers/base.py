"""The one interface every platform publisher implements, and the data it is given.

A publisher turns a ``PublishJob`` (plain data: the post's text and media, the
account's credentials and endpoints, and what earlier attempts saved) into
``Published`` or ``Pending``, or raises ``PublishError``. It never touches the
database itself: it saves progress through ``job.save`` and records every platform
call through ``job.call``, both provided by the service, so that

- the attempt row exists before the network call (record first, call second);
- a container id or upload session is committed before the call that publishes;
- a later attempt starts by asking the platform about what was saved, and the
  publish call itself is never repeated blindly.
"""

from __future__ import annotations

import datetime as dt
import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from content.models import Asset, ContentPiece
    from publishing.publishers.post import PostContent


class ErrorKind(enum.StrEnum):
    PERMANENT = "permanent"  # bad content, policy, gone: fail with the reason, no retry
    TRANSIENT = "transient"  # 5xx, 429, timeouts, not ready: back off and try again
    AUTH = "auth"  # token expired or revoked: the account needs the owner to reconnect


class PublishError(Exception):
    """A platform call failed. ``message`` is the owner's plain Korean with what to do;
    ``detail`` keeps the platform's own words and codes."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        detail: str = "",
        status: int | None = None,
        code: str = "",
        retry_after_s: float | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.detail = detail
        self.status = status
        self.code = code
        self.retry_after_s = retry_after_s
        # The call may have taken effect (timeout or lost answer after a publish call):
        # the next attempt must ask the platform before doing anything else.
        self.outcome_unknown = outcome_unknown

    @property
    def permanent(self) -> bool:
        return self.kind is not ErrorKind.TRANSIENT

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else self.message


class AssistedFallback(PublishError):
    """The platform will not take this post through its API: the owner publishes it
    assisted instead, on time. With ``kind`` AUTH the account is flagged as well."""


@dataclass(frozen=True)
class Published:
    external_id: str  # the platform's post / media / video id
    permalink: str = ""
    note: str = ""  # shown to the owner, e.g. "YouTube가 비공개로 잠갔습니다"


@dataclass(frozen=True)
class Pending:
    """The platform is still processing (container not ready, upload not finished):
    look again after ``poll_after_s``."""

    poll_after_s: float
    note: str = ""


@dataclass(frozen=True)
class Media:
    kind: str  # "image" | "video" | "cover" | "thumbnail"
    url: str  # public URL the platform fetches
    mime_type: str
    size_bytes: int
    path: Path | None = None  # local file, for platforms that take the bytes (YouTube)
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    caption: str = ""  # Naver Blog: the caption under an in-body image


@dataclass(frozen=True)
class Endpoints:
    """Where this account's platform lives: the real one, the sandbox or a test server."""

    api: str  # Graph API root with version, YouTube Data API root, Naver XML-RPC URL
    upload: str = ""  # YouTube upload root
    token: str = ""  # long-lived exchange and refresh (Meta), token URL (Google)
    analytics: str = ""  # YouTube Analytics API root


@dataclass(frozen=True)
class Credentials:
    access_token: str = ""
    user_id: str = ""  # the platform's id of the account (ig-user-id, threads-user-id, blog id)
    username: str = ""
    api_password: str = ""  # Naver XML-RPC


class CallRecord:
    """Filled in by the publisher inside ``job.call(...)``: what the platform answered."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.summary: dict[str, Any] = {}


@dataclass
class PublishJob:
    publication_id: int
    platform: str
    format: str  # "image" | "carousel" | "reel" | "text" | "video" | "short" | "blog"
    text: str  # caption / thread text / video description / blog HTML
    endpoints: Endpoints
    credentials: Credentials
    media: list[Media] = field(default_factory=list)
    title: str = ""  # YouTube and Naver Blog
    tags: list[str] = field(default_factory=list)
    alt_text: str = ""
    scheduled_at: dt.datetime | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # e.g. YouTube privacy
    container_id: str = ""  # what an earlier attempt saved
    progress: dict[str, Any] = field(default_factory=dict)
    # Provided by the service: persist progress (committed) / record one platform call.
    saver: Callable[[str, dict[str, Any]], None] = lambda container_id, progress: None
    recorder: Callable[[str, dict[str, Any]], AbstractContextManager[CallRecord]] | None = None

    def save(self, *, container_id: str | None = None, **progress: Any) -> None:
        """Commit what the platform gave us before making the next call."""
        if container_id is not None:
            self.container_id = container_id
        self.progress.update(progress)
        self.saver(self.container_id, dict(self.progress))

    def call(self, action: str, **summary: Any) -> AbstractContextManager[CallRecord]:
        """Record one platform call: ``with job.call("media_publish", creation_id=…) as rec:``."""
        if self.recorder is None:
            return _unrecorded()
        return self.recorder(action, summary)

    def media_of(self, *kinds: str) -> list[Media]:
        return [m for m in self.media if m.kind in kinds]


class _unrecorded(AbstractContextManager[CallRecord]):
    def __enter__(self) -> CallRecord:
        return CallRecord()

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass(frozen=True)
class Metrics:
    """A published post's numbers as its platform reports them, in our words
    (``views``, ``reach``, ``likes``, ``comments``, ``saves``, ``shares``, ``reposts``,
    ``quotes``, and for videos ``watch_minutes``, ``avg_view_seconds``,
    ``avg_view_percentage``; a platform's other numbers under its own names), with the
    answers as received and the metric names the account refused (to leave out next time).
    Counts are ints; an average may be a float. ``unavailable`` says, in the owner's
    words, why the platform gave no numbers now (Meta's "not enough viewers"): not an
    error, the ladder simply asks again."""

    values: Mapping[str, float]
    raw: dict[str, Any]
    refused: frozenset[str] = frozenset()
    unavailable: str = ""


@dataclass(frozen=True)
class Quota:
    used: int
    limit: int

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class RollingWindow:
    """A limit counted over the last ``hours`` (Meta's 24 hours)."""

    hours: int = 24

    def start(self, now: dt.datetime) -> dt.datetime:
        return now - dt.timedelta(hours=self.hours)

    def frees_at(
        self, now: dt.datetime, oldest: Callable[[], dt.datetime | None] = lambda: None
    ) -> dt.datetime:
        """When a post counted now stops counting: the oldest counted one's time + window."""
        return (oldest() or now) + dt.timedelta(hours=self.hours)


@dataclass(frozen=True)
class QuotaDay:
    """A limit counted per calendar day in ``zone`` (YouTube's day ends at Pacific midnight)."""

    zone: ZoneInfo

    def start(self, now: dt.datetime) -> dt.datetime:
        return dt.datetime.combine(now.astimezone(self.zone).date(), dt.time(), tzinfo=self.zone)

    def frees_at(
        self, now: dt.datetime, oldest: Callable[[], dt.datetime | None] = lambda: None
    ) -> dt.datetime:
        """The next midnight in ``zone``, when the day's quota starts again."""
        tomorrow = now.astimezone(self.zone).date() + dt.timedelta(days=1)
        return dt.datetime.combine(tomorrow, dt.time(), tzinfo=self.zone)


@dataclass(frozen=True)
class UnitBudget:
    """A platform's daily API units that its posts and its reads share (YouTube Data API:
    one budget per Cloud project, counted per the publisher's ``quota`` window and
    scope). Reading numbers may only spend what is left above the units the day's
    remaining posts need plus a reserve, so collecting can never starve publishing."""

    units_setting: str  # the settings name of the units a day
    post_units_setting: str  # what one post costs (0: posts have a budget of their own)
    reserve_setting: str  # units kept back beyond the remaining posts (polls, the reaper)
    unit_actions: tuple[str, ...]  # recorded calls (PublishAttempt.action), one unit each
    collect_units: int = 1  # what one ``collect`` spends


@dataclass(frozen=True)
class QuotaRule:
    """How many posts a platform takes and over which window; the runner checks it
    before calling, the platform's own count (``Publisher.live_quota``) winning."""

    setting: str  # the settings name holding the limit
    wording: str  # the owner's sentence when it is used up, with {limit}
    window: RollingWindow | QuotaDay
    # Counted over every API account of the platform (one Cloud project), not per account.
    per_project: bool = False


class Publisher(ABC):
    platform: ClassVar[str]
    formats: ClassVar[tuple[str, ...]]
    quota: ClassVar[QuotaRule | None] = None  # None: no limit of ours to check
    # Daily API units shared by posting and collecting (None: reads cost no units of ours).
    units: ClassVar[UnitBudget | None] = None
    # How many images or videos a format must have before the platform is called.
    media_needed: ClassVar[Mapping[str, int]] = {}
    # Assisted publishing: whether a business with no connected account gets an
    # assisted one, and where an address the owner pastes back must point.
    assisted_by_default: ClassVar[bool] = False
    permalink_hosts: ClassVar[tuple[str, ...]] = ()
    permalink_hint: ClassVar[str] = ""
    # Whether ``collect`` reads the post's numbers from the platform (Naver Blog has no API).
    collects: ClassVar[bool] = False
    # Whether ``followers`` reads the account's follower count (Instagram, YouTube).
    counts_followers: ClassVar[bool] = False

    @classmethod
    def post_id_in(cls, path: str) -> str:
        """The platform's post id in the path of a pasted address ("" when it has none)."""
        return ""

    @classmethod
    def endpoints(cls, sandbox: bool) -> Endpoints:
        """Where the platform lives: the real one (from settings) or the sandbox."""
        raise NotImplementedError(f"{cls.__name__} names no endpoints")

    @classmethod
    def post(cls, piece: ContentPiece) -> PostContent:
        """What goes out for ``piece`` on this platform (text, title, tags, media)."""
        raise NotImplementedError(f"{cls.__name__} builds no post")

    @classmethod
    def post_text(cls, post: PostContent, url_of: Callable[[Asset], str]) -> str:
        """The text the platform is sent for ``post`` (Naver Blog: HTML)."""
        return post.text

    @abstractmethod
    def publish(self, job: PublishJob) -> Published | Pending:
        """Start or continue publishing ``job``. Idempotent: with a saved container or
        session it first asks the platform where things stand, and it never repeats a
        publish call whose outcome it does not know. Raises PublishError."""

    def collect(
        self, job: PublishJob, external_id: str, *, refused: frozenset[str] = frozenset()
    ) -> Metrics:
        """The numbers of the post ``external_id`` now, read with the same endpoints,
        token and error table as publishing, every call recorded through ``job.call``;
        metric names in ``refused`` are not asked for. Raises PublishError."""
        raise NotImplementedError(f"{type(self).__name__} collects no metrics")

    def followers(self, job: PublishJob) -> int | None:
        """The account's followers (subscribers) now, where the platform reports them
        (None when it hides them). Raises PublishError."""
        raise NotImplementedError(f"{type(self).__name__} counts no followers")

    def live_quota(self, job: PublishJob) -> Quota | None:
        """The platform's own count of recent posts, where it reports one (before publishing)."""
        return None

    def find_published(self, job: PublishJob) -> Published | None:
        """For the reaper: the post this job already made, if the platform has it."""
        return None
