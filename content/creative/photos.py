"""The shop's photos, made ready to draw: upright, sRGB, RGB, free of metadata.

Uploads are checked before a pixel is decoded (pixel count from the header), then
decoded fully (a truncated file fails here, not in the middle of a render). What
comes out carries no EXIF, GPS, XMP or ICC data: only pixels in sRGB.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageDraw, ImageOps, UnidentifiedImageError

from content.creative.typography import RGB, mix

Size = tuple[int, int]
PAPER_WHITE = (255, 255, 255)  # what transparent pixels become
_SRGB = ImageCms.createProfile("sRGB")
# ICC colour spaces a profile may describe, by the image mode that carries them.
_PROFILE_SPACE = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}


class PhotoRejected(ValueError):
    """A photo we will not draw with; ``message`` says why, in the owner's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _too_many_pixels() -> PhotoRejected:
    return PhotoRejected(
        _(
            "사진 해상도가 너무 높아요 (최대 %(ten_thousands)s만 화소). 크기를 줄여서 다시 올려 주세요."
        )
        % {"ten_thousands": f"{settings.UPLOAD_MAX_IMAGE_PIXELS // 10_000:,}"}
    )


def _damaged() -> PhotoRejected:
    return PhotoRejected(_("사진 파일이 손상되어 열 수 없어요. 다른 사진을 올려 주세요."))


def _not_a_photo() -> PhotoRejected:
    return PhotoRejected(_("사진 파일이 아니에요. JPEG, PNG, WebP 사진을 올려 주세요."))


def load_photo(source: bytes | str | Path) -> Image.Image:
    """An upright RGB sRGB image with no metadata; raises ``PhotoRejected`` for a file
    that is not an image, is damaged or truncated, or has more pixels than
    ``settings.UPLOAD_MAX_IMAGE_PIXELS``."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        with Image.open(BytesIO(data)) as opened:
            width, height = opened.size  # from the header: nothing decoded yet
            if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            opened.load()
            return _upright_srgb(opened)
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise _not_a_photo() from exc
    except PhotoRejected:
        raise
    except Exception as exc:  # a decoder fed hostile bytes may raise anything: all of it is damage
        raise _damaged() from exc


def _upright_srgb(opened: Image.Image) -> Image.Image:
    icc = opened.info.get("icc_profile")
    upright = ImageOps.exif_transpose(opened) or opened
    plain = _without_alpha(upright)
    if icc:
        plain = _to_srgb(plain, icc)
    if plain.mode != "RGB":
        plain = plain.convert("RGB")
    # A fresh image: no EXIF, GPS, XMP, ICC or comments can ride along.
    return Image.frombytes("RGB", plain.size, plain.tobytes())


def _without_alpha(image: Image.Image) -> Image.Image:
    """RGB, L or CMYK: transparency flattened onto white, 16-bit greys scaled to 8 bits."""
    if image.mode in ("RGB", "L", "CMYK"):
        return image
    if image.mode.startswith("I"):
        return Image.fromarray((np.asarray(image, dtype=np.uint32) >> 8).astype(np.uint8))
    if image.mode == "P" and "transparency" not in image.info:
        return image.convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "P", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, PAPER_WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Colours converted from the embedded profile to sRGB (a broken profile is ignored)."""
    try:
        profile = ImageCms.ImageCmsProfile(BytesIO(icc))
        space = profile.profile.xcolor_space
        if space != _PROFILE_SPACE.get(image.mode) or "sRGB" in (
            profile.profile.profile_description or ""
        ):
            return image
        return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB") or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


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


def encode_jpeg(image: Image.Image, *, quality: int) -> bytes:
    """Baseline-free JPEG bytes: progressive, optimised, no EXIF or ICC (untagged = sRGB).
    The same pixels always give the same bytes."""
    buffer = BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def strip_metadata_jpeg(data: bytes, *, quality: int = 90) -> bytes:
    """An upload re-saved as an upright sRGB JPEG without EXIF, GPS or other metadata.
    Raises ``PhotoRejected`` as ``load_photo`` does."""
    return encode_jpeg(load_photo(data), quality=quality)


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
