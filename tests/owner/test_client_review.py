"""The client's approval page: a signed, expiring, revocable link, no account; every
decision is logged and the agency hears of it. And the team's side on the review page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import approvals, client_links
from content.client_links import LinkRefused
from content.models import ClientLink, ContentPiece, ReviewState
from marketing.models import AuditEvent, Organization
from tests.conftest import Tenant
from tests.factories import CampaignFactory, written_piece

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(alice: Tenant) -> tuple[ClientLink, ContentPiece]:
    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="client")
    alice.business.organization.refresh_from_db()
    piece = written_piece(alice.business, "threads", format="text")
    approvals.submit(piece, actor=alice.user)
    link = client_links.create_link(business=alice.business, actor=alice.user, pieces=[piece])
    return link, piece


def _page(link: ClientLink):
    return Client().get(reverse("owner:client_review", args=[client_links.token_for(link)]))


def test_the_client_sees_the_post_as_it_will_look_without_an_account(waiting):
    link, piece = waiting

    page = _page(link)

    assert page.status_code == 200
    body = page.content.decode()
    assert piece.fields["text"][:8] in body and "고객 검토 중" in body
    assert 'name="decision" value="approve"' in body
    link.refresh_from_db()
    assert link.last_opened_at is not None


def test_an_altered_an_expired_and_a_revoked_link_are_refused(waiting, alice: Tenant):
    link, _piece = waiting
    token = client_links.token_for(link)

    altered = Client().get(reverse("owner:client_review", args=[token[:-2] + "xx"]))
    assert altered.status_code == 410 and "올바른 링크가 아니에요" in altered.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        assert "사용 기간이 지났어요" in _page(link).content.decode()
    client_links.revoke(link, actor=alice.user)
    assert "링크를 닫았어요" in _page(link).content.decode()
    with pytest.raises(LinkRefused):
        client_links.open_link(token)


def test_a_client_decision_is_logged_and_the_agency_is_told(waiting):
    link, piece = waiting
    token = client_links.token_for(link)

    answer = Client().post(
        reverse("owner:client_decide", args=[token, piece.pk]),
        {"decision": "changes", "name": "김사장", "comment": "사진을 밝게", "revision": "1"},
    )

    assert answer.status_code == 302
    piece.refresh_from_db()
    assert piece.review_state == ReviewState.CHANGES_REQUESTED
    note = piece.review_notes.get(action="changes_requested")
    assert (note.author_name, note.comment, note.link_id) == ("김사장", "사진을 밝게", link.pk)
    [message] = mail.outbox
    assert "김사장" in message.body and "사진을 밝게" in message.body
    assert reverse("owner:piece_review", args=[piece.pk]) in message.body
    assert AuditEvent.objects.filter(action="changes_requested", actor_name="김사장").exists()


def test_a_decision_without_a_name_or_on_an_old_version_changes_nothing(waiting):
    link, piece = waiting
    url = reverse("owner:client_decide", args=[client_links.token_for(link), piece.pk])

    Client().post(url, {"decision": "approve", "name": "", "revision": "1"})
    Client().post(url, {"decision": "approve", "name": "김사장", "revision": "0"})

    piece.refresh_from_db()
    assert piece.review_state == ReviewState.CLIENT_REVIEW
    assert not mail.outbox


def test_a_link_shows_only_its_own_pieces(waiting, alice: Tenant):
    link, _piece = waiting
    other = written_piece(alice.business, "threads")
    url = reverse("owner:client_decide", args=[client_links.token_for(link), other.pk])

    answer = Client().post(url, {"decision": "approve", "name": "김사장", "revision": "1"})

    assert answer.status_code == 410
    assert other.pk not in [p.pk for p in client_links.pieces_of(link)]


def test_a_campaign_link_follows_the_campaign_and_only_managers_make_links(
    alice: Tenant, bob: Tenant, charlie: Tenant
):
    campaign = CampaignFactory(business=alice.business)
    piece = written_piece(alice.business, "instagram")
    ContentPiece.objects.filter(pk=piece.pk).update(campaign=campaign)

    link = client_links.create_link(business=alice.business, actor=alice.user, campaign=campaign)

    assert [p.pk for p in client_links.pieces_of(link)] == [piece.pk]
    with pytest.raises(LinkRefused, match="매니저 이상만"):
        client_links.create_link(business=alice.business, actor=charlie.user, campaign=campaign)
    with pytest.raises(LinkRefused, match="매니저 이상만"):
        client_links.create_link(business=alice.business, actor=bob.user, campaign=campaign)
    with pytest.raises(LinkRefused, match="다른 사업장의 글"):
        client_links.create_link(business=bob.business, actor=None, pieces=[piece])


def test_the_team_sends_approves_and_comments_from_the_review_page(alice: Tenant, charlie: Tenant):
    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="internal")
    piece = written_piece(alice.business, "threads", format="text")
    staff, manager = charlie.client(), alice.client()

    page = staff.get(reverse("owner:piece_review", args=[piece.pk])).content.decode()
    assert "승인 절차" in page and "검토 요청" in page and "승인하고 예약하기" not in page
    staff.post(
        reverse("owner:piece_submit", args=[piece.pk]), {"comment": "봐 주세요", "base": "1"}
    )
    manager.post(reverse("owner:piece_review_approve", args=[piece.pk]), {"base": "1"})

    piece.refresh_from_db()
    assert piece.review_state == ReviewState.APPROVED
    page = manager.get(reverse("owner:piece_review", args=[piece.pk])).content.decode()
    assert "봐 주세요" in page and "예약하기" in page


def test_the_campaign_page_makes_and_closes_a_client_link(alice: Tenant):
    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="client")
    campaign = CampaignFactory(business=alice.business)
    client = alice.client()

    made = client.post(
        reverse("owner:client_link_create", args=[campaign.pk]), {"days": "7"}, follow=True
    )

    link = ClientLink.objects.get(campaign=campaign)
    assert "/app/review/" in made.content.decode()
    assert link.expires_at > timezone.now() + dt.timedelta(days=6)
    client.post(reverse("owner:client_link_revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_another_organization_cannot_close_or_make_links(alice: Tenant, bob: Tenant):
    campaign = CampaignFactory(business=alice.business)
    link = client_links.create_link(business=alice.business, actor=alice.user, campaign=campaign)

    assert bob.client().post(reverse("owner:client_link_revoke", args=[link.pk])).status_code == 404
    made = bob.client().post(reverse("owner:client_link_create", args=[campaign.pk]))
    assert made.status_code == 404
