"""The owner's photo library page: several photos in one upload, each checked and
cleaned and sent for analysis; what is not a photo is refused in Korean and the rest
still land; a photo is deleted with its file; nobody else's shop is reachable."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import PhotoAnalysis
from marketing.models import Photo
from tests.conftest import Tenant
from tests.content.media_files import image_bytes
from tests.marketing.test_photo_library import PDF, phone_jpeg

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_the_owner_uploads_several_photos_and_a_pdf_is_refused(alice: Tenant):
    url = reverse("content:photo_library", args=[alice.business.pk])
    files = [
        _upload("IMG_0001.JPG", phone_jpeg()),
        _upload("menu.jpg", PDF),
        _upload("latte.png", image_bytes("PNG", size=(90, 60))),
    ]

    response = alice.client().post(url, {"photos": files}, follow=True)

    page = response.content.decode()
    photos = Photo.objects.filter(business=alice.business)
    assert photos.count() == 2
    assert all(p.image.name.endswith(".jpg") for p in photos)
    assert "menu.jpg: 사진 파일이 아니에요" in page
    assert "사진 2장을 올렸어요" in page
    assert PhotoAnalysis.objects.filter(photo__in=photos).count() == 2  # analysis queued


def test_a_photo_is_deleted_from_the_library(alice: Tenant):
    url = reverse("content:photo_library", args=[alice.business.pk])
    alice.client().post(url, {"photos": [_upload("a.png", image_bytes("PNG"))]})
    photo = Photo.objects.get(business=alice.business)

    response = alice.client().post(reverse("content:photo_delete", args=[photo.pk]))

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()


def test_another_shop_cannot_see_or_delete_the_photos(alice: Tenant, bob: Tenant):
    url = reverse("content:photo_library", args=[alice.business.pk])
    alice.client().post(url, {"photos": [_upload("a.png", image_bytes("PNG"))]})
    photo = Photo.objects.get(business=alice.business)

    assert bob.client().get(url).status_code == 404
    assert bob.client().post(reverse("content:photo_delete", args=[photo.pk])).status_code == 404
    assert (
        bob.client().post(url, {"photos": [_upload("b.png", image_bytes("PNG"))]}).status_code
        == 404
    )
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_a_strength_the_analysis_saw_joins_the_shop_with_one_tap(alice: Tenant):
    alice.client().post(
        reverse("content:photo_library", args=[alice.business.pk]),
        {"photos": [_upload("a.png", image_bytes("PNG"))]},
    )
    photo = Photo.objects.get(business=alice.business)
    PhotoAnalysis.objects.filter(photo=photo).update(
        description="갓 구운 소금빵", selling_points=["매일 아침 직접 굽는 빵"]
    )
    accept = reverse("content:selling_point_accept", args=[photo.pk])

    page = alice.client().get(reverse("content:photo_library", args=[alice.business.pk]))
    alice.client().post(accept, {"point": "매일 아침 직접 굽는 빵"})
    alice.client().post(accept, {"point": "매일 아침 직접 굽는 빵"})  # a second tap: no copy
    refused = alice.client().post(accept, {"point": "전국 1등 빵집"}, follow=True)

    assert "+ 매일 아침 직접 굽는 빵" in page.content.decode()
    alice.business.refresh_from_db()
    assert alice.business.selling_points.count("매일 아침 직접 굽는 빵") == 1
    assert "전국 1등 빵집" not in alice.business.selling_points
    assert "이 사진의 분석에 없는 강점이에요" in refused.content.decode()
