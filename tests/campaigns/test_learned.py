"""The "배운 점" card: what the learning loop has learned for a business, per channel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import Tenant
from tests.factories import CampaignFactory, ContentPieceFactory, measured_post

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)


def _questions_do_better(tenant: Tenant, posts: int = 12) -> None:
    for i in range(posts):
        hook = "question" if i % 2 else "benefit"
        measured_post(
            tenant.business,
            published_at=START + dt.timedelta(days=i),
            reach=1000 if hook == "question" else 300,
            hook_style=hook,
        )


def _card(tenant: Tenant, **headers) -> str:
    url = reverse("campaigns:learned", args=[tenant.business.pk])
    response = tenant.client().get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_business_page_loads_the_card_and_links_to_it(alice: Tenant):
    html = alice.client().get(reverse("marketing:business_detail", args=[alice.business.pk]))

    url = reverse("campaigns:learned", args=[alice.business.pk])
    assert f'hx-get="{url}"' in html.content.decode()
    assert 'hx-trigger="load"' in html.content.decode()
    assert f'href="{url}"' in html.content.decode()  # without JavaScript: a link


def test_the_card_tells_what_the_shops_posts_showed_and_that_times_are_learned(alice: Tenant):
    _questions_do_better(alice)

    fragment = _card(alice, HTTP_HX_REQUEST="true")

    assert fragment.lstrip().startswith("<section")  # a fragment for the business page
    assert "<html" not in fragment
    assert "인스타그램" in fragment
    assert "게시물 12개 기준" in fragment
    assert "질문으로 시작한 글이 평소보다 도달과 반응이" in fragment
    assert "배운 시간" in fragment
    assert "반응이 좋았던 요일과 시간에 맞춰 올려요" in fragment
    assert "아직 게시물이 적어" not in fragment


def test_with_few_posts_the_card_says_it_is_still_trying_and_when_times_will_be_learned(
    alice: Tenant,
):
    _questions_do_better(alice, posts=4)
    CampaignFactory(business=alice.business, channels=["threads"])

    page = _card(alice)  # the full page, when asked without htmx

    assert "<html" in page
    assert "게시물 4개 기준" in page
    assert "게시물 0개 기준" in page  # threads: used by a campaign, nothing measured yet
    assert page.count("아직 게시물이 적어 여러 방식을 시도하며 배우는 중이에요") == 2
    assert "성과가 모인 게시물이 10개가 되면 잘 되는 시간에 맞춰 올려요 (앞으로 6개)" in page
    assert "(앞으로 10개)" in page
    assert "질문으로 시작한 글이" not in page


def test_only_the_channels_the_business_writes_for_get_a_card(alice: Tenant):
    ContentPieceFactory(business=alice.business, channel="naver_blog")
    CampaignFactory(business=alice.business, channels=["threads"])

    fragment = _card(alice, HTTP_HX_REQUEST="true")

    assert "learned-naver_blog" in fragment
    assert "learned-threads" in fragment
    assert "learned-instagram" not in fragment
    assert "learned-youtube_shorts" not in fragment


def test_a_business_that_has_not_started_is_told_what_will_appear(alice: Tenant):
    fragment = _card(alice, HTTP_HX_REQUEST="true")

    assert "채널마다 반응이 좋았던 방식을 여기에 알려 드려요" in fragment
    assert "learned-card" not in fragment


def test_with_learning_switched_off_the_card_says_so_and_keeps_the_default_times(
    alice: Tenant, settings
):
    settings.LEARNING_ENABLED = False
    _questions_do_better(alice)

    fragment = _card(alice, HTTP_HX_REQUEST="true")

    assert "학습이 꺼져 있어요" in fragment
    assert "지금은 기본 시간에 올려요." in fragment
    assert "반응이 좋았던 요일과 시간에 맞춰 올려요" not in fragment


def test_another_organization_cannot_see_what_was_learned(alice: Tenant, bob: Tenant):
    _questions_do_better(alice, posts=6)

    response = bob.client().get(reverse("campaigns:learned", args=[alice.business.pk]))

    assert response.status_code == 404


def test_the_card_reads_in_english_on_request(alice: Tenant):
    ContentPieceFactory(business=alice.business)

    fragment = _card(alice, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")

    assert "What we learned" in fragment
    assert "Based on 0 posts" in fragment


# --- Each piece on the campaign page ---------------------------------------------------


def test_the_campaign_page_marks_each_piece_and_says_why_when_asked(alice: Tenant):
    campaign = CampaignFactory(business=alice.business)
    tried = ContentPieceFactory(
        business=alice.business, campaign=campaign, status="ready", body="새 글",
        learning={
            "slot": {"source": "learned", "slot": {"weekday": "5", "hour": "19"}, "explored": True},
            "explored": [], "note": "이번 글은 새로운 시도예요",
            "summary": "질문으로 시작한 글이 평소보다 도달과 반응이 34% 높았어요 · 게시물 14개 기준",
        },
    )  # fmt: skip
    ContentPieceFactory(
        business=alice.business, campaign=campaign, status="ready", body="예전 글", learning={}
    )

    html = alice.client().get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert html.count('class="badge') == 1  # the older piece has no decision to show
    assert 'class="badge badge-explored">이번 글은 새로운 시도예요<' in html
    assert html.count("왜 이렇게 썼나요?") == 1
    assert tried.learning["summary"] in html
    assert "더 잘 되는 시간이 있는지 시도해 봐요" in html
