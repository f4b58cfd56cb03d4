"""Grammar the gate repairs by itself: particles after names, numbers and units, markers
a template left unresolved, the spacing of units, and the register of sentence endings.

Each check takes one field's text and gives back the repaired text with a finding for
every change (or an error where no deterministic repair exists).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from content.korean import (
    FORMAL_TONES,
    FORMS,
    NONE,
    OTHER,
    UNRESOLVED_MARKER,
    Sound,
    attach_josa,
    final_of,
    formal,
    number_sound,
    spoken_sound,
)
from content.quality.base import ERROR, REPAIRED, WARNING, Finding

# --- Unresolved markers --------------------------------------------------------------------


def fix_markers(path: str, text: str) -> tuple[str, list[Finding]]:
    """(으)로, 을(를)… resolved by the word before them; a marker with no word before it is
    an error."""
    if not UNRESOLVED_MARKER.search(text):
        return text, []
    findings = []
    fixed = attach_josa(text)
    for before, after in _changed_words(text, fixed):
        findings.append(
            Finding(
                "marker",
                path,
                before,
                after,
                REPAIRED,
                f"조사 표시를 풀었습니다: {before} → {after}",
            )
        )
    for match in UNRESOLVED_MARKER.finditer(fixed):
        findings.append(
            Finding(
                "marker",
                path,
                match.group(0),
                "",
                ERROR,
                f"조사 표시가 글에 그대로 남았습니다: {match.group(0)}",
            )
        )
    return fixed, findings


def _changed_words(before: str, after: str) -> list[tuple[str, str]]:
    """Word pairs that differ between two texts of the same word count."""
    return [(a, b) for a, b in zip(before.split(), after.split(), strict=False) if a != b]


# --- Particles after names, numbers and units --------------------------------------------

# Units and counters read after a number (longest first, so 개월 wins over 개).
HANGUL_UNITS = [
    "인분",
    "개월",
    "시간",
    "주년",
    "가지",
    "그릇",
    "접시",
    "조각",
    "송이",
    "박스",
    "퍼센트",
    "킬로",
    "그램",
    "미터",
    "센티",
    "세트",
    "마리",
    "켤레",
    "명",
    "개",
    "잔",
    "분",
    "시",
    "초",
    "일",
    "주",
    "달",
    "년",
    "월",
    "층",
    "호",
    "등",
    "위",
    "회",
    "번",
    "곳",
    "병",
    "판",
    "장",
    "권",
    "벌",
    "인",
    "종",
    "팩",
    "봉",
    "알",
    "캔",
    "컵",
    "세",
    "살",
    "대",
    "점",
    "배",
    "차",
    "만",
    "천",
    "백",
    "억",
    "원",
    "프로",
]
# Units written in Latin letters or symbols, and the end of how each is read.
SYMBOL_UNITS = {
    "kg": OTHER,  # 킬로그램
    "mg": OTHER,
    "g": OTHER,
    "ml": NONE,  # 밀리리터
    "mL": NONE,
    "L": NONE,
    "km": NONE,  # 킬로미터
    "cm": NONE,
    "mm": NONE,
    "m": NONE,
    "%": NONE,  # 퍼센트
    "℃": NONE,  # 도
    "°C": NONE,
}
_UNIT = "|".join(
    re.escape(u) for u in sorted([*HANGUL_UNITS, *SYMBOL_UNITS], key=len, reverse=True)
)
_NUMBER = r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?:\s?[만천백억](?=[\s\d원]))*(?:\s?\d[\d,]*)?"
_FORM = "|".join(sorted(FORMS, key=len, reverse=True))
# A particle may carry 도, 는, 만 or 의 after it (으로도, 과의); then the word ends.
_TAIL = r"(?:도|는|만|의|부터)?(?![가-힣])"
_AFTER_NUMBER = re.compile(
    rf"(?P<anchor>{_NUMBER}(?:\s?(?P<unit>{_UNIT}))?)(?P<form>{_FORM}){_TAIL}"
)
# A price in number words: 만 원으로, 오천 원이에요.
_AFTER_WORD_NUMBER = re.compile(
    rf"(?P<anchor>(?<![가-힣])(?:[일이삼사오육칠팔구]?[십백천만])+\s?(?P<unit>원))(?P<form>{_FORM}){_TAIL}"
)
_AFTER_LATIN = re.compile(rf"(?P<anchor>(?<![\w])[A-Za-z][A-Za-z'&.\-]*)(?P<form>{_FORM}){_TAIL}")


def _number_anchor_sound(match: re.Match[str]) -> Sound:
    unit = match.group("unit")
    if unit in SYMBOL_UNITS:
        return Sound(SYMBOL_UNITS[unit])
    if unit:
        return Sound(final_of(unit[-1]) or NONE)
    return number_sound(re.sub(r"\D*$", "", match.group("anchor")).split()[-1])


@functools.lru_cache(maxsize=256)  # one shop's names, for each of its pieces
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The shop's and its products' names, each followed by a particle."""
    kept = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not kept:
        return None
    alternatives = "|".join(re.escape(n) for n in kept)
    return re.compile(rf"(?P<anchor>(?<![가-힣])(?:{alternatives}))(?P<form>{_FORM}){_TAIL}")


