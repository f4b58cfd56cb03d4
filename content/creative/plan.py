"""What each piece needs rendered: which images at which sizes, and whether a video.

Pure data from the piece's fields and creative attributes; the renderers and the
service turn the plan into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content.specs import without_emoji

IMAGE_TEMPLATES = (
    "photo_band",
    "gradient_headline",
    "brand_card",
    "menu_card",
    "offer_badge",
    "review_quote",
)
MAX_BLOG_IMAGES = 6
SENTENCE_ENDS = ".?!…~。"


@dataclass(frozen=True)
class ImageJob:
    role: str  # "feed", "carousel-2", "blog-header", "blog-3", "threads", "thumbnail"
    template: str  # one of IMAGE_TEMPLATES, or "carousel"
    size: str  # a key of content.creative.images.SIZES
    headline: str = ""
    subline: str = ""
    pages: tuple[tuple[str, str], ...] = ()  # carousel inner pages (title, body)


@dataclass(frozen=True)
class VideoJob:
    role: str  # "reel" or "short"
    scenes: tuple[tuple[str, float], ...]  # (on-screen caption, seconds)
    cover_text: str = ""
    narration: str = ""  # every scene's spoken sentence, in order, to be read as one


@dataclass(frozen=True)
class RenderPlan:
    images: tuple[ImageJob, ...] = ()
    video: VideoJob | None = None
    carousel: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.images and self.video is None


def _template(piece_template: str, fallback: str = "photo_band") -> str:
    return piece_template if piece_template in IMAGE_TEMPLATES else fallback


def _scenes(fields: dict) -> tuple[tuple[str, float], ...]:
    script = fields.get("video_script") or {}
    return tuple((s["caption"], float(s["duration_s"])) for s in script.get("scenes", []))


def _narration(fields: dict) -> str:
    """The scenes' narration as one text, each sentence closed so the voice pauses."""
    script = fields.get("video_script") or {}
    sentences = [without_emoji(s.get("narration") or "") for s in script.get("scenes", [])]
    return " ".join(s if s[-1] in SENTENCE_ENDS else f"{s}." for s in sentences if s)


def _video(role: str, fields: dict, cover_text: str) -> VideoJob:
    return VideoJob(role, _scenes(fields), cover_text, _narration(fields))


def render_plan(channel: str, fields: dict, template: str, format_: str) -> RenderPlan:
    """What to render for a piece of ``channel`` with these fields and attributes."""
    if channel == "instagram":
        return _instagram(fields, template, format_)
    if channel == "threads":
        if format_ != "image":
            return RenderPlan()  # a text post needs nothing drawn
        job = ImageJob("threads", _template(template, "gradient_headline"), "threads",
                       fields.get("image_headline", ""))  # fmt: skip
        return RenderPlan(images=(job,))
    if channel == "naver_blog":
        return _naver_blog(fields, template)
    if channel == "youtube_shorts":
        thumbnail = ImageJob("thumbnail", "gradient_headline", "youtube_thumbnail",
                             fields.get("thumbnail_text") or fields.get("title", ""))  # fmt: skip
        video = _video("short", fields, fields.get("thumbnail_text", ""))
        return RenderPlan(images=(thumbnail,), video=video)
    return RenderPlan()


def _instagram(fields: dict, template: str, format_: str) -> RenderPlan:
    headline, subline = fields.get("headline", ""), fields.get("subline", "")
    if format_ == "carousel":
        pages = tuple((p["title"], p["body"]) for p in fields.get("carousel_pages") or [])
        return RenderPlan(
            images=(ImageJob("carousel", "carousel", "carousel", headline, subline, pages),),
            carousel=True,
        )
    feed = ImageJob("feed", _template(template), "instagram_portrait", headline, subline)
    if format_ == "video":
        return RenderPlan(images=(feed,), video=_video("reel", fields, headline))
    return RenderPlan(images=(feed,))


def _naver_blog(fields: dict, template: str) -> RenderPlan:
    header = ImageJob("blog-header", _template(template), "naver_header", fields.get("title", ""))
    slots = (fields.get("image_slots") or [])[:MAX_BLOG_IMAGES]
    body = tuple(
        ImageJob(f"blog-{n}", "photo_band", "naver_body", slot.get("caption", ""))
        for n, slot in enumerate(slots, start=1)
    )
    return RenderPlan(images=(header, *body))
