"""Photos come into a shop's library the same way wherever they come from (the admin, a
profile import): checked by what the bytes are, turned upright, stripped of EXIF and
GPS, kept as JPEG — and refused in plain Korean when they are not photos."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from marketing.models import Organization, Photo
from marketing.profiles import business_from_profile, profile_parse
from tests.conftest import Tenant
from tests.content.media_files import image_bytes
from tests.factories import PhotoFactory, ProductFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def phone_jpeg() -> bytes:
    """A 60×40 JPEG as a phone saves it held upright: orientation 6 (turn 90°) and GPS."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 40.0)}  # GPS
    buffer = BytesIO()
    Image.new("RGB", (60, 40), "orange").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _stored(photo: Photo) -> Image.Image:
    with photo.image.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
        image.load()
    return image


def test_the_phone_photo_is_kept_upright_without_its_location(alice: Tenant):
    assert Image.open(BytesIO(phone_jpeg())).getexif().get_ifd(0x8825)  # the test has GPS

    url = reverse("admin:marketing_photo_add")
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_jpeg(), content_type="image/jpeg")
    response = alice.client().post(url, {"business": alice.business.pk, "image": upload})

    assert response.status_code == 302
    photo = Photo.objects.get(business=alice.business)
    image = _stored(photo)
    assert image.format == "JPEG" and photo.image.name.endswith(".jpg")
    assert image.size == (40, 60) == (photo.width, photo.height)  # turned upright
    assert not image.getexif()  # no orientation, no GPS, nothing


def test_the_admin_refuses_a_pdf_named_like_a_photo(alice: Tenant):
    url = reverse("admin:marketing_photo_add")
    upload = SimpleUploadedFile("menu.jpg", PDF, content_type="image/jpeg")

    response = alice.client().post(url, {"business": alice.business.pk, "image": upload})

    assert response.status_code == 200
    assert not Photo.objects.filter(business=alice.business).exists()
    assert "유효한 이미지 파일을 업로드하세요" in response.content.decode()


def test_a_profile_import_keeps_its_photos_and_skips_what_is_not_one(alice: Tenant, tmp_path):
    (tmp_path / "latte.png").write_bytes(image_bytes("PNG", size=(80, 50)))
    (tmp_path / "menu.jpg").write_bytes(PDF)
    profile = profile_parse(
        {
            "name": "사진 테스트 카페",
            "industry": "cafe",
            "area": "망원동",
            "photos": ["latte.png", "menu.jpg"],
        }
    )

    imported = business_from_profile(
        profile, organization=Organization.objects.get(pk=alice.organization.pk), base_dir=tmp_path
    )

    photos = list(imported.business.photos.all())
    assert [p.caption for p in photos] == ["latte"]
    assert photos[0].image.name.endswith(".jpg") and _stored(photos[0]).format == "JPEG"
    assert (photos[0].width, photos[0].height) == (80, 50)
    assert any("menu.jpg" in w and "사진 파일이 아니에요" in w for w in imported.warnings)


def test_a_deleted_photo_leaves_no_file_behind(alice: Tenant, django_capture_on_commit_callbacks):
    photo = PhotoFactory(business=alice.business)
    product = ProductFactory(business=alice.business, photo=ContentFile(phone_jpeg(), "p.jpg"))
    files = [(photo.image.storage, photo.image.name), (product.photo.storage, product.photo.name)]
    assert all(storage.exists(name) for storage, name in files)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
        product.delete()

    assert not any(storage.exists(name) for storage, name in files)


def test_importing_the_same_profile_twice_keeps_one_copy_of_each_photo(alice: Tenant, tmp_path):
    (tmp_path / "latte.png").write_bytes(image_bytes("PNG", size=(80, 50)))
    (tmp_path / "cake.png").write_bytes(image_bytes("PNG", size=(60, 60)))
    organization = Organization.objects.get(pk=alice.organization.pk)
    data = {"name": "두 번 카페", "industry": "cafe", "area": "망원동", "photos": ["latte.png"]}

    first = business_from_profile(profile_parse(data), organization=organization, base_dir=tmp_path)
    again = business_from_profile(
        profile_parse({**data, "photos": ["latte.png", "cake.png"]}),
        organization=organization,
        base_dir=tmp_path,
    )

    assert again.business.pk == first.business.pk
    assert sorted(again.business.photos.values_list("caption", flat=True)) == ["cake", "latte"]
