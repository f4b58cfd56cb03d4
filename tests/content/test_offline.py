"""The offline writer: real Korean copy that embodies its attributes and passes its spec."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from pydantic import BaseModel

from content import korean
from content.calendar import occasions_near, season_for
from content.providers.base import (
    Brief,
    GenerationRequest,
    Guidance,
    MarketContext,
    Moment,
    ProductInfo,
    ProviderError,
    ShopProfile,
)
from content.providers.offline import OfflineProvider, opening_of, phrases
from content.specs import SPECS, threads_length

CHANNELS = ("instagram", "naver_blog", "youtube_shorts", "threads")
GOALS = ("new_menu", "event_sale", "bring_back_regulars", "awareness")
OFFERS = {"new_menu": "", "event_sale": "전 메뉴 10% 할인", "bring_back_regulars": "음료 1+1"}
MAIN_TEXT = {
    "instagram": "caption",
    "naver_blog": "intro",
    "youtube_shorts": "description",
    "threads": "text",
}
PRICED = (
    ProductInfo("흑임자 라떼", 5800, "고소한 흑임자와 우유", True),
    ProductInfo("아메리카노", 3800),
)

SHOPS = {
    "food_drink": ShopProfile(
        name="온다커피",
        industry="cafe",
        industry_label="카페",
        family="food_drink",
        area="서울 마포구 연남동",
        target_customers="20-30대 직장인",
        selling_points=("직접 로스팅한 원두", "창가 좌석"),
        opening_hours="매일 10:00-21:00",
        products=(*PRICED, ProductInfo("바스크 치즈케이크", 6500)),
    ),
    "beauty": ShopProfile(
        name="결 헤어",
        industry="hair_salon",
        industry_label="미용실",
        family="beauty",
        area="서울 성동구 성수동2가",
        tone="premium",
        selling_points=("1:1 맞춤 상담",),
        products=(ProductInfo("볼륨 매직", 120000, is_signature=True), ProductInfo("커트", 25000)),
    ),
    "retail": ShopProfile(
        name="초록 꽃집",
        industry="flower_shop",
        industry_label="꽃집",
        family="retail",
        area="부산 해운대구 우동",
        tone="playful",
        products=(ProductInfo("계절 꽃다발", 35000),),
    ),
    "fitness_education": ShopProfile(
        name="바른 필라테스",
        industry="pilates_yoga",
        industry_label="필라테스·요가",
        family="fitness_education",
        area="경기 성남시 분당구 정자동",
        tone="professional",
        selling_points=("정원 4명 소수 수업", "체형 분석"),
        products=(ProductInfo("체험 수업", 20000), ProductInfo("10회권", 350000)),
    ),
    "services": ShopProfile(
        name="새봄 세탁소",
        industry="laundry",
        industry_label="세탁소",
        family="services",
        area="대전 유성구 봉명동",
        tone="calm",
        phone="042-123-4567",
    ),
}


def request_for(
    channel: str = "instagram",
    family: str = "food_drink",
    goal: str = "new_menu",
    seed: int = 0,
    *,
    on: dt.date = dt.date(2026, 11, 6),
    shop: dict | None = None,
    **changes: object,
) -> GenerationRequest:
    planned_for = dt.datetime.combine(on, dt.time(11, 30))
    request = GenerationRequest(
        channel=channel,
        shop=dataclasses.replace(SHOPS[family], **(shop or {})),
        brief=Brief(goal=goal, offer=OFFERS.get(goal, ""), ends_on=on + dt.timedelta(days=9)),
        moment=Moment(planned_for, season_for(on), occasions_near(on)),
        market=MarketContext(
            competitors_1km=43, neighbours=("공방",), local_keywords=("연트럴파크",)
        ),
        seed=seed,
    )
    return dataclasses.replace(request, **changes)


def write(request: GenerationRequest) -> BaseModel:
    return OfflineProvider().write(request).draft


def texts_of(draft: BaseModel) -> list[str]:
    """Every string in the draft except the attribute values."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "attributes":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(draft.model_dump())
    return found


def main_text(draft: BaseModel, channel: str) -> str:
    text = getattr(draft, MAIN_TEXT[channel])
    if channel == "naver_blog":
        return "\n".join([text, *(s.body for s in draft.sections), draft.closing])
    return text


def has_emoji(text: str) -> bool:
    # Threads counts an emoji as its UTF-8 bytes, every other character as one.
    return threads_length(text) != len(text)


