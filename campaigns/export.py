"""A campaign written out as files: campaign.json and one JSON file per piece."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from campaigns.models import Campaign
from content.models import ContentPiece
from content.services import ATTRIBUTE_FIELDS


def _media(piece: ContentPiece, out_dir: Path, prefix: str) -> list[dict]:
    """Copy the piece's rendered files next to its JSON; describe each one."""
    media = []
    for asset in piece.assets.order_by("position", "pk"):
        if asset.kind == "thumbnail":
            continue  # UI previews, not deliverables
        suffix = Path(asset.file.name).suffix
        name = f"{prefix}-{asset.role or asset.kind}{suffix}"
        with asset.file.open("rb") as source, (out_dir / name).open("wb") as target:
            shutil.copyfileobj(source, target)
        media.append(
            {
                "file": name,
                "kind": asset.kind,
                "role": asset.role,
                "mime_type": asset.mime_type,
                "width": asset.width,
                "height": asset.height,
                "duration_s": asset.duration_s,
                "size_bytes": asset.size_bytes,
                "sha256": asset.checksum,
            }
        )
    return media


def piece_document(piece: ContentPiece, media: list[dict] | None = None) -> dict:
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
        "render_status": piece.render_status,
        "render_error": piece.render_error,
        "render_note": piece.render_note,
        "media": media or [],
    }


def campaign_export(campaign: Campaign, out_dir: Path) -> list[Path]:
    """Write the files; returns the piece files in calendar order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pieces = campaign.pieces.order_by("planned_for", "pk")
    for number, piece in enumerate(pieces, start=1):
        prefix = f"{number:02d}-{piece.channel}"
        path = out_dir / f"{prefix}.json"
        document = piece_document(piece, _media(piece, out_dir, prefix))
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2))
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
