"""What a piece will look like on its platform, built from exactly what will be sent
(``publishing.posts.post_for``): the frame's template, the media in order, and the text
folded where the platform folds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format

from content.models import Asset, ContentPiece
from publishing.models import Publication
from publishing.posts import post_for
from publishing.publishers.post import BlogBlock

# Instagram shows about two lines of a caption in the feed, then "… 더 보기".
INSTAGRAM_FOLD_CHARS = 125
# Threads and Shorts show the first lines; the rest opens on a tap.
SHORTS_FOLD_CHARS = 60


@dataclass(frozen=True)
class Preview:
    template: str  # owner/previews/<channel>.html
    handle: str  # the shop as the platform shows it
    format: str
    text: str = ""
    fold: tuple[str, str] = ("", "")  # shown, behind "더 보기"
    title: str = ""
    tags: list[str] = field(default_factory=list)
    images: list[Asset] = field(default_factory=list)
    video: Asset | None = None
    poster: Asset | None = None
    blocks: list[BlogBlock] = field(default_factory=list)
    alt_text: str = ""


def _fold(text: str, limit: int) -> tuple[str, str]:
    first_lines = "\n".join(text.splitlines()[:2])
    cut = min(len(first_lines), limit)
    if cut >= len(text):
        return text, ""
    return text[:cut].rstrip(), text[cut:]


def handle_for(piece: ContentPiece) -> str:
    return piece.business.name.replace(" ", "").lower()


def preview_for(piece: ContentPiece) -> Preview:
    post = post_for(piece)
    media = {kind: [a for k, a in post.assets if k == kind] for kind in ("image", "video")}
    posters = [a for k, a in post.assets if k in ("cover", "thumbnail")]
    limit = INSTAGRAM_FOLD_CHARS if piece.channel == "instagram" else SHORTS_FOLD_CHARS
    return Preview(
        template=f"owner/previews/{piece.channel}.html",
        handle=handle_for(piece),
        format=post.format,
        text=post.text,
        fold=_fold(post.text, limit),
        title=post.title,
        tags=post.tags,
        images=media["image"],
        video=media["video"][0] if media["video"] else None,
        poster=posters[0] if posters else None,
        blocks=post.blocks,
        alt_text=post.alt_text,
    )


def local_label(publication: Publication) -> str:
    """ "12월 5일 (토) 19:00" in the shop's zone."""
    zone = ZoneInfo(publication.piece.business.time_zone)
    return date_format(timezone.localtime(publication.scheduled_at, zone), "n월 j일 (D) H:i")
