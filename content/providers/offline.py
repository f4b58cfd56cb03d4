"""The offline writer: real Korean marketing copy without a language model.

Every choice (creative attributes, hooks, sentences, hashtags, emoji) is drawn from
one ``random.Random`` seeded by the request, so the same request and seed give the
same draft and another seed gives visibly different text. The attributes are chosen
first, explicitly, and the text is then written to embody them; every draft passes
its channel's ``check()`` as written.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from string import Formatter

from pydantic import BaseModel, ValidationError

from content import specs
from content.calendar import season_for
from content.providers import offline_phrases as phrases
from content.providers.base import (
    Generation,
    GenerationRequest,
    Occasion,
    ProductInfo,
    Provider,
    ProviderError,
    ShopProfile,
)
from content.specs import (
    BlogImageSlot,
    BlogSection,
    CarouselPage,
    CreativeAttributes,
    InstagramDraft,
    NaverBlogDraft,
    Scene,
    ThreadsDraft,
    VideoScript,
    YouTubeShortsDraft,
)

MODEL = "offline-writer-v1"
PROMPT_VERSION = "offline-v1"

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
EMOJI_COUNTS = {"none": 0, "low": 1, "medium": 3, "high": 6}
DETAIL_BY_BUCKET = {"short": 1, "medium": 2, "long": 3}
FORMAL_TONES = ("professional", "premium")
TONE_WORDS = {
    "friendly": ("친근",),
    "playful": ("발랄", "재밌", "유쾌"),
    "calm": ("차분", "잔잔"),
    "professional": ("격식", "정중", "전문"),
    "premium": ("고급",),
}
BODY_ORDERS = (
    ("angle", "moment", "menu", "item", "point", "market", "target", "hours", "story"),
    ("angle", "menu", "item", "point", "moment", "story", "market", "target", "hours"),
    ("moment", "angle", "menu", "item", "target", "point", "market", "story", "hours"),
    ("angle", "point", "menu", "item", "moment", "market", "story", "target", "hours"),
)
GOAL_KEYS = {"new_menu": "new_thing", "event_sale": "offer"}
IMAGE_TEMPLATES = ("photo_band", "gradient_headline", "brand_card", "menu_card", "offer_badge")
FORMAT_TEMPLATES = {"carousel": "carousel", "video": "slideshow", "text": "text_only"}
_FORMATTER = Formatter()
_UNSAFE = re.compile(r"[{}<>]")


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
        return CreativeAttributes(
            hook_style=self.hook_style,
            tone=self.tone,
            length_bucket=self.length_bucket,
            emoji_density=self.emoji_density,
            hashtag_count=hashtag_count,
            call_to_action=self.call_to_action,
            format=self.format,
            template=self.template,
            offer_type=self.offer_type,
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


# --- Text helpers ----------------------------------------------------------------------------


def clean(text: str) -> str:
    """The owner's free text, on one line, without characters that break titles or templates."""
    return " ".join(_UNSAFE.sub("", text or "").split())


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    words, kept = text.split(), ""
    for word in words:
        if len(f"{kept} {word}".strip()) + 1 > limit:
            break
        kept = f"{kept} {word}".strip()
    return f"{kept or text[: limit - 1].rstrip()}…"


def fit_lines(lines: Sequence[str], fits: Callable[[str], bool]) -> str:
    """The lines, in order, skipping any that would break ``fits``; blank runs collapsed."""
    kept: list[str] = []
    for line in lines:
        if fits("\n".join([*kept, line])):
            kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if text:
        return text
    first = lines[0] if lines else ""
    while first and not fits(first):
        first = first[: max(len(first) - 10, 0)]
    return first.strip()


def opening_key(line: str) -> str:
    """A first line compared without emoji, spaces and punctuation."""
    return re.sub(r"[\W_]+", "", line)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def spec_limit(channel: str, name: str) -> int:
    return specs.spec_for(channel).limits[name]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


# --- Facts the copy is written from ----------------------------------------------------------


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
        slots["price"] = phrases.won(featured.price)
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


# --- The copywriter: sentences in the shop's voice -------------------------------------------


