"""Prompts from versioned template files (content/prompts/<version>/).

Everything the owner or a customer wrote enters the prompt as JSON inside
<자료> blocks, with "<" escaped so no input can close the block and pose as an
instruction; personal data of third parties is masked before that.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.template import Context, Engine

from content import specs
from content.privacy import mask_personal_data
from content.providers.base import GenerationRequest

PROMPT_VERSION = "v1"
PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
_ENGINE = Engine(autoescape=False)


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    version: str


@cache
def _read(version: str, name: str) -> str:
    return (PROMPTS_DIR / version / name).read_text(encoding="utf-8").strip()


def as_data(value: object) -> str:
    """JSON that cannot break out of a <자료> block."""
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def _masked(request: GenerationRequest) -> dict:
    """The shop and brief as data, with third parties' contact details masked."""
    keep = (request.shop.phone,)
    shop = dataclasses.asdict(request.shop)
    for key in ("description", "target_customers", "opening_hours"):
        shop[key] = mask_personal_data(shop[key], keep=keep)
    shop["selling_points"] = [mask_personal_data(p, keep=keep) for p in shop["selling_points"]]
    brief = dataclasses.asdict(request.brief)
    brief["offer"] = mask_personal_data(brief["offer"], keep=keep)
    brief["note"] = mask_personal_data(brief["note"], keep=keep)
    return {"shop": shop, "brief": brief, "keep": keep}


# Guidance values that become instructions; any other attribute or value is left out.
GUIDED_VALUES: dict[str, tuple[str, ...]] = {
    "hook_style": specs.HOOK_STYLES,
    "length_bucket": specs.LENGTH_BUCKETS,
    "emoji_density": specs.EMOJI_DENSITIES,
    "tone": specs.TONES,
    "call_to_action": specs.CALLS_TO_ACTION,
    "template": specs.TEMPLATES,
}
# What a reader sees first on each channel: where the hook and the first emoji go.
FIRST_LINES = {
    "instagram": "캡션 첫 줄",
    "threads": "글의 첫 줄",
    "youtube_shorts": "제목(title)",
    "naver_blog": "제목(title)과 도입부(intro) 첫 줄",
}
HASHTAG_FLOOR = {"youtube_shorts": 1}  # #Shorts is always there, and counts


def guided_attributes(request: GenerationRequest) -> dict[str, str]:
    """The guidance's preferred attributes that this channel can take, checked against
    the specs' choices (the hashtag count clamped to what the channel allows)."""
    preferred = request.guidance.preferred if request.guidance else {}
    channel = str(request.channel)
    chosen = {
        name: preferred[name]
        for name, values in GUIDED_VALUES.items()
        if preferred.get(name) in values
    }
    if preferred.get("format") in specs.spec_for(channel).formats:
        chosen["format"] = preferred["format"]
    count = str(preferred.get("hashtag_count", ""))
    if count.isascii() and count.isdigit() and int(count) <= 30:
        chosen["hashtag_count"] = str(max(int(count), HASHTAG_FLOOR.get(channel, 0)))
    return chosen


def _guidance_rules(request: GenerationRequest, version: str) -> str:
    chosen = guided_attributes(request)
    if not chosen:
        return ""
    channel = str(request.channel)
    context = {**chosen, "channel": channel, "first_line": FIRST_LINES.get(channel, "첫 줄")}
    text = _ENGINE.from_string(_read(version, "guidance.md")).render(
        Context(context, autoescape=False)
    )
    return "\n".join(line for line in text.splitlines() if line.strip())


CAMPAIGN_SENTENCES = 60  # the newest sentences of the campaign's other pieces the model sees


def campaign_said(request: GenerationRequest) -> list[str]:
    """What the model is told the campaign says already: every other piece's opening line
    (a repeated one cannot be cut, only rewritten), then the newest sentences."""
    newest = request.campaign_sentences[-CAMPAIGN_SENTENCES:]
    return list(dict.fromkeys([*request.campaign_openings, *newest]))


def build_prompt(request: GenerationRequest, *, version: str = PROMPT_VERSION) -> Prompt:
    data = _masked(request)
    moment = request.moment
    context = {
        "channel_instructions": _read(version, f"{request.channel}.md"),
        "family_instructions": _read(version, f"families/{request.shop.family}.md"),
        "shop_json": as_data(data["shop"]),
        "brief_json": as_data(data["brief"]),
        "planned_for": moment.planned_for.strftime("%Y-%m-%d %H:%M"),
        "weekday": moment.weekday_ko,
        "season": moment.season,
        "occasions": ", ".join(f"{o.name}({o.date:%m/%d})" for o in moment.occasions),
        "market": request.market is not None,
        "market_json": as_data(dataclasses.asdict(request.market)) if request.market else "",
        "guidance": bool(
            request.guidance
            and (
                request.guidance.summary or request.guidance.preferred or request.guidance.examples
            )
        ),
        "guidance_json": as_data(
            {
                "summary": request.guidance.summary,
                "preferred": request.guidance.preferred,
                "examples": list(request.guidance.examples),
            }
        )
        if request.guidance
        else "",
        "guidance_rules": _guidance_rules(request, version),
        "guidance_examples": bool(request.guidance and request.guidance.examples),
        "recent_openings": bool(request.recent_openings),
        "recent_openings_json": as_data(list(request.recent_openings)),
        "campaign_sentences": bool(request.campaign_sentences or request.campaign_openings),
        "campaign_sentences_json": as_data(campaign_said(request)),
        "previous": request.previous is not None,
        "previous_json": as_data(request.previous) if request.previous else "",
        "only_field": request.only_field,
        "instruction": as_data(mask_personal_data(request.instruction, keep=data["keep"])),
        "seed": request.seed,
    }
    user = _ENGINE.from_string(_read(version, "request.md")).render(
        Context(context, autoescape=False)
    )
    return Prompt(system=_read(version, "system.md"), user=user.strip(), version=version)
