from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from content.models import ContentPiece
from tests.conftest import Tenant
from tests.factories import CampaignFactory, ContentPieceFactory

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    start = timezone.localdate() + dt.timedelta(days=1)
    return {
        "goal": "event_sale",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=6)).isoformat(),
        "channels": ["instagram", "threads"],
        "offer": "1+1",
        **changes,
    }


def test_an_owner_starts_a_campaign_from_the_business_page(alice: Tenant):
    client = alice.client()
    page = client.get(reverse("marketing:business_detail", args=[alice.business.pk]))

    response = client.post(reverse("campaigns:new", args=[alice.business.pk]), _form())

    campaign = Campaign.objects.get()
    assert reverse("campaigns:new", args=[alice.business.pk]) in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.pieces.count() == 6


def test_a_bad_brief_comes_back_with_the_reason_and_what_was_typed(alice: Tenant):
    start = timezone.localdate() + dt.timedelta(days=5)
    response = alice.client().post(
        reverse("campaigns:new", args=[alice.business.pk]),
        _form(
            ends_on=(start - dt.timedelta(days=2)).isoformat(),
            starts_on=start.isoformat(),
            offer="주말 20% 할인",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "종료일은 시작일보다 빠를 수 없습니다." in html
    assert "주말 20% 할인" in html
    assert not Campaign.objects.exists()


def test_the_campaign_page_labels_offline_drafts_and_shows_failure_reasons(alice: Tenant):
    campaign = CampaignFactory(business=alice.business)
    ContentPieceFactory(
        business=alice.business, campaign=campaign, status="ready", provider="offline",
        title="소금빵 나왔어요", body="오늘 아침 구운 소금빵", planned_for=timezone.now(),
    )  # fmt: skip
    ContentPieceFactory(
        business=alice.business, campaign=campaign, status="failed", channel="threads",
        error="이번 달 생성 한도(10개)를 모두 사용했습니다.", planned_for=timezone.now(),
    )  # fmt: skip

    html = alice.client().get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert "오프라인 초안" in html
    assert "소금빵 나왔어요" in html
    assert "이번 달 생성 한도(10개)" in html
    assert "더 짧게" in html


def test_the_campaign_page_says_when_a_video_was_made_without_its_narration(alice: Tenant):
    campaign = CampaignFactory(business=alice.business)
    ContentPieceFactory(
        business=alice.business, campaign=campaign, status="ready", channel="youtube_shorts",
        render_status="done", planned_for=timezone.now(),
        render_note="내레이션 음성을 만들지 못해 음성 없이 영상을 만들었어요.",
    )  # fmt: skip

    html = alice.client().get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert "내레이션 음성을 만들지 못해 음성 없이 영상을 만들었어요." in html


def test_while_generating_the_page_refreshes_only_the_pieces(alice: Tenant):
    campaign = CampaignFactory(business=alice.business, status=Campaign.Status.GENERATING)

    full = alice.client().get(reverse("campaigns:detail", args=[campaign.pk]))
    partial = alice.client().get(
        reverse("campaigns:detail", args=[campaign.pk]), HTTP_HX_REQUEST="true"
    )

    assert 'hx-trigger="every 2s"' in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 2s"' in partial.content.decode()


def test_a_quick_instruction_rewrites_the_piece(alice: Tenant, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(business=alice.business)
    piece = ContentPieceFactory(business=alice.business, campaign=campaign, status="ready")

    with django_capture_on_commit_callbacks() as callbacks:
        alice.client().post(
            reverse("campaigns:piece_rewrite", args=[piece.pk]), {"instruction": "가격 강조"}
        )

    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.QUEUED
    assert len(callbacks) == 1


def test_bob_gets_404_for_alices_campaign_pages(alice: Tenant, bob: Tenant):
    campaign = CampaignFactory(business=alice.business)
    piece = ContentPieceFactory(business=alice.business, campaign=campaign, status="ready")
    client = bob.client()

    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns:new", args=[alice.business.pk])).status_code == 404
    assert client.post(reverse("campaigns:retry", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaigns:piece_rewrite", args=[piece.pk])).status_code == 404


def test_the_business_page_shows_this_months_usage_against_the_plan(alice: Tenant):
    from marketing.models import Plan, UsageRecord

    alice.organization.plan = Plan.objects.get(code="starter")
    alice.organization.save()
    UsageRecord.objects.create(organization=alice.organization, kind="piece", quantity=3)

    html = (
        alice.client()
        .get(reverse("marketing:business_detail", args=[alice.business.pk]))
        .content.decode()
    )

    assert "이번 달 3개 게시물을 만들었어요." in html
    assert "한도 10개" in html
