"""make_campaign on varied profiles, through a real worker: what it stores passes the
quality gate once more with every other piece of the campaign in view."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from content import quality
from content.korean import UNRESOLVED_MARKER
from content.models import ContentPiece
from content.services import generation_request, quality_context, stored_draft
from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PROFILES = {
    # An English name ending in a consonant, premium (합쇼체), prices of every size.
    "english-premium": {
        "name": "Studio Bloom",
        "industry": "nail_salon",
        "area": "부산 해운대구 우동",
        "tone": "premium",
        "hours": "매일 11:00–20:00",
        "phone": "051-123-4567",
        "offer": "첫 방문 20% 할인",
        "products": [
            {"name": "젤 네일", "price": 45000, "is_signature": True},
            {"name": "케어", "price": 15000},
            {"name": "아트 추가", "price": 5000},
        ],
    },
    # A Hangul name ending in a vowel, playful, a bundle offer and round prices.
    "vowel-playful": {
        "name": "카페 보리",
        "industry": "cafe",
        "area": "대전 유성구 봉명동",
        "tone": "playful",
        "offer": "음료 1+1",
        "products": [
            {"name": "보리 라떼", "price": 5500, "is_signature": True},
            {"name": "아메리카노", "price": 4000},
            {"name": "버터 쿠키", "price": 2500},
        ],
    },
}


def _stored_pieces_pass_the_gate(campaign: Campaign) -> None:
    pieces = list(campaign.pieces.select_related("business", "campaign"))
    assert pieces and all(p.status == ContentPiece.Status.READY for p in pieces)
    for piece in pieces:
        request = generation_request(piece)  # every other piece's sentences in view
        found = quality.review(stored_draft(piece), quality_context(request)).findings
        assert [f for f in found if f.severity != quality.WARNING] == [], piece.channel
        assert not UNRESOLVED_MARKER.search(json.dumps(piece.fields, ensure_ascii=False))


@pytest.mark.parametrize("name", PROFILES)
def test_offline_campaigns_of_varied_shops_pass_the_gate(name, tmp_path, monkeypatch, settings):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    settings.GEMINI_API_KEY = ""
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILES[name], ensure_ascii=False))

    call_command(
        "make_campaign", profile=str(profile), out=str(tmp_path / "out"), weeks=2, goal="event_sale"
    )

    _stored_pieces_pass_the_gate(Campaign.objects.get(business__name=PROFILES[name]["name"]))


def test_a_gemini_campaign_passes_the_gate(tmp_path, monkeypatch, settings):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILES["english-premium"], ensure_ascii=False))
    with FakeGemini(responder=respond) as fake:
        for key, value in {"GEMINI_API_KEY": "test-key", "GEMINI_BASE_URL": fake.url}.items():
            monkeypatch.setenv(key, value)
            setattr(settings, key, value)
        call_command("make_campaign", profile=str(profile), out=str(tmp_path / "out"))

    campaign = Campaign.objects.get(business__name="Studio Bloom")
    assert {p.provider for p in campaign.pieces.all()} == {"gemini"}
    _stored_pieces_pass_the_gate(campaign)
