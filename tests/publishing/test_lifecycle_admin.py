"""The shop admin follows the lifecycle's rule: a shop with history is archived, never
deleted (no delete button, no bulk delete); one without is deleted and logged; archive,
restore and a name-confirmed erase are actions."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from marketing.models import AuditEvent, Business
from tests.conftest import Tenant
from tests.factories import BusinessFactory, CampaignFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:marketing_business_changelist"


def act(tenant: Tenant, action: str, *businesses: Business, **data: str):
    return tenant.client().post(
        reverse(CHANGELIST),
        {"action": action, ACTION_CHECKBOX_NAME: [b.pk for b in businesses], **data},
        follow=True,
    )


def test_a_shop_with_history_cannot_be_deleted_in_the_admin(alice):
    CampaignFactory(business=alice.business)
    url = reverse("admin:marketing_business_delete", args=[alice.business.pk])

    change = alice.client().get(
        reverse("admin:marketing_business_change", args=[alice.business.pk])
    )
    response = alice.client().post(url, {"post": "yes"})

    assert response.status_code == 403
    assert url not in change.content.decode()
    assert Business.objects.filter(pk=alice.business.pk).exists()


def test_a_shop_without_history_is_deleted_in_the_admin_and_logged(alice):
    url = reverse("admin:marketing_business_delete", args=[alice.business.pk])

    response = alice.client().post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Business.objects.filter(pk=alice.business.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert event.actor == alice.user and alice.business.name in event.summary


def test_the_shop_list_offers_no_bulk_delete_but_archive_and_erase(alice):
    response = alice.client().get(reverse(CHANGELIST))
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]

    assert "delete_selected" not in actions
    assert {"archive_businesses", "restore_businesses", "request_erase", "cancel_erase"} <= set(
        actions
    )


def test_archive_and_restore_actions_say_what_they_did_per_shop(alice):
    CampaignFactory(business=alice.business)

    archived = act(alice, "archive_businesses", alice.business)
    alice.business.refresh_from_db()
    assert alice.business.archived_at is not None
    assert "보관했어요" in archived.content.decode()

    act(alice, "restore_businesses", alice.business)
    alice.business.refresh_from_db()
    assert alice.business.archived_at is None


def test_erase_in_the_admin_asks_each_shops_name_first(alice):
    second = BusinessFactory(organization=alice.organization, name="둘째 가게")

    asked = act(alice, "request_erase", alice.business, second)
    confirmed = act(
        alice,
        "request_erase",
        alice.business,
        second,
        confirmed="1",
        **{f"confirm-{alice.business.pk}": alice.business.name, f"confirm-{second.pk}": "틀림"},
    )

    assert "그대로 입력해 주세요" in asked.content.decode()
    alice.business.refresh_from_db()
    second.refresh_from_db()
    assert alice.business.erase_after is not None and second.erase_after is None
    page = confirmed.content.decode()
    assert "완전히 지워요" in page and "이름이 맞지 않아요" in page


def test_bob_cannot_act_on_alices_shops_in_the_admin(alice, bob):
    act(bob, "archive_businesses", alice.business)

    alice.business.refresh_from_db()
    assert alice.business.archived_at is None


def test_an_organization_with_shops_cannot_be_deleted_in_the_admin(alice):
    url = reverse("admin:marketing_organization_delete", args=[alice.organization.pk])

    response = alice.client().post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Business.objects.filter(pk=alice.business.pk).exists()
