"""The admin stays the agency's power tool: the shop list filters and searches, runs the
workspace's own bulk actions, and every list exports its selected rows as CSV that Excel
opens in Korean, scoped like the list itself."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from content.models import ClientLink, ReviewState
from marketing.models import Business, Membership, Organization, Plan
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    written_piece,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:marketing_business_changelist"


def _rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def _listed(response) -> list[str]:
    return [str(b) for b in response.context["cl"].result_list]


# --- Filters and search ----------------------------------------------------------------------


def test_the_shop_list_filters_by_paused_archived_and_plan(alice: Tenant):
    pro = Plan.objects.create(code="pro-test", name="프로 테스트")
    Organization.objects.filter(pk=alice.organization.pk).update(plan=pro)
    paused = BusinessFactory(organization=alice.organization, paused_at=timezone.now())
    archived = BusinessFactory(organization=alice.organization, archived_at=timezone.now())
    client = alice.client()
    url = reverse(CHANGELIST)

    assert _listed(client.get(url, {"paused": "yes"})) == [paused.name]
    assert _listed(client.get(url, {"archived": "yes"})) == [archived.name]
    assert alice.business.name in _listed(client.get(url, {"archived": "no"}))
    assert len(_listed(client.get(url, {"organization__plan__id__exact": pro.pk}))) == 3


def test_the_shop_list_searches_names_areas_and_organizations(alice: Tenant, bob: Tenant):
    BusinessFactory(organization=alice.organization, name="망원 꽃집", area="서울 마포구 망원동")
    client = alice.client()
    url = reverse(CHANGELIST)

    assert _listed(client.get(url, {"q": "망원동"})) == ["망원 꽃집"]
    assert set(_listed(client.get(url, {"q": "Alice Agency"}))) == {
        alice.business.name,
        "망원 꽃집",
    }
    assert _listed(client.get(url, {"q": "Bob"})) == []  # bob's shop never shows


# --- The bulk actions ------------------------------------------------------------------------


def _shops(alice: Tenant) -> list[Business]:
    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="client")
    shops = [alice.business, *(BusinessFactory(organization=alice.organization) for _ in range(2))]
    for shop in shops:
        piece = written_piece(shop, "threads", format="text")
        ChannelAccountFactory(business=shop, platform="threads")
        piece.planned_for = timezone.now() + dt.timedelta(days=2)
        piece.save(update_fields=["planned_for"])
    return shops


def test_sending_three_shops_for_approval_from_the_admin_makes_a_link_each(alice: Tenant):
    shops = _shops(alice)

    response = alice.client().post(
        reverse(CHANGELIST),
        {"action": "shops_submit", "_selected_action": [s.pk for s in shops]},
        follow=True,
    )

    assert ClientLink.objects.filter(business__in=shops).count() == 3
    text = response.content.decode()
    assert text.count("1개 글을 고객 확인으로 보냈어요.") == 3
    assert text.count("고객 승인 링크: http://testserver/app/review/") == 3


def test_pausing_and_resuming_from_the_admin(alice: Tenant):
    shops = _shops(alice)
    client = alice.client()
    selected = [s.pk for s in shops]

    client.post(reverse(CHANGELIST), {"action": "shops_pause", "_selected_action": selected})
    assert Business.objects.filter(pk__in=selected, paused_at__isnull=False).count() == 3

    client.post(reverse(CHANGELIST), {"action": "shops_resume", "_selected_action": selected})
    assert not Business.objects.filter(pk__in=selected, paused_at__isnull=False).exists()


def test_staff_are_refused_scheduling_and_pausing_from_the_admin(alice: Tenant, charlie: Tenant):
    ContentPieceFactory(business=alice.business, status="ready", review_state=ReviewState.APPROVED)

    response = charlie.client().post(
        reverse(CHANGELIST),
        {"action": "shops_pause", "_selected_action": [alice.business.pk]},
        follow=True,
    )

    assert "매니저 이상만 할 수 있어요." in response.content.decode()
    alice.business.refresh_from_db()
    assert alice.business.paused_at is None


def test_a_bulk_action_never_reaches_another_organizations_shop(alice: Tenant, bob: Tenant):
    alice.client().post(
        reverse(CHANGELIST), {"action": "shops_pause", "_selected_action": [bob.business.pk]}
    )

    bob.business.refresh_from_db()
    assert bob.business.paused_at is None


def test_next_weeks_campaign_from_the_admin_is_made_once(alice: Tenant):
    client = alice.client()
    for _ in range(2):
        client.post(
            reverse(CHANGELIST),
            {"action": "generate_week_campaign", "_selected_action": [alice.business.pk]},
        )

    assert Campaign.objects.filter(business=alice.business).count() == 1


# --- CSV export ------------------------------------------------------------------------------


def test_every_admin_list_offers_the_csv_export(superuser, rf):
    request = rf.get("/admin/")
    request.user = superuser

    missing = [
        str(model._meta.label)
        for model, model_admin in admin.site._registry.items()
        # DRF's token list turns actions off altogether (its ids are keys): nothing to add.
        if model_admin.actions is not None and "export_csv" not in model_admin.get_actions(request)
    ]

    assert missing == []


def test_the_csv_export_has_the_lists_columns_in_korean_with_a_bom(alice: Tenant, bob: Tenant):
    Business.objects.filter(pk=alice.business.pk).update(paused_at=timezone.now())

    response = alice.client().post(
        reverse(CHANGELIST),
        {"action": "export_csv", "_selected_action": [alice.business.pk, bob.business.pk]},
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="marketing-business-' in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header[:4] == ["상호", "조직", "요금제", "업종"]
    assert [row[0] for row in rows] == ["앨리스 베이커리"]  # bob's row is not alice's to export
    assert rows[0][1] == "Alice Agency" and rows[0][3] == "카페"
    assert rows[0][header.index("일시 중지")] != ""


def test_the_csv_export_of_another_list_keeps_the_words_of_html_columns(alice: Tenant):
    campaign = CampaignFactory(business=alice.business, name="신메뉴 주간", status="ready")

    response = alice.client().post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "export_csv", "_selected_action": [campaign.pk]},
    )

    header, row = _rows(response)
    assert row[header.index("이름")] == "신메뉴 주간"
    assert row[header.index("상태")] == "준비 완료"
    assert row[header.index("사업장")] == "앨리스 베이커리"


def test_a_client_viewer_cannot_export_anything(alice: Tenant):
    from tests.factories import MembershipFactory, UserFactory

    viewer = UserFactory(email="viewer@client.example", is_staff=True)
    MembershipFactory(
        organization=alice.organization,
        user=viewer,
        role=Membership.Role.CLIENT,
        business=alice.business,
    )
    client = Tenant(viewer, alice.organization, alice.business).client()

    response = client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [alice.business.pk]}
    )

    assert response.status_code == 403