def guided(**preferred: str) -> Guidance:
    return Guidance(summary="", preferred=preferred)


# --- Every draft passes its spec -----------------------------------------------------------


@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("family", list(SHOPS))
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_family_and_goal_writes_drafts_that_pass_the_spec(channel, family, goal):
    for seed in range(4):
        generation = OfflineProvider().write(request_for(channel, family, goal, seed))
        draft = generation.draft

        assert SPECS[channel].check(draft) == [], (seed, draft)
        assert isinstance(draft, SPECS[channel].draft_model)
        dumped = json.dumps(draft.model_dump(), ensure_ascii=False)
        assert re.search("[가-힣]", main_text(draft, channel))
        assert "{" not in "".join(texts_of(draft)) and "}" not in "".join(texts_of(draft))
        assert "None" not in dumped and "(이)" not in dumped and "(을)" not in dumped


def test_the_generation_is_labelled_as_the_offline_writer():
    generation = OfflineProvider().write(request_for())

    assert (generation.provider, generation.model) == ("offline", "offline-writer-v1")
    assert generation.prompt_version == "offline-v1"
    assert generation.calls == ()
    assert OfflineProvider.offline is True


@pytest.mark.parametrize("channel", CHANNELS)
def test_drafts_keep_to_the_shapes_the_product_promises(channel):
    for seed in range(12):
        draft = write(request_for(channel, seed=seed))
        attributes = draft.attributes
        script = getattr(draft, "video_script", None)

        if channel == "instagram":
            assert len(draft.headline) <= 28
            assert 5 <= len(draft.hashtags) <= 15
            if attributes.format == "carousel":
                assert 3 <= len(draft.carousel_pages) <= 5
            assert (script is not None) == (attributes.format == "video")
            if script:
                assert 4 <= len(script.scenes) <= 6
                assert 15 <= sum(s.duration_s for s in script.scenes) <= 30
        if channel == "naver_blog":
            assert 4 <= len(draft.sections) <= 7  # a long post takes four extra sections
            assert 3 <= len(draft.image_slots) <= 6
            assert 10 <= len(draft.tags) <= 20
            assert 3 <= len(draft.place_keywords) <= 8
        if channel == "youtube_shorts":
            assert 4 <= len(script.scenes) <= 8
            assert 15 <= sum(s.duration_s for s in script.scenes) <= 45
        if channel == "threads":
            assert attributes.hashtag_count <= 2
            assert (attributes.format == "image") == bool(draft.image_headline)
        if script:
            assert all(len(scene.caption) <= 24 for scene in script.scenes)


def test_templates_follow_the_format():
    expected = {"carousel": {"carousel"}, "video": {"slideshow"}, "text": {"text_only"}}
    for channel in ("instagram", "threads", "youtube_shorts"):
        for seed in range(15):
            attributes = write(request_for(channel, seed=seed)).attributes
            image_templates = {"photo_band", "gradient_headline", "brand_card", "menu_card"}
            image_templates |= {"offer_badge", "review_quote"}
            assert attributes.template in expected.get(attributes.format, image_templates)


def test_the_neighbourhood_and_industry_make_the_place_keywords():
    draft = write(request_for("naver_blog"))

    assert "연남동 카페" in draft.place_keywords
    assert "마포구 카페" in draft.place_keywords
    assert "연남동" in draft.title and "카페" in draft.title


def test_prices_are_written_the_korean_way():
    draft = write(request_for("naver_blog", seed=1))
    menu = next(s for s in draft.sections if s.heading == "메뉴 소개")

    assert "5,800원" in menu.body and "3,800원" in menu.body


# --- Same seed, same draft; another seed, other words ------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_same_seed_writes_the_same_draft(channel):
    assert write(request_for(channel, seed=7)) == write(request_for(channel, seed=7))


@pytest.mark.parametrize("channel", CHANNELS)
def test_different_seeds_write_visibly_different_text(channel):
    drafts = [write(request_for(channel, seed=seed)) for seed in range(10)]

    assert len({main_text(d, channel) for d in drafts}) >= 8
    assert len({opening_of(d) for d in drafts}) >= 5
    assert len({d.attributes.call_to_action for d in drafts}) >= 2


def test_different_seeds_vary_the_hashtags():
    drafts = [write(request_for("instagram", seed=seed)) for seed in range(10)]

    assert len({tuple(d.hashtags) for d in drafts}) >= 8


