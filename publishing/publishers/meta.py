"""The container flow Instagram and Threads share: create → wait until ready → publish.

One state machine, driven by what Meta says about the saved container:

- no container: create it (Instagram carousels create their items first), save its id
  and creation time at once, then read its status;
- ``IN_PROGRESS``: ``Pending`` (poll again later; no worker sleeps);
- ``FINISHED``: save ``publish_sent`` and only then call the publish edge;
- ``PUBLISHED``: the post is live (an earlier answer was lost): find it, never publish
  again;
- ``ERROR``: fail with what the platform's code means (or start over when the code says
  a new container will do);
- ``EXPIRED``: the container can never be published (24 h): make a new one.

Publishing a container twice is impossible on Meta's side (the container id is the
key), so a ``FINISHED`` container whose publish call went unanswered is first looked
for among the account's recent posts and then published with the same id.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone

from publishing.publishers.base import (
    Endpoints,
    ErrorKind,
    Metrics,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
    Quota,
)
from publishing.publishers.graph import (
    GraphClient,
    GraphErrors,
    GraphPublishError,
    Meaning,
    graph_time,
    poll_interval_s,
)
from publishing.publishers.meta_insights import read_insights

logger = logging.getLogger(__name__)


class State(enum.StrEnum):
    """A container's states (``status_code`` on Instagram, ``status`` on Threads)."""

    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"  # not published within 24 h: it never will be
    PUBLISHED = "PUBLISHED"


@dataclass(frozen=True)
class ContainerStatus:
    code: str  # a State, or what Meta sent when it is none of them
    detail: str  # Instagram: "Error: … 2207026"; Threads: error_message


