"""Running one claimed publication: from the post and the account to a platform call,
and from the platform's answer to the publication's next state (each move made by
``publishing.transitions``).

Only the task that won the publication's claim gets here (transitions.take),
so one publication is never run twice at once. What the platform gave us (container
id, upload session) is committed before the call that publishes, and every platform
call is recorded before it is made.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from core.breaker import CircuitBreaker, CircuitOpen
from publishing import transitions
from publishing.account_transitions import mark_needs_reauth
from publishing.accounts import refresh_account
from publishing.endpoints import endpoints_for
from publishing.media import check_media_url, public_url
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.posts import PostContent, blog_html, post_for
from publishing.publishers import publisher_for
from publishing.publishers.base import (
    CallRecord,
    Credentials,
    ErrorKind,
    Media,
    Pending,
    PublishError,
    PublishJob,
)
from publishing.publishers.naver import FallbackToAssisted
from publishing.transitions import WAITS

logger = logging.getLogger(__name__)
State = Publication.State
PACIFIC = ZoneInfo("America/Los_Angeles")
OUTCOME_OF = {
    ErrorKind.TRANSIENT: PublishAttempt.Outcome.TRANSIENT,
    ErrorKind.PERMANENT: PublishAttempt.Outcome.PERMANENT,
    ErrorKind.AUTH: PublishAttempt.Outcome.AUTH,
}


def platform_breaker(platform: str, sandbox: bool) -> CircuitBreaker:
    return CircuitBreaker(
        f"publish:{platform}:{'sandbox' if sandbox else 'live'}",
        failures=settings.PUBLISH_BREAKER_FAILURES,
        reset_s=settings.PUBLISH_BREAKER_RESET_S,
        is_failure=lambda exc: (
            isinstance(exc, PublishError)
            and exc.kind is ErrorKind.TRANSIENT
            and exc.code not in WAITS
        ),
    )


# --- Recording --------------------------------------------------------------------------


def _recorder(publication_id: int):  # type: ignore[no-untyped-def]
    @contextmanager
    def record(action: str, summary: dict[str, Any]) -> Iterator[CallRecord]:
        now = timezone.now()
        # A live run keeps pushing its deadline: the reaper only takes over a silent one.
        Publication.objects.filter(pk=publication_id).update(state_changed_at=now)
        number = (
            PublishAttempt.objects.filter(publication_id=publication_id).aggregate(n=Max("number"))[
                "n"
            ]
            or 0
        ) + 1
        attempt = PublishAttempt.objects.create(
            publication_id=publication_id,
            number=number,
            action=action,
            request_summary=summary,
        )
        started, result = time.monotonic(), CallRecord()
        outcome, error = PublishAttempt.Outcome.SUCCEEDED, ""
        try:
            yield result
        except PublishError as exc:
            outcome, error = OUTCOME_OF[exc.kind], str(exc)
            result.status = result.status or exc.status
            raise
        except Exception as exc:
            outcome, error = PublishAttempt.Outcome.TRANSIENT, f"{type(exc).__name__}: {exc}"
            raise
        finally:
            PublishAttempt.objects.filter(pk=attempt.pk).update(
                finished_at=timezone.now(),
                outcome=outcome,
                error=error[:2000],
                response_status=result.status,
                duration_ms=int((time.monotonic() - started) * 1000),
                request_summary={**summary, **result.summary},
            )

    return record


def _saver(publication_id: int):  # type: ignore[no-untyped-def]
    def save(container_id: str, progress: dict[str, Any]) -> None:
        Publication.objects.filter(pk=publication_id).update(
            container_id=container_id, progress=progress, state_changed_at=timezone.now()
        )

    return save


# --- The job -----------------------------------------------------------------------------


def build_job(publication: Publication, post: PostContent) -> PublishJob:
    account = publication.channel_account
    assert account is not None
    sandbox = account.mode == ChannelAccount.Mode.SANDBOX
    media = [
        Media(
            kind=kind,
            url=public_url(asset),
            mime_type=asset.mime_type,
            size_bytes=asset.size_bytes,
            path=_local_path(asset),
            width=asset.width,
            height=asset.height,
            duration_s=asset.duration_s,
        )
        for kind, asset in post.assets
    ]
    text = blog_html(post, public_url) if post.format == "blog" else post.text
    return PublishJob(
        publication_id=publication.pk,
        platform=account.platform,
        format=post.format,
        text=text,
        title=post.title,
        tags=post.tags,
        alt_text=post.alt_text,
        media=media,
        endpoints=endpoints_for(account.platform, sandbox),
        credentials=Credentials(
            access_token=account.access_token,
            user_id=account.external_id,
            username=account.display_name or account.external_id,
            api_password=account.api_password,
        ),
        scheduled_at=publication.scheduled_at,
        container_id=publication.container_id,
        progress=dict(publication.progress or {}),
        saver=_saver(publication.pk),
        recorder=_recorder(publication.pk),
    )


def _local_path(asset) -> Path | None:  # type: ignore[no-untyped-def]
    try:
        return Path(asset.file.path)
    except (NotImplementedError, ValueError):  # remote storage: the publisher streams the URL
        return None


# --- Checks before calling ---------------------------------------------------------------


def _window_start(platform: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start of the counting window, when it next frees up) for the platform's limit."""
    if platform == "youtube_shorts":  # YouTube's quota day ends at midnight Pacific
        local = now.astimezone(PACIFIC)
        midnight = dt.datetime.combine(local.date(), dt.time(), tzinfo=PACIFIC)
        next_midnight = dt.datetime.combine(
            local.date() + dt.timedelta(days=1), dt.time(), tzinfo=PACIFIC
        )
        return midnight, next_midnight
    return now - dt.timedelta(hours=24), now + dt.timedelta(hours=1)


