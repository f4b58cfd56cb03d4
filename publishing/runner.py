"""Running one claimed publication: from the post and the account to a platform call,
and from the platform's answer to the publication's next state.

Only the task that won the publication's claim gets here (services.py owns claims),
so one publication is never run twice at once. What the platform gave us (container
id, upload session) is committed before the call that publishes, and every platform
call is recorded before it is made.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.backoff import backoff_s
from core.breaker import CircuitBreaker, CircuitOpen
from publishing import notify
from publishing.jobs import build_job, check_media, check_quota
from publishing.models import ChannelAccount, Publication
from publishing.posts import post_for
from publishing.publishers import publisher_for
from publishing.publishers.base import (
    ErrorKind,
    Pending,
    Published,
    PublishError,
)
from publishing.publishers.naver import FallbackToAssisted

logger = logging.getLogger(__name__)
State = Publication.State
# Waits that are not the platform failing: they neither trip the breaker nor use up attempts.
WAITS = ("quota", "breaker_open")
NAVER_READY_SUBJECT = "네이버 블로그에 올릴 시간이에요"


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


# --- After the call -----------------------------------------------------------------------


def _update(publication: Publication, **changes: Any) -> None:
    changes.setdefault("state_changed_at", timezone.now())
    Publication.objects.filter(pk=publication.pk).update(**changes)


def published(publication: Publication, result: Published) -> None:
    _update(
        publication,
        state=State.PUBLISHED,
        external_id=result.external_id[:120],
        permalink=result.permalink[:500],
        published_at=timezone.now(),
        next_attempt_at=None,
        error_kind="",
        last_error=result.note,
        last_error_detail="",
    )


def failed(publication: Publication, error: PublishError, *, now: dt.datetime) -> str:
    """Retry a transient error later, within the attempt budget; fail anything else.
    Returns the new state."""
    waiting = error.code in WAITS
    attempts_left = publication.attempt_count < settings.PUBLISH_MAX_ATTEMPTS
    if error.kind is ErrorKind.TRANSIENT and (waiting or attempts_left):
        # Half to all of the doubling wait ("equal jitter"): never a near-zero retry.
        delay = backoff_s(
            publication.attempt_count - 1,
            base_s=settings.PUBLISH_BACKOFF_BASE_S,
            cap_s=settings.PUBLISH_BACKOFF_MAX_S,
            retry_after_s=error.retry_after_s,
            floor_share=0.5,
        )
        if waiting:
            delay = error.retry_after_s or delay
        _update(
            publication,
            state=State.RETRY_WAIT,
            next_attempt_at=now + dt.timedelta(seconds=delay),
            error_kind=error.kind.value,
            last_error=error.message,
            last_error_detail=error.detail[:4000],
        )
        return State.RETRY_WAIT
    message = error.message
    if error.kind is ErrorKind.TRANSIENT:
        message = f"{publication.attempt_count}번 시도했지만 게시하지 못했습니다. 마지막 이유: {error.message}"
    _update(
        publication,
        state=State.FAILED,
        next_attempt_at=None,
        error_kind=error.kind.value,
        last_error=message,
        last_error_detail=error.detail[:4000],
    )
    if error.kind is ErrorKind.AUTH and publication.channel_account is not None:
        from publishing.accounts import mark_needs_reauth

        mark_needs_reauth(publication.channel_account, error.message)
    else:
        notify.notify_owner(
            publication.piece.business,
            "게시하지 못한 글이 있어요",
            f"'{publication.piece.title}' 게시에 실패했습니다.\n이유: {message}",
            link_path=f"/app/publications/{publication.pk}/",
        )
    return State.FAILED


def needs_action(publication: Publication, reason: str = "") -> None:
    """Assisted publishing: the owner posts it, with the copy-ready page and a reminder."""
    _update(
        publication,
        state=State.NEEDS_ACTION,
        next_attempt_at=None,
        reminded_at=timezone.now(),
        last_error=reason,
    )
    piece = publication.piece
    body = f"예약한 '{piece.title}'을(를) 올릴 시간입니다. 아래 링크에서 제목, 본문, 사진을 차례로 복사해 붙여 넣고, 올린 글의 주소를 알려 주세요."
    if reason:
        body = f"{reason}\n\n{body}"
    notify.notify_owner(
        piece.business,
        NAVER_READY_SUBJECT,
        body,
        link_path=f"/app/publications/{publication.pk}/assisted/",
    )


# --- The run -----------------------------------------------------------------------------


def run(publication_id: int) -> str:
    """Run a publication this task has claimed (state publishing). Returns the new state;
    a Pending answer leaves it processing with a poll task queued by the caller."""
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
        return _fail_without_flagging(publication, error)
    if account.mode == ChannelAccount.Mode.ASSISTED:
        needs_action(publication)
        return State.NEEDS_ACTION
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
        return failed(publication, error, now=now)
    except PublishError as exc:
        if isinstance(exc, FallbackToAssisted):
            if exc.kind is ErrorKind.AUTH:
                from publishing.accounts import mark_needs_reauth

                mark_needs_reauth(account, exc.message)
            needs_action(publication, exc.message)
            return State.NEEDS_ACTION
        publication.refresh_from_db(fields=["attempt_count"])
        return failed(publication, exc, now=now)
    if isinstance(result, Pending):
        _update(
            publication,
            state=State.PROCESSING,
            claim_token=uuid.uuid4(),
            next_attempt_at=now + dt.timedelta(seconds=result.poll_after_s),
            last_error=result.note,
        )
        return State.PROCESSING
    published(publication, result)
    return State.PUBLISHED


def _fail_without_flagging(publication: Publication, error: PublishError) -> str:
    """The account was already flagged (or is gone): fail the post, tell nobody twice."""
    _update(
        publication,
        state=State.FAILED,
        next_attempt_at=None,
        error_kind=error.kind.value,
        last_error=error.message,
        last_error_detail=error.detail,
    )
    return State.FAILED


def _fresh_token(account: ChannelAccount, now: dt.datetime) -> None:
    """Refresh a token about to expire (Google access tokens last an hour)."""
    if account.token_expires_at is None or account.token_expires_at > now + dt.timedelta(minutes=5):
        return
    from publishing.accounts import refresh_account

    refresh_account(account)
    account.refresh_from_db()
    if account.state != ChannelAccount.State.ACTIVE:
        raise PublishError(
            "계정 연결이 만료되어 게시하지 못했습니다. 채널 연결 화면에서 다시 연결해 주세요.",
            kind=ErrorKind.AUTH,
            detail=account.state_reason,
        )


def stuck_filter(now: dt.datetime) -> Q:
    """In-flight publications nobody has touched for PUBLISH_STUCK_AFTER_S."""
    cutoff = now - dt.timedelta(seconds=settings.PUBLISH_STUCK_AFTER_S)
    return (
        Q(state=State.PUBLISHING, state_changed_at__lt=cutoff)
        | Q(state=State.CLAIMED, claimed_at__lt=cutoff)
        | Q(state=State.PROCESSING, next_attempt_at__lt=cutoff)
    )
