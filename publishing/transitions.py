"""Every state change of a Publication, one function per move.

Each move is a conditional UPDATE whose WHERE clause names the states it may leave
(and, for claims, the claim token), so of two dispatchers, two deliveries of one task,
a reaper and a slow worker, or an owner and a worker, exactly one wins and the others
change nothing. Each returns whether it moved (the run's outcomes: the new state, or
None when the run no longer holds the publication). What the owner is told on
entering a state is sent here, only by the call that made the move.

    scheduled ─claim→ claimed ─take→ publishing ─published→ published
    retry_wait ┘                       │  ├─processing→ processing ─take→ publishing
                                       │  ├─retry_or_fail→ retry_wait | failed
                                       │  └─needs_action→ needs_action ─confirm→ published
    failed ─retry / reconnect→ scheduled         needs_action ─skip→ skipped
    claimed, publishing, processing (silent) ─reap→ claimed
    anything not yet out ─cancel→ canceled
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from content import transitions as piece_transitions
from core.backoff import backoff_s
from publishing import notify
from publishing.account_transitions import mark_needs_reauth
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers.base import ErrorKind, Pending, Published, PublishError

State = Publication.State
DUE = (State.SCHEDULED, State.RETRY_WAIT)
CANCELABLE = (
    State.SCHEDULED,
    State.CLAIMED,
    State.RETRY_WAIT,
    State.PROCESSING,
    State.NEEDS_ACTION,
    State.FAILED,
)
CONFIRMABLE = (State.NEEDS_ACTION, State.SCHEDULED, State.RETRY_WAIT)
# Waits that are not the platform failing: they neither trip the breaker nor use up attempts.
WAITS = ("quota", "breaker_open")
NAVER_READY_SUBJECT = "네이버 블로그에 올릴 시간이에요"


def _move(publication_id: int, allowed: Q, **changes: Any) -> bool:
    """The one conditional UPDATE: ``changes`` apply only while ``allowed`` holds."""
    changes.setdefault("state_changed_at", timezone.now())
    return bool(Publication.objects.filter(allowed, pk=publication_id).update(**changes))


def _from(*states: str) -> Q:
    return Q(state__in=states)


# --- Scheduling and claims ----------------------------------------------------------------


def reschedule(publication_id: int, at: dt.datetime) -> bool:
    """scheduled / retry_wait -> scheduled at ``at`` (the owner moved it; the state's
    clock keeps running)."""
    return bool(
        Publication.objects.filter(pk=publication_id, state__in=DUE).update(
            scheduled_at=at, next_attempt_at=at, state=State.SCHEDULED
        )
    )


def claim(ids: list[int], token: uuid.UUID, now: dt.datetime) -> int:
    """scheduled / retry_wait, due by ``now`` -> claimed by ``token``. Returns how many
    it claimed. The due condition keeps the UPDATE on the (state, next_attempt_at)
    index's due range: with the state alone, SQLite walks every scheduled row."""
    if not ids:
        return 0
    return Publication.objects.filter(pk__in=ids, state__in=DUE, next_attempt_at__lte=now).update(
        state=State.CLAIMED, claim_token=token, claimed_at=now, state_changed_at=now
    )


def take(publication_id: int, from_state: str, token: str) -> bool:
    """claimed (a new attempt) or processing (a poll) -> publishing, if ``token`` still
    holds the claim: a second delivery of the same task finds nothing to take."""
    changes: dict[str, Any] = {"state": State.PUBLISHING}
    if from_state == State.CLAIMED:
        changes["attempt_count"] = F("attempt_count") + 1
    return _move(publication_id, Q(state=from_state, claim_token=token), **changes)


# --- The run's outcomes (from publishing) --------------------------------------------------

RUNNING = Q(state=State.PUBLISHING)


def published(publication: Publication, result: Published) -> str | None:
    """publishing -> published."""
    moved = _move(
        publication.pk,
        RUNNING,
        state=State.PUBLISHED,
        external_id=result.external_id[:120],
        permalink=result.permalink[:500],
        published_at=timezone.now(),
        next_attempt_at=None,
        error_kind="",
        last_error=result.note,
        last_error_detail="",
    )
    if moved:
        piece_transitions.mark_published(publication.piece_id)
    return State.PUBLISHED if moved else None


def processing(publication: Publication, pending: Pending, now: dt.datetime) -> str | None:
    """publishing -> processing, under a fresh claim token for the poll task."""
    moved = _move(
        publication.pk,
        RUNNING,
        state=State.PROCESSING,
        claim_token=uuid.uuid4(),
        next_attempt_at=now + dt.timedelta(seconds=pending.poll_after_s),
        last_error=pending.note,
    )
    return State.PROCESSING if moved else None


def retry_or_fail(publication: Publication, error: PublishError, *, now: dt.datetime) -> str | None:
    """publishing -> retry_wait for a transient error within the attempt budget (a wait
    for quota or the breaker spends none), else -> failed, telling the owner (an auth
    error flags the account instead, which tells them once)."""
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
        moved = _move(
            publication.pk,
            RUNNING,
            state=State.RETRY_WAIT,
            next_attempt_at=now + dt.timedelta(seconds=delay),
            error_kind=error.kind.value,
            last_error=error.message,
            last_error_detail=error.detail[:4000],
        )
        return State.RETRY_WAIT if moved else None
    message = error.message
    if error.kind is ErrorKind.TRANSIENT:
        message = f"{publication.attempt_count}번 시도했지만 게시하지 못했습니다. 마지막 이유: {error.message}"
    if not _fail(publication, error, message=message, detail=error.detail[:4000]):
        return None
    if error.kind is ErrorKind.AUTH and publication.channel_account is not None:
        mark_needs_reauth(publication.channel_account, error.message)
    else:
        notify.notify_owner(
            publication.piece.business,
            "게시하지 못한 글이 있어요",
            f"'{publication.piece.title}' 게시에 실패했습니다.\n이유: {message}",
            link_path=f"/app/publications/{publication.pk}/",
        )
    return State.FAILED


