"""Ready-made posts from a spreadsheet: each row one post (date and time, channel, text,
an image by URL or by the name of a file uploaded with it) that becomes a piece ready
for review, matched on re-import by the key the file carries (docs/import-format.md).

A post is shaped like the channel's draft and checked by the channel's rules
(``content.ready_made``), so review, preview and publishing treat it like any written
piece. An image becomes a photo of the shop's library (one copy however often it is
imported) and the piece's lead photo; the channel's images are then made from it.

All or nothing, as the shops import (``marketing.imports``): a dry run writes nothing,
and a real run writes every row or, when any row is bad, none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from content import revisions, services, transitions
from content.channels import Channel
from content.creative.plan import render_plan
from content.models import ContentPiece, PieceRevision, QualityFinding
from content.ready_made import Post, ready_made_copy
from core.http import FetchRefused, fetch_limited
from core.imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    ImportFileError,
    ImportReport,
    RowResult,
    Table,
    choice_value,
    mark_repeated,
    parse_date,
    parse_time,
    read_table,
    write_all,
)
from core.uploads import InputRejected, check_image
from marketing.imports import import_audited, may_import
from marketing.models import Business, Organization, Photo, User
from marketing.services import photo_add_once

KEY = Column("key", "키", ("key", "import_key"), required=True)
COLUMNS = (
    KEY,
    Column("shop", "사업장", ("business", "shop", "사업장 키")),
    Column("date", "날짜", ("date",), required=True),
    Column("time", "시간", ("time",), required=True),
    Column("channel", "채널", ("channel",), required=True),
    Column("title", "제목", ("title", "headline")),
    Column("text", "본문", ("text", "body", "caption"), required=True),
    Column("tags", "태그", ("tags", "hashtags", "해시태그")),
    Column("image", "이미지", ("image", "image_url", "사진")),
    Column("alt_text", "이미지 설명", ("alt_text",)),
)
# Names people give the channels, beside each channel's code and label.
CHANNEL_NAMES: list[tuple[str, object]] = [
    *Channel.choices,
    (Channel.INSTAGRAM, "인스타"),
    (Channel.NAVER_BLOG, "블로그"),
    (Channel.NAVER_BLOG, "네이버"),
    (Channel.YOUTUBE_SHORTS, "유튜브"),
    (Channel.YOUTUBE_SHORTS, "쇼츠"),
]
PROVIDER = "import"  # the piece's writer: nobody here wrote it


@dataclass(frozen=True)
class ImageFile:
    name: str
    data: bytes


@dataclass
class PostRow:
    result: RowResult
    cells: dict[str, str]
    image_column: str = ""  # the image's column as the file names it; "" when it has none
    business: Business | None = None
    channel: str = ""
    planned_for: dt.datetime | None = None
    image: ImageFile | None = None
    copy: dict[str, Any] = field(default_factory=dict)
    piece: ContentPiece | None = None


def posts_import(
    *,
    data: bytes,
    file_name: str,
    actor: User,
    dry_run: bool,
    business: Business | None = None,
    organization: Organization | None = None,
    images: dict[str, bytes] | None = None,
) -> ImportReport:
    """Check every row of a posts file for ``business`` (or, for a whole ``organization``,
    for the shop its '사업장' column names) and, unless ``dry_run`` or a row is bad, create
    the new pieces ready for review and change the ones whose key matches (a new revision,
    back in review), in one transaction; images are made after the commit. ``images``:
    the files uploaded beside it, by name. Idempotent: the same file again changes
    nothing. Raises PermissionDenied for a non-member."""
    target = business.organization if business is not None else organization
    if target is None or not may_import(actor, target):
        raise PermissionDenied(_("이 조직에 게시물을 가져올 권한이 없습니다."))
    report = ImportReport("posts", file_name, dry_run)
    try:
        table = read_table(data, COLUMNS)
        if business is None and not table.has("shop"):
            raise ImportFileError(_("조직 전체로 가져올 때는 '사업장' 열이 필요해요."))
    except ImportFileError as exc:
        report.file_error(exc.message)
        return report
    shops = _shops(target) if business is None else {}
    sources = _ImageSources({PurePath(n).name.lower(): d for n, d in (images or {}).items()})
    rows = [
        _parsed(table, number, cells, business or shops, sources) for number, cells in table.rows
    ]
    report.rows = [row.result for row in rows]
    mark_repeated(
        ((r.result, (r.business.pk, r.result.key)) for r in rows if r.business and r.result.key),
        KEY.header,
    )
    _match(rows)
    for row in rows:
        if not row.result.errors:
            _plan(table, row)
    if dry_run or not report.ok:
        return report
    return write_all(
        report,
        rows,
        lambda row: _write(row, actor),
        then=lambda: import_audited(
            report, organization_id=target.pk, actor=actor, business=business
        ),
    )


# --- Reading a row ----------------------------------------------------------------------------


def _shops(organization: Organization) -> dict[str, Business]:
    """The shops a '사업장' cell may name, by import key and by name (a name only when
    no other shop has it)."""
    found: dict[str, Business] = {}
    named: dict[str, list[Business]] = {}
    for shop in organization.businesses.filter(archived_at__isnull=True):
        if shop.import_key:
            found[shop.import_key] = shop
        named.setdefault(shop.name, []).append(shop)
    for name, same in named.items():
        if len(same) == 1:
            found.setdefault(name, same[0])
    return found


class _ImageSources:
    """Each image a file names, read and checked once however many rows name it."""

    def __init__(self, uploads: dict[str, bytes]) -> None:
        self.uploads = uploads
        self.seen: dict[str, ImageFile | str] = {}  # the cell -> the image or the reason

    def get(self, value: str) -> ImageFile | str:
        if value not in self.seen:
            self.seen[value] = self._read(value)
        return self.seen[value]

    def _read(self, value: str) -> ImageFile | str:
        if "://" in value:
            try:
                data = fetch_limited(
                    value,
                    max_bytes=settings.UPLOAD_MAX_IMAGE_BYTES,
                    allow_private=settings.IMPORT_IMAGE_ALLOW_PRIVATE,
                )
            except FetchRefused as exc:
                return exc.message
            name = PurePath(urlsplit(value).path).name or "image"
        else:
            name = PurePath(value.replace("\\", "/")).name
            if name.lower() not in self.uploads:
                return _("'%(name)s' 파일이 없어요. 이미지 파일을 함께 올리거나 http(s) 주소를 적어 주세요.") % {
                    "name": name
                }  # fmt: skip
            data = self.uploads[name.lower()]
        try:
            check_image(data)
        except InputRejected as exc:
            return exc.message
        return ImageFile(name, data)


def _parsed(
    table: Table,
    number: int,
    cells: dict[str, str],
    shop: Business | dict[str, Business],
    sources: _ImageSources,
) -> PostRow:
    """The row read: its shop (``shop``, or the one its '사업장' cell names among
    ``shop``), channel and image."""
    text = cells.get("text", "").replace("\r\n", "\n").strip()
    first_line = text.splitlines()[0] if text else ""
    result = RowResult(number, cells.get("key", ""), cells.get("title") or first_line[:40])
    row = PostRow(result, cells, image_column=table.headers.get("image", ""))
    by_name = isinstance(shop, dict)
    for column in ["key", "date", "time", "channel", "text", *(["shop"] if by_name else [])]:
        if not cells.get(column):
            result.error(table.header(column), _("비어 있어요."))
    if len(result.key) > 100:
        result.error(table.header("key"), _("100자 이내로 적어 주세요."))
    if isinstance(shop, dict):
        row.business = _shop(table, result, cells.get("shop", ""), shop)
    else:
        row.business = shop
    row.channel = _channel(table, result, cells.get("channel", ""))
    if cells.get("image"):
        image = sources.get(cells["image"])
        if isinstance(image, str):
            result.error(table.header("image"), image)
        else:
            row.image = image
    return row


def _shop(
    table: Table, result: RowResult, value: str, shops: dict[str, Business]
) -> Business | None:
    if value and value not in shops:
        result.error(
            table.header("shop"),
            _("'%(value)s' 사업장을 찾을 수 없어요. 사업장의 가져오기 키나 상호를 적어 주세요.")
            % {"value": value},
        )
    return shops.get(value)


def _channel(table: Table, result: RowResult, value: str) -> str:
    if not value:
        return ""
    channel = choice_value(value, CHANNEL_NAMES)
    if channel is None or channel == Channel.YOUTUBE_SHORTS:
        reason = (
            _("유튜브 쇼츠는 영상이 있어야 해서 가져올 수 없어요.")
            if channel
            else _("알 수 없는 채널이에요.")
        )
        result.error(
            table.header("channel"),
            reason + " " + _("인스타그램, 네이버 블로그, 스레드 중 하나로 적어 주세요."),
        )
        return ""
    return channel


def _when(table: Table, result: RowResult, cells: dict[str, str], zone: str) -> dt.datetime | None:
    """The row's date and time in the shop's time zone, as UTC."""
    try:
        day = parse_date(cells["date"])
    except ValueError:
        result.error(table.header("date"), _("날짜를 읽을 수 없어요. 2026-03-02처럼 적어 주세요."))
        return None
    try:
        at = parse_time(cells["time"])
    except ValueError:
        result.error(table.header("time"), _("시간을 읽을 수 없어요. 14:30처럼 적어 주세요."))
        return None
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def _copy(table: Table, row: PostRow) -> None:
    """The piece's copy, shaped like the channel's draft and checked by its rules."""
    assert row.business is not None
    cells, image_name = row.cells, row.image.name if row.image else None
    kept = row.piece.photo if row.piece and not row.image_column else None
    if kept is not None:  # a file without the image column keeps the piece's image
        image_name = PurePath(kept.image.name).name
    post = Post(
        channel=row.channel,
        text=cells["text"],
        title=cells.get("title", ""),
        tags=cells.get("tags", ""),
        alt_text=cells.get("alt_text", ""),
        image_name=image_name,
    )
    row.copy, problems = ready_made_copy(row.business, post)
    for part, message in problems:
        row.result.error(table.header(part) if part else "", message)


# --- What the row does -------------------------------------------------------------------------


def _match(rows: list[PostRow]) -> None:
    wanted = {(r.business.pk, r.result.key) for r in rows if r.business and r.result.key}
    pieces = ContentPiece.objects.filter(
        business_id__in={b for b, _k in wanted}, import_key__in={k for _b, k in wanted}
    ).select_related("photo")
    found = {(p.business_id, p.import_key): p for p in pieces}
    for row in rows:
        if row.business is not None:
            row.piece = found.get((row.business.pk, row.result.key))


def _plan(table: Table, row: PostRow) -> None:
    """Shape and check the row's copy, then set its action and changes."""
    assert row.business is not None
    row.planned_for = _when(table, row.result, row.cells, row.business.time_zone)
    _copy(table, row)
    result, piece = row.result, row.piece
    if result.errors or row.planned_for is None:
        return
    moved = piece is None or piece.planned_for != row.planned_for
    if moved and row.planned_for < timezone.now():
        result.error(
            table.header("date"), _("지난 시각이에요. 앞으로의 날짜와 시간을 적어 주세요.")
        )
        return
    if piece is None:
        result.action = CREATE
        return
    if piece.channel != row.channel:
        result.error(
            table.header("channel"),
            _("이 키는 이미 %(channel)s 글의 키예요. 채널을 바꾸려면 새 키를 써 주세요.")
            % {"channel": piece.get_channel_display()},
        )
        return
    copy = row.copy
    if any(copy[name] != getattr(piece, name) for name in ("fields", "title", "body")):
        result.changes.append(table.header("text"))
    if moved:
        result.changes.append(f"{table.header('date')}·{table.header('time')}")
    if row.image_column and _photo_digest(piece.photo) != (_digest(row.image) if row.image else ""):
        result.changes.append(row.image_column)  # a file without the column keeps the image
    result.action = UPDATE if result.changes else UNCHANGED
    if result.changes and piece.status == ContentPiece.Status.PUBLISHED:
        result.error("", revisions.PUBLISHED_REASON)
    elif result.changes and piece.status not in transitions.EDITABLE:
        result.error("", revisions.BUSY_REASON)


