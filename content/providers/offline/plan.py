"""The offline writer's creative plan: the attributes a draft embodies, drawn from the
request's rng, then steered by guidance, by the owner's instruction and, for a
one-field rewrite, by the previous draft's attributes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from content import specs
from content.providers.base import GenerationRequest
from content.providers.offline.text import clean
from content.specs import CreativeAttributes

GOAL_HOOKS = {
    "new_menu": ("curiosity", "question", "benefit", "number", "story"),
    "event_sale": ("urgency", "number", "benefit", "question"),
    "bring_back_regulars": ("story", "social_proof", "question", "benefit"),
    "awareness": ("question", "curiosity", "story", "benefit", "social_proof", "number"),
}
FAMILY_CALLS = {
    "food_drink": ("visit", "order", "reserve", "save", "share", "comment"),
    "beauty": ("reserve", "dm", "call", "save", "comment", "link"),
    "retail": ("visit", "order", "dm", "share", "save", "link"),
    "fitness_education": ("reserve", "dm", "call", "link", "comment", "share"),
    "services": ("call", "visit", "reserve", "dm", "share", "save"),
}
CHANNEL_CALLS = {
    "instagram": ("save", "share", "comment", "dm", "visit", "link", "reserve"),
    "naver_blog": ("visit", "reserve", "call", "order"),
    "youtube_shorts": ("visit", "comment", "share", "link"),
    "threads": ("comment", "visit", "share", "dm"),
}
LENGTH_WEIGHTS = {
    "instagram": (3, 4, 2),
    "naver_blog": (1, 4, 4),
    "youtube_shorts": (4, 4, 1),
    "threads": (5, 4, 1),
}
FORMAT_WEIGHTS = {"instagram": (5, 3, 2), "threads": (3, 2)}
TONE_EMOJI = {
    "friendly": ("low", "medium", "medium", "high"),
    "playful": ("medium", "high", "high"),
    "calm": ("none", "low", "low", "medium"),
    "professional": ("none", "low", "low"),
    "premium": ("none", "none", "low"),
}
DETAIL_BY_BUCKET = {"short": 1, "medium": 2, "long": 3}
TONE_WORDS = {
    "friendly": ("친근",),
    "playful": ("발랄", "재밌", "유쾌"),
    "calm": ("차분", "잔잔"),
    "professional": ("격식", "정중", "전문"),
    "premium": ("고급",),
}
IMAGE_TEMPLATES = ("photo_band", "gradient_headline", "brand_card", "menu_card", "offer_badge")
FORMAT_TEMPLATES = {"carousel": "carousel", "video": "slideshow", "text": "text_only"}


# --- What the owner asked for ------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    """A regeneration instruction read for what this writer can honour."""

    shorter: bool = False
    longer: bool = False
    no_emoji: bool = False
    more_emoji: bool = False
    price_first: bool = False
    tone: str = ""


def read_instruction(text: str) -> Instruction:
    """Understands "더 짧게", "더 길게", "이모지 빼고", "가격 강조" and tone words; ignores the rest."""
    emoji = any(word in text for word in ("이모지", "이모티콘"))
    tone = next((t for t, words in TONE_WORDS.items() if any(w in text for w in words)), "")
    return Instruction(
        shorter="짧" in text or "줄여" in text,
        longer="길게" in text or "자세히" in text,
        no_emoji=emoji and any(word in text for word in ("빼", "없이", "제거", "지워")),
        more_emoji=emoji and any(word in text for word in ("많이", "더 넣", "추가")),
        price_first="가격" in text,
        tone=tone,
    )


# --- Creative plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The creative attributes this draft embodies, plus how much to write."""

    hook_style: str
    tone: str
    length_bucket: str
    emoji_density: str
    call_to_action: str
    format: str
    template: str
    offer_type: str
    detail: int  # 0 tight … 4 extra; the length bucket is derived from it
    price_first: bool = False
    hashtag_target: int | None = None

    def attributes(self, hashtag_count: int) -> CreativeAttributes:
        # Validated like a model's answer: a value outside the specs' choices is an error.
        return CreativeAttributes.model_validate(
            {
                "hook_style": self.hook_style,
                "tone": self.tone,
                "length_bucket": self.length_bucket,
                "emoji_density": self.emoji_density,
                "hashtag_count": hashtag_count,
                "call_to_action": self.call_to_action,
                "format": self.format,
                "template": self.template,
                "offer_type": self.offer_type,
            }
        )


def offer_type_for(offer: str, goal: str) -> str:
    if not offer:
        return "new_item" if goal == "new_menu" else "none"
    kinds = (
        ("bundle", ("1+1", "2+1", "세트", "묶음")),
        ("discount", ("%", "할인", "반값", "원 ↓", "DC")),
        ("gift", ("증정", "서비스", "무료", "드려요", "드립니다", "선물")),
        ("limited", ("한정", "선착순", "단 ", "만 ")),
    )
    for kind, words in kinds:
        if any(word in offer for word in words):
            return kind
    return "new_item" if goal == "new_menu" else "event"


