"""Rendered files as Assets, keyed by a fingerprint of their inputs.

Same inputs give the same bytes, so a file made once for a business is shared by
every later Asset with the same key instead of being made (or paid for) again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.files.base import ContentFile

from content.models import Asset, ContentPiece
from marketing.models import Business

RENDERER_VERSION = "1"  # bump when a template changes, so fingerprints change too
# What making a file gives: (bytes, suffix, mime type, width, height, duration).
Made = tuple[bytes, str, str, int | None, int | None, float | None]


def fingerprint(*parts: object) -> str:
    """The key of a rendered file: its inputs and the renderer's version."""
    return inputs_key(RENDERER_VERSION, *parts)


def inputs_key(*parts: object) -> str:
    payload = json.dumps(list(parts), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def asset_reused(business: Business, key: str, kind: str) -> Asset | None:
    return (
        Asset.objects.filter(business=business, source_key=key, kind=kind).order_by("-pk").first()
    )


def asset_store(
    piece: ContentPiece,
    *,
    kind: str,
    role: str,
    key: str,
    position: int = 0,
    make: Callable[[], Made],
) -> Asset:
    """An Asset for ``key``: the stored file when these inputs were made before for this
    business, else ``make()``. Whatever ``make`` raises propagates, and nothing is stored."""
    existing = asset_reused(piece.business, key, kind)
    asset = Asset(
        business=piece.business,
        piece=piece,
        kind=kind,
        role=role,
        source_key=key,
        position=position,
    )
    if existing is not None and existing.file:
        for name in ("mime_type", "size_bytes", "width", "height", "duration_s", "checksum"):
            setattr(asset, name, getattr(existing, name))
        asset.file.name = existing.file.name  # same inputs, same bytes: share the file
    else:
        data, suffix, mime, width, height, duration = make()
        asset.mime_type, asset.size_bytes, asset.checksum = (
            mime,
            len(data),
            hashlib.sha256(data).hexdigest(),
        )
        asset.width, asset.height, asset.duration_s = width, height, duration
        asset.file.save(f"{piece.business_id}/{key[:32]}{suffix}", ContentFile(data), save=False)
    asset.save()
    return asset
