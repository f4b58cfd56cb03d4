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
from content.models import ContentPiece, PieceRevision
from content.signals import piece_changing
from marketing.models import User

Source = PieceRevision.Source
PUBLISHED_REASON = "이미 게시된 글이라 바꿀 수 없어요. 게시된 글은 기록으로 남겨 둡니다."
BUSY_REASON = "글을 쓰는 중이라 지금은 바꿀 수 없어요. 다 쓴 뒤에 다시 해 주세요."


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
    """The piece's current copy as its next revision (call inside the change's transaction)."""
    last = piece.revisions.aggregate(last=Max("number"))["last"] or 0
    return PieceRevision.objects.create(
        piece=piece,
        number=last + 1,
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


def begin_change(piece_id: int, *, editable: tuple[str, ...]) -> ContentPiece:
    """Lock the piece for a change of its copy, inside the caller's transaction.

    Raises PieceLocked when it is published, when its status is not in ``editable``, or
    when an app above refuses (a post going out right now). Otherwise the apps above have
    taken back what the old copy set going, and the caller may change it.
    """
    piece = ContentPiece.objects.select_for_update().select_related("business").get(pk=piece_id)
    if piece.status == ContentPiece.Status.PUBLISHED:
        raise PieceLocked(PUBLISHED_REASON)
    if piece.status not in editable:
        raise PieceLocked(BUSY_REASON)
    if piece.fields and not piece.revisions.exists():  # written before revisions were kept
        record(piece, Source.GENERATED, instruction=piece.instruction)
    piece_changing.send(sender=ContentPiece, piece_id=piece.pk)
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
) -> tuple[ContentPiece, PieceRevision]:
    """Replace the piece's copy with ``copy`` (model field -> value) as a new revision;
    the piece goes back to review. Raises PieceLocked."""
    piece = begin_change(piece_id, editable=transitions.EDITABLE)
    if not transitions.revise(piece, copy):
        raise PieceLocked(BUSY_REASON)
    revision = record(
        piece, source, author=author, instruction=instruction, restored_from=restored_from
    )
    return piece, revision
