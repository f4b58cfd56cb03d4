"""Scheduling, the due-post dispatcher, the publish and poll steps, the reaper and the
owner's actions.

Exactly once rests on claims: every state change is a conditional UPDATE in
``publishing.transitions``, so of two dispatchers, two deliveries of one task, or a
reaper and a slow worker, exactly one wins and the others do nothing. What happens
inside a claimed run is runner.py. Tasks are sent by name through ``core.queue``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from content import approvals
from content.models import ContentPiece, RenderStatus
from content.revisions import PUBLISHED_REASON, STALE_REASON, PieceLocked, latest_number
from core import queue
from marketing.audit import Action as AuditAction
from marketing.audit import audit
from marketing.models import Business, Membership, User
from marketing.selectors import has_role
from publishing import runner, transitions
from publishing.models import ChannelAccount, Publication
from publishing.publishers import publisher_class
from publishing.transitions import DUE

logger = logging.getLogger(__name__)
State = Publication.State
MODE_PREFERENCE: dict[str, int] = {
    ChannelAccount.Mode.API: 0,
    ChannelAccount.Mode.SANDBOX: 1,
    ChannelAccount.Mode.ASSISTED: 2,
}


STOPPED_REASON = "이 사업장은 게시를 멈춰 두었어요. 다시 시작한 뒤 예약해 주세요."


class SchedulingError(Exception):
    """The owner's plain-Korean reason a piece cannot be scheduled or changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Scheduling --------------------------------------------------------------------------


def account_for(piece: ContentPiece) -> ChannelAccount | None:
    """The account a piece goes out on: an active API account, else sandbox, else
    assisted. A platform whose default is assisted publishing (Naver Blog) always has one."""
    accounts = [
        a
        for a in ChannelAccount.objects.filter(
            business=piece.business, platform=piece.channel, state=ChannelAccount.State.ACTIVE
        )
    ]
    if not accounts and publisher_class(piece.channel).assisted_by_default:
        account, _ = ChannelAccount.objects.get_or_create(
            business=piece.business,
            platform=piece.channel,
            mode=ChannelAccount.Mode.ASSISTED,
            external_id="",
            defaults={"display_name": "직접 게시 도우미"},
        )
        accounts = [account] if account.state == ChannelAccount.State.ACTIVE else []
    return min(accounts, key=lambda a: MODE_PREFERENCE[a.mode], default=None)


def schedule_piece(
    piece: ContentPiece,
    at: dt.datetime,
    *,
    account: ChannelAccount | None = None,
    user: User | AnonymousUser | None = None,
    seen_revision: int | None = None,
) -> Publication:
    """Approve ``piece`` and schedule it at ``at`` (aware; stored in UTC). Rescheduling a
    piece that has not gone out moves it. ``seen_revision``: the version the approver
    looked at, refused when the copy changed since. Raises SchedulingError with the
    reason."""
    if timezone.is_naive(at):
        raise SchedulingError("시간대가 없는 예약 시각입니다.")
    _check_schedulable(piece)
    account = account or account_for(piece)
    if account is None:
        raise SchedulingError(
            f"{piece.get_channel_display()} 계정이 연결되어 있지 않습니다. 채널 연결 화면에서 먼저 연결해 주세요."
        )
    if account.business_id != piece.business_id or account.platform != piece.channel:
        raise SchedulingError("이 글과 맞지 않는 계정입니다.")
    with transaction.atomic():
        # The piece's row first (the order a change of its copy takes too), and the checks
        # again on it: an edit or a rewrite that committed meanwhile is not approved.
        fresh = (
            ContentPiece.objects.select_for_update(of=("self",))
            .select_related("business__organization")
            .get(pk=piece.pk)
        )
        _check_schedulable(fresh, seen=seen_revision)
        existing = (
            Publication.objects.select_for_update()
            .filter(piece=piece, channel_account=account)
            .exclude(state=State.CANCELED)
            .first()
        )
        if existing is not None:
            if not transitions.reschedule(existing.pk, at):
                raise SchedulingError(
                    f"이미 {existing.get_state_display()} 상태라 예약을 바꿀 수 없습니다."
                )
            existing.refresh_from_db()
            publication = existing
        else:
            publication = Publication.objects.create(
                piece=piece,
                channel_account=account,
                scheduled_at=at,
                next_attempt_at=at,
                scheduled_by=user if isinstance(user, User) else None,  # not AnonymousUser
            )
        ContentPiece.objects.filter(pk=piece.pk).update(
            status=ContentPiece.Status.APPROVED, planned_for=at
        )
        if approvals.mode_of(piece.business) == approvals.Mode.OFF:
            approvals.approve_by_scheduling(fresh)
        _audit_schedule(fresh, publication, AuditAction.SCHEDULED, actor=user, at=at)
    return publication


