"""Publications and channel accounts, read-only and a page at a time: a publication with
its attempts, an account without anything secret, nothing of another organization's."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.api.conftest import World
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory, PublicationFactory


def test_alice_lists_her_publications(alices_world: World, bob: Tenant):
    PublicationFactory(piece__business=bob.business)

    body = alices_world.tenant.api().get("/api/v1/publications/").json()

    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == alices_world.publication.pk
    assert row["business"] == alices_world.tenant.business.pk
    assert row["channel"] == "threads"
    assert row["channel_account"] == alices_world.account.pk


def test_publications_filter_by_business_and_piece(alices_world: World):
    api = alices_world.tenant.api()
    other_piece = ContentPieceFactory(business=alices_world.tenant.business)
    PublicationFactory(piece=other_piece)

    by_piece = api.get(f"/api/v1/publications/?piece={alices_world.piece.pk}").json()
    by_business = api.get(f"/api/v1/publications/?business={alices_world.tenant.business.pk}")

    assert [row["id"] for row in by_piece["results"]] == [alices_world.publication.pk]
    assert by_business.json()["count"] == 2


def test_filtering_by_another_organizations_business_finds_nothing(
    alices_world: World, bob: Tenant
):
    business = alices_world.tenant.business.pk
    response = bob.api().get(f"/api/v1/publications/?business={business}")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_filter_that_is_no_id_is_a_400(alice: Tenant):
    response = alice.api().get("/api/v1/publications/?business=abc&piece=0")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"business", "piece"}


def test_a_publication_comes_with_every_attempt(alices_world: World):
    url = f"/api/v1/publications/{alices_world.publication.pk}/"

    body = alices_world.tenant.api().get(url).json()

    assert [a["number"] for a in body["attempts"]] == [1]
    assert body["attempts"][0]["action"] == "publish"
    assert body["attempts"][0]["outcome"] == "pending"


def test_lists_come_a_page_at_a_time(alice: Tenant, settings):
    for _ in range(3):
        PublicationFactory(piece__business=alice.business)
    api = alice.api()

    first = api.get("/api/v1/publications/").json()
    past_the_end = api.get("/api/v1/publications/?page=9")

    assert set(first) == {"count", "next", "previous", "results"}
    assert past_the_end.status_code == 404


def test_channel_accounts_never_show_a_token(alices_world: World):
    api = alices_world.tenant.api()

    listed = api.get("/api/v1/channel-accounts/")
    one = api.get(f"/api/v1/channel-accounts/{alices_world.account.pk}/")

    for response in (listed, one):
        assert response.status_code == 200
        assert "secret" not in response.content.decode()
    secret_fields = {"access_token", "refresh_token", "api_password"}
    assert not secret_fields & set(one.json())
    assert not secret_fields & set(listed.json()["results"][0])
    assert one.json()["platform"] == "threads"


def test_channel_accounts_filter_by_business(alices_world: World, bob: Tenant):
    business = alices_world.tenant.business.pk

    mine = alices_world.tenant.api().get(f"/api/v1/channel-accounts/?business={business}")
    theirs = bob.api().get(f"/api/v1/channel-accounts/?business={business}")

    assert mine.json()["count"] == 1
    assert theirs.json()["count"] == 0


def test_bob_gets_404_for_alices_publication_and_account(alices_world: World, bob: Tenant):
    api = bob.api()

    assert api.get(f"/api/v1/publications/{alices_world.publication.pk}/").status_code == 404
    assert api.get(f"/api/v1/channel-accounts/{alices_world.account.pk}/").status_code == 404


def test_publications_are_read_only(alices_world: World):
    url = f"/api/v1/publications/{alices_world.publication.pk}/"
    api = alices_world.tenant.api()

    assert api.patch(url, {"state": "published"}).status_code == 405
    assert api.delete(url).status_code == 405
    assert APIClient().get(url).status_code == 401