LIMITS = {
    "instagram": ("INSTAGRAM_POSTS_PER_24H", "인스타그램은 24시간에 {limit}개까지 올릴 수 있어요"),
    "threads": ("THREADS_POSTS_PER_24H", "스레드는 24시간에 {limit}개까지 올릴 수 있어요"),
    "youtube_shorts": ("YOUTUBE_UPLOADS_PER_DAY", "유튜브 업로드 한도(하루 {limit}개)를 다 썼어요"),
}


def check_quota(publication: Publication, job: PublishJob, now: dt.datetime) -> None:
    """Raise a transient 'quota' PublishError when this account (YouTube: this Cloud
    project) has used its posts for the window; the live count wins where there is one."""
    account = publication.channel_account
    if account is None or account.platform not in LIMITS:
        return
    if job.container_id:  # resuming or polling what was already started spends nothing new
        return
    setting, wording = LIMITS[account.platform]
    limit = getattr(settings, setting)
    start, frees_at = _window_start(account.platform, now)
    counted = Publication.objects.filter(
        Q(state=State.PUBLISHED, published_at__gte=start) | Q(state=State.PROCESSING)
    ).exclude(pk=publication.pk)
    if account.platform == "youtube_shorts" and account.mode == ChannelAccount.Mode.API:
        counted = counted.filter(
            channel_account__platform="youtube_shorts", channel_account__mode="api"
        )
    else:
        counted = counted.filter(channel_account=account)
    used = counted.count()
    if account.platform != "youtube_shorts":
        live = _live_quota(job)
        if live is not None:
            used, limit = max(used, live.used), live.limit
    if used < limit:
        return
    if account.platform != "youtube_shorts":
        oldest = (
            counted.filter(state=State.PUBLISHED)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        frees_at = (oldest or now) + dt.timedelta(hours=24)
    local = timezone.localtime(frees_at, ZoneInfo(publication.piece.business.time_zone))
    raise PublishError(
        f"{wording.format(limit=limit)}. {local:%m월 %d일 %H:%M}에 자동으로 다시 올립니다.",
        kind=ErrorKind.TRANSIENT,
        code="quota",
        detail=f"{used}/{limit} used since {start.isoformat()}",
        retry_after_s=max(60.0, (frees_at - now).total_seconds()),
    )


def _live_quota(job: PublishJob):  # type: ignore[no-untyped-def]
    try:
        return publisher_for(job.platform).live_quota(job)
    except PublishError as exc:
        if exc.kind is ErrorKind.AUTH:  # no point creating anything with a dead token
            raise
        # The count above still protects the account.
        logger.info("live quota read failed for publication %s: %s", job.publication_id, exc)
        return None


def check_media(job: PublishJob, sandbox: bool, post: PostContent) -> None:
    expected = {"image": 1, "carousel": 2, "reel": 1, "short": 1}
    if len(job.media_of("image", "video")) < expected.get(job.format, 0):
        raise PublishError(
            "게시할 사진이나 영상이 아직 만들어지지 않았습니다. 콘텐츠 화면에서 제작 상태를 확인한 뒤 다시 시도해 주세요.",
            kind=ErrorKind.PERMANENT,
            code="media_missing",
        )
    if job.container_id:  # the platform already has the media
        return
    for media in job.media:
        check_media_url(
            media.url, mime_type=media.mime_type, size_bytes=media.size_bytes, allow_private=sandbox
        )


# --- The run -----------------------------------------------------------------------------


def run(publication_id: int) -> str | None:
    """Run a publication this task has claimed (state publishing). Returns the new state
    (None when the reaper took it over meanwhile); a Pending answer leaves it processing
    with a poll task queued by the caller."""
    publication = Publication.objects.select_related("piece__business", "channel_account").get(
        pk=publication_id
    )
    account = publication.channel_account
    now = timezone.now()
    if account is None or account.state != ChannelAccount.State.ACTIVE:
        reason = account.state_reason if account else ""
        error = PublishError(
            "연결된 계정을 쓸 수 없어 게시하지 못했습니다. 채널 연결 화면에서 계정을 다시 연결해 주세요.",
            kind=ErrorKind.AUTH if account else ErrorKind.PERMANENT,
            detail=reason,
        )
        return transitions.fail_quietly(publication, error)
    if account.mode == ChannelAccount.Mode.ASSISTED:
        return transitions.needs_action(publication)
    sandbox = account.mode == ChannelAccount.Mode.SANDBOX
    post = post_for(publication.piece)
    try:
        _fresh_token(account, now)
        job = build_job(publication, post)
        with platform_breaker(account.platform, sandbox).guard():
            check_quota(publication, job, now)
            check_media(job, sandbox, post)
            result = publisher_for(account.platform).publish(job)
    except CircuitOpen as exc:
        error = PublishError(
            "플랫폼이 불안정해서 잠시 쉬었다가 자동으로 다시 시도합니다.",
            kind=ErrorKind.TRANSIENT,
            code="breaker_open",
            detail=str(exc),
            retry_after_s=exc.retry_after_s,
        )
        return transitions.retry_or_fail(publication, error, now=now)
    except PublishError as exc:
        if isinstance(exc, FallbackToAssisted):
            if exc.kind is ErrorKind.AUTH:
                mark_needs_reauth(account, exc.message)
            return transitions.needs_action(publication, exc.message)
        publication.refresh_from_db(fields=["attempt_count"])
        return transitions.retry_or_fail(publication, exc, now=now)
    if isinstance(result, Pending):
        return transitions.processing(publication, result, now)
    return transitions.published(publication, result)


def _fresh_token(account: ChannelAccount, now: dt.datetime) -> None:
    """Refresh a token about to expire (Google access tokens last an hour)."""
    if account.token_expires_at is None or account.token_expires_at > now + dt.timedelta(minutes=5):
        return
    refresh_account(account)
    account.refresh_from_db()
    if account.state != ChannelAccount.State.ACTIVE:
        raise PublishError(
            "계정 연결이 만료되어 게시하지 못했습니다. 채널 연결 화면에서 다시 연결해 주세요.",
            kind=ErrorKind.AUTH,
            detail=account.state_reason,
        )
