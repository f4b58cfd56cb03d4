"""The plan's limits (marketing.limits) hold in every path that adds a shop, a seat or a
connected channel, each refusal naming the plan, the limit and what to do; and the plan
page shows what is used of each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from marketing import limits
from marketing.limits import LimitReached
from marketing.models import Business, Membership, Organization, Plan
from marketing.profiles import business_from_profile, profile_parse
from marketing.services import business_create, membership_add
from publishing import accounts
from publishing.models import ChannelAccount
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.youtube import FakeYouTube
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    ChannelAccountFactory,
    MembershipFactory,
    UsageRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SHOPS_PRO = (
    "Pro 요금제는 사업장을 3곳까지 쓸 수 있어요. "
    "요금제를 올리거나 쓰지 않는 사업장을 보관해 주세요."
)
SEATS_STARTER = "Starter 요금제는 멤버를 1명까지 둘 수 있어요."
CHANNELS_STARTER = "Starter 요금제는 사업장마다 채널을 2개까지 연결할 수 있어요."
SHOP = {"name": "새 가게", "industry": "cafe", "area": "서울 마포구 연남동"}


def on_plan(tenant: Tenant, code: str) -> Plan:
    plan = Plan.objects.get(code=code)
    Organization.objects.filter(pk=tenant.organization.pk).update(plan=plan)
    tenant.organization.refresh_from_db()
    tenant.business.refresh_from_db()
    return plan


def fill_shops(tenant: Tenant, up_to: int) -> None:
    while Business.objects.filter(organization=tenant.organization).count() < up_to:
        BusinessFactory(organization=tenant.organization)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def simulators(settings) -> Iterator[None]:
    with (
        FakeInstagram() as ig,
        FakeThreads() as th,
        FakeYouTube(client_id="sandbox", client_secret="sandbox") as yt,
    ):
        settings.SANDBOX_INSTAGRAM_URL = ig.url
        settings.SANDBOX_THREADS_URL = th.url
        settings.SANDBOX_YOUTUBE_URL = yt.url
        yield


# --- Shops ------------------------------------------------------------------------------------


def test_pro_refuses_a_fourth_shop_naming_the_plan_the_limit_and_what_to_do(alice):
    on_plan(alice, "pro")
    fill_shops(alice, 3)

    with pytest.raises(LimitReached) as refused:
        business_create(organization=alice.organization, actor=alice.user, **SHOP)

    assert refused.value.reason == SHOPS_PRO and refused.value.limit == "businesses"
    assert Business.objects.filter(organization=alice.organization).count() == 3


def test_archived_shops_do_not_count_toward_the_shop_limit(alice):
    on_plan(alice, "pro")
    fill_shops(alice, 3)
    Business.objects.filter(pk=alice.business.pk).update(archived_at="2026-11-01T00:00Z")

    business = business_create(organization=alice.organization, actor=alice.user, **SHOP)

    assert business.pk is not None


def test_an_organization_without_a_plan_has_no_limits_as_it_has_no_quota(alice):
    assert alice.organization.plan is None
    fill_shops(alice, 5)

    business_create(organization=alice.organization, actor=alice.user, **SHOP)
    membership_add(
        organization=alice.organization,
        user=UserFactory(email="one-more@example.com"),
        role="staff",
        actor=alice.user,
    )

    assert limits.business_refusal(alice.organization) is None


def test_the_wizard_refuses_a_second_shop_on_starter(client):
    client.post("/accounts/signup/", {"email": "new@example.com", "password1": "s3cure-pass-word"})
    first = client.post("/app/start/", {"name": "첫 가게", "industry": "cafe", "area": "부산"})

    second = client.post(
        "/app/start/?new=1", {"name": "둘째 가게", "industry": "cafe", "area": "부산"}
    )

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Starter 요금제는 사업장을 1곳까지" in second.content.decode()
    assert Business.objects.count() == 1


def test_the_api_refuses_a_shop_past_the_limit_with_plan_limit(alice):
    on_plan(alice, "pro")
    fill_shops(alice, 3)

    response = alice.api().post("/api/v1/businesses/", SHOP, format="json")

    assert response.status_code == 403
    assert response.json()["error"] == {"code": "plan_limit", "message": SHOPS_PRO}


def test_the_business_form_page_shows_the_limit(alice):
    on_plan(alice, "pro")
    fill_shops(alice, 3)

    response = alice.client().post(
        reverse("marketing:business_create"),
        {**SHOP, "organization": alice.organization.pk, "tone": "friendly",
         "price_range": "moderate", "time_zone": "Asia/Seoul",
         "brand_primary_color": "#2F4858", "brand_secondary_color": "#F6AE2D"},
    )  # fmt: skip

    assert response.status_code == 200
    assert SHOPS_PRO in response.content.decode()


def test_the_admin_add_page_refuses_a_shop_past_the_limit(alice):
    on_plan(alice, "pro")
    fill_shops(alice, 3)

    response = alice.client().post(
        reverse("admin:marketing_business_add"),
        {**SHOP, "organization": alice.organization.pk, "tone": "friendly",
         "price_range": "moderate", "time_zone": "Asia/Seoul", "selling_points": "[]",
         "links": "{}", "brand_primary_color": "#2F4858", "brand_secondary_color": "#F6AE2D",
         "products-TOTAL_FORMS": "0", "products-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 200
    assert SHOPS_PRO in response.content.decode()
    assert Business.objects.filter(organization=alice.organization).count() == 3


def test_the_profile_import_refuses_a_new_shop_but_updates_one_it_has(alice, tmp_path):
    on_plan(alice, "starter")
    profile = {**SHOP, "name": alice.business.name}

    updated = business_from_profile(
        profile_parse(profile), organization=alice.organization, base_dir=tmp_path
    )
    with pytest.raises(LimitReached, match="Starter 요금제는 사업장을 1곳까지"):
        business_from_profile(
            profile_parse({**SHOP, "name": "다른 가게"}),
            organization=alice.organization,
            base_dir=tmp_path,
        )

    assert updated.business.pk == alice.business.pk


# --- Seats -------------------------------------------------------------------------------------


def test_starter_refuses_a_second_member_but_not_a_client_viewer(alice):
    on_plan(alice, "starter")

    with pytest.raises(LimitReached, match=SEATS_STARTER):
        membership_add(
            organization=alice.organization,
            user=UserFactory(email="staff@example.com"),
            role="staff",
            actor=alice.user,
        )
    client = membership_add(
        organization=alice.organization,
        user=UserFactory(email="client@example.com"),
        role=Membership.Role.CLIENT,
        actor=alice.user,
    )

    assert client.pk is not None
    assert limits.counted_seats(alice.organization).count() == 1


def test_a_role_change_takes_no_new_seat(alice, charlie):
    on_plan(alice, "pro")  # three seats: alice and charlie hold two
    MembershipFactory(organization=alice.organization, role=Membership.Role.STAFF)

    membership = membership_add(
        organization=alice.organization, user=charlie.user, role="manager", actor=alice.user
    )

    assert membership.role == "manager"


def test_the_admin_refuses_a_member_past_the_seats(alice):
    on_plan(alice, "starter")
    newcomer = UserFactory(email="new@example.com")

    response = alice.client().post(
        reverse("admin:marketing_membership_add"),
        {"organization": alice.organization.pk, "user": newcomer.pk, "role": "staff"},
    )

    assert response.status_code == 200
    assert SEATS_STARTER in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_organizations_admin_page_refuses_a_member_past_the_seats(alice, superuser, client):
    on_plan(alice, "starter")
    newcomer = UserFactory(email="new@example.com")
    alices = Membership.objects.get(user=alice.user)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:marketing_organization_change", args=[alice.organization.pk]),
        {"name": alice.organization.name, "kind": "shop", "plan": alice.organization.plan.pk,
         "approval_mode": "off", "generation_provider": "",
         "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
         "memberships-0-id": alices.pk, "memberships-0-organization": alice.organization.pk,
         "memberships-0-user": alice.user.pk, "memberships-0-role": "owner",
         "memberships-1-organization": alice.organization.pk,
         "memberships-1-user": newcomer.pk, "memberships-1-role": "staff"},
    )  # fmt: skip

    assert response.status_code == 200
    assert SEATS_STARTER in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


# --- Channels ------------------------------------------------------------------------------------


def connected_two(tenant: Tenant) -> None:
    ChannelAccountFactory(business=tenant.business, platform="instagram")
    ChannelAccountFactory(business=tenant.business, platform="threads")


def test_the_channel_page_refuses_a_third_channel_on_starter(alice, settings):
    settings.SANDBOX_ACCOUNTS_ENABLED = True
    on_plan(alice, "starter")
    connected_two(alice)

    response = alice.client().post(
        reverse("publishing:connect", args=[alice.business.pk, "youtube_shorts"]),
        {"mode": "sandbox"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    assert any(CHANNELS_STARTER in m for m in messages_of(response))


def test_reconnecting_a_connected_platform_is_not_refused(alice, settings):
    settings.SANDBOX_ACCOUNTS_ENABLED = True
    on_plan(alice, "starter")
    connected_two(alice)

    accounts.require_channel_room(alice.business, "instagram", ChannelAccount.Mode.SANDBOX)


def test_the_assisted_helper_and_disconnected_accounts_do_not_count(alice):
    on_plan(alice, "starter")
    ChannelAccountFactory(business=alice.business, platform="instagram")
    ChannelAccountFactory(
        business=alice.business, platform="threads", state=ChannelAccount.State.DISABLED
    )

    helper = accounts.connect_naver(alice.business, alice.user)
    accounts.require_channel_room(alice.business, "youtube_shorts", ChannelAccount.Mode.SANDBOX)

    assert helper.mode == ChannelAccount.Mode.ASSISTED
    assert limits.counted_channels(alice.business).count() == 1


def test_the_naver_api_connection_is_refused_before_asking_naver(alice, settings):
    settings.SANDBOX_ACCOUNTS_ENABLED = True
    settings.SANDBOX_NAVER_URL = "http://127.0.0.1:9"  # never reached
    on_plan(alice, "starter")
    connected_two(alice)

    response = alice.client().post(
        reverse("publishing:naver_xmlrpc", args=[alice.business.pk]),
        {"username": "alice", "api_password": "x", "mode": "sandbox"},
    )

    assert response.status_code == 200
    assert CHANNELS_STARTER in response.content.decode()


def test_two_connections_finishing_at_once_take_the_last_place_in_turn(
    alice, simulators, monkeypatch
):
    on_plan(alice, "starter")
    connected_two(alice)
    # The second tab passed the check before the consent page, as the first did.
    monkeypatch.setattr(accounts, "require_channel_room", lambda *args: None)

    with pytest.raises(accounts.ChannelLimitReached, match=CHANNELS_STARTER):
        accounts.connect_sandbox(alice.business, "youtube_shorts", user=alice.user)

    assert not ChannelAccount.objects.filter(platform="youtube_shorts").exists()


def test_the_wizards_trial_connects_what_the_plan_allows_and_moves_on(client, simulators):
    client.post("/accounts/signup/", {"email": "new@example.com", "password1": "s3cure-pass-word"})
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    Business.objects.filter(pk=business.pk).update(setup_step=Business.SetupStep.CHANNELS)

    response = client.post(f"/app/start/{business.pk}/channels/", {"trial": "1"})

    assert limits.counted_channels(business).count() == 2
    assert any(CHANNELS_STARTER in m for m in messages_of(response))
    assert response["Location"] == f"/app/start/{business.pk}/campaign/"


def test_the_admin_refuses_an_account_past_the_channels(alice):
    on_plan(alice, "starter")
    connected_two(alice)

    response = alice.client().post(
        reverse("admin:publishing_channelaccount_add"),
        {"business": alice.business.pk, "platform": "youtube_shorts", "mode": "sandbox",
         "display_name": "", "external_id": "UC1", "refused_metrics": "[]"},
    )  # fmt: skip

    assert response.status_code == 200
    assert CHANNELS_STARTER in response.content.decode()


# --- Usage ---------------------------------------------------------------------------------------


def test_usage_counts_what_each_limit_counts(alice):
    plan = on_plan(alice, "pro")
    UsageRecordFactory(organization=alice.organization, quantity=4)
    MembershipFactory(organization=alice.organization, role=Membership.Role.STAFF)
    MembershipFactory(organization=alice.organization, role=Membership.Role.CLIENT)
    BusinessFactory(organization=alice.organization, archived_at="2026-11-01T00:00Z")
    connected_two(alice)
    ChannelAccountFactory(business=alice.business, mode=ChannelAccount.Mode.ASSISTED,
                          platform="naver_blog", external_id="")  # fmt: skip

    usage = limits.usage_for(alice.organization)

    assert usage.plan == plan
    assert (usage.pieces.used, usage.pieces.limit) == (4, plan.monthly_piece_quota)
    assert (usage.businesses.used, usage.businesses.limit) == (1, 3)
    assert (usage.seats.used, usage.seats.limit) == (2, 3)
    assert [(s.business, s.channels.used, s.channels.limit) for s in usage.channels] == [
        (alice.business, 2, 4)
    ]


def test_the_plan_page_shows_each_limit_with_what_is_used(alice, charlie):
    on_plan(alice, "starter")
    connected_two(alice)

    page = charlie.client().get(reverse("marketing:plan")).content.decode()

    assert "Starter" in page
    assert "2 / 1" in page  # seats: alice and charlie on a one-seat plan
    assert "1 / 1" in page  # shops
    assert "2 / 2" in page  # channels of alice's shop
    assert "한도에 닿았어요" in page


def test_another_organizations_plan_page_is_a_404(alice, bob):
    response = bob.client().get(reverse("marketing:plan") + f"?org={alice.organization.pk}")

    assert response.status_code == 404
