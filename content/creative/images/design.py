"""What an image is made of before anything is drawn: the sizes and their safe areas,
the type scale, what an image says and shows (``CreativeInputs``), and its colours."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image

from content.creative.typography import (
    INK,
    MIN_CONTRAST,
    RGB,
    WHITE,
    Box,
    TextStyle,
    contrast_ratio,
    mix,
    readable_on,
)

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


def centred(style: TextStyle) -> TextStyle:
    return dataclasses.replace(style, align="center")