# The copula after any Hangul word ending in a consonant is 이에요, never 예요 (빵예요 →
# 빵이에요). The other slips need to know where the word ends (사이예요, 여기에요 are right),
# so they are checked after names and numbers only.
_COPULA = re.compile(r"(?P<anchor>[가-힣])예요(?![가-힣])")


def _copula(path: str, text: str, findings: list[Finding]) -> str:
    def agree(match: re.Match[str]) -> str:
        anchor = match.group("anchor")
        if not final_of(anchor):
            return match.group(0)
        return _particle_fixed(path, f"{anchor}예요", f"{anchor}이에요", findings)

    return _COPULA.sub(agree, text)


def _particle_fixed(path: str, before: str, after: str, findings: list[Finding]) -> str:
    message = f"조사를 앞말에 맞게 고쳤습니다: {before} → {after}"
    findings.append(Finding("particle", path, before, after, REPAIRED, message))
    return after


def fix_particles(path: str, text: str, names: tuple[str, ...]) -> tuple[str, list[Finding]]:
    """Particles that disagree with the sound before them, repaired: 12,500원로 → 12,500원으로."""
    patterns: list[tuple[re.Pattern[str], Any]] = [
        (_AFTER_NUMBER, _number_anchor_sound),
        (_AFTER_WORD_NUMBER, _number_anchor_sound),
        (_AFTER_LATIN, lambda m: spoken_sound(m.group("anchor"))),
    ]
    by_name = _names_pattern(names)
    if by_name is not None:
        patterns.append((by_name, lambda m: spoken_sound(m.group("anchor"))))
    findings: list[Finding] = []
    for pattern, sound_of in patterns:
        if not pattern.search(text):
            continue

        def agree(match: re.Match[str], sound_of: Any = sound_of) -> str:
            sound: Sound = sound_of(match)
            form = match.group("form")
            particle = FORMS[form]
            if not sound.sure or particle.agrees(form, sound):
                return match.group(0)
            right = particle.form_for(sound)
            anchor = match.group("anchor")
            before = match.group(0)
            return _particle_fixed(
                path, before, anchor + right + before[len(anchor) + len(form) :], findings
            )

        text = pattern.sub(agree, text)
    return _copula(path, text, findings), findings


# --- Spacing of units ----------------------------------------------------------------------

