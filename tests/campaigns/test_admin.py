"""The shop admin's bulk action (campaigns adds it: marketing sits below campaigns)."""

from __future__ import annotations

from django.urls import reverse

from campaigns.models import Campaign
from content.channels import Channel
from tests.conftest import Tenant


def test_the_shop_admin_starts_next_weeks_campaign_on_every_channel(alice: Tenant):
    response = alice.client().post(
        reverse("admin:marketing_business_changelist"),
        {"action": "generate_week_campaign", "_selected_action": [alice.business.pk]},
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get(business=alice.business)
    assert sorted(campaign.channels) == sorted(Channel.values)
    assert (campaign.ends_on - campaign.starts_on).days == 6
