"""Post images: sizes and safe areas, the canvas that enforces the text rules, the
template designs, and JPEG output.

Every piece of text goes through ``Canvas.stack`` (or ``Canvas.pill``), which keeps it
inside the size's safe area and draws it with ``typography.place_layout``: the colour
is chosen, and a photo veiled under it, until WCAG 4.5:1 holds against the pixels that
are actually behind it. The rules therefore hold for every template by construction;
``render(..., report=True)`` hands back the evidence (one ``TextBox`` per block).

This module is the public face; the parts live beside it: ``design`` (sizes, type
scale, inputs, colours), ``canvas`` (the rules), ``parts`` (pieces the templates
share), ``templates`` (the six single images) and ``carousel``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, overload

from PIL import Image

from content.creative.images.canvas import Canvas
from content.creative.images.carousel import carousel_cover, carousel_page, closing_page
from content.creative.images.design import (
    SAFE_AREAS,
    SIZES,
    CreativeInputs,
    Palette,
    hex_rgb,
    palette,
    safe_box,
)
from content.creative.images.templates import (
    brand_card,
    gradient_headline,
    menu_card,
    offer_badge,
    photo_band,
    review_quote,
)
from content.creative.typography import TextBox, contrast_ratio
from core.photos import encode_jpeg

__all__ = [
    "SAFE_AREAS",
    "SIZES",
    "TEMPLATES",
    "CreativeInputs",
    "TextBox",
    "carousel_pages",
    "contrast_ratio",
    "hex_rgb",
    "render",
    "safe_box",
    "thumbnail",
    "to_jpeg",
]

MAX_JPEG_BYTES = 8 * 1024 * 1024
JPEG_QUALITIES = (88, 82, 76, 70, 60, 50)

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
        return lambda canvas, i, colours: carousel_page(canvas, i, colours, number, title, body)

    pages = [page(n, title, body) for n, (title, body) in enumerate(inner, start=1)]
    return [carousel_cover, *pages, closing_page]


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
