"""오늘 뭐 올리지?: one photo and one line become a single post outside any campaign,
written from the owner's own words and led by their photo."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from content.models import ContentPiece
from content.services import piece_generate
from owner.services import next_posting_time
from tests.conftest import Tenant
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_one_line_and_one_photo_make_a_single_post_with_the_owners_words(alice: Tenant):
    photo = PhotoFactory(business=alice.business)

    response = alice.client().post(
        f"/app/businesses/{alice.business.pk}/today/",
        {"line": "딸기 케이크가 오늘 다시 나왔어요", "channel": "threads", "photo": photo.pk},
    )

    piece = ContentPiece.objects.get(business=alice.business)
    assert response["Location"] == f"/app/pieces/{piece.pk}/"
    assert (piece.campaign, piece.photo, piece.channel) == (None, photo, "threads")
    written = piece_generate(piece_id=piece.pk)  # what the worker does
    assert written.status == ContentPiece.Status.READY
    assert "딸기 케이크가 오늘 다시 나왔어요." in written.fields["text"]


def test_an_empty_line_is_explained_and_what_was_chosen_stays(alice: Tenant):
    response = alice.client().post(
        f"/app/businesses/{alice.business.pk}/today/", {"line": "  ", "channel": "naver_blog"}
    )

    html = response.content.decode()
    assert response.status_code == 400 and "한 줄 적어 주세요" in html
    assert 'value="naver_blog" checked' in html
    assert not ContentPiece.objects.exists()


def test_a_new_photo_uploaded_with_the_line_is_checked_and_kept(alice: Tenant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("cake.jpg", b"%PDF-1.7", content_type="image/jpeg")
    response = alice.client().post(
        f"/app/businesses/{alice.business.pk}/today/",
        {"line": "오늘의 케이크", "channel": "instagram", "upload": fake},
    )

    assert response.status_code == 400 and "cake.jpg" in response.content.decode()
    assert 'value="오늘의 케이크"' in response.content.decode()
    assert not ContentPiece.objects.exists()


def test_it_is_planned_for_todays_next_usual_hour_or_soon():
    from tests.factories import BusinessFactory

    business = BusinessFactory()
    morning = dt.datetime(2027, 5, 3, 9, tzinfo=SEOUL)
    night = dt.datetime(2027, 5, 3, 22, 50, tzinfo=SEOUL)

    assert next_posting_time(business, "instagram", morning) == dt.datetime(
        2027, 5, 3, 12, tzinfo=SEOUL
    )
    assert next_posting_time(business, "instagram", night) == night + dt.timedelta(minutes=30)
