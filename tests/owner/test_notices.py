"""Needs-you: a badge on every page and a list, each item linking to the one screen that
fixes it; another organization's troubles never show."""

from __future__ import annotations

import pytest

from content.models import ContentPiece
from publishing.models import ChannelAccount, Publication
from tests.conftest import Tenant
from tests.factories import (
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


def _troubles(tenant: Tenant) -> dict[str, object]:
    business = tenant.business
    account = ChannelAccountFactory(
        business=business, platform="threads", state=ChannelAccount.State.NEEDS_REAUTH
    )
    naver = PublicationFactory(
        piece=ContentPieceFactory(business=business, channel="naver_blog", title="블로그 글"),
        state=Publication.State.NEEDS_ACTION,
    )
    failed = PublicationFactory(
        piece=ContentPieceFactory(business=business, title="실패한 글"),
        state=Publication.State.FAILED,
    )
    campaign = CampaignFactory(business=business)
    ContentPieceFactory(business=business, campaign=campaign, status=ContentPiece.Status.READY)
    return {"account": account, "naver": naver, "failed": failed, "campaign": campaign}


def test_each_thing_waiting_links_to_the_screen_that_fixes_it(alice: Tenant):
    made = _troubles(alice)

    html = alice.client().get("/app/notices/").content.decode()

    assert f'href="/app/businesses/{alice.business.pk}/channels/"' in html
    assert f'href="/app/publications/{made["naver"].pk}/assisted/"' in html
    assert f'href="/app/publications/{made["failed"].pk}/"' in html
    assert f'href="/app/campaigns/{made["campaign"].pk}/"' in html
    assert "실패한 글" in html and "검토를 기다리는 글이 1개 있어요." in html


def test_the_badge_counts_them_on_every_page(alice: Tenant):
    _troubles(alice)

    html = alice.client().get(f"/app/businesses/{alice.business.pk}/").content.decode()

    assert '<span class="count" aria-label="4건">4</span>' in html


def test_nothing_waiting_shows_no_badge_and_says_so(alice: Tenant, bob: Tenant):
    _troubles(alice)

    page = bob.client().get("/app/notices/").content.decode()

    assert "지금은 확인할 일이 없어요" in page and 'class="count"' not in page


def test_a_single_post_waiting_for_review_is_listed_and_counted(alice: Tenant):
    piece = ContentPieceFactory(business=alice.business, status=ContentPiece.Status.READY)

    html = alice.client().get("/app/notices/").content.decode()

    assert f'href="/app/pieces/{piece.pk}/"' in html
    assert '<span class="count" aria-label="1건">1</span>' in html
