"""The curated list of Korean small-business industries and their families.

Families group industries whose marketing speaks alike (prompt templates are
written per family); codes are stable identifiers stored in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class IndustryFamily(models.TextChoices):
    FOOD_DRINK = "food_drink", _("외식·음료")
    BEAUTY = "beauty", _("뷰티")
    RETAIL = "retail", _("소매")
    FITNESS_EDUCATION = "fitness_education", _("운동·교육")
    SERVICES = "services", _("생활 서비스")


@dataclass(frozen=True)
class Industry:
    code: str
    label: StrPromise  # translated when shown
    family: IndustryFamily


INDUSTRIES: tuple[Industry, ...] = (
    Industry("cafe", _("카페"), IndustryFamily.FOOD_DRINK),
    Industry("bakery", _("베이커리·제과점"), IndustryFamily.FOOD_DRINK),
    Industry("dessert", _("디저트 전문점"), IndustryFamily.FOOD_DRINK),
    Industry("korean_restaurant", _("한식당"), IndustryFamily.FOOD_DRINK),
    Industry("snack_bar", _("분식집"), IndustryFamily.FOOD_DRINK),
    Industry("chicken", _("치킨집"), IndustryFamily.FOOD_DRINK),
    Industry("bbq", _("고깃집"), IndustryFamily.FOOD_DRINK),
    Industry("pub", _("주점·호프"), IndustryFamily.FOOD_DRINK),
    Industry("japanese_restaurant", _("일식당"), IndustryFamily.FOOD_DRINK),
    Industry("chinese_restaurant", _("중식당"), IndustryFamily.FOOD_DRINK),
    Industry("western_restaurant", _("양식·브런치"), IndustryFamily.FOOD_DRINK),
    Industry("hair_salon", _("미용실"), IndustryFamily.BEAUTY),
    Industry("nail_salon", _("네일숍"), IndustryFamily.BEAUTY),
    Industry("skin_care", _("피부관리실"), IndustryFamily.BEAUTY),
    Industry("barbershop", _("바버숍"), IndustryFamily.BEAUTY),
    Industry("flower_shop", _("꽃집"), IndustryFamily.RETAIL),
    Industry("clothing", _("옷가게"), IndustryFamily.RETAIL),
    Industry("stationery_gift", _("문구·소품샵"), IndustryFamily.RETAIL),
    Industry("grocery", _("식료품·반찬가게"), IndustryFamily.RETAIL),
    Industry("pet_shop", _("반려동물 용품·미용"), IndustryFamily.RETAIL),
    Industry("fitness", _("헬스장·PT"), IndustryFamily.FITNESS_EDUCATION),
    Industry("pilates_yoga", _("필라테스·요가"), IndustryFamily.FITNESS_EDUCATION),
    Industry("academy", _("학원·공부방"), IndustryFamily.FITNESS_EDUCATION),
    Industry("hobby_class", _("공방·원데이 클래스"), IndustryFamily.FITNESS_EDUCATION),
    Industry("laundry", _("세탁소"), IndustryFamily.SERVICES),
    Industry("photo_studio", _("사진관"), IndustryFamily.SERVICES),
    Industry("repair", _("수리점"), IndustryFamily.SERVICES),
    Industry("other", _("기타"), IndustryFamily.SERVICES),
)

_BY_CODE = {industry.code: industry for industry in INDUSTRIES}
INDUSTRY_CHOICES = [(industry.code, industry.label) for industry in INDUSTRIES]


def industry_for(code: str) -> Industry:
    """The industry with this code; unknown codes fall back to "other" (never raises)."""
    return _BY_CODE.get(code, _BY_CODE["other"])


@dataclass(frozen=True)
class StartingPoint:
    """What choosing an industry fills in for a new shop: how its posts sound, who they
    speak to, and how many posts a week each channel gets (channel value -> count)."""

    tone: str  # Business.Tone value
    target_customers: str
    posts_per_week: dict[str, int]


STARTING_POINTS: dict[str, StartingPoint] = {
    IndustryFamily.FOOD_DRINK: StartingPoint(
        "friendly",
        "동네 주민과 근처 직장인, 맛집을 찾아다니는 20–30대",
        {"instagram": 4, "naver_blog": 1, "youtube_shorts": 1, "threads": 3},
    ),
    IndustryFamily.BEAUTY: StartingPoint(
        "calm",
        "자기 관리에 관심 많은 20–40대, 예약하고 오는 단골",
        {"instagram": 3, "naver_blog": 1, "youtube_shorts": 1, "threads": 2},
    ),
    IndustryFamily.RETAIL: StartingPoint(
        "playful",
        "동네 주민과 선물을 고르는 손님",
        {"instagram": 3, "naver_blog": 1, "youtube_shorts": 1, "threads": 2},
    ),
    IndustryFamily.FITNESS_EDUCATION: StartingPoint(
        "professional",
        "건강과 배움에 관심 있는 동네 주민과 학부모",
        {"instagram": 3, "naver_blog": 1, "youtube_shorts": 1, "threads": 2},
    ),
    IndustryFamily.SERVICES: StartingPoint(
        "professional",
        "가까운 곳에서 믿을 만한 가게를 찾는 동네 주민",
        {"instagram": 2, "naver_blog": 1, "youtube_shorts": 1, "threads": 2},
    ),
}


def starting_point_for(code: str) -> StartingPoint:
    return STARTING_POINTS[industry_for(code).family]
