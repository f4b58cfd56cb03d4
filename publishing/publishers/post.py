"""What goes out for a piece, before it becomes a ``PublishJob``: its text, title, tags
and media in order. Each publisher builds it from the piece (``Publisher.post``); the
Naver Blog assisted page shows the same thing to copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from content.models import Asset, ContentPiece


@dataclass(frozen=True)
class BlogBlock:
    """One part of a Naver Blog post as the SmartEditor is filled in, top to bottom."""

    kind: str  # "heading" | "text" | "image"
    text: str = ""  # heading or paragraph text; an image's caption
    asset: Asset | None = None


@dataclass(frozen=True)
class PostContent:
    format: str  # publisher format: image, carousel, reel, text, short, blog
    text: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    alt_text: str = ""
    assets: list[tuple[str, Asset]] = field(default_factory=list)  # (media kind, asset)
    blocks: list[BlogBlock] = field(default_factory=list)  # Naver Blog only


def assets_by_role(piece: ContentPiece) -> dict[str, Asset]:
    return {a.role: a for a in piece.assets.all()}


def ordered(assets: dict[str, Asset], prefix: str) -> list[Asset]:
    """The numbered assets of a role ("carousel", "carousel-2"; not "blog-header"), in order."""
    numbered = re.compile(rf"{prefix}(-\d+)?")
    found = [a for role, a in assets.items() if numbered.fullmatch(role)]
    return sorted(found, key=lambda a: (a.position, a.role))
