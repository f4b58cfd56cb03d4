"""What the generation tests share: a piece queued in a campaign, and a Gemini simulator
responder that changes the sandbox's valid draft before answering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from content.models import ContentPiece
from sandbox.gemini import GeminiRequest
from sandbox.gemini_responder import respond
from tests.conftest import Tenant
from tests.factories import CampaignFactory, ContentPieceFactory


def queued_piece(tenant: Tenant, channel: str, *, offer: str = "", **extra: Any) -> ContentPiece:
    campaign = CampaignFactory(business=tenant.business, goal="new_menu", offer=offer)
    return ContentPieceFactory(
        business=tenant.business,
        campaign=campaign,
        channel=channel,
        status=ContentPiece.Status.QUEUED,
        planned_for=timezone.now() + dt.timedelta(days=2),
        seed=4242,
        **extra,
    )


def replying(draft_for: Callable[[dict], dict]) -> Callable[[GeminiRequest], dict]:
    """A responder that edits the sandbox's valid draft (repairs are answered as they are)."""

    def responder(request: GeminiRequest) -> dict:
        draft = respond(request)
        return draft_for(draft) if "채널 규칙을 어겼습니다" not in request.text else draft

    return responder
