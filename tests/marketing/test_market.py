"""The market check: SEMAS (FakeSemas over real HTTP) → counts, neighbours, keywords, cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse

from marketing.market import (
    MarketContext,
    MarketStatus,
    Neighbour,
    dong_from_area,
    market_context_for,
    searchable_dong,
)
from marketing.models import Business, MarketSnapshot
from sandbox.semas import YEONNAM, FakeSemas, point_at
from tests.conftest import Tenant

pytestmark = pytest.mark.django_db

KEY = "test-key"
LON, LAT = YEONNAM
START = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def semas(settings) -> Iterator[FakeSemas]:
    """An empty world: each test places the shops it needs."""
    with FakeSemas(service_key=KEY, density=0) as fake:
        settings.SEMAS_SERVICE_KEY = KEY
        settings.SEMAS_BASE_URL = fake.url
        yield fake


@pytest.fixture
def cafe(alice: Tenant) -> Business:
    business = alice.business
    business.industry = "cafe"
    business.area = "서울 마포구 연남동"
    business.longitude, business.latitude = Decimal("126.923700"), Decimal("37.566200")
    business.save()
    return business


def _place(fake: FakeSemas, small_code: str, metres: float, bearing: float = 90, **fields):
    lon, lat = point_at(LON, LAT, metres, bearing)
    return fake.add_store(small_code, lon, lat, **fields)


def _calls(fake: FakeSemas) -> int:
    return len(fake.requests_to(r"/storeListInRadius"))


def test_without_a_service_key_it_says_it_writes_from_the_owners_answers(cafe: Business, settings):
    settings.SEMAS_SERVICE_KEY = ""

    result = market_context_for(cafe)

    assert result.status == MarketStatus.NOT_CONFIGURED
    assert "사장님이 알려 주신" in result.message
    assert result.as_prompt_context() is None
    assert not MarketSnapshot.objects.exists()


def test_without_coordinates_it_asks_for_the_shops_location(semas: FakeSemas, cafe: Business):
    cafe.latitude = cafe.longitude = None
    cafe.save()

    result = market_context_for(cafe)

    assert result.status == MarketStatus.NO_LOCATION
    assert "위치" in result.message
    assert result.as_prompt_context() is None
    assert semas.requests == []


def test_it_counts_same_industry_competitors_within_500m_and_1km(semas: FakeSemas, cafe: Business):
    for metres, bearing in ((80, 0), (300, 120), (490, 240), (510, 10), (700, 200), (980, 300)):
        _place(semas, "I21201", metres, bearing)
    _place(semas, "I21201", 1300)  # beyond 1 km: SEMAS does not return it
    _place(semas, "I21001", 200)  # a bakery is not a café's competitor
    _place(semas, "I21201", 5, name="앨리스 베이커리")  # the shop itself

    result = market_context_for(cafe)

    assert result.status == MarketStatus.OK
    assert (result.competitors_500m, result.competitors_1km) == (3, 6)
    assert result.store_count == 8
    [request] = semas.requests
    assert request.param("radius") == "1000"


def test_counts_agree_with_the_ground_truth_of_a_seeded_world(settings, cafe: Business):
    with FakeSemas(service_key=KEY, seed=11) as semas:
        settings.SEMAS_SERVICE_KEY, settings.SEMAS_BASE_URL = KEY, semas.url

        result = market_context_for(cafe)

        cafes_500m = semas.stores_within(LON, LAT, 500, small="I21201")
        cafes_1km = semas.stores_within(LON, LAT, 1000, small="I21201")
        assert result.competitors_500m == len(cafes_500m) > 0
        assert result.competitors_1km == len(cafes_1km) > len(cafes_500m)
        assert result.store_count == len(semas.stores_within(LON, LAT, 1000)) > 1000
        assert _calls(semas) == 2  # two pages of 1,000


def test_neighbours_are_the_five_most_common_other_industries(semas: FakeSemas, cafe: Business):
    shops = {
        "I20101": 4,  # 한식
        "I21006": 2,  # 기타 간이 (치킨)
        "I21007": 1,  # 기타 간이 (분식)
        "S20701": 2,  # 이용·미용 (미용실)
        "S20703": 1,  # 이용·미용 (네일숍)
        "I21104": 2,  # 주점
        "G21501": 1,  # 의약·화장품 소매
        "G20405": 1,  # 종합 소매
        "I21201": 9,  # 비알코올: the café's own industry, never a neighbour
    }
    for code, count in shops.items():
        for index in range(count):
            _place(semas, code, 100 + 50 * index, bearing=index * 40)

    result = market_context_for(cafe)

    assert result.neighbours == (
        Neighbour("한식", 4),
        Neighbour("기타 간이", 3),
        Neighbour("이용·미용", 3),
        Neighbour("주점", 2),
        Neighbour("의약·화장품 소매", 1),
    )


def test_local_keywords_join_the_dong_and_the_industry(semas: FakeSemas, cafe: Business):
    result = market_context_for(cafe)

    assert result.local_keywords == ("연남동 카페", "연남동 맛집")


def test_without_a_dong_in_the_area_keywords_use_the_neighbouring_shops_dong(
    semas: FakeSemas, cafe: Business
):
    cafe.industry, cafe.area = "hair_salon", "홍대입구역 근처"
    cafe.save()
    _place(semas, "G20405", 50)

    result = market_context_for(cafe)

    assert result.local_keywords == ("연남동 미용실",)


@pytest.mark.parametrize(
    ("area", "dong"),
    [
        ("서울 마포구 연남동", "연남동"),
        ("서울 강남구 역삼1동", "역삼동"),
        ("서울 노원구 상계3·4동", "상계동"),
        ("경기 양평군 양평읍", "양평읍"),
        ("서울 중구 을지로3가", "을지로3가"),
        ("망원시장 앞", ""),
    ],
)
def test_the_dong_is_read_from_the_area_as_people_search_it(area: str, dong: str):
    assert dong_from_area(area) == dong


def test_a_numbered_haengjeongdong_loses_its_number():
    assert searchable_dong("성수2가제3동") == "성수동"
    assert searchable_dong("연남동") == "연남동"


def test_an_industry_without_a_semas_class_gets_neighbours_but_no_counts(
    semas: FakeSemas, cafe: Business
):
    cafe.industry = "photo_studio"
    cafe.save()
    _place(semas, "I20101", 100)

    result = market_context_for(cafe)

    assert (result.competitors_500m, result.competitors_1km) == (None, None)
    assert result.neighbours == (Neighbour("한식", 1),)
    assert result.local_keywords == ("연남동 사진관",)


def test_the_result_becomes_prompt_context(semas: FakeSemas, cafe: Business):
    _place(semas, "I21201", 100)
    _place(semas, "I20101", 100)

    context = market_context_for(cafe).as_prompt_context()

    assert context == MarketContext(
        competitors_500m=1,
        competitors_1km=1,
        neighbours=("한식",),
        local_keywords=("연남동 카페", "연남동 맛집"),
    )


def test_the_result_is_cached_for_a_week_then_fetched_again(
    semas: FakeSemas, cafe: Business, time_machine
):
    time_machine.move_to(START, tick=False)
    _place(semas, "I21201", 100)
    first = market_context_for(cafe)

    time_machine.shift(dt.timedelta(days=6, hours=23))
    _place(semas, "I21201", 200)  # opens during the week: not seen until the cache expires
    within_the_week = market_context_for(cafe)
    assert _calls(semas) == 1
    assert within_the_week == first

    time_machine.shift(dt.timedelta(hours=1, seconds=1))
    after_the_week = market_context_for(cafe)
    assert _calls(semas) == 2
    assert after_the_week.competitors_1km == 2
    assert after_the_week.fetched_at == START + dt.timedelta(days=7, seconds=1)
    assert cafe.market_snapshots.filter(status=MarketSnapshot.Status.OK).count() == 2


def test_the_cache_lasts_as_many_days_as_the_setting_says(
    semas: FakeSemas, cafe: Business, time_machine, settings
):
    settings.MARKET_CONTEXT_TTL_DAYS = 1
    time_machine.move_to(START, tick=False)
    market_context_for(cafe)

    time_machine.shift(dt.timedelta(days=1, seconds=1))
    market_context_for(cafe)

    assert _calls(semas) == 2


def test_refresh_asks_semas_even_within_the_week(semas: FakeSemas, cafe: Business):
    market_context_for(cafe)
    _place(semas, "I21201", 100)

    refreshed = market_context_for(cafe, refresh=True)

    assert _calls(semas) == 2
    assert refreshed.competitors_1km == 1


def test_a_failure_keeps_the_last_good_snapshot_and_records_the_error(
    semas: FakeSemas, cafe: Business, time_machine
):
    time_machine.move_to(START, tick=False)
    _place(semas, "I21201", 100)
    good = market_context_for(cafe)
    time_machine.shift(dt.timedelta(days=8))
    semas.throttle_next()

    result = market_context_for(cafe)

    assert result.status == MarketStatus.OK
    assert result.stale
    assert (result.competitors_1km, result.fetched_at) == (good.competitors_1km, START)
    assert "새로 불러올 수 없어" in result.message
    assert result.as_prompt_context() == good.as_prompt_context()
    failure = cafe.market_snapshots.get(status=MarketSnapshot.Status.UNAVAILABLE)
    assert failure.error.startswith("transient:")
    assert "429" in failure.error
    assert cafe.market_snapshots.filter(status=MarketSnapshot.Status.OK).count() == 1


def test_a_failure_with_nothing_to_fall_back_on_is_unavailable_and_never_raises(
    semas: FakeSemas, cafe: Business
):
    semas.throttle_next()

    result = market_context_for(cafe)

    assert result.status == MarketStatus.UNAVAILABLE
    assert "잠시 후 다시" in result.message
    assert result.as_prompt_context() is None
    assert cafe.market_snapshots.get().status == MarketSnapshot.Status.UNAVAILABLE


def test_after_a_failure_semas_is_left_alone_for_a_while(
    semas: FakeSemas, cafe: Business, time_machine
):
    time_machine.move_to(START, tick=False)
    semas.throttle_next()
    market_context_for(cafe)

    time_machine.shift(dt.timedelta(minutes=10))
    assert market_context_for(cafe).status == MarketStatus.UNAVAILABLE
    assert _calls(semas) == 1

    time_machine.shift(dt.timedelta(minutes=6))
    assert market_context_for(cafe).status == MarketStatus.OK
    assert _calls(semas) == 2


def test_an_unregistered_key_is_unavailable_and_recorded_as_permanent(
    semas: FakeSemas, cafe: Business, settings
):
    settings.SEMAS_SERVICE_KEY = "someone-elses-key"

    result = market_context_for(cafe)

    assert result.status == MarketStatus.UNAVAILABLE
    error = cafe.market_snapshots.get().error
    assert error.startswith("permanent:")
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in error


def test_bob_cannot_open_alices_market_snapshot_in_the_admin(
    semas: FakeSemas, cafe: Business, alice: Tenant, bob: Tenant
):
    market_context_for(cafe)
    snapshot = cafe.market_snapshots.get()
    change = reverse("admin:marketing_marketsnapshot_change", args=[snapshot.pk])
    listing = reverse("admin:marketing_marketsnapshot_changelist")

    assert bob.client().get(change).status_code == 404
    assert snapshot not in bob.client().get(listing).context["cl"].queryset
    assert alice.client().get(change).status_code == 200


def test_the_business_page_shows_the_not_configured_state_without_calling_semas(alice, settings):
    from django.urls import reverse

    settings.SEMAS_SERVICE_KEY = ""

    html = (
        alice.client()
        .get(reverse("marketing:business_detail", args=[alice.business.pk]))
        .content.decode()
    )

    assert "상권 데이터(소상공인시장진흥공단)가 연결되어 있지 않아" in html


def test_the_business_page_never_fetches_and_offers_a_background_check(
    alice, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from marketing.models import MarketSnapshot

    settings.SEMAS_SERVICE_KEY, settings.SEMAS_BASE_URL = (
        "key",
        "http://127.0.0.1:9",
    )  # nothing listens
    alice.business.latitude, alice.business.longitude = 37.56, 126.92
    alice.business.save()
    client = alice.client()

    html = client.get(
        reverse("marketing:business_detail", args=[alice.business.pk])
    ).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("marketing:market_refresh", args=[alice.business.pk]))

    assert "아직 주변 상권을 살펴보지 않았어요" in html
    assert not MarketSnapshot.objects.exists()
    assert len(callbacks) == 1


def test_a_market_refresh_sends_the_refresh_task_for_that_business_after_commit(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    from core import queue
    from marketing.services import market_context_refresh

    sent = []
    monkeypatch.setattr(
        queue, "send", lambda name, *args, countdown=None: sent.append((name, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        market_context_refresh(business=alice.business)
        assert sent == []

    assert sent == [("marketing.tasks.refresh_market_context", (alice.business.pk,))]


def test_one_business_is_fetched_by_one_process_at_a_time(alice, settings):
    from django.core.cache import cache

    from marketing.market import MarketStatus, market_context_for

    settings.SEMAS_SERVICE_KEY, settings.SEMAS_BASE_URL = "key", "http://127.0.0.1:9"
    alice.business.latitude, alice.business.longitude = 37.56, 126.92
    alice.business.save()
    cache.add(f"market-fetch:{alice.business.pk}", True, 60)  # another worker is fetching

    result = market_context_for(alice.business)

    assert result.status == MarketStatus.NOT_CHECKED
