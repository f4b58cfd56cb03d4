from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from content.models import ContentPiece
from tests.conftest import Tenant

pytestmark = pytest.mark.django_db


def _brief(tenant: Tenant, **changes) -> dict:
    start = timezone.localdate() + dt.timedelta(days=1)
    return {
        "business": tenant.business.pk,
        "goal": "new_menu",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=6)).isoformat(),
        "channels": ["instagram", "naver_blog", "youtube_shorts", "threads"],
        "offer": "첫 주 아메리카노 1+1",
        **changes,
    }


def test_posting_a_brief_answers_202_with_a_status_url(
    alice: Tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice.api().post("/api/v1/campaigns/", _brief(alice), format="json")

    body = response.json()
    assert response.status_code == 202
    assert body["status"] == "generating"
    assert body["status_url"].endswith(f"/api/v1/campaigns/{body['id']}/")
    assert response["Location"] == body["status_url"]
    assert len(body["pieces"]) == 8  # 3 + 1 + 1 + 3 by default
    assert {p["status"] for p in body["pieces"]} == {"queued"}
    assert len(callbacks) == 1


def test_the_status_url_shows_the_pieces_as_they_are_written(alice: Tenant):
    body = alice.api().post("/api/v1/campaigns/", _brief(alice), format="json").json()
    piece = ContentPiece.objects.filter(campaign_id=body["id"]).first()
    ContentPiece.objects.filter(pk=piece.pk).update(
        status="ready", title="준비된 글", provider="offline"
    )

    status = alice.api().get(body["status_url"]).json()

    shown = next(p for p in status["pieces"] if p["id"] == piece.pk)
    assert shown["status"] == "ready"
    assert shown["is_offline_draft"] is True
    assert set(shown["attributes"]) >= {"hook_style", "format", "template"}


def test_a_bad_brief_gets_field_errors(alice: Tenant):
    response = alice.api().post(
        "/api/v1/campaigns/",
        _brief(alice, channels=["tiktok"], goal="fame", ends_on="2020-01-01"),
        format="json",
    )

    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert {"channels", "goal"} <= set(fields)


def test_dates_in_the_wrong_order_are_refused_in_korean(alice: Tenant):
    start = timezone.localdate() + dt.timedelta(days=3)
    response = alice.api().post(
        "/api/v1/campaigns/",
        _brief(
            alice, starts_on=start.isoformat(), ends_on=(start - dt.timedelta(days=1)).isoformat()
        ),
        format="json",
    )

    assert response.status_code == 400
    assert "종료일" in response.json()["error"]["fields"]["ends_on"][0]
    assert not Campaign.objects.exists()


def test_bob_cannot_start_a_campaign_for_alices_business(alice: Tenant, bob: Tenant):
    response = bob.api().post("/api/v1/campaigns/", _brief(alice), format="json")

    assert response.status_code == 400
    assert "business" in response.json()["error"]["fields"]
    assert not Campaign.objects.exists()


def test_bob_gets_404_for_alices_campaign_and_pieces(alice: Tenant, bob: Tenant):
    body = alice.api().post("/api/v1/campaigns/", _brief(alice), format="json").json()
    piece_id = body["pieces"][0]["id"]

    api = bob.api()
    assert api.get(f"/api/v1/campaigns/{body['id']}/").status_code == 404
    assert api.get(f"/api/v1/pieces/{piece_id}/").status_code == 404
    assert api.post(f"/api/v1/pieces/{piece_id}/regenerate/", {}).status_code == 404
    assert api.post(f"/api/v1/campaigns/{body['id']}/retry-failed/").status_code == 404
    assert api.get("/api/v1/campaigns/").json()["results"] == []


def test_regenerating_a_piece_queues_it_with_the_instruction(
    alice: Tenant, django_capture_on_commit_callbacks
):
    body = alice.api().post("/api/v1/campaigns/", _brief(alice), format="json").json()
    piece = ContentPiece.objects.get(pk=body["pieces"][0]["id"])
    ContentPiece.objects.filter(pk=piece.pk).update(status="ready")

    with django_capture_on_commit_callbacks() as callbacks:
        response = alice.api().post(
            f"/api/v1/pieces/{piece.pk}/regenerate/", {"instruction": "이모지 빼고"}, format="json"
        )

    piece.refresh_from_db()
    assert response.status_code == 202
    assert piece.status == ContentPiece.Status.QUEUED
    assert piece.revision == 1
    assert len(callbacks) == 1


def test_regenerating_a_field_the_channel_does_not_have_is_refused(alice: Tenant):
    body = (
        alice.api()
        .post("/api/v1/campaigns/", _brief(alice, channels=["threads"]), format="json")
        .json()
    )

    response = alice.api().post(
        f"/api/v1/pieces/{body['pieces'][0]['id']}/regenerate/",
        {"field": "hashtags"},
        format="json",
    )

    assert response.status_code == 400
    assert "hashtags" in response.json()["error"]["fields"]["field"][0]


def test_only_a_failed_piece_can_be_retried(alice: Tenant):
    body = (
        alice.api()
        .post("/api/v1/campaigns/", _brief(alice, channels=["threads"]), format="json")
        .json()
    )
    piece_id = body["pieces"][0]["id"]

    refused = alice.api().post(f"/api/v1/pieces/{piece_id}/retry/")
    ContentPiece.objects.filter(pk=piece_id).update(status="failed", error="x")
    accepted = alice.api().post(f"/api/v1/pieces/{piece_id}/retry/")

    assert refused.status_code == 409
    assert accepted.status_code == 202
    assert ContentPiece.objects.get(pk=piece_id).status == ContentPiece.Status.QUEUED
