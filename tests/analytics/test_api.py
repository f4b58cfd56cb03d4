"""The read-only metrics and learning API: a piece's and a publication's numbers, and what
has been learned for a business, scoped to the caller's organizations."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from analytics.models import Collection
from tests.conftest import Tenant
from tests.factories import (
    ContentPieceFactory,
    MetricSnapshotFactory,
    PublicationFactory,
    measured_post,
)

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)


def _published(tenant: Tenant, **piece):
    piece = ContentPieceFactory(business=tenant.business, status="approved", **piece)
    publication = PublicationFactory(
        piece=piece, scheduled_at=PUBLISHED, state="published", published_at=PUBLISHED,
        permalink="https://www.instagram.com/p/abc/",
    )  # fmt: skip
    for hours, reach in ((26, 420), (2, 80), (8, 190)):  # stored out of order on purpose
        MetricSnapshotFactory(
            publication=publication,
            collected_at=PUBLISHED + dt.timedelta(hours=hours),
            reach=reach,
            likes=reach // 10,
        )
    return publication


def test_a_publications_numbers_come_oldest_first_with_the_latest_apart(alice: Tenant):
    publication = _published(alice)
    Collection.objects.create(publication=publication, next_collect_at=PUBLISHED)

    body = alice.api().get(f"/api/v1/publications/{publication.pk}/metrics/").json()

    assert body["id"] == publication.pk
    assert body["channel"] == "instagram"
    assert body["state"] == "published"
    assert [s["reach"] for s in body["snapshots"]] == [80, 190, 420]
    assert body["latest"]["reach"] == 420
    assert body["latest"]["likes"] == 42
    assert body["latest"]["views"] is None  # not reported: null, not 0
    assert "raw" not in body["latest"]
    assert body["collection"]["state"] == "collecting"


def test_a_scheduled_publication_has_no_numbers_yet(alice: Tenant):
    publication = PublicationFactory(piece=ContentPieceFactory(business=alice.business))

    body = alice.api().get(f"/api/v1/publications/{publication.pk}/metrics/").json()

    assert body["latest"] is None
    assert body["snapshots"] == []
    assert body["collection"] is None


def test_a_pieces_metrics_list_each_publication_and_why_it_was_written_so(alice: Tenant):
    publication = _published(
        alice,
        learning={
            "slot": {"source": "learned", "slot": {"weekday": "1", "hour": "19"}},
            "explored": ["hook_style"],
            "note": "이번 글은 새로운 시도예요",
            "summary": "아직 뚜렷한 차이는 없어 여러 방식을 시도하며 배우고 있어요 · 게시물 11개 기준",
        },
    )

    body = alice.api().get(f"/api/v1/pieces/{publication.piece_id}/metrics/").json()

    assert body["id"] == publication.piece_id
    assert body["learning"] == {
        "note": "이번 글은 새로운 시도예요",
        "summary": "아직 뚜렷한 차이는 없어 여러 방식을 시도하며 배우고 있어요 · 게시물 11개 기준",
        "explored": True,
        "posting_time_source": "learned",
    }
    [only] = body["publications"]
    assert only["id"] == publication.pk
    assert only["latest"]["reach"] == 420
    assert [s["reach"] for s in only["snapshots"]] == [80, 190, 420]


def test_an_old_piece_without_publications_answers_empty(alice: Tenant):
    piece = ContentPieceFactory(business=alice.business)

    body = alice.api().get(f"/api/v1/pieces/{piece.pk}/metrics/").json()

    assert body["publications"] == []
    assert body["learning"]["note"] == ""
    assert body["learning"]["posting_time_source"] == ""


def test_what_was_learned_per_channel(alice: Tenant):
    start = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)
    for i in range(12):
        hook = "question" if i % 2 else "benefit"
        measured_post(
            alice.business,
            published_at=start + dt.timedelta(days=i),
            reach=1000 if hook == "question" else 300,
            hook_style=hook,
        )

    body = alice.api().get(f"/api/v1/businesses/{alice.business.pk}/learned/").json()

    assert body["business"] == alice.business.pk
    assert body["learning_enabled"] is True
    channels = {item["channel"]: item for item in body["channels"]}
    assert list(channels) == ["instagram", "naver_blog", "youtube_shorts", "threads"]
    instagram = channels["instagram"]
    assert instagram["evidence"] == 12
    assert instagram["uses_learned_times"] is True
    assert instagram["learned_times_after"] == 10
    assert instagram["best"]["opening"] == "question"
    assert "질문으로 시작한 글" in instagram["best_labels"]
    assert any(f.startswith("질문으로 시작한 글이 평소보다") for f in instagram["findings"])
    assert channels["threads"] == {
        "channel": "threads",
        "evidence": 0,
        "findings": [],
        "best": {},
        "best_labels": [],
        "uses_learned_times": False,
        "learned_times_after": 10,
    }


def test_the_learned_channels_can_be_narrowed_and_an_unknown_one_is_refused(alice: Tenant):
    url = f"/api/v1/businesses/{alice.business.pk}/learned/"
    client = alice.api()

    narrowed = client.get(url, {"channel": "threads,instagram"}).json()
    refused = client.get(url, {"channel": "tiktok"})

    assert [item["channel"] for item in narrowed["channels"]] == ["instagram", "threads"]
    assert refused.status_code == 400
    message = refused.json()["error"]["fields"]["channel"][0]
    assert "알 수 없는 채널입니다: tiktok" in message


def test_another_organization_gets_404_everywhere(alice: Tenant, bob: Tenant):
    publication = _published(alice)
    client = bob.api()

    for url in (
        f"/api/v1/publications/{publication.pk}/metrics/",
        f"/api/v1/pieces/{publication.piece_id}/metrics/",
        f"/api/v1/businesses/{alice.business.pk}/learned/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "message" in response.json()["error"]


def test_the_metrics_api_is_read_only_and_needs_a_sign_in(alice: Tenant):
    publication = _published(alice)
    urls = (
        f"/api/v1/publications/{publication.pk}/metrics/",
        f"/api/v1/pieces/{publication.piece_id}/metrics/",
        f"/api/v1/businesses/{alice.business.pk}/learned/",
    )
    client = alice.api()

    for url in urls:
        assert client.post(url, {}).status_code == 405, url
        assert client.delete(url).status_code == 405, url
        assert APIClient().get(url).status_code in (401, 403), url


def test_staff_of_the_organization_may_read(charlie: Tenant):
    publication = _published(charlie)

    response = charlie.api().get(f"/api/v1/publications/{publication.pk}/metrics/")

    assert response.status_code == 200


def test_the_schema_documents_the_new_endpoints(client):
    schema = client.get("/api/v1/schema/").content.decode()

    assert "/api/v1/pieces/{id}/metrics/" in schema
    assert "/api/v1/publications/{id}/metrics/" in schema
    assert "/api/v1/businesses/{id}/learned/" in schema
    assert "learned_times_after" in schema
