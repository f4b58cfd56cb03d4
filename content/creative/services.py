"""Rendering a piece's images and video into Assets.

Same inputs give the same bytes, so every file is keyed by a fingerprint of its
inputs and reused instead of rendered again. Every file is checked against its
channel's spec before the piece counts as rendered; a failure keeps the copy and
shows the reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from content.creative import images, video
from content.creative.photos import PhotoRejected, load_photo
from content.creative.plan import ImageJob, RenderPlan, VideoJob, render_plan
from content.creative.validate import check_image, check_video
from content.models import Asset, ContentPiece, RenderStatus
from marketing.models import Business

logger = logging.getLogger(__name__)

RENDERER_VERSION = "1"  # bump when a template changes, so fingerprints change too
MAX_PHOTOS = 6
CTA_LABELS = {
    "visit": "지금 들러 주세요",
    "order": "주문하기",
    "reserve": "예약하기",
    "call": "전화로 문의하기",
    "dm": "DM으로 물어보세요",
    "comment": "댓글로 알려 주세요",
    "save": "저장해 두세요",
    "share": "친구에게 공유하기",
    "link": "프로필 링크 확인",
}


class RenderFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Inputs -----------------------------------------------------------------------------


def _won(price: int | None) -> str:
    return f"{price:,}원" if price else ""


def shop_photos(business: Business) -> tuple[list[Image.Image], list[str]]:
    """The shop's photos ready to draw, and their checksums (for fingerprints)."""
    loaded, checksums = [], []
    sources = [p.image for p in business.photos.all()[:MAX_PHOTOS]]
    sources += [p.photo for p in business.products.filter(is_active=True) if p.photo]
    for field in sources[:MAX_PHOTOS]:
        try:
            with field.open("rb") as handle:
                data = handle.read()
            loaded.append(load_photo(data))
            checksums.append(hashlib.sha256(data).hexdigest())
        except (PhotoRejected, FileNotFoundError, OSError) as exc:
            logger.info("photo %s skipped: %s", field.name, exc)
    return loaded, checksums


def creative_inputs(
    piece: ContentPiece, job: ImageJob, photos: list[Image.Image]
) -> images.CreativeInputs:
    business = piece.business
    products = list(business.products.filter(is_active=True)[:5])
    named = next((p for p in products if p.name in f"{job.headline} {job.subline}"), None)
    logo = None
    if business.logo:
        try:
            with business.logo.open("rb") as handle:
                logo = load_photo(handle.read())
        except (PhotoRejected, OSError):
            logo = None
    return images.CreativeInputs(
        headline=job.headline,
        subline=job.subline,
        price=_won(named.price) if named else "",
        call_to_action=CTA_LABELS.get(piece.call_to_action, ""),
        offer=piece.campaign.offer if piece.campaign else "",
        quote=job.subline or job.headline,
        pages=list(job.pages),
        quote_author="",
        items=[(p.name, _won(p.price)) for p in products],
        shop_name=business.name,
        area=business.area,
        brand_primary=business.brand_primary_color,
        brand_secondary=business.brand_secondary_color,
        logo=logo,
        photos=list(photos),
    )


def _text_of(inputs: images.CreativeInputs) -> dict:
    """Everything but the pictures (asdict would deep-copy every photo)."""
    return {
        f.name: getattr(inputs, f.name) for f in fields(inputs) if f.name not in ("logo", "photos")
    }