def _audit_schedule(
    piece: ContentPiece,
    publication: Publication,
    action: str,
    *,
    actor: User | AnonymousUser | None,
    at: dt.datetime,
) -> None:
    business = piece.business
    local = timezone.localtime(at, ZoneInfo(business.time_zone)).strftime("%Y-%m-%d %H:%M")
    label = f"{business.name} · {piece.get_channel_display()} #{piece.pk}"
    summary = (
        _("%(piece)s: %(at)s에 예약")
        if action == AuditAction.SCHEDULED
        else _("%(piece)s: 예약 취소")
    )
    audit(
        business.organization_id,
        action,
        summary % {"piece": label, "at": local},
        actor=actor if isinstance(actor, User) else None,
        business=business,
        piece=piece.pk,
        publication=publication.pk,
        at=at.isoformat(),
    )


def _check_schedulable(piece: ContentPiece, *, seen: int | None = None) -> None:
    if piece.status == ContentPiece.Status.PUBLISHED:
        raise SchedulingError("이미 게시된 글입니다.")
    if piece.status not in (ContentPiece.Status.READY, ContentPiece.Status.APPROVED):
        raise SchedulingError("글이 아직 준비되지 않아 예약할 수 없습니다.")
    if piece.business.paused_at is not None or piece.business.archived_at is not None:
        raise SchedulingError(STOPPED_REASON)
    refusal = approvals.scheduling_refusal(piece)
    if refusal:
        raise SchedulingError(refusal)
    if piece.render_status not in (RenderStatus.DONE, RenderStatus.NONE):
        reason = piece.render_error or "사진과 영상이 아직 만들어지는 중입니다."
        raise SchedulingError(f"사진과 영상이 준비되지 않아 예약할 수 없습니다: {reason}")
    if seen is not None and seen != latest_number(piece):
        raise SchedulingError(STALE_REASON)


@dataclass
class ScheduleResult:
    scheduled: list[Publication] = field(default_factory=list)
    skipped: list[tuple[ContentPiece, str]] = field(default_factory=list)


def schedule_campaign(
    campaign: Campaign,
    *,
    user: User | AnonymousUser | None = None,
    now: dt.datetime | None = None,
) -> ScheduleResult:
    """Approve and schedule every ready piece of ``campaign`` at its planned time (a time
    already past: in five minutes). Pieces that cannot go are listed with the reason."""
    now = now or timezone.now()
    pieces = campaign.pieces.filter(
        status__in=(ContentPiece.Status.READY, ContentPiece.Status.APPROVED)
    ).select_related("business__organization")
    return _schedule_each(pieces.order_by("planned_for", "pk"), user=user, now=now)


