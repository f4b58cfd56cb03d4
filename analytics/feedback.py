"""The owner's 👍/👎 and comment on a piece or a weekly report, its sentiment, and the
operator alert a negative one raises (docs/results.md, "Feedback").

Recording is instant: the offline rule judges at once, and when Gemini judges this
organization's feedback, ``analytics.tasks.classify_feedback`` asks it afterwards, so
the owner never waits on a model. A 👎, or a comment judged negative, asks for one
alert: ``alert_state`` moves none → pending, ``analytics.tasks.send_feedback_alert``
claims it (pending → sending, one conditional UPDATE, so two runs never both post),
posts to ``FEEDBACK_WEBHOOK_URL`` through ``core.http`` and records sent, back to
pending (a 5xx, 429 or a lost connection: the task retries with backoff) or failed (any
other answer, or retries spent). Every move of ``alert_state`` is one function here.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from analytics import sentiment
from analytics.models import Feedback, WeeklyReport
from content.models import ContentPiece
from content.providers.base import ProviderError
from content.providers.registry import guarded
from core import queue
from core.http import http_session, retry_after_s
from marketing.models import Membership, User
from marketing.quota import LlmCall, llm_calls_record
from marketing.selectors import has_role

logger = logging.getLogger(__name__)

COMMENT_MAX = 1000
ALERT_MAX_RETRIES = 5  # after the first try: six posts at most, within about 15 minutes
ALERT_COMMENT_CHARS = 800  # Discord refuses a message over 2,000 characters
State = Feedback.AlertState


# --- Recording and judging --------------------------------------------------------------


def feedback_record(
    *,
    author: User,
    rating: str,
    comment: str = "",
    piece: ContentPiece | None = None,
    report: WeeklyReport | None = None,
) -> tuple[Feedback, bool]:
    """Record ``author``'s 👍/👎 and comment on one piece or one report; returns it and
    whether it is new. One per author and target: calling again updates it (the same
    rating and comment change nothing). Judges the sentiment (or queues Gemini's
    judgement) and asks for the operator alert when it is negative, at most once per
    feedback. Raises ValueError for a bad rating or not exactly one target, and
    PermissionDenied when the author is not a member of the target's organization."""
    target: ContentPiece | WeeklyReport | None = piece or report
    if target is None or (piece is not None and report is not None):
        raise ValueError("feedback needs exactly one of piece and report")
    if rating not in Feedback.Rating.values:
        raise ValueError(f"unknown rating {rating!r}")
    if not has_role(author, target, Membership.Role.STAFF):
        raise PermissionDenied(_("이 사업장의 구성원만 의견을 남길 수 있어요."))
    comment = comment.strip()[:COMMENT_MAX]
    judgement = sentiment.offline_judgement(rating, comment)
    judged = {
        "sentiment": judgement.sentiment,
        "judged_by": judgement.judged_by,
        "sentiment_reason": judgement.reason,
    }
    with transaction.atomic():
        feedback, created = Feedback.objects.select_for_update().get_or_create(
            author=author,
            piece=piece,
            report=report,
            defaults={"business": target.business, "rating": rating, "comment": comment, **judged},
        )
        if not created:
            if (feedback.rating, feedback.comment) == (rating, comment):
                return feedback, False
            for name, value in {"rating": rating, "comment": comment, **judged}.items():
                setattr(feedback, name, value)
            feedback.save(update_fields=["rating", "comment", *judged, "updated_at"])
        # A 👎 or a comment the rule finds negative alerts now; a comment only Gemini
        # finds negative alerts from the classify task.
        alert_request(feedback)
        if comment and sentiment.judged_by_gemini(target.business):
            queue.enqueue("analytics.tasks.classify_feedback", feedback.pk)
    return feedback, created


def feedback_classify(*, feedback_id: int) -> Feedback | None:
    """Gemini's judgement of the comment, then the alert when it is negative. Gemini
    failing (or its circuit open) keeps the offline rule's judgement: an alert is never
    held back by the model. A judgement of a comment changed since is dropped; the
    change queued its own. Idempotent; None when the feedback is gone."""
    found = Feedback.objects.select_related("business__organization").filter(pk=feedback_id).first()
    if found is None:
        return None
    calls: tuple[LlmCall, ...] = ()
    if found.comment:
        target = "piece" if found.piece_id else "report"
        try:
            provider = sentiment.gemini_provider()
            judgement = guarded(
                provider,
                lambda: sentiment.gemini_judgement(
                    provider, found.rating, found.comment, target=target
                ),
            )
        except ProviderError as exc:
            logger.info("feedback %s judged offline: %s (%s)", found.pk, exc.message, exc.detail)
            calls = exc.calls
        else:
            calls = judgement.calls
            unchanged = Feedback.objects.filter(
                pk=found.pk, rating=found.rating, comment=found.comment
            )
            unchanged.update(
                sentiment=judgement.sentiment,
                judged_by=judgement.judged_by,
                sentiment_reason=judgement.reason,
            )
    with transaction.atomic():
        llm_calls_record(business=found.business, calls=calls)
        found.refresh_from_db()
        alert_request(found)
    return found


# --- The alert's moves (each a conditional UPDATE that says whether it moved) --------------


def _move(feedback_id: int, from_states: tuple[str, ...], **changes: object) -> bool:
    moved = Feedback.objects.filter(pk=feedback_id, alert_state__in=from_states).update(**changes)
    return moved == 1