def fingerprint(*parts: object) -> str:
    payload = json.dumps(
        [RENDERER_VERSION, *parts], ensure_ascii=False, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Files ------------------------------------------------------------------------------


def _reuse(business: Business, key: str, kind: str) -> Asset | None:
    return (
        Asset.objects.filter(business=business, source_key=key, kind=kind).order_by("-pk").first()
    )


def _store(
    piece: ContentPiece,
    *,
    kind: str,
    role: str,
    key: str,
    position: int = 0,
    make: Callable[[], tuple[bytes, str, str, int, int, float | None]],
) -> Asset:
    """An Asset for ``key``: the stored file when these inputs were rendered before, else
    ``make()`` -> (bytes, suffix, mime type, width, height, duration)."""
    existing = _reuse(piece.business, key, kind)
    asset = Asset(
        business=piece.business,
        piece=piece,
        kind=kind,
        role=role,
        source_key=key,
        position=position,
    )
    if existing is not None and existing.file:
        for name in ("mime_type", "size_bytes", "width", "height", "duration_s", "checksum"):
            setattr(asset, name, getattr(existing, name))
        asset.file.name = existing.file.name  # same inputs, same bytes: share the file
    else:
        data, suffix, mime, width, height, duration = make()
        asset.mime_type, asset.size_bytes, asset.checksum = (
            mime,
            len(data),
            hashlib.sha256(data).hexdigest(),
        )
        asset.width, asset.height, asset.duration_s = width, height, duration
        asset.file.save(f"{piece.business_id}/{key[:32]}{suffix}", ContentFile(data), save=False)
    asset.save()
    return asset


def _pictures(job: ImageJob, inputs: images.CreativeInputs) -> list[Image.Image]:
    if job.template == "carousel":
        return images.carousel_pages(inputs, job.size)
    return [images.render(job.template, job.size, inputs)]


def _render_image(
    piece: ContentPiece,
    job: ImageJob,
    photos: list[Image.Image],
    photo_keys: list[str],
    first: bool,
) -> list[Asset]:
    """The job's image (a carousel: every page), plus the list thumbnail for the first one.
    Nothing is drawn when every file exists already for these inputs."""
    inputs = creative_inputs(piece, job, photos)
    text = _text_of(inputs)
    key = fingerprint("image", job.template, job.size, text, photo_keys)
    count = len(images.carousel_pages(inputs, job.size)) if job.template == "carousel" else 1
    drawn: list[Image.Image] = []

    def picture(index: int) -> Image.Image:
        if not drawn:
            drawn.extend(_pictures(job, inputs))
        return drawn[index]

    def full(index: int) -> Callable[[], tuple[bytes, str, str, int, int, float | None]]:
        def make() -> tuple[bytes, str, str, int, int, float | None]:
            data = images.to_jpeg(picture(index))
            problems = check_image(data, kind=job.size).problems  # checked before it is kept
            if problems:
                raise RenderFailed(" / ".join(problems))
            return data, ".jpg", "image/jpeg", *picture(index).size, None

        return make

    def small() -> tuple[bytes, str, str, int, int, float | None]:
        width, height = picture(0).size
        return (
            images.thumbnail(picture(0)),
            ".jpg",
            "image/jpeg",
            320,
            round(320 * height / width),
            None,
        )

    made = [
        _store(
            piece,
            kind=Asset.Kind.IMAGE,
            role=job.role if count == 1 else f"{job.role}-{n + 1}",
            key=fingerprint(key, n),
            position=n,
            make=full(n),
        )
        for n in range(count)
    ]
    if first:  # the list preview in the app and the admin
        made.append(
            _store(
                piece,
                kind=Asset.Kind.THUMBNAIL,
                role="thumbnail",
                key=fingerprint(key, "thumb"),
                make=small,
            )
        )
    return made


# --- The service --------------------------------------------------------------------------


def _progress(piece_id: int) -> Callable[[int], None]:
    last = [-1]

    def report(percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent >= last[0] + 5 or percent == 100:  # a row update every 5%, not every frame
            last[0] = percent
            ContentPiece.objects.filter(pk=piece_id).update(render_progress=percent)

    return report


def piece_render(*, piece_id: int) -> ContentPiece:
    """Render the piece's images and video; idempotent (same inputs reuse the same files).

    A piece whose copy is not ready is left alone. Bad media leaves the piece's copy as
    it is, with render_status failed and the reason.
    """
    piece = ContentPiece.objects.select_related("business", "campaign").get(pk=piece_id)
    if piece.status not in (ContentPiece.Status.READY, ContentPiece.Status.APPROVED):
        return piece
    plan = render_plan(piece.channel, piece.fields, piece.template, piece.format)
    if plan.empty:
        ContentPiece.objects.filter(pk=piece.pk).update(
            render_status=RenderStatus.NONE, render_progress=100
        )
        return piece
    ContentPiece.objects.filter(pk=piece.pk).update(
        render_status=RenderStatus.RENDERING, render_progress=0
    )
    report = _progress(piece.pk)
    try:
        assets = _render_plan(piece, plan, report)
    except (RenderFailed, PhotoRejected) as exc:
        ContentPiece.objects.filter(pk=piece.pk).update(
            render_status=RenderStatus.FAILED, render_error=str(exc)
        )
        return piece
    with transaction.atomic():
        piece.assets.exclude(pk__in=[a.pk for a in assets]).delete()
        ContentPiece.objects.filter(pk=piece.pk).update(
            render_status=RenderStatus.DONE, render_progress=100, render_error=""
        )
    return piece


def _render_plan(
    piece: ContentPiece, plan: RenderPlan, report: Callable[[int], None]
) -> list[Asset]:
    photos, photo_keys = shop_photos(piece.business)
    assets: list[Asset] = []
    image_share = 30 if plan.video else 100
    for position, job in enumerate(plan.images):
        assets += _render_image(piece, job, photos, photo_keys, first=position == 0)
        report(image_share * (position + 1) // len(plan.images))
    if plan.video is not None:
        assets += _render_video(
            piece, plan.video, photos, photo_keys, lambda p: report(30 + p * 70 // 100)
        )
    return assets


VIDEO_SIZE = (1080, 1920)
MOTIONS = ("zoom_in", "pan_left", "zoom_out", "pan_right")


def _card(inputs: images.CreativeInputs) -> Image.Image:
    """A full-frame 9:16 card: the brand card drawn at 4:5, centred on the brand colour."""
    picture = images.render("brand_card", "instagram_portrait", inputs)
    frame = Image.new("RGB", VIDEO_SIZE, images.hex_rgb(inputs.brand_primary, (47, 72, 88)))
    frame.paste(picture, (0, (VIDEO_SIZE[1] - picture.height) // 2))
    return frame


def _slides(piece: ContentPiece, job: VideoJob, photos: list[Image.Image]) -> list[video.Slide]:
    slides = []
    for n, (caption, seconds) in enumerate(job.scenes):
        if photos:
            still = photos[n % len(photos)]
        else:  # no photo: a brand card carrying the caption
            still = _card(
                creative_inputs(
                    piece, ImageJob("scene", "brand_card", "instagram_portrait", caption), []
                )
            )
        slides.append(video.Slide(still, caption, seconds, MOTIONS[n % len(MOTIONS)]))  # type: ignore[arg-type]
    return slides


def _render_video(
    piece: ContentPiece,
    job: VideoJob,
    photos: list[Image.Image],
    photo_keys: list[str],
    report: Callable[[int], None],
) -> list[Asset]:
    if not job.scenes:
        raise RenderFailed("영상 대본이 없어 영상을 만들 수 없습니다.")
    intro_inputs = creative_inputs(
        piece,
        ImageJob(
            "intro", "brand_card", "instagram_portrait", piece.business.name, piece.business.area
        ),
        [],
    )
    outro_inputs = creative_inputs(
        piece,
        ImageJob(
            "outro",
            "brand_card",
            "instagram_portrait",
            CTA_LABELS.get(piece.call_to_action, piece.business.name),
            piece.business.name,
        ),
        [],
    )
    texts = [_text_of(i) for i in (intro_inputs, outro_inputs)]
    key = fingerprint("video", job.scenes, texts, photo_keys)
    rendered: list[video.RenderedVideo] = []
    with tempfile.TemporaryDirectory(prefix="gagecast-render-") as scratch:

        def make() -> tuple[bytes, str, str, int, int, float | None]:
            result = video.render_video(
                _slides(piece, job, photos),
                output=Path(scratch) / "video.mp4",
                intro=video.Card(_card(intro_inputs)),
                outro=video.Card(_card(outro_inputs)),
                progress=report,
            )
            problems = check_video(result.path, channel=piece.channel).problems
            if problems:
                raise RenderFailed(" / ".join(problems))
            rendered.append(result)
            return (
                result.path.read_bytes(),
                ".mp4",
                "video/mp4",
                result.width,
                result.height,
                result.duration_s,
            )

        def cover() -> tuple[bytes, str, str, int, int, float | None]:
            if not rendered:
                make()
            return rendered[0].cover_path.read_bytes(), ".jpg", "image/jpeg", *VIDEO_SIZE, None

        clip = _store(piece, kind=Asset.Kind.VIDEO, role=job.role, key=key, make=make)
        poster = _store(
            piece, kind=Asset.Kind.COVER, role="cover", key=fingerprint(key, "cover"), make=cover
        )
    report(100)
    return [clip, poster]
