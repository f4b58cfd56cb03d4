"""The approval flow: draft → in review → (client review) → approved, or changes requested.

Each organization chooses how much of it applies (``Organization.approval_mode``):

- ``off``: the owner approves by scheduling, as before; scheduling marks the revision
  approved.
- ``internal``: a member sends a piece for review; a manager approves it or asks for
  changes.
- ``client``: as internal, and then the client approves through a link
  (content.client_links) or asks for changes. A manager who sends pieces has checked them:
  they go straight to the client.

Only the approved revision can be scheduled (``is_approved``, checked by
publishing.services when scheduling). Any change of the copy adds a revision and puts
the piece back to draft (content.revisions), so an approval never carries over to text
nobody approved. Every step is a ReviewNote (who, when, at which revision, with the
comment) and an entry in the organization's audit log. Each move is a conditional
UPDATE from the states it is allowed from, so two reviewers cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from content.models import ClientLink, ContentPiece, PieceRevision, ReviewNote, ReviewState
from content.revisions import STALE_REASON, latest_number
from marketing.audit import Action as AuditAction
from marketing.audit import audit
from marketing.models import Business, Membership, Organization, User
from marketing.selectors import has_role

Mode = Organization.Approval
Note = ReviewNote.Action

# A piece can be reviewed once its copy is written (and until it is published).
REVIEWABLE = (ContentPiece.Status.READY, ContentPiece.Status.APPROVED)
SUBMITTABLE = (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED)
INTERNALLY_APPROVABLE = (ReviewState.DRAFT, ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED)
CHANGEABLE = (ReviewState.IN_REVIEW, ReviewState.CLIENT_REVIEW, ReviewState.APPROVED)
COMMENT_MAX = 1000


class ApprovalRefused(Exception):
    """The plain reason a step of the approval flow cannot be taken now; ``forbidden``
    when the person's role may not take it at all (rather than the piece's state)."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


def mode_of(business: Business) -> str:
    return str(business.organization.approval_mode)


def is_approved(piece: ContentPiece) -> bool:
    """Whether the piece's newest revision is the approved one."""
    return piece.review_state == ReviewState.APPROVED and piece.approved_revision == latest_number(
        piece
    )


def _move(piece: ContentPiece, frm: Iterable[str], to: str, *, revision: int) -> bool:
    values: dict[str, object] = {"review_state": to}
    if to == ReviewState.APPROVED:
        values["approved_revision"] = revision
    # A step taken on a revision that is no longer the newest moves nothing.
    newer = PieceRevision.objects.filter(piece=OuterRef("pk"), number__gt=revision)
    moved = (
        ContentPiece.objects.filter(pk=piece.pk, review_state__in=list(frm), status__in=REVIEWABLE)
        .exclude(Exists(newer))
        .update(**values)
        == 1
    )
    if moved:
        for name, value in values.items():
            setattr(piece, name, value)
    return moved


def _note(
    piece: ContentPiece,
    action: str,
    *,
    revision: int,
    comment: str = "",
    author: User | None = None,
    author_name: str = "",
    link: ClientLink | None = None,
) -> ReviewNote:
    note = ReviewNote.objects.create(
        business_id=piece.business_id,
        piece=piece,
        campaign_id=piece.campaign_id,
        revision=revision,
        action=action,
        comment=comment.strip()[:COMMENT_MAX],
        author=author,
        author_name=author_name.strip()[:120],
        link=link,
    )
    audit_action: str | None = {
        Note.SUBMITTED: AuditAction.SUBMITTED,
        Note.SENT_TO_CLIENT: AuditAction.SUBMITTED,
        Note.APPROVED: AuditAction.APPROVED,
        Note.CLIENT_APPROVED: AuditAction.APPROVED,
        Note.CHANGES_REQUESTED: AuditAction.CHANGES_REQUESTED,
    }.get(Note(action))
    if audit_action is not None:
        audit(
            piece.business.organization_id,
            audit_action,
            _("%(piece)s %(version)s번째 버전: %(step)s")
            % {"piece": _label(piece), "version": revision, "step": note.get_action_display()},
            actor=author,
            actor_name=author_name,
            business=piece.business,
            piece=piece.pk,
            revision=revision,
            link=link.pk if link else None,
        )
    return note


