"""Korean text in boxes: line breaks between words (never inside one), balanced
lines, the largest size that fits, and an ellipsis only when even the smallest
size does not fit. Emoji the font cannot draw are removed rather than shown as tofu.

Contract used by the image templates and the video renderer:
    fit_text(text, box_w, box_h, *, weight, max_size, min_size, max_lines) -> TextLayout
    draw_text(draw, layout, origin, *, fill, align) -> None
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from PIL import ImageDraw, ImageFont

from content.creative.fonts import Weight, font

# Pictographs, dingbats, variation selectors, ZWJ, flags: not in NanumGothic.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f1e6-\U0001f1ff]"
)


def strip_emoji(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", _EMOJI.sub("", text)).strip()


@dataclass(frozen=True)
class TextLayout:
    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont
    size: int
    line_height: int
    width: int  # of the widest line
    height: int  # of the block

    @property
    def truncated(self) -> bool:
        return bool(self.lines) and self.lines[-1].endswith("…")


def _width(text: str, face: ImageFont.FreeTypeFont) -> int:
    return int(face.getlength(text))


def wrap_words(text: str, face: ImageFont.FreeTypeFont, box_w: int) -> list[str] | None:
    """Greedy word wrap; None when a single word is wider than the box."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if _width(word, face) > box_w:
                return None
            candidate = f"{line} {word}".strip()
            if _width(candidate, face) <= box_w:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return [line for line in lines if line] or [""]


def balance(lines: list[str], face: ImageFont.FreeTypeFont, box_w: int) -> list[str]:
    """Same number of lines, but as even in width as possible (no short last line)."""
    if len(lines) < 2:
        return lines
    words = " ".join(lines).split()
    target = len(lines)
    low, high = max(_width(w, face) for w in words), box_w
    best = lines
    while low <= high:  # the narrowest width that still needs no more lines
        mid = (low + high) // 2
        wrapped = wrap_words(" ".join(words), face, mid)
        if wrapped is not None and len(wrapped) <= target:
            best, high = wrapped, mid - 1
        else:
            low = mid + 1
    return best


def _ellipsize(
    lines: list[str], face: ImageFont.FreeTypeFont, box_w: int, max_lines: int
) -> list[str]:
    kept = lines[:max_lines]
    last = kept[-1]
    while last and _width(last + "…", face) > box_w:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept


def fit_text(
    text: str,
    box_w: int,
    box_h: int,
    *,
    weight: Weight = "bold",
    max_size: int = 96,
    min_size: int = 24,
    max_lines: int = 3,
    line_spacing: float = 1.25,
) -> TextLayout:
    """The largest size at which ``text`` fits the box in at most ``max_lines`` lines;
    at ``min_size`` it is cut to ``max_lines`` with an ellipsis (never overflows)."""
    text = strip_emoji(text)
    for size in range(max_size, min_size - 1, -2):
        face = font(size, weight)
        line_height = int(size * line_spacing)
        lines = wrap_words(text, face, box_w)
        if lines is None or len(lines) > max_lines or len(lines) * line_height > box_h:
            continue
        lines = balance(lines, face, box_w)
        return _layout(lines, face, size, line_height)
    face = font(min_size, weight)
    line_height = int(min_size * line_spacing)
    room = max(1, min(max_lines, box_h // line_height))
    lines = wrap_words(text, face, box_w) or _by_characters(text, face, box_w)
    if len(lines) > room:
        lines = _ellipsize(lines, face, box_w, room)
    return _layout(lines, face, min_size, line_height)


def _by_characters(text: str, face: ImageFont.FreeTypeFont, box_w: int) -> list[str]:
    """Last resort for one enormous word: break between characters."""
    lines, line = [], ""
    for char in text:
        if _width(line + char, face) > box_w:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line]


def _layout(
    lines: list[str], face: ImageFont.FreeTypeFont, size: int, line_height: int
) -> TextLayout:
    width = max((_width(line, face) for line in lines), default=0)
    return TextLayout(tuple(lines), face, size, line_height, width, line_height * len(lines))


def draw_text(
    draw: ImageDraw.ImageDraw,
    layout: TextLayout,
    origin: tuple[int, int],
    *,
    fill: tuple[int, ...] | str,
    align: Literal["left", "center"] = "left",
    box_w: int | None = None,
) -> None:
    x, y = origin
    for index, line in enumerate(layout.lines):
        offset = 0
        if align == "center" and box_w is not None:
            offset = (box_w - _width(line, layout.font)) // 2
        draw.text((x + offset, y + index * layout.line_height), line, font=layout.font, fill=fill)
