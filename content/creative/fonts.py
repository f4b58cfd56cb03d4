"""Fonts that draw Hangul on a machine that has only what pip installed.

NanumGothic comes from the koreanize-matplotlib wheel (found without importing
it, so matplotlib is never loaded); BRAND_FONT_PATH / BRAND_FONT_BOLD_PATH in
settings replace it with the shop's or agency's own font.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from PIL import ImageFont

Weight = Literal["regular", "bold", "extrabold"]
NANUM_FILES: dict[str, str] = {
    "regular": "NanumGothic.ttf",
    "bold": "NanumGothicBold.ttf",
    "extrabold": "NanumGothicExtraBold.ttf",
}


class FontMissing(RuntimeError):
    pass


def _nanum_dir() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("koreanize-matplotlib is not installed: no Hangul font available")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def font_path(weight: Weight = "regular") -> Path:
    """The font file for ``weight``: the brand font when configured, else NanumGothic."""
    brand = settings.BRAND_FONT_BOLD_PATH if weight != "regular" else settings.BRAND_FONT_PATH
    if brand or settings.BRAND_FONT_PATH:
        path = Path(brand or settings.BRAND_FONT_PATH)
        if not path.is_file():
            raise FontMissing(f"BRAND_FONT_PATH points at {path}, which is not a file")
        return path
    path = _nanum_dir() / NANUM_FILES[weight]
    if not path.is_file():
        raise FontMissing(f"{path} is missing from the koreanize-matplotlib package")
    return path


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def font(size: int, weight: Weight = "regular") -> ImageFont.FreeTypeFont:
    """A loaded font (cached per file and size)."""
    return _font(str(font_path(weight)), size)
