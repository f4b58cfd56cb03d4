"""Fast pages: every page of a business that lists its pieces or publications runs the
same number of queries whether the shop has 8 pieces or 40, with their campaigns, media,
publications and readings (bench/busy_shop.py), so an N+1 fails here, naming the
statement it repeats. 8 pieces already post on every channel and have numbers in each of
the dashboard's periods, so what a page reads once per channel or per period is there
at both sizes. ``make bench BENCH=pages`` measures
the same pages at 10 and 500 pieces."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.busy_shop import PAGES, fill, owner_pages, page_queries
from content.models import ContentPiece
from marketing.models import Business, Organization
from publishing.models import ChannelAccount
from tests.factories import BusinessFactory, ContentPieceFactory, UsageRecordFactory

FEW, MANY = 8, 40


def _shape(sql: str) -> str:
    """A statement with its values left out, so one repeated per row counts as one."""
    return re.sub(r"\d+(, \d+)*", "N", sql)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_as_many_queries_with_40_pieces_as_with_8(alice, page):
    client = alice.client()
    fill(alice.business, pieces=FEW)
    few = page_queries(client, owner_pages(alice.business)[page])
    fill(alice.business, pieces=MANY)
    many = page_queries(client, owner_pages(alice.business)[page])
    repeated = Counter(map(_shape, many)) - Counter(map(_shape, few))
    assert len(many) == len(few), "\n\n".join(
        f"{count} more times: {sql}" for sql, count in repeated.most_common(5)
    )


# --- The agency workspace: as many queries with 40 client shops as with 3 ---------------------

FEW_SHOPS, MANY_SHOPS = 3, 40


def _client_shops(organization: Organization, count: int) -> None:
    """Top the agency up to ``count`` shops, each busy (bench.busy_shop) and with one of
    everything the workspace counts: review states, a failed piece, an account to
    reconnect, and this month's use."""
    have = Business.objects.filter(organization=organization).count()
    for index in range(have, count):
        business = BusinessFactory(organization=organization, name=f"고객 가게 {index:02d}")
        fill(business, pieces=FEW)
        ahead = ContentPiece.objects.filter(business=business, planned_for__gt=timezone.now())
        for state, piece in zip(REVIEW_STATES, ahead.order_by("pk"), strict=False):
            ContentPiece.objects.filter(pk=piece.pk).update(status="ready", review_state=state)
        ContentPieceFactory(business=business, status="failed")
        ChannelAccount.objects.filter(business=business, platform="threads").update(
            state=ChannelAccount.State.NEEDS_REAUTH
        )
        UsageRecordFactory(organization=organization, business=business, quantity=3)


REVIEW_STATES = ("in_review", "changes_requested", "client_review")


def test_the_workspace_runs_as_many_queries_with_40_shops_as_with_3(alice):
    Organization.objects.filter(pk=alice.organization.pk).update(kind="agency")
    client = alice.client()
    url = reverse("owner:workspace")
    _client_shops(alice.organization, FEW_SHOPS)
    few = page_queries(client, url)
    _client_shops(alice.organization, MANY_SHOPS)
    many = page_queries(client, url)
    repeated = Counter(map(_shape, many)) - Counter(map(_shape, few))
    assert len(many) == len(few), "\n\n".join(
        f"{count} more times: {sql}" for sql, count in repeated.most_common(5)
    )
    assert "고객 가게 39" in client.get(url).content.decode()
