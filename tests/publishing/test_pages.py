"""The owner's publishing pages: schedule a campaign, follow each post, act on it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from content.models import Asset
from publishing.models import ChannelAccount, Publication, PublishAttempt
from tests.factories import (
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    PublicationFactory,
)

State = Publication.State


@pytest.fixture
def campaign(alice):
    campaign = CampaignFactory(business=alice.business)
    soon = timezone.now() + dt.timedelta(days=1)
    for channel in ("threads", "naver_blog", "youtube_shorts"):
        ContentPieceFactory(
            business=alice.business,
            campaign=campaign,
            channel=channel,
            status="ready",
            render_status="none" if channel == "threads" else "done",
            planned_for=soon,
            body=f"{channel} 글",
        )
    ChannelAccountFactory(business=alice.business, platform="threads")
    return campaign


def test_scheduling_a_campaign_creates_its_publications_and_says_what_could_not_go(alice, campaign):
    response = alice.client().post(
        reverse("publications:schedule_campaign", args=[campaign.pk]), follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "2개 게시물을 예약했어요. 시간이 되면 자동으로 올라가요." in texts
    assert any("유튜브 쇼츠" in t and "연결" in t for t in texts)
    assert set(Publication.objects.values_list("piece__channel", flat=True)) == {
        "threads",
        "naver_blog",
    }
    assert "예약됨" in response.content.decode()


def test_staff_may_look_but_not_schedule(charlie, campaign):
    response = charlie.client().post(reverse("publications:schedule_campaign", args=[campaign.pk]))
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_another_tenant_cannot_see_or_touch_a_publication(alice, bob):
    publication = PublicationFactory(piece=ContentPieceFactory(business=alice.business))
    client = bob.client()
    for name in ("detail", "assisted", "images"):
        assert client.get(reverse(f"publications:{name}", args=[publication.pk])).status_code == 404
    assert client.post(reverse("publications:cancel", args=[publication.pk])).status_code == 404
    publication.refresh_from_db()
    assert publication.state == State.SCHEDULED


def test_the_post_page_shows_the_time_in_the_shops_zone_and_every_attempt(alice):
    publication = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads"),
        channel_account=ChannelAccountFactory(business=alice.business, platform="threads"),
        scheduled_at=dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC),
        state=State.RETRY_WAIT,
        last_error="스레드가 잠시 요청을 줄여 달라고 했어요.",
    )
    PublishAttempt.objects.create(
        publication=publication,
        number=1,
        action="threads_publish",
        outcome=PublishAttempt.Outcome.TRANSIENT,
        response_status=429,
        error="rate limited",
    )
    page = (
        alice.client().get(reverse("publications:detail", args=[publication.pk])).content.decode()
    )
    assert "2026년 11월 24일" in page and "19:30" in page  # 10:30 UTC in Seoul
    assert "threads_publish" in page and "429" in page
    assert "스레드가 잠시 요청을 줄여 달라고 했어요." in page
    assert 'value="2026-11-24T19:30"' in page


def test_rescheduling_takes_the_shops_wall_clock_time(alice):
    publication = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads", status="approved",
                                  render_status="none"),
        channel_account=ChannelAccountFactory(business=alice.business, platform="threads"),
    )  # fmt: skip
    alice.client().post(
        reverse("publications:reschedule", args=[publication.pk]),
        {"scheduled_at": "2026-12-01T09:00"},
    )
    publication.refresh_from_db()
    assert publication.scheduled_at == dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)


def test_a_failed_post_can_be_retried_and_a_waiting_one_canceled(alice):
    account = ChannelAccountFactory(business=alice.business, platform="threads")
    failed = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads"),
        channel_account=account,
        state=State.FAILED,
    )
    waiting = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads"),
        channel_account=account,
    )
    client = alice.client()
    client.post(reverse("publications:retry", args=[failed.pk]))
    client.post(reverse("publications:cancel", args=[waiting.pk]))
    failed.refresh_from_db()
    waiting.refresh_from_db()
    assert (failed.state, waiting.state) == (State.SCHEDULED, State.CANCELED)


def test_the_naver_page_lays_the_post_out_in_editor_order_and_takes_the_address(alice):
    piece = ContentPieceFactory(
        business=alice.business,
        channel="naver_blog",
        title="연남동 소금빵 맛집",
        fields={
            "title": "연남동 소금빵 맛집",
            "intro": "안녕하세요, 앨리스 베이커리예요.",
            "sections": [
                {"heading": "갓 구운 소금빵", "body": "아침 8시에 나와요."},
                {"heading": "찾아오는 길", "body": "연남동 공원 앞이에요."},
            ],
            "image_slots": [{"caption": "버터가 배어 나온 소금빵", "suggestion": ""}],
            "closing": "오늘도 따뜻하게!",
            "tags": ["소금빵", "연남동빵집"],
            "place_keywords": ["연남동 베이커리"],
        },
    )
    for role, position in (("blog-header", 0), ("blog-1", 1)):
        asset = Asset(
            business=alice.business, piece=piece, kind="image", role=role, position=position
        )
        asset.file.save(f"{role}.jpg", ContentFile(b"\xff\xd8\xff" + role.encode()))
    account = ChannelAccount.objects.create(
        business=alice.business, platform="naver_blog", mode=ChannelAccount.Mode.ASSISTED
    )
    publication = PublicationFactory(piece=piece, channel_account=account, state=State.NEEDS_ACTION)
    client = alice.client()

    page = client.get(reverse("publications:assisted", args=[publication.pk])).content.decode()
    order = [
        page.index(text)
        for text in (
            "안녕하세요",
            "갓 구운 소금빵",
            "버터가 배어 나온",
            "찾아오는 길",
            "오늘도 따뜻하게",
        )
    ]
    assert order == sorted(order)
    assert "#소금빵 #연남동빵집 #연남동 베이커리" in page

    archive = zipfile.ZipFile(
        io.BytesIO(
            b"".join(
                client.get(reverse("publications:images", args=[publication.pk])).streaming_content
            )
        )
    )
    assert archive.namelist() == ["01.jpg", "02.jpg"]

    response = client.post(
        reverse("publications:assisted", args=[publication.pk]), {"url": "https://naver.com/x"}
    )
    assert "네이버 블로그 글 주소가 아닙니다" in response.content.decode()
    client.post(
        reverse("publications:assisted", args=[publication.pk]),
        {"url": "https://blog.naver.com/alicebakery/223456789012"},
    )
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED


def test_a_later_app_adds_a_section_to_the_publication_page_escaped_unless_rendered(
    alice, monkeypatch
):
    from django.utils.safestring import mark_safe

    from publishing.views import sections

    monkeypatch.setattr(sections, "_SECTIONS", [])
    publication = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads")
    )
    sections.add_publication_section(lambda request, p: f"<b>plain {p.pk}</b>")

    def rendered(request, p):  # what render_to_string gives: safe HTML
        return mark_safe("<i>rendered</i>")

    sections.add_publication_section(rendered)
    sections.add_publication_section(rendered)  # once only

    page = alice.client().get(reverse("publications:detail", args=[publication.pk]))

    html = page.content.decode()
    assert f"&lt;b&gt;plain {publication.pk}&lt;/b&gt;" in html
    assert html.count("<i>rendered</i>") == 1
