"""Pieces several templates share: the photo/panel split, the shop's name on top, the
bottom row, the brand backdrop."""

from __future__ import annotations

from content.creative.images.canvas import Canvas
from content.creative.images.design import LABEL, CreativeInputs, Palette
from content.creative.typography import RGB, WHITE, Box, mix


def split(canvas: Canvas, share: float) -> tuple[Box, Box]:
    """(photo, panel): photo on top (or on the left of a landscape canvas)."""
    if canvas.landscape:
        seam = round(canvas.width * share)
        return (0, 0, seam, canvas.height), (seam, 0, canvas.width, canvas.height)
    seam = round(canvas.height * share)
    return (0, 0, canvas.width, seam), (0, seam, canvas.width, canvas.height)


def inset_box(box: Box, by: int) -> Box:
    return box[0] + by, box[1] + by, box[2] - by, box[3] - by


def shop_header(canvas: Canvas, inputs: CreativeInputs, fill: RGB) -> int:
    """The shop's name on the top row of the safe area (the logo takes its right end);
    returns where the content below may start."""
    left, top, right, _ = canvas.safe
    row = canvas.px(88)
    name_right = left + round((right - left) * 0.62)
    canvas.text(
        inputs.shop_name, (left, top, name_right, top + row), LABEL, fill=fill, valign="center"
    )
    return top + row + canvas.px(36)


def bottom_row(
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


def place_line(inputs: CreativeInputs) -> tuple[str, ...]:
    """The shop and its area, or just the shop when both do not fit."""
    return " · ".join(part for part in (inputs.shop_name, inputs.area) if part), inputs.shop_name


def brand_backdrop(canvas: Canvas, colours: Palette) -> None:
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


def stand_in_light(colours: Palette) -> tuple[RGB, RGB]:
    return mix(colours.accent, WHITE, 0.6), colours.brand