class Copywriter:
    """Writes lines for one draft from the slots, in the plan's tone, drawing from one rng."""

    def __init__(
        self, request: GenerationRequest, rng: random.Random, plan: Plan, slots: dict[str, str]
    ) -> None:
        self.request = request
        self.rng = rng
        self.plan = plan
        self.slots = slots
        self.family = phrases.FAMILIES.get(request.shop.family, phrases.FAMILIES["services"])
        self.recent = {opening_key(line) for line in request.recent_openings}
        self.first_line = ""
        self.lively = 0

    def render(self, template: str, **extra: str) -> str:
        return phrases.attach_josa(template.format_map({**self.slots, **extra}))

    def options(self, templates: Sequence[str], **extra: str) -> list[str]:
        known = {*self.slots, *extra}
        return [template for template in templates if _fields(template) <= known]

    def line(self, templates: Sequence[str], **extra: str) -> str:
        """One fillable template, rendered in the shop's voice; "" when none can be filled."""
        options = self.options(templates, **extra)
        return self.voice(self.render(self.rng.choice(options), **extra)) if options else ""

    def short(self, templates: Sequence[str], limit: int, fallback: str = "오늘의 추천") -> str:
        """One fillable template that fits in ``limit`` characters (no voice: a title)."""
        fitting = [t for t in map(self.render, self.options(templates)) if len(t) <= limit]
        return self.rng.choice(fitting) if fitting else clip(fallback, limit)

    def voice(self, text: str) -> str:
        if self.plan.tone in FORMAL_TONES:
            text = phrases.formal(text)
        if self.plan.tone in ("calm", "premium"):
            text = text.replace("!", ".")
        if self.plan.tone == "playful" and text.endswith("요."):
            self.lively += 1  # every other sentence, so the exclamation marks do not shout
            text = text[:-1] + ("!" if self.lively % 2 else "~")
        return text

    # Pieces shared by every channel.

    def opening(self) -> str:
        """The first line: embodies the hook style and repeats none of the recent openings."""
        opener = self.rng.choice(phrases.PLAYFUL_OPENERS)
        opener = opener if self.plan.tone == "playful" and self.rng.random() < 0.5 else ""
        templates = self.options(self._hook_bank())
        candidates = [opener + self.line([t]) for t in self.rng.sample(templates, len(templates))]
        prefixes = ("", f"{self.slots['season']} {self.slots['weekday']}, ", "오늘의 이야기, ")
        fresh = (
            p + c for p in prefixes for c in candidates if opening_key(p + c) not in self.recent
        )
        default = f"{self.slots['shop']} 소식 {len(self.recent) + 1}. {candidates[0]}"
        self.first_line = next(fresh, default)
        return self.first_line

    def _hook_bank(self) -> Sequence[str]:
        if self.plan.price_first and "price" in self.slots:
            return phrases.PRICE_HOOKS
        return phrases.HOOKS[self.plan.hook_style]

    def body(self) -> list[str]:
        """The middle of a post, in one of a few orders, as long as the detail level asks."""
        item_lines = phrases.ITEM_LINES + phrases.ITEM_DESCRIPTION_LINES + phrases.ITEM_TRY_LINES
        pieces = {  # name: (least detail that includes it, lines)
            "angle": (0, [self.angle()]),
            "moment": (1, [self.moment_line()]),
            "menu": (1, self.menu_lines() if self.plan.template == "menu_card" else []),
            "item": (2, [self.line(item_lines)]),
            "point": (2, [self.line(phrases.POINT_LINES)]),
            "market": (3, [self.market_line()]),
            "target": (3, [self.line(phrases.TARGET_LINES)]),
            "hours": (3, [self.line(phrases.HOURS_LINES)]),
            "story": (4, [self.line(phrases.STORY_LINES)]),
        }
        order = self.rng.choice(BODY_ORDERS)
        return [
            line
            for name in order
            for line in pieces[name][1]
            if line and pieces[name][0] <= self.plan.detail
        ]

    @property
    def goal(self) -> str:
        goal = self.request.brief.goal
        return goal if goal in phrases.ANGLES else "awareness"

    def _naming(self, templates: Sequence[str], goal: str = "") -> list[str]:
        """The templates that name the new item or the offer, when the goal has one."""
        key = GOAL_KEYS.get(goal or self.goal, "")
        if key == "new_thing" and key not in self.slots:
            key = "offer"  # no product is named as new: the offer carries the news
        return [t for t in templates if key in _fields(t)] if key in self.slots else []

    def on_goal(self, templates: Sequence[str]) -> Sequence[str]:
        """Mostly the templates naming the new item or the offer, sometimes any of them."""
        naming = self._naming(templates)
        return naming if naming and self.rng.random() < 0.6 else templates

    def angle(self, goal: str = "") -> str:
        """What this post is about; names the new item or the offer when there is one."""
        templates = phrases.ANGLES[goal or self.goal]
        return self.line(self._naming(templates, goal) or templates)

    def moment_line(self) -> str:
        occasion = self.slots.get("occasion")
        if not occasion:
            return self.line(phrases.SEASON_LINES)
        days = int(self.slots.get("days", "0"))
        countdown = phrases.OCCASION_DAYS.get(days, phrases.OCCASION_COUNTDOWN)
        wish = self.line(phrases.OCCASION_LINES.get(occasion, phrases.OCCASION_GENERIC))
        if occasion in self.first_line:  # the hook already counted down to it
            return wish
        return f"{self.line([countdown])} {wish}"

    def market_line(self) -> str:
        market = self.request.market
        if "competitors" in self.slots:
            return self.line(phrases.MARKET_LINES)
        if market and market.competitors_1km is not None:
            return self.line(phrases.FEW_COMPETITORS_LINES)
        return ""

    def menu_lines(self) -> list[str]:
        priced = [p for p in self.request.shop.products if p.price and clean(p.name)][:5]
        return [f"· {clean(p.name)} {phrases.won(p.price or 0)}" for p in priced]

    def call(self) -> str:
        return self.line(phrases.CALLS[self.plan.call_to_action])

    def sign_off(self) -> str:
        return self.line(phrases.SIGN_OFFS[self.plan.tone])

    def decorate(self, lines: list[str]) -> list[str]:
        """Emoji at the ends of lines, as many as the emoji density says."""
        spots = [i for i, line in enumerate(lines) if line and not line.startswith(("·", "#"))]
        decorated = list(lines)
        pool = self._emoji_pool()
        emoji = self.rng.sample(pool, len(pool))
        for n in range(min(EMOJI_COUNTS[self.plan.emoji_density], 2 * len(spots))):
            spot = spots[n % len(spots)]
            decorated[spot] = f"{decorated[spot]} {emoji[n % len(emoji)]}"
        return decorated

    def _emoji_pool(self) -> tuple[str, ...]:
        industry = phrases.INDUSTRIES.get(self.request.shop.industry, ("", (), ""))[2]
        season = next((e for k, e in phrases.SEASON_EMOJI.items() if k in self.slots["season"]), "")
        return tuple(dict.fromkeys(e for e in (industry, season, *self.family.emoji) if e))

    def tag_words(self) -> list[str]:
        """Search words for tags: the shop and 동네+업종 first, then a shuffled mix."""
        s = self.slots
        core = [s["shop"], f"{s['place']}{s['word']}", f"{s['district']}{s['word']}", s["word"]]
        related = phrases.INDUSTRIES.get(self.request.shop.industry, ("", (), ""))[1]
        extra = [*(f"{s['place']}{r}" for r in related), *related, s["place"], s["season"]]
        extra += [s[key] for key in ("item", "occasion") if key in s]
        extra += [*self._goal_tags(), *phrases.FAMILY_TAGS.get(self.request.shop.family, ())]
        market = self.request.market
        extra += [clean(k) for k in market.local_keywords] if market else []
        extra = self.rng.sample(extra, len(extra))
        words = [*core[:2], *extra[:2], *core[2:], *extra[2:], *phrases.COMMON_TAGS]
        return [re.sub(r"\s+", "", word) for word in words if word]

    def _goal_tags(self) -> list[str]:
        s = self.slots
        return {
            "new_menu": [self.family.new_thing, f"{s['place']}{self.family.new_thing}"],
            "event_sale": ["이벤트", f"{s['word']}이벤트"],
            "bring_back_regulars": ["단골환영", "단골가게"],
            "awareness": [f"{s['place']}가볼만한곳", f"{s['place']}추천"],
        }.get(self.request.brief.goal, [])

    def hashtags(self, low: int, high: int) -> list[str]:
        drawn = self.rng.randint(low, high)
        target = self.plan.hashtag_target
        count = min(max(target, low), high) if target is not None else drawn
        return specs.normalize_hashtags(self.tag_words(), count)

    def photo(self) -> str:
        return self.render(
            self.family.photo, item=self.slots.get("item", self.family.fallback_item)
        )