def _label(piece: ContentPiece) -> str:
    return f"{piece.business.name} · {piece.get_channel_display()} #{piece.pk}"


def _current(piece: ContentPiece, seen: int | None) -> int:
    latest = latest_number(piece)
    if latest == 0:
        raise ApprovalRefused(_("글이 아직 써지지 않았어요. 다 쓴 뒤에 검토해 주세요."))
    if seen is not None and seen != latest:
        raise ApprovalRefused(STALE_REASON)
    return latest


def _require(actor: User | None, piece: ContentPiece, role: str, message: str) -> None:
    if actor is not None and not has_role(actor, piece, role):
        raise ApprovalRefused(message, forbidden=True)


def _require_flow(piece: ContentPiece) -> str:
    mode = mode_of(piece.business)
    if mode == Mode.OFF:
        raise ApprovalRefused(_("이 조직은 승인 절차를 쓰지 않아요. 예약하면 그 버전이 승인돼요."))
    return mode


def _refused_state(piece: ContentPiece) -> ApprovalRefused:
    piece.refresh_from_db(fields=["review_state", "status"])
    if piece.status not in REVIEWABLE:
        return ApprovalRefused(
            _("글이 검토할 수 있는 상태가 아니에요 (%(status)s).")
            % {"status": piece.get_status_display()}
        )
    return ApprovalRefused(
        _("지금은 %(state)s 상태라 이 단계를 할 수 없어요.")
        % {"state": piece.get_review_state_display()}
    )


# --- Steps --------------------------------------------------------------------------------


@transaction.atomic
def submit(
    piece: ContentPiece, *, actor: User | None, comment: str = "", seen: int | None = None
) -> ReviewNote:
    """Send a written piece for review. A manager's sending in the client mode is the
    internal approval: the piece goes to the client."""
    mode = _require_flow(piece)
    _require(
        actor, piece, Membership.Role.STAFF, _("이 사업장의 구성원만 검토를 요청할 수 있어요.")
    )
    revision = _current(piece, seen)
    to_client = mode == Mode.CLIENT and (
        actor is None or has_role(actor, piece, Membership.Role.MANAGER)
    )
    target = ReviewState.CLIENT_REVIEW if to_client else ReviewState.IN_REVIEW
    if not _move(piece, SUBMITTABLE, target, revision=revision):
        raise _refused_state(piece)
    action = Note.SENT_TO_CLIENT if to_client else Note.SUBMITTED
    return _note(piece, action, revision=revision, comment=comment, author=actor)


@transaction.atomic
def approve(
    piece: ContentPiece, *, actor: User | None, comment: str = "", seen: int | None = None
) -> ReviewNote:
    """A manager approves: approved (internal mode), or on to the client (client mode)."""
    mode = _require_flow(piece)
    _require(actor, piece, Membership.Role.MANAGER, _("매니저 이상만 승인할 수 있어요."))
    revision = _current(piece, seen)
    if mode == Mode.CLIENT:
        if not _move(piece, INTERNALLY_APPROVABLE, ReviewState.CLIENT_REVIEW, revision=revision):
            raise _refused_state(piece)
        return _note(piece, Note.SENT_TO_CLIENT, revision=revision, comment=comment, author=actor)
    if not _move(piece, INTERNALLY_APPROVABLE, ReviewState.APPROVED, revision=revision):
        raise _refused_state(piece)
    return _note(piece, Note.APPROVED, revision=revision, comment=comment, author=actor)


