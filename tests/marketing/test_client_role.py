"""A client viewer sees one shop of the agency, read only: its results, calendar and
pieces; never the agency's other shops, never a write (403), never the admin. Every
scope leaves client memberships out unless it asks for the client's read path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from campaigns.services import campaign_create
from content.models import ContentPiece
from marketing.models import Business, Membership, Organization, User
from marketing.selectors import (
    businesses_for_user,
    has_role,
    is_tenant_owned,
    organization_ids_for,
    scope_for_user,
)
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    CampaignFactory,
    ContentPieceFactory,
    MembershipFactory,
    PublicationFactory,
    UserFactory,
)
from tests.marketing.test_tenancy import MAKERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_shop(alice: Tenant) -> Business:
    """Another client shop of alice's agency, which the client viewer must never see."""
    return BusinessFactory(organization=alice.organization, name="다른 고객 가게")


@pytest.fixture
def viewer(alice: Tenant) -> Tenant:
    """Dana views alice's bakery as its client."""
    user = UserFactory(email="dana@client.example")
    MembershipFactory(
        organization=alice.organization,
        user=user,
        role=Membership.Role.CLIENT,
        business=alice.business,
    )
    return Tenant(user, alice.organization, alice.business)


def _shop_pages(business: Business, piece: ContentPiece) -> list[str]:
    return [
        reverse("analytics:results", args=[business.pk]),
        reverse("owner:calendar", args=[business.pk]),
        reverse("owner:piece_review", args=[piece.pk]),
    ]


def test_a_client_viewer_reads_the_results_calendar_and_pieces_of_their_shop(viewer: Tenant):
    piece = ContentPieceFactory(
        business=viewer.business,
        status="ready",
        title="소금빵 나왔어요",
        planned_for=timezone.now() + dt.timedelta(days=1),
        fields={"text": "소금빵 나왔어요"},
    )
    client = viewer.client()

    pages = {url: client.get(url) for url in _shop_pages(viewer.business, piece)}

    assert all(response.status_code == 200 for response in pages.values())
    review = pages[reverse("owner:piece_review", args=[piece.pk])].content.decode()
    assert "소금빵 나왔어요" in review and "보기 전용이에요" in review
    for html in (response.content.decode() for response in pages.values()):
        for write in ("/edit/", "/approve/", "/submit/", "/move/", "/swap/", "/feedback/"):
            assert f'{write}"' not in html, write
    results = pages[reverse("analytics:results", args=[viewer.business.pk])].content.decode()
    assert "이번 달 사용량" not in results  # the agency's plan is not the client's business


