"""The demo organization, owner and sample café that `make run` sets up, and a demo agency
with three client shops for the workspace and the client approval flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from marketing.models import Business, Membership, Organization, Plan, User
from marketing.services import products_replace

DEMO_ORGANIZATION = "데모 카페 (Gagecast Demo)"
DEMO_PASSWORD = "gagecast-demo-1234"  # local demo only; seed_demo refuses when DEBUG is off

SAMPLE_BUSINESS: dict[str, Any] = {
    "name": "카페 온기",
    "industry": "cafe",
    "description": (
        "연남동 골목 안쪽, 직접 구운 소금빵과 핸드드립 커피를 내는 열두 석짜리 작은 카페입니다."
    ),
    "area": "서울 마포구 연남동",
    "address": "서울 마포구 동교로 000-0 1층",
    "latitude": "37.562000",
    "longitude": "126.925000",
    "phone": "02-000-0000",
    "opening_hours": "화–일 11:00–21:00 (월요일 휴무)",
    "price_range": Business.PriceRange.MODERATE,
    "target_customers": "연남동 산책 나온 20–30대, 주말 데이트 커플, 근처 직장인",
    "tone": Business.Tone.FRIENDLY,
    "selling_points": [
        "매일 아침 직접 굽는 소금빵",
        "싱글 오리진 핸드드립",
        "창가 자리의 햇살",
    ],
    "brand_primary_color": "#6B4F3A",
    "brand_secondary_color": "#F2C14E",
    "links": {"instagram": "https://www.instagram.com/"},
}
SAMPLE_MENU: list[dict[str, Any]] = [
    {
        "name": "소금빵",
        "price": 3800,
        "description": "버터 향 가득, 겉바속촉",
        "is_signature": True,
    },
    {
        "name": "핸드드립 (에티오피아)",
        "price": 6500,
        "description": "꽃향과 산미가 산뜻한 싱글 오리진",
    },
    {"name": "아메리카노", "price": 4500, "description": "고소한 하우스 블렌드"},
    {"name": "바닐라 라떼", "price": 5500, "description": "마다가스카르 바닐라빈 시럽"},
    {"name": "딸기 생크림 케이크", "price": 6800, "description": "제철 딸기로 만드는 주말 한정"},
]


@dataclass(frozen=True)
class Demo:
    organization: Organization
    owner: User
    operator: User
    business: Business
    created: bool


def _demo_user(email: str, **defaults: object) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(email=email, defaults=defaults)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def demo_seed(*, owner_email: str, operator_email: str) -> Demo:
    """Create (or find) the demo tenant and a local operator. Running it again changes nothing.

    The owner is agency-style staff (admin scoped to the demo organization); the
    operator is a superuser for the system pages (task probes, periodic tasks).
    """
    with transaction.atomic():
        owner, created = _demo_user(owner_email, name="데모 사장님", is_staff=True)
        operator, _ = _demo_user(operator_email, name="운영자", is_staff=True, is_superuser=True)
        organization, _ = Organization.objects.get_or_create(
            name=DEMO_ORGANIZATION,
            defaults={
                "kind": Organization.Kind.SHOP,
                "plan": Plan.objects.filter(code="pro").first(),
            },
        )
        Membership.objects.get_or_create(
            organization=organization, user=owner, defaults={"role": Membership.Role.OWNER}
        )
        business, business_created = Business.objects.get_or_create(
            organization=organization, name=SAMPLE_BUSINESS["name"], defaults=SAMPLE_BUSINESS
        )
        if business_created:
            products_replace(business=business, products=SAMPLE_MENU)
    return Demo(organization, owner, operator, business, created)


DEMO_AGENCY = "데모 마케팅 대행사 (Gagecast Agency Demo)"
AGENCY_SHOPS: list[dict[str, Any]] = [
    {
        "name": "연남 소금빵집",
        "industry": "bakery",
        "area": "서울 마포구 연남동",
        "description": "아침 8시에 첫 소금빵이 나오는 동네 빵집입니다.",
        "selling_points": ["매일 아침 굽는 소금빵", "우유 생크림 식빵"],
        "tone": Business.Tone.FRIENDLY,
    },
    {
        "name": "망원 헤어 스튜디오",
        "industry": "hair_salon",
        "area": "서울 마포구 망원동",
        "description": "1:1 예약제로 운영하는 작은 미용실입니다.",
        "selling_points": ["1:1 예약제", "두피 케어"],
        "tone": Business.Tone.CALM,
    },
    {
        "name": "성수 필라테스 온",
        "industry": "pilates_yoga",
        "area": "서울 성동구 성수동",
        "description": "소규모 기구 필라테스 스튜디오입니다.",
        "selling_points": ["정원 4명 소그룹", "체형 분석"],
        "tone": Business.Tone.PROFESSIONAL,
    },
]


@dataclass(frozen=True)
class DemoAgency:
    organization: Organization
    manager: User
    client: User
    businesses: list[Business]


def demo_agency_seed(*, manager_email: str, client_email: str) -> DemoAgency:
    """Create (or find) the demo agency: Business plan, client approval, a manager (agency
    staff in the admin too), three client shops and a client viewer of the first.
    Running it again changes nothing."""
    with transaction.atomic():
        manager, _ = _demo_user(manager_email, name="데모 대행사 매니저", is_staff=True)
        client, _ = _demo_user(client_email, name="데모 고객")
        organization, _ = Organization.objects.get_or_create(
            name=DEMO_AGENCY,
            defaults={
                "kind": Organization.Kind.AGENCY,
                "plan": Plan.objects.filter(code="business").first(),
                "approval_mode": Organization.Approval.CLIENT,
            },
        )
        Membership.objects.get_or_create(
            organization=organization, user=manager, defaults={"role": Membership.Role.MANAGER}
        )
        businesses = [
            Business.objects.get_or_create(
                organization=organization, name=shop["name"], defaults=shop
            )[0]
            for shop in AGENCY_SHOPS
        ]
        Membership.objects.get_or_create(
            organization=organization,
            user=client,
            defaults={"role": Membership.Role.CLIENT, "business": businesses[0]},
        )
    return DemoAgency(organization, manager, client, businesses)
