"""Guidance reaches the writers: after measured posts, the next campaign's pieces take the
learned attributes (offline writer and the Gemini prompt), log the decision, say whether
it was learned or a new try, and go out at learned times once there is evidence."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from analytics import learning, selectors
from analytics.decisions import NOTE_EXPLORED, NOTE_LEARNED
from analytics.learning import knowledge
from analytics.models import MetricSnapshot
from campaigns.services import campaign_create
from content.models import ContentPiece
from content.prompting import build_prompt
from content.services import generation_request, piece_generate
from tests.conftest import Tenant
from tests.factories import measured_post

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def _history(tenant: Tenant, posts: int = 32) -> None:
    """Questions, carousels and 8 in the morning each did far better than the rest
    (tried independently of each other)."""
    start = timezone.now() - dt.timedelta(days=posts + 10)
    for i in range(posts):
        question, carousel, morning = i % 2 == 0, (i // 2) % 2 == 0, (i // 4) % 2 == 0
        local = (start + dt.timedelta(days=i)).astimezone(SEOUL)
        measured_post(
            tenant.business,
            published_at=local.replace(hour=8 if morning else 18, minute=0),
            reach=round(500 * 2.5 ** (question + carousel + morning)),
            hook_style="question" if question else "benefit",
            format="carousel" if carousel else "image",
        )


def _campaign(tenant: Tenant) -> list[ContentPiece]:
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    campaign = campaign_create(
        business=tenant.business,
        actor=tenant.user,
        goal="awareness",
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=6),
        channels=["instagram"],
        posts_per_week={"instagram": 4},
    )
    return list(campaign.pieces.order_by("planned_for"))


def test_the_next_campaign_follows_what_worked_and_says_so(alice: Tenant):
    _history(alice)
    selectors.seed_decisions(1)
    pieces = _campaign(alice)
    for piece in pieces:
        piece_generate(piece_id=piece.pk)
    pieces = [ContentPiece.objects.get(pk=p.pk) for p in pieces]

    assert sum(p.hook_style == "question" for p in pieces) >= 3
    assert sum(p.format == "carousel" for p in pieces) >= 3
    assert sum(p.planned_for.astimezone(SEOUL).hour in (8, 10) for p in pieces) >= 3
    for piece in pieces:
        decision = piece.learning
        assert decision["attributes"]["opening"] in ("question", "statement")
        assert decision["slot"]["source"] == "learned"
        assert set(decision["probabilities"]) >= {"format", "opening"}
        new = bool(decision["explored"]) or decision["slot"]["explored"]
        assert decision["note"] == (NOTE_EXPLORED if new else NOTE_LEARNED)
        assert decision["summary"].endswith("게시물 32개 기준")
    # What the history taught is not a new try; values never tried (a length, an emoji
    # density or a hashtag count the history did not vary) still are.
    assert sum("opening" not in p.learning["explored"] for p in pieces) >= 3


def test_the_gemini_prompt_carries_the_same_guidance(alice: Tenant):
    _history(alice)
    selectors.seed_decisions(2)
    piece = _campaign(alice)[0]

    request = generation_request(piece)
    prompt = build_prompt(request).user

    assert request.guidance is not None
    assert request.guidance.summary in prompt
    assert request.guidance.preferred["hook_style"] in prompt
    assert "평소보다" in request.guidance.summary


def test_without_history_the_campaign_keeps_default_times_and_explores(alice: Tenant):
    selectors.seed_decisions(3)
    pieces = _campaign(alice)
    piece_generate(piece_id=pieces[0].pk)
    piece = ContentPiece.objects.get(pk=pieces[0].pk)

    assert piece.learning["note"] == NOTE_EXPLORED
    assert piece.learning["slot"]["source"] == "default"
    assert piece.learning["summary"].startswith("아직 성과가 모인 게시물이 없어")


def test_learning_switched_off_leaves_the_writers_free(alice: Tenant, settings):
    settings.LEARNING_ENABLED = False
    _history(alice)
    pieces = _campaign(alice)
    piece_generate(piece_id=pieces[0].pk)

    assert ContentPiece.objects.get(pk=pieces[0].pk).learning == {}
    assert generation_request(pieces[0]).guidance is None


def test_a_simulators_numbers_teach_their_own_shop_and_never_the_others(alice, bob):
    """The demo café and every sandbox account are measured by a made-up audience: that
    shapes their own guidance, while a real shop of the same industry learns nothing
    from them. Real numbers of another shop do reach it."""

    def posterior_of(tenant: Tenant):
        return knowledge(
            business_id=tenant.business.pk,
            family=tenant.business.industry_family,
            channel="instagram",
        ).posterior.mean.copy()

    bob.business.industry = alice.business.industry
    bob.business.save(update_fields=["industry"])
    alone = posterior_of(bob)
    _history(alice)
    MetricSnapshot.objects.filter(publication__piece__business=alice.business).update(
        source=MetricSnapshot.Source.SANDBOX
    )

    assert (posterior_of(bob) == alone).all()
    assert not (posterior_of(alice) == alone).all()

    MetricSnapshot.objects.filter(publication__piece__business=alice.business).update(
        source=MetricSnapshot.Source.API
    )
    learning._cache.clear()  # readings never change source in place: no version for it
    assert not (posterior_of(bob) == alone).all()
