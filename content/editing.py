"""The owner's hand on a piece: edit its text field by field, swap its template or its
photo, restore an earlier version. Each is a new revision (content.revisions), checked
against the channel's rules before anything is saved, and the images are made again.

The text a piece carries is its draft's fields, nested for some channels (a blog's
sections, a carousel's pages, a video's scenes). ``edit_fields`` flattens them into
what a form shows, each with a dotted path ("sections.1.body"), its Korean label, and
the counter the platform applies to it; ``edit`` takes values back by the same paths.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from content import revisions, services
from content.creative.plan import IMAGE_TEMPLATES
from content.models import ContentPiece, PieceRevision, QualityFinding
from content.specs import normalize_hashtags, normalize_tags, spec_for, title_and_body
from marketing.models import Photo, User

Source = PieceRevision.Source

LABELS = {
    "headline": "이미지 제목",
    "subline": "이미지 부제",
    "caption": "캡션",
    "hashtags": "해시태그",
    "alt_text": "이미지 설명(화면 낭독용)",
    "text": "본문",
    "image_headline": "이미지 문구",
    "title": "제목",
    "description": "설명",
    "tags": "태그",
    "thumbnail_text": "썸네일 문구",
    "intro": "도입",
    "closing": "마무리",
    "place_keywords": "지역 키워드",
    "heading": "소제목",
    "body": "내용",
    "narration": "내레이션",
    "suggestion": "넣을 사진",
}
GROUPS = {
    "carousel_pages": "카드",
    "sections": "문단",
    "image_slots": "사진 자리",
    "scenes": "장면",
}
LONG = {"caption", "text", "description", "intro", "closing", "body", "alt_text", "narration"}
SKIPPED = {"attributes", "duration_s"}
# Hashtags keep their "#"; the other tag lists are plain words.
HASHTAG_LISTS = {"hashtags"}
NO_LIMIT = 10**6

# What each platform counts, by path (a trailing "*" matches any index): the limit and
# the unit a counter shows it in. "chars" counts characters; "threads" counts emoji by
# their UTF-8 bytes (content.specs.threads_length); "bytes" counts UTF-8 bytes; "tags"
# counts tags; "tag_chars" adds up the tags' characters.
COUNTERS: dict[str, dict[str, tuple[int, str]]] = {
    "instagram": {
        "caption": (2200, "chars"),  # with the hashtags appended (counted together)
        "hashtags": (30, "tags"),
        "headline": (28, "chars"),
        "alt_text": (1000, "chars"),
        "video_script.scenes.*.caption": (24, "chars"),
    },
    "threads": {"text": (500, "threads")},
    "youtube_shorts": {
        "title": (100, "chars"),
        "description": (5000, "bytes"),
        "tags": (500, "tag_chars"),
        "video_script.scenes.*.caption": (24, "chars"),
    },
    "naver_blog": {"title": (100, "chars"), "tags": (30, "tags")},
}
TEMPLATE_LABELS = {
    "photo_band": "사진 + 문구 띠",
    "gradient_headline": "큰 제목",
    "brand_card": "가게 카드",
    "menu_card": "메뉴 카드",
    "offer_badge": "혜택 배지",
    "review_quote": "후기 인용",
}


@dataclass(frozen=True)
class EditField:
    path: str
    label: str
    value: str  # tags joined by spaces
    long: bool = False
    tags: bool = False
    limit: int | None = None
    unit: str = "chars"
    error: str = ""

    @property
    def name(self) -> str:
        """The form field's name (paths hold dots, which forms and ids handle badly)."""
        return "f-" + self.path.replace(".", "-")


@dataclass
class EditRejected(Exception):
    """The edit breaks the channel's rules; nothing was saved. ``fields`` carries the
    owner's values back, each with its error."""

    fields: list[EditField]
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " / ".join(self.errors + [f.error for f in self.fields if f.error])


def _counter(channel: str, path: str) -> tuple[int | None, str]:
    for pattern, (limit, unit) in COUNTERS.get(channel, {}).items():
        if re.fullmatch(re.escape(pattern).replace(r"\*", r"\d+"), path):
            return limit, unit
    return None, "chars"


