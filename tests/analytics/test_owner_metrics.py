"""Naver Blog has no statistics API: its posts get an owner collection (no API call,
ever), the owner enters 조회수·공감·댓글 on the post's page, and three days after
publishing a post with no numbers yet is worth one reminder e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from analytics import owner_metrics, services
from analytics.models import Collection, MetricSnapshot
from analytics.owner_metrics import OwnerMetricsError, OwnerNumbers
from publishing import notify
from publishing.models import ChannelAccount, Publication
from tests.analytics.collecting import DAY, T0, move_to
from tests.factories import ChannelAccountFactory, ContentPieceFactory

State = Collection.State
REMINDER = "네이버 블로그 글의 조회수를 입력해 주세요"


def naver_post(business, *, mode=ChannelAccount.Mode.ASSISTED, **changes) -> Publication:
    account = ChannelAccount.objects.filter(
        business=business, platform="naver_blog", mode=mode
    ).first() or ChannelAccountFactory(business=business, platform="naver_blog", mode=mode)
    piece = ContentPieceFactory(business=business, channel="naver_blog", title="봄 딸기 케이크")
    fields = {
        "state": Publication.State.PUBLISHED,
        "external_id": "223456789012",
        "permalink": "https://blog.naver.com/alicebakery/223456789012",
        "published_at": T0,
        **changes,
    }
    return Publication.objects.create(
        piece=piece, channel_account=account, scheduled_at=T0, **fields
    )


def metrics_url(publication: Publication) -> str:
    return reverse("analytics:owner_metrics", args=[publication.pk])


def detail(client: Client, publication: Publication) -> str:
    response = client.get(reverse("publications:detail", args=[publication.pk]))
    assert response.status_code == 200
    return response.content.decode()


def enter(client: Client, publication: Publication, views="120", likes="8", comments="3"):
    return client.post(
        metrics_url(publication), {"views": views, "likes": likes, "comments": comments}
    )


# --- The collection: no API -------------------------------------------------------------------


def test_naver_posts_get_an_owner_collection_and_never_a_collect_task(alice, sent, when, clock):
    assisted = naver_post(alice.business)
    xmlrpc = naver_post(alice.business, mode=ChannelAccount.Mode.SANDBOX)
    old = naver_post(alice.business, published_at=T0 - 40 * DAY)
    waiting = naver_post(alice.business, state=Publication.State.NEEDS_ACTION, published_at=None)

    for day in (0, 3, 10, 31):
        move_to(when, clock, T0 + day * DAY)
        assert services.dispatch_due_collections() == 0
    assert sent == []

    for publication in (assisted, xmlrpc):
        collection = Collection.objects.get(publication=publication)
        assert (collection.state, collection.next_collect_at) == (State.OWNER, T0 + 3 * DAY)
    assert Collection.objects.get(publication=old).next_collect_at is None  # no reminder
    assert not Collection.objects.filter(publication=waiting).exists()


# --- The form on the post's page --------------------------------------------------------------


def test_a_published_naver_posts_page_has_the_numbers_form(alice, when):
    publication = naver_post(alice.business)

    page = detail(alice.client(), publication)

    assert "네이버 블로그 성과 입력" in page
    assert f'action="{metrics_url(publication)}"' in page
    for label in ("조회수", "공감", "댓글"):
        assert f">{label}</label>" in page
    assert REMINDER not in page  # not three days old yet


def test_other_pages_have_no_numbers_form(alice, when):
    threads = ChannelAccountFactory(business=alice.business, platform="threads")
    piece = ContentPieceFactory(business=alice.business, channel="threads")
    thread = Publication.objects.create(
        piece=piece,
        channel_account=threads,
        scheduled_at=T0,
        state=Publication.State.PUBLISHED,
        external_id="1",
        published_at=T0,
    )
    waiting = naver_post(alice.business, state=Publication.State.NEEDS_ACTION, published_at=None)

    for publication in (thread, waiting):
        assert "네이버 블로그 성과 입력" not in detail(alice.client(), publication)
    assert alice.client().get(metrics_url(thread)).status_code == 404
    assert enter(alice.client(), thread).status_code == 404


def test_the_owners_numbers_are_an_owner_snapshot_at_now(alice, when, clock):
    publication = naver_post(alice.business)
    services.start_collections()
    move_to(when, clock, T0 + 4 * DAY)

    response = enter(alice.client(), publication, views="1234", likes="56", comments="7")

    assert response.status_code == 302
    assert response["Location"] == reverse("publications:detail", args=[publication.pk])
    [snapshot] = MetricSnapshot.objects.filter(publication=publication)
    assert snapshot.source == MetricSnapshot.Source.OWNER
    assert snapshot.collected_at == T0 + 4 * DAY
    assert (snapshot.views, snapshot.likes, snapshot.comments) == (1234, 56, 7)
    collection = Collection.objects.get(publication=publication)
    assert (collection.last_collected_at, collection.next_collect_at) == (T0 + 4 * DAY, None)
    page = detail(alice.client(), publication)
    assert "조회수 1,234 · 공감 56 · 댓글 7" in page
    assert REMINDER not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("views", "-1", "조회수에는 0보다 작은 숫자를 입력할 수 없어요."),
        ("likes", "많음", "공감에는 0 이상의 정수만 입력할 수 있어요(쉼표 없이)."),
        ("likes", "1.5", "공감에는 0 이상의 정수만 입력할 수 있어요(쉼표 없이)."),
        ("comments", "", "댓글 숫자를 입력해 주세요."),
        ("views", "99999999999", "조회수 숫자가 너무 커요. 다시 확인해 주세요."),
    ],
)
def test_numbers_that_are_not_counts_are_refused_in_korean(alice, when, field, value, message):
    publication = naver_post(alice.business)
    data = {"views": "10", "likes": "1", "comments": "0", field: value}

    response = alice.client().post(metrics_url(publication), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MetricSnapshot.objects.exists()


def test_numbers_may_only_grow_and_the_form_says_why(alice, when, clock):
    publication = naver_post(alice.business)
    enter(alice.client(), publication, views="100", likes="5", comments="2")
    move_to(when, clock, T0 + DAY)

    response = enter(alice.client(), publication, views="90", likes="6", comments="2")

    page = response.content.decode()
    assert response.status_code == 200
    assert "조회수 숫자는 지난번에 입력한 100보다 작을 수 없어요." in page
    assert "공감 숫자는" not in page
    assert MetricSnapshot.objects.count() == 1
    assert (
        enter(alice.client(), publication, views="100", likes="6", comments="2").status_code == 302
    )
    assert MetricSnapshot.objects.count() == 2


def test_the_service_refuses_a_smaller_number_whatever_calls_it(alice, when):
    publication = naver_post(alice.business)
    owner_metrics.record_owner_metrics(publication, OwnerNumbers(views=50, likes=3, comments=1))

    with pytest.raises(OwnerMetricsError) as refused:
        owner_metrics.record_owner_metrics(publication, OwnerNumbers(views=50, likes=3, comments=0))

    assert refused.value.field == "comments"
    assert MetricSnapshot.objects.count() == 1


def test_a_post_not_published_yet_takes_no_numbers(alice, when):
    publication = naver_post(
        alice.business, state=Publication.State.NEEDS_ACTION, published_at=None
    )

    response = enter(alice.client(), publication)

    assert "게시 완료된 글만 성과를 입력할 수 있어요." in response.content.decode()
    assert not MetricSnapshot.objects.exists()


def test_staff_may_enter_numbers_bob_and_strangers_may_not(alice, bob, charlie, when):
    publication = naver_post(alice.business)

    assert bob.client().get(metrics_url(publication)).status_code == 404
    assert enter(bob.client(), publication).status_code == 404
    assert enter(Client(), publication).status_code == 302  # to the login page
    assert not MetricSnapshot.objects.exists()
    assert enter(charlie.client(), publication).status_code == 302
    assert MetricSnapshot.objects.get().source == MetricSnapshot.Source.OWNER


# --- The reminder -----------------------------------------------------------------------------


def test_three_days_after_publishing_the_owner_is_reminded_once(alice, when, clock):
    first = naver_post(alice.business)
    second = naver_post(alice.business, published_at=T0 + dt.timedelta(hours=5))
    services.start_collections()
    move_to(when, clock, T0 + 3 * DAY - dt.timedelta(minutes=1))

    assert owner_metrics.send_owner_reminders() == 0
    assert REMINDER not in detail(alice.client(), first)
    move_to(when, clock, T0 + 3 * DAY + dt.timedelta(hours=5))

    assert owner_metrics.send_owner_reminders() == 2
    assert owner_metrics.send_owner_reminders() == 0

    [email] = mail.outbox
    assert email.subject == f"[Gagecast] {REMINDER}"
    assert email.to == ["alice@example.com"]
    for publication in (first, second):
        path = reverse("publications:detail", args=[publication.pk])
        assert notify.absolute(path) in email.body
    assert Collection.objects.filter(reminded_at=T0 + 3 * DAY + dt.timedelta(hours=5)).count() == 2
    assert REMINDER in detail(alice.client(), first)  # and on the page until entered
    move_to(when, clock, T0 + 10 * DAY)
    assert owner_metrics.send_owner_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_post_whose_numbers_were_entered_is_not_reminded(alice, bob, when, clock):
    entered = naver_post(alice.business)
    others = naver_post(bob.business)
    services.start_collections()
    enter(alice.client(), entered)
    move_to(when, clock, T0 + 3 * DAY)

    assert owner_metrics.send_owner_reminders() == 1

    [email] = mail.outbox
    assert email.to == ["bob@example.com"]
    assert reverse("publications:detail", args=[others.pk]) in email.body
    assert reverse("publications:detail", args=[entered.pk]) not in email.body
