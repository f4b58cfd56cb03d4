"""The approval flow, client links and scheduling on the API: 409 with the reason when
the state refuses, 403 for a role that may not, 404 for another organization's ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from content.models import ClientLink, ContentPiece
from marketing.models import Organization
from publishing.models import Publication
from tests.conftest import Tenant
from tests.factories import CampaignFactory, ChannelAccountFactory, written_piece

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(alice: Tenant) -> ContentPiece:
    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="internal")
    piece = written_piece(alice.business, "threads", format="text")
    ChannelAccountFactory(business=alice.business, platform="threads")
    return piece


def test_staff_send_a_manager_approves_and_the_approved_piece_is_scheduled(
    flow: ContentPiece, alice: Tenant, charlie: Tenant
):
    sent = charlie.api().post(f"/api/v1/pieces/{flow.pk}/submit/", {"comment": "확인해 주세요"})
    assert sent.status_code == 200 and sent.json()["review_state"] == "in_review"
    refused = charlie.api().post(f"/api/v1/pieces/{flow.pk}/approve/", {})
    assert refused.status_code == 403 and "매니저 이상만" in refused.json()["error"]["message"]
    early = alice.api().post(f"/api/v1/pieces/{flow.pk}/schedule/", {})
    assert early.status_code == 409 and "승인된 버전만" in early.json()["error"]["message"]

    approved = alice.api().post(f"/api/v1/pieces/{flow.pk}/approve/", {"base": 1})
    scheduled = alice.api().post(f"/api/v1/pieces/{flow.pk}/schedule/", {})

    assert approved.json()["review_state"] == "approved"
    assert approved.json()["approved_revision"] == 1
    assert scheduled.status_code == 200 and scheduled.json()["state"] == "scheduled"
    steps = alice.api().get(f"/api/v1/pieces/{flow.pk}/reviews/").json()["results"]
    assert [(s["action"], s["author"]) for s in steps] == [
        ("submitted", "charlie@example.com"),
        ("approved", "alice@example.com"),
    ]


def test_a_patch_of_a_scheduled_piece_unschedules_it_and_a_published_one_is_a_409(
    flow: ContentPiece, alice: Tenant
):
    alice.api().post(f"/api/v1/pieces/{flow.pk}/approve/", {})
    alice.api().post(f"/api/v1/pieces/{flow.pk}/schedule/", {})

    edited = alice.api().patch(
        f"/api/v1/pieces/{flow.pk}/", {"fields": {"text": "고친 글이에요."}}, format="json"
    )

    assert edited.status_code == 200 and edited.json()["review_state"] == "draft"
    assert Publication.objects.get(piece=flow).state == Publication.State.CANCELED
    ContentPiece.objects.filter(pk=flow.pk).update(status=ContentPiece.Status.PUBLISHED)
    for method, url, body in [
        ("patch", f"/api/v1/pieces/{flow.pk}/", {"fields": {"text": "또 고침"}}),
        ("post", f"/api/v1/pieces/{flow.pk}/regenerate/", {"instruction": "짧게"}),
        ("post", f"/api/v1/pieces/{flow.pk}/revisions/1/restore/", {}),
        ("post", f"/api/v1/pieces/{flow.pk}/submit/", {}),
        ("post", f"/api/v1/pieces/{flow.pk}/schedule/", {}),
    ]:
        answer = getattr(alice.api(), method)(url, body, format="json")
        assert answer.status_code == 409, (url, answer.status_code)
        assert answer.json()["error"]["message"]


def test_a_stale_base_is_a_409(flow: ContentPiece, alice: Tenant):
    answer = alice.api().post(f"/api/v1/pieces/{flow.pk}/approve/", {"base": 7})
    assert answer.status_code == 409 and "바뀌었어요" in answer.json()["error"]["message"]


def test_client_links_are_made_listed_and_closed_by_managers(alice: Tenant, charlie: Tenant):
    campaign = CampaignFactory(business=alice.business)

    made = alice.api().post(f"/api/v1/campaigns/{campaign.pk}/client-links/", {"days": 3})
    assert made.status_code == 201 and "/app/review/" in made.json()["url"]
    staff = charlie.api().post(f"/api/v1/campaigns/{campaign.pk}/client-links/", {})
    assert staff.status_code == 403
    listed = alice.api().get(f"/api/v1/campaigns/{campaign.pk}/client-links/").json()["results"]
    assert [link["id"] for link in listed] == [made.json()["id"]]

    closed = alice.api().post(f"/api/v1/client-links/{made.json()['id']}/revoke/")
    assert closed.status_code == 200 and closed.json()["revoked_at"]
    assert ClientLink.objects.get().revoked_at is not None


def test_another_organization_gets_404_for_every_approval_operation(
    flow: ContentPiece, alice: Tenant, bob: Tenant
):
    campaign = CampaignFactory(business=alice.business)
    link = ClientLink.objects.create(
        business=alice.business, key="0" * 32, expires_at=timezone.now() + dt.timedelta(days=1)
    )
    for url in [
        f"/api/v1/pieces/{flow.pk}/submit/",
        f"/api/v1/pieces/{flow.pk}/approve/",
        f"/api/v1/pieces/{flow.pk}/request-changes/",
        f"/api/v1/pieces/{flow.pk}/reviews/",
        f"/api/v1/pieces/{flow.pk}/schedule/",
        f"/api/v1/campaigns/{campaign.pk}/client-links/",
        f"/api/v1/campaigns/{campaign.pk}/schedule/",
        f"/api/v1/client-links/{link.pk}/revoke/",
    ]:
        assert bob.api().post(url, {"comment": "x"}).status_code == 404, url
    flow.refresh_from_db()
    assert flow.review_state == "draft" and not flow.review_notes.exists()


def test_a_campaign_is_scheduled_and_unapproved_pieces_are_listed_with_the_reason(
    flow: ContentPiece, alice: Tenant
):
    campaign = CampaignFactory(business=alice.business)
    other = written_piece(alice.business, "threads", format="text")
    ContentPiece.objects.filter(pk__in=[flow.pk, other.pk]).update(
        campaign=campaign, planned_for=timezone.now() + dt.timedelta(days=1)
    )
    alice.api().post(f"/api/v1/pieces/{flow.pk}/approve/", {})

    answer = alice.api().post(f"/api/v1/campaigns/{campaign.pk}/schedule/")

    body = answer.json()
    assert [p["piece"] for p in body["scheduled"]] == [flow.pk]
    assert [s["piece"] for s in body["skipped"]] == [other.pk]
    assert "승인된 버전만" in body["skipped"][0]["reason"]
