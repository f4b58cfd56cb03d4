"""Post images: sizes and safe areas, the canvas that enforces the text rules, the
template designs, and JPEG output.

Every piece of text goes through ``Canvas.stack`` (or ``Canvas.pill``), which keeps it
inside the size's safe area and draws it with ``typography.place_layout``: the colour
is chosen, and a photo veiled under it, until WCAG 4.5:1 holds against the pixels that
are actually behind it. The rules therefore hold for every template by construction;
``render(..., report=True)`` hands back the evidence (one ``TextBox`` per block).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, overload

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from content.creative.fonts import font
from content.creative.photos import brand_pattern, cover_crop, encode_jpeg
from content.creative.typography import (
    INK,
    MIN_CONTRAST,
    RGB,
    WHITE,
    Box,
    TextBox,
    TextLayout,
    TextStyle,
    behind,
    contrast_ratio,
    drawable,
    ink_box,
    mix,
    place_layout,
    readable_on,
    reads,
)

__all__ = [
    "SAFE_AREAS",
    "SIZES",
    "TEMPLATES",
    "CreativeInputs",
    "TextBox",
    "carousel_pages",
    "contrast_ratio",
    "render",
    "safe_box",
    "thumbnail",
    "to_jpeg",
]

SIZES: dict[str, tuple[int, int]] = {
    "instagram_portrait": (1080, 1350),
    "instagram_square": (1080, 1080),
    "carousel": (1080, 1350),
    "threads": (1080, 1350),
    "naver_header": (1200, 675),
    "naver_body": (1080, 1080),
    "youtube_thumbnail": (1280, 720),
    "reel_cover": (1080, 1920),
}
MARGIN = 0.06
# Insets as fractions of (width, height): left, top, right, bottom.
SAFE_AREAS: dict[str, tuple[float, float, float, float]] = {
    **{name: (MARGIN, MARGIN, MARGIN, MARGIN) for name in SIZES},
    # Reels and Shorts draw the caption, profile row and buttons over these strips.
    "reel_cover": (MARGIN, 0.08, 0.12, 0.20),
}
MAX_JPEG_BYTES = 8 * 1024 * 1024
JPEG_QUALITIES = (88, 82, 76, 70, 60, 50)
DEFAULT_BRAND: RGB = (47, 72, 88)
DEFAULT_ACCENT: RGB = (246, 174, 45)
PAPER: RGB = (251, 248, 243)
BLACK: RGB = (0, 0, 0)
SCRIM: RGB = (14, 10, 8)  # a warm black: gradients over food photos stay appetising
SCRIM_STRENGTHS = (0.5, 0.58, 0.66, 0.74, 0.82, 0.9)
Valign = Literal["top", "center", "bottom"]

# Type scale at 1080 px; the canvas scales it to its own size.
HERO = TextStyle("extrabold", 104, 44, 3, 1.2)
HEADLINE = TextStyle("extrabold", 92, 40, 3, 1.24)
SUBLINE = TextStyle("regular", 38, 26, 2, 1.45)
LABEL = TextStyle("bold", 30, 22, 1, 1.3)
KICKER = TextStyle("bold", 34, 24, 1, 1.3)
PILL = TextStyle("bold", 32, 24, 1, 1.2)
ITEM = TextStyle("bold", 42, 28, 1, 1.3)
ITEM_FLOOR = 34  # menu rows share one size; below this a long name is cut instead
QUOTE = TextStyle("bold", 58, 30, 6, 1.5, "center")
BADGE = TextStyle("extrabold", 68, 30, 3, 1.15, "center")
NUMBER = TextStyle("extrabold", 96, 60, 1, 1.15)


@dataclass(frozen=True)
class CreativeInputs:
    """What an image says and shows; text is drawn as given (emoji removed)."""

    headline: str
    subline: str = ""
    price: str = ""  # "3,800원"
    call_to_action: str = ""
    offer: str = ""
    quote: str = ""
    quote_author: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (name, price)
    pages: list[tuple[str, str]] = field(default_factory=list)  # carousel (title, body); else items
    shop_name: str = ""
    area: str = ""
    brand_primary: str = "#2F4858"
    brand_secondary: str = "#F6AE2D"
    logo: Image.Image | None = None
    photos: list[Image.Image] = field(default_factory=list)  # prepared by photos.load_photo


def safe_box(size: str) -> Box:
    """The area of ``size`` that text may occupy, in pixels."""
    width, height = SIZES[size]
    left, top, right, bottom = SAFE_AREAS[size]
    return (
        round(width * left),
        round(height * top),
        round(width * (1 - right)),
        round(height * (1 - bottom)),
    )


# --- Colours --------------------------------------------------------------------------


def hex_rgb(value: str, default: RGB) -> RGB:
    digits = value.strip().lstrip("#")
    try:
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    except ValueError:
        return default


def _surface(colour: RGB) -> RGB:
    """``colour``, darkened a little if neither white nor near-black reads on it at 4.5:1."""
    while max(contrast_ratio(WHITE, colour), contrast_ratio(INK, colour)) < MIN_CONTRAST:
        colour = mix(colour, BLACK, 0.06)
    return colour


@dataclass(frozen=True)
class Palette:
    brand: RGB
    accent: RGB
    paper: RGB

    @property
    def on_brand(self) -> RGB:
        return readable_on(self.brand)

    @property
    def muted(self) -> RGB:
        """Secondary text on paper."""
        return mix(INK, self.paper, 0.3)

    @property
    def quiet_on_brand(self) -> RGB:
        """Secondary text on the brand colour: softer, still checked for contrast."""
        return mix(self.on_brand, self.brand, 0.18)


def palette(inputs: CreativeInputs) -> Palette:
    accent = _surface(hex_rgb(inputs.brand_secondary, DEFAULT_ACCENT))
    return Palette(_surface(hex_rgb(inputs.brand_primary, DEFAULT_BRAND)), accent, PAPER)


# --- Canvas: where the rules are enforced ---------------------------------------------


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
        return _union(text.box for text in drawn) if drawn else None

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
        if inputs.photos:
            return cover_crop(inputs.photos[index % len(inputs.photos)], size)
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


def _union(boxes: Iterable[Box]) -> Box:
    left, top, right, bottom = zip(*boxes, strict=True)
    return min(left), min(top), max(right), max(bottom)


# --- Template parts ------------------------------------------------------------------


def _split(canvas: Canvas, share: float) -> tuple[Box, Box]:
    """(photo, panel): photo on top (or on the left of a landscape canvas)."""
    if canvas.landscape:
        seam = round(canvas.width * share)
        return (0, 0, seam, canvas.height), (seam, 0, canvas.width, canvas.height)
    seam = round(canvas.height * share)
    return (0, 0, canvas.width, seam), (0, seam, canvas.width, canvas.height)


def _inset(box: Box, by: int) -> Box:
    return box[0] + by, box[1] + by, box[2] - by, box[3] - by


def _header(canvas: Canvas, inputs: CreativeInputs, fill: RGB) -> int:
    """The shop's name on the top row of the safe area (the logo takes its right end);
    returns where the content below may start."""
    left, top, right, _ = canvas.safe
    row = canvas.px(88)
    name_right = left + round((right - left) * 0.62)
    canvas.text(
        inputs.shop_name, (left, top, name_right, top + row), LABEL, fill=fill, valign="center"
    )
    return top + row + canvas.px(36)


def _footer(
    canvas: Canvas, box: Box, labels: tuple[str, ...], fill: RGB, pill: str, pill_colour: RGB
) -> None:
    """A bottom row: a quiet label on the left (the first of ``labels`` that fits whole),
    a pill (price, call to action) on the right."""
    left, _, right, bottom = box
    height = canvas.pill_height()
    drawn = (
        canvas.pill(pill, (right, bottom - height), pill_colour, anchor="right") if pill else None
    )
    room = (left, bottom - height, (drawn[0] - canvas.px(24)) if drawn else right, bottom)
    style = canvas.style(LABEL)
    fits = [label for label in labels if not style.fit(label, room[2] - room[0], height).truncated]
    canvas.text((fits or labels)[0] if labels else "", room, LABEL, fill=fill, valign="center")


def _place_line(inputs: CreativeInputs) -> tuple[str, ...]:
    """The shop and its area, or just the shop when both do not fit."""
    return " · ".join(part for part in (inputs.shop_name, inputs.area) if part), inputs.shop_name


def _brand_backdrop(canvas: Canvas, colours: Palette) -> None:
    """The brand colour with two large, barely lighter discs: depth without noise."""
    canvas.fill((0, 0, canvas.width, canvas.height), colours.brand)
    disc, glow = round(max(canvas.width, canvas.height) * 0.62), mix(colours.brand, WHITE, 0.07)
    canvas.draw.ellipse(
        (canvas.width - disc * 0.62, -disc * 0.42, canvas.width + disc * 0.38, disc * 0.58),
        fill=glow,
    )
    canvas.draw.ellipse(
        (-disc * 0.5, canvas.height - disc * 0.38, disc * 0.5, canvas.height + disc * 0.62),
        fill=glow,
    )


def _stand_in_light(colours: Palette) -> tuple[RGB, RGB]:
    return mix(colours.accent, WHITE, 0.6), colours.brand


# --- Templates -------------------------------------------------------------------------


def photo_band(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """Photo above (or left), a brand-colour band with the headline below (or right)."""
    share = 0.5 if canvas.landscape else 0.56 if canvas.tall else 0.58
    photo, band = _split(canvas, share)
    canvas.image.paste(canvas.photo(inputs, photo, _stand_in_light(colours)), photo[:2])
    canvas.fill(band, colours.brand)
    rule = canvas.px(12)
    seam = (
        (band[0], band[1], band[0] + rule, band[3])
        if canvas.landscape
        else (0, band[1], canvas.width, band[1] + rule)
    )
    canvas.fill(seam, colours.accent)
    area = canvas.within_safe(_inset(band, canvas.px(64)))
    footer_top = area[3] - canvas.pill_height()
    blocks = [
        Block(inputs.headline, HEADLINE, colours.on_brand),
        Block(inputs.subline, SUBLINE, colours.quiet_on_brand),
    ]
    canvas.stack(blocks, (area[0], area[1], area[2], footer_top - canvas.px(32)), valign="center")
    _footer(
        canvas,
        (area[0], footer_top, area[2], area[3]),
        _place_line(inputs),
        colours.quiet_on_brand,
        inputs.price,
        colours.accent,
    )


def gradient_headline(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """A full-bleed photo, a dark gradient, and a big white headline over it. The
    gradient is made just strong enough for every line of text to reach 4.5:1."""
    full = (0, 0, canvas.width, canvas.height)
    photo = canvas.photo(inputs, full, (colours.brand, colours.accent))
    left, top, right, bottom = canvas.safe
    pill_room = canvas.pill_height() + canvas.px(40) if inputs.call_to_action else 0
    if canvas.landscape:
        area, valign = (left, top, round(canvas.width * 0.6), bottom - pill_room), "center"
    else:
        area, valign = (left, top + canvas.px(120), right, bottom - pill_room), "bottom"
    blocks = [
        Block(inputs.shop_name, KICKER, colours.accent),
        Block(inputs.headline, HERO, WHITE),
        Block(inputs.subline, SUBLINE, WHITE),
    ]
    placements = canvas.plan(blocks, area, valign=valign)  # type: ignore[arg-type]
    text = _union(p.ink for p in placements) if placements else area
    fade = canvas.px(360)
    if canvas.landscape:
        veil, toward = (0, 0, min(canvas.width, text[2] + fade), canvas.height), "left"
    else:
        veil, toward = (0, max(0, text[1] - fade), canvas.width, canvas.height), "bottom"
    for strength in SCRIM_STRENGTHS:
        canvas.image.paste(photo, (0, 0))
        canvas.scrim(veil, toward=toward, fade=fade, strength=strength)  # type: ignore[arg-type]
        if all(
            reads(canvas.image, behind(p.ink, p.layout, canvas.image.size), p.fill or WHITE)
            for p in placements
        ):
            break
    drawn = canvas.draw_all(placements, keep_fill=True)
    if inputs.call_to_action:
        below = (drawn[3] if drawn else area[3]) + canvas.px(40)
        canvas.pill(inputs.call_to_action, (area[0], below), colours.accent)


def brand_card(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """The brand colour as a card, the product photo in a rounded frame, a price sticker."""
    _brand_backdrop(canvas, colours)
    start = _header(canvas, inputs, colours.quiet_on_brand)
    left, _, right, bottom = canvas.safe
    if not inputs.photos:
        text_box, frame = (left, start, right, bottom), None
    elif canvas.landscape:
        middle = (left + right) // 2
        text_box, frame = (
            (left, start, middle - canvas.px(32), bottom),
            (middle + canvas.px(32), start, right, bottom),
        )
    else:
        frame_bottom = start + round(canvas.height * (0.44 if canvas.tall else 0.42))
        text_box, frame = (
            (left, frame_bottom + canvas.px(56), right, bottom),
            (left, start, right, frame_bottom),
        )
    align = "left" if canvas.landscape else "center"
    blocks = [
        Block(inputs.headline, dataclasses.replace(HEADLINE, align=align), colours.on_brand),
        Block(inputs.subline, dataclasses.replace(SUBLINE, align=align), colours.quiet_on_brand),
    ]
    if frame is None:
        pill_room = canvas.pill_height() + canvas.px(48) if inputs.price else 0
        drawn = canvas.stack(
            blocks,
            (text_box[0], text_box[1], text_box[2], text_box[3] - pill_room),
            valign="center",
        )
        if inputs.price and drawn:
            canvas.pill(
                inputs.price,
                ((left + right) // 2, drawn[3] + canvas.px(48)),
                colours.accent,
                anchor="center",
            )
        return
    picture = canvas.photo(inputs, frame, (colours.brand, colours.accent))
    canvas.framed(picture, frame, radius=canvas.px(40), border=WHITE)
    canvas.stack(blocks, text_box, valign="center")
    if inputs.price:
        _sticker(canvas, inputs.price, frame, colours)


def _sticker(canvas: Canvas, text: str, frame: Box, colours: Palette) -> None:
    """A round accent sticker overlapping the frame's bottom-right corner."""
    radius = canvas.px(104)
    cx = frame[2] - radius - canvas.px(28)
    cy = min(frame[3] - canvas.px(12), canvas.safe[3] - radius)  # its text stays in the safe area
    disc = (cx - radius, cy - radius, cx + radius, cy + radius)
    canvas.shadow(disc, radius=radius, depth=canvas.px(8))
    canvas.shape(disc, colours.accent, radius=radius)
    inner = round(radius * 0.72)
    canvas.text(
        text,
        (cx - inner, cy - inner, cx + inner, cy + inner),
        dataclasses.replace(BADGE, max_size=48, min_size=24, max_lines=2),
        valign="center",
        fill=readable_on(colours.accent),
    )


