"""Reading a draft as the gate sees it: its text fields by dotted path, their sentences,
the emoji in them, and a key that tells two sentences apart only by their words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from content.specs.base import PICTOGRAPHS

# Lists of words, not prose; and numbers.
NOT_TEXT = {"attributes", "hashtags", "tags", "place_keywords", "duration_s"}
# Where the writing is: what readers read as sentences (titles, headlines, on-screen and
# image captions and carousel cards are lines).
PROSE = re.compile(
    r"^(?:caption|text|description|intro|closing|sections\.\d+\.body"
    r"|video_script\.scenes\.\d+\.narration)$"
)

_SENTENCE_END = re.compile(r"(?<=[.!?…~])\s+|\n+")
_NOT_WORDS = re.compile(r"[^가-힣A-Za-z0-9]")
_PICTOGRAPH = f"[{PICTOGRAPHS}]"
# One emoji: a pictograph, its variation selector, and what a zero-width joiner adds to it.
EMOJI = re.compile(f"{_PICTOGRAPH}\ufe0f?(?:\u200d{_PICTOGRAPH}\ufe0f?)*")
_BULLETS = ("·", "-", "•", "▶", "✔", "#", "📍", "☎", "⏰", "📞")


def text_fields(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every text field of a draft's data, nested ones as "sections.1.body"."""
    for name, value in data.items():
        if name in NOT_TEXT:
            continue
        path = f"{prefix}{name}"
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            yield from text_fields(value, f"{path}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from text_fields(item, f"{path}.{index}.")


def set_field(data: dict[str, Any], path: str, value: str) -> None:
    """Write ``value`` at a dotted path of a draft's data."""
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value


def is_prose(path: str) -> bool:
    return bool(PROSE.match(path))


def sentences(text: str) -> list[str]:
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece.strip()]


# A sentence shorter than this is a formula ("지금 들러 주세요.", "따뜻한 하루 되세요."), not
# writing: pieces may share it.
MIN_SYLLABLES = 10


def sentence_key(sentence: str) -> str:
    """The sentence's words only (no emoji, spaces or punctuation); "" for a short line or a
    list item, which may repeat (a menu line, the address)."""
    if sentence.lstrip().startswith(_BULLETS):
        return ""
    key = _NOT_WORDS.sub("", sentence)
    return key if len(re.findall(r"[가-힣]", key)) >= MIN_SYLLABLES else ""


def remove_sentence(text: str, sentence: str) -> str:
    """``text`` without one occurrence of ``sentence``, its lines and spacing kept tidy."""
    start = text.find(sentence)
    if start < 0:
        return text
    end = start + len(sentence)
    while end < len(text) and text[end] == " ":
        end += 1
    text = text[:start] + text[end:]
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def emoji_in(text: str) -> list[re.Match[str]]:
    """Each emoji in ``text`` (a sequence joined by ZWJ or a variation selector counts once)."""
    return list(EMOJI.finditer(text))


def without_last_emoji(text: str, keep: int) -> str:
    """``text`` keeping only its first ``keep`` emoji."""
    for match in reversed(emoji_in(text)[keep:]):
        text = text[: match.start()].rstrip(" ") + text[match.end() :]
    return re.sub(r" {2,}", " ", text).strip()
