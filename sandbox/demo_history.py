"""The demo café's past, made the way a real shop's is, so `make run` shows results and
the learning loop at work from the first minute.

Eight weekly campaigns go through the real product on a moved clock (time-machine):
written by the offline writer (the past is made up, so no Gemini call is spent on it),
rendered, scheduled, published to sandbox accounts on the platform simulators, and
measured by the real collector on the ladder, the simulators answering from their
audience model. The simulators run in this process on free ports with the media served
from MEDIA_ROOT, as in the loop benchmark. When the clock is back at today, the posts
that the ladder would still read are closed: the `make run` simulators start empty and
could not find them.

Each week's report is made on the Monday after, 09:00 on the moved clock, by the real
dispatcher and send step (e-mailed nowhere), so the reports page has a past too.

Idempotent: a shop that already has published posts gets nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Protocol
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from analytics import reports
from analytics import services as collecting
from analytics import transitions as collection_moves
from analytics.models import Collection
from campaigns.services import campaign_create
from content.creative.services import piece_render
from content.services import piece_generate
from marketing.models import Business
from publishing import services as publishing
from publishing.models import ChannelAccount, Publication
from sandbox.audience import AudienceModel
from sandbox.files import FileServer
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.youtube import FakeYouTube

WEEKS = 8
POSTS_PER_WEEK = {"instagram": 3, "threads": 3, "youtube_shorts": 1}
GOALS = ("new_menu", "awareness", "bring_back_regulars", "event_sale")
TOKEN_S = 60 * 86_400  # the demo accounts' tokens outlast the demo by weeks
CLOSED = "데모 기록: 체험용 시뮬레이터에서 읽은 숫자까지만 보여 드려요."


class DemoRefused(Exception):
    """The database holds other shops' pending work (said in words)."""


@contextmanager
def simulators(audience: AudienceModel, seed: int) -> Iterator[dict]:
    """Instagram, Threads and YouTube simulators in this process on free ports, with the
    media served from MEDIA_ROOT and the sandbox accounts pointed at them (the loop
    benchmark's shops too)."""
    with ExitStack() as stack:
        fakes = {
            "instagram": stack.enter_context(FakeInstagram(audience=audience, seed=seed)),
            "threads": stack.enter_context(FakeThreads(audience=audience, seed=seed)),
            "youtube_shorts": stack.enter_context(
                FakeYouTube(audience=audience, seed=seed, processing_s=0, daily_upload_quota=10**6)
            ),
        }
        media = stack.enter_context(FileServer(settings.MEDIA_ROOT))
        stack.enter_context(
            override_settings(
                SANDBOX_INSTAGRAM_URL=fakes["instagram"].url,
                SANDBOX_THREADS_URL=fakes["threads"].url,
                SANDBOX_YOUTUBE_URL=fakes["youtube_shorts"].url,
                PUBLIC_BASE_URL=media.url,
                RENDER_VIDEO_DRAFT=True,  # simulated past posts need not be broadcast quality
            )
        )
        yield fakes


@contextmanager
def _demo_simulators(seed: int) -> Iterator[dict]:
    with ExitStack() as stack:
        fakes = stack.enter_context(simulators(AudienceModel.load(None, seed=seed), seed))
        # The offline writer: a made-up past costs nothing; the past's Monday reports are
        # made and "sent" where no mail goes.
        stack.enter_context(
            override_settings(
                GEMINI_API_KEY="", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
            )
        )
        # The moved clock runs every step here: nothing is sent to the workers, but a
        # weekly report due is made at once, as its task would.
        stack.enter_context(mock.patch("core.queue.send", side_effect=_inline))
        yield fakes


def _inline(name: str, *args: object, countdown: float | None = None) -> None:
    if name == "analytics.tasks.send_weekly_report":
        reports.send(int(str(args[0])))


def _accounts(business: Business, fakes: dict) -> dict[str, ChannelAccount]:
    """A sandbox account per channel (kept after the demo: the shop can post at once)."""
    accounts = {}
    for channel, fake in fakes.items():
        handle = f"demo-{business.pk}"
        user_id = (
            fake.channel_id_for(handle) if channel == "youtube_shorts" else fake.user_id_for(handle)
        )
        account, _created = ChannelAccount.objects.get_or_create(
            business=business,
            platform=channel,
            external_id=user_id,
            defaults={
                "mode": ChannelAccount.Mode.SANDBOX,
                "display_name": f"{business.name} (체험)",
            },
        )
        accounts[channel] = account
    return accounts


def fresh_tokens(
    accounts: dict[str, ChannelAccount], fakes: dict, *, youtube_s: float = TOKEN_S
) -> None:
    """Tokens the simulators accept from now on (Meta's long-lived 60 days, YouTube's
    ``youtube_s``), as a connection the owner keeps fresh; token refresh has its own
    tests (the loop benchmark's shops too)."""
    for channel, account in accounts.items():
        fake = fakes[channel]
        if channel == "youtube_shorts":
            token, lasts = fake.token_for(account.external_id, expires_in=youtube_s), youtube_s
        else:
            token, lasts = fake.token_for(account.external_id), TOKEN_S
        ChannelAccount.objects.filter(pk=account.pk).update(
            access_token=token, token_expires_at=timezone.now() + dt.timedelta(seconds=lasts)
        )
        account.refresh_from_db()


