"""Which of the shop's photos an image takes: the one about what the piece is about, a
different lead photo for each piece of a campaign, and never one blown up past 1.5×."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from content.creative.images import render
from content.creative.photos import MAX_ENLARGEMENT, enlargement
from content.creative.services import photos_for_piece, shop_photos
from tests.conftest import Tenant
from tests.content.test_images import bright_photo, long_inputs
from tests.factories import CampaignFactory, ContentPieceFactory, PhotoFactory, ProductFactory


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.tobytes() == b.tobytes()


def test_a_panorama_is_not_blown_up_to_fill_a_square():
    panorama = Image.new("RGB", (2400, 300), (200, 40, 40))
    assert enlargement(panorama, (1080, 1080)) > 2 * MAX_ENLARGEMENT

    with_panorama = render("photo_band", "instagram_square", long_inputs(photos=[panorama]))
    without = render("photo_band", "instagram_square", long_inputs(photos=[]))

    assert _same(with_panorama, without)  # left out: the brand pattern fills the frame


def test_a_photo_too_small_for_a_frame_gives_way_to_one_that_fits():
    small = Image.new("RGB", (300, 300), (40, 40, 200))
    mixed = render("photo_band", "instagram_square", long_inputs(photos=[small, bright_photo()]))
    fitting = render("photo_band", "instagram_square", long_inputs(photos=[bright_photo()]))

    assert _same(mixed, fitting)


def _photo(tenant: Tenant, caption: str, colour: str) -> None:
    buffer = BytesIO()
    Image.new("RGB", (1200, 1200), colour).save(buffer, "JPEG")
    PhotoFactory(
        business=tenant.business,
        caption=caption,
        image=ContentFile(buffer.getvalue(), name=f"{colour}.jpg"),
    )


@pytest.mark.django_db
def test_a_piece_about_a_product_leads_with_its_photo(alice: Tenant):
    ProductFactory(business=alice.business, name="소금빵")
    ProductFactory(business=alice.business, name="바닐라 라떼")
    _photo(alice, "가게 외관", "gray")
    _photo(alice, "갓 구운 소금빵", "orange")
    _photo(alice, "라떼 아트", "brown")
    piece = ContentPieceFactory(
        business=alice.business, fields={"caption": "오늘 아침 소금빵이 나왔어요"}
    )

    chosen = photos_for_piece(piece, shop_photos(alice.business))

    assert "소금빵" in chosen[0].about
    assert len(chosen) == 3  # the others follow, for carousels and videos


@pytest.mark.django_db
def test_the_pieces_of_a_campaign_lead_with_different_photos(alice: Tenant):
    for caption, colour in (("가게 외관", "gray"), ("창가 자리", "white"), ("카운터", "navy")):
        _photo(alice, caption, colour)
    campaign = CampaignFactory(business=alice.business)
    pieces = [
        ContentPieceFactory(business=alice.business, campaign=campaign, fields={"caption": "안녕"})
        for _ in range(3)
    ]
    photos = shop_photos(alice.business)

    leads = {photos_for_piece(piece, photos)[0].checksum for piece in pieces}

    assert len(leads) == 3
