"""Every template at every size, drawn for the demo café, to look at and review.

The demo photos are painted here with numpy and Pillow (a café table from above, a
close-up of salt bread), so the gallery needs no files, no database and no network,
and the same code always paints the same pixels.

    python -m content.creative.gallery docs/gallery
"""

from __future__ import annotations

import dataclasses
import os
import sys
from functools import cache
from pathlib import Path
from typing import TypedDict

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from content.creative.images import (
    SIZES,
    TEMPLATES,
    CreativeInputs,
    carousel_pages,
    render,
    to_jpeg,
)

PHOTO_SIZE = (1600, 1200)
GALLERY_SIZE_FOR_NO_PHOTO = "instagram_portrait"
Array = np.ndarray


# --- Painted demo photos ------------------------------------------------------------------


Point = tuple[float, float]


def _blend(pixels: Array, colour: tuple[float, float, float], alpha: Array) -> None:
    """Paint ``colour`` into the float RGB array where ``alpha`` (0..1) says."""
    pixels *= 1 - alpha[..., None]
    pixels += alpha[..., None] * np.array(colour, dtype=np.float32)


def _disc(x: Array, y: Array, centre: Point, radii: Point, angle: float = 0.0) -> Array:
    """Normalised distance from an (optionally rotated) ellipse's centre: 1 on its edge."""
    dx, dy = x - centre[0], y - centre[1]
    cos, sin = np.cos(angle), np.sin(angle)
    u, v = (dx * cos + dy * sin) / radii[0], (-dx * sin + dy * cos) / radii[1]
    return np.sqrt(u * u + v * v)


def _edge(distance: Array, softness: float = 0.02) -> Array:
    """A soft-edged coverage mask from a normalised distance."""
    return np.clip((1 - distance) / softness, 0, 1)


class Painting:
    """A float RGB canvas; each shape is computed only over its own neighbourhood."""

    def __init__(self, pixels: Array) -> None:
        self.pixels = pixels
        self.height, self.width = pixels.shape[:2]

    @classmethod
    def plain(cls, colour: tuple[int, int, int]) -> Painting:
        width, height = PHOTO_SIZE
        return cls(np.zeros((height, width, 3), dtype=np.float32) + np.array(colour, np.float32))

    def grid(self) -> tuple[Array, Array]:
        return (
            np.arange(self.width, dtype=np.float32)[None, :],
            np.arange(self.height, dtype=np.float32)[:, None],
        )

    def area(self, centre: Point, reach: float) -> tuple[Array, Array, Array]:
        """The pixels within ``reach`` of ``centre`` (a view) and their coordinates."""
        x0, x1 = max(0, int(centre[0] - reach)), min(self.width, int(centre[0] + reach) + 1)
        y0, y1 = max(0, int(centre[1] - reach)), min(self.height, int(centre[1] + reach) + 1)
        x = np.arange(x0, x1, dtype=np.float32)[None, :]
        y = np.arange(y0, y1, dtype=np.float32)[:, None]
        return self.pixels[y0:y1, x0:x1], x, y

    def ellipse(self, colour: tuple[float, float, float], centre: Point, radii: Point, *,
                angle: float = 0.0, softness: float = 0.02, opacity: float = 1.0) -> None:  # fmt: skip
        view, x, y = self.area(centre, max(radii) * (1 + softness) + 2)
        _blend(view, colour, _edge(_disc(x, y, centre, radii, angle), softness) * opacity)

    def shadow(self, centre: Point, radii: Point, strength: float = 0.35) -> None:
        """A soft contact shadow, offset down and right as if lit from the window."""
        offset = (centre[0] + 30, centre[1] + 40)
        view, x, y = self.area(offset, max(radii) * 1.4)
        distance = _disc(x, y, offset, (radii[0] * 1.08, radii[1] * 1.08))
        _blend(view, (40, 24, 14), np.clip(1.25 - distance, 0, 1) ** 1.5 * strength)

    def finish(self, light_from: Point) -> Image.Image:
        """Window light, a gentle vignette, a touch of lens softness."""
        x, y = self.grid()
        light = np.clip(
            1 - np.hypot(x - light_from[0], y - light_from[1]) / (self.width * 1.1), 0, 1
        )
        vignette = np.hypot((x - self.width / 2) / self.width, (y - self.height / 2) / self.height)
        self.pixels *= ((0.78 + 0.38 * light) * np.clip(1.12 - vignette * 0.7, 0, 1))[..., None]
        image = Image.fromarray(np.clip(self.pixels, 0, 255).astype(np.uint8))
        return image.filter(ImageFilter.GaussianBlur(1.2))