def fail_quietly(publication: Publication, error: PublishError) -> str | None:
    """publishing -> failed, telling nobody: the account was already flagged (or is gone)."""
    moved = _fail(publication, error, message=error.message, detail=error.detail)
    return State.FAILED if moved else None


def _fail(publication: Publication, error: PublishError, *, message: str, detail: str) -> bool:
    return _move(
        publication.pk,
        RUNNING,
        state=State.FAILED,
        next_attempt_at=None,
        error_kind=error.kind.value,
        last_error=message,
        last_error_detail=detail,
    )


def needs_action(publication: Publication, reason: str = "") -> str | None:
    """publishing -> needs_action (assisted publishing): the owner posts it, with the
    copy-ready page and a reminder."""
    if not _move(
        publication.pk,
        RUNNING,
        state=State.NEEDS_ACTION,
        next_attempt_at=None,
        reminded_at=timezone.now(),
        last_error=reason,
    ):
        return None
    piece = publication.piece
    body = f"예약한 글을 올릴 시간입니다: '{piece.title}'. 아래 링크에서 제목, 본문, 사진을 차례로 복사해 붙여 넣고, 올린 글의 주소를 알려 주세요."
    if reason:
        body = f"{reason}\n\n{body}"
    notify.notify_owner(
        piece.business,
        NAVER_READY_SUBJECT,
        body,
        link_path=f"/app/publications/{publication.pk}/assisted/",
    )
    return State.NEEDS_ACTION


# --- The reaper ------------------------------------------------------------------------------


def stuck_filter(now: dt.datetime) -> Q:
    """In-flight publications nobody has touched for PUBLISH_STUCK_AFTER_S."""
    cutoff = now - dt.timedelta(seconds=settings.PUBLISH_STUCK_AFTER_S)
    return (
        Q(state=State.PUBLISHING, state_changed_at__lt=cutoff)
        | Q(state=State.CLAIMED, claimed_at__lt=cutoff)
        | Q(state=State.PROCESSING, next_attempt_at__lt=cutoff)
    )


def reap(publication: Publication, token: uuid.UUID, now: dt.datetime) -> bool:
    """A silent claimed / publishing / processing run -> claimed by ``token``, only if
    nothing touched it since it was read as stuck; its open attempt is closed as
    interrupted."""
    if not _move(
        publication.pk,
        Q(
            state=publication.state,
            state_changed_at=publication.state_changed_at,
            claim_token=publication.claim_token,
        ),
        state=State.CLAIMED,
        claim_token=token,
        claimed_at=now,
        state_changed_at=now,
    ):
        return False
    PublishAttempt.objects.filter(
        publication_id=publication.pk, outcome=PublishAttempt.Outcome.PENDING
    ).update(
        outcome=PublishAttempt.Outcome.INTERRUPTED,
        finished_at=now,
        error="작업이 중간에 멈춰서 플랫폼에 상태를 확인한 뒤 이어서 진행합니다.",
    )
    return True


# --- The owner's moves ------------------------------------------------------------------------


def cancel(publication_id: int) -> bool:
    """Anything not yet out (not publishing, published or skipped) -> canceled."""
    return _move(publication_id, _from(*CANCELABLE), state=State.CANCELED, next_attempt_at=None)


def retry_now(publication_id: int, now: dt.datetime) -> bool:
    """failed -> scheduled now, with a fresh attempt budget."""
    return _move(
        publication_id,
        _from(State.FAILED),
        state=State.SCHEDULED,
        next_attempt_at=now,
        attempt_count=0,
        error_kind="",
        state_changed_at=now,
    )


def confirm_published(publication_id: int, permalink: str, external_id: str) -> bool:
    """needs_action (or not yet run) -> published: the owner posted it themselves."""
    now = timezone.now()
    moved = _move(
        publication_id,
        _from(*CONFIRMABLE),
        state=State.PUBLISHED,
        permalink=permalink[:500],
        external_id=external_id,
        published_at=now,
        last_error="",
        state_changed_at=now,
        next_attempt_at=None,
    )
    if moved:
        piece_id = Publication.objects.values_list("piece_id", flat=True).get(pk=publication_id)
        piece_transitions.mark_published(piece_id)
    return moved


def skip(publication_id: int) -> bool:
    """needs_action -> skipped: the owner decided not to post it."""
    return _move(publication_id, _from(State.NEEDS_ACTION), state=State.SKIPPED)


def reconnect(account: ChannelAccount, now: dt.datetime | None = None) -> int:
    """failed for want of a connection -> scheduled now, for the account's posts
    scheduled within the last week (not while the shop is paused or archived). Returns
    how many."""
    now = now or timezone.now()
    return Publication.objects.filter(
        channel_account=account,
        state=State.FAILED,
        error_kind="auth",
        scheduled_at__gte=now - dt.timedelta(days=7),
        piece__business__paused_at__isnull=True,
        piece__business__archived_at__isnull=True,
    ).update(state=State.SCHEDULED, next_attempt_at=now, attempt_count=0, state_changed_at=now)