# --- Video scripts ----------------------------------------------------------------------------


def _beats(cw: Copywriter) -> list[tuple[str, str]]:
    """Middle scenes this shop can fill: (on-screen caption, narration)."""
    s = cw.slots
    beats = [(f"{s['place']} {s['word']}", cw.line(["{place}에 있는 {word}, {shop}(이)에요."]))]
    if "item" in s:
        caption = f"{s['item']} {s.get('price', '')}".strip()
        beats.append((caption, cw.line(phrases.ITEM_LINES + phrases.ITEM_TRY_LINES)))
    beats.append((s["point"], cw.line(phrases.POINT_LINES)))
    if "offer" in s:
        beats.append((s["offer"], cw.angle("event_sale")))
    beats.append((f"{s['mood']} {s['season']}", cw.moment_line()))
    if "hours" in s:
        beats.append(("영업시간 안내", cw.line(phrases.HOURS_LINES)))
    beats.append((s["shop"], cw.line(phrases.STORY_LINES)))
    return beats


def _durations(rng: random.Random, count: int, low: float, high: float) -> list[float]:
    durations = [rng.choice((3.0, 3.5, 4.0, 4.5, 5.0, 5.5)) for _ in range(count)]
    while sum(durations) < low:
        durations[durations.index(min(durations))] += 0.5
    while sum(durations) > high:
        durations[durations.index(max(durations))] -= 0.5
    return durations


