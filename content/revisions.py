"""A piece's history: every version of its copy kept as a PieceRevision, and the one gate
every change of the copy passes (a rewrite, a hand edit, a swap, a restore).

The gate locks the piece's row, refuses a published piece, and announces the change
with ``content.signals.piece_changing`` inside the same transaction, so the apps above
take back what the old copy set going (publishing unschedules it) or refuse the change
when it is too late (the post is going out right now), and nothing is half done.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from content import transitions
from content.models import ContentPiece, PieceRevision, ReviewState
from content.signals import piece_changing
from marketing.models import User

Source = PieceRevision.Source
PUBLISHED_REASON = "이미 게시된 글이라 바꿀 수 없어요. 게시된 글은 기록으로 남겨 둡니다."
BUSY_REASON = "글을 쓰는 중이라 지금은 바꿀 수 없어요. 다 쓴 뒤에 다시 해 주세요."
STALE_REASON = "그 사이 이 글이 바뀌었어요. 새 내용을 확인한 뒤 다시 해 주세요."


class PieceLocked(Exception):
    """The owner's plain reason a piece's copy cannot change now."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def record(
    piece: ContentPiece,
    source: str,
    *,
    author: User | None = None,
    instruction: str = "",
    restored_from: int | None = None,
) -> PieceRevision:
    """The piece's current copy as its next revision (call inside the change's transaction);
    a new revision starts its review over (content.approvals)."""
    back_to_draft(piece)
    return PieceRevision.objects.create(
        piece=piece,
        number=latest_number(piece) + 1,
        source=source,
        title=piece.title,
        body=piece.body,
        fields=piece.fields,
        template=piece.template,
        hashtag_count=piece.hashtag_count,
        photo_id=piece.photo_id,
        instruction=instruction[:300],
        restored_from=restored_from,
        author=author,
    )


def record_written(piece: ContentPiece, *, instruction: str) -> PieceRevision:
    """A writing just stored: the first version, or a rewrite of an earlier one."""
    source = Source.REWRITE if piece.revisions.exists() else Source.GENERATED
    return record(piece, source, instruction=instruction)


def back_to_draft(piece: ContentPiece) -> None:
    ContentPiece.objects.filter(pk=piece.pk).exclude(review_state=ReviewState.DRAFT).update(
        review_state=ReviewState.DRAFT
    )
    piece.review_state = ReviewState.DRAFT


def latest_number(piece: ContentPiece) -> int:
    return piece.revisions.aggregate(last=Max("number"))["last"] or 0


def begin_change(
    piece_id: int,
    *,
    editable: tuple[str, ...],
    actor: User | None = None,
    base: int | None = None,
) -> ContentPiece:
    """Lock the piece for a change of its copy, inside the caller's transaction.

    Raises PieceLocked when it is published, when its status is not in ``editable``,
    when ``base`` (the version the change was made from) is no longer the newest, or when
    an app above refuses (a post going out right now, or ``actor`` may not take a
    scheduled post off the schedule). Otherwise the apps above have taken back what the
    old copy set going, and the caller may change it.
    """
    # Only the piece's row: a change must not hold up the business's other pieces.
    locked = ContentPiece.objects.select_for_update(of=("self",)).select_related("business")
    piece = locked.get(pk=piece_id)
    if piece.status == ContentPiece.Status.PUBLISHED:
        raise PieceLocked(PUBLISHED_REASON)
    if piece.status not in editable:
        raise PieceLocked(BUSY_REASON)
    if piece.fields and not piece.revisions.exists():  # written before revisions were kept
        record(piece, Source.GENERATED, instruction=piece.instruction)
    if base is not None and base != latest_number(piece):
        raise PieceLocked(STALE_REASON)
    piece_changing.send(sender=ContentPiece, piece_id=piece.pk, actor=actor)
    back_to_draft(piece)  # whatever was approved is not what will be there
    return piece


@transaction.atomic
def change_copy(
    piece_id: int,
    copy: dict[str, object],
    *,
    source: str,
    author: User | None = None,
    instruction: str = "",
    restored_from: int | None = None,
    base: int | None = None,
) -> tuple[ContentPiece, PieceRevision]:
    """Replace the piece's copy with ``copy`` (model field -> value) as a new revision;
    the piece goes back to review. ``base`` is the version the change was made from
    (refused when another change came first). Raises PieceLocked."""
    piece = begin_change(piece_id, editable=transitions.EDITABLE, actor=author, base=base)
    if not transitions.revise(piece, copy):
        raise PieceLocked(BUSY_REASON)
    revision = record(
        piece, source, author=author, instruction=instruction, restored_from=restored_from
    )
    return piece, revision
