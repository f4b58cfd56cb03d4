"""Korean grammar shared by the offline writer and the quality gate: how a word ends when
read aloud (Hangul, numbers, units, English names), the particle that agrees with it,
and the two polite registers (해요체 and 합쇼체).

A particle after a word depends on the final consonant of the word *as spoken*: 12,500원
ends in ㄴ (원), 3 is read 삼 (ㅁ), 10 is 십, 1,000 is 천, 2 is 이 (no final), and
"Bakery" is 베이커리. The writer's templates mark a particle after a slot (``(은)는``,
``(을)를``, ``(으)로``) and ``attach_josa`` resolves it once the slot is filled; the gate
uses the same reading to check and repair particles in text from any writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3
NONE, RIEUL, BIEUP, OTHER = 0, 8, 17, 1  # final consonant indices (OTHER: any but ㄹ)
_QUOTES = "'\"’”)]」』 "


def final_of(syllable: str) -> int | None:
    """The final consonant index of a Hangul syllable (0 = none), None for other characters."""
    code = ord(syllable)
    return (code - _SYLLABLE_FIRST) % 28 if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST else None


def with_final(syllable: str, final: int) -> str:
    code = ord(syllable)
    return chr(code - (code - _SYLLABLE_FIRST) % 28 + final)


# --- How a word ends when read aloud ------------------------------------------------------

# Sino-Korean digits: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINAL = {"0": OTHER, "1": RIEUL, "2": NONE, "3": OTHER, "4": NONE, "5": NONE}
_DIGIT_FINAL.update({"6": OTHER, "7": RIEUL, "8": RIEUL, "9": NONE})
# 십 백 천, then 만 억 조 경 for each group of four zeros.
_PLACE_FINAL = {1: OTHER, 2: OTHER, 3: OTHER}
_GROUP_FINAL = {4: OTHER, 8: OTHER, 12: NONE, 16: OTHER}
# Letters read by name: 엘 엠 엔 알 end in a consonant, the others in a vowel.
_LETTER_FINAL = {"l": RIEUL, "r": RIEUL, "m": OTHER, "n": OTHER}
# Symbols read as words: % 퍼센트, ℃ 도, + 플러스, & 앤.
_SYMBOL_FINAL = {"%": NONE, "℃": NONE, "°": NONE, "+": NONE, "&": OTHER}


@dataclass(frozen=True)
class Sound:
    """How a word ends when read aloud; ``sure`` is False where readings differ."""

    final: int
    sure: bool = True

    @property
    def consonant(self) -> bool:
        return self.final != NONE


def number_sound(digits: str) -> Sound:
    """The ending of a number read in Sino-Korean: 3 삼, 10 십, 1,000 천, 10,000 만, 1.5 일 점 오."""
    digits = digits.replace(",", "")
    if "." in digits:
        return Sound(_DIGIT_FINAL[digits.rstrip(".")[-1]])
    stripped = digits.lstrip("0")
    if not stripped:
        return Sound(OTHER)  # 영
    zeros = len(stripped) - len(stripped.rstrip("0"))
    if zeros == 0:
        return Sound(_DIGIT_FINAL[stripped[-1]])
    if zeros % 4:
        return Sound(_PLACE_FINAL[zeros % 4])
    return Sound(_GROUP_FINAL.get(zeros, OTHER))


def _english_sound(word: str) -> Sound:
    """The ending of an English word as Koreans borrow it; not sure where usage differs."""
    lower = word.lower()
    if word.isupper() and not re.search("[AEIOU]", word):  # read by letter: KTX, BBQ, SNS
        return Sound(_LETTER_FINAL.get(lower[-1], NONE))
    if word.isupper() and len(word) <= 3:  # POP 팝 or DIY 디아이와이: either
        return Sound(_LETTER_FINAL.get(lower[-1], NONE), sure=False)
    if lower.endswith(("ng", "m", "n", "me", "ne")):  # 킹 룸 런 홈 라인
        return Sound(OTHER)
    if lower.endswith(("l", "le")):  # 호텔 테이블
        return Sound(RIEUL)
    if lower.endswith(("er", "ar", "or", "ur", "ir", "re", "a", "e", "i", "o", "u", "y", "w")):
        return Sound(NONE)  # 베이커 바 카페 스시 (r is silent)
    if lower.endswith("b"):  # 랩 클럽 펍
        return Sound(OTHER)
    if lower.endswith(("ck", "k", "p")) and not lower.endswith(("ke", "pe")):
        return Sound(OTHER, sure=lower.endswith(("ck", "ook", "op", "up", "ip")))  # 북 숍
    if lower.endswith(("d", "s", "x", "z", "f", "v", "g", "h", "se", "ge", "ce", "te", "de")):
        return Sound(NONE)  # 브레드 박스 (read with a closing 으)
    return Sound(NONE, sure=False)  # t: 컷 or 트


def spoken_sound(word: str) -> Sound:
    """How ``word`` ends when read aloud, from its last character that is read."""
    text = word.rstrip(_QUOTES)
    if word.rstrip().endswith(")") and "(" in text:  # 된장찌개 (1인분)를: the word before counts
        return spoken_sound(text[: text.rindex("(")])
    if not text:
        return Sound(NONE, sure=False)
    last = text[-1]
    final = final_of(last)
    if final is not None:
        return Sound(final)
    if last.isdigit():
        digits = re.search(r"[\d,.]*\d$", text)
        return number_sound(digits.group(0).lstrip(",.") if digits else last)
    if last in _SYMBOL_FINAL:
        return Sound(_SYMBOL_FINAL[last])
    if last.isascii() and last.isalpha():
        letters = re.search(r"[A-Za-z]+$", text)
        return _english_sound(letters.group(0) if letters else last)
    return Sound(NONE, sure=False)


# --- Particles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Particle:
    """One particle's two forms; ``optional_i`` where a vowel may take either form (나/이나)."""

    after_consonant: str
    after_vowel: str
    optional_i: bool = False

    def form_for(self, sound: Sound) -> str:
        if self.after_consonant.startswith("으"):  # 으로: ㄹ takes 로 like a vowel
            return self.after_consonant if sound.final not in (NONE, RIEUL) else self.after_vowel
        return self.after_consonant if sound.consonant else self.after_vowel

    def agrees(self, form: str, sound: Sound) -> bool:
        expected = self.form_for(sound)
        return form == expected or (self.optional_i and not sound.consonant)


