"""The approval flow per organization: off (scheduling approves), internal (a manager
approves), client (then the client, through a link); any new revision starts over, and
only the approved revision can be scheduled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from content import approvals, editing
from content.approvals import ApprovalRefused
from content.models import ContentPiece, ReviewNote, ReviewState
from content.services import piece_regenerate
from marketing.models import AuditEvent, Membership, Organization
from publishing.models import Publication
from publishing.services import SchedulingError, schedule_piece
from tests.conftest import Tenant
from tests.factories import ChannelAccountFactory, MembershipFactory, UserFactory, written_piece

pytestmark = pytest.mark.django_db
SOON = dt.timedelta(hours=3)


def _flow(tenant: Tenant, mode: str) -> None:
    Organization.objects.filter(pk=tenant.organization.pk).update(approval_mode=mode)
    tenant.business.organization.refresh_from_db()


def _manager(tenant: Tenant):
    user = UserFactory(email="manager@example.com")
    MembershipFactory(organization=tenant.organization, user=user, role=Membership.Role.MANAGER)
    return user


def _written(tenant: Tenant) -> ContentPiece:
    piece = written_piece(tenant.business, "threads", format="text")
    ChannelAccountFactory(business=tenant.business, platform="threads")
    return ContentPiece.objects.select_related("business__organization").get(pk=piece.pk)


def test_without_a_flow_scheduling_is_the_approval(alice: Tenant):
    piece = _written(alice)

    schedule_piece(piece, timezone.now() + SOON, user=alice.user)

    piece.refresh_from_db()
    assert (piece.review_state, piece.approved_revision) == (ReviewState.APPROVED, 1)
    with pytest.raises(ApprovalRefused, match="승인 절차를 쓰지 않아요"):
        approvals.submit(piece, actor=alice.user)


def test_internally_staff_send_for_review_and_a_manager_approves(alice: Tenant, charlie: Tenant):
    _flow(alice, "internal")
    piece = _written(alice)

    approvals.submit(piece, actor=charlie.user, comment="확인 부탁드려요")
    assert piece.review_state == ReviewState.IN_REVIEW
    with pytest.raises(ApprovalRefused, match="매니저 이상만"):
        approvals.approve(piece, actor=charlie.user)
    with pytest.raises(SchedulingError, match="승인된 버전만"):
        schedule_piece(piece, timezone.now() + SOON)

    approvals.approve(piece, actor=alice.user)

    piece.refresh_from_db()
    assert (piece.review_state, piece.approved_revision) == (ReviewState.APPROVED, 1)
    assert schedule_piece(piece, timezone.now() + SOON).state == Publication.State.SCHEDULED
    notes = list(piece.review_notes.values_list("action", "author__email", "comment"))
    assert notes == [
        ("submitted", "charlie@example.com", "확인 부탁드려요"),
        ("approved", "alice@example.com", ""),
    ]
    assert AuditEvent.objects.filter(
        organization=alice.organization, action=AuditEvent.Action.APPROVED, actor=alice.user
    ).exists()


def test_an_edit_of_a_scheduled_piece_unschedules_it_and_sends_it_back_to_review(alice: Tenant):
    _flow(alice, "internal")
    piece = _written(alice)
    approvals.approve(piece, actor=alice.user)
    publication = schedule_piece(piece, timezone.now() + SOON)

    editing.edit(piece, {"text": "새로 고친 글이에요. 오늘도 문 열어요."}, author=alice.user)

    piece.refresh_from_db()
    publication.refresh_from_db()
    assert publication.state == Publication.State.CANCELED
    assert (piece.status, piece.review_state) == (ContentPiece.Status.READY, ReviewState.DRAFT)
    assert not approvals.is_approved(piece)
    with pytest.raises(SchedulingError, match="승인된 버전만"):
        schedule_piece(piece, timezone.now() + SOON)


def test_a_rewrite_asked_for_puts_the_piece_back_to_draft(alice: Tenant):
    _flow(alice, "internal")
    piece = _written(alice)
    approvals.approve(piece, actor=alice.user)

    piece_regenerate(piece=piece, instruction="더 짧게", actor=alice.user)

    piece.refresh_from_db()
    assert piece.review_state == ReviewState.DRAFT


def test_a_step_on_a_revision_that_is_no_longer_the_newest_is_refused(alice: Tenant):
    _flow(alice, "internal")
    piece = _written(alice)
    editing.edit(piece, {"text": "두 번째 버전이에요."}, author=alice.user)

    with pytest.raises(ApprovalRefused, match="그 사이 이 글이 바뀌었어요"):
        approvals.approve(piece, actor=alice.user, seen=1)
    approvals.approve(piece, actor=alice.user, seen=2)
    assert piece.approved_revision == 2


def test_asking_for_changes_needs_a_comment_and_a_manager(alice: Tenant, charlie: Tenant):
    _flow(alice, "internal")
    piece = _written(alice)
    approvals.submit(piece, actor=charlie.user)

    with pytest.raises(ApprovalRefused, match="한 줄 적어"):
        approvals.request_changes(piece, actor=alice.user, comment=" ")
    with pytest.raises(ApprovalRefused, match="매니저 이상만"):
        approvals.request_changes(piece, actor=charlie.user, comment="사진을 바꿔 주세요")
    approvals.request_changes(piece, actor=alice.user, comment="사진을 바꿔 주세요")

    assert piece.review_state == ReviewState.CHANGES_REQUESTED
    approvals.submit(piece, actor=charlie.user)  # sent again after the change
    assert piece.review_state == ReviewState.IN_REVIEW


def test_in_the_client_flow_a_managers_sending_goes_to_the_client(alice: Tenant, charlie: Tenant):
    _flow(alice, "client")
    mine, theirs = _written(alice), _written(alice)

    approvals.submit(mine, actor=charlie.user)  # staff: to the manager first
    approvals.submit(theirs, actor=_manager(alice))

    assert mine.review_state == ReviewState.IN_REVIEW
    assert theirs.review_state == ReviewState.CLIENT_REVIEW
    approvals.approve(mine, actor=alice.user)  # the manager's check sends it on
    assert mine.review_state == ReviewState.CLIENT_REVIEW
    with pytest.raises(SchedulingError, match="고객 검토 중"):
        schedule_piece(mine, timezone.now() + SOON)


def test_a_piece_still_being_written_cannot_be_sent(alice: Tenant):
    _flow(alice, "internal")
    piece = written_piece(alice.business, "threads")
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.GENERATING)
    piece.refresh_from_db()

    with pytest.raises(ApprovalRefused, match="검토할 수 있는 상태가 아니에요"):
        approvals.submit(piece, actor=alice.user)


def test_sending_many_skips_what_is_already_on_its_way_and_lists_refusals(alice: Tenant):
    _flow(alice, "internal")
    ready, sent, busy = _written(alice), _written(alice), _written(alice)
    approvals.submit(sent, actor=alice.user)
    ContentPiece.objects.filter(pk=busy.pk).update(status=ContentPiece.Status.QUEUED)
    busy.refresh_from_db()

    outcome = approvals.submit_many([ready, sent, busy], actor=alice.user)

    assert outcome.done == [ready]
    assert [(p.pk, "상태가 아니에요" in reason) for p, reason in outcome.skipped] == [
        (busy.pk, True)
    ]


def test_comments_are_kept_per_piece_and_per_campaign(alice: Tenant, bob: Tenant):
    piece = _written(alice)

    approvals.comment(business=alice.business, piece=piece, text="좋아요", author=alice.user)
    with pytest.raises(ApprovalRefused, match="이 사업장의 글이 아니에요"):
        approvals.comment(business=bob.business, piece=piece, text="엿보기")
    with pytest.raises(ApprovalRefused, match="의견을 적어"):
        approvals.comment(business=alice.business, piece=piece, text="")

    [note] = ReviewNote.objects.all()
    assert (note.action, note.revision, note.comment) == ("comment", 1, "좋아요")
