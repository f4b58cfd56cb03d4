"""Rendering a piece's images and video into Assets.

Same inputs give the same bytes, so every file is keyed by a fingerprint of its
inputs and reused instead of rendered again (content.creative.files). Every file is
checked against its channel's spec before the piece counts as rendered; a failure
keeps the copy and shows the reason. The video's narration and music come from
content.creative.soundtrack; what the owner should know about them is the piece's
``render_note``.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Case, When
from django.db.models.fields.files import FieldFile
from PIL import Image

from content import transitions
from content.creative import images, soundtrack, video
from content.creative.files import Made, asset_store, fingerprint
from content.creative.plan import ImageJob, RenderPlan, VideoJob, render_plan
from content.creative.validate import RULES, check_image, check_video
from content.models import Asset, ContentPiece
from core.photos import PhotoRejected, load_photo
from marketing.models import Business

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class ShopPhoto:
    image: Image.Image  # ready to draw
    checksum: str  # of the stored file, for fingerprints
    about: str  # its caption, what its analysis saw, the product it shows
    photo_id: int | None = None  # the library photo it is (None: a menu item's picture)


def shop_photos(business: Business, *, picked: int | None = None) -> list[ShopPhoto]:
    """The shop's photos ready to draw (library first, the ``picked`` one leading, then
    the menu's own photos)."""
    library = business.photos.select_related("analysis").order_by(
        Case(When(pk=picked, then=0), default=1), "pk"
    )
    sources: list[tuple[FieldFile, str, int | None]] = [
        (
            p.image,
            " ".join((p.caption, getattr(getattr(p, "analysis", None), "description", ""))),
            p.pk,
        )
        for p in library[:MAX_PHOTOS]
    ]
    products = business.products.filter(is_active=True)
    sources += [(p.photo, p.name, None) for p in products if p.photo]
    loaded = []
    for field, about, photo_id in sources[:MAX_PHOTOS]:
        try:
            with field.open("rb") as handle:
                data = handle.read()
            digest = hashlib.sha256(data).hexdigest()
            loaded.append(ShopPhoto(load_photo(data), digest, about, photo_id))
        except (PhotoRejected, FileNotFoundError, OSError) as exc:
            logger.info("photo %s skipped: %s", field.name, exc)
    return loaded


