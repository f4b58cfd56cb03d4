"""The client's page behind an approval link: no account, only the link. The client sees
each piece as it will look on its platform, approves it or asks for changes with a
comment, and the agency hears of every decision (content.client_links)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import approvals, client_links
from content.models import ClientLink, ContentPiece, ReviewState
from content.revisions import latest_number
from owner import previews
from publishing.notify import notify_owner

NAME_MAX = 60
SESSION_NAME = "client_name"


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "owner/client_refused.html", {"reason": reason}, status=410)


def client_review(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = client_links.open_link(token)
    except client_links.LinkRefused as exc:
        return _refused(request, exc.message)
    client_links.mark_opened(link)
    pieces = list(client_links.pieces_of(link).prefetch_related("assets"))
    notes = link.business.review_notes.filter(piece__in=pieces).select_related("author")
    by_piece: dict[int | None, list] = {}
    for note in notes.order_by("created_at"):
        by_piece.setdefault(note.piece_id, []).append(note)
    entries = [
        {
            "piece": piece,
            "preview": previews.preview_for(piece),
            "notes": by_piece.get(piece.pk, []),
            "decidable": piece.review_state == ReviewState.CLIENT_REVIEW,
            "revision": latest_number(piece),
        }
        for piece in pieces
    ]
    context = {
        "link": link,
        "token": token,
        "business": link.business,
        "entries": entries,
        "waiting": sum(1 for e in entries if e["decidable"]),
        "client_name": request.session.get(SESSION_NAME, ""),
        "campaign_notes": link.business.review_notes.filter(piece__isnull=True, link=link).order_by(
            "created_at"
        ),
    }
    return render(request, "owner/client_review.html", context)


def _name(request: HttpRequest) -> str:
    name = " ".join(request.POST.get("name", "").split())[:NAME_MAX]
    if name:
        request.session[SESSION_NAME] = name
    return name


def _tell_agency(link: ClientLink, piece: ContentPiece, name: str, what: str, text: str) -> None:
    body = _("%(name)s 님이 %(piece)s에 대해 %(what)s.") % {
        "name": name,
        "piece": f"{piece.get_channel_display()} · {piece.business.name}",
        "what": what,
    }
    if text:
        body += f"\n\n“{text}”"
    notify_owner(
        link.business,
        _("고객 검토: %(what)s") % {"what": what},
        body,
        link_path=reverse("owner:piece_review", args=[piece.pk]),
    )


@require_POST
def client_decide(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    try:
        link = client_links.open_link(token)
        piece = client_links.piece_of(link, pk)
    except client_links.LinkRefused as exc:
        return _refused(request, exc.message)
    name = _name(request)
    text = request.POST.get("comment", "").strip()
    decision = request.POST.get("decision")
    try:
        seen = int(request.POST.get("revision", ""))
    except ValueError:
        seen = -1
    back = redirect(f"{reverse('owner:client_review', args=[token])}#piece-{pk}")
    if not name:
        messages.error(request, _("누가 결정했는지 남길 수 있게 이름을 적어 주세요."))
        return back
    try:
        if decision == "approve":
            approvals.client_approve(piece, link=link, author_name=name, comment=text, seen=seen)
            what = _("승인했어요")
        elif decision == "changes":
            approvals.request_changes(
                piece, actor=None, comment=text, seen=seen, link=link, author_name=name
            )
            what = _("수정을 요청했어요")
        else:
            messages.error(request, _("승인 또는 수정 요청 중 하나를 골라 주세요."))
            return back
    except approvals.ApprovalRefused as exc:
        messages.error(request, exc.message)
        return back
    _tell_agency(link, piece, name, what, text)
    messages.success(request, _("전달했어요. 고맙습니다!"))
    return back


@require_POST
def client_comment(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = client_links.open_link(token)
    except client_links.LinkRefused as exc:
        return _refused(request, exc.message)
    name = _name(request)
    back = redirect("owner:client_review", token=token)
    if not name:
        messages.error(request, _("누가 남긴 의견인지 알 수 있게 이름을 적어 주세요."))
        return back
    try:
        approvals.comment(
            business=link.business,
            campaign=link.campaign,
            text=request.POST.get("comment", ""),
            author_name=name,
            link=link,
        )
    except approvals.ApprovalRefused as exc:
        messages.error(request, exc.message)
        return back
    notify_owner(
        link.business,
        _("고객 의견"),
        _("%(name)s 님이 의견을 남겼어요: “%(text)s”")
        % {"name": name, "text": request.POST.get("comment", "").strip()},
        link_path=reverse("campaigns:detail", args=[link.campaign_id])
        if link.campaign_id
        else reverse("marketing:business_detail", args=[link.business_id]),
    )
    messages.success(request, _("의견을 전달했어요."))
    return back
