"""The shop's photos in a frame: cropped to fill it, or the brand pattern where there is
no photo yet. Loading and cleaning a photo is ``core.photos``'s."""

from __future__ import annotations

from PIL import Image, ImageDraw

from content.creative.typography import RGB, mix

Size = tuple[int, int]
# A photo is never blown up more than this to fill a frame: a smaller one is left out of
# that frame (the brand pattern or the shop's other photos fill it), not shown blurred.
MAX_ENLARGEMENT = 1.5


def enlargement(image: Image.Image, size: Size) -> float:
    """How much ``image`` must be scaled up to fill ``size`` (below 1: it is shrunk)."""
    return max(size[0] / image.width, size[1] / image.height)


def cover_crop(
    image: Image.Image, size: Size, focus: tuple[float, float] = (0.5, 0.45)
) -> Image.Image:
    """``image`` scaled to fill ``size`` exactly, cropped around ``focus`` (fractions of
    width and height; slightly above centre by default, where food and faces sit)."""
    target_w, target_h = size
    scale = max(target_w / image.width, target_h / image.height)
    crop_w, crop_h = min(image.width, target_w / scale), min(image.height, target_h / scale)
    left = max(0.0, min(focus[0] * image.width - crop_w / 2, image.width - crop_w))
    top = max(0.0, min(focus[1] * image.height - crop_h / 2, image.height - crop_h))
    box = (left, top, left + crop_w, top + crop_h)
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def brand_pattern(size: tuple[int, int], base: RGB, spot: RGB) -> Image.Image:
    """What a photo slot shows when the shop has no photo yet: the brand colours in a
    calm dot pattern with two large soft discs."""
    width, height = size
    step = max(24, min(size) // 12)
    tile = Image.new("RGB", (step * 4, step * 4), base)  # drawn large, scaled for soft dots
    dot = mix(base, spot, 0.28)
    for cx, cy in ((step, step), (3 * step, 3 * step)):
        ImageDraw.Draw(tile).ellipse(
            (cx - step // 3, cy - step // 3, cx + step // 3, cy + step // 3), fill=dot
        )
    tile = tile.resize((step * 2, step * 2), Image.Resampling.LANCZOS)
    pattern = Image.new("RGB", size, base)
    for y in range(0, height, tile.height):
        for x in range(0, width, tile.width):
            pattern.paste(tile, (x, y))
    draw = ImageDraw.Draw(pattern)
    disc = round(max(size) * 0.55)
    draw.ellipse(
        (width - disc * 0.7, -disc * 0.45, width + disc * 0.3, disc * 0.55),
        fill=mix(base, spot, 0.5),
    )
    draw.ellipse(
        (-disc * 0.35, height - disc * 0.5, disc * 0.45, height + disc * 0.3),
        fill=mix(base, spot, 0.18),
    )
    return pattern