# --- Attributes are embodied -------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_emoji_density_means_no_emoji_anywhere(channel):
    for seed in range(6):
        draft = write(request_for(channel, seed=seed, guidance=guided(emoji_density="none")))

        assert draft.attributes.emoji_density == "none"
        assert not any(has_emoji(text) for text in texts_of(draft))


def test_high_emoji_density_puts_emoji_in_the_text():
    draft = write(request_for("instagram", guidance=guided(emoji_density="high")))

    assert has_emoji(draft.caption)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_question_hook_opens_with_a_question(channel):
    for seed in range(6):
        draft = write(request_for(channel, seed=seed, guidance=guided(hook_style="question")))

        assert draft.attributes.hook_style == "question"
        assert "?" in opening_of(draft)


def test_a_number_hook_opens_with_a_number():
    for seed in range(6):
        draft = write(request_for("threads", seed=seed, guidance=guided(hook_style="number")))

        assert re.search(r"\d", opening_of(draft))


def test_guidance_values_are_used_and_invalid_ones_ignored():
    guidance = guided(call_to_action="reserve", format="video", tone="shouty", template="nope")

    draft = write(request_for("instagram", guidance=guidance))

    assert draft.attributes.call_to_action == "reserve"
    assert draft.attributes.format == "video"
    assert draft.attributes.template == "slideshow"
    assert draft.attributes.tone == "friendly"


def test_a_formal_tone_writes_formal_endings_and_a_friendly_one_polite_endings():
    formal = write(request_for("threads", "fitness_education", "awareness", seed=3))
    friendly = write(request_for("threads", "food_drink", "awareness", seed=3))

    assert formal.attributes.tone == "professional"
    assert "니다" in formal.text
    assert "요" in friendly.text


def test_the_offer_sets_the_offer_type():
    assert write(request_for(goal="event_sale")).attributes.offer_type == "discount"
    assert write(request_for(goal="bring_back_regulars")).attributes.offer_type == "bundle"
    assert write(request_for(goal="new_menu")).attributes.offer_type == "new_item"
    assert write(request_for(goal="awareness")).attributes.offer_type == "none"


def test_an_event_post_carries_its_offer():
    for seed in range(5):
        draft = write(request_for("threads", goal="event_sale", seed=seed))

        assert "10% 할인" in draft.text


def test_a_nearby_occasion_is_mentioned():
    long = guided(length_bucket="long")

    pepero = write(request_for(on=dt.date(2026, 11, 8), guidance=long))
    exam = write(request_for(on=dt.date(2026, 11, 14), guidance=long))

    assert "빼빼로데이" in pepero.caption
    assert "수능" in exam.caption


def test_the_market_context_positions_the_shop_among_its_competitors():
    captions = [
        write(request_for(seed=seed, guidance=guided(length_bucket="long"))).caption
        for seed in range(4)
    ]

    assert any(
        "40곳이 넘지만" in caption or "카페가 많은 연남동" in caption for caption in captions
    )


# --- Recent openings and instructions ------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_recent_openings_are_not_repeated(channel):
    for seed in range(5):
        first = opening_of(write(request_for(channel, seed=seed)))

        again = write(request_for(channel, seed=seed, recent_openings=(first,)))

        assert opening_of(again) != first


def test_every_recent_opening_is_avoided_even_when_there_are_many():
    recent = tuple(opening_of(write(request_for("threads", seed=seed))) for seed in range(40))

    draft = write(request_for("threads", seed=3, recent_openings=recent))

    assert opening_of(draft) not in recent
    assert SPECS["threads"].check(draft) == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_shorter_instruction_writes_less_than_without(channel):
    for seed in range(5):
        usual = write(request_for(channel, seed=seed))
        shorter = write(request_for(channel, seed=seed, instruction="더 짧게"))

        assert len(main_text(shorter, channel)) < len(main_text(usual, channel))
        assert shorter.attributes.length_bucket == "short"


