"""The activity log: role changes, scheduling and the shop's lifecycle are recorded; the
owners read it at /app/audit/ (newest first, by shop and action, fifty to a page, on the
shop's clock), operators in a read-only admin; nobody else reads it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from content.models import ContentPiece
from marketing.audit import audit
from marketing.models import AuditEvent, Membership
from marketing.services import membership_add, organization_create
from publishing import lifecycle, services
from tests.conftest import Tenant
from tests.factories import (
    BusinessFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
AUDIT = "/app/audit/"


def entry(tenant: Tenant, summary: str, *, action: str = Action.APPROVED, business=None):
    return audit(
        tenant.organization.pk,
        action,
        summary,
        actor=tenant.user,
        business=business or tenant.business,
    )


# --- What is recorded ------------------------------------------------------------------------


def test_a_member_added_and_their_role_changed_are_recorded(alice):
    newcomer = UserFactory(email="new@example.com")

    membership_add(organization=alice.organization, user=newcomer, role="staff", actor=alice.user)
    membership_add(organization=alice.organization, user=newcomer, role="manager", actor=alice.user)

    changes = AuditEvent.objects.filter(action=Action.ROLE_CHANGED).order_by("pk")
    assert [(e.detail["old_role"], e.detail["new_role"]) for e in changes] == [
        (None, "staff"),
        ("staff", "manager"),
    ]
    assert all(e.actor == alice.user for e in changes)
    assert "new@example.com" in changes[1].summary


def test_the_owner_of_a_new_organization_is_recorded():
    owner = UserFactory(email="owner@example.com")

    organization = organization_create(name="새 가게", owner=owner)

    event = AuditEvent.objects.get(organization=organization)
    assert event.action == Action.ROLE_CHANGED and event.detail["new_role"] == "owner"


def test_role_changes_and_removals_in_the_admin_are_recorded(alice, charlie):
    membership = Membership.objects.get(user=charlie.user)
    client = alice.client()

    client.post(
        reverse("admin:marketing_membership_change", args=[membership.pk]), {"role": "manager"}
    )
    client.post(reverse("admin:marketing_membership_delete", args=[membership.pk]), {"post": "yes"})

    changes = AuditEvent.objects.filter(action=Action.ROLE_CHANGED).order_by("pk")
    assert [(e.detail["old_role"], e.detail["new_role"]) for e in changes] == [
        ("staff", "manager"),
        ("manager", None),
    ]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_added_on_the_organizations_admin_page_is_recorded(alice, superuser, client):
    newcomer = UserFactory(email="new@example.com")
    alices = Membership.objects.get(user=alice.user)
    client.force_login(superuser)

    client.post(
        reverse("admin:marketing_organization_change", args=[alice.organization.pk]),
        {"name": alice.organization.name, "kind": "shop", "approval_mode": "off",
         "generation_provider": "",
         "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
         "memberships-0-id": alices.pk, "memberships-0-organization": alice.organization.pk,
         "memberships-0-user": alice.user.pk, "memberships-0-role": "owner",
         "memberships-1-organization": alice.organization.pk,
         "memberships-1-user": newcomer.pk, "memberships-1-role": "staff"},
    )  # fmt: skip

    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.actor == superuser and event.detail["user"] == newcomer.pk


def test_scheduling_and_unscheduling_are_recorded_with_who_and_when(alice):
    piece = ContentPieceFactory(
        business=alice.business, channel="threads", status=ContentPiece.Status.READY,
        render_status="none",
    )  # fmt: skip
    account = ChannelAccountFactory(business=alice.business, platform="threads")
    at = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)

    publication = services.schedule_piece(piece, at, account=account, user=alice.user)
    response = alice.client().post(reverse("publications:cancel", args=[publication.pk]))

    assert response.status_code == 302
    scheduled = AuditEvent.objects.get(action=Action.SCHEDULED)
    unscheduled = AuditEvent.objects.get(action=Action.UNSCHEDULED)
    assert "2026-11-24 19:30" in scheduled.summary  # the shop's clock, Asia/Seoul
    assert scheduled.detail["publication"] == publication.pk == unscheduled.detail["publication"]
    assert scheduled.actor == unscheduled.actor == alice.user


def test_each_lifecycle_step_is_recorded(alice):
    lifecycle.business_pause(alice.business, actor=alice.user)
    lifecycle.business_resume(alice.business, actor=alice.user)
    lifecycle.business_erase_request(
        alice.business, actor=alice.user, confirm_name=alice.business.name
    )
    lifecycle.business_erase_cancel(alice.business, actor=alice.user)
    lifecycle.business_restore(alice.business, actor=alice.user)

    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.PAUSED,
        Action.RESUMED,
        Action.ARCHIVED,
        Action.ERASE_REQUESTED,
        Action.ERASE_CANCELED,
        Action.RESTORED,
    ]


# --- The owners' page ---------------------------------------------------------------------------


def test_the_owner_reads_the_log_newest_first_on_the_shops_clock(alice):
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC), tick=False):
        entry(alice, "먼저 한 일")
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC), tick=False):
        entry(alice, "나중에 한 일")

    page = alice.client().get(AUDIT).content.decode()

    assert page.index("나중에 한 일") < page.index("먼저 한 일")
    assert "2026-11-23 10:00" in page and "2026-11-23 11:00" in page
    assert "alice@example.com" in page


def test_the_log_is_filtered_by_shop_and_by_action(alice):
    other = BusinessFactory(organization=alice.organization, name="둘째 가게")
    entry(alice, "첫 가게 승인")
    entry(alice, "둘째 가게 승인", business=other)
    entry(alice, "둘째 가게 예약", business=other, action=Action.SCHEDULED)

    by_shop = alice.client().get(AUDIT, {"business": other.pk}).content.decode()
    by_both = alice.client().get(AUDIT, {"business": other.pk, "action": "scheduled"})

    assert "둘째 가게 승인" in by_shop and "첫 가게 승인" not in by_shop
    assert [row.event.summary for row in by_both.context["rows"]] == ["둘째 가게 예약"]


def test_the_log_comes_fifty_to_a_page(alice):
    for number in range(51):
        entry(alice, f"기록 {number}")

    first = alice.client().get(AUDIT)
    second = alice.client().get(AUDIT, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert [row.event.summary for row in second.context["rows"]] == ["기록 0"]
    assert "page=2" in first.content.decode()


def test_an_archived_shop_can_still_be_chosen_in_the_log(alice):
    lifecycle.business_archive(alice.business, actor=alice.user)

    response = alice.client().get(AUDIT, {"business": alice.business.pk})

    assert [row.event.action for row in response.context["rows"]] == [Action.ARCHIVED]


def test_staff_of_the_organization_may_not_read_the_log(alice, charlie):
    entry(alice, "비밀 승인")

    response = charlie.client().get(AUDIT)

    assert response.status_code == 403


def test_bob_gets_404_for_alices_log_and_sees_only_his_own(alice, bob):
    entry(alice, "앨리스의 승인")
    entry(bob, "밥의 승인")

    alices = bob.client().get(AUDIT, {"org": alice.organization.pk})
    his = bob.client().get(AUDIT).content.decode()

    assert alices.status_code == 404
    assert "밥의 승인" in his and "앨리스의 승인" not in his


def test_a_manager_elsewhere_reads_only_where_they_own(alice, bob):
    MembershipFactory(organization=alice.organization, user=bob.user, role="manager")
    entry(alice, "앨리스의 승인")

    assert bob.client().get(AUDIT, {"org": alice.organization.pk}).status_code == 403
    assert bob.client().get(AUDIT).context["organization"] == bob.organization


# --- The operators' admin ------------------------------------------------------------------------


def test_operators_read_every_log_in_the_admin_and_search_it(alice, bob, superuser, client):
    entry(alice, "앨리스의 승인")
    entry(bob, "밥의 승인")
    client.force_login(superuser)

    listing = client.get(reverse("admin:marketing_auditevent_changelist"))
    searched = client.get(reverse("admin:marketing_auditevent_changelist"), {"q": "밥"})
    filtered = client.get(
        reverse("admin:marketing_auditevent_changelist"), {"action__exact": "approved"}
    )

    assert listing.context["cl"].result_count == 2
    assert [e.summary for e in searched.context["cl"].queryset] == ["밥의 승인"]
    assert filtered.context["cl"].result_count == 2


def test_the_log_cannot_be_written_in_the_admin(alice, superuser, client):
    event = entry(alice, "앨리스의 승인")
    client.force_login(superuser)

    add = client.get(reverse("admin:marketing_auditevent_add"))
    change = client.post(
        reverse("admin:marketing_auditevent_change", args=[event.pk]), {"summary": "바꿈"}
    )
    delete = client.post(
        reverse("admin:marketing_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert add.status_code == 403 and change.status_code == 403 and delete.status_code == 403
    event.refresh_from_db()
    assert event.summary == "앨리스의 승인"


def test_staff_who_do_not_own_the_organization_do_not_see_its_log_in_the_admin(alice, charlie):
    event = entry(alice, "앨리스의 승인")

    listing = charlie.client().get(reverse("admin:marketing_auditevent_changelist"))
    row = charlie.client().get(reverse("admin:marketing_auditevent_change", args=[event.pk]))

    assert listing.status_code == 403 and row.status_code == 404


def test_the_owner_chooses_the_approval_flow_on_the_plan_page(alice: Tenant, charlie: Tenant):
    url = reverse("marketing:approval_mode")
    refused = charlie.client().post(url, {"approval_mode": "client"})
    assert refused.status_code == 403

    alice.client().post(url, {"approval_mode": "client"})

    alice.organization.refresh_from_db()
    assert alice.organization.approval_mode == "client"
    event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert "고객 승인" in event.summary and event.actor == alice.user
    page = alice.client().get(reverse("marketing:plan")).content.decode()
    assert 'value="client" checked' in page