ATTRIBUTE_VALUES = {
    "hook_style": specs.HOOK_STYLES,
    "tone": specs.TONES,
    "length_bucket": specs.LENGTH_BUCKETS,
    "emoji_density": specs.EMOJI_DENSITIES,
    "call_to_action": specs.CALLS_TO_ACTION,
}


def _preferred(
    request: GenerationRequest, attribute: str, allowed: Sequence[str] | None = None
) -> str:
    """Guidance's value for ``attribute`` when it is one this draft may take, else ""."""
    if allowed is None:
        formats = specs.spec_for(str(request.channel)).formats
        allowed = formats if attribute == "format" else ATTRIBUTE_VALUES[attribute]
    value = request.guidance.preferred.get(attribute, "") if request.guidance else ""
    return value if value in allowed else ""


def _choose_template(rng: random.Random, fmt: str, offer_type: str, menu: bool, hook: str) -> str:
    if fmt in FORMAT_TEMPLATES:
        return FORMAT_TEMPLATES[fmt]
    weights = {"photo_band": 3, "gradient_headline": 2, "brand_card": 2}
    if offer_type not in ("none", "new_item"):
        weights["offer_badge"] = 5
    if menu:
        weights["menu_card"] = 4
    if hook == "social_proof":
        weights["review_quote"] = 1
    names = list(weights)
    return rng.choices(names, weights=[weights[name] for name in names])[0]


def plan_for(
    request: GenerationRequest,
    rng: random.Random,
    *,
    menu: bool,
    has_price: bool,
    pinned: CreativeAttributes | None,
) -> Plan:
    """The attributes drawn at random, then steered by guidance, by the owner's
    instruction and, for a one-field rewrite, by the previous draft's attributes."""
    asked = read_instruction(request.instruction)
    asked = replace(asked, price_first=asked.price_first and has_price)
    drawn = _drawn(request, rng)
    hook = "number" if asked.price_first else _preferred(request, "hook_style") or drawn.hook_style
    bucket = _preferred(request, "length_bucket") or drawn.length_bucket
    detail = 0 if asked.shorter else 4 if asked.longer else DETAIL_BY_BUCKET[bucket]
    emoji = _preferred(request, "emoji_density") or drawn.emoji_density
    fmt = _preferred(request, "format") or drawn.format
    template = _choose_template(rng, fmt, drawn.offer_type, menu, hook)
    if fmt == "image":
        template = _preferred(request, "template", IMAGE_TEMPLATES) or template
    target = _preferred(request, "hashtag_count", [str(n) for n in range(31)])
    plan = replace(
        drawn,
        hook_style=hook,
        tone=asked.tone or drawn.tone,
        length_bucket=specs.LENGTH_BUCKETS[min(max(detail - 1, 0), 2)],
        emoji_density="none" if asked.no_emoji else "high" if asked.more_emoji else emoji,
        call_to_action=_preferred(request, "call_to_action") or drawn.call_to_action,
        format=fmt,
        template=template,
        detail=detail,
        price_first=asked.price_first,
        hashtag_target=int(target) if target else None,
    )
    return _pin(plan, pinned, asked) if pinned else plan


def _drawn(request: GenerationRequest, rng: random.Random) -> Plan:
    """Every random draw, always in the same order, so that steering one attribute
    does not change the others."""
    channel, shop = str(request.channel), request.shop
    formats = specs.spec_for(channel).formats
    tone = _preferred(request, "tone") or (shop.tone if shop.tone in specs.TONES else "friendly")
    calls = [c for c in FAMILY_CALLS.get(shop.family, ()) if c in CHANNEL_CALLS[channel]]
    return Plan(
        hook_style=rng.choice(GOAL_HOOKS.get(request.brief.goal, specs.HOOK_STYLES)),
        tone=tone,
        length_bucket=rng.choices(specs.LENGTH_BUCKETS, weights=LENGTH_WEIGHTS[channel])[0],
        emoji_density=rng.choice(TONE_EMOJI[tone]),
        call_to_action=rng.choice(calls or CHANNEL_CALLS[channel]),
        format=rng.choices(formats, weights=FORMAT_WEIGHTS.get(channel, (1,) * len(formats)))[0],
        template="",
        offer_type=offer_type_for(clean(request.brief.offer), request.brief.goal),
        detail=0,
    )


def _pin(plan: Plan, pinned: CreativeAttributes, asked: Instruction) -> Plan:
    """Keeps a previous draft's attributes, except what the instruction changes."""
    return replace(
        plan,
        hook_style=plan.hook_style if asked.price_first else pinned.hook_style,
        tone=plan.tone if asked.tone else pinned.tone,
        length_bucket=plan.length_bucket if asked.shorter or asked.longer else pinned.length_bucket,
        detail=plan.detail
        if asked.shorter or asked.longer
        else DETAIL_BY_BUCKET[pinned.length_bucket],
        emoji_density=plan.emoji_density
        if asked.no_emoji or asked.more_emoji
        else pinned.emoji_density,
        call_to_action=pinned.call_to_action,
        format=pinned.format,
        template=pinned.template,
        offer_type=pinned.offer_type,
    )
