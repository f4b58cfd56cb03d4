"""The results dashboard: headline numbers against the period before in words, each
channel over time as an SVG chart with its data as a table, the best and weakest posts,
an early state that says what will come, and the same queries for few or many posts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.results import results_for
from tests.conftest import Tenant
from tests.factories import measured_post

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2027, 4, 20, 12, tzinfo=SEOUL)


def _posts(tenant: Tenant, days_ago: list[int], reach: int, **kwargs) -> None:
    for days in days_ago:
        measured_post(
            tenant.business,
            published_at=NOW - dt.timedelta(days=days, hours=2),
            reach=reach,
            **kwargs,
        )


def test_headlines_compare_with_the_period_before_in_words(alice: Tenant):
    _posts(alice, [1, 8, 15], 1000)  # this 4 weeks: 3 posts, 3,000 seen
    _posts(alice, [30, 40], 1250)  # the 4 weeks before: 2 posts, 2,500 seen

    results = results_for(alice.business, period="4weeks", now=NOW)

    posts, seen, _interactions = results.headlines
    assert (posts.value, posts.previous) == (3, 2)
    assert (seen.value, seen.previous, seen.change) == (3000, 2500, 20)
    assert results.words(seen) == "지난 4주보다 20% ↑"
    assert results.measured == 3


def test_each_channel_is_summed_per_week_on_the_shops_days(alice: Tenant):
    _posts(alice, [1, 2], 100, channel="instagram")
    _posts(alice, [3], 700, channel="threads")
    _posts(alice, [20], 50, channel="instagram")

    results = results_for(alice.business, period="4weeks", now=NOW)

    assert len(results.buckets) == 4 and results.buckets[-1] == dt.date(2027, 4, 14)
    assert results.series["instagram"] == [0, 50, 0, 200]
    assert results.series["threads"] == [0, 0, 0, 700]
    assert [p.channel for p in results.best][:1] == ["threads"]


def test_the_page_draws_an_svg_chart_with_a_summary_and_a_table(alice: Tenant):
    for days in (1, 2, 3):
        measured_post(
            alice.business, published_at=timezone.now() - dt.timedelta(days=days), reach=400
        )

    html = alice.client().get(f"/app/businesses/{alice.business.pk}/results/?period=3months")
    text = html.content.decode()

    assert html.status_code == 200
    assert text.count("<svg") == 2 and 'aria-describedby="chart-summary-1"' in text
    assert "채널별 본 사람 (주별)" in text and "<table" in text
    assert "반응이 좋았던 게시물" in text


def test_an_early_shop_is_told_what_will_appear(alice: Tenant):
    html = alice.client().get(f"/app/businesses/{alice.business.pk}/results/").content.decode()

    assert "측정된 게시물이 아직 없어요" in html and "<svg" not in html
    assert "비교할 이전 기간 결과가 아직 없어요" in html


def test_the_page_runs_the_same_queries_for_few_and_many_posts(alice: Tenant):
    url = f"/app/businesses/{alice.business.pk}/results/"
    client = alice.client()
    now = timezone.now()
    measured_post(alice.business, published_at=now - dt.timedelta(days=2), reach=10)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(40):
        measured_post(alice.business, published_at=now - dt.timedelta(hours=13 * n + 3), reach=n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_another_organization_cannot_see_the_results(alice: Tenant, bob: Tenant):
    assert bob.client().get(f"/app/businesses/{alice.business.pk}/results/").status_code == 404


def test_the_heatmap_averages_by_weekday_and_hour_band_and_marks_thin_cells(alice: Tenant):
    from analytics.results import band_of

    tuesday_evening = dt.datetime(2027, 4, 13, 19, 30, tzinfo=SEOUL)  # a Tuesday, 19:30
    for week, reach in enumerate((300, 500, 400)):
        measured_post(
            alice.business, published_at=tuesday_evening - dt.timedelta(weeks=week), reach=reach
        )
    measured_post(alice.business, published_at=dt.datetime(2027, 4, 17, 2, tzinfo=SEOUL), reach=90)

    results = results_for(alice.business, period="4weeks", now=NOW)

    assert band_of(19) == 4 and band_of(2) == 5 and band_of(6) == 0
    assert results.heat[(1, 4)] == (400, 3)  # Tuesday 18–21: three posts, mean 400
    assert results.heat[(5, 5)] == (90, 1)  # Saturday 2:00 counts with the night band


def test_charts_are_drawn_once_until_a_new_reading_arrives(alice: Tenant, monkeypatch):
    from analytics import charts

    drawn = []
    real = charts.line_chart
    monkeypatch.setattr(charts, "line_chart", lambda **kw: drawn.append(1) or real(**kw))
    url = f"/app/businesses/{alice.business.pk}/results/"
    client = alice.client()
    measured_post(alice.business, published_at=timezone.now() - dt.timedelta(days=2), reach=10)

    client.get(url)
    client.get(url)
    assert len(drawn) == 1
    measured_post(alice.business, published_at=timezone.now() - dt.timedelta(days=3), reach=20)
    client.get(url)
    assert len(drawn) == 2