def video_script(
    cw: Copywriter, hook: str, scenes: tuple[int, int], seconds: tuple[float, float]
) -> VideoScript:
    """A hook scene, middle scenes in their natural order, and a call-to-action scene."""
    beats = _beats(cw)
    middle_count = min(cw.rng.randint(scenes[0], scenes[1]) - 2, len(beats))
    middle = sorted(cw.rng.sample(range(len(beats)), middle_count))
    shots = [
        (cw.short(phrases.HEADLINES, 24), hook),
        *(beats[i] for i in middle),
        (phrases.CALL_CAPTIONS[cw.plan.call_to_action], cw.call()),
    ]
    durations = _durations(cw.rng, len(shots), *seconds)
    return VideoScript(
        scenes=[
            Scene(caption=clip(caption, 24), narration=narration, duration_s=duration)
            for (caption, narration), duration in zip(shots, durations, strict=True)
        ]
    )


# --- Channels -------------------------------------------------------------------------------

INSTAGRAM_TAGS = {0: (5, 7), 1: (5, 8), 2: (8, 12), 3: (10, 15), 4: (12, 15)}


def write_instagram(cw: Copywriter) -> InstagramDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    headlines = phrases.PRICE_HEADLINES if plan.price_first else cw.on_goal(phrases.HEADLINES)
    headline = cw.short(headlines, 28)
    subline = cw.short(phrases.SUBLINES, 40, fallback=f"{s['place']} {s['shop']}")
    hashtags = cw.hashtags(*INSTAGRAM_TAGS[plan.detail])
    closing = [cw.call(), cw.sign_off() if plan.detail >= 2 else ""]
    body = cw.body()
    airy = cw.rng.random() < 0.4  # a blank line between sentences, as many owners write
    body = [part for line in body for part in (line, "")] if airy else body
    lines = cw.decorate([hook, "", *body, "", *closing])
    room = spec_limit("instagram", "caption_chars") - len(" ".join(hashtags)) - 2
    caption = fit_lines(lines, lambda text: len(text) <= room)
    alt = cw.render(
        phrases.ALT_TEXTS.get(plan.template, phrases.ALT_TEXTS["photo_band"]),
        headline=headline,
        photo=cw.photo(),
        offer=s.get("offer", s["point"]),
    )
    return InstagramDraft(
        headline=headline,
        subline=subline,
        caption=caption,
        hashtags=hashtags,
        alt_text=clip(alt, 1000),
        carousel_pages=carousel_pages(cw, headline, subline) if plan.format == "carousel" else [],
        video_script=video_script(cw, hook, (4, 6), (15, 30)) if plan.format == "video" else None,
        attributes=plan.attributes(len(hashtags)),
    )


