"""Korean text in boxes: line breaks between words (never inside one), balanced
lines, the largest size that fits, and an ellipsis only when even the smallest
size does not fit. Emoji and anything else the font would draw as tofu are removed.
Lines follow Korean kinsoku: closing punctuation never starts a line and opening
brackets never end one.

Readability lives here too: ``place_layout`` measures what is actually behind a text
block, picks the text colour, and veils the background until the WCAG contrast
ratio reaches 4.5:1 (the image templates and video captions both draw through it).

Contract used by the image templates and the video renderer:
    fit_text(text, box_w, box_h, *, weight, max_size, min_size, max_lines) -> TextLayout
    draw_text(draw, layout, origin, *, fill, align) -> None
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from content.creative.fonts import Weight, font

# Pictographs, dingbats, variation selectors, ZWJ, flags: not in NanumGothic.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f1e6-\U0001f1ff]"
)
# Kinsoku: these never begin a line (closing marks) / never end one (opening marks).
NO_LINE_START = frozenset(",.!?)]}>:;%…·、。，．！？）」』】〉》”’~")
NO_LINE_END = frozenset("([{<「『【〈《（“‘")
_SENTENCE_END = frozenset(".!?…。！？")
_CLAUSE_END = frozenset(",·、，:;")
# What an ellipsis should not follow: "맛있어요,…" reads as a typo.
_TRAILING = " ,.·:;-–—"
# A line under 40 % of the longest reads as a widow: a slightly smaller size may avoid it,
# but never below 86 % of the size that first fitted.
_RAGGED = 0.4
_WIDOW_SEARCH = 0.86
_NOTDEF_PROBE = "\U0010fffd"  # a private-use code point no Hangul font maps
Align = Literal["left", "center", "right"]


def strip_emoji(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", _EMOJI.sub("", text)).strip()


@cache
def _notdef_mask(weight: Weight) -> bytes:
    return bytes(font(48, weight).getmask(_NOTDEF_PROBE))


@cache
def has_glyph(char: str, weight: Weight = "bold") -> bool:
    """Whether the font draws ``char`` as itself rather than as the .notdef box."""
    if char.isspace():
        return True
    return bytes(font(48, weight).getmask(char)) != _notdef_mask(weight)


def drawable(text: str, weight: Weight = "bold") -> str:
    """``text`` without emoji and without characters the font would show as tofu."""
    kept = "".join(char for char in strip_emoji(text) if has_glyph(char, weight))
    return re.sub(r"[ \t]{2,}", " ", kept).strip()


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


@lru_cache(maxsize=65_536)
def _width(text: str, face: ImageFont.FreeTypeFont) -> int:
    return int(face.getlength(text))


def _units(paragraph: str) -> list[str]:
    """Words, with closing punctuation glued to the word before and opening to the next."""
    units: list[str] = []
    glue_next = False
    for word in paragraph.split():
        if units and (glue_next or word[0] in NO_LINE_START):
            units[-1] = f"{units[-1]} {word}"
        else:
            units.append(word)
        glue_next = word[-1] in NO_LINE_END
    return units


def wrap_words(text: str, face: ImageFont.FreeTypeFont, box_w: int) -> list[str] | None:
    """Greedy word wrap; None when a single word is wider than the box."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            if _width(unit, face) > box_w:
                return None
            candidate = f"{line} {unit}".strip()
            if _width(candidate, face) <= box_w:
                line = candidate
            else:
                lines.append(line)
                line = unit
        lines.append(line)
    return [line for line in lines if line] or [""]


def balance(lines: list[str], face: ImageFont.FreeTypeFont, box_w: int) -> list[str]:
    """Same number of lines, but as even in width as possible (no short last line).

    For a fixed number of lines the total width is fixed, so the breaks with the least
    sum of squared line widths are the most even ones (a small dynamic programme). A
    line that ends a sentence or a clause earns a bonus: Korean reads best broken there.
    """
    units, target = _units(" ".join(lines)), len(lines)
    if target < 2 or len(units) < target:
        return lines
    space, prefix = _width(" ", face), [0]
    for unit in units:
        prefix.append(prefix[-1] + _width(unit, face))

    def width(start: int, end: int) -> int:  # summed, not shaped: checked exactly below
        return prefix[end] - prefix[start] + space * (end - start - 1)

    average = width(0, len(units)) / target
    infinity = float("inf")
    cost = [[infinity] * (target + 1) for _ in range(len(units) + 1)]
    cut = [[0] * (target + 1) for _ in range(len(units) + 1)]
    cost[0][0] = 0
    for count in range(1, target + 1):
        for end in range(count, len(units) + 1):
            for start in range(end - 1, count - 2, -1):
                if width(start, end) > box_w:
                    break  # earlier starts only make the line wider
                line_cost = width(start, end) ** 2 - _break_bonus(units[end - 1], average)
                candidate = cost[start][count - 1] + line_cost
                if candidate < cost[end][count]:
                    cost[end][count], cut[end][count] = candidate, start
    if cost[len(units)][target] == infinity:
        return lines
    balanced: list[str] = []
    end = len(units)
    for count in range(target, 0, -1):
        balanced.insert(0, " ".join(units[cut[end][count] : end]))
        end = cut[end][count]
    return balanced if all(_width(line, face) <= box_w for line in balanced) else lines


