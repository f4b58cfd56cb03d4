"""Campaign generation runs channels concurrently: its wall time is close to the
slowest single LLM call, not the sum. Measured against the Gemini simulator with
1 s latency per call, through the real SDK and a real (warm) worker process."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.utils import timezone

from bench.report import Figure
from campaigns.models import Campaign
from campaigns.services import campaign_create
from content import quality
from content.channels import Channel
from content.models import ContentPiece
from content.providers.gemini import GeminiProvider
from content.services import generation_request, quality_context, stored_draft
from core.worker_process import celery_worker
from marketing.demo import demo_seed
from marketing.models import Business
from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond

LATENCY_S = 1.0
ROUNDS = 5  # campaigns timed; the broker's polling makes one alone flap, the median holds
CHANNELS = list(Channel.values)
GATE_ROUNDS = 7


def _campaign(business: Business, per_week: int) -> Campaign:
    start = timezone.localdate() + dt.timedelta(days=1)
    return campaign_create(
        business=business,
        actor=None,
        goal="new_menu",
        starts_on=start,
        ends_on=start + dt.timedelta(days=6),
        channels=CHANNELS,
        posts_per_week=dict.fromkeys(CHANNELS, per_week),
    )


def _wait(campaign: Campaign) -> float:
    """Seconds from creation until every piece is written."""
    started = time.perf_counter()
    while True:
        campaign.refresh_from_db()
        if campaign.status != Campaign.Status.GENERATING:
            if campaign.status != Campaign.Status.READY:
                raise RuntimeError(f"campaign {campaign.pk}: {campaign.status_reason}")
            return time.perf_counter() - started
        time.sleep(0.01)


def _slowest_single_call(business: Business) -> float:
    """One call per channel, one at a time, in this process: the slowest one's wall time."""
    provider, slowest = GeminiProvider(), 0.0
    for channel in CHANNELS:
        piece = ContentPiece.objects.create(
            business=business,
            channel=channel,
            planned_for=timezone.now(),
            seed=time.time_ns() % 2**31,
        )
        started = time.perf_counter()
        provider.write(generation_request(piece))
        slowest = max(slowest, time.perf_counter() - started)
    return slowest


def run() -> list[Figure]:
    demo = demo_seed(owner_email="bench@gagecast.local", operator_email="bench-op@gagecast.local")
    with FakeGemini(responder=respond) as fake:
        from django.conf import settings

        settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL = "bench-key", fake.url
        env = {
            "GEMINI_API_KEY": "bench-key",
            "GEMINI_BASE_URL": fake.url,
            "GAGECAST_BENCH_BROKER_POLL_MS": "20",  # measure the writing, not the polling
        }
        with celery_worker(queues="generation,default", pool="threads", concurrency=4, env=env):
            _wait(_campaign(demo.business, per_week=1))  # warm the worker up
            zero_latency = _campaign(demo.business, per_week=2)
            pieces = zero_latency.pieces.count()
            overhead_ms = _wait(zero_latency) * 1000 / pieces
            _slowest_single_call(demo.business)  # warm this process's SDK client up too
            fake.delay_s = LATENCY_S
            slowest = _slowest_single_call(demo.business)
            wall = statistics.median(
                _wait(_campaign(demo.business, per_week=1)) for _ in range(ROUNDS)
            )
    gate_ms = _gate_ms_per_piece(demo.business)
    return [
        Figure("generation.campaign_wall_over_slowest_call", wall / slowest, "ratio", "<=1.5"),
        Figure("generation.campaign_wall_s", wall, "s"),
        Figure("generation.slowest_single_call_s", slowest, "s"),
        Figure("generation.overhead_ms_per_piece", overhead_ms, "ms"),
        Figure("generation.quality_gate_ms_per_piece", gate_ms, "ms", "<5"),
    ]


def _gate_ms_per_piece(business: Business) -> float:
    """The quality gate over every piece the benchmark wrote, each against its own shop
    and campaign: milliseconds per piece, the median of several rounds."""
    pieces = ContentPiece.objects.filter(business=business).exclude(fields={})
    cases = []
    for piece in pieces.select_related("business", "campaign"):
        request = generation_request(piece)
        cases.append((stored_draft(piece), quality_context(request)))
    quality.review(*cases[0])  # load what the gate loads once (the morphology model)
    rounds = []
    for _ in range(GATE_ROUNDS):
        started = time.perf_counter()
        for draft, context in cases:
            quality.review(draft, context)
        rounds.append((time.perf_counter() - started) * 1000 / len(cases))
    return statistics.median(rounds)