def schedule_business(
    business: Business,
    *,
    user: User | AnonymousUser | None = None,
    now: dt.datetime | None = None,
) -> ScheduleResult:
    """Schedule every written piece of the shop planned for a time still ahead and not
    on the schedule yet, at its planned time (the agency's 예약하기 over many shops).
    Pieces that cannot go (not approved under the organization's flow, media not ready,
    the shop paused) are listed with the reason. Running it again schedules nothing twice."""
    now = now or timezone.now()
    booked = Publication.objects.exclude(state=State.CANCELED).values("piece_id")
    pieces = (
        ContentPiece.objects.filter(
            business=business,
            status__in=(ContentPiece.Status.READY, ContentPiece.Status.APPROVED),
            planned_for__gt=now,
        )
        .exclude(pk__in=booked)
        .select_related("business__organization")
    )
    return _schedule_each(pieces.order_by("planned_for", "pk"), user=user, now=now)


def _schedule_each(
    pieces: Iterable[ContentPiece], *, user: User | AnonymousUser | None, now: dt.datetime
) -> ScheduleResult:
    """Each piece at its planned time (a time already past: in five minutes), each in its
    own transaction: one refusal stops no other."""
    result = ScheduleResult()
    for piece in pieces:
        at = piece.planned_for if piece.planned_for and piece.planned_for > now else None
        try:
            result.scheduled.append(
                schedule_piece(piece, at or now + dt.timedelta(minutes=5), user=user)
            )
        except SchedulingError as exc:
            result.skipped.append((piece, exc.message))
    return result


# --- Dispatching and claims ---------------------------------------------------------------


