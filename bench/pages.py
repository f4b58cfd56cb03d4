"""Fast pages: the owner's pages of a business run as many queries with 500 pieces as
with 10, and the results dashboard renders quickly with 500.

A shop of its own (the demo café's profile and menu, in an organization of its own, so
what other benchmarks left in the database stays out of its lists) is filled with 10
pieces and then 500, each with its campaign, media, publication and three readings over
12 weeks (``bench/busy_shop.py``); every page that lists pieces or publications is
rendered through the test client as the logged-in owner at both sizes.

- ``pages.queries_500_over_10``: the largest ratio, over the pages, of the queries one
  rendering runs at 500 pieces to those at 10 (``tests/test_page_queries.py`` names the
  statement when a page repeats one).
- ``pages.dashboard_ms_500``: the dashboard at 500 pieces, median of 7 renderings, each
  the first after a new reading arrives (the cache cleared too): the charts and what was
  learned are worked out afresh, the worst an owner meets.
- ``pages.dashboard_ms_500_cached``: the same page rendered again at once, as most
  visits are.
"""

from __future__ import annotations

import statistics
import time

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from analytics.models import MetricSnapshot
from bench.busy_shop import PAGES, fill, owner_pages, page_queries
from bench.report import Figure
from marketing.demo import SAMPLE_BUSINESS, SAMPLE_MENU
from marketing.models import Business, Membership, Organization, Plan, User
from marketing.services import business_create, products_replace
from publishing.models import Publication

SMALL, LARGE = 10, 500
ROUNDS = 7


def _shop() -> tuple[User, Business]:
    owner = User.objects.create_user("pages-bench@gagecast.local", "pages-bench")
    organization = Organization.objects.create(
        name="바쁜 가게 (벤치마크)", plan=Plan.objects.filter(code="pro").first()
    )
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    business = business_create(organization=organization, actor=owner, **SAMPLE_BUSINESS)
    products_replace(business=business, products=SAMPLE_MENU)
    return owner, business


def _query_counts(client: Client, business: Business) -> dict[str, int]:
    urls = owner_pages(business)
    return {page: len(page_queries(client, urls[page])) for page in PAGES}


def _new_reading(business: Business) -> None:
    """A later reading of the newest post, as the collector would store it."""
    publication = (
        Publication.objects.filter(piece__business=business, state=Publication.State.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    assert publication is not None
    latest = publication.metric_snapshots.order_by("-collected_at").first()
    assert latest is not None and latest.reach is not None
    MetricSnapshot.objects.create(
        publication=publication,
        collected_at=timezone.now(),
        source=MetricSnapshot.Source.SANDBOX,
        reach=latest.reach + 1,
        views=latest.views,
        likes=latest.likes,
        comments=latest.comments,
    )


def _render_ms(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def run() -> list[Figure]:
    owner, business = _shop()
    client = Client(SERVER_NAME="localhost")  # an allowed host: no test environment here
    client.force_login(owner)
    fill(business, pieces=SMALL)
    small = _query_counts(client, business)
    fill(business, pieces=LARGE)
    large = _query_counts(client, business)
    dashboard = owner_pages(business)["results"]
    uncached, cached = [], []
    for _ in range(ROUNDS):
        _new_reading(business)
        cache.clear()
        uncached.append(_render_ms(client, dashboard))
        cached.append(_render_ms(client, dashboard))
    return [
        Figure(
            "pages.queries_500_over_10",
            max(large[page] / small[page] for page in PAGES),
            "ratio",
            "<=1.0",
        ),
        Figure("pages.most_queries_500", max(large.values()), "queries"),
        Figure("pages.dashboard_ms_500", statistics.median(uncached), "ms"),
        Figure("pages.dashboard_ms_500_cached", statistics.median(cached), "ms"),
    ]
