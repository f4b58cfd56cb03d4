"""The canvas: where the text rules are enforced.

Every piece of text goes through ``Canvas.stack`` (or ``Canvas.pill``), which keeps it
inside the size's safe area and draws it with ``typography.place_layout``: the colour
is chosen, and a photo veiled under it, until WCAG 4.5:1 holds against the pixels that
are actually behind it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from content.creative.fonts import font
from content.creative.images.design import (
    BLACK,
    PILL,
    SCRIM,
    SIZES,
    CreativeInputs,
    Valign,
    safe_box,
)
from content.creative.photos import MAX_ENLARGEMENT, brand_pattern, cover_crop, enlargement
from content.creative.typography import (
    RGB,
    WHITE,
    Box,
    TextBox,
    TextLayout,
    TextStyle,
    drawable,
    ink_box,
    place_layout,
    readable_on,
)


@dataclass(frozen=True)
class Block:
    text: str
    style: TextStyle
    fill: RGB | None = None


@dataclass(frozen=True)
class Placement:
    """A block of text laid out and positioned, not yet drawn."""

    layout: TextLayout
    origin: tuple[int, int]
    style: TextStyle
    box_w: int
    fill: RGB | None

    @property
    def ink(self) -> Box:
        return ink_box(self.layout, self.origin, align=self.style.align, box_w=self.box_w)


def _smooth_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle (or circle) mask, drawn large and scaled down."""
    scale = 3 if max(size) < 600 else 2
    big = Image.new("L", (size[0] * scale, size[1] * scale), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, big.width - 1, big.height - 1), radius=radius * scale, fill=255
    )
    return big.resize(size, Image.Resampling.LANCZOS)