def _digest(image: ImageFile) -> str:
    return hashlib.sha256(image.data).hexdigest()


def _photo_digest(photo: Photo | None) -> str:
    return photo.source_sha256 if photo is not None else ""


# --- Writing ----------------------------------------------------------------------------------


def _write(row: PostRow, actor: User) -> RowResult:
    result, business = row.result, row.business
    if result.action not in (CREATE, UPDATE):
        return result
    assert business is not None and row.planned_for is not None
    try:
        photo = (
            photo_add_once(
                business=business,
                data=row.image.data,
                name=row.image.name,
                caption=row.copy["title"][:200],
            )
            if row.image
            else None
        )
    except InputRejected as exc:
        result.error(row.image_column, exc.message)
        return result
    change = {**row.copy, "planned_for": row.planned_for}
    if row.image_column:
        change["photo"] = photo
    if result.action == CREATE:
        piece = ContentPiece.objects.create(
            business=business,
            channel=row.channel,
            status=ContentPiece.Status.READY,
            import_key=result.key,
            provider=PROVIDER,
            **change,
        )
        revision = revisions.record(piece, PieceRevision.Source.IMPORT, author=actor)
    else:
        assert row.piece is not None
        try:
            piece, revision = revisions.change_copy(
                row.piece.pk, change, source=PieceRevision.Source.IMPORT, author=actor
            )
        except revisions.PieceLocked as exc:
            result.error("", exc.message)
            return result  # a post going out right now
    services.findings_record(  # what the check finds in the agency's own words: warnings
        piece,
        services.hand_written_findings(piece, piece.fields),
        revision=revision.number,
        provider="",
        source=QualityFinding.Source.IMPORT,
    )
    plan = render_plan(piece.channel, piece.fields, piece.template, piece.format)
    if not plan.empty:
        services.piece_render_enqueue(piece=piece)
    return result