def collect_due() -> None:
    """One round of the real collector at the moved clock's now (the loop benchmark's too)."""
    token, ids = collecting.claim_due_collections()
    for pk in ids:
        collecting.collect_claimed(pk, str(token))


class Clock(Protocol):
    """time-machine's traveller: the moved clock."""

    def move_to(self, destination: dt.datetime) -> None: ...

    def shift(self, delta: float) -> None: ...


def _round() -> None:
    """The demo's collection round: the posts' numbers, and the accounts' followers
    (read about once a day, like beat's read-followers)."""
    collect_due()
    collecting.read_followers()


def publish_due(traveller: Clock) -> None:
    """Publish what is due now, following a platform that is still processing a minute at
    a time (the loop benchmark's too)."""
    token, ids = publishing.claim_due()
    for pk in ids:
        state = publishing.publish_claimed(pk, str(token))
        for _ in range(5):
            if state != Publication.State.PROCESSING:
                break
            traveller.shift(61)
            publication = Publication.objects.get(pk=pk)
            state = publishing.poll_processing(pk, str(publication.claim_token))


def _week(
    business: Business,
    monday: dt.date,
    number: int,
    traveller: Clock,
    report_at: dt.datetime | None,
) -> None:
    """One week's campaign, written and published; the week before's report is made at
    ``report_at`` (its Monday 09:05), between the posts."""
    campaign = campaign_create(
        business=business,
        actor=None,
        goal=GOALS[number % len(GOALS)],
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=6),
        channels=list(POSTS_PER_WEEK),
        posts_per_week=POSTS_PER_WEEK,
    )
    for piece in campaign.pieces.order_by("planned_for"):
        piece_generate(piece_id=piece.pk)
        piece_render(piece_id=piece.pk)
    publishing.schedule_campaign(campaign)
    times = sorted(
        set(
            Publication.objects.filter(piece__campaign=campaign).values_list(
                "scheduled_at", flat=True
            )
        )
    )
    zone = ZoneInfo(business.time_zone)
    day = dt.datetime.combine(monday, dt.time(12), tzinfo=zone)
    events = [(when, False) for when in times] + ([(report_at, True)] if report_at else [])
    for when, is_report in sorted(events):
        while day + dt.timedelta(days=1) < when:  # a collection round each day
            day += dt.timedelta(days=1)
            traveller.move_to(day)
            _round()
        if is_report:
            traveller.move_to(when)
            reports.dispatch_due()
            continue
        traveller.move_to(when + dt.timedelta(seconds=1))
        publish_due(traveller)
        _round()


def _report_time(business: Business, monday: dt.date) -> dt.datetime:
    """09:05 on the Monday after the week starting ``monday``: its report is due."""
    due = reports.due_at(reports.week_name(monday), business.time_zone)
    return due + dt.timedelta(minutes=5)


def demo_history(business: Business, *, weeks: int = WEEKS, seed: int = 7) -> int:
    """Publish ``weeks`` of past campaigns for ``business``; returns how many posts went
    out (0 when the shop already has published posts)."""
    if Publication.objects.filter(piece__business=business, published_at__isnull=False).exists():
        return 0
    # The moved clock runs the real dispatchers, which take every shop's due work: other
    # shops' posts would go to this run's throwaway simulators.
    waiting = Publication.objects.exclude(piece__business=business).filter(
        state__in=(Publication.State.SCHEDULED, Publication.State.RETRY_WAIT)
    )
    reading = Collection.objects.exclude(publication__piece__business=business).filter(
        state=Collection.State.COLLECTING
    )
    if waiting.exists() or reading.exists():
        raise DemoRefused(
            "other shops have scheduled posts or numbers to collect; the demo history is "
            "made only on a database where the demo shop is alone (make clean, then make run)"
        )
    zone = ZoneInfo(business.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=weeks)
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(12), tzinfo=zone)
    now = timezone.now().replace(microsecond=0)
    with (
        _demo_simulators(seed) as fakes,
        time_machine.travel(start, tick=False) as traveller,
    ):
        accounts = _accounts(business, fakes)
        for number in range(weeks):
            fresh_tokens(accounts, fakes)
            monday = first + dt.timedelta(weeks=number)
            before = _report_time(business, monday - dt.timedelta(weeks=1)) if number else None
            _week(business, monday, number, traveller, before)
        last = _report_time(business, first + dt.timedelta(weeks=weeks - 1))
        if last <= now:
            traveller.move_to(last)
            reports.dispatch_due()
        traveller.move_to(now)  # today: the last round of numbers
        _round()
    with _demo_simulators(seed) as fakes:
        fresh_tokens(accounts, fakes)  # valid from today on
    # What the ladder would still read lives only in the simulators that just stopped.
    open_ones = Collection.objects.filter(
        publication__piece__business=business,
        state__in=(Collection.State.COLLECTING, Collection.State.PAUSED),
    ).values_list("pk", flat=True)
    collection_moves.close(list(open_ones), reason=CLOSED)
    return Publication.objects.filter(
        piece__business=business, state=Publication.State.PUBLISHED
    ).count()
