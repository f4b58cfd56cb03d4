"""A held-out-style corpus for the quality gate: varied shops (names ending with and
without a final consonant, English brand names, prices of every shape, every tone and
family), written by the offline writer as whole campaigns."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from content.calendar import occasions_near, season_for
from content.providers.base import Brief, GenerationRequest, Moment, ProductInfo, ShopProfile

CHANNELS = ("instagram", "naver_blog", "youtube_shorts", "threads")
GOALS = ("new_menu", "event_sale", "bring_back_regulars", "awareness")
OFFERS = (
    "",
    "평일 오후 3–5시 소금빵 2개 사면 아메리카노 500원 할인",
    "전 메뉴 10% 할인",
    "음료 1+1",
    "첫 방문 고객 20% 할인 (12월 한정)",
    "커트 고객 두피 케어 무료",
)


def _shop(name: str, industry: str, label: str, family: str, **more: object) -> ShopProfile:
    return ShopProfile(name=name, industry=industry, industry_label=label, family=family, **more)  # type: ignore[arg-type]


SHOPS: tuple[ShopProfile, ...] = (
    _shop(
        "카페 온기",
        "cafe",
        "카페",
        "food_drink",
        area="서울 마포구 연남동",
        tone="friendly",
        opening_hours="화–일 11:00–21:00 (월요일 휴무)",
        phone="02-336-1234",
        selling_points=("매일 아침 직접 굽는 소금빵", "싱글 오리진 핸드드립"),
        products=(
            ProductInfo("소금빵", 3800, "버터 향 가득", True),
            ProductInfo("핸드드립 (에티오피아)", 6500),
            ProductInfo("바닐라 라떼", 5500),
            ProductInfo("딸기 생크림 케이크", 6800),
        ),
    ),
    _shop(
        "Bread & Butter",
        "bakery",
        "베이커리",
        "food_drink",
        area="서울 성동구 성수동",
        tone="playful",
        opening_hours="매일 08:00-20:00",
        products=(
            ProductInfo("Croissant", 4200, is_signature=True),
            ProductInfo("Pain au chocolat", 4800),
            ProductInfo("식빵", 7000),
        ),
    ),
    _shop(
        "라온",
        "korean_restaurant",
        "한식당",
        "food_drink",
        area="대구 중구 동성로",
        tone="calm",
        opening_hours="11:30–21:30, 브레이크 타임 15:00–17:00",
        phone="053-123-4567",
        products=(
            ProductInfo("된장찌개 정식", 9000, is_signature=True),
            ProductInfo("제육볶음", 12500),
            ProductInfo("공깃밥", 1000),
        ),
    ),
    _shop(
        "결 헤어",
        "hair_salon",
        "미용실",
        "beauty",
        area="서울 성동구 성수동2가",
        tone="premium",
        selling_points=("1:1 맞춤 상담",),
        products=(ProductInfo("볼륨 매직", 120000, is_signature=True), ProductInfo("커트", 25000)),
    ),
    _shop(
        "네일 Bloom",
        "nail_salon",
        "네일숍",
        "beauty",
        area="부산 해운대구 우동",
        tone="friendly",
        products=(ProductInfo("젤 네일", 45000, is_signature=True), ProductInfo("케어", 15000)),
    ),
    _shop(
        "초록 꽃집",
        "flower_shop",
        "꽃집",
        "retail",
        area="부산 해운대구 우동",
        tone="playful",
        products=(ProductInfo("계절 꽃다발", 35000), ProductInfo("미니 부케", 21000)),
    ),
    _shop(
        "BOOK",
        "bookstore",
        "서점",
        "retail",
        area="광주 동구 동명동",
        tone="professional",
        phone="062-222-3333",
        products=(ProductInfo("독립출판 신간", 16000),),
    ),
    _shop(
        "바른 필라테스",
        "pilates_yoga",
        "필라테스·요가",
        "fitness_education",
        area="경기 성남시 분당구 정자동",
        tone="professional",
        selling_points=("정원 4명 소수 수업", "체형 분석"),
        products=(ProductInfo("체험 수업", 20000), ProductInfo("10회권", 350000)),
    ),
    _shop(
        "하루 영어",
        "academy",
        "학원",
        "fitness_education",
        area="서울 노원구 중계동",
        tone="calm",
        opening_hours="평일 14:00–22:00",
        products=(ProductInfo("초등 회화반", 180000), ProductInfo("중등 내신반", 250000)),
    ),
    _shop(
        "새봄 세탁소",
        "laundry",
        "세탁소",
        "services",
        area="대전 유성구 봉명동",
        tone="calm",
        phone="042-123-4567",
        products=(ProductInfo("와이셔츠", 2000), ProductInfo("패딩 세탁", 15000)),
    ),
    _shop(
        "Studio 7",
        "photo_studio",
        "사진관",
        "services",
        area="인천 연수구 송도동",
        tone="premium",
        products=(ProductInfo("프로필 촬영", 110000, is_signature=True),),
    ),
    _shop(
        "고기굽는집",
        "bbq",
        "고깃집",
        "food_drink",
        area="서울 강남구 역삼동",
        tone="friendly",
        opening_hours="17:00–24:00",
        products=(
            ProductInfo("한돈 삼겹살 (200g)", 17000, is_signature=True),
            ProductInfo("냉면", 8000),
        ),
    ),
)


def campaigns(per_shop: int = 2, pieces_per_channel: int = 2) -> Iterator[list[GenerationRequest]]:
    """Each shop's campaigns, each a list of requests for every channel."""
    start = dt.date(2026, 11, 2)
    for number, shop in enumerate(SHOPS):
        for round_ in range(per_shop):
            goal = GOALS[(number + round_) % len(GOALS)]
            offer = OFFERS[(number + 2 * round_) % len(OFFERS)] if goal == "event_sale" else ""
            brief = Brief(goal=goal, offer=offer, campaign_name=f"{shop.name} 캠페인")
            requests = []
            for index in range(pieces_per_channel * len(CHANNELS)):
                on = start + dt.timedelta(days=index + 7 * round_ + number)
                planned = dt.datetime.combine(on, dt.time(11, 30))
                requests.append(
                    GenerationRequest(
                        channel=CHANNELS[index % len(CHANNELS)],
                        shop=shop,
                        brief=brief,
                        moment=Moment(planned, season_for(on), occasions_near(on)),
                        seed=1000 * number + 100 * round_ + index,
                    )
                )
            yield requests


def with_seed(request: GenerationRequest, seed: int) -> GenerationRequest:
    return dataclasses.replace(request, seed=seed)
