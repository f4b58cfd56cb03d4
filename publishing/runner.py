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

from django.conf import settings
from django.utils import timezone

from core.breaker import CircuitBreaker, CircuitOpen
from publishing import transitions
from publishing.account_transitions import mark_needs_reauth
from publishing.accounts import refresh_account
from publishing.jobs import build_job, check_media, check_quota
from publishing.models import ChannelAccount, Publication
from publishing.posts import post_for
from publishing.publishers import publisher_for
from publishing.publishers.base import AssistedFallback, ErrorKind, Pending, PublishError
from publishing.transitions import WAITS

logger = logging.getLogger(__name__)
State = Publication.State


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
        fresh_token(account, now)
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
        if isinstance(exc, AssistedFallback):
            if exc.kind is ErrorKind.AUTH:
                mark_needs_reauth(account, exc.message)
            return transitions.needs_action(publication, exc.message)
        publication.refresh_from_db(fields=["attempt_count"])
        return transitions.retry_or_fail(publication, exc, now=now)
    if isinstance(result, Pending):
        return transitions.processing(publication, result, now)
    return transitions.published(publication, result)


def fresh_token(account: ChannelAccount, now: dt.datetime) -> None:
    """Refresh a token about to expire (Google access tokens last an hour); raises an AUTH
    PublishError when the refresh leaves the account unusable."""
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