@pytest.mark.parametrize("channel", CHANNELS)
def test_longer_instruction_writes_more_than_without(channel):
    for seed in range(5):
        usual = write(request_for(channel, seed=seed))
        longer = write(request_for(channel, seed=seed, instruction="더 길게 써 주세요"))

        if usual.attributes.length_bucket == "long":  # already at the longest: no shorter
            assert len(main_text(longer, channel)) >= len(main_text(usual, channel))
        else:
            assert len(main_text(longer, channel)) > len(main_text(usual, channel))
        assert longer.attributes.length_bucket == "long"


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_emoji_instruction_takes_the_emoji_out(channel):
    instruction = "이모지 빼고"
    for seed in range(5):
        request = request_for(channel, seed=seed, guidance=guided(emoji_density="high"))

        draft = write(dataclasses.replace(request, instruction=instruction))

        assert draft.attributes.emoji_density == "none"
        assert not any(has_emoji(text) for text in texts_of(draft))


def test_price_instruction_puts_the_price_up_front():
    for seed in range(5):
        instagram = write(request_for("instagram", seed=seed, instruction="가격 강조"))
        threads = write(request_for("threads", seed=seed, instruction="가격 강조해 주세요"))

        assert re.search(r"\d,\d{3}원", instagram.headline)
        assert re.search(r"\d,\d{3}원", opening_of(instagram))
        assert re.search(r"\d,\d{3}원", opening_of(threads))
        assert instagram.attributes.hook_style == "number"


def test_an_unknown_instruction_is_ignored():
    usual = write(request_for("threads", seed=4))

    assert write(request_for("threads", seed=4, instruction="우주 느낌으로 ㅎㅎ")) == usual


def test_price_instruction_without_prices_is_ignored():
    request = request_for("threads", "services", seed=2)

    assert write(dataclasses.replace(request, instruction="가격 강조")) == write(request)


# --- Rewriting one field --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "field_name"),
    [
        ("instagram", "hashtags"),
        ("instagram", "caption"),
        ("instagram", "headline"),
        ("naver_blog", "title"),
        ("naver_blog", "sections"),
        ("youtube_shorts", "description"),
        ("threads", "text"),
    ],
)
def test_only_field_rewrites_that_field_and_keeps_the_rest(channel, field_name):
    previous = write(request_for(channel, seed=5))

    rewritten = write(
        request_for(channel, seed=5, previous=previous.model_dump(), only_field=field_name)
    )

    assert getattr(rewritten, field_name) != getattr(previous, field_name)
    others = set(type(previous).model_fields) - {field_name, "attributes"}
    assert {f: getattr(rewritten, f) for f in others} == {f: getattr(previous, f) for f in others}
    assert rewritten.attributes.format == previous.attributes.format
    assert SPECS[channel].check(rewritten) == []


def test_only_field_with_an_instruction_applies_it_to_that_field():
    previous = write(request_for("threads", seed=2, guidance=guided(emoji_density="high")))

    rewritten = write(
        request_for(
            "threads",
            seed=2,
            previous=previous.model_dump(),
            only_field="text",
            instruction="이모지 빼고",
        )
    )

    assert not has_emoji(rewritten.text)
    assert rewritten.attributes.emoji_density == "none"
    assert rewritten.image_headline == previous.image_headline


def test_a_broken_previous_draft_gives_a_fresh_draft():
    draft = write(request_for("threads", previous={"text": 3}, only_field="text"))

    assert SPECS["threads"].check(draft) == []


# --- Odd inputs -----------------------------------------------------------------------------------


ODD_SHOPS = {
    "unknown industry": {"industry": "space_tourism", "industry_label": "우주여행", "family": "?"},
    "nothing to sell": {"products": (), "selling_points": (), "opening_hours": ""},
    "blank selling points": {"selling_points": ("", "  ")},
    "unpriced products": {"products": (ProductInfo("오늘의 빵", None), ProductInfo(" ", 1000))},
    "very long name": {"name": "아주아주 긴 이름의 " * 20 + "카페"},
    "no area": {"area": ""},
    "braces and brackets": {"name": "{name} <카페>", "target_customers": "{target}"},
    "unknown tone and price": {"tone": "angry", "price_range": "free"},
    "sentence target": {"target_customers": "주로 오시는 분들은 근처 회사원입니다."},
}


@pytest.mark.parametrize("odd", list(ODD_SHOPS))
@pytest.mark.parametrize("channel", CHANNELS)
def test_odd_inputs_still_make_a_draft_that_passes_the_spec(channel, odd):
    for goal in GOALS:
        draft = write(request_for(channel, goal=goal, seed=1, shop=ODD_SHOPS[odd]))

        assert SPECS[channel].check(draft) == []
        assert not any(ch in "".join(texts_of(draft)) for ch in "{}")
        assert re.search("[가-힣]", main_text(draft, channel))


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_unknown_goal_and_no_season_or_occasions_still_work(channel):
    request = request_for(channel, goal="world_domination")
    request = dataclasses.replace(
        request,
        moment=Moment(request.moment.planned_for, ""),
        market=None,
        brief=Brief(goal="world_domination", offer="오늘만!" * 40),
    )

    assert SPECS[channel].check(write(request)) == []


