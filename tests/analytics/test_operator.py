"""The operator page: superusers only; publish outcomes per platform over a day and a
week, collection lag, LLM calls and cost per day in Seoul, what needs attention with
links to the admin, the messages waiting in each queue on the configured broker (Redis
in CI, the embedded filesystem broker otherwise), and the same queries for 2 or 30 rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics.models import Collection
from analytics.operator import collection_lag, publish_outcomes, usage_by_day
from config.celery_app import app as celery_app
from content.models import ContentPiece, RenderStatus
from core import queue
from core.models import WorkerHeartbeat
from marketing.models import UsageRecord, User
from publishing.models import ChannelAccount, Publication, PublishAttempt
from tests.conftest import Tenant
from tests.factories import (
    ChannelAccountFactory,
    ContentPieceFactory,
    PublicationFactory,
    PublishAttemptFactory,
    UsageRecordFactory,
)

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2027, 4, 20, 12, tzinfo=SEOUL)
URL = "/app/operator/"
State = Publication.State
Outcome = PublishAttempt.Outcome


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _publication(channel: str, state: str, ago: dt.timedelta, **fields: object) -> Publication:
    """A publication on ``channel`` that reached ``state`` ``ago`` before NOW."""
    when = NOW - ago
    if state == State.PUBLISHED:
        fields.setdefault("published_at", when)
    return PublicationFactory(
        piece=ContentPieceFactory(channel=channel),
        state=state,
        state_changed_at=when,
        scheduled_at=when,
        **fields,
    )


def _attempt(publication: Publication, outcome: str, ago: dt.timedelta) -> None:
    attempt = PublishAttemptFactory(
        publication=publication, number=publication.attempts.count() + 1, outcome=outcome
    )
    # started_at is set on insert (auto_now_add): move it to when the call was made.
    PublishAttempt.objects.filter(pk=attempt.pk).update(started_at=NOW - ago)


def _usage(tenant: Tenant, at: dt.datetime, kind: str, **fields: object) -> None:
    record = UsageRecordFactory(organization=tenant.organization, kind=kind, **fields)
    UsageRecord.objects.filter(pk=record.pk).update(created_at=at)


def _collection(state: str, next_collect_at: dt.datetime | None) -> Collection:
    publication = _publication("threads", State.PUBLISHED, dt.timedelta(days=2))
    return Collection.objects.create(
        publication=publication, state=state, next_collect_at=next_collect_at
    )


# --- Who may see it --------------------------------------------------------------------


def test_a_superuser_sees_the_operator_page(superuser):
    response = _client(superuser).get(URL)

    assert response.status_code == 200
    assert "운영 현황" in response.content.decode()
    assert reverse("analytics:operator") == URL


def test_staff_who_are_not_superusers_get_a_404(alice: Tenant, charlie: Tenant):
    assert alice.user.is_staff and not alice.user.is_superuser

    assert alice.client().get(URL).status_code == 404
    assert charlie.client().get(URL).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The figures -----------------------------------------------------------------------


def test_publish_outcomes_are_counted_per_platform_over_a_day_and_a_week():
    minute, hour, day = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)
    published_today = _publication("instagram", State.PUBLISHED, 2 * hour)
    _publication("instagram", State.PUBLISHED, 3 * day)
    _publication("instagram", State.PUBLISHED, 10 * day)  # before the week
    failed_today = _publication("instagram", State.FAILED, hour)
    _publication("threads", State.NEEDS_ACTION, 2 * day)
    _publication("threads", State.FAILED, 8 * day)  # failed before the week: still open
    _publication("threads", State.SCHEDULED, day, next_attempt_at=NOW - 30 * minute)
    _publication("threads", State.SCHEDULED, -day, next_attempt_at=NOW + day)  # not due yet
    _attempt(published_today, Outcome.SUCCEEDED, 2 * hour)
    _attempt(failed_today, Outcome.TRANSIENT, 3 * hour)
    _attempt(failed_today, Outcome.PERMANENT, hour)
    _attempt(failed_today, Outcome.AUTH, 2 * day)
    _attempt(failed_today, Outcome.SUCCEEDED, 9 * day)  # before the week

    outcomes = {row.platform: row for row in publish_outcomes(NOW)}

    instagram, threads = outcomes["instagram"], outcomes["threads"]
    assert (instagram.published.day, instagram.published.week) == (1, 2)
    assert (instagram.failed.day, instagram.failed.week) == (1, 1)
    assert (instagram.calls.day, instagram.calls.week) == (3, 4)
    assert (instagram.failed_calls.day, instagram.failed_calls.week) == (2, 3)
    assert (instagram.failed_now, instagram.needs_action_now, instagram.overdue) == (1, 0, 0)
    assert (threads.needs_action.day, threads.needs_action.week) == (0, 1)
    assert (threads.failed.day, threads.failed.week) == (0, 0)
    assert (threads.failed_now, threads.needs_action_now, threads.overdue) == (1, 1, 1)
    assert outcomes["youtube_shorts"].published.week == 0 and outcomes["naver_blog"].calls.week == 0
    assert str(instagram.label) == "인스타그램"


def test_llm_calls_and_cost_are_summed_per_day_in_seoul(alice: Tenant, bob: Tenant):
    llm = UsageRecord.Kind.LLM_CALL
    # 00:30 on the 20th in Seoul is still the 19th in UTC: it counts for the 20th.
    _usage(alice, dt.datetime(2027, 4, 20, 0, 30, tzinfo=SEOUL), llm, cost_usd=Decimal("0.1"))
    _usage(alice, dt.datetime(2027, 4, 20, 9, tzinfo=SEOUL), UsageRecord.Kind.PIECE)
    _usage(
        bob,
        dt.datetime(2027, 4, 19, 23, 30, tzinfo=SEOUL),
        llm,
        input_tokens=1200,
        output_tokens=300,
        cost_usd=Decimal("0.25"),
    )
    _usage(alice, dt.datetime(2027, 4, 19, 10, tzinfo=SEOUL), llm, cost_usd=Decimal("0.05"))
    _usage(alice, dt.datetime(2027, 4, 6, 23, 59, tzinfo=SEOUL), llm, cost_usd=Decimal("9"))

    days = usage_by_day(NOW)

    assert len(days) == 14
    assert [days[0].day, days[1].day, days[-1].day] == [
        dt.date(2027, 4, 20),
        dt.date(2027, 4, 19),
        dt.date(2027, 4, 7),
    ]
    today, yesterday = days[0].usage, days[1].usage
    assert (today.llm_calls, today.cost_usd, today.pieces) == (1, Decimal("0.1"), 1)
    assert (yesterday.llm_calls, yesterday.cost_usd) == (2, Decimal("0.30"))
    assert (yesterday.input_tokens, yesterday.output_tokens) == (1200, 300)
    assert all(day.usage.llm_calls == 0 for day in days[2:])


def test_collection_lag_is_the_oldest_due_collection_and_the_late_ones():
    minute = dt.timedelta(minutes=1)
    for ago in (40, 20, 5):
        _collection(Collection.State.COLLECTING, NOW - ago * minute)
    _collection(Collection.State.COLLECTING, NOW + 60 * minute)
    _collection(Collection.State.PAUSED, NOW - 300 * minute)
    _collection(Collection.State.PAUSED, None)
    _collection(Collection.State.DONE, NOW - 600 * minute)

    lag = collection_lag(NOW)

    assert (lag.collecting, lag.due, lag.late, lag.paused) == (4, 3, 2, 2)
    assert lag.worst == 40 * minute and lag.worst_minutes == 40


def test_nothing_due_means_no_lag():
    _collection(Collection.State.COLLECTING, NOW + dt.timedelta(hours=1))

    lag = collection_lag(NOW)

    assert (lag.due, lag.late, lag.worst, lag.worst_minutes) == (0, 0, None, None)


def test_what_needs_attention_links_to_its_admin_page(superuser, alice: Tenant):
    failed = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, title="실패한 글"),
        state=State.FAILED,
        last_error="인스타그램이 사진을 받지 않았어요",
    )
    account = ChannelAccountFactory(
        business=alice.business, state=ChannelAccount.State.NEEDS_REAUTH, state_reason="토큰 만료"
    )
    piece = ContentPieceFactory(business=alice.business, status=ContentPiece.Status.FAILED)
    render = ContentPieceFactory(business=alice.business, render_status=RenderStatus.FAILED)
    ContentPieceFactory(business=alice.business, status=ContentPiece.Status.READY)

    html = _client(superuser).get(URL).content.decode()

    assert f'href="/admin/publishing/publication/{failed.pk}/change/"' in html
    assert "인스타그램이 사진을 받지 않았어요" in html
    assert f'href="/admin/publishing/channelaccount/{account.pk}/change/"' in html
    assert f'href="/admin/content/contentpiece/{piece.pk}/change/"' in html
    assert f'href="/admin/content/contentpiece/{render.pk}/change/"' in html
    assert html.count("/admin/content/contentpiece/") == 2


# --- Queues ------------------------------------------------------------------------------


@pytest.fixture
def render_queue() -> Iterator[str]:
    """The configured broker's render queue, empty before and after the test (no worker
    runs here, so what the test sends stays until it is purged)."""

    def purge() -> None:
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_purge("render")

    purge()
    yield "render"
    purge()


def _queue_row(html: str, name: str) -> str:
    found = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', html, re.S)
    assert found, f"no row for {name}"
    return found.group(1)


def test_the_page_shows_the_messages_waiting_in_each_queue_and_who_serves_it(
    superuser, render_queue
):
    WorkerHeartbeat.objects.create(
        hostname="render@a", pid=1, queues=["render"], seen_at=timezone.now()
    )
    for piece_id in (1, 2):
        queue.send("content.tasks.render_piece", piece_id)

    html = _client(superuser).get(URL).content.decode()

    render, publish = _queue_row(html, "render"), _queue_row(html, "publish")
    assert re.search(r"<td>2</td>\s*<td>render@a</td>", render), render
    assert re.search(r"<td>0</td>", publish) and "워커 없음" in publish
    assert "브로커를 읽지 못했어요" not in html


def test_a_broker_that_cannot_be_read_is_shown_on_the_page(superuser, monkeypatch):
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")

    response = _client(superuser).get(URL)

    assert response.status_code == 200
    assert "브로커를 읽지 못했어요" in response.content.decode()
    assert re.search(r"<td>—</td>", _queue_row(response.content.decode(), "default"))


# --- Queries ----------------------------------------------------------------------------


def _seed(tenant: Tenant, count: int) -> None:
    """``count`` rows of everything the page reads."""
    now = timezone.now()
    for n in range(count):
        channel = ("instagram", "threads", "youtube_shorts", "naver_blog")[n % 4]
        piece = ContentPieceFactory(business=tenant.business, channel=channel)
        published = PublicationFactory(
            piece=piece, state=State.PUBLISHED, published_at=now, state_changed_at=now
        )
        PublishAttemptFactory(publication=published, outcome=Outcome.SUCCEEDED)
        Collection.objects.create(
            publication=published, next_collect_at=now - dt.timedelta(minutes=n)
        )
        PublicationFactory(
            piece=ContentPieceFactory(business=tenant.business, channel=channel),
            state=State.FAILED,
            state_changed_at=now,
        )
        ChannelAccountFactory(
            business=tenant.business, platform=channel, state=ChannelAccount.State.NEEDS_REAUTH
        )
        ContentPieceFactory(business=tenant.business, status=ContentPiece.Status.FAILED)
        UsageRecordFactory(
            organization=tenant.organization, kind=UsageRecord.Kind.LLM_CALL, cost_usd=1
        )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_for_2_and_30_rows_of_everything(superuser, alice: Tenant):
    client = _client(superuser)
    _seed(alice, 2)
    few = _queries(client)

    _seed(alice, 28)
    many = _queries(client)

    assert few == many
    html = client.get(URL).content.decode()
    assert "외 10건 더 보기" in html  # 30 failed pieces, the first 20 listed