class ContainerPublisher(Publisher):
    """Instagram and Threads: what differs is a handful of names and the container's
    parameters; subclasses set the names and implement ``container_params``."""

    errors: ClassVar[GraphErrors]
    CREATE_EDGE: ClassVar[str]  # POST /{user}/<edge> makes a container
    PUBLISH_EDGE: ClassVar[str]  # POST /{user}/<edge>?creation_id= publishes it
    POSTS_EDGE: ClassVar[str]  # GET /{user}/<edge> lists the account's posts
    LIMIT_EDGE: ClassVar[str]  # GET /{user}/<edge>?fields=quota_usage,config
    API_VERSION: ClassVar[str]  # the Graph version the sandbox serves
    API_URL_SETTING: ClassVar[str]  # settings names: the Graph root with version,
    TOKEN_URL_SETTING: ClassVar[str]  # the long-lived exchange and refresh root,
    SANDBOX_URL_SETTING: ClassVar[str]  # and the simulator's root
    TEXT_FIELD: ClassVar[str]  # the post text's field on a media object
    STATUS_FIELDS: ClassVar[tuple[str, str]]  # (state field, explanation field)
    VIDEO_FORMATS: ClassVar[frozenset[str]]
    collects = True
    INSIGHT_METRICS: ClassVar[tuple[str, ...]]  # GET /{media-id}/insights?metric=…
    VIDEO_INSIGHT_METRICS: ClassVar[tuple[str, ...]] = ()  # asked for the video formats too
    METRIC_NAMES: ClassVar[Mapping[str, str]] = {}  # the platform's name -> ours, where they differ
    # Meta keeps a container 24 h; a video still processing after an hour will not finish.
    PROCESSING_GIVE_UP_S: ClassVar[float] = 3600.0
    CLOCK_SLACK: ClassVar[dt.timedelta] = dt.timedelta(minutes=10)  # our clock vs Meta's
    RECENT_POSTS: ClassVar[int] = 25  # how far back a lost publish looks for its post
    EXPIRED_AT_ONCE: ClassVar[Meaning] = Meaning(
        ErrorKind.TRANSIENT,
        "{subject} 게시 준비물을 만들자마자 만료시켰습니다. 잠시 뒤 새로 준비해서 다시 올릴게요.",
    )

    # --- The interface ----------------------------------------------------------------

    @classmethod
    def endpoints(cls, sandbox: bool) -> Endpoints:
        if sandbox:
            root = getattr(settings, cls.SANDBOX_URL_SETTING).rstrip("/")
            return Endpoints(api=f"{root}/{cls.API_VERSION}", token=root)
        return Endpoints(
            api=getattr(settings, cls.API_URL_SETTING),
            token=getattr(settings, cls.TOKEN_URL_SETTING),
        )

    def collect(
        self, job: PublishJob, external_id: str, *, refused: frozenset[str] = frozenset()
    ) -> Metrics:
        """The post's insights (``meta_insights``: one request, or one per metric when the
        account refuses a name). Raises PublishError."""
        video = job.format in self.VIDEO_FORMATS
        names = [*self.INSIGHT_METRICS, *(self.VIDEO_INSIGHT_METRICS if video else ())]
        with GraphClient(job, self.errors) as graph:
            read = read_insights(graph, external_id, names, refused)
        ours = {self.METRIC_NAMES.get(name, name): value for name, value in read.values.items()}
        return replace(read, values=ours)

    def publish(self, job: PublishJob) -> Published | Pending:
        """Create, wait for and publish ``job``'s container, starting from what an earlier
        attempt saved. Never calls the publish edge for a container Meta reports
        PUBLISHED. Raises PublishError."""
        if job.format not in self.formats:
            raise PublishError(
                self.errors.words(f"{{name}}에 올릴 수 없는 형식입니다({job.format})."),
                kind=ErrorKind.PERMANENT,
                detail=f"{self.platform} publishes {', '.join(self.formats)}",
            )
        self.check(job)
        with GraphClient(job, self.errors) as graph:
            if job.progress.get("media_id"):  # live already; the service had not recorded it
                return self._published(graph, job, str(job.progress["media_id"]))
            try:
                status = self._status(graph, job) if job.container_id else None
                if status is not None and status.code == State.EXPIRED:
                    found = (
                        self._find_post(graph, job) if job.progress.get("publish_sent") else None
                    )
                    if found is not None:  # Meta should say PUBLISHED; a duplicate costs more
                        return found
                    self._forget_container(job)
                    status = None
                if status is None:
                    self._create(graph, job)
                    status = self._status(graph, job)
                return self._advance(graph, job, status)
            except PublishError as exc:
                if job.container_id and _container_is_done_for(exc):
                    self._forget_container(job)
                raise

    def find_published(self, job: PublishJob) -> Published | None:
        """The post this job made, if its container is published (reads only)."""
        if job.progress.get("media_id"):
            return Published(
                str(job.progress["media_id"]), permalink=str(job.progress.get("permalink", ""))
            )
        if not job.container_id:
            return None
        with GraphClient(job, self.errors) as graph:
            if self._status(graph, job).code != State.PUBLISHED:
                return None
            return self._live_without_answer(graph, job)

    def live_quota(self, job: PublishJob) -> Quota | None:
        """Meta's own count of this account's posts in the last 24 h."""
        with GraphClient(job, self.errors) as graph:
            body = graph.get(
                "read_quota",
                f"{job.credentials.user_id}/{self.LIMIT_EDGE}",
                fields="quota_usage,config",
            )
        rows = body.get("data")
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        if "quota_usage" not in row:
            return None
        row_config = row.get("config")
        config: dict[str, Any] = row_config if isinstance(row_config, dict) else {}
        # Our own number when Meta's answer has no config.
        assert self.quota is not None
        total = config.get("quota_total") or getattr(settings, self.quota.setting)
        return Quota(used=int(row["quota_usage"]), limit=int(total))

    # --- What subclasses say ------------------------------------------------------------

    def check(self, job: PublishJob) -> None:
        """Refuse, before any call, a post the platform would refuse (PublishError)."""

    @abstractmethod
    def container_params(self, graph: GraphClient, job: PublishJob) -> dict[str, Any]:
        """The parameters of ``POST /{user}/<CREATE_EDGE>`` for ``job``."""

    @abstractmethod
    def status_meaning(self, status: ContainerStatus) -> Meaning:
        """What a container in ``ERROR`` means for the owner."""

    def forget_progress(self) -> dict[str, Any]:
        """Progress to clear, besides the container, when a container is abandoned."""
        return {}

    # --- The state machine --------------------------------------------------------------

    def _advance(
        self, graph: GraphClient, job: PublishJob, status: ContainerStatus
    ) -> Published | Pending:
        if status.code == State.PUBLISHED:
            return self._live_without_answer(graph, job)
        if status.code == State.FINISHED:
            return self._publish_container(graph, job)
        if status.code in (State.ERROR, State.EXPIRED):  # this container can never be published
            meaning = (
                self.status_meaning(status) if status.code == State.ERROR else self.EXPIRED_AT_ONCE
            )
            raise self.errors.publish_error(
                replace(meaning, fresh_container=True),
                detail=f"container {job.container_id} {status.code}: {status.detail}",
            )
        return self._pending(job, status)

    def _create(self, graph: GraphClient, job: PublishJob) -> None:
        """Make the container and commit its id before anything else is called."""
        params = self.container_params(graph, job)
        container_id = graph.post_for_id(
            "create_container", f"{job.credentials.user_id}/{self.CREATE_EDGE}", **params
        )
        job.save(
            container_id=container_id,
            container_created_at=timezone.now().isoformat(),
            publish_sent=False,
        )

    def _status(self, graph: GraphClient, job: PublishJob) -> ContainerStatus:
        state_field, detail_field = self.STATUS_FIELDS
        body = graph.get("container_status", job.container_id, fields=",".join(self.STATUS_FIELDS))
        return ContainerStatus(
            str(body.get(state_field) or State.IN_PROGRESS).upper(),
            str(body.get(detail_field) or ""),
        )

    def _pending(self, job: PublishJob, status: ContainerStatus) -> Pending:
        video = job.format in self.VIDEO_FORMATS
        created = saved_time(job.progress.get("container_created_at"))
        if created and (timezone.now() - created).total_seconds() > self.PROCESSING_GIVE_UP_S:
            raise PublishError(  # permanent: publish() forgets the container
                self.errors.words(
                    "{subject} 한 시간이 넘도록 미디어를 처리하지 못했습니다. 영상이라면 MP4"
                    "(H.264, AAC), 세로 9:16, 90초 이하인지 확인하고 다시 만든 뒤 예약해 주세요."
                ),
                kind=ErrorKind.PERMANENT,
                detail=f"container {job.container_id} {status.code} since {created.isoformat()}",
            )
        what = "영상" if video else "사진"
        return Pending(
            poll_after_s=poll_interval_s(video=video),
            note=self.errors.words(
                f"{{subject}} {what}을 처리하고 있습니다. 끝나는 대로 올릴게요."
            ),
        )

    def _publish_container(self, graph: GraphClient, job: PublishJob) -> Published:
        """Publish a FINISHED container; ``publish_sent`` is committed before the call."""
        if job.progress.get("publish_sent"):  # an earlier answer was lost: is the post there?
            found = self._find_post(graph, job)
            if found is not None:
                return found
        job.save(publish_sent=True)
        media_id = graph.post_for_id(
            self.PUBLISH_EDGE,
            f"{job.credentials.user_id}/{self.PUBLISH_EDGE}",
            effectful=True,
            creation_id=job.container_id,
        )
        job.save(media_id=media_id)
        return self._published(graph, job, media_id)

    def _live_without_answer(self, graph: GraphClient, job: PublishJob) -> Published:
        """The container is PUBLISHED but we never got the post's id: find it. When the
        post cannot be found, it is live all the same: report the container."""
        found = self._find_post(graph, job)
        if found is not None:
            return found
        job.save(media_id_unknown=True)
        return Published(
            external_id=job.container_id,
            note=self.errors.words(
                "{name}에 게시되었지만 게시물 주소를 아직 찾지 못했습니다. {name} 앱에서 "
                "확인해 주세요."
            ),
        )

    def _find_post(self, graph: GraphClient, job: PublishJob) -> Published | None:
        """The account's recent post with this job's text, made after the container."""
        created = saved_time(job.progress.get("container_created_at"))
        since = created - self.CLOCK_SLACK if created else None
        body = graph.get(
            "find_post",
            f"{job.credentials.user_id}/{self.POSTS_EDGE}",
            fields=f"id,{self.TEXT_FIELD},timestamp,permalink",
            limit=self.RECENT_POSTS,
        )
        wanted = _words(job.text)
        for post in body.get("data") or []:
            if not isinstance(post, dict) or not post.get("id"):
                continue
            posted = graph_time(post.get("timestamp"))
            if _words(str(post.get(self.TEXT_FIELD) or "")) != wanted:
                continue
            if since is not None and (posted is None or posted < since):
                continue
            media_id = str(post["id"])
            permalink = str(post.get("permalink") or "")
            job.save(media_id=media_id, permalink=permalink)
            return Published(external_id=media_id, permalink=permalink)
        return None

    def _published(self, graph: GraphClient, job: PublishJob, media_id: str) -> Published:
        """The live post, with its permalink when Meta gives it (a failed read never
        fails a post that is live)."""
        permalink = str(job.progress.get("permalink") or "")
        if not permalink:
            try:
                body = graph.get("read_permalink", media_id, fields="permalink")
                permalink = str(body.get("permalink") or "")
            except PublishError as exc:
                logger.info("permalink read failed for %s %s: %s", self.platform, media_id, exc)
            if permalink:
                job.save(permalink=permalink)
        return Published(external_id=media_id, permalink=permalink)

    def _forget_container(self, job: PublishJob) -> None:
        """Abandon the saved container: it can never be published (expired or failed)."""
        job.save(
            container_id="",
            container_created_at="",
            publish_sent=False,
            **self.forget_progress(),
        )


def _container_is_done_for(error: PublishError) -> bool:
    """Whether the saved container must not be used again after ``error``: Meta said it
    is dead, or the post must change (a permanent refusal) before it goes out."""
    if error.outcome_unknown:
        return False
    return error.kind is ErrorKind.PERMANENT or (
        isinstance(error, GraphPublishError) and error.fresh_container
    )


def saved_time(value: Any) -> dt.datetime | None:
    """A time this module saved in ``job.progress`` (ISO 8601), or None."""
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _words(text: str) -> str:
    """Text compared by its words: Meta may trim or fold whitespace."""
    return " ".join(text.split())
