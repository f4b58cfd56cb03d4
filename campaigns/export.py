"""A campaign written out as files: campaign.json and one JSON file per piece."""

from __future__ import annotations

import json
from pathlib import Path

from campaigns.models import Campaign
from content.models import ContentPiece
from content.services import ATTRIBUTE_FIELDS


def piece_document(piece: ContentPiece) -> dict:
    return {
        "id": piece.pk,
        "channel": piece.channel,
        "status": piece.status,
        "planned_for": piece.planned_for.isoformat() if piece.planned_for else None,
        "title": piece.title,
        "body": piece.body,
        "fields": piece.fields,
        "attributes": {name: getattr(piece, name) for name in ATTRIBUTE_FIELDS},
        "provider": piece.provider,
        "offline_draft": piece.is_offline_draft,
        "model": piece.model_name,
        "prompt_version": piece.prompt_version,
        "error": piece.error,
    }


def campaign_export(campaign: Campaign, out_dir: Path) -> list[Path]:
    """Write the files; returns the piece files in calendar order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pieces = campaign.pieces.order_by("planned_for", "pk")
    for number, piece in enumerate(pieces, start=1):
        path = out_dir / f"{number:02d}-{piece.channel}.json"
        path.write_text(json.dumps(piece_document(piece), ensure_ascii=False, indent=2))
        written.append(path)
    business = campaign.business
    summary = {
        "id": campaign.pk,
        "name": campaign.name,
        "business": {"id": business.pk, "name": business.name, "area": business.area},
        "goal": campaign.goal,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "channels": campaign.channels,
        "offer": campaign.offer,
        "status": campaign.status,
        "status_reason": campaign.status_reason,
        "pieces": [path.name for path in written],
    }
    (out_dir / "campaign.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return written
