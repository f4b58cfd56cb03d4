"""The six single-image designs: photo band, gradient headline, brand card, menu card,
offer badge and review quote. Each draws on a ``Canvas`` and never places text itself."""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np

from content.creative.fonts import font
from content.creative.images.canvas import Block, Canvas, union
from content.creative.images.design import (
    BADGE,
    HEADLINE,
    HERO,
    ITEM,
    ITEM_FLOOR,
    KICKER,
    QUOTE,
    SCRIM_STRENGTHS,
    SUBLINE,
    CreativeInputs,
    Palette,
    Valign,
    centred,
)
from content.creative.images.parts import (
    bottom_row,
    brand_backdrop,
    inset_box,
    place_line,
    shop_header,
    split,
    stand_in_light,
)
from content.creative.typography import (
    INK,
    RGB,
    WHITE,
    Align,
    Box,
    TextStyle,
    behind,
    mix,
    readable_on,
    reads,
)


def photo_band(canvas: Canvas, inputs: CreativeInputs, colours: Palette) -> None:
    """Photo above (or left), a brand-colour band with the headline below (or right)."""
    share = 0.5 if canvas.landscape else 0.56 if canvas.tall else 0.58
    photo, band = split(canvas, share)
    canvas.image.paste(canvas.photo(inputs, photo, stand_in_light(colours)), photo[:2])
    canvas.fill(band, colours.brand)
    rule = canvas.px(12)
    seam = (
        (band[0], band[1], band[0] + rule, band[3])
        if canvas.landscape
        else (0, band[1], canvas.width, band[1] + rule)
    )
    canvas.fill(seam, colours.accent)
    area = canvas.within_safe(inset_box(band, canvas.px(64)))
    footer_top = area[3] - canvas.pill_height()
    blocks = [
        Block(inputs.headline, HEADLINE, colours.on_brand),
        Block(inputs.subline, SUBLINE, colours.quiet_on_brand),
    ]
    canvas.stack(blocks, (area[0], area[1], area[2], footer_top - canvas.px(32)), valign="center")
    bottom_row(
        canvas,
        (area[0], footer_top, area[2], area[3]),
        place_line(inputs),
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
    valign: Valign
    if canvas.landscape:
        area, valign = (left, top, round(canvas.width * 0.6), bottom - pill_room), "center"
    else:
        area, valign = (left, top + canvas.px(120), right, bottom - pill_room), "bottom"
    blocks = [
        Block(inputs.shop_name, KICKER, colours.accent),
        Block(inputs.headline, HERO, WHITE),
        Block(inputs.subline, SUBLINE, WHITE),
    ]
    placements = canvas.plan(blocks, area, valign=valign)
    text = union(p.ink for p in placements) if placements else area
    fade = canvas.px(360)
    toward: Literal["bottom", "left"]
    if canvas.landscape:
        veil, toward = (0, 0, min(canvas.width, text[2] + fade), canvas.height), "left"
    else:
        veil, toward = (0, max(0, text[1] - fade), canvas.width, canvas.height), "bottom"
    for strength in SCRIM_STRENGTHS:
        canvas.image.paste(photo, (0, 0))
        canvas.scrim(veil, toward=toward, fade=fade, strength=strength)
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
    brand_backdrop(canvas, colours)
    start = shop_header(canvas, inputs, colours.quiet_on_brand)
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
    align: Align = "left" if canvas.landscape else "center"
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
    bottom_row(
        canvas, footer, place_line(inputs), colours.muted, inputs.call_to_action, colours.brand
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
    start = shop_header(canvas, inputs, colours.quiet_on_brand)
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
    photo, panel = split(canvas, share)
    canvas.image.paste(canvas.photo(inputs, photo, stand_in_light(colours)), photo[:2])
    left, top, _, _ = canvas.safe
    radius = canvas.px(150 if canvas.landscape else 176)
    _badge(canvas, inputs.offer or inputs.price, (left + radius, top + radius), radius, colours)
    area = canvas.within_safe(inset_box(panel, canvas.px(64)))
    footer_top = area[3] - canvas.pill_height()
    blocks = [
        Block(inputs.headline, HEADLINE, INK),
        Block(inputs.subline, SUBLINE, mix(INK, colours.paper, 0.25)),
    ]
    canvas.stack(blocks, (area[0], area[1], area[2], footer_top - canvas.px(32)), valign="center")
    bottom_row(
        canvas,
        (area[0], footer_top, area[2], area[3]),
        place_line(inputs),
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
        inset_box(disc, ring),
        outline=mix(colours.accent, on_accent, 0.35),
        width=max(2, canvas.px(3)),
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
    brand_backdrop(canvas, colours)
    start = shop_header(canvas, inputs, colours.quiet_on_brand)
    left, _, right, bottom = canvas.safe
    footer_top = bottom - canvas.pill_height()
    card = (left, start, right, footer_top - canvas.px(40))
    canvas.shadow(card, radius=canvas.px(36), depth=canvas.px(16))
    canvas.shape(card, colours.paper, radius=canvas.px(36))
    inside = inset_box(card, canvas.px(56))
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
    bottom_row(
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