def alert_request(feedback: Feedback) -> bool:
    """none → pending (and the send queued) when the feedback is negative; → off when no
    webhook is configured, so the record says why nobody was told. A feedback that
    already asked keeps its state: one alert per feedback, however often it is edited."""
    if not feedback.negative:
        return False
    if not settings.FEEDBACK_WEBHOOK_URL:
        return _move(feedback.pk, (State.NONE,), alert_state=State.OFF)
    if not _move(feedback.pk, (State.NONE,), alert_state=State.PENDING):
        return False
    queue.enqueue("analytics.tasks.send_feedback_alert", feedback.pk)
    return True


def _claim(feedback_id: int) -> bool:
    """pending → sending, counting the attempt before the call is made. False: another
    run has it, or it is settled."""
    return _move(
        feedback_id,
        (State.PENDING,),
        alert_state=State.SENDING,
        alert_attempts=F("alert_attempts") + 1,
    )


def _sent(feedback_id: int) -> bool:
    return _move(
        feedback_id,
        (State.SENDING,),
        alert_state=State.SENT,
        alerted_at=timezone.now(),
        alert_error="",
    )


def _again(feedback_id: int, error: str) -> bool:
    """sending → pending after a failure that may pass; the task's retry claims it again."""
    return _move(feedback_id, (State.SENDING,), alert_state=State.PENDING, alert_error=error)


def _failed(feedback_id: int, error: str) -> bool:
    return _move(
        feedback_id, (State.PENDING, State.SENDING), alert_state=State.FAILED, alert_error=error
    )


# --- Sending -------------------------------------------------------------------------------


class AlertDeferred(Exception):
    """The webhook failed in a way that may pass (5xx, 429, timeout, refused connection);
    the feedback is pending again. ``retry_after_s``: what the server asked for."""

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


def feedback_alert_send(*, feedback_id: int) -> str:
    """Post the feedback's alert once; returns the alert state it leaves. Claims the row
    first, so a second run (a duplicate message, a retry racing a redelivery) posts
    nothing. A 2xx is sent; a 4xx other than 408 and 429 (a deleted webhook, a bad
    payload) is failed with the reason and not retried. Raises AlertDeferred when it
    may pass."""
    if not _claim(feedback_id):
        found = Feedback.objects.filter(pk=feedback_id).values_list("alert_state", flat=True)
        return found.first() or ""
    feedback = Feedback.objects.select_related(
        "business__organization", "piece", "report", "author"
    ).get(pk=feedback_id)
    url = settings.FEEDBACK_WEBHOOK_URL
    if not url:  # switched off since it was asked for
        _move(feedback_id, (State.SENDING,), alert_state=State.OFF)
        return State.OFF
    try:
        response = http_session().post(url, json=alert_payload(feedback), allow_redirects=False)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        _again(feedback_id, error)
        raise AlertDeferred(error) from exc
    if 200 <= response.status_code < 300:
        _sent(feedback_id)
        return State.SENT
    error = f"HTTP {response.status_code}: {response.text[:300]}"
    if response.status_code in (408, 429) or response.status_code >= 500:
        _again(feedback_id, error)
        raise AlertDeferred(error, retry_after_s=retry_after_s(response))
    _failed(feedback_id, error)
    return State.FAILED


def feedback_alert_give_up(*, feedback_id: int, reason: str) -> str:
    """pending → failed once the retries are spent, with the last reason."""
    _failed(feedback_id, _("%(reason)s (다시 보내기를 모두 실패했어요)") % {"reason": reason})
    return State.FAILED


def alert_payload(feedback: Feedback) -> dict[str, object]:
    """One message for Discord (``content``, mentions switched off so a comment cannot
    ping the channel) and Slack (``text``, with its three control characters escaped);
    each service ignores the other's keys."""
    message = alert_text(feedback)
    slack = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {"content": message, "allowed_mentions": {"parse": []}, "text": slack}


def alert_text(feedback: Feedback) -> str:
    business = feedback.business
    if feedback.piece is not None:
        target = _("%(channel)s 글 「%(title)s」 (#%(id)s)") % {
            "channel": feedback.piece.get_channel_display(),
            "title": feedback.piece.title or _("제목 없음"),
            "id": feedback.piece.pk,
        }
    elif feedback.report is not None:
        target = _("주간 리포트 %(week)s") % {"week": feedback.report.week}
    else:  # the check constraint keeps this from happening
        target = ""
    comment = Truncator(feedback.comment).chars(ALERT_COMMENT_CHARS) or _("(의견 없음)")
    admin = reverse("admin:analytics_feedback_change", args=[feedback.pk])
    lines = [
        _("[Gagecast] 사장님의 부정적인 의견이 들어왔어요"),
        _("가게: %(shop)s (%(organization)s)")
        % {"shop": business.name, "organization": business.organization.name},
        _("대상: %(target)s") % {"target": target},
        _("평가: %(rating)s") % {"rating": feedback.get_rating_display()},
        _("의견: %(comment)s") % {"comment": comment},
        _("감정: %(sentiment)s (%(judged_by)s 판정)")
        % {
            "sentiment": feedback.get_sentiment_display(),
            "judged_by": feedback.get_judged_by_display(),
        }
        + (f" · {feedback.sentiment_reason}" if feedback.sentiment_reason else ""),
        _("남긴 사람: %(author)s")
        % {"author": feedback.author.email if feedback.author else _("(탈퇴한 사용자)")},
        _("관리 화면: %(link)s") % {"link": f"{settings.PUBLIC_BASE_URL.rstrip('/')}{admin}"},
    ]
    return "\n".join(line.rstrip() for line in lines)
