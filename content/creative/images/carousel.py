"""The carousel: a cover, one card per page, and a closing call-to-action card."""

from __future__ import annotations

import dataclasses

from content.creative.images.canvas import Block, Canvas
from content.creative.images.design import (
    HEADLINE,
    HERO,
    KICKER,
    NUMBER,
    SUBLINE,
    CreativeInputs,
    Palette,
    centred,
)
from content.creative.images.parts import (
    bottom_row,
    brand_backdrop,
    place_line,
    shop_header,
    stand_in_light,
)
from content.creative.typography import INK, WHITE, mix


def carousel_cover(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """The first card of a carousel: headline on the brand colour, a photo card, a swipe cue."""
    brand_backdrop(canvas, colours)
    start = shop_header(canvas, inputs, colours.quiet_on_brand)
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


def carousel_page(
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
        canvas.photo(inputs, frame, stand_in_light(colours), index=number - 1),
        frame,
        radius=canvas.px(32),
    )
    label_right = frame[0] - canvas.px(64) if canvas.landscape else right
    footer = (left, footer_top, label_right, bottom)
    bottom_row(canvas, footer, place_line(inputs), colours.muted, "", colours.brand)


def closing_page(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """The last card: the shop in a round photo, what to do next, and where."""
    brand_backdrop(canvas, colours)
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