def _wood(painting: Painting) -> None:
    x, y = painting.grid()
    grain = np.sin(y * 0.045 + 5 * np.sin(x * 0.0021 + y * 0.004)) * 0.5 + 0.5
    tone = 0.55 + 0.25 * grain**3 + (np.floor(y / 300) % 2) * 0.06
    light = np.array([196, 150, 108], dtype=np.float32)
    dark = np.array([112, 74, 48], dtype=np.float32)
    painting.pixels[:] = dark + (light - dark) * tone[..., None]


def _salt_bread(painting: Painting, centre: Point, radii: Point, angle: float,
                rng: np.random.Generator) -> None:  # fmt: skip
    """A glossy golden roll with darker crust ridges and a few salt flakes."""
    painting.shadow(centre, radii)
    view, x, y = painting.area(centre, max(radii) * 1.1)
    distance = _disc(x, y, centre, radii, angle)
    cover = _edge(distance, 0.04)
    spiral = _disc(x, y, (centre[0] - radii[0] * 0.9, centre[1]), (radii[0], radii[0]), angle)
    ridges = 0.5 + 0.5 * np.sin(spiral * 18)
    shade = np.clip(1 - distance**2, 0, 1)
    golden, crust = np.array([226, 160, 72]), np.array([150, 84, 34])
    colour = crust + (golden - crust) * (shade * (0.75 + 0.25 * ridges))[..., None]
    view[:] = view * (1 - cover[..., None]) + colour * cover[..., None]
    shine = (centre[0] - radii[0] * 0.25, centre[1] - radii[1] * 0.35)
    gloss = _disc(x, y, shine, (radii[0] * 0.45, radii[1] * 0.22), angle)
    _blend(view, (255, 236, 196), _edge(gloss, 0.9) * 0.45 * cover)
    for _ in range(14):
        flake = (
            centre[0] + rng.uniform(-0.6, 0.6) * radii[0],
            centre[1] + rng.uniform(-0.4, 0.3) * radii[1],
        )
        painting.ellipse((252, 250, 244), flake, (6, 4.5), angle=rng.uniform(0, 3), softness=0.3)


def _latte(painting: Painting, centre: Point) -> None:
    """A latte from above: saucer, cup, crema and a heart of milk foam."""
    cx, cy = centre
    painting.shadow(centre, (300, 300), 0.4)
    painting.ellipse((242, 238, 230), centre, (290, 290), softness=0.01)
    painting.ellipse((220, 214, 204), centre, (200, 200), softness=0.03, opacity=0.6)
    painting.ellipse((250, 248, 244), centre, (188, 188), softness=0.01)
    painting.ellipse((120, 70, 36), centre, (158, 158), softness=0.01)
    view, x, y = painting.area(centre, 160)
    coffee = _disc(x, y, centre, (158, 158))
    _blend(view, (176, 118, 66), _edge(coffee, 0.01) * np.clip(1 - coffee, 0, 1) * 0.9)
    lobes = np.minimum(
        _disc(x, y, (cx - 38, cy - 20), (58, 58)), _disc(x, y, (cx + 38, cy - 20), (58, 58))
    )
    tip = np.abs(x - cx) / 96 + (y - cy + 40) / 120
    heart = np.minimum(lobes, np.where((y > cy - 30) & (y < cy + 90), tip, 2))
    _blend(view, (247, 234, 214), _edge(heart, 0.08))


@cache
def cafe_table() -> Image.Image:
    """A café table from above: a latte with a foam heart and a salt bread on a plate."""
    rng = np.random.default_rng(11)
    painting = Painting.plain((0, 0, 0))
    _wood(painting)
    _latte(painting, (1040, 560))
    painting.shadow((470, 700), (300, 260))
    painting.ellipse((236, 230, 220), (470, 700), (300, 260), softness=0.01)
    painting.ellipse((226, 220, 208), (470, 700), (250, 214), opacity=0.5)
    _salt_bread(painting, (470, 690), (190, 118), -0.25, rng)
    return painting.finish((0, 0))


@cache
def bread_close_up() -> Image.Image:
    """Three salt breads on linen in front of warm, out-of-focus café lights."""
    rng = np.random.default_rng(5)
    painting = Painting.plain((92, 62, 44))
    x, y = painting.grid()
    _blend(
        painting.pixels,
        (150, 104, 66),
        np.broadcast_to(np.clip(1 - y / 700, 0, 1) * 0.6, (painting.height, painting.width)),
    )
    for index in range(9):
        light = (rng.uniform(0, 1600), rng.uniform(40, 480))
        strength = rng.uniform(0.25, 0.5) * (index % 3 + 1) / 3
        painting.ellipse((255, 206, 130), light, (70, 70), softness=0.5, opacity=strength)
    weave = 0.5 + 0.5 * np.sin(x * 0.9) * np.sin(y * 0.9)
    _blend(painting.pixels, (228, 216, 196), np.clip((y - 560) / 40, 0, 1) * (0.9 + 0.05 * weave))
    breads = (
        ((430, 820), (280, 170), -0.15),
        ((1180, 850), (270, 165), 0.2),
        ((800, 700), (250, 150), 0.05),
    )
    for centre, radii, angle in breads:
        _salt_bread(painting, centre, radii, angle, rng)
    return painting.finish((1600, 0))


