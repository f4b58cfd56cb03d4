"""Publishing: the dispatcher's cost follows what is due, not what is scheduled; and
2,000 posts on 200 sandbox accounts go out exactly once through two real worker
processes while the simulators throw faults at them.

- ``dispatch.cost_100k_over_10k_scheduled``: claim and dispatch 1,000 due
  publications with 100,000 versus 10,000 future ones scheduled; the two are measured
  side by side in each of 5 rounds (so a busy machine slows both alike) and the figure
  is the median of the rounds' ratios (``..._spread`` shows their range).
- ``publish.duplicates`` / ``publish.lost``: platform posts beyond one per
  publication / publications that never went out (or went out but are not marked).
- ``publish.p95_lateness_s``: published time minus scheduled time.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from kombu import Connection
from PIL import Image

from bench.report import Figure
from content.models import Asset, ContentPiece
from core.worker_process import celery_worker
from marketing.demo import demo_seed
from marketing.models import Business
from publishing import services
from publishing.models import ChannelAccount, Publication
from sandbox.files import FileServer
from sandbox.graph import GraphSimulator
from sandbox.meta import FakeInstagram, FakeThreads

State = Publication.State
FAULT_RATES = {
    "server_error": 0.03,
    "rate_limited": 0.02,
    "timeout": 0.005,
    "lost_response@publish": 0.03,
}
ACCOUNTS_PER_PLATFORM = 100
POSTS_PER_ACCOUNT = 10
SPREAD_S = 60  # the posts are due over the first minute
DISPATCH_ROUNDS = 5


# --- Dispatch cost --------------------------------------------------------------------------


def _pieces(business: Business, count: int, channel: str = "threads") -> list[ContentPiece]:
    return ContentPiece.objects.bulk_create(
        [
            ContentPiece(business=business, channel=channel, status="approved", body=f"글 {n}")
            for n in range(count)
        ],
        batch_size=5000,
    )


def _publications(pieces: list[ContentPiece], account: ChannelAccount, at: dt.datetime) -> None:
    Publication.objects.bulk_create(
        [
            Publication(piece=p, channel_account=account, scheduled_at=at, next_attempt_at=at)
            for p in pieces
        ],
        batch_size=5000,
    )


def _purge_publish_queue() -> None:
    with Connection(
        settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
    ) as conn:
        conn.default_channel.queue_purge(  # type: ignore[attr-defined]  # stubs type it as StdChannel
            "publish"
        )


def _dispatch_seconds(business: Business, account: ChannelAccount) -> float:
    """One measurement: 1,000 newly due publications, claimed and sent, then cleared."""
    now = timezone.now()
    _publications(_pieces(business, 1000), account, now - dt.timedelta(seconds=1))
    started = time.perf_counter()
    sent = services.dispatch_due(now)
    elapsed = time.perf_counter() - started
    assert sent == 1000, sent
    Publication.objects.filter(state=State.CLAIMED).update(state=State.PUBLISHED)
    _purge_publish_queue()
    return elapsed


def _settle_disk() -> None:
    """Write out the last bulk change before timing: the broker's files would otherwise
    queue behind the database's pages on the disk."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()


@dataclass(frozen=True)
class DispatchCost:
    ratios: list[float]  # 100k over 10k scheduled, one per round
    small_s: list[float]
    large_s: list[float]


def _dispatch_cost(business: Business, account: ChannelAccount) -> DispatchCost:
    """Each round measures both sizes back to back, in alternating order; between them the
    90,000 extra future posts are scheduled or canceled (out of the dispatcher's sight)."""
    settings.PUBLISH_DISPATCH_BATCH = 1000
    future = timezone.now() + dt.timedelta(days=30)
    extra = ChannelAccount.objects.create(
        business=business, platform=account.platform, mode="sandbox", external_id="bench-extra"
    )
    _publications(_pieces(business, 10_000), account, future)
    _publications(_pieces(business, 90_000), extra, future)
    extras = Publication.objects.filter(channel_account=extra)

    def measured(with_extras: bool) -> float:
        extras.update(state=State.SCHEDULED if with_extras else State.CANCELED)
        _settle_disk()
        return _dispatch_seconds(business, account)

    measured(False), measured(True)  # warm-up
    cost = DispatchCost([], [], [])
    for round_ in range(DISPATCH_ROUNDS):
        order = (True, False) if round_ % 2 else (False, True)
        seconds = {with_extras: measured(with_extras) for with_extras in order}
        cost.ratios.append(seconds[True] / seconds[False])
        cost.small_s.append(seconds[False])
        cost.large_s.append(seconds[True])
    Publication.objects.all().delete()
    ContentPiece.objects.all().delete()
    return cost


# --- Exactly once under faults --------------------------------------------------------------


def _feed_image() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), (200, 140, 90)).save(buffer, "JPEG", quality=80)
    return default_storage.save("bench/feed.jpg", ContentFile(buffer.getvalue()))


def _accounts(business: Business, fake: GraphSimulator, platform: str) -> list[ChannelAccount]:
    accounts: list[ChannelAccount] = []
    for n in range(ACCOUNTS_PER_PLATFORM):
        user_id = fake.user_id_for(f"{platform}-shop-{n}")
        accounts.append(
            ChannelAccount.objects.create(
                business=business,
                platform=platform,
                mode=ChannelAccount.Mode.SANDBOX,
                external_id=user_id,
                display_name=f"{platform}-shop-{n}",
                access_token=fake.token_for(user_id),
            )
        )
    return accounts


