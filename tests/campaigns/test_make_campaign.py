"""make_campaign: profile in, files out, through the same tasks and a real worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.specs import SPECS
from marketing.models import Business
from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "sample-profile.json"


def _files(out: Path) -> tuple[dict, list[dict]]:
    campaign = json.loads((out / "campaign.json").read_text())
    pieces = [json.loads((out / name).read_text()) for name in campaign["pieces"]]
    return campaign, pieces


def _valid(piece: dict) -> bool:
    spec = SPECS[piece["channel"]]
    draft = spec.draft_model.model_validate({**piece["fields"], "attributes": piece["attributes"]})
    return spec.check(draft) == []


def test_without_a_key_the_sample_profile_gets_valid_offline_pieces_for_every_channel(
    tmp_path, monkeypatch, settings
):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    settings.GEMINI_API_KEY = ""

    call_command("make_campaign", profile=str(SAMPLE), out=str(tmp_path))

    campaign, pieces = _files(tmp_path)
    assert campaign["status"] == "ready"
    assert {p["channel"] for p in pieces} == set(SPECS)
    assert len(pieces) == 8  # a week: Instagram 3, Naver Blog 1, YouTube Shorts 1, Threads 3
    assert all(p["status"] == "ready" and p["offline_draft"] for p in pieces)
    assert all(_valid(p) for p in pieces)
    assert Business.objects.get(name="카페 온기").products.count() == 5


def test_with_gemini_the_same_command_goes_through_the_sdk(tmp_path, monkeypatch, settings):
    with FakeGemini(responder=respond) as fake:
        monkeypatch.setenv("GEMINI_API_KEY", "test-key")
        monkeypatch.setenv("GEMINI_BASE_URL", fake.url)
        settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL = "test-key", fake.url

        call_command(
            "make_campaign",
            profile=str(SAMPLE),
            out=str(tmp_path),
            channels="instagram,threads",
            goal="event_sale",
        )

    campaign, pieces = _files(tmp_path)
    assert campaign["goal"] == "event_sale"
    assert {p["provider"] for p in pieces} == {"gemini"}
    writing = [r for r in fake.requests_for() if "AUDIO" not in r.response_modalities]
    # One call per piece, and one more for each the quality gate sent back (a sentence
    # another piece of the campaign already said, written at the same moment).
    assert len(pieces) == 6
    assert 6 <= len(writing) <= 12
    assert all(_valid(p) for p in pieces)


def test_a_broken_profile_is_refused_naming_the_fields(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"industry": "cafe", "brand_colors": ["blue"]}))

    with pytest.raises(CommandError) as raised:
        call_command("make_campaign", profile=str(profile), out=str(tmp_path / "out"))

    message = str(raised.value)
    assert "name" in message and "area" in message and "brand_colors" in message
    assert not (tmp_path / "out").exists()


def test_an_unknown_industry_and_missing_optional_fields_are_handled(tmp_path, settings):
    settings.GEMINI_API_KEY = ""
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {"name": "우주 수선집", "industry": "spaceship repair", "area": "부산 해운대구 우동"}
        )
    )

    call_command(
        "make_campaign", profile=str(profile), out=str(tmp_path / "out"), channels="threads"
    )

    campaign, pieces = _files(tmp_path / "out")
    assert Business.objects.get(name="우주 수선집").industry == "other"
    assert campaign["status"] == "ready"
    assert all(_valid(p) for p in pieces)