def test_a_client_viewer_gets_404_on_every_other_shops_pages(
    viewer: Tenant, other_shop: Business, bob: Tenant
):
    client = viewer.client()
    for business in (other_shop, bob.business):
        piece = ContentPieceFactory(business=business, status="ready")
        campaign = CampaignFactory(business=business)
        publication = PublicationFactory(piece=piece)
        urls = [
            *_shop_pages(business, piece),
            reverse("marketing:business_detail", args=[business.pk]),
            reverse("campaigns:detail", args=[campaign.pk]),
            reverse("publications:business", args=[business.pk]),
            reverse("publications:detail", args=[publication.pk]),
            reverse("publishing:channels", args=[business.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_a_client_viewer_gets_403_on_every_write_even_in_their_own_shop(viewer: Tenant):
    piece = ContentPieceFactory(business=viewer.business, status="ready")
    campaign = CampaignFactory(business=viewer.business)
    client = viewer.client()
    writes = [
        reverse("owner:piece_edit", args=[piece.pk]),
        reverse("owner:piece_approve", args=[piece.pk]),
        reverse("owner:piece_submit", args=[piece.pk]),
        reverse("owner:piece_move", args=[piece.pk]),
        reverse("owner:piece_comment", args=[piece.pk]),
        reverse("campaigns:new", args=[viewer.business.pk]),
        reverse("publications:schedule_campaign", args=[campaign.pk]),
        reverse("marketing:business_edit", args=[viewer.business.pk]),
        reverse("marketing:business_create"),
        reverse("owner:workspace_action"),
        reverse("owner:client_invite"),
        reverse("analytics:piece_feedback", args=[piece.pk]),
    ]

    for url in writes:
        assert (
            client.post(url, {"bulk_action": "pause", "shops": [viewer.business.pk]}).status_code
            == 403
        ), url

    viewer.business.refresh_from_db()
    assert viewer.business.paused_at is None
    assert not campaign.business.campaigns.exclude(pk=campaign.pk).exists()


def test_a_client_viewer_may_still_sign_out_and_switch_language(viewer: Tenant):
    client = viewer.client()

    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302


def test_the_dashboard_takes_a_client_viewer_to_their_shops_results(viewer: Tenant):
    response = viewer.client().get(reverse("marketing:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("analytics:results", args=[viewer.business.pk])


def test_a_client_viewer_never_gets_into_the_admin(viewer: Tenant):
    User.objects.filter(pk=viewer.user.pk).update(is_staff=True)  # even if someone ticks it

    response = viewer.client().get(reverse("admin:marketing_business_changelist"))

    assert response.status_code == 403


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_every_scope_leaves_a_client_viewer_out_unless_it_asks_for_the_read_path(
    label: str, viewer: Tenant, alice: Tenant
):
    model = apps.get_model(label)
    assert is_tenant_owned(model)
    MAKERS[label](alice)

    assert not scope_for_user(model._default_manager.all(), viewer.user).exists()
    assert organization_ids_for(viewer.user) == []


def test_the_read_path_opens_the_clients_shop_and_nothing_else(
    viewer: Tenant, other_shop: Business
):
    mine = ContentPieceFactory(business=viewer.business)
    ContentPieceFactory(business=other_shop)
    read = Membership.Role.CLIENT

    assert list(businesses_for_user(viewer.user, include_client=True)) == [viewer.business]
    assert list(scope_for_user(ContentPiece.objects.all(), viewer.user, min_role=read)) == [mine]
    assert not scope_for_user(Organization.objects.all(), viewer.user, min_role=read).exists()
    assert not scope_for_user(Membership.objects.all(), viewer.user, min_role=read).exists()


def test_an_archived_shop_closes_to_its_client(viewer: Tenant):
    Business.objects.filter(pk=viewer.business.pk).update(archived_at=timezone.now())

    assert not businesses_for_user(viewer.user, include_client=True).exists()


def test_a_client_viewer_holds_no_members_right(viewer: Tenant):
    for role in (Membership.Role.STAFF, Membership.Role.MANAGER, Membership.Role.OWNER):
        assert not has_role(viewer.user, viewer.business, role)
    with pytest.raises(ValueError):
        has_role(viewer.user, viewer.business, Membership.Role.CLIENT)


def test_a_client_viewer_cannot_create_a_campaign_through_the_service(viewer: Tenant):
    from django.core.exceptions import PermissionDenied

    start = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        campaign_create(
            business=viewer.business,
            actor=viewer.user,
            goal="awareness",
            starts_on=start,
            ends_on=start + dt.timedelta(days=6),
            channels=["threads"],
        )


def test_a_member_elsewhere_who_is_also_a_client_keeps_their_own_rights(
    viewer: Tenant, bob: Tenant
):
    MembershipFactory(organization=bob.organization, user=viewer.user, role="owner")
    client = viewer.client()

    own = client.get(reverse("marketing:business_detail", args=[bob.business.pk]))
    agency = client.get(reverse("marketing:business_detail", args=[viewer.business.pk]))

    assert own.status_code == 200 and agency.status_code == 404
    assert client.get(reverse("analytics:results", args=[viewer.business.pk])).status_code == 200


def test_a_client_viewer_may_still_answer_through_an_approval_link(viewer: Tenant, alice: Tenant):
    from content import client_links

    Organization.objects.filter(pk=alice.organization.pk).update(approval_mode="client")
    piece = ContentPieceFactory(
        business=viewer.business, status="ready", review_state="client_review"
    )
    link = client_links.create_link(business=viewer.business, actor=alice.user, pieces=[piece])
    token = client_links.token_for(link)

    response = viewer.client().post(
        reverse("owner:client_comment", args=[token]), {"name": "다나", "comment": "좋아요"}
    )

    assert response.status_code != 403


def test_the_admin_ties_a_client_membership_to_one_shop_of_its_organization(
    alice: Tenant, bob: Tenant
):
    newcomer = UserFactory(email="newcomer@client.example")
    url = reverse("admin:marketing_membership_add")
    form = {"organization": alice.organization.pk, "user": newcomer.pk, "role": "client"}

    without = alice.client().post(url, form)
    elsewhere = alice.client().post(url, {**form, "business": bob.business.pk})
    right = alice.client().post(url, {**form, "business": alice.business.pk})

    assert without.status_code == 200 and "고객이 볼 이 조직의 사업장을 골라 주세요." in (
        without.content.decode()
    )
    assert elsewhere.status_code == 200
    assert right.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.role, membership.business_id) == ("client", alice.business.pk)