@transaction.atomic
def request_changes(
    piece: ContentPiece,
    *,
    actor: User | None,
    comment: str,
    seen: int | None = None,
    link: ClientLink | None = None,
    author_name: str = "",
) -> ReviewNote:
    """A manager (or the client, through ``link``) asks for changes, saying what."""
    _require_flow(piece)
    if link is None:
        _require(actor, piece, Membership.Role.MANAGER, _("매니저 이상만 수정을 요청할 수 있어요."))
    if not comment.strip():
        raise ApprovalRefused(_("어떻게 고치면 좋을지 한 줄 적어 주세요."))
    revision = _current(piece, seen)
    frm = (ReviewState.CLIENT_REVIEW,) if link is not None else CHANGEABLE
    if not _move(piece, frm, ReviewState.CHANGES_REQUESTED, revision=revision):
        raise _refused_state(piece)
    return _note(
        piece,
        Note.CHANGES_REQUESTED,
        revision=revision,
        comment=comment,
        author=actor,
        author_name=author_name,
        link=link,
    )


@transaction.atomic
def client_approve(
    piece: ContentPiece, *, link: ClientLink, author_name: str, comment: str = "", seen: int
) -> ReviewNote:
    """The client approves the revision they saw, through their link."""
    _require_flow(piece)
    revision = _current(piece, seen)
    if not _move(piece, (ReviewState.CLIENT_REVIEW,), ReviewState.APPROVED, revision=revision):
        raise _refused_state(piece)
    return _note(
        piece,
        Note.CLIENT_APPROVED,
        revision=revision,
        comment=comment,
        author_name=author_name,
        link=link,
    )


def comment(
    *,
    business: Business,
    text: str,
    piece: ContentPiece | None = None,
    campaign: Campaign | None = None,
    author: User | None = None,
    author_name: str = "",
    link: ClientLink | None = None,
) -> ReviewNote:
    """A comment on a piece (at its newest revision) or on a whole campaign."""
    text = text.strip()
    if not text:
        raise ApprovalRefused(_("의견을 적어 주세요."))
    if piece is not None and piece.business_id != business.pk:
        raise ApprovalRefused(_("이 사업장의 글이 아니에요."))
    if campaign is not None and campaign.business_id != business.pk:
        raise ApprovalRefused(_("이 사업장의 캠페인이 아니에요."))
    return ReviewNote.objects.create(
        business=business,
        piece=piece,
        campaign=campaign or (piece.campaign if piece is not None else None),
        revision=latest_number(piece) if piece is not None else None,
        action=Note.COMMENT,
        comment=text[:COMMENT_MAX],
        author=author,
        author_name=author_name.strip()[:120],
        link=link,
    )


def approve_by_scheduling(piece: ContentPiece) -> None:
    """Without an approval flow, scheduling a revision is approving it (publishing calls
    this inside the scheduling transaction)."""
    ContentPiece.objects.filter(pk=piece.pk).update(
        review_state=ReviewState.APPROVED, approved_revision=latest_number(piece)
    )


def scheduling_refusal(piece: ContentPiece) -> str:
    """Why the piece may not be scheduled yet under its organization's flow ("" when it
    may)."""
    if mode_of(piece.business) == Mode.OFF or is_approved(piece):
        return ""
    state = piece.get_review_state_display()
    return _(
        "승인된 버전만 예약할 수 있어요. 지금은 %(state)s 상태예요. 승인을 받은 뒤 예약해 주세요."
    ) % {"state": state}


# --- Many pieces at once ----------------------------------------------------------------------


@dataclass
class Outcome:
    done: list[ContentPiece] = field(default_factory=list)
    skipped: list[tuple[ContentPiece, str]] = field(default_factory=list)


def submit_many(pieces: Iterable[ContentPiece], *, actor: User | None) -> Outcome:
    """Send every written, not yet approved piece for review; the others are listed with
    the reason (each piece in its own transaction: one refusal stops no other)."""
    outcome = Outcome()
    for piece in pieces:
        if piece.review_state not in SUBMITTABLE:
            continue  # already on its way or approved: nothing to send
        try:
            submit(piece, actor=actor)
        except ApprovalRefused as exc:
            outcome.skipped.append((piece, exc.message))
        else:
            outcome.done.append(piece)
    return outcome
