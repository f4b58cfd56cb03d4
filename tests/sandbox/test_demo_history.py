"""The demo history: `make run` shows results and the loop at work from the first minute,
made by the real product publishing to the simulators on a moved clock."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.models import Collection, MetricSnapshot, WeeklyReport
from analytics.selectors import learned_for
from campaigns.models import Campaign
from marketing.demo import demo_seed
from publishing.models import ChannelAccount, Publication, PublishAttempt

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # commits as in `make run`: reports go at once
def test_the_demo_cafe_gets_weeks_of_published_and_measured_posts_once(settings):
    settings.DEBUG = True
    demo = demo_seed(owner_email="o@example.com", operator_email="op@example.com")

    call_command("seed_demo_history", "--weeks", "2")
    call_command("seed_demo_history", "--weeks", "2")  # idempotent

    published = Publication.objects.filter(piece__business=demo.business)
    assert published.count() == 14  # 2 weeks x (3 Instagram, 3 Threads, 1 Shorts)
    assert set(published.values_list("state", flat=True)) == {Publication.State.PUBLISHED}
    assert Campaign.objects.filter(business=demo.business).count() == 2
    now = timezone.now()
    times = sorted(published.values_list("published_at", flat=True))
    assert (now - times[0]).days >= 7 and times[-1] < now
    # Published through the platforms' APIs, measured there by the collector on the ladder.
    assert PublishAttempt.objects.filter(publication__in=published).exists()
    snapshots = MetricSnapshot.objects.filter(publication__in=published)
    assert snapshots.filter(source=MetricSnapshot.Source.SANDBOX).count() == snapshots.count()
    assert snapshots.count() >= 14 * 3
    assert not snapshots.filter(collected_at__gt=now).exists()
    # Nothing is left for the `make run` simulators, which never saw these posts.
    assert not Collection.objects.filter(state=Collection.State.COLLECTING).exists()
    accounts = ChannelAccount.objects.filter(business=demo.business)
    assert sorted(accounts.values_list("platform", flat=True)) == [
        "instagram", "threads", "youtube_shorts",
    ]  # fmt: skip
    assert all(a.token_expires_at > now for a in accounts)
    # Each past week's report was made on its Monday 09:00 (moved clock), e-mailed nowhere.
    made = WeeklyReport.objects.filter(business=demo.business, sent_at__isnull=False)
    assert made.count() == 2 and all(r.pdf for r in made)
    seoul = ZoneInfo(demo.business.time_zone)
    assert {r.sent_at.astimezone(seoul).strftime("%a %H") for r in made} == {"Mon 09"}
    learned = learned_for(business_id=demo.business.pk, channels=["instagram", "threads"])
    assert [item.evidence for item in learned] == [6, 6]


def test_the_demo_history_refuses_to_run_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("seed_demo_history")
