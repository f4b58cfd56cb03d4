"""Every change of a ``Collection``: begin, claim, collected, no numbers, wait, stop;
pause for an account that needs reconnecting, resume, expire; the owner's numbers and
their reminder. Each is a conditional UPDATE and says whether (or how many) it moved;
a move of a claimed collection needs the claim's token, so a task whose lease ran out
(and was re-dispatched) changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q

from analytics.models import Collection
from publishing.models import ChannelAccount

State = Collection.State


def begin(collections: Iterable[Collection]) -> None:
    """Start collecting for publications that have no collection yet (others are left)."""
    Collection.objects.bulk_create(list(collections), ignore_conflicts=True)


def claim(ids: list[int], token: uuid.UUID, *, now: dt.datetime, lease_until: dt.datetime) -> int:
    """collecting and due -> claimed by ``token`` until ``lease_until``. Returns how many."""
    return Collection.objects.filter(
        pk__in=ids, state=State.COLLECTING, next_collect_at__lte=now
    ).update(claim_token=token, next_collect_at=lease_until)


def _move(collection_id: int, token: str, **changes: Any) -> bool:
    return (
        Collection.objects.filter(
            pk=collection_id, state=State.COLLECTING, claim_token=token
        ).update(claim_token=None, **changes)
        == 1
    )


def collected(
    collection_id: int, token: str, *, now: dt.datetime, next_at: dt.datetime | None
) -> bool:
    """claimed -> collecting at the next rung, or done after the last one."""
    if next_at is None:
        return _move(
            collection_id,
            token,
            state=State.DONE,
            next_collect_at=None,
            last_collected_at=now,
            failures=0,
            reason="",
        )
    return _move(
        collection_id, token, next_collect_at=next_at, last_collected_at=now, failures=0, reason=""
    )


def no_numbers(collection_id: int, token: str, *, next_at: dt.datetime | None, reason: str) -> bool:
    """claimed -> collecting at the next rung (done after the last one) without a
    snapshot: the platform answered but showed no numbers yet. Not a failure."""
    state = State.DONE if next_at is None else State.COLLECTING
    return _move(
        collection_id, token, state=state, next_collect_at=next_at, failures=0, reason=reason[:2000]
    )


def wait(
    collection_id: int,
    token: str,
    *,
    until: dt.datetime,
    failed: bool,
    reason: str | None = None,
) -> bool:
    """claimed -> collecting again at ``until`` (a failure counts towards giving up)."""
    failures = F("failures") + 1 if failed else F("failures")
    changes: dict[str, Any] = {"next_collect_at": until, "failures": failures}
    if reason is not None:
        changes["reason"] = reason[:2000]
    return _move(collection_id, token, **changes)


def stop(collection_id: int, token: str, *, reason: str) -> bool:
    """claimed -> stopped: this post's numbers will not be read again."""
    return _move(
        collection_id, token, state=State.STOPPED, next_collect_at=None, reason=reason[:2000]
    )


def close(collection_ids: list[int], *, reason: str) -> int:
    """collecting or paused (claimed or not) -> stopped, for posts whose platform can no
    longer answer (the demo's simulators). Returns how many."""
    return Collection.objects.filter(
        pk__in=collection_ids, state__in=(State.COLLECTING, State.PAUSED)
    ).update(state=State.STOPPED, next_collect_at=None, claim_token=None, reason=reason[:2000])


# --- Waiting for a reconnect ----------------------------------------------------------------


def pause_account(account_id: int, *, reason: str) -> int:
    """collecting (claimed or not) -> paused, for every post of an account that needs
    reconnecting. Returns how many."""
    return Collection.objects.filter(
        state=State.COLLECTING, publication__channel_account_id=account_id
    ).update(state=State.PAUSED, next_collect_at=None, claim_token=None, reason=reason[:2000])


def resume_reconnected(*, now: dt.datetime) -> int:
    """paused -> collecting, due now, for the posts of accounts that are active again
    (the ladder goes on from the next read). Returns how many."""
    return Collection.objects.filter(
        state=State.PAUSED, publication__channel_account__state=ChannelAccount.State.ACTIVE
    ).update(state=State.COLLECTING, next_collect_at=now, failures=0, reason="")


def expire_paused(*, published_before: dt.datetime, reason: str) -> int:
    """paused or collecting -> stopped, for posts whose ladder ended while they waited
    (published before ``published_before``) and for posts whose account is gone.
    Returns how many."""
    ended = Q(state=State.PAUSED, publication__published_at__lte=published_before)
    orphaned = Q(
        state__in=(State.COLLECTING, State.PAUSED), publication__channel_account__isnull=True
    )
    return Collection.objects.filter(ended | orphaned).update(
        state=State.STOPPED, next_collect_at=None, claim_token=None, reason=reason[:2000]
    )


# --- Numbers the owner enters ----------------------------------------------------------------


def owner_entered(publication_id: int, *, now: dt.datetime) -> bool:
    """owner -> owner, read now: no reminder is due any more."""
    return bool(
        Collection.objects.filter(publication_id=publication_id, state=State.OWNER).update(
            last_collected_at=now, next_collect_at=None
        )
    )


def claim_reminders(ids: list[int], token: uuid.UUID, *, now: dt.datetime) -> int:
    """owner, due and never reminded -> reminded now, claimed by ``token`` to send the
    e-mail (a second dispatcher finds nothing left). Returns how many."""
    return Collection.objects.filter(
        pk__in=ids, state=State.OWNER, reminded_at__isnull=True, next_collect_at__lte=now
    ).update(reminded_at=now, next_collect_at=None, claim_token=token)


def release_reminders(token: uuid.UUID) -> int:
    """The reminders of ``token`` are sent: drop the claim."""
    return Collection.objects.filter(claim_token=token, state=State.OWNER).update(claim_token=None)
