from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from marketing.models import Membership
from marketing.services import membership_add
from tests.conftest import Tenant
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def manager(alice: Tenant) -> Tenant:
    user = UserFactory(email="manager@example.com", is_staff=True)
    MembershipFactory(organization=alice.organization, user=user, role=Membership.Role.MANAGER)
    return Tenant(user, alice.organization, alice.business)


def test_a_manager_adds_a_staff_member(manager: Tenant):
    newcomer = UserFactory(email="new@example.com")

    membership = membership_add(
        organization=manager.organization, user=newcomer, role="staff", actor=manager.user
    )

    assert membership.role == "staff"


def test_a_manager_cannot_make_anyone_an_owner(manager: Tenant):
    with pytest.raises(PermissionDenied, match="소유자"):
        membership_add(
            organization=manager.organization, user=manager.user, role="owner", actor=manager.user
        )


def test_a_manager_cannot_demote_the_owner(manager: Tenant, alice: Tenant):
    with pytest.raises(PermissionDenied):
        membership_add(
            organization=alice.organization, user=alice.user, role="staff", actor=manager.user
        )

    assert Membership.objects.get(user=alice.user).role == "owner"


def test_staff_cannot_manage_members(charlie: Tenant):
    with pytest.raises(PermissionDenied):
        membership_add(
            organization=charlie.organization,
            user=UserFactory(email="x@example.com"),
            role="staff",
            actor=charlie.user,
        )


def test_the_admin_refuses_a_managers_self_promotion_with_the_reason(manager: Tenant):
    membership = Membership.objects.get(user=manager.user)

    response = manager.client().post(
        reverse("admin:marketing_membership_change", args=[membership.pk]), {"role": "owner"}
    )

    membership.refresh_from_db()
    assert response.status_code == 200
    assert "소유자 권한은 소유자만" in response.content.decode()
    assert membership.role == "manager"


def test_the_owner_promotes_a_manager_in_the_admin(alice: Tenant, manager: Tenant):
    membership = Membership.objects.get(user=manager.user)

    response = alice.client().post(
        reverse("admin:marketing_membership_change", args=[membership.pk]), {"role": "owner"}
    )

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.role == "owner"
