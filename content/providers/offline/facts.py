"""The facts the offline writer's copy is written from: every slot a template may fill."""

from __future__ import annotations

import random
import re

from content import korean
from content.calendar import season_for
from content.providers.base import GenerationRequest, Occasion, ProductInfo, ShopProfile
from content.providers.offline import phrases
from content.providers.offline.text import clean, clip


def _area_parts(area: str) -> tuple[str, str]:
    """("연남동", "마포구") from "서울 마포구 연남동"; the 동 falls back to the district."""
    tokens = clean(area).split()
    dong = next((t for t in reversed(tokens) if re.search(r"[동읍면리가]$", t)), "")
    dong = re.sub(r"(동)?\d*가$", r"\1", dong) if dong.endswith("가") else dong
    district = next((t for t in reversed(tokens) if re.search(r"[구시군]$", t)), "")
    return dong or district or (tokens[-1] if tokens else ""), district


def _target(text: str) -> str:
    target = clean(text).split(",")[0].strip(" .")
    looks_like_a_phrase = target and len(target) <= 25 and not re.search(r"(다|요|\.)$", target)
    return target if looks_like_a_phrase else "동네 이웃분들"


def _nearest_occasion(request: GenerationRequest) -> tuple[Occasion | None, int]:
    """The soonest occasion from today to ten days ahead, and how many days away it is."""
    today = request.moment.planned_for.date()
    ahead = [o for o in request.moment.occasions if 0 <= (o.date - today).days <= 10]
    soonest = min(ahead, key=lambda o: o.date, default=None)
    return soonest, (soonest.date - today).days if soonest else 0


def build_slots(request: GenerationRequest, rng: random.Random) -> dict[str, str]:
    """Every fact a template may use; a missing key means the fact is unknown."""
    shop, moment = request.shop, request.moment
    family = phrases.FAMILIES.get(shop.family, phrases.FAMILIES["services"])
    word, related, _ = phrases.INDUSTRIES.get(shop.industry, (_label_word(shop), (), ""))
    place, district = _area_parts(shop.area)
    season = clean(moment.season) or season_for(moment.planned_for.date())
    points = [clean(p).rstrip(".!") for p in shop.selling_points if clean(p)]
    slots = {
        "shop": clean(shop.name) or "우리 가게",
        "place": place or "우리 동네",
        "district": district or place or "우리 동네",
        "word": word or family.word,
        "related": related[0] if related else word or family.word,
        "noun": family.noun,
        "try_it": family.try_it,
        "tried": family.tried,
        "moment_need": family.moment_need,
        "season": season,
        "mood": phrases.SEASON_MOODS.get(season, "요즘 같은"),
        "weekday": moment.weekday_ko,
        "weekday_mood": phrases.WEEKDAY_MOODS[moment.weekday_ko],
        "target": _target(shop.target_customers),
        "point": rng.choice(points or family.points),
        "price_feel": phrases.PRICE_FEEL.get(shop.price_range, phrases.PRICE_FEEL["moderate"]),
    }
    other_points = [p for p in (*points, *family.points) if p != slots["point"]]
    slots["point2"] = rng.choice(other_points[:3])
    if request.brief.goal == "new_menu" and _product_named_in_brief(request):
        # Only call a product new when the brief names it; otherwise the offer says what is new.
        slots["new_thing"] = family.new_thing
    slots.update(_product_slots(request, rng))
    slots.update(_brief_slots(request))
    optional = {"hours": shop.opening_hours, "phone": shop.phone, "address": shop.address}
    slots.update({key: clean(value) for key, value in optional.items() if clean(value)})
    return slots


def _label_word(shop: ShopProfile) -> str:
    label = clean(str(shop.industry_label))
    word = re.split(r"[·/,]", label)[0].strip()
    return "" if word in ("기타", "") else word


def _product_named_in_brief(request: GenerationRequest) -> ProductInfo | None:
    brief = f"{request.brief.campaign_name} {request.brief.offer}"
    return next(
        (p for p in request.shop.products if clean(p.name) and clean(p.name) in brief), None
    )


def _product_slots(request: GenerationRequest, rng: random.Random) -> dict[str, str]:
    products = [p for p in request.shop.products if clean(p.name)]
    if not products:
        return {}
    signature = [p for p in products if p.is_signature]
    featured = rng.choice(signature if signature and rng.random() < 0.65 else products)
    featured = _product_named_in_brief(request) or featured
    slots = {"item": clean(featured.name)}
    if featured.price:
        slots["price"] = korean.won(featured.price)
    if clean(featured.description):
        slots["desc"] = clean(featured.description)
    if len(products) >= 2:
        slots["product_count"] = str(min(len(products), 5))
    return slots


def _brief_slots(request: GenerationRequest) -> dict[str, str]:
    brief, moment, market = request.brief, request.moment, request.market
    slots: dict[str, str] = {}
    if clean(brief.offer):
        slots["offer"] = clip(clean(brief.offer), 60)
    today = moment.planned_for.date()
    if brief.ends_on and brief.ends_on >= today:
        slots["deadline"] = f"{brief.ends_on.month}월 {brief.ends_on.day}일"
        if (brief.ends_on - today).days > 0:
            slots["left"] = str((brief.ends_on - today).days)
    occasion, days = _nearest_occasion(request)
    if occasion:
        slots["occasion"] = occasion.name
        if days > 0:
            slots["days"] = str(days)
    if market and (market.competitors_1km or market.competitors_500m or 0) >= 10:
        count = market.competitors_1km or market.competitors_500m or 0
        slots["competitors"] = str(count // 10 * 10)
    if market and market.neighbours:
        slots["neighbours"] = ", ".join(clean(n) for n in market.neighbours[:3] if clean(n))
    return slots
