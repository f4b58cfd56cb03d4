"""``{% feedback_box piece=piece as box %}`` (or ``report=report``): what the feedback
form (``analytics/_feedback.html``) needs: where it posts, a key unique on the page, and
the signed-in user's own 👍/👎 so far (read through analytics.selectors, so any app's
page may include the form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from analytics.models import Feedback
from analytics.selectors import feedback_of

register = template.Library()


@dataclass(frozen=True)
class FeedbackBox:
    action: str
    key: str  # "piece-12", "report-3": ids stay unique with several forms on a page
    on_report: bool
    mine: Feedback | None


@register.simple_tag(takes_context=True)
def feedback_box(
    context: template.Context, piece: Any = None, report: Any = None
) -> FeedbackBox | None:
    piece, report = piece or None, report or None
    if (piece is None) == (report is None):
        return None  # the include names neither or both: draw nothing rather than guess
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = feedback_of(user=user, piece=piece, report=report) if user is not None else None
    if piece is not None:
        action = reverse("analytics:piece_feedback", args=[piece.pk])
        return FeedbackBox(action, f"piece-{piece.pk}", False, mine)
    action = reverse("analytics:report_feedback", args=[report.pk])
    return FeedbackBox(action, f"report-{report.pk}", True, mine)
