"""A business's lifecycle on the API: DELETE archives a shop with history (200) and
deletes one without (204); pause, resume, archive, restore; erase with the typed name
(202) and its cancel; roles and tenancy answered as 403 and 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from content.models import ContentPiece
from marketing.models import Business, Membership, Plan
from publishing import lifecycle
from publishing.models import Publication
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    MembershipFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(business: Business, step: str = "") -> str:
    return f"/api/v1/businesses/{business.pk}/" + (f"{step}/" if step else "")


def with_history(tenant: Tenant) -> Publication:
    campaign = CampaignFactory(business=tenant.business)
    piece = ContentPieceFactory(
        business=tenant.business, campaign=campaign, status=ContentPiece.Status.APPROVED,
        planned_for=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    account = ChannelAccountFactory(business=tenant.business)
    return PublicationFactory(piece=piece, channel_account=account, scheduled_at=piece.planned_for)


def manager_of(tenant: Tenant) -> Tenant:
    user = UserFactory(email="manager@example.com")
    MembershipFactory(organization=tenant.organization, user=user, role=Membership.Role.MANAGER)
    return Tenant(user, tenant.organization, tenant.business)


def test_delete_archives_a_shop_with_history_and_keeps_its_posts(alice):
    publication = with_history(alice)
    api = alice.api()

    response = api.delete(url(alice.business))

    assert response.status_code == 200
    body = response.json()
    assert body["business"]["archived_at"] is not None
    assert body["held"] == [publication.pk] and body["going_out"] == []
    assert Campaign.objects.filter(business=alice.business).exists()
    assert Publication.objects.get(pk=publication.pk).state == Publication.State.CANCELED
    assert api.get(url(alice.business)).status_code == 404
    assert api.get("/api/v1/businesses/").json()["results"] == []
    archive = api.get("/api/v1/businesses/?archived=true").json()["results"]
    assert [b["id"] for b in archive] == [alice.business.pk]


def test_delete_removes_a_shop_without_history_at_once(alice):
    response = alice.api().delete(url(alice.business))

    assert response.status_code == 204
    assert not Business.objects.filter(pk=alice.business.pk).exists()


def test_pause_and_resume_answer_what_they_held_and_put_back(alice):
    publication = with_history(alice)
    api = alice.api()

    paused = api.post(url(alice.business, "pause"))
    resumed = api.post(url(alice.business, "resume"))

    assert paused.status_code == 200 and paused.json()["held"] == [publication.pk]
    assert paused.json()["business"]["paused_at"] is not None
    assert resumed.status_code == 200
    assert len(resumed.json()["rescheduled"]) == 1 and resumed.json()["not_rescheduled"] == []
    assert resumed.json()["business"]["paused_at"] is None


def test_archive_then_restore_finds_the_archived_shop(alice):
    api = alice.api()

    assert api.post(url(alice.business, "archive")).status_code == 200
    restored = api.post(url(alice.business, "restore"))

    assert restored.status_code == 200 and restored.json()["business"]["archived_at"] is None


def test_an_archived_shop_is_found_only_by_restore_and_erase(alice):
    lifecycle.business_archive(alice.business, actor=alice.user)
    api = alice.api()

    for step in ("pause", "resume", "archive"):
        assert api.post(url(alice.business, step)).status_code == 404
    assert api.patch(url(alice.business), {"name": "새 이름"}, format="json").status_code == 404
    assert api.delete(url(alice.business, "erase")).status_code == 200
    assert api.post(url(alice.business, "restore")).status_code == 200


def test_erase_needs_the_exact_name_then_waits_and_can_be_called_off(alice, settings):
    settings.BUSINESS_ERASE_GRACE_DAYS = 7
    api = alice.api()

    wrong = api.post(url(alice.business, "erase"), {"confirm": "앨리스"}, format="json")
    right = api.post(url(alice.business, "erase"), {"confirm": alice.business.name}, format="json")
    business = Business.objects.get(pk=alice.business.pk)
    called_off = api.delete(url(alice.business, "erase"))

    assert wrong.status_code == 400
    assert "이름이 맞지 않아요" in wrong.json()["error"]["fields"]["confirm"][0]
    assert right.status_code == 202
    assert business.erase_after is not None and business.archived_at is not None
    erase_after = dt.datetime.fromisoformat(right.json()["erase_after"])
    assert erase_after == business.erase_after
    assert (business.erase_after - business.archived_at).days == 7
    assert called_off.status_code == 200 and called_off.json()["erase_after"] is None
    assert Business.objects.get(pk=alice.business.pk).erase_after is None


def test_bob_gets_404_for_every_lifecycle_step_on_alices_shop(alice, bob):
    api = bob.api()

    for step in ("pause", "resume", "archive", "restore", "erase"):
        assert (
            api.post(url(alice.business, step), {"confirm": alice.business.name}).status_code == 404
        )
    assert api.delete(url(alice.business)).status_code == 404
    assert api.delete(url(alice.business, "erase")).status_code == 404

    alice.business.refresh_from_db()
    assert alice.business.archived_at is None and alice.business.paused_at is None


def test_staff_may_not_pause_or_delete_and_managers_may_not_erase(alice, charlie):
    manager = manager_of(alice)

    assert charlie.api().post(url(alice.business, "pause")).status_code == 403
    assert charlie.api().delete(url(alice.business)).status_code == 403
    refused = manager.api().post(
        url(alice.business, "erase"), {"confirm": alice.business.name}, format="json"
    )

    assert refused.status_code == 403 and "소유자만" in refused.json()["error"]["message"]
    assert manager.api().post(url(alice.business, "archive")).status_code == 200


def test_restoring_past_the_plans_shops_is_refused_with_the_plan_limit(alice):
    alice.organization.plan = Plan.objects.get(code="starter")  # one shop
    alice.organization.save()
    lifecycle.business_archive(alice.business, actor=alice.user)
    BusinessFactory(organization=alice.organization, name="두 번째 가게")

    response = alice.api().post(url(alice.business, "restore"))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "plan_limit"
    assert "Starter 요금제는 사업장을 1곳까지" in response.json()["error"]["message"]


def test_the_schema_documents_every_answer_of_the_lifecycle(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]

    detail = paths["/api/v1/businesses/{id}/"]["delete"]["responses"]
    erase = paths["/api/v1/businesses/{id}/erase/"]
    assert {"200", "204", "403", "404"} <= set(detail)
    assert {"202", "400", "403", "404"} <= set(erase["post"]["responses"])
    assert {"200", "403", "404"} <= set(erase["delete"]["responses"])
    for step in ("pause", "resume", "archive", "restore"):
        assert {"200", "403", "404"} <= set(
            paths[f"/api/v1/businesses/{{id}}/{step}/"]["post"]["responses"]
        )
