"""Every move of a piece's status and render status: from where it may happen, what it
writes, and that a move from anywhere else changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from content import transitions
from content.models import ContentPiece, RenderStatus
from content.signals import piece_settled
from tests.conftest import Tenant
from tests.factories import CampaignFactory, ContentPieceFactory

pytestmark = pytest.mark.django_db
Status = ContentPiece.Status


def _piece(tenant: Tenant, status: str, **extra: Any) -> ContentPiece:
    return ContentPieceFactory(business=tenant.business, status=status, **extra)


def _stored(piece: ContentPiece) -> ContentPiece:
    return ContentPiece.objects.get(pk=piece.pk)


@pytest.fixture
def settled() -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append({k: kwargs[k] for k in ("piece_id", "campaign_id")})

    piece_settled.connect(receiver)
    yield received
    piece_settled.disconnect(receiver)


# --- Writing the copy --------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.QUEUED, Status.GENERATING])
def test_a_queued_or_interrupted_piece_begins_writing(alice: Tenant, status: str):
    piece = _piece(alice, status)

    assert transitions.begin_writing(piece) is True
    assert piece.status == _stored(piece).status == Status.GENERATING


@pytest.mark.parametrize("status", [Status.READY, Status.FAILED, Status.APPROVED, Status.ARCHIVED])
def test_a_piece_already_done_is_not_written_again(alice: Tenant, status: str):
    piece = _piece(alice, status)

    assert transitions.begin_writing(piece) is False
    assert piece.status == _stored(piece).status == status


def test_finishing_stores_the_copy_and_makes_the_piece_ready(alice: Tenant):
    piece = _piece(alice, Status.GENERATING, error="잠시 후 다시")

    moved = transitions.finish_writing(piece, {"title": "새 글", "body": "본문", "tone": "warm"})

    stored = _stored(piece)
    assert moved is True
    assert (stored.status, stored.title, stored.body, stored.tone, stored.error) == (
        Status.READY, "새 글", "본문", "warm", "",
    )  # fmt: skip
    assert (piece.status, piece.title) == (Status.READY, "새 글")


def test_a_rewrite_asked_while_writing_wins_over_the_draft_being_finished(alice: Tenant):
    piece = _piece(alice, Status.GENERATING, body="예전 글")
    transitions.queue_rewrite(_stored(piece))

    assert transitions.finish_writing(piece, {"body": "늦은 초안"}) is False
    assert (_stored(piece).status, _stored(piece).body) == (Status.QUEUED, "예전 글")
    assert piece.body == "예전 글"


def test_a_settled_piece_is_announced_only_once_the_change_commits(
    alice: Tenant, settled, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(business=alice.business)
    piece = _piece(alice, Status.GENERATING, campaign=campaign)

    with django_capture_on_commit_callbacks() as callbacks:
        transitions.finish_writing(piece, {"body": "본문"})
    assert settled == []
    callbacks[0]()

    assert settled == [{"piece_id": piece.pk, "campaign_id": campaign.pk}]


def test_the_campaign_of_a_failed_piece_rolls_up_once_committed(
    alice: Tenant, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(business=alice.business, status=Campaign.Status.GENERATING)
    piece = _piece(alice, Status.GENERATING, campaign=campaign)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.fail(piece, "채널 규칙에 맞지 않습니다")

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED


@pytest.mark.parametrize("status", [Status.QUEUED, Status.GENERATING, Status.READY])
def test_a_piece_fails_with_the_owners_reason_and_keeps_its_text(alice: Tenant, status: str):
    piece = _piece(alice, status, body="예전 글")

    assert transitions.fail(piece, "할당량을 다 썼습니다") is True
    stored = _stored(piece)
    assert (stored.status, stored.error, stored.body) == (
        Status.FAILED,
        "할당량을 다 썼습니다",
        "예전 글",
    )
    assert (piece.status, piece.error) == (Status.FAILED, "할당량을 다 썼습니다")


@pytest.mark.parametrize("status", [Status.FAILED, Status.APPROVED, Status.ARCHIVED])
def test_a_failed_approved_or_archived_piece_does_not_fail_again(
    alice: Tenant, settled, status: str, django_capture_on_commit_callbacks
):
    piece = _piece(alice, status, error="처음 사유")

    with django_capture_on_commit_callbacks(execute=True):
        assert transitions.fail(piece, "나중 사유") is False

    assert (_stored(piece).status, _stored(piece).error) == (status, "처음 사유")
    assert settled == []


def test_only_a_failed_piece_is_queued_for_a_retry(alice: Tenant):
    failed, ready = _piece(alice, Status.FAILED, error="사유"), _piece(alice, Status.READY)

    assert transitions.queue_retry(failed) is True
    assert transitions.queue_retry(ready) is False
    assert (_stored(failed).status, _stored(failed).error) == (Status.QUEUED, "")
    assert _stored(ready).status == Status.READY


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_a_rewrite_queues_the_next_revision_from_any_status(alice: Tenant, status: str):
    piece = _piece(alice, status, revision=2, error="사유")

    assert transitions.queue_rewrite(piece) is True
    stored = _stored(piece)
    assert (stored.status, stored.revision, stored.error) == (Status.QUEUED, 3, "")
    assert (piece.status, piece.revision) == (Status.QUEUED, 3)


def test_a_published_piece_is_never_rewritten_nor_revised(alice: Tenant):
    piece = _piece(alice, Status.PUBLISHED, revision=2)

    assert transitions.queue_rewrite(piece) is False
    assert transitions.revise(piece, {"body": "새 글"}) is False
    assert (_stored(piece).status, _stored(piece).body) == (Status.PUBLISHED, piece.body)


@pytest.mark.parametrize(("status", "moves"), [
    (Status.READY, True), (Status.APPROVED, True), (Status.GENERATING, False), (Status.FAILED, False),
])  # fmt: skip
def test_only_written_copy_is_approved_for_its_time(alice: Tenant, status: str, moves: bool):
    at = timezone.now() + dt.timedelta(days=1)
    piece = _piece(alice, status)

    assert transitions.approve(piece, planned_for=at) is moves
    stored = _stored(piece)
    assert (stored.status, stored.planned_for) == (
        (Status.APPROVED, at) if moves else (status, None)
    )


# --- Rendering images and video ------------------------------------------------------------


def test_new_copy_queues_a_fresh_render_whatever_was_rendered_before(alice: Tenant):
    piece = _piece(
        alice, Status.READY, render_status=RenderStatus.FAILED, render_progress=40, render_error="x"
    )

    assert transitions.queue_render(piece.pk) is True
    stored = _stored(piece)
    assert (stored.render_status, stored.render_progress, stored.render_error) == (
        RenderStatus.QUEUED, 0, "",
    )  # fmt: skip


@pytest.mark.parametrize("status", [Status.QUEUED, Status.GENERATING, Status.FAILED])
def test_nothing_is_rendered_for_copy_not_yet_written(alice: Tenant, status: str):
    piece = _piece(alice, status)

    assert transitions.queue_render(piece.pk) is False
    assert transitions.begin_render(piece.pk) is False
    assert transitions.skip_render(piece.pk) is False
    assert _stored(piece).render_status == RenderStatus.NONE


@pytest.mark.parametrize("render_status", list(RenderStatus))
def test_written_copy_begins_rendering_from_any_render_status(alice: Tenant, render_status: str):
    piece = _piece(alice, Status.APPROVED, render_status=render_status, render_progress=55)

    assert transitions.begin_render(piece.pk) is True
    assert (_stored(piece).render_status, _stored(piece).render_progress) == (
        RenderStatus.RENDERING, 0,
    )  # fmt: skip


def test_a_plan_without_media_leaves_nothing_to_render(alice: Tenant):
    piece = _piece(alice, Status.READY, render_status=RenderStatus.QUEUED, render_note="예전 참고")

    assert transitions.skip_render(piece.pk) is True
    stored = _stored(piece)
    assert (stored.render_status, stored.render_progress, stored.render_note) == (
        RenderStatus.NONE, 100, "",
    )  # fmt: skip


def test_only_a_render_in_progress_is_finished_with_its_note(alice: Tenant):
    rendering = _piece(alice, Status.READY, render_status=RenderStatus.RENDERING, render_error="x")
    queued = _piece(alice, Status.READY, render_status=RenderStatus.QUEUED)

    assert transitions.finish_render(rendering.pk, note="음성 없이 만들었어요") is True
    assert transitions.finish_render(queued.pk, note="") is False
    stored = _stored(rendering)
    assert (stored.render_status, stored.render_progress, stored.render_error) == (
        RenderStatus.DONE, 100, "",
    )  # fmt: skip
    assert stored.render_note == "음성 없이 만들었어요"
    assert _stored(queued).render_status == RenderStatus.QUEUED


@pytest.mark.parametrize(("render_status", "moves"), [
    (RenderStatus.QUEUED, True), (RenderStatus.RENDERING, True),
    (RenderStatus.DONE, False), (RenderStatus.NONE, False), (RenderStatus.FAILED, False),
])  # fmt: skip
def test_a_render_fails_only_while_queued_or_in_progress(
    alice: Tenant, render_status: str, moves: bool
):
    piece = _piece(alice, Status.READY, render_status=render_status, render_note="예전 참고")

    assert transitions.fail_render(piece.pk, "사진을 읽지 못했습니다") is moves
    stored = _stored(piece)
    if moves:
        assert (stored.render_status, stored.render_error, stored.render_note) == (
            RenderStatus.FAILED, "사진을 읽지 못했습니다", "",
        )  # fmt: skip
    else:
        assert (stored.render_status, stored.render_error) == (render_status, "")