def menu_card(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """A price list ("이번 주 추천 메뉴"): brand header, rows with dotted leaders."""
    left, top, right = _menu_header(canvas, inputs, colours)
    footer_top = canvas.safe[3] - canvas.pill_height()
    _menu_rows(canvas, inputs, (left, top, right, footer_top - canvas.px(32)), colours)
    footer = (left, footer_top, right, canvas.safe[3])
    _footer(
        canvas, footer, _place_line(inputs), colours.muted, inputs.call_to_action, colours.brand
    )


def _menu_header(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> tuple[int, int, int]:
    """The brand header (top, or left on landscape) with the title and a round photo;
    returns the left, top and right of the space left for the list."""
    left, _, right, bottom = canvas.safe
    if canvas.landscape:
        header = (0, 0, round(canvas.width * 0.4), canvas.height)
    else:
        share = 0.27 if canvas.tall else 0.36 if canvas.width == canvas.height else 0.32
        header = (0, 0, canvas.width, round(canvas.height * share))
    canvas.fill(header, colours.brand)
    start = _header(canvas, inputs, colours.quiet_on_brand)
    title = [
        Block(inputs.headline, HEADLINE, colours.on_brand),
        Block(inputs.subline, SUBLINE, colours.quiet_on_brand),
    ]
    if canvas.landscape:
        canvas.stack(
            title, (left, start, header[2] - canvas.px(64), bottom), gap=16, valign="center"
        )
        return header[2] + canvas.px(64), start, right
    circle = canvas.px(230) if inputs.photos else 0
    title_right = right - (circle + canvas.px(40) if circle else 0)
    canvas.stack(
        title, (left, start, title_right, header[3] - canvas.px(44)), gap=16, valign="bottom"
    )
    if not circle:
        return left, header[3] + canvas.px(56), right
    ring_top = header[3] - circle // 2 - canvas.px(24)
    ring = (right - circle, ring_top, right, ring_top + circle)
    picture = canvas.photo(inputs, ring, (colours.brand, colours.accent))
    canvas.framed(picture, ring, radius=circle // 2, border=WHITE)
    return left, ring[3] + canvas.px(32), right


def _menu_rows(canvas: Canvas, inputs: CreativeInputs, box: Box, colours: Palette) -> None:
    """Up to six rows, all set in one size (a name too long for it ends in "…")."""
    left, top, right, bottom = box
    if not inputs.items:
        canvas.text(inputs.subline or inputs.headline, box, SUBLINE, fill=INK, valign="center")
        return
    row = min(canvas.px(150 if canvas.tall else 128), (bottom - top) // min(len(inputs.items), 6))
    rows = inputs.items[: max(1, (bottom - top) // row)]
    style = canvas.style(ITEM)
    price_w = max(style.fit(price, right - left, row).width for _, price in rows)
    name_w = right - left - price_w - canvas.px(72)
    fitted = min(style.fit(name, name_w, row).size for name, _ in rows)
    shared = max(canvas.px(ITEM_FLOOR), fitted)
    style = dataclasses.replace(style, max_size=shared, min_size=shared)
    for index, (name, price) in enumerate(rows):
        y = top + index * row
        _menu_row(canvas, style, (left, y, right, y + row), (name, price), price_w, colours)
        if index < len(rows) - 1:
            canvas.fill((left, y + row - 1, right, y + row + 1), mix(INK, colours.paper, 0.9))


def _menu_row(canvas: Canvas, style: TextStyle, box: Box, item: tuple[str, str], price_w: int,
              colours: Palette) -> None:  # fmt: skip
    """Name on the left, price flush right, both on one baseline, dots between."""
    left, top, right, bottom = box
    name_layout = style.fit(item[0], right - left - price_w - canvas.px(72), bottom - top)
    price_style = dataclasses.replace(style, align="right")
    price_layout = price_style.fit(item[1], price_w, bottom - top)
    ascent = name_layout.font.getmetrics()[0]
    baseline = top + (bottom - top + ascent) // 2 - canvas.px(6)
    name = canvas.place(name_layout, (left, baseline - ascent), style, None, INK)
    price = canvas.place(
        price_layout, (right - price_w, baseline - ascent), price_style, price_w, colours.brand
    )
    _leader(canvas, name.box[2] + canvas.px(18), price.box[0] - canvas.px(18), baseline, colours)


def _leader(canvas: Canvas, start: int, end: int, baseline: int, colours: Palette) -> None:
    """Dotted leader from a menu item's name to its price."""
    step, radius, colour = canvas.px(16), max(2, canvas.px(3)), mix(INK, colours.paper, 0.65)
    for x in range(start, end - radius, step):
        canvas.draw.ellipse((x - radius, baseline - 2 * radius, x + radius, baseline), fill=colour)


def offer_badge(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """An event or offer: the photo with a round badge, the headline on paper below."""
    share = 0.55 if canvas.landscape else 0.54 if canvas.tall else 0.56
    photo, panel = _split(canvas, share)
    canvas.image.paste(canvas.photo(inputs, photo, _stand_in_light(colours)), photo[:2])
    left, top, _, _ = canvas.safe
    radius = canvas.px(150 if canvas.landscape else 176)
    _badge(canvas, inputs.offer or inputs.price, (left + radius, top + radius), radius, colours)
    area = canvas.within_safe(_inset(panel, canvas.px(64)))
    footer_top = area[3] - canvas.pill_height()
    blocks = [
        Block(inputs.headline, HEADLINE, INK),
        Block(inputs.subline, SUBLINE, mix(INK, colours.paper, 0.25)),
    ]
    canvas.stack(blocks, (area[0], area[1], area[2], footer_top - canvas.px(32)), valign="center")
    _footer(
        canvas,
        (area[0], footer_top, area[2], area[3]),
        _place_line(inputs),
        colours.muted,
        inputs.call_to_action,
        colours.brand,
    )


def _badge(
    canvas: Canvas, text: str, centre: tuple[int, int], radius: int, colours: Palette
) -> None:
    cx, cy = centre
    disc = (cx - radius, cy - radius, cx + radius, cy + radius)
    canvas.shadow(disc, radius=radius, depth=canvas.px(12))
    canvas.shape(disc, colours.accent, radius=radius)
    ring = canvas.px(16)
    on_accent = readable_on(colours.accent)
    canvas.draw.ellipse(
        _inset(disc, ring), outline=mix(colours.accent, on_accent, 0.35), width=max(2, canvas.px(3))
    )
    inner = round(radius * 0.68)
    canvas.text(
        text,
        (cx - inner, cy - inner, cx + inner, cy + inner),
        BADGE,
        fill=on_accent,
        valign="center",
    )


def review_quote(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """A customer's words on a paper card: stars, the quote, who said it."""
    _brand_backdrop(canvas, colours)
    start = _header(canvas, inputs, colours.quiet_on_brand)
    left, _, right, bottom = canvas.safe
    footer_top = bottom - canvas.pill_height()
    card = (left, start, right, footer_top - canvas.px(40))
    canvas.shadow(card, radius=canvas.px(36), depth=canvas.px(16))
    canvas.shape(card, colours.paper, radius=canvas.px(36))
    inside = _inset(card, canvas.px(56))
    card_top = inside[1]
    if inputs.photos:
        inside = _portrait_in_card(canvas, inputs, inside, colours)
    _quote_mark(canvas, (inside[0], card_top), colours)
    stars_top = inside[1]
    _stars(
        canvas,
        ((inside[0] + inside[2]) // 2, stars_top + canvas.px(22)),
        canvas.px(22),
        mix(colours.accent, INK, 0.1),
    )
    author = f"— {inputs.quote_author}" if inputs.quote_author else ""
    blocks = [
        Block(inputs.quote or inputs.headline, QUOTE, INK),
        Block(author, centred(SUBLINE), colours.brand),
    ]
    canvas.stack(
        blocks,
        (inside[0], stars_top + canvas.px(84), inside[2], inside[3]),
        gap=32,
        valign="center",
    )
    _footer(
        canvas,
        (left, footer_top, right, bottom),
        (inputs.area,),
        colours.quiet_on_brand,
        inputs.call_to_action,
        colours.accent,
    )


def _portrait_in_card(canvas: Canvas, inputs: CreativeInputs, inside: Box, colours: Palette) -> Box:
    """A round photo at the top of the card (left on landscape); returns the space left."""
    side = canvas.px(170 if not canvas.landscape else 220)
    if canvas.landscape:
        cy = (inside[1] + inside[3]) // 2
        ring = (inside[0], cy - side // 2, inside[0] + side, cy + side // 2)
        remaining = (ring[2] + canvas.px(48), inside[1], inside[2], inside[3])
    else:
        cx = (inside[0] + inside[2]) // 2
        ring = (cx - side // 2, inside[1], cx + side // 2, inside[1] + side)
        remaining = (inside[0], ring[3] + canvas.px(28), inside[2], inside[3])
    canvas.framed(
        canvas.photo(inputs, ring, (colours.brand, colours.accent)),
        ring,
        radius=side // 2,
        border=WHITE,
    )
    return remaining


def _stars(canvas: Canvas, centre: tuple[int, int], radius: int, colour: RGB) -> None:
    """Five rating stars drawn as shapes (★ is an emoji to the text pipeline)."""
    gap = radius * 2 + canvas.px(10)
    for index in range(5):
        cx = centre[0] + (index - 2) * gap
        points = []
        for corner in range(10):
            angle = np.pi / 2 + corner * np.pi / 5
            reach = radius if corner % 2 == 0 else radius * 0.45
            points.append((cx + reach * np.cos(angle), centre[1] - reach * np.sin(angle)))
        canvas.draw.polygon(points, fill=colour)


def _quote_mark(canvas: Canvas, at: tuple[int, int], colours: Palette) -> None:
    """A large opening quotation mark in a pale brand tint (an ornament, not copy)."""
    face = font(canvas.px(220), "extrabold")
    ink_top = face.getbbox("“")[1]
    canvas.draw.text(
        (at[0], at[1] - ink_top), "“", font=face, fill=mix(colours.brand, colours.paper, 0.78)
    )


# --- Carousel -------------------------------------------------------------------------------


def carousel_cover(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """The first card of a carousel: headline on the brand colour, a photo card, a swipe cue."""
    _brand_backdrop(canvas, colours)
    start = _header(canvas, inputs, colours.quiet_on_brand)
    left, _, right, bottom = canvas.safe
    blocks = [
        Block(inputs.headline, HERO, colours.on_brand),
        Block(inputs.subline, SUBLINE, colours.quiet_on_brand),
    ]
    if canvas.landscape:
        middle = (left + right) // 2
        canvas.stack(blocks, (left, start, middle - canvas.px(32), bottom), valign="center")
        frame = (middle + canvas.px(32), start, right, bottom)
    else:
        text_bottom = start + round(canvas.height * 0.3)
        drawn = canvas.stack(blocks, (left, start, right, text_bottom), valign="top")
        frame = (left, (drawn[3] if drawn else start) + canvas.px(56), right, bottom)
    picture = canvas.photo(inputs, frame, (mix(colours.brand, WHITE, 0.12), colours.accent))
    canvas.framed(picture, frame, radius=canvas.px(36))
    cue = canvas.pill_height()
    canvas.pill(
        "넘겨 보기 →",
        (frame[2] - canvas.px(28), frame[3] - cue - canvas.px(28)),
        colours.accent,
        anchor="right",
    )


def _carousel_page(
    canvas: Canvas, inputs: CreativeInputs, colours: Palette, number: int, title: str, body: str
) -> None:
    """One inner card: a big number, the photo, the item's name and price (or body)."""
    left, top, right, bottom = canvas.safe
    canvas.text(
        f"{number:02d}",
        (left, top, left + canvas.px(260), top + canvas.px(130)),
        NUMBER,
        fill=colours.brand,
    )
    start = top + canvas.px(150)
    footer_top = bottom - canvas.pill_height()
    blocks = [
        Block(title, HEADLINE, INK),
        Block(
            body,
            dataclasses.replace(SUBLINE, weight="bold", max_size=44, max_lines=3),
            colours.brand,
        ),
    ]
    if canvas.landscape:
        middle = (left + right) // 2
        frame = (middle + canvas.px(32), top, right, bottom)
        canvas.stack(
            blocks,
            (left, start, middle - canvas.px(32), footer_top - canvas.px(32)),
            valign="center",
        )
    else:
        frame = (left, start, right, start + round(canvas.height * (0.42 if canvas.tall else 0.4)))
        canvas.stack(
            blocks,
            (left, frame[3] + canvas.px(48), right, footer_top - canvas.px(32)),
            valign="center",
        )
    canvas.framed(
        canvas.photo(inputs, frame, _stand_in_light(colours), index=number - 1),
        frame,
        radius=canvas.px(32),
    )
    label_right = frame[0] - canvas.px(64) if canvas.landscape else right
    footer = (left, footer_top, label_right, bottom)
    _footer(canvas, footer, _place_line(inputs), colours.muted, "", colours.brand)


def _closing_page(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """The last card: the shop in a round photo, what to do next, and where."""
    _brand_backdrop(canvas, colours)
    left, top, right, bottom = canvas.safe
    blocks = [
        Block(inputs.shop_name, centred(KICKER), colours.accent),
        Block(inputs.call_to_action or inputs.headline, centred(HERO), colours.on_brand),
        Block(inputs.area, centred(SUBLINE), colours.quiet_on_brand),
    ]
    if not inputs.photos:
        canvas.stack(blocks, (left, top + canvas.px(100), right, bottom), gap=36, valign="center")
        return
    side = min(canvas.px(320), (bottom - top) // 2)
    cx = (left + right) // 2
    ring_top = top + (bottom - top) // 2 - side - canvas.px(60)
    ring = (cx - side // 2, ring_top, cx + side // 2, ring_top + side)
    picture = canvas.photo(inputs, ring, (colours.brand, colours.accent))
    canvas.framed(picture, ring, radius=side // 2, border=colours.accent)
    canvas.stack(blocks, (left, ring[3] + canvas.px(56), right, bottom), gap=36, valign="top")


def centred(style: TextStyle) -> TextStyle:
    return dataclasses.replace(style, align="center")


# --- Rendering ------------------------------------------------------------------------------

Template = Callable[[Canvas, CreativeInputs, Palette], None]
TEMPLATES: dict[str, Template] = {
    "photo_band": photo_band,
    "gradient_headline": gradient_headline,
    "brand_card": brand_card,
    "menu_card": menu_card,
    "offer_badge": offer_badge,
    "review_quote": review_quote,
    "carousel": carousel_cover,
}
MAX_CAROUSEL_PAGES = 10  # Instagram's limit, cover and closing card included
Drawing = Callable[[Canvas, CreativeInputs, Palette], None]


def _drawn(size: str, inputs: CreativeInputs, drawing: Drawing) -> Canvas:
    if size not in SIZES:
        raise ValueError(f"unknown image size {size!r}; known: {', '.join(SIZES)}")
    colours = palette(inputs)
    canvas = Canvas(size, colours.paper, inputs.logo)
    drawing(canvas, inputs, colours)
    canvas.finish()
    return canvas


@overload
def render(
    template: str, size: str, inputs: CreativeInputs, *, report: Literal[False] = False
) -> Image.Image: ...
@overload
def render(
    template: str, size: str, inputs: CreativeInputs, *, report: Literal[True]
) -> tuple[Image.Image, list[TextBox]]: ...
def render(
    template: str, size: str, inputs: CreativeInputs, *, report: bool = False
) -> Image.Image | tuple[Image.Image, list[TextBox]]:
    """``template`` drawn at ``size`` (a key of SIZES) as an RGB image; the same inputs
    always give the same pixels. With ``report``, also the text boxes drawn (each inside
    ``safe_box(size)``, each with its measured contrast). Raises ValueError for an
    unknown template or size."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    canvas = _drawn(size, inputs, TEMPLATES[template])
    return (canvas.image, canvas.boxes) if report else canvas.image


def _page_drawings(inputs: CreativeInputs) -> list[Drawing]:
    inner = inputs.pages or inputs.items
    inner = inner[: MAX_CAROUSEL_PAGES - 2]

    def page(number: int, title: str, body: str) -> Drawing:
        return lambda canvas, i, colours: _carousel_page(canvas, i, colours, number, title, body)

    pages = [page(n, title, body) for n, (title, body) in enumerate(inner, start=1)]
    return [carousel_cover, *pages, _closing_page]


@overload
def carousel_pages(
    inputs: CreativeInputs, size: str, *, report: Literal[False] = False
) -> list[Image.Image]: ...
@overload
def carousel_pages(
    inputs: CreativeInputs, size: str, *, report: Literal[True]
) -> list[tuple[Image.Image, list[TextBox]]]: ...
def carousel_pages(
    inputs: CreativeInputs, size: str, *, report: bool = False
) -> list[Image.Image] | list[tuple[Image.Image, list[TextBox]]]:
    """A carousel: the cover, one card per page (``inputs.pages`` as (title, body), else
    ``inputs.items`` as (name, price)), and a closing call-to-action card; at most 10."""
    canvases = [_drawn(size, inputs, drawing) for drawing in _page_drawings(inputs)]
    if report:
        return [(canvas.image, canvas.boxes) for canvas in canvases]
    return [canvas.image for canvas in canvases]


def to_jpeg(image: Image.Image) -> bytes:
    """Upload-ready JPEG: sRGB (untagged), progressive, optimised, no EXIF, quality 88,
    stepped down only if the file would exceed 8 MB. Identical images give identical bytes."""
    for quality in JPEG_QUALITIES:
        data = encode_jpeg(image, quality=quality)
        if len(data) <= MAX_JPEG_BYTES:
            return data
    return data


def thumbnail(image: Image.Image, width: int = 320) -> bytes:
    """A small JPEG preview ``width`` pixels wide for the app's lists."""
    height = max(1, round(image.height * width / image.width))
    return encode_jpeg(image.resize((width, height), Image.Resampling.LANCZOS), quality=80)
