import datetime as dt

from content.providers.base import Brief, GenerationRequest, Moment, ShopProfile
from content.providers.offline import OfflineProvider
from content.specs import (
    SPECS,
    normalize_hashtags,
    threads_length,
    trim_to_sentences,
)


def _draft(channel: str):
    shop = ShopProfile(
        name="카페 온기",
        industry="cafe",
        industry_label="카페",
        family="food_drink",
        area="서울 마포구 연남동",
    )
    moment = Moment(dt.datetime(2026, 11, 24, 19), "초겨울")
    request = GenerationRequest(channel, shop, Brief(goal="awareness"), moment, seed=7)
    return OfflineProvider().write(request).draft


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    assert threads_length("가나다") == 3
    assert threads_length("😀") == 4
    assert threads_length("❤️") == 6  # heart (3 bytes) + variation selector (3 bytes)


def test_threads_counts_every_part_of_an_emoji_sequence_as_its_utf8_bytes():
    family = "👩\u200d👩\u200d👧"  # three pictographs joined by two zero-width joiners
    assert threads_length(family) == len(family.encode("utf-8")) == 18
    assert threads_length("🇰🇷") == 8  # two regional indicators
    assert threads_length("👍🏽") == 8  # a pictograph and its skin tone
    assert threads_length("1️⃣") == 1 + 3 + 3  # the digit, the selector, the keycap
    assert threads_length("가🍰 ☕⏰") == 1 + 4 + 1 + 3 + 3


def test_threads_counts_symbols_that_are_not_emoji_as_one_character():
    assert threads_length("☆°※✓") == 4
    assert threads_length("𠀀") == 1  # a rare hanja beyond the emoji planes


def test_a_trim_keeps_whole_sentences():
    text = "첫 문장입니다. 두 번째 문장이에요! 세 번째는 길어서 잘립니다."

    assert trim_to_sentences(text, lambda t: len(t) <= 30) == "첫 문장입니다. 두 번째 문장이에요!"


def test_a_single_overlong_sentence_falls_back_to_whole_words_with_an_ellipsis():
    trimmed = trim_to_sentences("아주 긴 한 문장이 끝없이 이어지는 경우", lambda t: len(t) <= 12)

    assert trimmed == "아주 긴 한 문장이…"


def test_hashtags_are_normalised_deduplicated_and_capped():
    assert normalize_hashtags(["연남동 카페", "#연남동카페", "##소금빵!", "x"], 2) == [
        "#연남동카페",
        "#소금빵",
    ]


def test_an_overlong_scene_caption_is_a_problem_that_repair_fixes():
    spec = SPECS["youtube_shorts"]
    draft = _draft("youtube_shorts")
    draft.video_script.scenes[
        0
    ].caption = "매일 아침 직접 굽는 버터 가득한 소금빵을 꼭 드셔 보세요 정말로"

    assert [p.field for p in spec.check(draft)] == ["video_script"]
    repaired = spec.repair(draft)
    assert spec.check(repaired) == []
    assert len(repaired.video_script.scenes[0].caption) <= 24