def photos_for_piece(piece: ContentPiece, photos: list[ShopPhoto]) -> list[ShopPhoto]:
    """The shop's photos in the order this piece uses them: first those about what the
    piece is about (a product it names that the photo shows or its caption or analysis
    mentions), then the rest; each group starts at the piece's turn in its campaign, so
    the pieces of a campaign lead with different photos. A photo the owner picked for
    the piece leads before all of them."""
    if not photos:
        return []
    text = " ".join(str(value) for value in (piece.fields or {}).values())
    names = [p.name for p in piece.business.products.filter(is_active=True) if p.name in text]
    campaign = piece.campaign
    turn = campaign.pieces.filter(pk__lt=piece.pk).count() if campaign else 0

    def rotated(group: list[ShopPhoto]) -> list[ShopPhoto]:
        start = turn % len(group) if group else 0
        return group[start:] + group[:start]

    fitting: list[ShopPhoto] = []
    others: list[ShopPhoto] = []
    for photo in photos:
        (fitting if any(name in photo.about for name in names) else others).append(photo)
    ordered = rotated(fitting) + rotated(others)
    picked = [p for p in ordered if piece.photo_id and p.photo_id == piece.photo_id]
    return picked + [p for p in ordered if p not in picked]


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

    def full(index: int) -> Callable[[], Made]:
        def make() -> Made:
            data = images.to_jpeg(picture(index))
            problems = check_image(data, kind=job.size).problems  # checked before it is kept
            if problems:
                raise RenderFailed(" / ".join(problems))
            return data, ".jpg", "image/jpeg", *picture(index).size, None

        return make

    def small() -> Made:
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
        asset_store(
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
            asset_store(
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


def piece_render(*, piece_id: int, can_retry: bool = False) -> ContentPiece:
    """Render the piece's images and video; idempotent (same inputs reuse the same files).

    A piece whose copy is not ready is left alone. Bad media leaves the piece's copy as
    it is, with render_status failed and the reason. Narration never fails a render
    (content.creative.soundtrack): while ``can_retry``, a transient speech failure
    raises ProviderError for the task to retry, before anything is drawn; otherwise
    the video is made without narration and ``render_note`` tells the owner.
    """
    piece = ContentPiece.objects.select_related("business__organization", "campaign").get(
        pk=piece_id
    )
    if piece.status not in (ContentPiece.Status.READY, ContentPiece.Status.APPROVED):
        return piece
    plan = render_plan(piece.channel, piece.fields, piece.template, piece.format)
    if plan.empty:
        transitions.skip_render(piece.pk)
        return piece
    if not transitions.begin_render(piece.pk):
        return piece
    report = _progress(piece.pk)
    notes: list[str] = []
    try:
        assets = _render_plan(piece, plan, report, notes, can_retry=can_retry)
    except (RenderFailed, PhotoRejected) as exc:
        transitions.fail_render(piece.pk, str(exc))
        return piece
    with transaction.atomic():
        piece.assets.exclude(pk__in=[a.pk for a in assets]).delete()
        transitions.finish_render(piece.pk, note=" ".join(notes))
    return piece


def _render_plan(
    piece: ContentPiece,
    plan: RenderPlan,
    report: Callable[[int], None],
    notes: list[str],
    *,
    can_retry: bool,
) -> list[Asset]:
    # The voice first: a failure that asks for a retry comes before anything is drawn.
    narration = (
        soundtrack.piece_narration(piece, plan.video.narration, notes, can_retry=can_retry)
        if plan.video is not None
        else None
    )
    chosen = photos_for_piece(piece, shop_photos(piece.business, picked=piece.photo_id))
    photos, photo_keys = [p.image for p in chosen], [p.checksum for p in chosen]
    assets: list[Asset] = [narration.asset] if narration else []
    image_share = 30 if plan.video else 100
    for position, job in enumerate(plan.images):
        assets += _render_image(piece, job, photos, photo_keys, first=position == 0)
        report(image_share * (position + 1) // len(plan.images))
    if plan.video is not None:
        assets += _render_video(
            piece,
            plan.video,
            VideoInputs(photos, photo_keys, narration, notes),
            lambda p: report(30 + p * 70 // 100),
        )
    return assets


FULL_VIDEO_SIZE = (1080, 1920)
DRAFT_VIDEO_SIZE = (270, 480)  # RENDER_VIDEO_DRAFT: a quarter of the width, for benchmarks
DRAFT_FPS = 12  # and fewer frames


def video_size() -> tuple[int, int]:
    """The size videos are rendered at: the platforms' 1080×1920, or the draft size when
    ``RENDER_VIDEO_DRAFT`` is on (the loop benchmark; never for posts that go out)."""
    return DRAFT_VIDEO_SIZE if settings.RENDER_VIDEO_DRAFT else FULL_VIDEO_SIZE


MOTIONS: tuple[video.Motion, ...] = ("zoom_in", "pan_left", "zoom_out", "pan_right")
CARD_S = 1.5  # the intro and the outro card


@dataclass(frozen=True)
class VideoInputs:
    photos: list[Image.Image]
    photo_keys: list[str]  # checksums of the photos
    narration: soundtrack.Narration | None
    notes: list[str]  # what the owner is told; the video adds its own


def _card(inputs: images.CreativeInputs) -> Image.Image:
    """A full-frame 9:16 card: the brand card drawn at 4:5, centred on the brand colour."""
    picture = images.render("brand_card", "instagram_portrait", inputs)
    size = video_size()
    if picture.width != size[0]:
        height = round(picture.height * size[0] / picture.width)
        picture = picture.resize((size[0], height), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", size, images.hex_rgb(inputs.brand_primary, (47, 72, 88)))
    frame.paste(picture, (0, (size[1] - picture.height) // 2))
    return frame


def _slides(
    piece: ContentPiece, scenes: tuple[tuple[str, float], ...], photos: list[Image.Image]
) -> list[video.Slide]:
    slides = []
    for n, (caption, seconds) in enumerate(scenes):
        if photos:
            still = photos[n % len(photos)]
        else:  # no photo: a brand card carrying the caption
            still = _card(
                creative_inputs(
                    piece, ImageJob("scene", "brand_card", "instagram_portrait", caption), []
                )
            )
        slides.append(video.Slide(still, caption, seconds, MOTIONS[n % len(MOTIONS)]))
    return slides


def _timed(
    job: VideoJob, narration: soundtrack.Narration | None, notes: list[str]
) -> tuple[tuple[tuple[str, float], ...], soundtrack.Narration | None]:
    """The scenes, stretched to the narration when it is longer; no narration (and a
    note) when it cannot fit the longest video."""
    if narration is None:
        return job.scenes, None
    scenes = soundtrack.fitted_scenes(job.scenes, narration.duration_s, cards_s=2 * CARD_S)
    if scenes is None:
        notes.append(soundtrack.too_long_note(narration.duration_s))
        return job.scenes, None
    return scenes, narration


def _render_video(
    piece: ContentPiece, job: VideoJob, given: VideoInputs, report: Callable[[int], None]
) -> list[Asset]:
    """The piece's video and its cover, with the narration and the shop's music."""
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
    scenes, narration = _timed(job, given.narration, given.notes)
    rendered: list[video.RenderedVideo] = []
    with tempfile.TemporaryDirectory(prefix="gagecast-render-") as scratch:
        folder = Path(scratch)
        music = soundtrack.business_music(piece.business, folder, given.notes)
        key = fingerprint(
            "video",
            scenes,
            texts,
            given.photo_keys,
            narration.key if narration else "",
            music.checksum if music else "",
        )

        def make() -> Made:
            sound = video.Soundtrack(
                background=music.path if music else None,
                narration=soundtrack.narration_file(narration, folder) if narration else None,
            )
            result = video.render_video(
                _slides(piece, scenes, given.photos),
                output=folder / "video.mp4",
                intro=video.Card(_card(intro_inputs), CARD_S),
                outro=video.Card(_card(outro_inputs), CARD_S),
                soundtrack=sound,
                size=video_size(),
                fps=DRAFT_FPS if settings.RENDER_VIDEO_DRAFT else video.FPS,
                progress=report,
            )
            rules = RULES[piece.channel]
            if settings.RENDER_VIDEO_DRAFT:
                rules = replace(rules, size=DRAFT_VIDEO_SIZE, min_fps=DRAFT_FPS)
            problems = check_video(result.path, channel=piece.channel, rules=rules).problems
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

        def cover() -> Made:
            if not rendered:
                make()
            return rendered[0].cover_path.read_bytes(), ".jpg", "image/jpeg", *video_size(), None

        clip = asset_store(piece, kind=Asset.Kind.VIDEO, role=job.role, key=key, make=make)
        poster = asset_store(
            piece, kind=Asset.Kind.COVER, role="cover", key=fingerprint(key, "cover"), make=cover
        )
    report(100)
    return [clip, poster]