def _schedule(
    business: Business, accounts: list[ChannelAccount], image: str, start: dt.datetime
) -> list[Publication]:
    total = len(accounts) * POSTS_PER_ACCOUNT
    publications: list[Publication] = []
    for n in range(total):
        account = accounts[n % len(accounts)]
        piece = ContentPiece.objects.create(
            business=business,
            channel=account.platform,
            status="approved",
            render_status="done",
            format="image" if account.platform == "instagram" else "text",
            body=f"벤치마크 글 [{account.platform}-{n}] 오늘도 맛있게 구웠어요",
        )
        if account.platform == "instagram":
            asset = Asset(business=business, piece=piece, kind="image", role="feed")
            asset.file.name, asset.mime_type = image, "image/jpeg"
            asset.size_bytes = default_storage.size(image)
            asset.save()
        at = start + dt.timedelta(seconds=SPREAD_S * n / total)
        publications.append(
            Publication.objects.create(
                piece=piece, channel_account=account, scheduled_at=at, next_attempt_at=at
            )
        )
    return publications


def _exactly_once(business: Business) -> tuple[int, int, float, float]:
    with (
        FakeInstagram(send_retry_after=True) as instagram,
        FakeThreads(send_retry_after=True) as threads,
        FileServer(settings.MEDIA_ROOT) as media,
    ):
        for fake in (instagram, threads):
            fake.faults.timeout_s, fake.faults.retry_after_s = 2.5, 1.0
            fake.faults.reseed(7)
            fake.faults.rates = FAULT_RATES
        accounts = _accounts(business, instagram, "instagram") + _accounts(
            business, threads, "threads"
        )
        env = {
            "SANDBOX_INSTAGRAM_URL": instagram.url,
            "SANDBOX_THREADS_URL": threads.url,
            "PUBLIC_BASE_URL": media.url,
            "HTTP_READ_TIMEOUT_S": "2",
            "PUBLISH_BACKOFF_BASE_S": "1",
            "PUBLISH_BACKOFF_MAX_S": "4",
            "PUBLISH_MAX_ATTEMPTS": "15",
            "PUBLISH_BREAKER_RESET_S": "2",
        }
        settings.PUBLISH_STUCK_AFTER_S = 60
        start = timezone.now() + dt.timedelta(seconds=5)
        publications = _schedule(business, accounts, _feed_image(), start)
        ids = [p.pk for p in publications]
        started = time.perf_counter()
        with (
            celery_worker(queues="publish", pool="threads", concurrency=6, env=env),
            celery_worker(queues="publish", pool="threads", concurrency=6, env=env),
        ):
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                services.dispatch_due()
                services.reap_stuck()
                open_ = Publication.objects.filter(pk__in=ids).exclude(
                    state__in=(State.PUBLISHED, State.FAILED)
                )
                if not open_.exists():
                    break
                time.sleep(1.0)
        wall = time.perf_counter() - started
        posts = [post.caption for fake in (instagram, threads) for post in fake.posts()]
    markers = Counter(caption.split("]")[0] for caption in posts)
    duplicates = sum(count - 1 for count in markers.values())
    published = Publication.objects.filter(pk__in=ids, state=State.PUBLISHED)
    marked = {p.piece.body.split("]")[0] for p in published.select_related("piece")}
    lost = len(ids) - len(marked & set(markers))
    lateness = sorted(_lateness_s(p) for p in published)
    p95 = lateness[int(len(lateness) * 0.95) - 1] if lateness else float("nan")
    return duplicates, lost, p95, wall


def _lateness_s(publication: Publication) -> float:
    """Seconds from the slot to the post; every move to published stamps published_at."""
    assert publication.published_at is not None
    return (publication.published_at - publication.scheduled_at).total_seconds()


def run() -> list[Figure]:
    demo = demo_seed(owner_email="bench@gagecast.local", operator_email="bench-op@gagecast.local")
    account = ChannelAccount.objects.create(
        business=demo.business, platform="threads", mode="sandbox", external_id="bench"
    )
    cost = _dispatch_cost(demo.business, account)
    duplicates, lost, p95, wall = _exactly_once(demo.business)
    return [
        Figure(
            "dispatch.cost_100k_over_10k_scheduled",
            statistics.median(cost.ratios),
            "ratio",
            "<=1.5",
        ),
        Figure(
            "dispatch.cost_100k_over_10k_scheduled_spread",
            max(cost.ratios) - min(cost.ratios),
            "ratio",
        ),
        Figure("dispatch.claim_and_send_1000_ms_10k", statistics.median(cost.small_s) * 1000, "ms"),
        Figure(
            "dispatch.claim_and_send_1000_ms_100k", statistics.median(cost.large_s) * 1000, "ms"
        ),
        Figure("publish.duplicates", duplicates, "posts", "=0"),
        Figure("publish.lost", lost, "publications", "=0"),
        Figure("publish.p95_lateness_s", p95, "s"),
        Figure("publish.wall_s_2000_posts", wall, "s"),
    ]
