"""Every change of a piece's copy is a revision: hand edits checked against the channel's
rules, swaps, restores, rewrites; a scheduled piece is unscheduled by a change, and a
published one refuses every change, on the page services and on the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from content import editing
from content.models import ContentPiece, PieceRevision
from content.revisions import PieceLocked
from content.services import piece_regenerate
from content.specs import threads_length
from publishing.models import Publication
from publishing.services import schedule_piece
from tests.conftest import Tenant
from tests.factories import ChannelAccountFactory, PhotoFactory, PublicationFactory, written_piece

pytestmark = pytest.mark.django_db
Source = PieceRevision.Source


def _scheduled(tenant: Tenant, channel: str = "instagram") -> tuple[ContentPiece, Publication]:
    piece = written_piece(tenant.business, channel)
    ChannelAccountFactory(business=tenant.business, platform=channel)
    publication = schedule_piece(piece, timezone.now() + dt.timedelta(days=1))
    piece.refresh_from_db()
    return piece, publication


def test_a_written_piece_starts_with_its_first_revision(alice: Tenant):
    piece = written_piece(alice.business, "instagram")

    [first] = piece.revisions.all()
    assert (first.number, first.source) == (1, Source.GENERATED)
    assert first.fields == piece.fields and first.body == piece.body


def test_the_form_shows_nested_text_with_labels_and_the_platforms_counters(alice: Tenant):
    blog = written_piece(alice.business, "naver_blog")
    threads = written_piece(alice.business, "threads")

    blog_fields = {f.path: f for f in editing.edit_fields(blog)}
    threads_fields = {f.path: f for f in editing.edit_fields(threads)}

    assert blog_fields["sections.1.body"].label == "문단 2 · 내용"
    assert blog_fields["tags"].tags and blog_fields["title"].limit == 100
    assert (threads_fields["text"].limit, threads_fields["text"].unit) == (500, "threads")
    assert "attributes" not in " ".join(blog_fields)
    image_post = written_piece(alice.business, "instagram", format="image")
    assert not [f for f in editing.edit_fields(image_post) if f.path == "carousel_pages"]


def test_a_hand_edit_is_a_new_revision_and_keeps_the_attributes_true(alice: Tenant):
    piece = written_piece(alice.business, "instagram")

    revision = editing.edit(
        piece,
        {"caption": "아메리카노 4,500원으로 바뀌었어요.", "hashtags": "#카페 #아메리카노 카페"},
        author=alice.user,
    )

    piece.refresh_from_db()
    assert revision is not None and (revision.number, revision.source) == (2, Source.EDIT)
    assert revision.author == alice.user
    assert piece.fields["caption"] == "아메리카노 4,500원으로 바뀌었어요."
    assert piece.fields["hashtags"] == ["#카페", "#아메리카노"]  # normalised, no duplicate
    assert piece.hashtag_count == 2 and piece.status == ContentPiece.Status.READY
    assert "#아메리카노" in piece.body


def test_an_unchanged_form_adds_no_revision(alice: Tenant):
    piece = written_piece(alice.business, "threads")

    assert editing.edit(piece, {"text": piece.fields["text"]}) is None
    assert piece.revisions.count() == 1


def test_an_edit_over_the_limit_is_refused_field_by_field_and_nothing_is_saved(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    before = piece.fields["text"]
    text = "😀" * 126  # 126 characters, but Threads counts 504

    with pytest.raises(editing.EditRejected) as refused:
        editing.edit(piece, {"text": text})

    [field] = [f for f in refused.value.fields if f.path == "text"]
    assert threads_length(text) == 504 and "500" in field.error
    assert field.value == text  # the owner's words come back to the form
    piece.refresh_from_db()
    assert piece.fields["text"] == before and piece.revisions.count() == 1


def test_an_edit_after_scheduling_unschedules_and_sends_it_back_to_review(alice: Tenant):
    piece, publication = _scheduled(alice)
    assert piece.status == ContentPiece.Status.APPROVED

    editing.edit(piece, {"caption": "가격이 바뀌었어요. 4,800원이에요."})

    publication.refresh_from_db()
    piece.refresh_from_db()
    assert publication.state == Publication.State.CANCELED
    assert piece.status == ContentPiece.Status.READY
    assert piece.planned_for is not None  # approving again schedules it at the same slot
    assert piece.render_status == "queued"  # its images are made again from the new text
    ContentPiece.objects.filter(pk=piece.pk).update(render_status="done")
    piece.refresh_from_db()
    again = schedule_piece(piece, piece.planned_for)
    assert again.pk != publication.pk and again.state == Publication.State.SCHEDULED


def test_a_rewrite_of_a_scheduled_piece_unschedules_it_too(alice: Tenant):
    piece, publication = _scheduled(alice)

    piece_regenerate(piece=piece, instruction="더 짧게")

    publication.refresh_from_db()
    assert publication.state == Publication.State.CANCELED


def test_a_published_piece_refuses_every_change(alice: Tenant):
    piece, publication = _scheduled(alice)
    Publication.objects.filter(pk=publication.pk).update(state=Publication.State.PUBLISHED)
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.PUBLISHED)
    first = piece.revisions.get(number=1)

    for change in (
        lambda: editing.edit(piece, {"caption": "바꿔 볼게요."}),
        lambda: editing.swap(piece, template="menu_card"),
        lambda: editing.restore(piece, first),
        lambda: piece_regenerate(piece=piece, instruction="더 짧게"),
    ):
        with pytest.raises(PieceLocked, match="이미 게시된 글"):
            change()
    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.PUBLISHED and piece.revisions.count() == 1


def test_a_piece_going_out_right_now_refuses_a_change_and_nothing_moves(alice: Tenant):
    piece, publication = _scheduled(alice)
    Publication.objects.filter(pk=publication.pk).update(state=Publication.State.PUBLISHING)

    with pytest.raises(PieceLocked, match="게시하는 중"):
        editing.edit(piece, {"caption": "지금 바꿔요."})

    piece.refresh_from_db()
    publication.refresh_from_db()
    assert piece.status == ContentPiece.Status.APPROVED and piece.revisions.count() == 1
    assert publication.state == Publication.State.PUBLISHING


def test_a_published_publication_marks_its_piece_published(alice: Tenant):
    from publishing import transitions
    from publishing.publishers.base import Published

    piece = written_piece(alice.business, "threads")
    publication = PublicationFactory(piece=piece, state=Publication.State.PUBLISHING)

    transitions.published(publication, Published(external_id="1", permalink="https://t.example/1"))

    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.PUBLISHED


def test_restore_brings_an_earlier_version_back_as_the_newest(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    original = piece.fields["text"]
    editing.edit(piece, {"text": "오늘은 새 메뉴를 소개해요."})

    restored = editing.restore(piece, piece.revisions.get(number=1), author=alice.user)

    piece.refresh_from_db()
    assert (restored.number, restored.source, restored.restored_from) == (3, Source.RESTORE, 1)
    assert piece.fields["text"] == original
    assert [r.number for r in piece.revisions.all()] == [3, 2, 1]


def test_swapping_the_photo_and_template_is_a_revision_and_leads_the_images(alice: Tenant):
    piece = written_piece(alice.business, "instagram", format="image")
    photo = PhotoFactory(business=alice.business)
    other = PhotoFactory(business=alice.business)

    editing.swap(piece, template="menu_card", photo=other)

    piece.refresh_from_db()
    assert (piece.template, piece.photo_id) == ("menu_card", other.pk)
    assert piece.revisions.first().source == Source.SWAP
    from content.creative.services import photos_for_piece, shop_photos

    ordered = photos_for_piece(piece, shop_photos(piece.business, picked=piece.photo_id))
    assert ordered[0].photo_id == other.pk and photo.pk in [p.photo_id for p in ordered]


def test_a_swap_refuses_another_shops_photo_and_unknown_templates(alice: Tenant, bob: Tenant):
    piece = written_piece(alice.business, "instagram")

    with pytest.raises(ValueError, match="이 가게의 사진"):
        editing.swap(piece, photo=PhotoFactory(business=bob.business))
    with pytest.raises(ValueError, match="템플릿"):
        editing.swap(piece, template="carousel")


# --- The API ---------------------------------------------------------------------------------


def test_the_api_edits_lists_and_restores_revisions(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    api = alice.api()

    edited = api.patch(
        f"/api/v1/pieces/{piece.pk}/", {"fields": {"text": "손으로 고친 글이에요."}}, format="json"
    )
    listed = api.get(f"/api/v1/pieces/{piece.pk}/revisions/")
    restored = api.post(f"/api/v1/pieces/{piece.pk}/revisions/1/restore/")

    assert edited.status_code == 200 and edited.json()["fields"]["text"] == "손으로 고친 글이에요."
    assert [r["number"] for r in listed.json()["results"]] == [2, 1]
    assert restored.status_code == 200 and restored.json()["revision"] >= 0
    assert piece.revisions.count() == 3


def test_the_api_names_the_field_that_breaks_a_rule_and_unknown_fields(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    api = alice.api()

    too_long = api.patch(
        f"/api/v1/pieces/{piece.pk}/", {"fields": {"text": "가" * 501}}, format="json"
    )
    unknown = api.patch(f"/api/v1/pieces/{piece.pk}/", {"fields": {"nope": "x"}}, format="json")

    assert too_long.status_code == 400 and "text" in too_long.json()["error"]["fields"]
    assert unknown.status_code == 400 and "nope" in str(unknown.json())


def test_the_api_refuses_changing_a_published_piece_with_409(alice: Tenant, bob: Tenant):
    piece = written_piece(alice.business, "threads")
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.PUBLISHED)
    api = alice.api()

    edit = api.patch(f"/api/v1/pieces/{piece.pk}/", {"fields": {"text": "새 글"}}, format="json")
    rewrite = api.post(f"/api/v1/pieces/{piece.pk}/regenerate/", {"instruction": "더 짧게"})
    restore = api.post(f"/api/v1/pieces/{piece.pk}/revisions/1/restore/")
    foreign = bob.api().patch(
        f"/api/v1/pieces/{piece.pk}/", {"fields": {"text": "x"}}, format="json"
    )

    for response in (edit, rewrite, restore):
        assert response.status_code == 409, response.content
        assert response.json()["error"]["code"] == "conflict"
        assert "이미 게시된 글" in response.json()["error"]["message"]
    assert foreign.status_code == 404


# --- The admin -------------------------------------------------------------------------------


def _admin_form(piece: ContentPiece) -> dict:
    from django.forms.models import model_to_dict

    data = {k: v for k, v in model_to_dict(piece).items() if v is not None}
    data["fields"] = json.dumps(piece.fields, ensure_ascii=False)
    data["learning"] = "{}"
    for inline in ("assets", "quality_findings"):  # the inlines' management forms
        data.update({f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"})
    return data


def test_an_admin_edit_is_a_revision_and_unschedules(alice: Tenant, superuser):
    from django.test import Client

    piece, publication = _scheduled(alice, "threads")
    client = Client()
    client.force_login(superuser)
    data = _admin_form(piece)
    data["fields"] = json.dumps({**piece.fields, "text": "운영자가 고친 글"}, ensure_ascii=False)

    response = client.post(f"/admin/content/contentpiece/{piece.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    piece.refresh_from_db()
    publication.refresh_from_db()
    assert piece.body == "운영자가 고친 글"  # what is posted follows the fields
    assert piece.revisions.first().source == Source.EDIT
    assert publication.state == Publication.State.CANCELED


def test_the_admin_shows_a_published_piece_read_only(alice: Tenant, superuser):
    from django.test import Client

    piece = written_piece(alice.business, "threads")
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.PUBLISHED)
    client = Client()
    client.force_login(superuser)

    page = client.get(f"/admin/content/contentpiece/{piece.pk}/change/").content.decode()

    assert 'name="body"' not in page


def test_the_admin_refuses_copy_that_breaks_the_channels_rules(alice: Tenant, superuser):
    from django.test import Client

    piece = written_piece(alice.business, "threads")
    client = Client()
    client.force_login(superuser)
    data = _admin_form(piece)
    data["fields"] = json.dumps({**piece.fields, "text": "가" * 501}, ensure_ascii=False)

    response = client.post(f"/admin/content/contentpiece/{piece.pk}/change/", data)

    assert response.status_code == 200 and "500" in response.content.decode()
    piece.refresh_from_db()
    assert piece.revisions.count() == 1


# --- Races and roles (found in review) ------------------------------------------------------


def test_a_change_made_from_an_old_version_is_refused_and_keeps_the_text(alice: Tenant):
    piece = written_piece(alice.business, "threads")
    editing.edit(piece, {"text": "먼저 고친 글이에요."})

    with pytest.raises(editing.EditRejected) as refused:
        editing.edit(piece, {"text": "나중에 고친 글이에요."}, base=1)

    assert "그 사이 이 글이 바뀌었어요" in str(refused.value)
    assert [f.value for f in refused.value.fields if f.path == "text"] == ["나중에 고친 글이에요."]
    piece.refresh_from_db()
    assert piece.fields["text"] == "먼저 고친 글이에요."


def test_approving_a_version_that_is_no_longer_the_newest_is_refused(alice: Tenant):
    from owner.services import approve
    from publishing.services import SchedulingError

    piece = written_piece(alice.business, "threads")
    ChannelAccountFactory(business=alice.business, platform="threads")
    ContentPiece.objects.filter(pk=piece.pk).update(
        planned_for=timezone.now() + dt.timedelta(days=1)
    )
    piece.refresh_from_db()
    editing.edit(piece, {"text": "그 사이 바뀐 글이에요."})
    ContentPiece.objects.filter(pk=piece.pk).update(render_status="done")

    with pytest.raises(SchedulingError, match="그 사이 이 글이 바뀌었어요"):
        approve(piece, seen_revision=1)
    assert approve(piece, seen_revision=2).state == Publication.State.SCHEDULED


def test_approving_reads_the_piece_again_under_its_lock(alice: Tenant):
    from publishing.services import SchedulingError

    piece, _publication = _scheduled(alice, "threads")
    stale = ContentPiece.objects.get(pk=piece.pk)  # what an approve request loaded
    editing.edit(piece, {"text": "방금 고친 글이에요."})  # committed meanwhile: render queued

    with pytest.raises(SchedulingError, match="사진과 영상이 준비되지 않아"):
        schedule_piece(stale, timezone.now() + dt.timedelta(days=2))


@pytest.mark.parametrize("state", [Publication.State.PROCESSING, Publication.State.PUBLISHING])
def test_a_post_the_platform_already_holds_refuses_a_change(alice: Tenant, state):
    piece, publication = _scheduled(alice, "youtube_shorts")
    Publication.objects.filter(pk=publication.pk).update(state=state, container_id="upload-1")

    with pytest.raises(PieceLocked, match="게시하는 중"):
        editing.edit(piece, {"title": "바꾼 제목 #Shorts"})

    publication.refresh_from_db()
    assert publication.state == state


def test_a_claimed_post_with_a_saved_upload_refuses_a_change(alice: Tenant):
    piece, publication = _scheduled(alice, "youtube_shorts")
    Publication.objects.filter(pk=publication.pk).update(
        state=Publication.State.CLAIMED, progress={"session": "https://upload"}
    )

    with pytest.raises(PieceLocked):
        editing.swap(piece, template="menu_card")


def test_staff_may_edit_a_draft_but_not_take_a_scheduled_post_off_the_schedule(
    alice: Tenant, charlie: Tenant
):
    draft = written_piece(alice.business, "threads")
    scheduled, publication = _scheduled(alice, "instagram")

    assert editing.edit(draft, {"text": "직원이 고친 글"}, author=charlie.user) is not None
    with pytest.raises(PieceLocked, match="매니저 이상"):
        editing.edit(scheduled, {"caption": "직원이 고친 캡션"}, author=charlie.user)
    with pytest.raises(PieceLocked, match="매니저 이상"):
        piece_regenerate(piece=scheduled, instruction="더 짧게", actor=charlie.user)
    publication.refresh_from_db()
    assert publication.state == Publication.State.SCHEDULED
    assert editing.edit(scheduled, {"caption": "사장님이 고친 캡션"}, author=alice.user)


def test_a_swap_that_changes_nothing_adds_no_revision_and_keeps_the_schedule(alice: Tenant):
    piece, publication = _scheduled(alice, "instagram")

    assert editing.swap(piece, template=piece.template) is None

    publication.refresh_from_db()
    assert publication.state == Publication.State.SCHEDULED and piece.revisions.count() == 1