def carousel_pages(cw: Copywriter, headline: str, subline: str) -> list[CarouselPage]:
    """A cover, one to three middle pages (products first), and a call-to-action page."""
    s = cw.slots
    products = [p for p in cw.request.shop.products if clean(p.name)]
    middle = [
        *(_product_page(cw, product) for product in products[:3]),
        CarouselPage(title=f"{s['shop']}의 자랑", body=cw.line(phrases.POINT_LINES)),
        CarouselPage(title=s["season"], body=cw.moment_line()),
        CarouselPage(title="찾아오시는 길", body=cw.line(phrases.HOURS_LINES) or s["place"]),
    ]
    middle = middle[: cw.rng.randint(1, 3)]
    shown = min(len(middle), len(products))
    cover = f"이번 주 추천 {s['noun']} {shown}" if shown >= 2 else headline
    return [
        CarouselPage(title=cover, body=subline),
        *middle,
        CarouselPage(title=phrases.CALL_CAPTIONS[cw.plan.call_to_action], body=cw.call()),
    ]


def _product_page(cw: Copywriter, product: ProductInfo) -> CarouselPage:
    name = clean(product.name)
    price = f" {phrases.won(product.price)}" if product.price else ""
    body = clean(product.description) or cw.line(phrases.ITEM_TRY_LINES, item=name)
    return CarouselPage(title=f"{name}{price}", body=body)


def _paragraphs(cw: Copywriter, lines: Sequence[str], keep: int) -> str:
    """Up to ``keep`` non-empty lines as blog paragraphs separated by blank lines."""
    return "\n\n".join([line for line in lines if line][:keep])


def _blog_news(cw: Copywriter, keep: int) -> BlogSection:
    goal = cw.goal
    heading = cw.short(phrases.NEWS_HEADINGS[goal], 40, fallback=f"{cw.slots['shop']} 소식")
    details = [cw.line([t]) for t in cw.options(phrases.NEWS_DETAILS[goal])]
    lines = [cw.angle(), *details, cw.moment_line()]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, keep))


def _blog_menu(cw: Copywriter, keep: int) -> BlogSection:
    heading = phrases.MENU_HEADINGS.get(cw.request.shop.family, "서비스 안내")
    products = [p for p in cw.request.shop.products if clean(p.name)][:6]
    listing = [
        f"· {clean(p.name)}{f' {phrases.won(p.price)}' if p.price else ''}"
        + (f" — {clean(p.description)}" if clean(p.description) else "")
        for p in products
    ]
    if not listing:
        return BlogSection(heading=heading, body=cw.line([phrases.BLOG_NO_MENU]))
    lines = [cw.line(phrases.BLOG_MENU_INTRO), "\n".join(listing), cw.line(phrases.ITEM_TRY_LINES)]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, max(keep, 2)))


def _blog_space(cw: Copywriter, keep: int) -> BlogSection:
    space = [cw.voice(line) for line in cw.rng.sample(cw.family.space, 2)]
    lines = [*space, cw.line(phrases.POINT_LINES)]
    return BlogSection(
        heading=cw.rng.choice(("매장 분위기", "공간 이야기")), body=_paragraphs(cw, lines, keep)
    )