def test_an_unknown_channel_is_a_permanent_error():
    with pytest.raises(ProviderError) as raised:
        write(request_for("myspace"))

    assert raised.value.permanent


# --- Korean grammar of the phrase banks -------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "resolved"),
    [
        ("온다커피(은)는", "온다커피는"),
        ("결 헤어(을)를", "결 헤어를"),
        ("볼륨 매직(이)에요", "볼륨 매직이에요"),
        ("라떼(이)에요", "라떼예요"),
        ("서울(으)로", "서울로"),
        ("연남동(으)로", "연남동으로"),
        ("5,800원(이)에요", "5,800원이에요"),
        ("042-123-4567(으)로", "042-123-4567로"),
        ("'새봄 세탁소'(을)를", "'새봄 세탁소'를"),
    ],
)
def test_josa_follow_the_sound_before_them(marked, resolved):
    assert korean.attach_josa(marked) == resolved


@pytest.mark.parametrize(
    ("polite", "formal"),
    [
        ("준비했어요.", "준비했습니다."),
        ("맛있어요!", "맛있습니다!"),
        ("기다릴게요.", "기다리겠습니다."),
        ("카페예요.", "카페입니다."),
        ("알 거예요.", "알 겁니다."),
        ("큰 힘이 돼요.", "큰 힘이 됩니다."),
        ("아쉬워요!", "아쉽습니다!"),
        ("안 드셔 보셨어요?", "안 드셔 보셨습니까?"),
        ("자주 떠올라요.", "자주 떠오릅니다."),
        ("들러 주세요.", "들러 주세요."),
        ("무엇인가요?", "무엇입니까?"),
        ("궁금하셨죠?", "궁금하셨습니까?"),
    ],
)
def test_formal_tones_turn_polite_endings_into_formal_ones(polite, formal):
    assert korean.formal(polite) == formal


def test_every_phrase_has_a_formal_form():
    def strings(value: object):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, tuple | list):
            for item in value:
                yield from strings(item)
        elif dataclasses.is_dataclass(value):
            for item in dataclasses.asdict(value).values():
                yield from strings(item)

    banks = [getattr(phrases, name) for name in dir(phrases) if name.isupper()]
    polite_left = {
        word
        for text in strings(banks)
        for word in re.findall(r"[가-힣]+요(?![가-힣])", korean.formal(korean.attach_josa(text)))
        if not re.search(r"(세요|까요|나요|가요|봬요|어때요)$", word)
    }

    assert polite_left == set()


def test_the_body_comes_in_more_than_one_order():
    openers = {
        write(request_for("instagram", seed=seed, guidance=guided(length_bucket="long")))
        .caption.split("\n\n")[1]
        .split("\n")[0][:6]
        for seed in range(20)
    }

    assert len(openers) >= 3


def test_a_new_menu_campaign_never_calls_an_old_product_new_when_the_brief_names_none():
    from content.providers.base import Brief, GenerationRequest, Moment, ProductInfo, ShopProfile
    from content.providers.offline import OfflineProvider

    shop = ShopProfile(
        name="카페 온기", industry="cafe", industry_label="카페", family="food_drink",
        area="서울 마포구 연남동", products=(ProductInfo("소금빵", 3800, is_signature=True),),
    )  # fmt: skip
    brief = Brief(goal="new_menu", offer="딸기 라떼 출시 기념 첫 주 500원 할인")
    texts = []
    for seed in range(40):
        for channel in ("instagram", "threads"):
            request = GenerationRequest(
                channel, shop, brief, Moment(dt.datetime(2026, 11, 24, 9), "초겨울"), seed=seed
            )
            draft = OfflineProvider().write(request).draft
            texts.append(getattr(draft, "caption", "") or getattr(draft, "text", ""))

    claims = [
        t for t in texts if "신메뉴 소금빵" in t or "드디어 선보여요" in t or "이름은 소금빵" in t
    ]
    assert claims == []
    assert any("딸기 라떼" in t for t in texts)
