"""The picture, frame by frame, as BT.709 limited-range YUV 4:2:0 planes for ffmpeg.

Each slide's photo is cover-cropped and scaled once (Lanczos) to a canvas a little
larger than the frame and converted once to Y, U and V planes (Pillow ``L`` images);
its caption box is converted once to planes and an alpha mask. Then a frame is cheap:
a pan crops a moving window (a copy), a zoom resizes the canvas window it shows
(area-averaged), the caption is pasted through its mask into its rectangle only, and a
crossfade blends two frames. A card is one frame, converted once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from content.creative.video_timeline import Motion, Size

# x264 has the cores; a zoom is one small warp per plane.
cv2.setNumThreads(1)

MOTION_SCALE = 1.12  # the canvas is this much larger than the frame: zoom depth, pan travel

Planes = tuple[Image.Image, Image.Image, Image.Image]  # Y full size, U and V half size

# BT.709 from gamma-encoded RGB, limited range: Y in 16..235, U and V in 16..240.
_LUMA = (0.2126, 0.7152, 0.0722)
_Y = (*(c * 219 / 255 for c in _LUMA), 16.0)
_U = (*(c * 224 / 255 / 1.8556 for c in (-_LUMA[0], -_LUMA[1], 1 - _LUMA[2])), 128.0)
_V = (*(c * 224 / 255 / 1.5748 for c in (1 - _LUMA[0], -_LUMA[1], -_LUMA[2])), 128.0)


def yuv_planes(rgb: Image.Image) -> Planes:
    """An RGB image (even width and height) as Y, U, V planes; chroma is the mean of
    each 2×2 block."""
    return (
        rgb.convert("L", _Y),
        rgb.convert("L", _U).reduce(2),
        rgb.convert("L", _V).reduce(2),
    )


def frame_bytes(planes: Planes) -> list[bytes]:
    """One raw ``yuv420p`` frame, plane after plane."""
    return [plane.tobytes() for plane in planes]


def crossfade(outgoing: Planes, incoming: Planes, weight: float) -> Planes:
    """``incoming`` over ``outgoing`` at ``weight`` (0: only the outgoing frame)."""
    a, b, c = (Image.blend(old, new, weight) for old, new in zip(outgoing, incoming, strict=True))
    return a, b, c


# --- Stills --------------------------------------------------------------------------------


def canvas_size(motion: Motion | None, size: Size) -> Size:
    width, height = size
    if motion is None:
        return size
    wide = 2 * round(width * MOTION_SCALE / 2)
    tall = 2 * round(height * MOTION_SCALE / 2) if motion.startswith("zoom") else height
    return wide, tall


def cover(image: Image.Image, size: Size) -> Image.Image:
    """``image`` scaled to fill ``size`` exactly, centred crop, EXIF rotation applied."""
    if image.getexif().get(0x0112, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    if image.size == size:
        return image
    target_w, target_h = size
    scale = max(target_w / image.width, target_h / image.height)
    crop_w, crop_h = target_w / scale, target_h / scale
    left, top = (image.width - crop_w) / 2, (image.height - crop_h) / 2
    box = (left, top, left + crop_w, top + crop_h)
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def first_frame(canvas: Image.Image, motion: Motion | None, size: Size) -> Image.Image:
    """What the first frame of a segment shows, in RGB (for the cover image)."""
    width, height = size
    if motion is None:
        return canvas
    if motion == "zoom_in":
        return canvas.resize(size, Image.Resampling.LANCZOS)
    x = (canvas.width - width) // 2
    x = {"pan_left": 0, "pan_right": canvas.width - width}.get(motion, x)
    y = (canvas.height - height) // 2
    return canvas.crop((x, y, x + width, y + height))


@dataclass(frozen=True)
class Caption:
    """A caption box as planes, with its alpha at full and at chroma resolution, placed
    at an even ``at`` so its chroma lines up with the frame's."""

    planes: Planes
    alpha: tuple[Image.Image, Image.Image]
    at: tuple[int, int]

    @classmethod
    def from_rgba(cls, box: Image.Image, at: tuple[int, int]) -> Caption:
        x, y = at
        shift_x, shift_y = x % 2, y % 2
        width, height = box.width + shift_x, box.height + shift_y
        even = Image.new("RGBA", (width + width % 2, height + height % 2))
        even.paste(box, (shift_x, shift_y))
        alpha = even.getchannel("A")
        return cls(
            yuv_planes(even.convert("RGB")), (alpha, alpha.reduce(2)), (x - shift_x, y - shift_y)
        )

    def paint(self, frame: Planes) -> None:
        """Blend the caption into ``frame``'s planes, in place."""
        x, y = self.at
        full, half = self.alpha
        for k, (plane, ink) in enumerate(zip(frame, self.planes, strict=True)):
            if k == 0:
                plane.paste(ink, (x, y), full)
            else:
                plane.paste(ink, (x // 2, y // 2), half)


# --- Scenes ----------------------------------------------------------------------------------


class Scene:
    """One slide or card over its whole course (``frames`` frames, fade-in included):
    its canvas as planes, its motion and its caption."""

    def __init__(
        self,
        canvas: Image.Image,
        motion: Motion | None,
        frames: int,
        size: Size,
        caption: Caption | None = None,
    ) -> None:
        self.planes = yuv_planes(canvas)
        self.motion, self.frames, self.size, self.caption = motion, frames, size, caption
        self._still: list[bytes] | None = None
        self._arrays: list[np.ndarray] | None = None  # the planes as arrays, for zooms

    def frame(self, n: int) -> Planes:
        """The planes of frame ``n`` of the course, fresh images the caller may change."""
        progress = n / max(self.frames - 1, 1)
        if self.motion in ("zoom_out", "pan_right"):
            progress = 1 - progress
        if self.motion is None:
            frame = self._copy()
        elif self.motion.startswith("pan"):
            frame = self._pan(progress)
        else:
            frame = self._zoom(progress)
        if self.caption is not None:
            self.caption.paint(frame)
        return frame

    def frame_bytes(self, n: int) -> list[bytes]:
        if self.motion is not None or self.caption is not None:
            return frame_bytes(self.frame(n))
        if self._still is None:  # a card: the same frame every time
            self._still = frame_bytes(self.planes)
        return self._still

    def _copy(self) -> Planes:
        y, u, v = (plane.copy() for plane in self.planes)
        return y, u, v

    def _each(self, make: Callable[[Image.Image, int], Image.Image]) -> Planes:
        """``make`` applied to each plane, with the plane's subsampling (1 or 2)."""
        y, u, v = (make(plane, 1 if k == 0 else 2) for k, plane in enumerate(self.planes))
        return y, u, v

    def _pan(self, progress: float) -> Planes:
        """A window of the frame's size gliding across the wider canvas."""
        width, height = self.size
        x = round((self.planes[0].width - width) * progress)
        return self._each(
            lambda p, sub: p.crop((x // sub, 0, (x // sub) + width // sub, height // sub))
        )

    def _zoom(self, progress: float) -> Planes:
        """The canvas centre, from all of it (0) to a frame-sized window (1), scaled to
        the frame: the canvas grows from the frame's size to its own, cropped centred.
        Bilinear, as ffmpeg's ``scale`` would, through OpenCV's affine warp at sub-pixel
        offsets: 0.7 ms for the luma plane where Pillow took 5.3 (BOX) to 7.3 (BILINEAR)."""
        width, height = self.size
        canvas_w, canvas_h = self.planes[0].size
        window_w = width * canvas_w / (width + (canvas_w - width) * progress)
        window_h = height * canvas_h / (height + (canvas_h - height) * progress)
        left, top = (canvas_w - window_w) / 2, (canvas_h - window_h) / 2
        scale_x, scale_y = window_w / width, window_h / height
        if self._arrays is None:
            self._arrays = [np.asarray(plane) for plane in self.planes]
        planes = []
        for k, array in enumerate(self._arrays):
            sub = 1 if k == 0 else 2
            # Output pixel centre x + 0.5 samples the source at left + (x + 0.5) * scale.
            to_source = np.array(
                [
                    [scale_x, 0.0, left / sub + 0.5 * scale_x - 0.5],
                    [0.0, scale_y, top / sub + 0.5 * scale_y - 0.5],
                ]
            )
            warped = cv2.warpAffine(
                array,
                to_source,
                (width // sub, height // sub),
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE,
            )
            planes.append(Image.fromarray(warped))
        y, u, v = planes
        return y, u, v
