"""The shop's photos, made ready to use: upright, sRGB, RGB, free of metadata.

Uploads are checked before a pixel is decoded (pixel count from the header), then
decoded fully (a truncated file fails here, not in the middle of a render). What
comes out carries no EXIF, GPS, XMP or ICC data: only pixels in sRGB. Every place a
photo comes in (the owner's app, the API, the admin, a profile import) stores it this
way; the renderers (``content.creative``) draw from it.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core.uploads import damaged_image_message, not_a_photo_message, too_many_pixels_message

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
    return PhotoRejected(too_many_pixels_message())


def _damaged() -> PhotoRejected:
    return PhotoRejected(damaged_image_message())


def _not_a_photo() -> PhotoRejected:
    return PhotoRejected(not_a_photo_message())


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