def _blog_recommend(cw: Copywriter, keep: int) -> BlogSection:
    points = [clean(p) for p in cw.request.shop.selling_points if clean(p)][:4] or list(
        cw.family.points
    )
    lines = [cw.line(phrases.TARGET_LINES), "\n".join(f"· {point}" for point in points), cw.call()]
    return BlogSection(heading="이런 분께 추천해요", body=_paragraphs(cw, lines, keep))


def _blog_season(cw: Copywriter, keep: int) -> BlogSection:
    heading = (
        f"{cw.slots['occasion']} 준비" if "occasion" in cw.slots else f"{cw.slots['season']} 이야기"
    )
    lines = [cw.moment_line(), cw.line(phrases.SEASON_LINES), cw.line(phrases.STORY_LINES)]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, keep))


def _blog_prices(cw: Copywriter, keep: int) -> BlogSection:
    prices = sorted(p.price for p in cw.request.shop.products if p.price)
    extra = (
        {"min_price": phrases.won(prices[0]), "max_price": phrases.won(prices[-1])}
        if len(prices) >= 2
        else {}
    )
    lines = [cw.line([t], **extra) for t in cw.options(phrases.BLOG_PRICES, **extra)]
    return BlogSection(heading="가격", body=_paragraphs(cw, lines, keep))


def _blog_directions(cw: Copywriter, keep: int) -> BlogSection:
    area = clean(cw.request.shop.area) or cw.slots["place"]
    lines = [cw.line([t], area=area) for t in cw.options(phrases.BLOG_DIRECTIONS, area=area)]
    return BlogSection(heading="찾아가는 길", body=_paragraphs(cw, lines, keep))


def _blog_hours(cw: Copywriter, keep: int) -> BlogSection:
    lines = [cw.line([t]) for t in cw.options(phrases.BLOG_HOURS)]
    lines = lines if "hours" in cw.slots else [cw.voice(phrases.BLOG_NO_HOURS), *lines]
    return BlogSection(heading="영업시간·주차", body=_paragraphs(cw, lines, keep))


BLOG_SECTIONS = (  # in reading order; news, menu and directions are always written
    ("news", _blog_news),
    ("menu", _blog_menu),
    ("space", _blog_space),
    ("recommend", _blog_recommend),
    ("season", _blog_season),
    ("prices", _blog_prices),
    ("directions", _blog_directions),
    ("hours", _blog_hours),
)
BLOG_ALWAYS = ("news", "menu", "directions")
BLOG_EXTRA_SECTIONS = (1, 1, 2, 3, 3)  # by detail level: 4 to 6 sections in all
BLOG_PARAGRAPHS = (1, 2, 3, 3, 4)  # paragraphs per section, by detail level


def write_naver_blog(cw: Copywriter) -> NaverBlogDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    title = cw.short(
        ("{place} {word} {shop} | {item} {price}",)
        if plan.price_first
        else cw.on_goal(phrases.BLOG_TITLES),
        100,
        fallback=f"{s['place']} {s['word']} {s['shop']}",
    )
    optional = [name for name, _ in BLOG_SECTIONS if name not in BLOG_ALWAYS]
    if len([p for p in cw.request.shop.products if p.price]) < 1:
        optional.remove("prices")
    extra = min(len(optional), BLOG_EXTRA_SECTIONS[plan.detail])
    chosen = {*BLOG_ALWAYS, *cw.rng.sample(optional, extra)}
    keep = BLOG_PARAGRAPHS[plan.detail]
    sections = [build(cw, keep) for name, build in BLOG_SECTIONS if name in chosen]
    intro = [
        hook,
        cw.line(phrases.BLOG_GREETINGS),
        cw.line(phrases.BLOG_TOPICS[cw.goal]),
    ]
    closing = [cw.sign_off(), cw.call(), cw.line(phrases.BLOG_CLOSINGS)]
    tags = specs.normalize_tags(cw.tag_words(), cw.rng.randint(10, 14) + 2 * min(plan.detail, 3))
    return NaverBlogDraft(
        title=title,
        intro="\n".join(cw.decorate(intro)),
        sections=sections,
        image_slots=blog_images(cw, 3 + min(plan.detail, 3)),
        closing="\n".join(cw.decorate(closing)),
        tags=tags,
        place_keywords=place_keywords(cw),
        attributes=plan.attributes(len(tags)),
    )