# The particles and endings whose form follows the word before them, most specific first.
PARTICLES: tuple[Particle, ...] = (
    Particle("이에요", "예요"),
    Particle("이었어요", "였어요", optional_i=True),
    Particle("이었습니다", "였습니다", optional_i=True),
    Particle("이라서", "라서", optional_i=True),
    Particle("이라고", "라고", optional_i=True),
    Particle("이라면", "라면", optional_i=True),
    Particle("이라도", "라도", optional_i=True),
    Particle("이지만", "지만", optional_i=True),
    Particle("이니까", "니까", optional_i=True),
    Particle("이네요", "네요", optional_i=True),
    Particle("으로부터", "로부터"),
    Particle("으로서", "로서"),
    Particle("으로써", "로써"),
    Particle("으로", "로"),
    Particle("이랑", "랑", optional_i=True),
    Particle("이나", "나", optional_i=True),
    Particle("이든", "든", optional_i=True),
    Particle("이죠", "죠", optional_i=True),
    Particle("이야", "야"),
    Particle("은", "는"),
    Particle("을", "를"),
    Particle("과", "와"),
    Particle("이", "가"),
)
FORMS: dict[str, Particle] = {}
for _particle in PARTICLES:
    FORMS.setdefault(_particle.after_consonant, _particle)
    FORMS.setdefault(_particle.after_vowel, _particle)
# Misspellings of the copula, right after neither: 10시에요 → 10시예요, 원이예요 → 원이에요.
FORMS["에요"] = FORMS["이예요"] = FORMS["이에요"]

# Marked particles a template leaves for ``attach_josa``: (은)는, (을)를, (으)로, (이)에요…
_MARKER = re.compile(r"\((은|을|과|으|이)\)(는|를|와|로|가|에요|라서|나|랑|라|야)")
# Markers written the other way round, which no reader should ever see: 을(를), 이(가)…
_REVERSED_MARKER = re.compile(r"(은|을|과|이|으로)\((는|를|와|가|로)\)")
# Both particles written with a slash: 을/를, 는/은, 이/가, (으)로/로…
_SLASHED_MARKER = re.compile(
    r"(?<=[\w)%'\"’”])(은|는|을|를|과|와|이|가|으로|로)/(은|는|을|를|과|와|이|가|으로|로)(?![가-힣])"
)
_SLASHED = {"은": "(은)는", "는": "(은)는", "을": "(을)를", "를": "(을)를", "과": "(과)와"}
_SLASHED.update({"와": "(과)와", "이": "(이)가", "가": "(이)가", "으로": "(으)로", "로": "(으)로"})
UNRESOLVED_MARKER = re.compile(
    r"\((?:은|는|을|를|과|와|이|가|으|으로|로)\)|(?<=[\w)%])(?:은|는|을|를|과|와|이|가|으로|로)/"
    r"(?:은|는|을|를|과|와|이|가|으로|로)(?![가-힣])"
)