def _break_bonus(last_unit: str, average: float) -> float:
    """How much evenness a break after ``last_unit`` may cost: more after a sentence."""
    if last_unit[-1] in _SENTENCE_END:
        return (0.5 * average) ** 2
    if last_unit[-1] in _CLAUSE_END:
        return (0.3 * average) ** 2
    return 0.0


def _balanced_lines(
    text: str, face: ImageFont.FreeTypeFont, box_w: int, max_lines: int
) -> list[str] | None:
    """Lines for ``text`` at this face, each paragraph balanced on its own (explicit
    line breaks stay); None when a word is too wide or there would be too many lines."""
    paragraphs = [wrap_words(paragraph, face, box_w) for paragraph in text.split("\n")]
    if any(lines is None for lines in paragraphs):
        return None
    if sum(len(lines) for lines in paragraphs if lines) > max_lines:
        return None  # decided by the cheap greedy wrap, before any balancing
    lines = [line for wrapped in paragraphs for line in balance(wrapped or [], face, box_w)]
    return [line for line in lines if line] or [""]


def _ellipsize(
    lines: list[str], face: ImageFont.FreeTypeFont, box_w: int, max_lines: int
) -> list[str]:
    kept = lines[:max_lines]
    last = kept[-1].rstrip(_TRAILING)
    while last and _width(last + "…", face) > box_w:
        last = last[:-1].rstrip(_TRAILING)
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
    text = drawable(text, weight)
    sizes = list(range(max_size, min_size - 1, -2))

    def attempt(size: int) -> TextLayout | None:
        face, line_height = font(size, weight), int(size * line_spacing)
        lines = _balanced_lines(text, face, box_w, max_lines)
        if lines is None or len(lines) * line_height > box_h:
            return None
        return _layout(lines, face, size, line_height)

    fitted = _largest_fitting(sizes, attempt)
    if fitted is not None:
        index, first = fitted
        if not _ragged(first):
            return first
        for size in sizes[index + 1 :]:
            if size < first.size * _WIDOW_SEARCH:
                break  # a widow beats a headline that shrank too much
            smaller = attempt(size)
            if smaller is not None and not _ragged(smaller):
                return smaller
        return first
    face = font(min_size, weight)
    line_height = int(min_size * line_spacing)
    room = max(1, min(max_lines, box_h // line_height))
    lines = wrap_words(text, face, box_w) or _by_characters(text, face, box_w)
    if len(lines) > room:
        lines = _ellipsize(lines, face, box_w, room)
    return _layout(lines, face, min_size, line_height)


def _largest_fitting(
    sizes: list[int], attempt: Callable[[int], TextLayout | None]
) -> tuple[int, TextLayout] | None:
    """Bisection over the sizes (largest first): whether text fits only gets easier as
    the size goes down, so a handful of attempts find the largest that fits."""
    low, high, found = 0, len(sizes) - 1, None
    while low <= high:
        middle = (low + high) // 2
        layout = attempt(sizes[middle])
        if layout is not None:
            found, high = (middle, layout), middle - 1
        else:
            low = middle + 1
    return found


def _ragged(layout: TextLayout) -> bool:
    widths = [_width(line, layout.font) for line in layout.lines]
    return len(widths) > 1 and min(widths) < _RAGGED * max(widths)


def _by_characters(text: str, face: ImageFont.FreeTypeFont, box_w: int) -> list[str]:
    """Last resort for one enormous word: break between characters, kinsoku kept."""
    lines, line = [], ""
    for char in text:
        if line and _width(line + char, face) > box_w:
            carried = ""
            if char in NO_LINE_START and len(line) > 1:
                line, carried = line[:-1], line[-1]  # the mark takes its word along
            lines.append(line.rstrip())
            line = (carried + char).lstrip()
        else:
            line += char
    return [*lines, line]


def _layout(
    lines: list[str], face: ImageFont.FreeTypeFont, size: int, line_height: int
) -> TextLayout:
    width = max((_width(line, face) for line in lines), default=0)
    return TextLayout(tuple(lines), face, size, line_height, width, line_height * len(lines))


def line_offset(line: str, layout: TextLayout, align: Align, box_w: int | None) -> int:
    """How far right of the block's origin ``line`` starts for this alignment."""
    if box_w is None or align == "left":
        return 0
    if align == "right":  # flush with the ink, not the advance: no glyph overhangs the box
        return box_w - int(layout.font.getbbox(line)[2]) if line else box_w
    return (box_w - _width(line, layout.font)) // 2


def draw_text(
    draw: ImageDraw.ImageDraw,
    layout: TextLayout,
    origin: tuple[int, int],
    *,
    fill: int | tuple[int, ...] | str,  # an int on a one-band mask
    align: Align = "left",
    box_w: int | None = None,
) -> None:
    x, y = origin
    for index, line in enumerate(layout.lines):
        offset = line_offset(line, layout, align, box_w)
        draw.text((x + offset, y + index * layout.line_height), line, font=layout.font, fill=fill)


# --- Readability: text colour and background measured where the text lands ----------

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1
WHITE: RGB = (255, 255, 255)
INK: RGB = (28, 25, 23)  # warm near-black: softer than #000, still 16:1 on white
MIN_CONTRAST = 4.5  # WCAG AA for normal-size text
# One specular highlight must not black out a whole caption: judge the background by
# its brightest (or darkest) 5 %, not its single most extreme pixel.
BACKGROUND_PERCENTILE = 95
_VEIL_STEP = 0.22  # each pass moves the background this far toward black (or white)
_VEIL_PASSES = 12
_LINEAR = [
    ((c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4) for c in range(256)
]


def relative_luminance(colour: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    red, green, blue = (_LINEAR[channel] for channel in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(first: RGB, second: RGB, amount: float) -> RGB:
    """``amount`` of the way from ``first`` to ``second``."""
    red, green, blue = (round(a + (b - a) * amount) for a, b in zip(first, second, strict=True))
    return red, green, blue


def readable_on(background: RGB) -> RGB:
    """White or near-black, whichever stands out more on ``background``."""
    on_white = contrast_ratio(WHITE, background)
    return WHITE if on_white >= contrast_ratio(INK, background) else INK


@dataclass(frozen=True)
class TextBox:
    """A block of text as drawn: its ink box, colour, and the worst background behind it."""

    box: Box
    fg: RGB
    bg_sample: RGB
    text: str

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.fg, self.bg_sample)


@dataclass(frozen=True)
class TextStyle:
    """How one kind of text (headline, price, footer…) is set; sizes in pixels."""

    weight: Weight = "bold"
    max_size: int = 96
    min_size: int = 24
    max_lines: int = 3
    line_spacing: float = 1.25
    align: Align = "left"

    def fit(self, text: str, box_w: int, box_h: int) -> TextLayout:
        return fit_text(
            text,
            box_w,
            box_h,
            weight=self.weight,
            max_size=self.max_size,
            min_size=min(self.min_size, self.max_size),
            max_lines=self.max_lines,
            line_spacing=self.line_spacing,
        )


def background_extremes(image: Image.Image, box: Box) -> tuple[RGB, RGB]:
    """The dark and light ends of what is behind ``box`` (5th / 95th luminance percentile)."""
    pixels = np.asarray(image.crop(box).convert("RGB"))[::2, ::2].reshape(-1, 3)
    luminance = _LINEAR_TABLE[pixels] @ _LUMA_WEIGHTS
    low = int(len(luminance) * (100 - BACKGROUND_PERCENTILE) / 100)
    high = min(len(luminance) - 1, int(len(luminance) * BACKGROUND_PERCENTILE / 100))
    order = np.argpartition(luminance, (low, high))
    dark, light = pixels[order[low]], pixels[order[high]]
    return (int(dark[0]), int(dark[1]), int(dark[2])), (int(light[0]), int(light[1]), int(light[2]))


_LINEAR_TABLE = np.array(_LINEAR)
_LUMA_WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def _worst(colour: RGB, backgrounds: tuple[RGB, RGB]) -> RGB:
    return min(backgrounds, key=lambda background: contrast_ratio(colour, background))


def _text_colour(fill: RGB | None, keep_fill: bool, backgrounds: tuple[RGB, RGB]) -> RGB:
    if fill is not None and (
        keep_fill or contrast_ratio(fill, _worst(fill, backgrounds)) >= MIN_CONTRAST
    ):
        return fill
    return max((WHITE, INK), key=lambda colour: contrast_ratio(colour, _worst(colour, backgrounds)))


def _grow(box: Box, by: int, limit: tuple[int, int] | None = None) -> Box:
    """``box`` grown by ``by`` on every side, kept inside an image of size ``limit``."""
    grown = (box[0] - by, box[1] - by, box[2] + by, box[3] + by)
    if limit is None:
        return grown
    return max(0, grown[0]), max(0, grown[1]), min(limit[0], grown[2]), min(limit[1], grown[3])


def _veil(image: Image.Image, box: Box, toward: RGB) -> None:
    """Move what is behind ``box`` a step toward ``toward``, with soft edges (a local scrim)."""
    feather = max(6, (box[3] - box[1]) // 5)
    outer = _grow(box, feather, image.size)
    inner = (box[0] - outer[0], box[1] - outer[1], box[2] - outer[0], box[3] - outer[1])
    mask = Image.new("L", (outer[2] - outer[0], outer[3] - outer[1]), 0)
    shape = _grow(inner, feather // 2)  # full strength over the box itself, soft outside it
    ImageDraw.Draw(mask).rounded_rectangle(shape, radius=feather, fill=round(255 * _VEIL_STEP))
    region = image.crop(outer)
    region.paste(toward, (0, 0, *region.size), mask.filter(ImageFilter.GaussianBlur(feather / 4)))
    image.paste(region, outer[:2])


def readable_colour(
    image: Image.Image, box: Box, *, fill: RGB | None = None, keep_fill: bool = False
) -> tuple[RGB, RGB]:
    """The text colour for ``box`` and the worst background it must stand out from.

    ``fill`` is the preferred colour; a preferred colour that fails 4.5:1 gives way to
    white or near-black, unless ``keep_fill`` (text over photos keeps its colour and the
    photo is veiled under the text, a step at a time, until the ratio holds).
    """
    for _ in range(_VEIL_PASSES):
        backgrounds = background_extremes(image, box)
        colour = _text_colour(fill, keep_fill, backgrounds)
        worst = _worst(colour, backgrounds)
        if contrast_ratio(colour, worst) >= MIN_CONTRAST:
            return colour, worst
        lighter = relative_luminance(colour) > relative_luminance(worst)
        _veil(image, box, (0, 0, 0) if lighter else WHITE)
    # Twelve veils leave under 5 % of the photo; a solid block is the proof of last resort.
    image.paste((0, 0, 0) if lighter else WHITE, box)
    return colour, _worst(colour, background_extremes(image, box))


def ink_box(
    layout: TextLayout, origin: tuple[int, int], *, align: Align = "left", box_w: int | None = None
) -> Box:
    """Where the glyphs of ``layout`` will land when drawn at ``origin``."""
    x, y = origin
    lefts, rights = [], []
    for line in layout.lines:
        offset = x + line_offset(line, layout, align, box_w)
        left, _, right, _ = layout.font.getbbox(line)
        lefts.append(offset + left)
        rights.append(offset + right)
    top = y + layout.font.getbbox(layout.lines[0])[1]
    bottom = (
        y + (len(layout.lines) - 1) * layout.line_height + layout.font.getbbox(layout.lines[-1])[3]
    )
    return min(lefts), top, max(rights), bottom  # type: ignore[return-value]  # Pillow types getbbox as float; FreeType gives ints


def behind(glyphs: Box, layout: TextLayout, limit: tuple[int, int]) -> Box:
    """The background a text block is judged against: its ink box and a little margin."""
    return _grow(glyphs, max(4, layout.size // 5), limit)


def reads(image: Image.Image, area: Box, colour: RGB) -> bool:
    """Whether ``colour`` text reaches 4.5:1 against what ``image`` shows in ``area``."""
    return contrast_ratio(colour, _worst(colour, background_extremes(image, area))) >= MIN_CONTRAST


def place_layout(
    image: Image.Image,
    layout: TextLayout,
    origin: tuple[int, int],
    *,
    align: Align = "left",
    box_w: int | None = None,
    fill: RGB | None = None,
    keep_fill: bool = False,
) -> TextBox:
    """Draw ``layout`` so that it reads: colour chosen and background veiled as needed."""
    glyphs = ink_box(layout, origin, align=align, box_w=box_w)
    area = behind(glyphs, layout, image.size)
    colour, worst = readable_colour(image, area, fill=fill, keep_fill=keep_fill)
    draw_text(ImageDraw.Draw(image), layout, origin, fill=colour, align=align, box_w=box_w)
    return TextBox(glyphs, colour, worst, "\n".join(layout.lines))