def blog_images(cw: Copywriter, count: int) -> list[BlogImageSlot]:
    photo = {"photo": cw.photo()}
    fillable = [(c, sug) for c, sug in phrases.BLOG_IMAGES if _fields(c + sug) <= {*cw.slots}]
    chosen = fillable[:2] + cw.rng.sample(fillable[2:], min(count - 2, len(fillable) - 2))
    return [
        BlogImageSlot(caption=cw.render(c, **photo), suggestion=cw.render(sug, **photo))
        for c, sug in chosen
    ]


def place_keywords(cw: Copywriter) -> list[str]:
    """동네 + 업종 search phrases, 3 to 8."""
    s = cw.slots
    related = phrases.INDUSTRIES.get(cw.request.shop.industry, ("", (), ""))[1]
    market = cw.request.market
    words = [
        f"{s['place']} {s['word']}",
        f"{s['district']} {s['word']}",
        *(f"{s['place']} {r}" for r in related),
        *([f"{s['place']} {s['item']}"] if "item" in s else []),
        *(clean(k) for k in (market.local_keywords if market else ())),
        f"{s['place']} {s['word']} 추천",
        f"{s['word']} 추천",
        f"{s['place']} {s['shop']}",
    ]
    return specs.normalize_tags(words, cw.rng.randint(3, 8))


SHORTS_BODY_LINES = (1, 2, 4, 5, 7)  # by detail level
THREADS_BODY_LINES = (1, 2, 3, 4, 6)


def write_youtube_shorts(cw: Copywriter) -> YouTubeShortsDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    title_bank = (
        ("{item} {price} | {shop} #Shorts",)
        if plan.price_first
        else cw.on_goal(phrases.SHORTS_TITLES)
    )
    title = cw.short(title_bank, 100, fallback=f"{s['place']} {s['word']} #Shorts")
    hashtags = ["#Shorts", *cw.hashtags(2 + min(plan.detail, 2), 4 + min(plan.detail, 3))]
    area = clean(cw.request.shop.area)
    info = [f"위치: {area}" if area else "", f"영업시간: {s['hours']}" if "hours" in s else ""]
    lines = [
        *cw.decorate([hook, "", *cw.body()[: SHORTS_BODY_LINES[plan.detail]], "", cw.call()]),
        "",
        *info,
        "",
        " ".join(hashtags),
    ]
    description = fit_lines(lines, lambda text: specs.utf8_bytes(text) <= 4800)
    if "#shorts" not in f"{title} {description}".lower():
        description = f"{description}\n\n#Shorts"
    tags = _youtube_tags(cw, 5 + 2 * min(plan.detail, 3))
    seconds = (15.0, 30.0 + 5 * min(plan.detail, 3))
    return YouTubeShortsDraft(
        title=title,
        description=description,
        tags=tags,
        thumbnail_text=cw.short(
            phrases.PRICE_HEADLINES if plan.price_first else cw.on_goal(phrases.THUMBNAILS), 16
        ),
        video_script=video_script(cw, hook, (4, 5 + min(plan.detail, 3)), seconds),
        attributes=plan.attributes(len(re.findall(r"#\w+", description))),
    )


def _youtube_tags(cw: Copywriter, count: int) -> list[str]:
    tags: list[str] = []
    for tag in specs.normalize_tags([*cw.tag_words(), "쇼츠", "Shorts"], count):
        if sum(map(len, tags)) + len(tag) <= spec_limit("youtube_shorts", "tags_chars"):
            tags.append(tag)
    return tags


