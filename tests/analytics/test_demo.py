"""The demo history: `make run` shows the loop at work from the first minute."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from analytics.models import Collection, MetricSnapshot
from analytics.selectors import learned_for
from marketing.demo import demo_seed
from publishing.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_cafe_gets_a_measured_past_once_and_the_card_has_findings(settings):
    settings.DEBUG = True
    demo = demo_seed(owner_email="o@example.com", operator_email="op@example.com")

    call_command("seed_demo_history")
    call_command("seed_demo_history")  # idempotent

    published = Publication.objects.filter(piece__business=demo.business)
    assert published.count() == 90
    assert MetricSnapshot.objects.filter(publication__in=published).count() >= 200
    assert not Collection.objects.exists()  # nothing to collect: no account behind them
    learned = learned_for(business_id=demo.business.pk, channels=["instagram", "threads"])
    assert all(item.evidence == 30 for item in learned)
    assert all(item.uses_learned_times for item in learned)
    assert any(item.findings for item in learned)
    assert any("평소보다" in finding for item in learned for finding in item.findings)
