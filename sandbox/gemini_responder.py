"""What the Gemini simulator answers in sandbox mode and benchmarks.

It reads the request the way a model would (the shop, the brief and the performance
guidance from the prompt's <자료> blocks, the channel from the response schema) and
answers with the offline writer's draft (a photo, a voice memo and an owner's feedback
comment get answers of their own schema), so the whole Gemini path (SDK, schema,
parsing, usage, validation) runs with realistic Korean content and no network, and a
guided piece follows its guidance as a model asked to would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

from content.calendar import occasions_near, season_for
from content.channels import Channel
from content.providers.base import (
    Brief,
    GenerationRequest,
    Guidance,
    MemoFacts,
    Moment,
    PhotoInsight,
    ProductInfo,
    ShopProfile,
)
from content.providers.offline import OfflineProvider
from content.specs import spec_for
from sandbox.gemini import GeminiRequest

_DATA = re.compile(r"<자료>\s*(.*?)\s*</자료>", re.S)
_WHEN = re.compile(r"게시 시점: (\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_SEED = re.compile(r"변주 번호: (\d+)")
_CAMPAIGN = re.compile(
    r"같은 캠페인의 다른 글이 이미 쓴 문장입니다[^\n]*\n<자료>\s*(.*?)\s*</자료>", re.S
)
# What the quality gate names (content.quality): a model rewrites the draft for these.
_GATE_WORDS = ("캠페인의 다른 글", "말투", "가게 정보에 없는", "조사", "상투적인")

# Which schema is which: a property only that draft has.
_CHANNEL_MARKERS = {
    "sections": Channel.NAVER_BLOG,
    "thumbnail_text": Channel.YOUTUBE_SHORTS,
    "alt_text": Channel.INSTAGRAM,
    "image_headline": Channel.THREADS,
}


def _properties(request: GeminiRequest) -> set[str]:
    schema = request.response_schema or {}
    return set((schema.get("properties") or {}).keys())


def _blocks(text: str) -> list[Any]:
    blocks = []
    for raw in _DATA.findall(text):
        try:
            blocks.append(json.loads(raw))
        except json.JSONDecodeError:
            blocks.append(raw)
    return blocks


def _shop(data: dict[str, Any]) -> ShopProfile:
    products = tuple(ProductInfo(**p) for p in data.pop("products", []))
    data["selling_points"] = tuple(data.get("selling_points", ()))
    return ShopProfile(**data, products=products)


def _block_with(text: str, key: str) -> dict[str, Any]:
    return next(b for b in _blocks(text) if isinstance(b, dict) and key in b)


def _guidance(text: str) -> Guidance | None:
    """The performance guidance block, as a model would follow it (None when absent)."""
    data = next((b for b in _blocks(text) if isinstance(b, dict) and "preferred" in b), None)
    if data is None:
        return None
    known = {f.name for f in dataclasses.fields(Guidance)}
    values = {key: value for key, value in data.items() if key in known}
    values["preferred"] = {str(k): str(v) for k, v in (data.get("preferred") or {}).items()}
    values["examples"] = tuple(str(e) for e in data.get("examples") or ())
    return Guidance(**values)


def _request(channel: str, text: str) -> GenerationRequest:
    shop_data, brief_data = _block_with(text, "industry_label"), _block_with(text, "goal")
    when = _WHEN.search(text)
    planned = dt.datetime.fromisoformat(when.group(1)) if when else dt.datetime.now()
    seed = _SEED.search(text)
    campaign = _CAMPAIGN.search(text)
    brief = {k: v for k, v in brief_data.items() if k in ("goal", "offer", "campaign_name")}
    return GenerationRequest(
        channel=channel,
        shop=_shop(dict(shop_data)),
        brief=Brief(**brief),
        moment=Moment(planned, season_for(planned.date()), occasions_near(planned.date())),
        guidance=_guidance(text),
        seed=int(seed.group(1)) if seed else 0,
        campaign_sentences=tuple(json.loads(campaign.group(1))) if campaign else (),
    )


def _fixed_like_a_model(draft: dict[str, Any]) -> dict[str, Any]:
    """What a model asked to repair does beyond trimming: stretch a too-short video."""
    script = draft.get("video_script")
    if script:
        scenes = script["scenes"]
        total = sum(scene["duration_s"] for scene in scenes)
        if total < 15:
            for scene in scenes:
                scene["duration_s"] = min(10.0, round(scene["duration_s"] * 16 / total, 1))
    return draft


# A model's reading of an owner's comment, roughly: complaints and requests to change
# are negative, praise positive, the rest neutral.
_COMPLAINTS = ("별로", "싫", "아쉽", "아쉬", "실망", "어색", "오타", "틀", "최악", "고쳐", "바꿔",
               "너무 길", "너무 짧", "안 좋", "않아", "않네", "마음에 안", "맘에 안", "👎")  # fmt: skip
_PRAISE = ("좋", "최고", "만족", "감사", "고마", "마음에 들", "맘에 들", "예쁘", "멋지", "👍")


def _feedback_sentiment(text: str) -> dict[str, str]:
    data = next((b for b in _blocks(text) if isinstance(b, dict) and "comment" in b), {})
    comment = str(data.get("comment", ""))
    complaint = next((word for word in _COMPLAINTS if word in comment), None)
    if complaint:
        return {"sentiment": "negative", "reason": f"'{complaint}'라며 아쉬운 점을 말했어요."}
    praise = next((word for word in _PRAISE if word in comment), None)
    if praise:
        return {"sentiment": "positive", "reason": f"'{praise}'라며 만족을 나타냈어요."}
    return {"sentiment": "neutral", "reason": "좋고 나쁨을 말하지 않은 의견이에요."}


def respond(request: GeminiRequest) -> dict[str, Any]:
    properties = _properties(request)
    if {"sentiment", "reason"} <= properties:
        return _feedback_sentiment(request.text)
    if "suggested_captions" in properties:
        return PhotoInsight(
            description="따뜻한 조명 아래 갓 구운 빵과 커피가 놓인 테이블",
            selling_points=["갓 구운 빵의 윤기", "아늑한 창가 자리"],
            suggested_captions=["오늘 아침 갓 구운 빵", "창가 자리에서 커피 한 잔"],
            products=["소금빵", "아메리카노"],
        ).model_dump()
    if "transcript" in properties:
        return MemoFacts(
            transcript="이번 주 금요일부터 딸기 라떼 새로 나와요. 첫 주는 천 원 할인합니다.",
            goal="new_menu",
            offer="첫 주 1,000원 할인",
            products=["딸기 라떼"],
            facts=["금요일 출시"],
        ).model_dump()
    channel = next((c for key, c in _CHANNEL_MARKERS.items() if key in properties), None)
    if channel is None:
        return {}
    text = request.text
    if "채널 규칙을 어겼습니다" in text:
        draft = spec_for(channel).draft_model.model_validate(_block_with(text, "attributes"))
        problems = text[text.index("채널 규칙을 어겼습니다") :]
        if any(word in problems for word in _GATE_WORDS):  # rewritten, as a model would
            rewritten = OfflineProvider().repair(_request(channel, text), draft, [problems])
            draft = rewritten.draft if rewritten else draft
        return _fixed_like_a_model(spec_for(channel).repair(draft).model_dump())
    return OfflineProvider().write(_request(channel, text)).draft.model_dump()