def _walk(data: dict[str, Any], prefix: str, label: str) -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []
    for key, value in data.items():
        if key in SKIPPED:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, str) or (
            key not in GROUPS and isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            found.append((path, f"{label}{LABELS.get(key, key)}", value))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    group = f"{label}{GROUPS.get(key, key)} {index + 1} · "
                    found += _walk(item, f"{path}.{index}.", group)
        elif isinstance(value, dict):
            found += _walk(value, f"{path}.", label)
    return found


def edit_fields(piece: ContentPiece) -> list[EditField]:
    """The piece's text as a form shows it, in the draft's order."""
    result = []
    for path, label, value in _walk(piece.fields or {}, "", ""):
        key = path.rsplit(".", 1)[-1]
        limit, unit = _counter(piece.channel, path)
        is_tags = isinstance(value, list)
        result.append(
            EditField(
                path=path,
                label=label,
                value=" ".join(value) if is_tags else value,
                long=key in LONG,
                tags=is_tags,
                limit=limit,
                unit=unit,
            )
        )
    return result


def _tags(raw: str, key: str) -> list[str]:
    words = [w for w in re.split(r"[\s,]+", raw) if w.strip()]
    if key in HASHTAG_LISTS:
        return normalize_hashtags(words, NO_LIMIT)
    return normalize_tags(words, NO_LIMIT)


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value


def _problem_path(problem_field: str, paths: list[str]) -> str | None:
    return next((p for p in paths if p == problem_field or p.startswith(f"{problem_field}.")), None)


def checked_copy(piece: ContentPiece, data: dict[str, Any]) -> tuple[dict[str, Any], list]:
    """The model fields for the edited draft, and the rules it breaks."""
    spec = spec_for(piece.channel)
    attributes = {name: getattr(piece, name) for name in services.ATTRIBUTE_FIELDS}
    draft = spec.draft_model.model_validate({**data, "attributes": attributes})
    attributes["hashtag_count"] = spec.hashtag_count(draft)
    draft = spec.draft_model.model_validate({**data, "attributes": attributes})
    title, body = title_and_body(draft)
    fields = draft.model_dump()
    fields.pop("attributes")
    copy_ = {"fields": fields, "title": title[:200], "body": body}
    copy_["hashtag_count"] = attributes["hashtag_count"]
    return copy_, spec.check(draft)


def edit(
    piece: ContentPiece,
    values: dict[str, str],
    *,
    author: User | None = None,
    base: int | None = None,
) -> PieceRevision | None:
    """Save the owner's text (path -> value; a tag list as words) as a new revision.
    ``base``: the version the form showed; when another change came first, nothing is
    overwritten and the owner's text comes back with the reason.

    Returns None when nothing changed. Raises EditRejected with every field's error
    (nothing saved), or revisions.PieceLocked.
    """
    shown = edit_fields(piece)
    data = copy.deepcopy(piece.fields or {})
    submitted = []
    for item in shown:
        raw = values.get(item.path, item.value).replace("\r\n", "\n")
        key = item.path.rsplit(".", 1)[-1]
        _set(data, item.path, _tags(raw, key) if item.tags else raw.strip())
        submitted.append(replace(item, value=raw))
    if base is not None and base != revisions.latest_number(piece):
        raise EditRejected(submitted, [revisions.STALE_REASON])
    if data == piece.fields:
        return None
    paths = [item.path for item in submitted]
    try:
        copy_, problems = checked_copy(piece, data)
    except ValidationError as exc:
        problems = []
        errors = {
            ".".join(str(p) for p in e["loc"]): "형식이 올바르지 않습니다." for e in exc.errors()
        }
        raise EditRejected(
            [replace(f, error=errors.get(f.path, "")) for f in submitted],
            [] if any(p in errors for p in paths) else ["글의 형식이 올바르지 않습니다."],
        ) from exc
    if problems:
        by_path: dict[str, str] = {}
        general = []
        for problem in problems:
            path = _problem_path(problem.field, paths)
            if path is None:
                general.append(problem.message)
            else:
                by_path[path] = " ".join(filter(None, (by_path.get(path), problem.message)))
        raise EditRejected([replace(f, error=by_path.get(f.path, "")) for f in submitted], general)
    _, revision = revisions.change_copy(
        piece.pk, copy_, source=Source.EDIT, author=author, base=base
    )
    services.findings_record(
        piece,
        services.hand_written_findings(piece, copy_["fields"]),
        revision=revision.number,
        provider="",
        source=QualityFinding.Source.EDIT,
    )
    services.piece_render_enqueue(piece=piece)
    return revision


def swap(
    piece: ContentPiece,
    *,
    template: str | None = None,
    photo: Photo | None = None,
    author: User | None = None,
    base: int | None = None,
) -> PieceRevision | None:
    """Give the piece another image template or lead photo, and make its images again.
    None when neither differs from what the piece has."""
    change: dict[str, object] = {}
    if template is not None and template != piece.template:
        if template not in IMAGE_TEMPLATES:
            raise ValueError("고를 수 없는 템플릿입니다.")
        change["template"] = template
    if photo is not None and photo.pk != piece.photo_id:
        if photo.business_id != piece.business_id:
            raise ValueError("이 가게의 사진이 아닙니다.")
        change["photo"] = photo
    if not change:
        return None
    _, revision = revisions.change_copy(
        piece.pk, change, source=Source.SWAP, author=author, base=base
    )
    services.piece_render_enqueue(piece=piece)
    return revision


def restore(
    piece: ContentPiece,
    revision: PieceRevision,
    *,
    author: User | None = None,
    base: int | None = None,
) -> PieceRevision:
    """Bring back an earlier version's copy as the newest revision."""
    if revision.piece_id != piece.pk:
        raise ValueError("이 글의 버전이 아닙니다.")
    change = {
        "title": revision.title,
        "body": revision.body,
        "fields": revision.fields,
        "template": revision.template,
        "hashtag_count": revision.hashtag_count,
        "photo_id": revision.photo_id,
    }
    _, restored = revisions.change_copy(
        piece.pk,
        change,
        source=Source.RESTORE,
        author=author,
        restored_from=revision.number,
        base=base,
    )
    services.piece_render_enqueue(piece=piece)
    return restored