def _slashed(match: re.Match[str]) -> str:
    first, second = _SLASHED[match.group(1)], _SLASHED[match.group(2)]
    return first if first == second else match.group(0)


def _marker(match: re.Match[str]) -> str:
    """The form of a marked particle that agrees with the sound before it, from the same
    table the gate checks with; (이)라 and the like, which it does not list, take 이 after a
    consonant."""
    sound = spoken_sound(match.string[: match.start()])
    ending = match.group(2)
    particle = FORMS.get(ending)
    if particle is not None:
        return particle.form_for(sound)
    return f"이{ending}" if sound.consonant else ending


def attach_josa(text: str) -> str:
    """Resolves ``(은)는``-style markers (and ``을(를)``-style ones) by the sound before them."""
    text = _REVERSED_MARKER.sub(lambda m: f"({m.group(1)[0]}){m.group(2)}", text)
    text = _SLASHED_MARKER.sub(_slashed, text)
    return _MARKER.sub(_marker, text)


# --- Registers -----------------------------------------------------------------------------

FORMAL_TONES = ("professional", "premium")  # the tones written in 합쇼체; the rest in 해요체

_CONTRACTED = {
    "해": "합",
    "돼": "됩",
    "와": "옵",
    "봐": "봅",
    "줘": "줍",
    "져": "집",
    "려": "립",
    "내": "냅",
    "여": "입",
}
_POLITE_ENDING = re.compile(r"([가-힣]+)요(?![가-힣])")
_SOFT_QUESTION = re.compile(r"([가-힣]+?)(나요|가요|죠)(?![가-힣])")


def _formal_question(match: re.Match[str]) -> str:
    """계셨나요 → 계셨습니까, 무엇인가요 → 무엇입니까, 궁금하셨죠 → 궁금하셨습니까."""
    stem, ending = match.group(1), match.group(2)
    last = stem[-1]
    asks = match.string[match.end() : match.end() + 1] == "?"
    if ending == "가요":  # -ㄴ가요: the ㄴ sits on the stem's last syllable (인가요, 신가요)
        if final_of(last) != 4:
            return match.group(0)
        last = with_final(last, 0)
        stem = stem[:-1] + last
    tail = "니다" if ending == "죠" and not asks else "니까"
    final = final_of(last)
    if final is None:
        return match.group(0)
    if final in (0, RIEUL):  # 가나요 → 갑니까, 만드나요 → 만듭니까
        return stem[:-1] + with_final(last, BIEUP) + tail
    return stem + "습" + tail


def _formal_word(stem: str) -> str | None:
    """습니다체 for a 해요체 word without its final 요; None when it has no such form."""
    last, before = stem[-1], stem[-2] if len(stem) > 1 else ""
    head = stem[:-2]
    if stem.endswith("어때"):
        return stem[:-2] + "어떻습니다"
    if stem.endswith("거예"):
        return stem[:-2] + "겁니다"
    if stem.endswith("아니에"):
        return stem[:-3] + "아닙니다"
    if stem.endswith(("이에", "예")):
        return stem[: -2 if stem.endswith("이에") else -1] + "입니다"
    if last == "게" and before and final_of(before) == RIEUL:
        return head + with_final(before, 0) + "겠습니다"
    if last in "어아" and before and final_of(before):
        if final_of(before) == RIEUL:
            return head + with_final(before, BIEUP) + "니다"
        return head + before + "습니다"
    if last in "라러" and before and final_of(before) == RIEUL:  # 르 verbs: 떠올라요 -> 떠오릅니다
        return head + with_final(before, 0) + "릅니다"
    if last == "워" and before and final_of(before) == 0:
        return head + with_final(before, BIEUP) + "습니다"
    if last in _CONTRACTED:
        return stem[:-1] + _CONTRACTED[last] + "니다"
    return None


def _formal(match: re.Match[str]) -> str:
    word = _formal_word(match.group(1))
    if word is None:
        return match.group(0)
    asks = match.string[match.end() : match.end() + 1] == "?"
    return word[:-1] + "까" if asks else word


def formal(text: str) -> str:
    """해요체 endings (있어요, 해요, 드릴게요, 이에요, 계셨나요, 인가요…) in 습니다체;
    -세요, -까요 stay."""
    return _POLITE_ENDING.sub(_formal, _SOFT_QUESTION.sub(_formal_question, text))


def won(price: int) -> str:
    """12800 -> "12,800원"."""
    return f"{price:,}원"
