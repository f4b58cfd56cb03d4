"""The review screen: the platform's frame, editing with errors tied to their fields,
swaps, restoring, approving; who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from content.models import ContentPiece
from publishing.models import Publication
from tests.conftest import Tenant
from tests.factories import AssetFactory, ChannelAccountFactory, PhotoFactory, written_piece

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("channel", "frame"),
    [
        ("instagram", "pv-ig"),
        ("threads", "pv-threads"),
        ("youtube_shorts", "pv-shorts"),
        ("naver_blog", "pv-blog"),
    ],
)
def test_each_channel_is_previewed_in_its_platforms_frame(alice: Tenant, channel, frame):
    piece = written_piece(alice.business, channel)

    page = alice.client().get(f"/app/pieces/{piece.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'class="pv {frame}"' in html
    assert 'data-limit="' in html  # the counters the platform applies


def test_a_long_instagram_caption_folds_behind_more_and_a_carousel_swipes(alice: Tenant):
    piece = written_piece(alice.business, "instagram", format="carousel")
    ContentPiece.objects.filter(pk=piece.pk).update(body="첫 줄이에요.\n" + "가" * 300)
    for n in (1, 2, 3):
        AssetFactory(piece=piece, role=f"carousel-{n}", position=n)

    html = alice.client().get(f"/app/pieces/{piece.pk}/").content.decode()

    assert "더 보기" in html and "pv-rest" in html
    assert html.count('class="pv-dots"') == 1 and html.count("<img src=") >= 3


def test_a_blog_preview_lays_out_headings_and_paragraphs(alice: Tenant):
    piece = written_piece(alice.business, "naver_blog")

    html = alice.client().get(f"/app/pieces/{piece.pk}/").content.decode()

    assert html.count("<h4>") == len(piece.fields["sections"])
    assert piece.fields["sections"][0]["heading"] in html


def test_saving_an_edit_makes_a_revision_and_says_so(alice: Tenant):
    piece = written_piece(alice.business, "threads")

    response = alice.client().post(
        f"/app/pieces/{piece.pk}/edit/", {"f-text": "손으로 고친 글이에요."}, follow=True
    )

    piece.refresh_from_db()
    assert piece.fields["text"] == "손으로 고친 글이에요." and piece.revisions.count() == 2
    assert "2번째 버전으로 저장했어요" in response.content.decode()


def test_an_edit_that_breaks_a_rule_keeps_the_text_and_ties_the_error_to_its_field(
    alice: Tenant,
):
    piece = written_piece(alice.business, "threads")
    text = "🎉" * 130

    response = alice.client().post(f"/app/pieces/{piece.pk}/edit/", {"f-text": text})

    html = response.content.decode()
    assert response.status_code == 400
    assert text in html  # nothing the owner typed is lost
    assert 'aria-invalid="true"' in html and 'aria-describedby="f-text-count f-text-error"' in html
    assert 'id="f-text-error"' in html
    piece.refresh_from_db()
    assert piece.fields["text"] != text


def test_approving_schedules_at_the_planned_time(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    planned = timezone.now() + dt.timedelta(days=2)
    ContentPiece.objects.filter(pk=piece.pk).update(planned_for=planned)
    ChannelAccountFactory(business=alice.business, platform="threads")

    response = alice.client().post(f"/app/pieces/{piece.pk}/approve/", follow=True)

    publication = Publication.objects.get(piece=piece)
    assert publication.scheduled_at == planned
    assert "승인했어요" in response.content.decode()


def test_approving_without_an_account_says_how_to_connect_one(alice: Tenant):
    piece = written_piece(alice.business, "threads")

    response = alice.client().post(f"/app/pieces/{piece.pk}/approve/", follow=True)

    assert "계정이 연결되어 있지 않습니다" in response.content.decode()
    assert not Publication.objects.filter(piece=piece).exists()


def test_swap_and_restore_from_the_page(alice: Tenant):
    piece = written_piece(alice.business, "instagram", format="image")
    photo = PhotoFactory(business=alice.business)
    client = alice.client()

    client.post(f"/app/pieces/{piece.pk}/swap/", {"template": "menu_card", "photo": photo.pk})
    client.post(f"/app/pieces/{piece.pk}/revisions/1/restore/")

    piece.refresh_from_db()
    assert [r.source for r in piece.revisions.all()] == ["restore", "swap", "generated"]
    assert piece.photo_id is None  # version 1 had no picked photo


def test_a_published_piece_shows_but_offers_no_editing(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.PUBLISHED)
    client = alice.client()

    html = client.get(f"/app/pieces/{piece.pk}/").content.decode()
    response = client.post(f"/app/pieces/{piece.pk}/edit/", {"f-text": "바꿔요"}, follow=True)

    assert "저장하기" not in html and "고칠 수 없어요" in html
    assert "이미 게시된 글" in response.content.decode()
    piece.refresh_from_db()
    assert piece.fields["text"] != "바꿔요"


def test_another_organization_cannot_see_or_change_a_piece(alice: Tenant, bob: Tenant):
    piece = written_piece(alice.business, "threads")
    client = bob.client()

    assert client.get(f"/app/pieces/{piece.pk}/").status_code == 404
    assert client.post(f"/app/pieces/{piece.pk}/edit/", {"f-text": "x"}).status_code == 404
    assert client.post(f"/app/pieces/{piece.pk}/approve/").status_code == 404


def test_editing_a_scheduled_piece_on_the_page_says_it_left_the_schedule(alice: Tenant):
    from publishing.services import schedule_piece

    piece = written_piece(alice.business, "threads")
    ChannelAccountFactory(business=alice.business, platform="threads")
    publication = schedule_piece(piece, timezone.now() + dt.timedelta(days=1))

    response = alice.client().post(
        f"/app/pieces/{piece.pk}/edit/", {"f-text": "가격이 바뀌었어요."}, follow=True
    )

    publication.refresh_from_db()
    assert publication.state == Publication.State.CANCELED
    assert "예약은 취소됐어요" in response.content.decode()
    assert "승인하고 예약하기" in response.content.decode()  # back in review


def test_a_photo_id_that_is_not_a_number_is_answered_not_crashed(alice: Tenant):
    piece = written_piece(alice.business, "instagram", format="image")

    response = alice.client().post(f"/app/pieces/{piece.pk}/swap/", {"photo": "abc"}, follow=True)
    today = alice.client().post(
        f"/app/businesses/{alice.business.pk}/today/",
        {"line": "오늘의 빵", "channel": "threads", "photo": "abc"},
    )

    assert response.status_code == 200 and "그 사진을 찾을 수 없어요" in response.content.decode()
    assert today.status_code == 302  # an unreadable choice is no photo, the post is made


def test_an_edit_with_a_particle_slip_is_saved_as_written_and_the_slip_is_pointed_out(
    alice: Tenant,
):
    piece = written_piece(alice.business, "threads", tone="friendly")

    response = alice.client().post(
        f"/app/pieces/{piece.pk}/edit/", {"f-text": "12,500원로 즐기는 오후예요."}, follow=True
    )

    piece.refresh_from_db()
    html = response.content.decode()
    assert piece.fields["text"] == "12,500원로 즐기는 오후예요."
    assert "한 번 더 살펴보면 좋은 곳이 있어요" in html  # the message after saving
    assert "맞춤법·표현 점검" in html and "<ins>12,500원으로</ins>" in html


def test_what_the_gate_repaired_in_a_written_piece_is_shown_under_the_edit_form(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    piece.quality_findings.create(
        revision=1,
        provider="gemini",
        source="writer",
        rule="particle",
        severity="repaired",
        field="text",
        before="12,500원로",
        after="12,500원으로",
        message="조사를 앞말에 맞게 고쳤습니다: 12,500원로 → 12,500원으로",
    )

    html = alice.client().get(f"/app/pieces/{piece.pk}/").content.decode()

    assert "글을 저장하기 전에 맞춤법과 표현을 점검해서 이렇게 고쳤어요." in html
    assert "<del>12,500원로</del> → <ins>12,500원으로</ins>" in html
