"""The copywriter: sentences in the shop's voice, and the video scripts built from them."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from content import korean, specs
from content.korean import FORMAL_TONES
from content.providers.base import GenerationRequest
from content.providers.offline import phrases
from content.providers.offline.plan import Plan
from content.providers.offline.text import clean, clip, opening_key, template_fields
from content.quality.gate import fact_lines
from content.quality.text import sentence_key, sentences
from content.specs import Scene, VideoScript

EMOJI_COUNTS = {"none": 0, "low": 1, "medium": 3, "high": 6}
QUESTION_MARKS = ("?", "？")
BODY_ORDERS = (
    ("angle", "moment", "menu", "item", "point", "market", "target", "hours", "story"),
    ("angle", "menu", "item", "point", "moment", "story", "market", "target", "hours"),
    ("moment", "angle", "menu", "item", "target", "point", "market", "story", "hours"),
    ("angle", "point", "menu", "item", "moment", "market", "story", "target", "hours"),
)
GOAL_KEYS = {"new_menu": "new_thing", "event_sale": "offer"}


def is_question(line: str) -> bool:
    """What the platforms' readers (and the sandbox's audience) take for a question."""
    return any(mark in line for mark in QUESTION_MARKS)


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
        self.said = {sentence_key(s) for s in request.campaign_sentences} - {""}
        self.facts = fact_lines(request.shop)
        self.first_line = ""
        self.lively = 0

    def render(self, template: str, **extra: str) -> str:
        return korean.attach_josa(template.format_map({**self.slots, **extra}))

    def options(self, templates: Sequence[str], **extra: str) -> list[str]:
        known = {*self.slots, *extra}
        return [template for template in templates if template_fields(template) <= known]

    def line(self, templates: Sequence[str], **extra: str) -> str:
        """One fillable template, rendered in the shop's voice; "" when none can be filled.
        A sentence another piece of the campaign says already is left out ("" when every
        wording is said)."""
        return self._line(templates, extra, required=False)

    def required_line(self, templates: Sequence[str], **extra: str) -> str:
        """A line the piece cannot go without: a said wording when every one is said."""
        return self._line(templates, extra, required=True)

    def _line(self, templates: Sequence[str], extra: dict[str, str], *, required: bool) -> str:
        rendered = [self.render(t, **extra) for t in self.options(templates, **extra)]
        if not rendered:
            return ""
        fresh = [text for text in rendered if self.fresh(text)] if self.said else []
        if self.said and not fresh and not required:
            return ""
        return self.voice(self.rng.choice(fresh or rendered))

    def fresh(self, text: str) -> bool:
        """Whether no sentence of ``text`` is one the campaign's other pieces say (the
        address, hours and phone may be said again)."""
        spoken = self.in_register(text)
        return not any(
            sentence_key(s) in self.said and not any(fact in s for fact in self.facts)
            for s in sentences(spoken)
        )

    def in_register(self, text: str) -> str:
        """``text`` in the plan's register (합쇼체 for the formal tones), nothing else changed:
        for titles, headings and image texts, which take no other voice."""
        return korean.formal(text) if self.plan.tone in FORMAL_TONES else text

    def short(self, templates: Sequence[str], limit: int, fallback: str = "오늘의 추천") -> str:
        """One fillable template that fits in ``limit`` characters (no voice: a title)."""
        rendered = [self.in_register(self.render(t)) for t in self.options(templates)]
        fitting = [t for t in rendered if len(t) <= limit]
        return self.rng.choice(fitting) if fitting else clip(fallback, limit)

    def asks(self) -> bool:
        """Whether the first line the platform shows is to be a question."""
        return self.plan.hook_style == "question"

    def title(self, templates: Sequence[str], limit: int, fallback: str) -> str:
        """A title that is the first line the platform shows (YouTube, Naver): a question
        exactly when the hook is one, and with one emoji when the density puts one there."""
        emoji = self.title_emoji()
        room = limit - len(emoji) - 1 if emoji else limit
        rendered = [self.in_register(self.render(t)) for t in self.options(templates)]
        fitting = [t for t in rendered if len(t) <= room and is_question(t) == self.asks()]
        chosen = self.rng.choice(fitting) if fitting else clip(fallback, room)
        if not emoji:
            return chosen
        if chosen.endswith(" #Shorts"):  # the emoji closes the words, the tag stays last
            return f"{chosen.removesuffix(' #Shorts')} {emoji} #Shorts"
        return f"{chosen} {emoji}"

    def title_emoji(self) -> str:
        """The one emoji a title takes for medium and high density ("" otherwise)."""
        return self._emoji_pool()[0] if self.plan.emoji_density in ("medium", "high") else ""

    def voice(self, text: str) -> str:
        if self.plan.tone in FORMAL_TONES:
            text = korean.formal(text)
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
        candidates = [
            opener + self.required_line([t]) for t in self.rng.sample(templates, len(templates))
        ]
        # Only the question hook asks (the owner's own words could bring a "?" into another).
        candidates = [c for c in candidates if is_question(c) == self.asks()] or candidates
        prefixes = ("", f"{self.slots['season']} {self.slots['weekday']}, ", "오늘의 이야기, ")
        fresh = (
            p + c
            for p in prefixes
            for c in candidates
            if opening_key(p + c) not in self.recent and self.fresh(p + c)
        )
        default = f"{self.slots['shop']} 소식 {len(self.recent) + 1}. {candidates[0]}"
        self.first_line = next(fresh, default)
        return self.first_line

    def _hook_bank(self) -> Sequence[str]:
        if self.plan.price_first and "price" in self.slots:
            return phrases.PRICE_HOOKS
        return phrases.HOOKS[self.plan.hook_style]

    def body(self, limit: int | None = None) -> list[str]:
        """The middle of a post, in one of a few orders, as long as the detail level asks;
        at most ``limit`` lines, always with the angle (what the post is about)."""
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
        named = [
            (name, line)
            for name in order
            for line in pieces[name][1]
            if line and pieces[name][0] <= self.plan.detail
        ]
        if limit is not None:
            others = [n for n, (name, _) in enumerate(named) if name != "angle"]
            angle = [n for n, (name, _) in enumerate(named) if name == "angle"]
            kept = {*angle, *others[: max(limit - len(angle), 0)]}
            named = [entry for n, entry in enumerate(named) if n in kept]
        return [line for _, line in named]

    @property
    def goal(self) -> str:
        goal = self.request.brief.goal
        return goal if goal in phrases.ANGLES else "awareness"

    def _naming(self, templates: Sequence[str], goal: str = "") -> list[str]:
        """The templates that name the new item or the offer, when the goal has one."""
        key = GOAL_KEYS.get(goal or self.goal, "")
        if key == "new_thing" and key not in self.slots:
            key = "offer"  # no product is named as new: the offer carries the news
        return [t for t in templates if key in template_fields(t)] if key in self.slots else []

    def on_goal(self, templates: Sequence[str]) -> Sequence[str]:
        """Mostly the templates naming the new item or the offer, sometimes any of them."""
        naming = self._naming(templates)
        return naming if naming and self.rng.random() < 0.6 else templates

    def angle(self, goal: str = "") -> str:
        """What this post is about: the owner's own line when they wrote one, else a line
        that names the new item or the offer when there is one."""
        note = clean(self.request.brief.note)
        if note:
            return note if note[-1] in ".!?~…" else f"{note}."
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
        return [f"· {clean(p.name)} {korean.won(p.price or 0)}" for p in priced]

    def call(self) -> str:
        """The call to action; when the campaign has said every wording, its short caption
        ("지금 들러 주세요."), which the piece's ``call_to_action`` still needs."""
        action = self.plan.call_to_action
        said = self.line(phrases.CALLS[action])
        return said or self.voice(f"{phrases.CALL_CAPTIONS[action].rstrip('!')}.")

    def sign_off(self) -> str:
        return self.line(phrases.SIGN_OFFS[self.plan.tone])

    def decorate(self, lines: list[str], *, opening: bool = True) -> list[str]:
        """Emoji at the ends of lines, as many as the emoji density says. When ``lines``
        open the post, medium and high density put one in the first line and low keeps
        the first line plain."""
        spots = [i for i, line in enumerate(lines) if line and not line.startswith(("·", "#"))]
        if opening and self.plan.emoji_density == "low":
            spots = [i for i in spots if i != 0]
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

    def tag_count(self, drawn: int, cap: int = 30, floor: int = 0) -> int:
        """The guided hashtag count within what the channel allows, else ``drawn``."""
        target = self.plan.hashtag_target
        return drawn if target is None else min(max(target, floor), cap)

    def tag_pool(self) -> list[str]:
        """Tag words, enough of them for 30 distinct tags: the shop's own first."""
        s = self.slots
        more = [
            f"{s['place']}{s['word']}추천",
            f"{s['district']}{s['word']}추천",
            f"{s['word']}추천",
            f"{s['place']}핫플",
            f"{s['district']}가볼만한곳",
            f"{s['place']}{s['noun']}",
            f"{s['season']}{s['word']}",
            f"{s['place']}일상",
            *phrases.MORE_TAGS,
        ]
        return [*self.tag_words(), *(re.sub(r"\s+", "", word) for word in more)]

    def hashtags(self, low: int, high: int, *, cap: int = 30) -> list[str]:
        """#tags: as many as the guidance asks (up to ``cap``), else ``low``–``high``."""
        return self.hashtag_list(self.tag_count(self.rng.randint(low, high), cap))

    def hashtag_list(self, count: int, *, leave_out: str = "") -> list[str]:
        """``count`` distinct #tags, never ``leave_out`` (one the channel adds itself)."""
        pool = self.tag_pool()
        tags = specs.normalize_hashtags(pool, len(pool))
        return [tag for tag in tags if tag.lower() != leave_out.lower()][:count]

    def photo(self) -> str:
        return self.render(
            self.family.photo, item=self.slots.get("item", self.family.fallback_item)
        )


# --- Video scripts ----------------------------------------------------------------------------


def _beats(cw: Copywriter) -> list[tuple[str, str]]:
    """Middle scenes this shop can fill: (on-screen caption, narration)."""
    s = cw.slots
    where = f"{s['place']} {s['word']}"
    beats = [(where, cw.line(phrases.PLACE_LINES))]
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
    # Lines the campaign has said already are left out; one scene always stays.
    return [beat for beat in beats if beat[1]] or [(where, f"{where}.")]


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
