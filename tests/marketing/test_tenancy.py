"""Bob never sees or changes alice's things: not in pages, the API, or the admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from analytics.models import Collection, Feedback, MetricSnapshot, WeeklyReport
from content.models import PhotoAnalysis, QualityFinding, VoiceMemo
from marketing.models import AuditEvent, Membership
from marketing.selectors import is_tenant_owned, scope_for_user
from tests.conftest import Tenant
from tests.factories import (
    AssetFactory,
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    MembershipFactory,
    PhotoFactory,
    ProductFactory,
    PublicationFactory,
    PublishAttemptFactory,
    UsageRecordFactory,
    UserFactory,
)


def _metric(t: Tenant) -> MetricSnapshot:
    from django.utils import timezone

    publication = PublicationFactory(piece__business=t.business)
    return MetricSnapshot.objects.create(publication=publication, collected_at=timezone.now())


def _market_snapshot(t: Tenant) -> models.Model:
    from django.utils import timezone

    from marketing.models import MarketSnapshot

    return MarketSnapshot.objects.create(
        business=t.business, fetched_at=timezone.now(), status=MarketSnapshot.Status.OK
    )


# One way to make a row that belongs to a tenant, for every tenant-owned model.
MAKERS: dict[str, Callable[[Tenant], models.Model]] = {
    "marketing.organization": lambda t: t.organization,
    "marketing.membership": lambda t: MembershipFactory(
        organization=t.organization, role=Membership.Role.STAFF
    ),
    "marketing.business": lambda t: t.business,
    "marketing.product": lambda t: ProductFactory(business=t.business),
    "marketing.photo": lambda t: PhotoFactory(business=t.business),
    "marketing.usagerecord": lambda t: UsageRecordFactory(organization=t.organization),
    "marketing.marketsnapshot": _market_snapshot,
    "marketing.auditevent": lambda t: AuditEvent.objects.create(
        organization=t.organization, action=AuditEvent.Action.APPROVED, summary="승인"
    ),
    "campaigns.campaign": lambda t: CampaignFactory(business=t.business),
    "content.contentpiece": lambda t: ContentPieceFactory(business=t.business),
    "content.asset": lambda t: AssetFactory(piece__business=t.business),
    "publishing.channelaccount": lambda t: ChannelAccountFactory(business=t.business),
    "publishing.publication": lambda t: PublicationFactory(piece__business=t.business),
    "publishing.publishattempt": lambda t: PublishAttemptFactory(
        publication__piece__business=t.business
    ),
    "analytics.metricsnapshot": _metric,
    "analytics.collection": lambda t: Collection.objects.create(
        publication=PublicationFactory(piece__business=t.business)
    ),
    "content.photoanalysis": lambda t: PhotoAnalysis.objects.create(
        photo=PhotoFactory(business=t.business), description="창가 자리"
    ),
    "analytics.weeklyreport": lambda t: WeeklyReport.objects.create(
        business=t.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    ),
    "analytics.feedback": lambda t: Feedback.objects.create(
        business=t.business,
        piece=ContentPieceFactory(business=t.business),
        author=t.user,
        rating=Feedback.Rating.DOWN,
        comment="너무 길어요",
    ),
    "content.voicememo": lambda t: VoiceMemo.objects.create(
        business=t.business, audio="voice/memo.m4a", mime_type="audio/mp4", duration_s=12
    ),
    "content.qualityfinding": lambda t: QualityFinding.objects.create(
        piece=ContentPieceFactory(business=t.business),
        provider="offline",
        source=QualityFinding.Source.WRITER,
        rule=QualityFinding.Rule.PARTICLE,
        severity=QualityFinding.Severity.REPAIRED,
        message="조사를 고쳤습니다",
    ),
}


def test_every_tenant_owned_model_in_the_admin_has_a_maker_here():
    registered = {
        model._meta.label_lower for model in admin.site._registry if is_tenant_owned(model)
    }
    assert registered == set(MAKERS)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_bob_cannot_open_alices_rows_in_the_admin(label: str, alice: Tenant, bob: Tenant):
    row = MAKERS[label](alice)
    meta = row._meta
    client = bob.client()

    change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
    delete = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk]))
    listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))

    assert change.status_code == 404
    assert delete.status_code == 404
    assert listing.status_code == 200
    assert row not in listing.context["cl"].queryset


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_alice_sees_her_own_rows_in_the_admin(label: str, alice: Tenant, bob: Tenant):
    row = MAKERS[label](alice)
    meta = row._meta
    client = alice.client()

    change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
    listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))

    assert change.status_code == 200
    assert row in listing.context["cl"].queryset


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_the_selector_scopes_every_model_to_the_users_organizations(
    label: str, alice: Tenant, bob: Tenant
):
    row = MAKERS[label](alice)
    manager = type(row)._default_manager

    assert scope_for_user(manager.all(), alice.user).filter(pk=row.pk).exists()
    assert not scope_for_user(manager.all(), bob.user).filter(pk=row.pk).exists()


def test_bob_cannot_change_alices_business_through_an_admin_post(alice: Tenant, bob: Tenant):
    url = reverse("admin:marketing_business_change", args=[alice.business.pk])
    response = bob.client().post(url, {"name": "hacked"})

    alice.business.refresh_from_db()
    assert response.status_code == 404
    assert alice.business.name == "앨리스 베이커리"


def test_bob_cannot_add_a_product_to_alices_business_in_the_admin(alice: Tenant, bob: Tenant):
    response = bob.client().post(
        reverse("admin:marketing_product_add"),
        {"business": alice.business.pk, "name": "침입 메뉴", "price": 1000, "sort_order": 0},
    )

    assert response.status_code == 200  # the form comes back with an error
    assert "business" in response.context["adminform"].form.errors
    assert not alice.business.products.filter(name="침입 메뉴").exists()


def test_charlie_as_staff_may_change_but_not_delete_alices_business(charlie: Tenant):
    client = charlie.client()
    url_change = reverse("admin:marketing_business_change", args=[charlie.business.pk])
    url_delete = reverse("admin:marketing_business_delete", args=[charlie.business.pk])

    assert client.get(url_change).status_code == 200
    assert client.post(url_delete, {"post": "yes"}).status_code == 403
    assert type(charlie.business).objects.filter(pk=charlie.business.pk).exists()


def _bulk_delete(tenant: Tenant, *products: models.Model) -> None:
    tenant.client().post(
        reverse("admin:marketing_product_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [p.pk for p in products]},
    )


def test_bulk_delete_refuses_a_batch_holding_a_row_the_user_may_not_delete(
    alice: Tenant, bob: Tenant, charlie: Tenant
):
    # charlie is staff at alice's (no delete) and a manager at bob's (delete).
    MembershipFactory(
        organization=bob.organization, user=charlie.user, role=Membership.Role.MANAGER
    )
    alices, bobs = ProductFactory(business=alice.business), ProductFactory(business=bob.business)

    _bulk_delete(charlie, alices, bobs)

    assert type(alices).objects.filter(pk__in=[alices.pk, bobs.pk]).count() == 2


def test_bulk_delete_works_where_the_user_is_a_manager(alice: Tenant, bob: Tenant, charlie: Tenant):
    MembershipFactory(
        organization=bob.organization, user=charlie.user, role=Membership.Role.MANAGER
    )
    bobs = ProductFactory(business=bob.business)

    _bulk_delete(charlie, bobs)

    assert not type(bobs).objects.filter(pk=bobs.pk).exists()


def test_a_user_without_staff_flag_cannot_enter_the_admin(alice: Tenant):
    alice.user.is_staff = False
    alice.user.save()

    response = alice.client().get(reverse("admin:marketing_business_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_bob_gets_404_for_alices_business_pages(alice: Tenant, bob: Tenant):
    client = bob.client()
    for name in ("marketing:business_detail", "marketing:business_edit"):
        assert client.get(reverse(name, args=[alice.business.pk])).status_code == 404


def test_bob_cannot_edit_alices_business_by_posting_to_the_page(alice: Tenant, bob: Tenant):
    url = reverse("marketing:business_edit", args=[alice.business.pk])
    response = bob.client().post(url, {"name": "hacked", "industry": "cafe", "area": "x"})

    alice.business.refresh_from_db()
    assert response.status_code == 404
    assert alice.business.name == "앨리스 베이커리"


def test_the_dashboard_lists_only_the_users_businesses(alice: Tenant, bob: Tenant):
    response = bob.client().get(reverse("marketing:dashboard"))

    assert list(response.context["businesses"]) == [bob.business]
    assert "앨리스 베이커리" not in response.content.decode()


def test_bob_gets_404_for_alices_business_in_the_api(alice: Tenant, bob: Tenant):
    api = bob.api()
    url = f"/api/v1/businesses/{alice.business.pk}/"

    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "hacked"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    alice.business.refresh_from_db()
    assert alice.business.name == "앨리스 베이커리"


def test_bob_cannot_create_a_business_in_alices_organization_through_the_api(
    alice: Tenant, bob: Tenant
):
    response = bob.api().post(
        "/api/v1/businesses/",
        {"organization": alice.organization.pk, "name": "침입", "industry": "cafe", "area": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "organization" in response.json()["error"]["fields"]
    assert not alice.organization.businesses.filter(name="침입").exists()


def test_the_api_lists_only_the_callers_businesses(alice: Tenant, bob: Tenant):
    names = [row["name"] for row in bob.api().get("/api/v1/businesses/").json()["results"]]

    assert names == ["밥 분식"]


def test_charlie_may_read_but_not_delete_alices_business_through_the_api(charlie: Tenant):
    api = charlie.api()
    url = f"/api/v1/businesses/{charlie.business.pk}/"

    assert api.get(url).status_code == 200
    assert api.delete(url).status_code == 403


def test_an_anonymous_caller_gets_nothing_from_the_api(alice: Tenant):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/businesses/").status_code in (401, 403)


def test_a_user_with_no_membership_sees_no_rows(alice: Tenant):
    stranger = UserFactory(email="stranger@example.com")

    assert not scope_for_user(type(alice.business).objects.all(), stranger).exists()
