"""Where the 👍/👎 form (``templates/analytics/_feedback.html``) posts, for a piece or a
weekly report: a plain form POST that works without JavaScript and goes back to the
page it came from with a message. Any member of the organization may leave feedback;
another organization's piece or report is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.feedback import feedback_record
from analytics.forms import FeedbackForm
from analytics.models import Feedback, WeeklyReport
from content.models import ContentPiece
from marketing.selectors import scope_for_user, signed_in_user


@login_required
@require_POST
def piece_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    pieces = scope_for_user(ContentPiece.objects.select_related("business"), request.user)
    piece = get_object_or_404(pieces, pk=pk)
    return _record(request, {"piece": piece}, reverse("owner:piece_review", args=[piece.pk]))


@login_required
@require_POST
def report_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    reports = scope_for_user(
        WeeklyReport.objects.select_related("business").filter(sent_at__isnull=False),
        request.user,
    )
    report = get_object_or_404(reports, pk=pk)
    back = reverse("analytics:report", args=[report.business_id, report.week])
    return _record(request, {"report": report}, back)


def _record(
    request: HttpRequest, target: dict[str, ContentPiece | WeeklyReport], fallback: str
) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if form.is_valid():
        feedback, created = feedback_record(
            author=signed_in_user(request.user),
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            **target,  # type: ignore[arg-type]
        )
        messages.success(request, _thanks(feedback, created))
    else:
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(back if back and safe else fallback)


def _thanks(feedback: Feedback, created: bool) -> str:
    said = _("의견을 남겼어요. 고마워요!") if created else _("의견을 고쳤어요. 고마워요!")
    if feedback.piece_id and feedback.rating == Feedback.Rating.DOWN:
        # True when it is said: a 👎 counts against the piece's choices in the loop.
        said += " " + _("다음 글을 쓸 때 참고할게요.")
    return said
