"""Style: ad-speak kept under a limit, 번역투 flagged, emoji as many as the piece says.

The lists are maintained here. A cliché has a limit per piece (0: never) and a repair:
words that can simply go ("최고의 ") are dropped or swapped for plainer words; a cliché that
is a whole sentence's point ("놓치지 마세요") takes its sentence out when the field has others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.quality.base import ERROR, REPAIRED, WARNING, Finding
from content.quality.text import emoji_in, remove_sentence, sentences, without_last_emoji


@dataclass(frozen=True)
class Cliche:
    pattern: str  # a regular expression
    limit: int  # occurrences a piece may keep
    replacement: str | None  # None: the sentence goes


CLICHES: tuple[Cliche, ...] = (
    Cliche(r"최고의 ", 1, ""),
    Cliche(r"완벽한 경험", 0, "좋은 시간"),
    Cliche(r"완벽한 ", 0, ""),
    Cliche(r"특별한 경험", 1, "특별한 시간"),
    Cliche(r"잊지 못할 ", 0, ""),
    Cliche(r"역대급 ", 0, ""),
    Cliche(r"오감(?: )?만족", 0, None),
    Cliche(r"눈과 입이 (?:모두 )?즐거운 ", 0, ""),
    Cliche(r"남녀노소 누구나", 0, "누구나"),
    Cliche(r"강력 추천", 0, "추천"),
    Cliche(r"정말 정말 ", 0, "정말 "),
    Cliche(r"너무너무 ", 0, "정말 "),
    Cliche(r"놓치지 마(?:세요|십시오)", 1, None),
    Cliche(r"서두르(?:세요|십시오)", 0, None),
    Cliche(r"지금 바로 ", 1, "지금 "),
    Cliche(r"단언컨대 ", 0, ""),
    Cliche(r"감히 말씀드리", 0, None),
    # English ad-speak where plain Korean says it (the adjective forms, so a particle after
    # the word never has to change).
    Cliche(r"(?<![가-힣])스페셜한", 0, "특별한"),
    Cliche(r"(?<![가-힣])유니크한", 0, "독특한"),
    Cliche(r"(?<![가-힣])럭셔리한", 0, "고급스러운"),
    Cliche(r"(?<![가-힣])트렌디한", 0, "감각적인"),
    Cliche(r"(?<![가-힣])핫한", 0, "요즘 인기 있는"),
)

# 번역투: flagged for the writer and counted; two have a safe repair (double passives).
TRANSLATIONESE: tuple[tuple[str, str | None], ...] = (
    (r"되어진", "된"),
    (r"되어질", "될"),
    (r"되어지", "되"),
    (r"보여진", "보인"),
    (r"보여질", "보일"),
    (r"보여지", "보이"),
    (r"잊혀진", "잊힌"),
    (r"잊혀지", "잊히"),
    (r"에 있어서", None),
    (r"[을를] 가지고 있", None),
    (r"에 의해(?:서)? ", None),
    (r"하는 것이 가능", None),
    (r"(?<![가-힣])당신", None),
    (r"에게 있어", None),
    (r"가장 [가-힣]+ [가-힣]+ 중(?:의)? 하나", None),
    (r"[을를] 즐기세요", None),
    (r"(?<![가-힣])퀄리티", None),  # 품질, 완성도
    (r"(?<![가-힣])비주얼", None),  # 모양, 보기
)


def fix_cliches(fields: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[Finding]]:
    """Clichés beyond their limit repaired, counted over the whole piece."""
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    result = []
    for path, text in fields:
        for cliche in CLICHES:
            text = _limit(path, text, cliche, counts, findings)
        result.append((path, text))
    return result, findings


def _limit(
    path: str, text: str, cliche: Cliche, counts: dict[str, int], findings: list[Finding]
) -> str:
    """Occurrences past the limit (counted over the piece) repaired, the first ones kept."""
    over: list[str] = []

    def keep_or_swap(match: re.Match[str]) -> str:
        counts[cliche.pattern] = counts.get(cliche.pattern, 0) + 1
        if counts[cliche.pattern] <= cliche.limit:
            return match.group(0)
        over.append(match.group(0))
        if cliche.replacement is None:
            return match.group(0)
        words = match.group(0).strip()
        findings.append(
            Finding(
                "cliche",
                path,
                words,
                cliche.replacement.strip(),
                REPAIRED,
                f"상투적인 문구를 줄였습니다: {words}",
            )
        )
        return cliche.replacement

    text = re.sub(cliche.pattern, keep_or_swap, text)
    if cliche.replacement is not None:
        return text
    for words in over:  # a cliché that is its sentence's point: the sentence goes
        sentence = next((s for s in sentences(text) if words in s), "")
        if sentence and len(sentences(text)) > 1:
            text = remove_sentence(text, sentence)
            findings.append(
                Finding(
                    "cliche",
                    path,
                    sentence,
                    "",
                    REPAIRED,
                    f"상투적인 문장을 뺐습니다: {words.strip()}",
                )
            )
        else:
            findings.append(
                Finding(
                    "cliche",
                    path,
                    words.strip(),
                    "",
                    ERROR,
                    f"상투적인 광고 문구를 빼 주세요: {words.strip()}",
                )
            )
    return text


def fix_translationese(path: str, text: str) -> tuple[str, list[Finding]]:
    findings = []
    for pattern, replacement in TRANSLATIONESE:
        for match in list(re.finditer(pattern, text)):
            words = match.group(0).strip()
            if replacement is None:
                findings.append(
                    Finding(
                        "translationese", path, words, "", WARNING, f"번역투·외래어 표현: {words}"
                    )
                )
                continue
            fixed = re.sub(pattern, replacement, words)
            findings.append(
                Finding(
                    "translationese",
                    path,
                    words,
                    fixed,
                    REPAIRED,
                    f"번역투를 고쳤습니다: {words} → {fixed}",
                )
            )
        if replacement is not None:
            text = re.sub(pattern, replacement, text)
    return text, findings


# --- Emoji ---------------------------------------------------------------------------------

# How many emoji a whole piece carries at each density (the prompts and the offline writer:
# none at all; one or two; one on the first line and two or three more; five or six more).
EMOJI_RANGES = {"none": (0, 0), "low": (1, 3), "medium": (2, 6), "high": (4, 99)}


def emoji_count(fields: list[tuple[str, str]]) -> int:
    return sum(len(emoji_in(text)) for _, text in fields)


def fix_emoji(
    fields: list[tuple[str, str]], density: str
) -> tuple[list[tuple[str, str]], str, list[Finding]]:
    """Too many emoji for the density: the last ones go. Too few: the density attribute is
    set to what the text has, so results are credited to what readers saw."""
    low, high = EMOJI_RANGES.get(density, (0, 99))
    count = emoji_count(fields)
    if count > high:
        kept, result = high, []
        for path, text in fields:
            here = len(emoji_in(text))
            result.append((path, without_last_emoji(text, max(0, kept)) if here > kept else text))
            kept = max(0, kept - here)
        return (
            result,
            density,
            [
                Finding(
                    "emoji",
                    "",
                    f"{count}개",
                    f"{high}개",
                    REPAIRED,
                    f"이모지 설정({density})보다 많아 {count - high}개를 뺐습니다.",
                )
            ],
        )
    if count < low:
        measured = next(d for d, (lo, hi) in EMOJI_RANGES.items() if lo <= count <= hi)
        return (
            fields,
            measured,
            [
                Finding(
                    "emoji",
                    "attributes.emoji_density",
                    density,
                    measured,
                    REPAIRED,
                    f"이모지가 {count}개뿐이라 이모지 설정을 실제에 맞췄습니다: {density} → {measured}",
                )
            ],
        )
    return fields, density, []
