"""What goes out for a piece on its platform: text, title, tags and media, in order.

Pure reading of the piece and its rendered assets; the publishers get this as a
``PublishJob`` and the Naver Blog assisted page shows the same thing to copy.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from content.models import Asset, ContentPiece

INSTAGRAM_FORMATS = {"image": "image", "carousel": "carousel", "video": "reel"}


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


def _by_role(piece: ContentPiece) -> dict[str, Asset]:
    return {a.role: a for a in piece.assets.all()}


def _ordered(assets: dict[str, Asset], prefix: str) -> list[Asset]:
    numbered = re.compile(rf"{prefix}(-\d+)?")  # "carousel", "carousel-2"; not "blog-header"
    found = [a for role, a in assets.items() if numbered.fullmatch(role)]
    return sorted(found, key=lambda a: (a.position, a.role))


def post_for(piece: ContentPiece) -> PostContent:
    """The post for ``piece``. Media missing from the render are simply absent: the media
    check before publishing says what is missing in plain words."""
    fields, assets = piece.fields or {}, _by_role(piece)
    if piece.channel == "instagram":
        return _instagram(piece, fields, assets)
    if piece.channel == "threads":
        image = assets.get("threads")
        return PostContent(
            format="image" if image else "text",
            text=piece.body,
            alt_text=fields.get("image_headline", ""),
            assets=[("image", image)] if image else [],
        )
    if piece.channel == "youtube_shorts":
        media = [("video", assets["short"])] if "short" in assets else []
        media += [("thumbnail", assets["thumbnail"])] if "thumbnail" in assets else []
        return PostContent(
            format="short",
            text=piece.body,
            title=fields.get("title") or piece.title,
            tags=list(fields.get("tags") or []),
            assets=media,
        )
    return _naver_blog(piece, fields, assets)


def _instagram(piece: ContentPiece, fields: dict, assets: dict[str, Asset]) -> PostContent:
    publish_format = INSTAGRAM_FORMATS.get(piece.format, "image")
    if publish_format == "carousel":
        media = [("image", a) for a in _ordered(assets, "carousel")]
    elif publish_format == "reel":
        media = [("video", assets["reel"])] if "reel" in assets else []
        media += [("cover", assets["cover"])] if "cover" in assets else []
    else:
        media = [("image", assets["feed"])] if "feed" in assets else []
    return PostContent(
        format=publish_format,
        text=piece.body,
        alt_text=fields.get("alt_text", ""),
        assets=media,
    )


def _naver_blog(piece: ContentPiece, fields: dict, assets: dict[str, Asset]) -> PostContent:
    blocks: list[BlogBlock] = []
    if "blog-header" in assets:
        blocks.append(BlogBlock("image", fields.get("title", ""), assets["blog-header"]))
    if fields.get("intro"):
        blocks.append(BlogBlock("text", fields["intro"]))
    body_images = _ordered(assets, "blog")
    slots = list(fields.get("image_slots") or [])
    for n, section in enumerate(fields.get("sections") or []):
        blocks.append(BlogBlock("heading", section.get("heading", "")))
        blocks.append(BlogBlock("text", section.get("body", "")))
        if n < len(body_images):  # one picture after each section, in order
            caption = slots[n].get("caption", "") if n < len(slots) else ""
            blocks.append(BlogBlock("image", caption, body_images[n]))
    if fields.get("closing"):
        blocks.append(BlogBlock("text", fields["closing"]))
    tags = [*(fields.get("tags") or []), *(fields.get("place_keywords") or [])]
    images = [("image", b.asset) for b in blocks if b.kind == "image" and b.asset is not None]
    return PostContent(
        format="blog",
        text=piece.body,
        title=fields.get("title") or piece.title,
        tags=list(dict.fromkeys(t.lstrip("#") for t in tags if t.strip())),
        assets=images,
        blocks=blocks,
    )


def blog_html(post: PostContent, url_of) -> str:  # type: ignore[no-untyped-def]
    """The post as HTML for Naver's XML-RPC ``description``; ``url_of(asset)`` gives image URLs."""
    parts = []
    for block in post.blocks:
        text = html.escape(block.text)
        if block.kind == "heading":
            parts.append(f"<h3>{text}</h3>")
        elif block.kind == "image" and block.asset is not None:
            caption = f"<br><small>{text}</small>" if text else ""
            parts.append(
                f'<p><img src="{html.escape(url_of(block.asset))}" alt="{text}">{caption}</p>'
            )
        elif block.text:
            parts.append(
                "".join(
                    f"<p>{html.escape(line)}</p>"
                    for line in block.text.splitlines()
                    if line.strip()
                )
            )
    return "\n".join(parts)
