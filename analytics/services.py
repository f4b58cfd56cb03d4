"""Collecting published posts' numbers on the ladder (``analytics.ladder``).

The dispatcher (every few minutes) starts a ``Collection`` for each newly published
post, pauses the ones of accounts that need reconnecting and resumes those whose
account is active again, claims the due ones and sends one collect task each. The
collect task reads the numbers with the platform's collector (``Publisher.collect``,
inside the platform's breaker, every call recorded as a PublishAttempt) and stores a
``MetricSnapshot``. What an answer means for collecting:

- no numbers yet (Meta's "not enough viewers"): no snapshot, the next rung as usual;
- transient (5xx, 429, timeouts): look again after a backoff, never later than the
  next rung; after the last rung, give up after a few tries. These count towards the
  platform's publishing breaker, as publishing's own do;
- an open breaker: wait until it closes (never later than the next rung), which is
  not a failure;
- auth: the account is flagged for the owner to reconnect (as publishing flags it,
  with one e-mail) and every collection of the account pauses; a reconnect resumes
  them at once, and one whose ladder ended meanwhile stops;
- permanent (the post is gone): stop collecting for that post.

Platforms without a statistics API (Naver Blog) get an ``owner`` collection instead:
no API is called, the owner enters the numbers (``analytics.owner_metrics``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics import transitions
from analytics.ladder import LAST_RUNG, next_rung
from analytics.models import AccountReading, Collection, MetricSnapshot
from analytics.owner_metrics import REMIND_AFTER
from core import queue
from core.backoff import backoff_s
from core.breaker import CircuitOpen
from publishing.account_transitions import mark_needs_reauth
from publishing.jobs import (
    account_job,
    check_collect_units,
    collection_job,
    remember_refused_metrics,
)
from publishing.models import ChannelAccount, Publication
from publishing.publishers import PUBLISHERS, publisher_class, publisher_for
from publishing.publishers.base import ErrorKind, Metrics, PublishError
from publishing.runner import fresh_token, platform_breaker

logger = logging.getLogger(__name__)
State = Collection.State
LEASE = dt.timedelta(minutes=10)  # a silent collect task's claim runs out after this
BATCH = 200
BACKOFF_BASE_S = 300.0
BACKOFF_CAP_S = 6 * 3600.0
GIVE_UP_AFTER = 5  # transient failures in a row once the ladder has no rung left
SNAPSHOT_FIELDS = (
    *("views", "reach", "likes", "comments", "saves", "shares", "reposts", "quotes"),
    *("watch_minutes", "avg_view_seconds", "avg_view_percentage"),
)
READ_MODES = (ChannelAccount.Mode.API, ChannelAccount.Mode.SANDBOX)


def start_collections(now: dt.datetime | None = None) -> int:
    """Give every published post a Collection: on the ladder at its next rung when a
    collector can read it (a post older than the ladder is read once), entered by the
    owner when its platform has no statistics API (a reminder due three days after
    publishing, none for a post older than the ladder). Posts whose id we never learned
    (Meta's ``media_id_unknown``) are recorded as stopped. Idempotent; returns how many."""
    now = now or timezone.now()
    readable = [name for name, publisher in PUBLISHERS.items() if publisher.collects]
    owner_entered = [name for name in PUBLISHERS if name not in readable]
    published = Publication.objects.filter(
        state=Publication.State.PUBLISHED, collection__isnull=True, published_at__isnull=False
    )
    new = (
        published.filter(
            channel_account__platform__in=readable, channel_account__mode__in=READ_MODES
        )
        .exclude(external_id="")
        .values_list("pk", "published_at", "progress")[:BATCH]
    )
    collections = []
    for pk, published_at in published.filter(piece__channel__in=owner_entered).values_list(
        "pk", "published_at"
    )[:BATCH]:
        assert published_at is not None
        remind_at = published_at + REMIND_AFTER
        recent = now - published_at < LAST_RUNG
        collections.append(
            Collection(
                publication_id=pk, state=State.OWNER, next_collect_at=remind_at if recent else None
            )
        )
    for pk, published_at, progress in new:
        if published_at is None or (progress or {}).get("media_id_unknown"):
            collections.append(
                Collection(
                    publication_id=pk,
                    state=State.STOPPED,
                    reason="게시물 ID를 플랫폼에서 찾지 못해 성과를 읽을 수 없어요.",
                )
            )
        else:
            at = next_rung(published_at, now) or now
            collections.append(Collection(publication_id=pk, next_collect_at=at))
    transitions.begin(collections)
    return len(collections)


def claim_due_collections(now: dt.datetime | None = None) -> tuple[uuid.UUID, list[int]]:
    """Start new collections, pause those of accounts that need reconnecting, stop the
    paused ones whose ladder ended, resume those whose account is active again, then
    claim the due ones. Safe to run from several dispatchers at once: the claim's UPDATE
    lets one win each collection."""
    now = now or timezone.now()
    start_collections(now)
    pause_waiting_accounts()
    transitions.expire_paused(
        published_before=now - LAST_RUNG,
        reason=_("계정이 다시 연결되기 전에 수집 기간(30일)이 끝나 수집을 마쳤어요."),
    )
    transitions.resume_reconnected(now=now)
    token = uuid.uuid4()
    due = (
        Collection.objects.filter(
            state=State.COLLECTING,
            next_collect_at__lte=now,
            publication__channel_account__state=ChannelAccount.State.ACTIVE,
        )
        .order_by("next_collect_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    transitions.claim(list(due), token, now=now, lease_until=now + LEASE)
    return token, list(Collection.objects.filter(claim_token=token).values_list("pk", flat=True))


def dispatch_due_collections(now: dt.datetime | None = None) -> int:
    """Claim what is due and send one collect task each (the claims are committed).
    Returns how many were sent."""
    token, claimed = claim_due_collections(now)
    for pk in claimed:
        queue.send("analytics.tasks.collect_metrics", pk, str(token))
    return len(claimed)


def pause_waiting_accounts() -> int:
    """Pause the collections of every account that is not active (flagged by publishing
    or by a collection), with the reason the admin shows. Returns how many."""
    accounts = ChannelAccount.objects.filter(
        ~Q(state=ChannelAccount.State.ACTIVE),
        publications__collection__state=State.COLLECTING,
    ).distinct()
    return sum(transitions.pause_account(a.pk, reason=_paused_reason(a)) for a in accounts)


def _paused_reason(account: ChannelAccount, why: str = "") -> str:
    why = why or account.state_reason or account.get_state_display()
    return _(
        "%(account)s 계정을 다시 연결하면 이어서 수집해요(게시물 나이 30일까지). 이유: %(why)s"
    ) % {"account": str(account), "why": why}


def collect_claimed(collection_id: int, token: str) -> str | None:
    """The collect task: read the post's numbers if this task holds the claim, store a
    snapshot and move to the next rung. Returns what happened ("collected", "no_numbers",
    "waiting", "paused", "stopped", "done") or None when another task has the claim."""
    collection = (
        Collection.objects.select_related("publication__piece", "publication__channel_account")
        .filter(pk=collection_id, state=State.COLLECTING, claim_token=token)
        .first()
    )
    if collection is None:
        return None
    publication = collection.publication
    account = publication.channel_account
    now = timezone.now()
    assert publication.published_at is not None  # only published posts get a collection
    rung = next_rung(publication.published_at, now)
    if account is None or not publisher_class(account.platform).collects:
        transitions.stop(collection_id, token, reason="성과를 읽을 수 있는 계정이 없어요.")
        return "stopped"
    if account.state != ChannelAccount.State.ACTIVE:  # flagged after the claim
        transitions.pause_account(account.pk, reason=_paused_reason(account))
        return "paused"
    try:
        metrics = _read(publication, account, now)
    except CircuitOpen as exc:  # not a failure: wait for it to close
        until = now + dt.timedelta(seconds=max(exc.retry_after_s, 1.0))
        transitions.wait(
            collection_id,
            token,
            until=min(until, rung) if rung else until,
            failed=False,
            reason=_("플랫폼이 불안정해 잠시 쉬었다가 다시 읽어요."),
        )
        return "waiting"
    except PublishError as exc:
        if exc.kind is ErrorKind.AUTH:
            mark_needs_reauth(account, exc.message)
            transitions.pause_account(account.pk, reason=_paused_reason(account, str(exc)))
            return "paused"
        if exc.kind is ErrorKind.PERMANENT:
            transitions.stop(collection_id, token, reason=str(exc))
            return "stopped"
        return _later(collection, token, now, rung, exc.retry_after_s)
    remember_refused_metrics(account, metrics.refused)
    if not metrics.values:
        reason = metrics.unavailable or _("플랫폼이 아직 성과 숫자를 보여 주지 않아요.")
        transitions.no_numbers(collection_id, token, next_at=rung, reason=reason)
        return "no_numbers" if rung else "done"
    sandbox = account.mode == ChannelAccount.Mode.SANDBOX
    MetricSnapshot.objects.create(
        publication=publication,
        collected_at=now,
        source=MetricSnapshot.Source.SANDBOX if sandbox else MetricSnapshot.Source.API,
        raw=metrics.raw,
        **{name: metrics.values[name] for name in SNAPSHOT_FIELDS if name in metrics.values},
    )
    transitions.collected(collection_id, token, now=now, next_at=rung)
    return "collected" if rung else "done"


def _read(publication: Publication, account: ChannelAccount, now: dt.datetime) -> Metrics:
    """The collector's answer, with a fresh token, inside the platform's breaker (not
    while the read would take API units the day's posts need)."""
    check_collect_units(publication, now)
    fresh_token(account, now)
    account.refresh_from_db(fields=["access_token", "refused_metrics"])
    job = collection_job(publication)
    sandbox = account.mode == ChannelAccount.Mode.SANDBOX
    with platform_breaker(account.platform, sandbox).guard():
        return publisher_for(account.platform).collect(
            job, publication.external_id, refused=frozenset(account.refused_metrics or [])
        )


def _later(
    collection: Collection,
    token: str,
    now: dt.datetime,
    rung: dt.datetime | None,
    retry_after_s: float | None,
) -> str:
    """A transient failure: try again after a backoff, no later than the next rung."""
    if rung is None and collection.failures + 1 >= GIVE_UP_AFTER:
        transitions.stop(
            collection.pk, token, reason="플랫폼이 계속 응답하지 않아 수집을 마쳤어요."
        )
        return "stopped"
    wait = backoff_s(
        collection.failures,
        base_s=BACKOFF_BASE_S,
        cap_s=BACKOFF_CAP_S,
        retry_after_s=retry_after_s,
        floor_share=0.5,
    )
    until = now + dt.timedelta(seconds=wait)
    transitions.wait(collection.pk, token, until=min(until, rung) if rung else until, failed=True)
    return "waiting"


# --- Followers ------------------------------------------------------------------------------

FOLLOWERS_EVERY = dt.timedelta(hours=20)  # about one reading a day, whenever beat runs


def read_followers(now: dt.datetime | None = None) -> int:
    """Read the followers of every active account whose platform reports them and that
    has no reading in the last 20 hours; returns how many were read. A failure is logged
    and waits for the next run (an auth error marks the account, as collecting does);
    an open breaker waits too."""
    now = now or timezone.now()
    platforms = [name for name, cls in PUBLISHERS.items() if cls.counts_followers]
    accounts = (
        ChannelAccount.objects.filter(
            platform__in=platforms, mode__in=READ_MODES, state=ChannelAccount.State.ACTIVE
        )
        .exclude(readings__collected_at__gt=now - FOLLOWERS_EVERY)
        .distinct()
    )
    read = 0
    for account in accounts:
        sandbox = account.mode == ChannelAccount.Mode.SANDBOX
        try:
            fresh_token(account, now)
            account.refresh_from_db(fields=["access_token"])
            with platform_breaker(account.platform, sandbox).guard():
                count = publisher_for(account.platform).followers(account_job(account))
        except CircuitOpen:
            continue
        except PublishError as exc:
            if exc.kind is ErrorKind.AUTH:
                mark_needs_reauth(account, exc.message)
            logger.info("followers of account %s not read: %s", account.pk, exc)
            continue
        if count is not None:
            AccountReading.objects.create(account=account, collected_at=now, followers=count)
            read += 1
    return read