# 표준어 규정 (한글 맞춤법 제43항): a unit after a number word is written apart (한 개, 세 잔);
# after Arabic numerals it may be written apart or together (3개, 3 개).
_NATIVE = "한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|몇"
_COUNTERS = "개|잔|명|분|시간|가지|병|판|장|권|벌|마리|그릇|접시|조각|송이|군데|달|살|켤레|번"
# What may follow a unit in the same word: a particle, or nothing.
_PARTICLE_AFTER = (
    rf"(?=(?:{_FORM}|에서|에게|에|의|도|만|부터|까지|씩|째|짜리|이서|대|께|권|어치)?{_TAIL})"
)
_NATIVE_COUNT = re.compile(rf"(?<![가-힣])({_NATIVE})({_COUNTERS}){_PARTICLE_AFTER}")
_MAN_WON = re.compile(
    rf"(?<![가-힣])(\d[\d,]*|[일이삼사오육칠팔구십백]*)(만|천)원{_PARTICLE_AFTER}"
)
_SPACED_UNIT = re.compile(rf"\d (?:{_COUNTERS}|원)(?![가-힣])")
_ATTACHED_UNIT = re.compile(rf"\d(?:{_COUNTERS}|원)(?![가-힣])")


def fix_spacing(path: str, text: str) -> tuple[str, list[Finding]]:
    """한개 → 한 개, 만원 → 만 원: a unit after a number word stands apart."""
    findings: list[Finding] = []

    def apart(match: re.Match[str]) -> str:
        before = match.group(0)
        if match.re is _NATIVE_COUNT:
            following = text[match.end() : match.end() + 1]
            if before == "한잔" and following and following in "하해할했":
                return before  # 한잔하다: to have a drink
            if before == "한번":
                return before  # 한번 드셔 보세요: the adverb
            after = f"{match.group(1)} {match.group(2)}"
        else:
            after = f"{match.group(1) or ''}{match.group(2)} 원"
        findings.append(
            Finding(
                "spacing", path, before, after, REPAIRED, f"단위는 띄어 씁니다: {before} → {after}"
            )
        )
        return after

    text = _NATIVE_COUNT.sub(apart, text)
    text = _MAN_WON.sub(apart, text)
    return text, findings


def spacing_warnings(fields: list[tuple[str, str]]) -> list[Finding]:
    """Numbers and units written both together and apart in one piece (3개 and 3 개)."""
    text = "\n".join(value for _, value in fields)
    spaced, attached = _SPACED_UNIT.findall(text), _ATTACHED_UNIT.findall(text)
    if not (spaced and attached):
        return []
    return [
        Finding(
            "spacing",
            "",
            f"{attached[0]} / {spaced[0]}",
            "",
            WARNING,
            "숫자와 단위를 붙여 쓴 곳과 띄어 쓴 곳이 섞여 있습니다. 한 가지로 맞추면 깔끔합니다.",
        )
    ]


# --- Register --------------------------------------------------------------------------------

HAEYO, HAPSYO = "해요체", "합쇼체"


def register_for_tone(tone: str) -> str:
    return HAPSYO if tone in FORMAL_TONES else HAEYO


# Set phrases said in 합쇼체 even in a 해요체 post.
_SET_PHRASES = {"감사합니다", "고맙습니다", "환영합니다", "축하합니다", "반갑습니다", "사랑합니다"}
_QUOTED = re.compile(r"[\"“”'‘’「『][^\"“”'‘’」』]*[\"“”'‘’」』]")
_CLAUSE = re.compile(r"[^.!?…~\n]+[.!?…~]*")
_LAST_WORD = re.compile(r"([가-힣]+)[^가-힣]*$")


_NOUNS_IN_YO = ("필요", "중요", "주요", "수요", "요요", "개요", "강요")


def register_of(word: str) -> str:
    """해요체, 합쇼체 or "" (a noun phrase, -세요 and -까요, which both registers use)."""
    if word.endswith(_NOUNS_IN_YO):
        return ""
    if word.endswith(("니다", "니까", "시오")):
        return "" if word in _SET_PHRASES else HAPSYO
    if (word.endswith("요") and not word.endswith(("세요", "까요"))) or word.endswith("죠"):
        return HAEYO
    return ""