@cache
def demo_logo() -> Image.Image:
    """A round badge in the café's brown with a cup drawn in cream."""
    size = 480
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((0, 0, size - 1, size - 1), fill="#6B4F3A")
    draw.rounded_rectangle((130, 190, 310, 330), radius=40, fill="#F6EBDD")
    draw.ellipse((280, 215, 370, 295), outline="#F6EBDD", width=22)
    draw.rounded_rectangle((110, 340, 370, 362), radius=11, fill="#F2C14E")
    for offset in (170, 220, 270):
        draw.arc((offset - 20, 100, offset + 20, 170), 100, 260, fill="#F6EBDD", width=12)
    return logo.resize((160, 160), Image.Resampling.LANCZOS)


# --- The demo café's copy ------------------------------------------------------------------


class TemplateCopy(TypedDict):
    headline: str
    subline: str


# Copy a shop owner would write for each design (the generator supplies it in the product).
TEMPLATE_COPY: dict[str, TemplateCopy] = {
    "menu_card": {"headline": "이번 주 추천 메뉴", "subline": "직접 굽는 빵과 핸드드립 커피"},
    "offer_badge": {
        "headline": "평일 오후엔 소금빵 하나 더",
        "subline": "오후 2시부터 5시까지, 소금빵 2개 사면 1개 더 드려요",
    },
    "carousel": {
        "headline": "이번 주 추천 메뉴 5",
        "subline": "연남동 카페 온기에서 요즘 제일 많이 찾는 메뉴",
    },
}


def demo_inputs(*, with_photos: bool = True) -> CreativeInputs:
    """The demo café (marketing.demo) as creative inputs, with painted photos."""
    from marketing.demo import SAMPLE_BUSINESS, SAMPLE_MENU

    signature = next(item for item in SAMPLE_MENU if item.get("is_signature"))
    return CreativeInputs(
        headline=f"{SAMPLE_BUSINESS['selling_points'][0]}, 오늘도 갓 나왔어요 🥐",
        subline="겉은 바삭, 속은 촉촉. 버터 향 가득한 연남동 골목 소금빵",
        price=f"{signature['price']:,}원",
        call_to_action="오늘 들러 주세요",
        offer="평일 오후 소금빵 2+1",
        quote="버터 향이 골목 밖까지 나요. 겉은 바삭하고 속은 촉촉해서 주말마다 사러 와요!",
        quote_author="단골손님 김○○",
        items=[(item["name"], f"{item['price']:,}원") for item in SAMPLE_MENU],
        shop_name=SAMPLE_BUSINESS["name"],
        area=SAMPLE_BUSINESS["area"],
        brand_primary=SAMPLE_BUSINESS["brand_primary_color"],
        brand_secondary=SAMPLE_BUSINESS["brand_secondary_color"],
        logo=demo_logo(),
        photos=[cafe_table(), bread_close_up()] if with_photos else [],
    )


def _copy_for(template: str, inputs: CreativeInputs) -> CreativeInputs:
    copy = TEMPLATE_COPY.get(template)
    return inputs if copy is None else dataclasses.replace(inputs, **copy)


def _save(image: Image.Image, path: Path) -> Path:
    path.write_bytes(to_jpeg(image))
    return path


def render_gallery(out_dir: Path) -> list[Path]:
    """Every template at every size (``<template>-<size>.jpg``), each template once
    without photos (``<template>-no-photo.jpg``) and the carousel's pages
    (``carousel-<n>.jpg``), written as upload-ready JPEGs into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs, bare = demo_inputs(), demo_inputs(with_photos=False)
    written = []
    for template in TEMPLATES:
        for size in SIZES:
            picture = render(template, size, _copy_for(template, inputs))
            written.append(_save(picture, out_dir / f"{template}-{size}.jpg"))
        picture = render(template, GALLERY_SIZE_FOR_NO_PHOTO, _copy_for(template, bare))
        written.append(_save(picture, out_dir / f"{template}-no-photo.jpg"))
    pages = carousel_pages(_copy_for("carousel", inputs), "carousel")
    for number, page in enumerate(pages, start=1):
        written.append(_save(page, out_dir / f"carousel-{number}.jpg"))
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m content.creative.gallery <output folder>", file=sys.stderr)
        return 2
    for path in render_gallery(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    sys.exit(main(sys.argv[1:]))