def claim_due(
    now: dt.datetime | None = None, limit: int | None = None
) -> tuple[uuid.UUID, list[int]]:
    """Claim up to ``limit`` due publications for this dispatcher. The (state,
    next_attempt_at) index keeps this proportional to what is due, not to what is
    scheduled. Safe to run from several dispatchers at once."""
    now = now or timezone.now()
    limit = limit or settings.PUBLISH_DISPATCH_BATCH
    token = uuid.uuid4()
    due = Publication.objects.filter(state__in=DUE, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            transitions.claim(ids, token, now)
    else:  # SQLite: one writer at a time; the state condition still lets one claim win
        transitions.claim(list(due.values_list("pk", flat=True)[:limit]), token, now)
    return token, list(Publication.objects.filter(claim_token=token).values_list("pk", flat=True))


def dispatch_due(now: dt.datetime | None = None) -> int:
    """Claim what is due and fan it out, one publish task each, sent at once (the claims
    are committed). Returns how many."""
    token, ids = claim_due(now)
    for pk in ids:
        queue.send("publishing.tasks.publish_publication", pk, str(token))
    return len(ids)


def publish_claimed(publication_id: int, token: str) -> str | None:
    """The publish task: run the publication if this task holds its claim. Returns the new
    state, or None when another task has it (duplicate delivery, canceled meanwhile). A
    shop paused or archived since it was claimed posts nothing: it is canceled."""
    stopped = Q(piece__business__paused_at__isnull=False) | Q(
        piece__business__archived_at__isnull=False
    )
    if Publication.objects.filter(stopped, pk=publication_id, claim_token=token).exists():
        return State.CANCELED if transitions.cancel(publication_id) else None
    if not transitions.take(publication_id, State.CLAIMED, token):
        return None
    return _run_and_follow(publication_id)


def poll_processing(publication_id: int, token: str) -> str | None:
    """The poll task: look again at a publication the platform was still processing."""
    if not transitions.take(publication_id, State.PROCESSING, token):
        return None
    return _run_and_follow(publication_id)


def _run_and_follow(publication_id: int) -> str | None:
    state = runner.run(publication_id)
    if state == State.PROCESSING:
        _queue_poll(Publication.objects.get(pk=publication_id))
    return state


def _queue_poll(publication: Publication) -> None:
    assert publication.next_attempt_at is not None  # set by transitions.processing
    countdown = max(0.0, (publication.next_attempt_at - timezone.now()).total_seconds())
    queue.send(
        "publishing.tasks.poll_publication",
        publication.pk,
        str(publication.claim_token),
        countdown=countdown,
    )


# --- The reaper ----------------------------------------------------------------------------


def reap_stuck(now: dt.datetime | None = None) -> int:
    """Hand back publications whose worker went silent (killed, lost message). Each is
    taken over with a conditional UPDATE and run again; the run asks the platform about
    the saved container or upload first, so nothing is posted twice."""
    now = now or timezone.now()
    count = 0
    for publication in Publication.objects.filter(transitions.stuck_filter(now)).only(
        "pk", "state", "state_changed_at", "claim_token", "next_attempt_at", "claimed_at"
    ):
        token = uuid.uuid4()
        if not transitions.reap(publication, token, now):
            continue
        logger.warning(
            "publication %s was stuck in %s: taken over", publication.pk, publication.state
        )
        queue.send("publishing.tasks.publish_publication", publication.pk, str(token))
        count += 1
    return count


# --- The owner's actions ----------------------------------------------------------------------


def cancel(publication: Publication, *, actor: User | AnonymousUser | None = None) -> None:
    """Cancel a publication that has not gone out, recorded in the audit log. One being
    published right now cannot be."""
    if not transitions.cancel(publication.pk):
        publication.refresh_from_db()
        raise SchedulingError(f"{publication.get_state_display()} 상태라 취소할 수 없습니다.")
    _audit_schedule(
        publication.piece,
        publication,
        AuditAction.UNSCHEDULED,
        actor=actor,
        at=publication.scheduled_at,
    )


GOING_OUT_REASON = "지금 게시하는 중이라 바꿀 수 없어요. 게시가 끝나면 결과를 알려 드릴게요."


def release_for_change(piece_id: int, actor: User | None = None) -> int:
    """The piece's copy is about to change: cancel every publication of it that has not
    gone out, so nothing unapproved is posted; it comes back for review. Runs inside the
    change's transaction, and raises PieceLocked (rolling the change back) when a post is
    out, or on its way (the platform already holds the upload or container: a YouTube
    video processing would go live with the old copy), or when ``actor`` may not take a
    scheduled post off the schedule (managers and owners do, as on the schedule pages).
    Returns how many were canceled."""
    canceled = 0
    live = list(Publication.objects.live().select_for_update().filter(piece_id=piece_id))
    if live and actor is not None and not has_role(actor, live[0], Membership.Role.MANAGER):
        raise PieceLocked("예약된 글은 매니저 이상만 바꿀 수 있어요. 매니저에게 부탁해 주세요.")
    for publication in live:
        if publication.state == State.PUBLISHED:
            raise PieceLocked(PUBLISHED_REASON)
        started = publication.container_id or publication.progress
        if publication.state in (State.PUBLISHING, State.PROCESSING) or started:
            raise PieceLocked(GOING_OUT_REASON)
        if not transitions.cancel(publication.pk):
            raise PieceLocked(GOING_OUT_REASON)
        canceled += 1
    return canceled


def retry(publication: Publication, now: dt.datetime | None = None) -> None:
    """Try a failed publication again now, with a fresh attempt budget."""
    business = publication.piece.business
    if business.paused_at is not None or business.archived_at is not None:
        raise SchedulingError(STOPPED_REASON)
    if not transitions.retry_now(publication.pk, now or timezone.now()):
        publication.refresh_from_db()
        raise SchedulingError(f"{publication.get_state_display()} 상태라 다시 시도할 수 없습니다.")


def confirm_published(publication: Publication, url: str) -> None:
    """Assisted publishing done: the owner pasted the published post's address."""
    publisher = publisher_class(publication.piece.channel)
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in publisher.permalink_hosts:
        raise SchedulingError(publisher.permalink_hint)
    if not transitions.confirm_published(
        publication.pk, url.strip(), publisher.post_id_in(parts.path)
    ):
        publication.refresh_from_db()
        raise SchedulingError(f"{publication.get_state_display()} 상태라 바꿀 수 없습니다.")


def skip(publication: Publication) -> None:
    """The owner decided not to post this one (assisted publishing)."""
    if not transitions.skip(publication.pk):
        raise SchedulingError("직접 게시를 기다리는 글만 건너뛸 수 있습니다.")