def fix_register(path: str, text: str, wanted: str) -> tuple[str, list[Finding]]:
    """Sentence endings turned to the wanted register; an ending with no known turn is an
    error (quotations are left as spoken)."""
    findings: list[Finding] = []
    out: list[str] = []
    for clause in _CLAUSE.findall(text):
        if clause.lstrip().startswith(("·", "-", "•", "#")):  # a list item, not a sentence
            out.append(clause)
            continue
        match = _LAST_WORD.search(_QUOTED.sub("", clause))
        word = match.group(1) if match else ""
        found = register_of(word) if word else ""
        if not found or found == wanted:
            out.append(clause)
            continue
        at = clause.rfind(word)
        if wanted == HAPSYO:
            asks = clause[at + len(word) : at + len(word) + 1] == "?"
            by_rule = word.endswith(("에요", "예요"))  # 겁니다, 입니다
            if word.endswith("게요"):  # 만들게요 → 만들겠습니다, 드릴게요 → 드리겠습니다
                turned = _conjugated(word, "습니다", tense="겠")
            else:
                turned = "" if by_rule else _conjugated(word, "습니까" if asks else "습니다")
            if not turned or turned == word:
                turned = formal(word + ("?" if asks else "")).rstrip("?")
        else:
            turned = _to_polite(word, clause[:at])
        if turned and turned != word:
            out.append(clause[:at] + turned + clause[at + len(word) :])
            findings.append(
                Finding(
                    "register",
                    path,
                    word,
                    turned,
                    REPAIRED,
                    f"말투를 {wanted}로 맞췄습니다: {word} → {turned}",
                )
            )
        else:
            out.append(clause)
            findings.append(
                Finding(
                    "register",
                    path,
                    word,
                    "",
                    ERROR,
                    f"이 글은 {wanted}로 써야 하는데 {found} 끝맺음이 있습니다: {word}",
                )
            )
    return _rejoin(text, out), findings


def _rejoin(text: str, clauses: list[str]) -> str:
    """The text with its clauses replaced, keeping the newlines between them."""
    result, at = [], 0
    for original, new in zip(_CLAUSE.findall(text), clauses, strict=True):
        start = text.find(original, at)
        result.append(text[at:start] + new)
        at = start + len(original)
    return "".join(result) + text[at:]


@functools.cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def _conjugated(word: str, ending: str, *, tense: str = "") -> str:
    """``word`` with its sentence ending swapped for ``ending``, conjugated from its last
    verb or adjective stem by Kiwi (the words before the stem stay as written); "" when
    the word has no such ending."""
    kiwi = _kiwi()
    tokens = kiwi.tokenize(word)
    morphemes = [(t.form, t.tag) for t in tokens]
    if not morphemes or morphemes[-1][1] != "EF":
        return ""
    head = morphemes[:-1]
    stems = [i for i, (_, tag) in enumerate(head) if tag.startswith(("V", "XS"))]
    if not stems:
        return ""
    at = stems[-1]
    tail = [*head[at:], *([(tense, "EP")] if tense else []), (ending, "EF")]
    return word[: tokens[at].start] + kiwi.join(tail)


def _to_polite(word: str, before: str) -> str:
    """합쇼체 → 해요체 for one word: 맛있습니다 → 맛있어요, 만듭니다 → 만들어요,
    입니다 → 이에요/예요, 오십시오 → 오세요. "" when unknown."""
    if word.endswith(
        ("입니다", "입니까")
    ):  # the copula: 이에요 after a consonant, 예요 after a vowel
        stem = word[:-3]
        sound = spoken_sound(stem or before)
        return stem + ("이에요" if sound.consonant or not sound.sure else "예요")
    if word.endswith("아닙니다"):
        return word[:-4] + "아니에요"
    if word.endswith(("십니다", "십니까")):  # 좋아하십니까 → 좋아하세요, 있으십니다 → 있으세요
        return word[:-3] + "세요"
    if word.endswith(("십시오", "으십시오")):
        return word.removesuffix("으십시오").removesuffix("십시오") + (
            "으세요" if word.endswith("으십시오") else "세요"
        )
    return _conjugated(word, "어요")
