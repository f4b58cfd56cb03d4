"""Rendering a written piece into checked files, reusing files for identical inputs."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from content.creative.services import piece_render
from content.models import Asset, ContentPiece, RenderStatus
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory, PhotoFactory, written_piece

pytestmark = pytest.mark.django_db


def _written(tenant: Tenant, channel: str, **attributes) -> ContentPiece:
    return written_piece(tenant.business, channel, **attributes)


def _jpeg(asset: Asset) -> Image.Image:
    with asset.file.open("rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_an_instagram_image_post_gets_a_checked_feed_image_and_a_thumbnail(alice: Tenant):
    PhotoFactory(business=alice.business, image__width=1600, image__height=1200)
    piece = _written(alice, "instagram", format="image", template="photo_band")

    piece_render(piece_id=piece.pk)

    piece.refresh_from_db()
    feed = piece.assets.get(kind=Asset.Kind.IMAGE)
    assert piece.render_status == RenderStatus.DONE and piece.render_progress == 100
    assert (feed.width, feed.height, feed.role) == (1080, 1350, "feed")
    assert _jpeg(feed).format == "JPEG"
    assert piece.assets.filter(kind=Asset.Kind.THUMBNAIL).count() == 1
    assert len(feed.checksum) == 64 and feed.size_bytes > 0


def test_a_carousel_gets_every_page(alice: Tenant):
    piece = _written(alice, "instagram", format="carousel", template="carousel")
    pages = len(piece.fields["carousel_pages"])

    piece_render(piece_id=piece.pk)

    roles = list(
        piece.assets.filter(kind="image").order_by("position").values_list("role", flat=True)
    )
    assert len(roles) == pages + 2  # cover, one per page, closing call to action
    assert roles[0] == "carousel-1"


def test_the_same_inputs_reuse_the_same_file(alice: Tenant):
    piece = _written(alice, "threads", format="image", template="gradient_headline")
    piece_render(piece_id=piece.pk)
    first = piece.assets.get(kind="image")

    piece_render(piece_id=piece.pk)

    again = piece.assets.get(kind="image")
    assert again.pk != first.pk
    assert again.file.name == first.file.name
    assert again.checksum == first.checksum
    # Keys fit the column on every database (SQLite would not complain; PostgreSQL does).
    assert all(len(key) <= 64 for key in piece.assets.values_list("source_key", flat=True))


def test_a_text_only_threads_post_needs_no_rendering(alice: Tenant):
    piece = _written(alice, "threads", format="text", template="text_only")

    piece_render(piece_id=piece.pk)

    piece.refresh_from_db()
    assert piece.render_status == RenderStatus.NONE
    assert not piece.assets.exists()


def test_a_piece_without_copy_is_left_alone(alice: Tenant):
    piece = ContentPieceFactory(business=alice.business, status="failed")

    piece_render(piece_id=piece.pk)

    piece.refresh_from_db()
    assert piece.render_status == RenderStatus.NONE


def test_a_short_gets_a_checked_video_a_cover_and_a_thumbnail(alice: Tenant):
    from content.creative.validate import check_video

    piece = _written(alice, "youtube_shorts")

    piece_render(piece_id=piece.pk)

    piece.refresh_from_db()
    assert piece.render_status == RenderStatus.DONE, piece.render_error
    clip = piece.assets.get(kind=Asset.Kind.VIDEO)
    report = check_video(clip.file.path, channel="youtube_shorts")
    assert report.problems == []
    assert (clip.width, clip.height) == (1080, 1920)
    assert 15 <= clip.duration_s <= 60
    assert piece.assets.filter(kind=Asset.Kind.COVER).count() == 1
    assert piece.assets.get(kind=Asset.Kind.IMAGE).width == 1280  # the thumbnail for YouTube
