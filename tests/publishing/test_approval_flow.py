"""The agency's week, end to end: three client shops' posts sent to the client, two
approved and one sent back through the client's link, the change made and approved, and
only approved revisions published, to FakeThreads over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import approvals, client_links, editing
from content.creative.services import piece_render
from content.models import ContentPiece, ReviewNote, ReviewState
from marketing.models import AuditEvent, Membership, Organization
from publishing import services
from publishing.models import Publication
from publishing.services import SchedulingError, schedule_piece
from sandbox.meta import FakeThreads
from sandbox.platform import ManualClock
from tests.factories import (
    BusinessFactory,
    ChannelAccountFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    written_piece,
)
from tests.publishing.meta_fixtures import sandbox_simulator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def threads(settings, clock: ManualClock) -> Iterator[FakeThreads]:
    with sandbox_simulator(FakeThreads, settings, clock) as fake:
        yield fake


@pytest.fixture
def agency():
    organization = OrganizationFactory(
        name="연남 마케팅",
        kind=Organization.Kind.AGENCY,
        approval_mode=Organization.Approval.CLIENT,
    )
    manager = UserFactory(email="manager@agency.example")
    MembershipFactory(organization=organization, user=manager, role=Membership.Role.MANAGER)
    shops = [
        BusinessFactory(organization=organization, name=name)
        for name in ("카페 하루", "분식 나라", "헤어 봄")
    ]
    return organization, manager, shops


def _client_decides(link, piece: ContentPiece, decision: str, comment: str = "") -> str:
    token = client_links.token_for(link)
    page = Client().get(reverse("owner:client_review", args=[token]))
    assert page.status_code == 200
    revision = re.search(
        rf'action="{re.escape(reverse("owner:client_decide", args=[token, piece.pk]))}".*?name="revision" value="(\d+)"',
        page.content.decode(),
        re.S,
    )
    assert revision, "the piece waits for the client's decision on the page"
    answer = Client().post(
        reverse("owner:client_decide", args=[token, piece.pk]),
        {"decision": decision, "name": "김사장", "comment": comment, "revision": revision[1]},
    )
    assert answer.status_code == 302
    return page.content.decode()


def test_only_the_revisions_the_client_approved_go_out(agency, threads: FakeThreads):
    organization, manager, shops = agency
    pieces = []
    for shop in shops:
        piece = written_piece(shop, "threads", format="text")
        account = ChannelAccountFactory(business=shop, platform="threads")
        account.access_token = threads.token_for(account.external_id)
        account.save()
        pieces.append(piece)
    first, second, third = pieces
    soon = timezone.now() + dt.timedelta(hours=2)

    # Nothing unapproved can be scheduled.
    with pytest.raises(SchedulingError, match="승인된 버전만"):
        schedule_piece(first, soon, user=manager)

    # The manager sends the three shops' posts; a manager's sending goes to the client.
    outcome = approvals.submit_many(pieces, actor=manager)
    assert [p.pk for p in outcome.done] == [p.pk for p in pieces] and not outcome.skipped
    links = [
        client_links.create_link(business=piece.business, actor=manager, pieces=[piece])
        for piece in pieces
    ]

    page = _client_decides(links[0], first, "approve")
    assert first.fields["text"][:20] in page  # the client saw the post as it will look
    _client_decides(links[1], second, "approve")
    _client_decides(links[2], third, "changes", "가격을 4,500원으로 고쳐 주세요")
    for piece in pieces:
        piece.refresh_from_db()
    assert [p.review_state for p in pieces] == [
        ReviewState.APPROVED,
        ReviewState.APPROVED,
        ReviewState.CHANGES_REQUESTED,
    ]
    assert len(mail.outbox) == 3 and "수정을 요청했어요" in mail.outbox[2].body
    assert "가격을 4,500원으로" in mail.outbox[2].body

    # The change asked for is made: a new revision, still not approved.
    editing.edit(third, {"text": "아메리카노 4,500원, 오늘도 따뜻하게 준비했어요."}, author=manager)
    piece_render(piece_id=third.pk)  # the edit's render, as the worker runs it
    third.refresh_from_db()
    assert third.review_state == ReviewState.DRAFT
    with pytest.raises(SchedulingError, match="승인된 버전만"):
        schedule_piece(third, soon, user=manager)
    approvals.submit(third, actor=manager)
    _client_decides(links[2], third, "approve")

    for piece in pieces:
        piece.refresh_from_db()
        schedule_piece(piece, soon, user=manager)
    with time_machine.travel(soon + dt.timedelta(minutes=1), tick=False):
        token, ids = services.claim_due()
        states = {services.publish_claimed(pk, str(token)) for pk in ids}
    assert states == {Publication.State.PUBLISHED}
    posted = sorted(post.text for post in threads.posts())
    assert posted == sorted(
        p.revisions.get(number=p.approved_revision).fields["text"] for p in pieces
    )
    assert "아메리카노 4,500원, 오늘도 따뜻하게 준비했어요." in posted

    # Every decision is on record, with who and at which revision.
    third_notes = list(
        ReviewNote.objects.filter(piece=third).values_list("action", "revision", "author_name")
    )
    assert third_notes == [
        ("sent_to_client", 1, ""),
        ("changes_requested", 1, "김사장"),
        ("sent_to_client", 2, ""),
        ("client_approved", 2, "김사장"),
    ]
    assert (
        AuditEvent.objects.filter(
            organization=organization, action=AuditEvent.Action.APPROVED, actor_name="김사장"
        ).count()
        == 3
    )