def write_threads(cw: Copywriter) -> ThreadsDraft:
    plan = cw.plan
    hook = cw.opening()
    count = cw.rng.choice((0, 1, 1, 2))  # conversational: a tag or two at most
    tags = " ".join(cw.hashtags(count, count))
    lines = cw.decorate([hook, *cw.body()[: THREADS_BODY_LINES[plan.detail]], cw.call()])
    units = spec_limit("threads", "text_units")
    text = fit_lines([*lines, tags], lambda t: specs.threads_length(t) <= units)
    headlines = cw.on_goal(phrases.THREADS_IMAGE_HEADLINES)
    headline = cw.short(headlines, 28) if plan.format == "image" else ""
    return ThreadsDraft(
        text=text,
        image_headline=headline,
        attributes=plan.attributes(len(re.findall(r"#\w+", text))),
    )


WRITERS: dict[str, Callable[[Copywriter], BaseModel]] = {
    "instagram": write_instagram,
    "naver_blog": write_naver_blog,
    "youtube_shorts": write_youtube_shorts,
    "threads": write_threads,
}


# --- The provider ------------------------------------------------------------------------------

TEXT_FIELDS = ("caption", "text", "description", "intro", "sections", "closing")


def opening_of(draft: BaseModel) -> str:
    """The first line readers see, to pass back as ``recent_openings`` next time."""
    for name in ("caption", "text", "intro", "description"):
        if name in type(draft).model_fields:
            return first_line(getattr(draft, name))
    return ""


def compose(
    request: GenerationRequest, *, salt: str = "", pinned: CreativeAttributes | None = None
) -> BaseModel:
    """A whole draft for the request's channel."""
    rng = random.Random(f"{request.seed}:{request.channel}:{request.shop.name}:{salt}")
    slots = build_slots(request, rng)
    menu = len([p for p in request.shop.products if p.price and clean(p.name)]) >= 2
    plan = plan_for(request, rng, menu=menu, has_price="price" in slots, pinned=pinned)
    return WRITERS[str(request.channel)](Copywriter(request, rng, plan, slots))


def hashtag_count(draft: BaseModel) -> int:
    """The count ``specs`` checks: the tag list, or the #words in the text."""
    if isinstance(draft, InstagramDraft):
        return len(draft.hashtags)
    if isinstance(draft, NaverBlogDraft):
        return len(draft.tags)
    text = draft.description if isinstance(draft, YouTubeShortsDraft) else draft.text  # type: ignore[attr-defined]
    return len(re.findall(r"#\w+", text))


def rewrite_field(request: GenerationRequest, previous: BaseModel) -> BaseModel:
    """``previous`` with only ``request.only_field`` written anew (and its attributes kept)."""
    field_name = request.only_field
    pinned: CreativeAttributes = previous.attributes  # type: ignore[attr-defined]
    fresh = compose(request, salt=f"only:{field_name}", pinned=pinned)
    for attempt in range(1, 8):
        if getattr(fresh, field_name) != getattr(previous, field_name):
            break
        fresh = compose(request, salt=f"only:{field_name}:{attempt}", pinned=pinned)
    merged = previous.model_dump()
    merged[field_name] = fresh.model_dump()[field_name]
    if field_name in TEXT_FIELDS:
        merged["attributes"] = fresh.attributes.model_dump()  # type: ignore[attr-defined]
    draft = type(previous).model_validate(merged)
    merged["attributes"]["hashtag_count"] = hashtag_count(draft)
    return type(previous).model_validate(merged)


def _previous(request: GenerationRequest) -> BaseModel | None:
    if not request.previous:
        return None
    try:
        return specs.spec_for(str(request.channel)).draft_model.model_validate(request.previous)
    except (ValidationError, ValueError):
        return None


class OfflineProvider(Provider):
    """Writes every channel's draft from templates and the shop's own facts."""

    name = "offline"
    offline = True

    def write(self, request: GenerationRequest) -> Generation:
        if str(request.channel) not in WRITERS:
            raise ProviderError(f"지원하지 않는 채널이에요: {request.channel}", permanent=True)
        previous = _previous(request)
        field_name = request.only_field
        rewrites_one = previous is not None and field_name in type(previous).model_fields
        if rewrites_one and field_name != "attributes":
            draft = rewrite_field(request, previous)
        else:
            draft = compose(request)
        return Generation(
            draft=draft, provider=self.name, model=MODEL, prompt_version=PROMPT_VERSION
        )
