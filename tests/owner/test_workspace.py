"""The agency workspace: every client shop with what needs action (each count linking to
its fix), filters, and bulk actions over the selected shops with a result per shop."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from campaigns.models import Campaign
from content.models import ClientLink, ContentPiece, ReviewState
from marketing.models import Business, Membership, Organization, User
from publishing.models import ChannelAccount, Publication
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    MembershipFactory,
    OrganizationFactory,
    PublicationFactory,
    UserFactory,
    written_piece,
)

pytestmark = pytest.mark.django_db
URL = "/app/workspace/"
ACTION_URL = "/app/workspace/actions/"
AHEAD = dt.timedelta(days=2)


@dataclass
class Agency:
    organization: Organization
    manager: User
    staff: User
    shops: list[Business]

    def client_for(self, user: User):
        return Tenant(user, self.organization, self.shops[0]).client()


@pytest.fixture
def agency(db) -> Agency:
    organization = OrganizationFactory(
        name="한빛 마케팅", kind=Organization.Kind.AGENCY, approval_mode="client"
    )
    manager = UserFactory(email="manager@agency.example", is_staff=True)
    staff = UserFactory(email="staff@agency.example", is_staff=True)
    MembershipFactory(organization=organization, user=manager, role=Membership.Role.MANAGER)
    MembershipFactory(organization=organization, user=staff, role=Membership.Role.STAFF)
    shops = [
        BusinessFactory(organization=organization, name=name)
        for name in ("가나 베이커리", "다라 미용실", "마바 필라테스")
    ]
    return Agency(organization, manager, staff, shops)


def _written(business: Business, *, channel: str = "threads", **fields: object) -> ContentPiece:
    """A written piece planned two days ahead, with an account to go out on."""
    piece = written_piece(business, channel, format="text")
    ContentPiece.objects.filter(pk=piece.pk).update(planned_for=timezone.now() + AHEAD, **fields)
    if not ChannelAccount.objects.filter(business=business, platform=channel).exists():
        ChannelAccountFactory(business=business, platform=channel)
    return ContentPiece.objects.select_related("business__organization").get(pk=piece.pk)


def _act(client, action: str, shops: list[Business], **extra: str) -> str:
    response = client.post(
        ACTION_URL, {"bulk_action": action, "shops": [s.pk for s in shops], **extra}
    )
    assert response.status_code == 200
    return response.content.decode()


# --- The screen ------------------------------------------------------------------------------


def test_each_count_links_to_the_page_that_fixes_it(agency: Agency):
    bakery, salon, _pilates = agency.shops
    changes = ContentPieceFactory(
        business=bakery, status="ready", review_state=ReviewState.CHANGES_REQUESTED
    )
    review = ContentPieceFactory(business=bakery, status="ready", review_state="in_review")
    waiting = ContentPieceFactory(business=salon, status="ready", review_state="client_review")
    failed = PublicationFactory(piece__business=salon, state=Publication.State.FAILED)
    ChannelAccountFactory(business=salon, state=ChannelAccount.State.NEEDS_REAUTH)

    html = agency.client_for(agency.manager).get(URL).content.decode()

    assert f'href="/app/pieces/{changes.pk}/"' in html and "수정 요청" in html
    assert f'href="/app/pieces/{review.pk}/"' in html and "내부 검토" in html
    assert f'href="/app/pieces/{waiting.pk}/"' in html and "고객 확인 대기" in html
    assert f'href="/app/publications/{failed.pk}/"' in html and "게시 실패" in html
    assert f'href="/app/businesses/{salon.pk}/channels/"' in html and "계정 재연결" in html


def test_staff_see_no_internal_review_to_do_since_only_managers_approve(agency: Agency):
    ContentPieceFactory(business=agency.shops[0], status="ready", review_state="in_review")

    html = agency.client_for(agency.staff).get(URL).content.decode()

    assert "내부 검토" not in html


def test_the_next_posts_and_this_months_use_show_per_shop(agency: Agency):
    bakery = agency.shops[0]
    soon = timezone.now() + dt.timedelta(days=1)
    for hours in range(5):
        PublicationFactory(
            piece__business=bakery,
            piece__channel="threads",
            scheduled_at=soon + dt.timedelta(hours=hours),
        )

    html = agency.client_for(agency.manager).get(URL).content.decode()

    assert html.count('href="/app/publications/') == 3  # the next three, then the calendar
    assert "모두 5개 · 달력" in html
    assert "이번 달 생성 0 / " in html or "이번 달 생성 0개" in html


def test_nobody_sees_another_organizations_shops_or_archived_ones(agency: Agency, bob: Tenant):
    Business.objects.filter(pk=agency.shops[2].pk).update(archived_at=timezone.now())

    html = agency.client_for(agency.manager).get(URL).content.decode()

    assert "가나 베이커리" in html and "다라 미용실" in html
    assert "마바 필라테스" not in html and bob.business.name not in html


def test_the_filters_narrow_by_name_organization_need_and_pause(agency: Agency, alice: Tenant):
    MembershipFactory(organization=alice.organization, user=agency.manager, role="staff")
    bakery, salon, pilates = agency.shops
    ContentPieceFactory(business=salon, status="failed")
    Business.objects.filter(pk=pilates.pk).update(paused_at=timezone.now())
    client = agency.client_for(agency.manager)

    def names(query: str) -> set[str]:
        html = client.get(f"{URL}?{query}").content.decode()
        every = {s.name for s in agency.shops} | {alice.business.name}
        return {name for name in every if f">{name}</a>" in html}

    assert names("") == {s.name for s in agency.shops} | {alice.business.name}
    assert names("q=미용") == {salon.name}
    assert names(f"organization={alice.organization.pk}") == {alice.business.name}
    assert names("action=1") == {salon.name}
    assert names("status=paused") == {pilates.name}
    assert names("status=active&q=베이") == {bakery.name, alice.business.name}
    assert names(f"status=active&q=베이&organization={bakery.organization_id}") == {bakery.name}


def test_the_top_bar_links_the_workspace_for_agencies_and_people_with_several_shops(
    agency: Agency, bob: Tenant
):
    workspace_link = f'href="{URL}"'
    assert workspace_link in agency.client_for(agency.manager).get("/app/notices/").content.decode()
    assert workspace_link not in bob.client().get("/app/notices/").content.decode()

    BusinessFactory(organization=bob.organization, name="밥 분식 2호점")

    assert workspace_link in bob.client().get("/app/notices/").content.decode()


# --- Bulk actions ----------------------------------------------------------------------------


def test_next_week_makes_one_campaign_per_shop_on_its_channels_and_never_twice(agency: Agency):
    bakery = agency.shops[0]
    Campaign.objects.create(
        business=bakery,
        name="지난 캠페인",
        starts_on=timezone.localdate() - dt.timedelta(days=14),
        ends_on=timezone.localdate() - dt.timedelta(days=8),
        channels=["instagram", "threads"],
    )
    client = agency.client_for(agency.staff)

    first = _act(client, "next_week", agency.shops)
    again = _act(client, "next_week", agency.shops)

    made = Campaign.objects.filter(business__in=agency.shops).exclude(name="지난 캠페인")
    assert made.count() == 3
    monday = made.get(business=bakery)
    assert monday.starts_on.weekday() == 0 and (monday.ends_on - monday.starts_on).days == 6
    assert sorted(monday.channels) == ["instagram", "threads"]
    assert sorted(made.get(business=agency.shops[1]).channels) == sorted(
        ["instagram", "naver_blog", "youtube_shorts", "threads"]
    )
    assert first.count("다음 주 캠페인을 쓰기 시작했어요") == 3
    assert again.count("다음 주 캠페인이 이미 있어요") == 3


def test_a_manager_sends_three_shops_for_approval_with_one_client_link_each(agency: Agency):
    pieces = [_written(shop) for shop in agency.shops]
    _written(agency.shops[0], channel="instagram", review_state=ReviewState.APPROVED)

    html = _act(agency.client_for(agency.manager), "submit", agency.shops)

    for piece in pieces:
        piece.refresh_from_db()
        assert piece.review_state == ReviewState.CLIENT_REVIEW
    links = ClientLink.objects.filter(business__in=agency.shops)
    assert links.count() == 3
    assert {link.pieces.get().pk for link in links} == {p.pk for p in pieces}
    assert html.count("1개 글을 고객 확인으로 보냈어요.") == 3
    assert html.count('data-copy="#link-') == 3
    assert len(re.findall(r'value="http://testserver/app/review/[^"]+/"', html)) == 3


def test_staff_send_for_internal_review_and_no_link_is_made(agency: Agency):
    piece = _written(agency.shops[0])

    html = _act(agency.client_for(agency.staff), "submit", agency.shops[:1])

    piece.refresh_from_db()
    assert piece.review_state == ReviewState.IN_REVIEW
    assert not ClientLink.objects.exists()
    assert "1개 글을 내부 검토에 올렸어요." in html


def test_without_an_approval_flow_sending_says_scheduling_is_the_approval(agency: Agency):
    Organization.objects.filter(pk=agency.organization.pk).update(approval_mode="off")
    _written(agency.shops[0])

    html = _act(agency.client_for(agency.manager), "submit", agency.shops[:1])

    assert "승인 절차를 쓰지 않아요" in html


def test_scheduling_three_shops_lists_what_was_left_out_and_why(agency: Agency):
    bakery, salon, pilates = agency.shops
    approved = [
        _written(shop, review_state=ReviewState.APPROVED, approved_revision=1)
        for shop in (bakery, salon)
    ]
    waiting = _written(pilates, review_state=ReviewState.CLIENT_REVIEW)

    html = _act(agency.client_for(agency.manager), "schedule", agency.shops)

    for piece in approved:
        publication = Publication.objects.get(piece=piece)
        assert publication.scheduled_at == piece.planned_for
    assert not Publication.objects.filter(piece=waiting).exists()
    assert html.count("1개 글을 예약했어요.") == 2
    assert "승인된 버전만 예약할 수 있어요" in html and waiting.title[:10] in html

    again = _act(agency.client_for(agency.manager), "schedule", [bakery])
    assert Publication.objects.filter(piece=approved[0]).count() == 1
    assert "예약할 글이 없어요" in again


def test_pausing_and_resuming_three_shops(agency: Agency):
    piece = _written(agency.shops[0], review_state=ReviewState.APPROVED, approved_revision=1)
    client = agency.client_for(agency.manager)
    _act(client, "schedule", agency.shops[:1])

    paused = _act(client, "pause", agency.shops)
    assert (
        Business.objects.filter(
            pk__in=[s.pk for s in agency.shops], paused_at__isnull=False
        ).count()
        == 3
    )
    assert Publication.objects.get(piece=piece).state == Publication.State.CANCELED
    assert paused.count("일시 중지했어요") == 3
    assert "이미 일시 중지된 사업장이에요." in _act(client, "pause", agency.shops[:1])
    assert "일시 중지" in client.get(f"{URL}?status=paused").content.decode()

    resumed = _act(client, "resume", agency.shops)

    assert not Business.objects.filter(paused_at__isnull=False).exists()
    assert Publication.objects.filter(piece=piece, state=Publication.State.SCHEDULED).exists()
    assert resumed.count("다시 시작했어요") == 3


def test_staff_may_generate_and_send_but_not_schedule_or_pause(agency: Agency):
    client = agency.client_for(agency.staff)

    for action in ("schedule", "pause"):
        html = _act(client, action, agency.shops[:1])
        assert "매니저 이상만 할 수 있어요." in html

    assert not Business.objects.filter(paused_at__isnull=False).exists()


def test_a_shop_of_another_organization_is_left_out_of_any_action(agency: Agency, bob: Tenant):
    response = agency.client_for(agency.manager).post(
        ACTION_URL, {"bulk_action": "pause", "shops": [bob.business.pk]}
    )

    assert response.status_code == 302
    bob.business.refresh_from_db()
    assert bob.business.paused_at is None


def test_an_action_without_a_choice_says_what_is_missing(agency: Agency):
    client = agency.client_for(agency.manager)

    no_action = client.post(ACTION_URL, {"shops": [agency.shops[0].pk], "q": "가"}, follow=True)
    no_shop = client.post(ACTION_URL, {"bulk_action": "pause"}, follow=True)

    assert "할 일을 골라 주세요." in no_action.content.decode()
    assert no_action.redirect_chain[-1][0] == f"{URL}?q=%EA%B0%80"
    assert "사업장을 하나 이상 골라 주세요." in no_shop.content.decode()


# --- Client viewers ----------------------------------------------------------------------------


def test_a_manager_invites_a_client_who_sets_a_password_from_the_email(
    agency: Agency, django_capture_on_commit_callbacks
):
    bakery = agency.shops[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = agency.client_for(agency.manager).post(
            "/app/workspace/clients/", {"business": bakery.pk, "email": "Client@Shop.example"}
        )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="client@shop.example")
    assert (membership.role, membership.business_id) == (Membership.Role.CLIENT, bakery.pk)
    assert not membership.user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["client@shop.example"] and bakery.name in message.subject
    path = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    page = Client()
    form = page.get(path, follow=True)
    password = "소금빵-맛있어요-2027"
    page.post(form.redirect_chain[-1][0], {"password1": password, "password2": password})
    assert page.login(email="client@shop.example", password=password)
    assert page.get("/app/").url == f"/app/businesses/{bakery.pk}/results/"


def test_staff_may_not_invite_a_client_and_members_are_not_made_clients(agency: Agency):
    staff_try = agency.client_for(agency.staff).post(
        "/app/workspace/clients/",
        {"business": agency.shops[0].pk, "email": "new@shop.example"},
        follow=True,
    )
    member_try = agency.client_for(agency.manager).post(
        "/app/workspace/clients/",
        {"business": agency.shops[0].pk, "email": agency.staff.email},
        follow=True,
    )

    assert "매니저 이상만 고객을 초대할 수 있어요." in staff_try.content.decode()
    assert "이미 이 조직의 구성원이에요" in member_try.content.decode()
    assert not Membership.objects.filter(role=Membership.Role.CLIENT).exists()
    assert not mail.outbox