class Canvas:
    """One image being drawn, and the text boxes drawn on it."""

    def __init__(self, size: str, background: RGB, logo: Image.Image | None = None) -> None:
        self.size = size
        self.image = Image.new("RGB", SIZES[size], background)
        self.draw = ImageDraw.Draw(self.image)
        self.safe = safe_box(size)
        self.unit = min(self.width, self.height * 1.4) / 1080
        self.boxes: list[TextBox] = []
        self.mark, self.logo_box = self._logo_chip(logo)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def landscape(self) -> bool:
        return self.width > self.height * 1.2

    @property
    def tall(self) -> bool:
        return self.height > self.width * 1.5

    def px(self, value: float) -> int:
        return round(value * self.unit)

    def style(self, base: TextStyle) -> TextStyle:
        """``base`` (sized for 1080 px) scaled to this canvas."""
        return dataclasses.replace(
            base, max_size=self.px(base.max_size), min_size=self.px(base.min_size)
        )

    def within_safe(self, box: Box) -> Box:
        left, top, right, bottom = self.safe
        return max(box[0], left), max(box[1], top), min(box[2], right), min(box[3], bottom)

    def plan(
        self, blocks: Iterable[Block], box: Box, *, gap: int = 24, valign: Valign = "top"
    ) -> list[Placement]:
        """Blocks of text one under another inside ``box`` (clamped to the safe area),
        shrunk together until they fit: laid out and positioned, not drawn yet."""
        shown = [b for b in blocks if drawable(b.text, b.style.weight)]
        left, top, right, bottom = self.clear_of_logo(self.within_safe(box))
        if not shown or right <= left or bottom <= top:
            return []
        styles = [self.style(b.style) for b in shown]
        layouts = _fit_stack(shown, styles, right - left, bottom - top, self.px(gap))
        total = sum(layout.height for layout in layouts) + self.px(gap) * (len(layouts) - 1)
        y = {"top": top, "center": top + (bottom - top - total) // 2, "bottom": bottom - total}
        cursor, placements = y[valign], []
        for block, style, layout in zip(shown, styles, layouts, strict=True):
            placements.append(Placement(layout, (left, cursor), style, right - left, block.fill))
            cursor += layout.height + self.px(gap)
        return placements

    def draw_all(self, placements: list[Placement], *, keep_fill: bool = False) -> Box | None:
        """Draw planned text; returns the box its ink covers."""
        drawn = [
            self.place(p.layout, p.origin, p.style, p.box_w, p.fill, keep_fill) for p in placements
        ]
        return union(text.box for text in drawn) if drawn else None

    def stack(
        self,
        blocks: Iterable[Block],
        box: Box,
        *,
        gap: int = 24,
        valign: Valign = "top",
        keep_fill: bool = False,
    ) -> Box | None:
        """``plan`` then ``draw_all``: returns the box the text's ink covers."""
        return self.draw_all(self.plan(blocks, box, gap=gap, valign=valign), keep_fill=keep_fill)

    def text(
        self,
        text: str,
        box: Box,
        style: TextStyle,
        *,
        fill: RGB | None = None,
        valign: Valign = "top",
    ) -> Box | None:
        return self.stack([Block(text, style, fill)], box, valign=valign)

    def place(
        self,
        layout: TextLayout,
        origin: tuple[int, int],
        style: TextStyle,
        box_w: int | None,
        fill: RGB | None,
        keep_fill: bool = False,
    ) -> TextBox:
        placed = place_layout(
            self.image,
            layout,
            origin,
            align=style.align,
            box_w=box_w,
            fill=fill,
            keep_fill=keep_fill,
        )
        self.boxes.append(placed)
        return placed

    def pill(
        self,
        text: str,
        at: tuple[int, int],
        colour: RGB,
        *,
        anchor: str = "left",
        base: TextStyle = PILL,
    ) -> Box | None:
        """A rounded label (price, call to action) with its top edge at ``at``; kept in
        the safe area. Every pill has the same height, so pills in a row line up."""
        if not drawable(text, base.weight):
            return None
        style, height = self.style(base), self.pill_height(base)
        pad_x = round(style.max_size * 0.85)
        layout = style.fit(text, self.safe[2] - self.safe[0] - 2 * pad_x, height)
        cap_top, cap_bottom = _hangul_extent(layout)
        width = layout.width + 2 * pad_x
        x = at[0] - {"left": 0, "center": width // 2, "right": width}[anchor]
        x = max(self.safe[0], min(x, self.safe[2] - width))
        y = max(self.safe[1], min(at[1], self.safe[3] - height))
        self.shape((x, y, x + width, y + height), colour, radius=height // 2)
        baseline_y = y + (height - (cap_bottom - cap_top)) // 2 - cap_top
        self.place(layout, (x + pad_x, baseline_y), style, None, readable_on(colour))
        return x, y, x + width, y + height

    def pill_height(self, base: TextStyle = PILL) -> int:
        size = self.px(base.max_size)
        _, cap_top, _, cap_bottom = font(size, base.weight).getbbox("가")
        return int(cap_bottom - cap_top) + 2 * round(size * 0.55)

    # --- Shapes and photos ----------------------------------------------------------

    def fill(self, box: Box, colour: RGB) -> None:
        self.draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=colour)

    def shape(self, box: Box, colour: RGB, *, radius: int) -> None:
        """A filled rounded rectangle (a circle when square and ``radius`` is half its side)."""
        self.image.paste(colour, box, _smooth_mask((box[2] - box[0], box[3] - box[1]), radius))

    def shadow(self, box: Box, *, radius: int, depth: int) -> None:
        """A soft shadow under a card or photo frame."""
        spread = depth * 2
        outer = (box[0] - spread, box[1] - spread + depth, box[2] + spread, box[3] + spread + depth)
        mask = Image.new("L", (outer[2] - outer[0], outer[3] - outer[1]), 0)
        inner = (spread, spread, mask.width - spread, mask.height - spread)
        ImageDraw.Draw(mask).rounded_rectangle(inner, radius=radius, fill=70)
        self.image.paste(BLACK, outer, mask.filter(ImageFilter.GaussianBlur(depth)))

    def photo(
        self, inputs: CreativeInputs, box: Box, stand_in: tuple[RGB, RGB], index: int = 0
    ) -> Image.Image:
        """The shop's photo cropped to ``box``, or a brand pattern when it has none."""
        size = (box[2] - box[0], box[3] - box[1])
        usable = [photo for photo in inputs.photos if enlargement(photo, size) <= MAX_ENLARGEMENT]
        if usable:
            return cover_crop(usable[index % len(usable)], size)
        return brand_pattern(size, *stand_in)

    def framed(
        self, picture: Image.Image, box: Box, *, radius: int, border: RGB | None = None
    ) -> None:
        """``picture`` in a rounded frame with a soft shadow (and a border when given)."""
        self.shadow(box, radius=radius, depth=self.px(14))
        if border is not None:
            self.shape(box, border, radius=radius)
            inset = self.px(10)
            box = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
            radius = max(1, radius - inset)
            picture = picture.crop((inset, inset, picture.width - inset, picture.height - inset))
        self.image.paste(picture, box[:2], _smooth_mask(picture.size, radius))

    def scrim(
        self, box: Box, *, toward: Literal["bottom", "left"], fade: int, strength: float
    ) -> None:
        """A dark gradient over a photo: clear at the far edge of ``box``, rising over
        ``fade`` pixels to ``strength`` and staying there up to the ``toward`` edge."""
        width, height = box[2] - box[0], box[3] - box[1]
        length = width if toward == "left" else height
        rise = np.clip(np.arange(length, dtype=np.float32) / max(1, fade), 0, 1)
        ramp = rise * rise * (3 - 2 * rise) * strength * 255  # smoothstep: no visible edge
        if toward == "left":
            ramp = ramp[::-1]
        alpha = np.broadcast_to(
            ramp[None, :] if toward == "left" else ramp[:, None], (height, width)
        )
        self.image.paste(SCRIM, box, Image.fromarray(np.ascontiguousarray(alpha, dtype=np.uint8)))

    def _logo_chip(self, logo: Image.Image | None) -> tuple[Image.Image | None, Box | None]:
        """The logo scaled for a white chip in the top-right corner of the safe area
        (kept free of text from the start), and the chip's box."""
        if logo is None:
            return None, None
        height = self.px(88)
        mark = logo.convert("RGBA")
        mark.thumbnail((round(height * 2.2), round(height * 0.7)), Image.Resampling.LANCZOS)
        width = max(height, mark.width + round(height * 0.3))  # a square logo gets a round chip
        return mark, (self.safe[2] - width, self.safe[1], self.safe[2], self.safe[1] + height)

    def clear_of_logo(self, box: Box) -> Box:
        """``box`` moved below (or, when that leaves more room, left of) the logo chip."""
        chip = self.logo_box
        if chip is None or box[2] <= chip[0] or box[3] <= chip[1] or box[1] >= chip[3]:
            return box
        beside = chip[0] - self.px(24) - box[0]
        if beside >= 0.6 * (box[2] - box[0]):
            return box[0], box[1], box[0] + beside, box[3]
        return box[0], max(box[1], chip[3] + self.px(24)), box[2], box[3]

    def finish(self) -> None:
        """Last touches drawn over everything: the logo chip."""
        if self.mark is None or self.logo_box is None:
            return
        self.shape(self.logo_box, WHITE, radius=(self.logo_box[3] - self.logo_box[1]) // 2)
        width = self.logo_box[2] - self.logo_box[0]
        height = self.logo_box[3] - self.logo_box[1]
        at = (
            self.logo_box[0] + (width - self.mark.width) // 2,
            self.logo_box[1] + (height - self.mark.height) // 2,
        )
        self.image.paste(self.mark, at, self.mark)


def _fit_stack(
    blocks: list[Block], styles: list[TextStyle], width: int, height: int, gap: int
) -> list[TextLayout]:
    """Every block at the largest common scale that fits; if none does, each block is
    given its share of the height and ends in an ellipsis where it must."""
    spare = height - gap * (len(blocks) - 1)
    for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6):
        layouts = [
            dataclasses.replace(s, max_size=max(s.min_size, round(s.max_size * scale))).fit(
                b.text, width, height
            )
            for b, s in zip(blocks, styles, strict=True)
        ]
        if sum(layout.height for layout in layouts) <= spare:
            return layouts
    total = sum(layout.height for layout in layouts)
    return [
        s.fit(b.text, width, spare * layout.height // total)
        for b, s, layout in zip(blocks, styles, layouts, strict=True)
    ]


def _hangul_extent(layout: TextLayout) -> tuple[int, int]:
    """Top and bottom of a Hangul syllable's ink in this layout's font: what a pill
    centres on, whatever its text, so a price and a call to action share a baseline."""
    _, top, _, bottom = layout.font.getbbox("가")
    return int(top), int(bottom)


def union(boxes: Iterable[Box]) -> Box:
    left, top, right, bottom = zip(*boxes, strict=True)
    return min(left), min(top), max(right), max(bottom)
