"""The market check: competitors, neighbours and local keywords around a business.

``market_context_for`` asks SEMAS once (every shop within 1 km), summarises it,
and keeps the summary as a ``MarketSnapshot`` for MARKET_CONTEXT_TTL_DAYS. The
owner's wizard and the prompt builder read the result; neither ever sees an
exception from SEMAS.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketing.industries import IndustryFamily, industry_for
from marketing.models import Business, MarketSnapshot
from marketing.semas import SemasClient, SemasError, Store

logger = logging.getLogger(__name__)
FETCH_LOCK_S = 60  # longer than one SEMAS call with its timeouts

SEARCH_RADIUS_M = 1000
NEAR_RADIUS_M = 500
TOP_NEIGHBOURS = 5
# After a failed call, wait this long before asking SEMAS again (unless refresh=True).
RETRY_AFTER_FAILURE = dt.timedelta(minutes=15)
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class SemasClass:
    """Which SEMAS shops count as competitors of one of our industries.

    With ``small`` codes, shops of those small classes; without, every shop of the
    ``medium`` class (our industry is broader than any one small class, or has none).
    """

    medium: str
    small: tuple[str, ...] = ()

    def matches(self, store: Store) -> bool:
        if self.small:
            return store.small_code in self.small
        return store.medium_code == self.medium


# Our industries (marketing.industries) → SEMAS classes (2023 classification).
# Missing industries (stationery_gift, photo_studio, repair, other) have no clear
# SEMAS class: they get neighbours and keywords, but no competitor counts.
SEMAS_CLASSES: dict[str, SemasClass] = {
    "cafe": SemasClass("I212", ("I21201",)),  # 카페
    "bakery": SemasClass("I210", ("I21001", "I21002")),  # 빵/도넛, 떡/한과
    "dessert": SemasClass("I210", ("I21008",)),  # 아이스크림/빙수
    "korean_restaurant": SemasClass("I201"),  # 한식
    "snack_bar": SemasClass("I210", ("I21007",)),  # 김밥/만두/분식
    "chicken": SemasClass("I210", ("I21006",)),  # 치킨
    "bbq": SemasClass("I201", ("I20107", "I20108", "I20109", "I20110")),  # 고기 구이/찜
    "pub": SemasClass("I211"),  # 주점
    "japanese_restaurant": SemasClass("I203"),  # 일식
    "chinese_restaurant": SemasClass("I202"),  # 중식
    "western_restaurant": SemasClass("I204"),  # 서양식
    "hair_salon": SemasClass("S207", ("S20701",)),  # 미용실
    "nail_salon": SemasClass("S207", ("S20703",)),  # 네일숍
    "skin_care": SemasClass("S207", ("S20702",)),  # 피부 관리실
    "barbershop": SemasClass("S207"),  # 이용·미용 (no small class of its own found)
    "flower_shop": SemasClass("G219", ("G21901",)),  # 꽃집
    "clothing": SemasClass("G209"),  # 섬유·의복·신발 소매
    "grocery": SemasClass("G205"),  # 식료품 소매
    "pet_shop": SemasClass("G220", ("G22001",)),  # 애완동물/애완용품 소매업
    "fitness": SemasClass("R103", ("R10307",)),  # 헬스장
    "pilates_yoga": SemasClass("P106", ("P10603",)),  # 요가/필라테스 학원
    "academy": SemasClass("P105"),  # 일반 교육 (입시·교과학원 …)
    "hobby_class": SemasClass("P106"),  # 기타 교육
    "laundry": SemasClass("S209", ("S20901", "S20902")),  # 세탁소, 빨래방
}

# What people type into a search box for each industry, after the 동 name.
SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "cafe": ("카페",),
    "bakery": ("빵집", "베이커리"),
    "dessert": ("디저트", "디저트 카페"),
    "korean_restaurant": ("한식", "밥집"),
    "snack_bar": ("분식", "떡볶이"),
    "chicken": ("치킨",),
    "bbq": ("고깃집", "삼겹살"),
    "pub": ("술집", "호프"),
    "japanese_restaurant": ("일식", "초밥"),
    "chinese_restaurant": ("중국집", "짬뽕"),
    "western_restaurant": ("브런치", "파스타"),
    "hair_salon": ("미용실",),
    "nail_salon": ("네일", "네일샵"),
    "skin_care": ("피부관리",),
    "barbershop": ("바버샵", "남자 머리"),
    "flower_shop": ("꽃집",),
    "clothing": ("옷가게", "편집샵"),
    "stationery_gift": ("소품샵",),
    "grocery": ("반찬가게",),
    "pet_shop": ("애견샵",),
    "fitness": ("헬스장", "PT"),
    "pilates_yoga": ("필라테스", "요가"),
    "academy": ("학원",),
    "hobby_class": ("공방", "원데이클래스"),
    "laundry": ("세탁소",),
    "photo_studio": ("사진관",),
    "repair": ("수리",),
}


class MarketStatus(StrEnum):
    OK = MarketSnapshot.Status.OK.value
    UNAVAILABLE = MarketSnapshot.Status.UNAVAILABLE.value
    NOT_CONFIGURED = "not_configured"
    NO_LOCATION = "no_location"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class MarketContext:
    """The market check as the writer sees it (part of a content generation request)."""

    competitors_500m: int | None = None
    competitors_1km: int | None = None
    neighbours: tuple[str, ...] = ()  # most common neighbouring industries
    local_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Neighbour:
    name: str  # SEMAS medium-class name, e.g. "한식"
    count: int


@dataclass(frozen=True)
class MarketContextResult:
    """What the market check found, or why there is nothing (``message`` says so in Korean).

    ``stale``: SEMAS failed just now, so these are the last good numbers.
    """

    status: MarketStatus
    message: str
    competitors_500m: int | None = None
    competitors_1km: int | None = None
    neighbours: tuple[Neighbour, ...] = ()
    local_keywords: tuple[str, ...] = ()
    store_count: int | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False

    def as_prompt_context(self) -> MarketContext | None:
        if self.status != MarketStatus.OK:
            return None
        return MarketContext(
            competitors_500m=self.competitors_500m,
            competitors_1km=self.competitors_1km,
            neighbours=tuple(neighbour.name for neighbour in self.neighbours),
            local_keywords=self.local_keywords,
        )


def market_context_for(
    business: Business, *, refresh: bool = False, fetch: bool = True
) -> MarketContextResult:
    """The market around ``business``, from a snapshot younger than the TTL or from SEMAS.

    ``refresh=True`` asks SEMAS whatever the cache holds; ``fetch=False`` never asks
    (for pages: no network call in a web request). One business is fetched by one
    process at a time; others meanwhile use what is stored. Never raises for SEMAS
    failures: they are recorded as an "unavailable" snapshot, the last good
    snapshot (if any) is returned marked ``stale``, and SEMAS is not asked again
    for RETRY_AFTER_FAILURE.
    """
    if not settings.SEMAS_SERVICE_KEY:
        return MarketContextResult(
            MarketStatus.NOT_CONFIGURED,
            _(
                "상권 데이터(소상공인시장진흥공단)가 연결되어 있지 않아, 사장님이 알려 주신 가게 정보로 글을 씁니다."
            ),
        )
    if business.latitude is None or business.longitude is None:
        return MarketContextResult(
            MarketStatus.NO_LOCATION,
            _(
                "가게 위치(위도·경도)가 없어 주변 상권을 살펴볼 수 없습니다. 위치를 입력하면 주변 경쟁 매장과 동네 키워드를 찾아 드려요."
            ),
        )
    now = timezone.now()
    last_good = _latest(business, MarketSnapshot.Status.OK)
    if not refresh:
        ttl = dt.timedelta(days=settings.MARKET_CONTEXT_TTL_DAYS)
        if last_good is not None and now - last_good.fetched_at < ttl:
            return _from_snapshot(last_good)
        last_failure = _latest(business, MarketSnapshot.Status.UNAVAILABLE)
        if last_failure is not None and now - last_failure.fetched_at < RETRY_AFTER_FAILURE:
            return _after_failure(last_good)
    lock = f"market-fetch:{business.pk}"
    if not fetch or not cache.add(lock, True, timeout=FETCH_LOCK_S):
        return _from_snapshot(last_good, stale=True) if last_good else _not_checked()
    try:
        return _fetch(business, last_good, now)
    finally:
        cache.delete(lock)


def _not_checked() -> MarketContextResult:
    return MarketContextResult(
        MarketStatus.NOT_CHECKED,
        _(
            "아직 주변 상권을 살펴보지 않았어요. 첫 캠페인을 만들 때나 '지금 확인'을 누르면 살펴봐요."
        ),
    )


def _fetch(
    business: Business, last_good: MarketSnapshot | None, now: dt.datetime
) -> MarketContextResult:
    lon, lat = float(business.longitude), float(business.latitude)  # type: ignore[arg-type]
    try:
        stores = SemasClient.from_settings().stores_in_radius(lon, lat, SEARCH_RADIUS_M)
    except SemasError as error:
        log = logger.warning if not error.permanent else logger.error
        log("SEMAS market check failed for business %s: %s", business.pk, error)
        MarketSnapshot.objects.create(
            business=business,
            fetched_at=now,
            status=MarketSnapshot.Status.UNAVAILABLE,
            error=f"{'permanent' if error.permanent else 'transient'}: {error}",
        )
        return _after_failure(last_good)
    summary = summarise(business, stores)
    snapshot = MarketSnapshot.objects.create(
        business=business,
        fetched_at=now,
        status=MarketSnapshot.Status.OK,
        competitors_500m=summary.competitors_500m,
        competitors_1km=summary.competitors_1km,
        neighbours=[{"name": n.name, "count": n.count} for n in summary.neighbours],
        local_keywords=list(summary.local_keywords),
        store_count=summary.store_count,
    )
    return _from_snapshot(snapshot)


# --- Summarising what SEMAS returned -----------------------------------------------------


@dataclass(frozen=True)
class MarketSummary:
    competitors_500m: int | None
    competitors_1km: int | None
    neighbours: tuple[Neighbour, ...]
    local_keywords: tuple[str, ...]
    store_count: int


def summarise(business: Business, stores: Iterable[Store]) -> MarketSummary:
    """Competitors (not counting the shop itself), top neighbours and keywords."""
    lon, lat = float(business.longitude), float(business.latitude)  # type: ignore[arg-type]
    nearby = sorted(
        ((distance_m(lon, lat, store.lon, store.lat), store) for store in stores),
        key=lambda pair: pair[0],
    )
    nearby = [(distance, store) for distance, store in nearby if distance <= SEARCH_RADIUS_M]
    own_class = SEMAS_CLASSES.get(business.industry)
    own_name = _squashed(business.name)
    competitors_500m = competitors_1km = None
    if own_class is not None:
        rivals = [
            distance
            for distance, store in nearby
            if own_class.matches(store) and _squashed(store.name) != own_name
        ]
        competitors_1km = len(rivals)
        competitors_500m = sum(1 for distance in rivals if distance <= NEAR_RADIUS_M)
    return MarketSummary(
        competitors_500m=competitors_500m,
        competitors_1km=competitors_1km,
        neighbours=_neighbours([store for _distance, store in nearby], own_class),
        local_keywords=local_keywords(business, [store for _distance, store in nearby]),
        store_count=len(nearby),
    )


def _neighbours(stores: Sequence[Store], own_class: SemasClass | None) -> tuple[Neighbour, ...]:
    counts = Counter(
        store.medium_name
        for store in stores
        if store.medium_name and (own_class is None or store.medium_code != own_class.medium)
    )
    # Most common first; ties in name order, so the result is stable.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Neighbour(name, count) for name, count in ranked[:TOP_NEIGHBOURS])


def local_keywords(business: Business, stores_by_distance: Sequence[Store]) -> tuple[str, ...]:
    """Search phrases for this shop: "<동> <업종 word>", e.g. ("연남동 카페",)."""
    dong = dong_from_area(business.area) or _dong_from_stores(stores_by_distance)
    if not dong:
        return ()
    industry = industry_for(business.industry)
    words = SEARCH_WORDS.get(industry.code, (str(industry.label),))
    keywords = [f"{dong} {word}" for word in words]
    if industry.family == IndustryFamily.FOOD_DRINK:
        keywords.append(f"{dong} 맛집")
    return tuple(keywords)


_DONG_SUFFIX = re.compile(r"(?:동|읍|면|가|리)$")
_DONG_NUMBER = re.compile(r"\d+(?:[·.]\d+)*(?:가)?(?:제)?\d*동$")


def dong_from_area(area: str) -> str:
    """The 동 (or 읍·면·가·리) in an address-like area, e.g. "서울 마포구 연남동" → "연남동"."""
    for word in reversed(area.split()):
        if _DONG_SUFFIX.search(word) and len(word) > 1:
            return searchable_dong(word)
    return ""


def searchable_dong(name: str) -> str:
    """A 행정동 as people search it: "역삼1동" → "역삼동", "상계3·4동" → "상계동"."""
    stripped = _DONG_NUMBER.sub("동", name)
    return stripped if len(stripped) > 1 else name


def _dong_from_stores(stores_by_distance: Sequence[Store]) -> str:
    # The 행정동 most of the 20 nearest shops are in.
    names = Counter(store.adong for store in stores_by_distance[:20] if store.adong)
    return searchable_dong(names.most_common(1)[0][0]) if names else ""


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _squashed(name: str) -> str:
    return "".join(name.split())


# --- Results ---------------------------------------------------------------------------------


def _latest(business: Business, status: str) -> MarketSnapshot | None:
    return business.market_snapshots.filter(status=status).order_by("-fetched_at").first()


def _from_snapshot(snapshot: MarketSnapshot, *, stale: bool = False) -> MarketContextResult:
    if stale:
        when = date_format(timezone.localtime(snapshot.fetched_at), "SHORT_DATE_FORMAT")
        message = _("지금은 상권 정보를 새로 불러올 수 없어 %(date)s에 살펴본 정보를 씁니다.") % {
            "date": when
        }
    else:
        message = _("반경 1km 안의 점포 %(count)s곳을 살펴봤습니다.") % {
            "count": snapshot.store_count
        }
    return MarketContextResult(
        status=MarketStatus.OK,
        message=message,
        competitors_500m=snapshot.competitors_500m,
        competitors_1km=snapshot.competitors_1km,
        neighbours=tuple(Neighbour(n["name"], n["count"]) for n in snapshot.neighbours),
        local_keywords=tuple(snapshot.local_keywords),
        store_count=snapshot.store_count,
        fetched_at=snapshot.fetched_at,
        stale=stale,
    )


def _after_failure(last_good: MarketSnapshot | None) -> MarketContextResult:
    if last_good is not None:
        return _from_snapshot(last_good, stale=True)
    return MarketContextResult(
        MarketStatus.UNAVAILABLE,
        _(
            "지금은 상권 정보를 불러올 수 없어, 사장님이 알려 주신 가게 정보로 글을 씁니다. 잠시 후 다시 시도해 주세요."
        ),
    )
