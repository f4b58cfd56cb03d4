"""Every change of a ContentPiece's status and of its render status, one function per move.

Each move is a conditional UPDATE from the states it is allowed from, so two workers
(or a worker and the owner) racing on one piece cannot both win; each returns whether
the piece moved and, when it did, updates the instance it was given. Services, tasks,
views, the admin and the API call these and never write ``status`` or
``render_status`` themselves. A piece that settles (ready or failed) is announced
through ``content.signals.piece_settled`` once the change commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from content.models import ContentPiece, RenderStatus
from content.signals import piece_settled

Status = ContentPiece.Status

WRITABLE = (Status.QUEUED, Status.GENERATING)
# The last-resort handler of the writing task may run after the copy committed (when
# handing it to the render queue fails), and the owner must still be told.
FAILABLE = (Status.QUEUED, Status.GENERATING, Status.READY)
# An owner may ask for a rewrite at any time before it is published; one asked
# mid-writing queues another pass.
REWRITABLE = tuple(s for s in Status if s != Status.PUBLISHED)
# A hand edit, a swap or a restore needs copy to change: a written piece, or a failed
# rewrite that kept its earlier text. Afterwards the piece is back in review.
EDITABLE = (Status.READY, Status.APPROVED, Status.FAILED)
APPROVABLE = (Status.READY, Status.APPROVED)
# Images and video are made only for written copy.
RENDERABLE = (Status.READY, Status.APPROVED)
RENDER_FAILABLE = (RenderStatus.QUEUED, RenderStatus.RENDERING)


def _move(piece_id: int, *, where: dict[str, Iterable[str]], **values: Any) -> bool:
    return ContentPiece.objects.filter(pk=piece_id, **where).update(**values) == 1


def _moved(piece: ContentPiece, moved: bool, **values: Any) -> bool:
    if moved:
        for name, value in values.items():
            setattr(piece, name, value)
    return moved


def _announce_settled(piece: ContentPiece) -> None:
    # After the commit: the roll-up must read this piece (and its siblings) as committed.
    piece_id, campaign_id = piece.pk, piece.campaign_id
    transaction.on_commit(
        lambda: piece_settled.send(sender=ContentPiece, piece_id=piece_id, campaign_id=campaign_id)
    )


# --- Writing the copy --------------------------------------------------------------------


def begin_writing(piece: ContentPiece) -> bool:
    """Queued (or a writing interrupted by a lost worker) -> generating."""
    values = {"status": Status.GENERATING}
    return _moved(piece, _move(piece.pk, where={"status__in": WRITABLE}, **values), **values)


def finish_writing(piece: ContentPiece, copy: dict[str, Any]) -> bool:
    """Generating -> ready, storing the written copy (model field name -> value)."""
    values = {**copy, "status": Status.READY, "error": "", "updated_at": timezone.now()}
    moved = _move(piece.pk, where={"status__in": [Status.GENERATING]}, **values)
    if moved:
        _announce_settled(piece)
    return _moved(piece, moved, **values)


def fail(piece: ContentPiece, reason: str) -> bool:
    """-> failed with the reason shown to the owner; earlier text (if any) is kept."""
    values = {"status": Status.FAILED, "error": reason, "updated_at": timezone.now()}
    moved = _move(piece.pk, where={"status__in": FAILABLE}, **values)
    if moved:
        _announce_settled(piece)
    return _moved(piece, moved, **values)


def queue_retry(piece: ContentPiece) -> bool:
    """Failed -> queued again, its reason cleared."""
    values = {"status": Status.QUEUED, "error": ""}
    return _moved(piece, _move(piece.pk, where={"status__in": [Status.FAILED]}, **values), **values)


def queue_rewrite(piece: ContentPiece) -> bool:
    """Any status -> queued as the piece's next revision."""
    values = {"status": Status.QUEUED, "revision": piece.revision + 1, "error": ""}
    return _moved(piece, _move(piece.pk, where={"status__in": REWRITABLE}, **values), **values)


def approve(piece: ContentPiece, *, planned_for: dt.datetime) -> bool:
    """Ready (or already approved) -> approved, to go out at ``planned_for``."""
    values = {"status": Status.APPROVED, "planned_for": planned_for}
    return _moved(piece, _move(piece.pk, where={"status__in": APPROVABLE}, **values), **values)


def revise(piece: ContentPiece, copy: dict[str, Any]) -> bool:
    """Written, approved or failed -> ready (back in review) with the copy given."""
    values = {**copy, "status": Status.READY, "error": "", "updated_at": timezone.now()}
    return _moved(piece, _move(piece.pk, where={"status__in": EDITABLE}, **values), **values)


def mark_published(piece_id: int) -> bool:
    """-> published: a publication of the piece went out, and its copy is now a record."""
    return _move(piece_id, where={"status__in": REWRITABLE}, status=Status.PUBLISHED)


# --- Rendering images and video ------------------------------------------------------------


def queue_render(piece_id: int) -> bool:
    """-> render queued for the piece's written copy, whatever was rendered before."""
    return _move(
        piece_id,
        where={"status__in": RENDERABLE},
        render_status=RenderStatus.QUEUED,
        render_progress=0,
        render_error="",
    )


def skip_render(piece_id: int) -> bool:
    """-> nothing to render for the written copy (no images or video in its plan)."""
    return _move(
        piece_id,
        where={"status__in": RENDERABLE},
        render_status=RenderStatus.NONE,
        render_progress=100,
        render_note="",
    )


def begin_render(piece_id: int) -> bool:
    """-> rendering the written copy; a render done before is made again (reusing its
    files), and a render retried after a transient failure starts over."""
    return _move(
        piece_id,
        where={"status__in": RENDERABLE},
        render_status=RenderStatus.RENDERING,
        render_progress=0,
    )


def finish_render(piece_id: int, *, note: str) -> bool:
    """Rendering -> done, with what the owner should know about the result."""
    return _move(
        piece_id,
        where={"render_status__in": [RenderStatus.RENDERING]},
        render_status=RenderStatus.DONE,
        render_progress=100,
        render_error="",
        render_note=note,
    )


def fail_render(piece_id: int, reason: str) -> bool:
    """Queued or rendering -> render failed with the owner's reason; the copy is kept."""
    return _move(
        piece_id,
        where={"render_status__in": RENDER_FAILABLE},
        render_status=RenderStatus.FAILED,
        render_error=reason,
        render_note="",
    )
