"""Every change of a ``Collection``: begin, claim, collected, wait, stop. Each is a
conditional UPDATE and says whether it moved; a move of a claimed collection needs
the claim's token, so a task whose lease ran out (and was re-dispatched) changes
nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import F

from analytics.models import Collection

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
        )
    return _move(collection_id, token, next_collect_at=next_at, last_collected_at=now, failures=0)


def wait(collection_id: int, token: str, *, until: dt.datetime, failed: bool) -> bool:
    """claimed -> collecting again at ``until`` (a failure counts towards giving up)."""
    failures = F("failures") + 1 if failed else F("failures")
    return _move(collection_id, token, next_collect_at=until, failures=failures)


def stop(collection_id: int, token: str, *, reason: str) -> bool:
    """claimed -> stopped: this post's numbers will not be read again."""
    return _move(
        collection_id, token, state=State.STOPPED, next_collect_at=None, reason=reason[:2000]
    )


def stop_account(account_id: int, *, reason: str) -> int:
    """Every collection of the account's posts -> stopped (its token was refused).
    Returns how many."""
    return Collection.objects.filter(
        state=State.COLLECTING, publication__channel_account_id=account_id
    ).update(state=State.STOPPED, next_collect_at=None, claim_token=None, reason=reason[:2000])
