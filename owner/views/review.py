"""The review screen of one piece: what it will look like on its platform, its text to
edit by hand with the platform's counters, another template or photo, every earlier
version to restore, and approval (it is scheduled at its planned time)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import approvals, editing
from content.models import ContentPiece
from content.revisions import PieceLocked, latest_number
from marketing.models import Membership
from marketing.selectors import has_role, is_client_viewer, scope_for_user, signed_in_user
from owner import previews, services
from publishing.models import Publication
from publishing.services import SchedulingError

STAFF = Membership.Role.STAFF
MANAGER = Membership.Role.MANAGER


def _piece(request: HttpRequest, pk: int, *, min_role: str = STAFF) -> ContentPiece:
    # Writes keep the members' scope; only reading opens a client viewer's own shop.
    pieces = scope_for_user(
        ContentPiece.objects.select_related("business__organization", "campaign", "photo"),
        request.user,
        min_role=min_role,
    )
    return get_object_or_404(pieces, pk=pk)


def _require(request: HttpRequest, piece: ContentPiece, role: str) -> None:
    if not has_role(request.user, piece, role):
        raise PermissionDenied(_("이 사업장의 구성원만 할 수 있어요."))


def _review(
    request: HttpRequest,
    piece: ContentPiece,
    *,
    fields: list[editing.EditField] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    publication = (
        piece.publications.exclude(state=Publication.State.CANCELED)
        .order_by("-scheduled_at")
        .first()
    )
    context = {
        "piece": piece,
        "business": piece.business,
        "preview": previews.preview_for(piece),
        "fields": fields if fields is not None else editing.edit_fields(piece),
        "form_errors": errors or [],
        "revisions": piece.revisions.select_related("author")[:50],
        "templates": list(editing.TEMPLATE_LABELS.items()),
        "photos": piece.business.photos.all()[:40],
        "publication": publication,
        "locked": piece.status == ContentPiece.Status.PUBLISHED,
        "editable": piece.status in ("ready", "approved", "failed")
        and bool(piece.fields)
        and has_role(request.user, piece, STAFF),
        "can_approve": has_role(request.user, piece, MANAGER),
        "rendering": piece.render_status in ("queued", "rendering"),
        "latest": latest_number(piece),
        "writing": piece.status in ("queued", "generating"),
        "flow": approvals.mode_of(piece.business),
        "approved": approvals.is_approved(piece),
        "review_notes": piece.review_notes.select_related("author").order_by("created_at"),
        "can_submit": has_role(request.user, piece, STAFF),
        "read_only": is_client_viewer(request.user, piece),
        "quality_findings": piece.quality_findings.filter(revision=latest_number(piece))
        .exclude(severity="rewritten")
        .order_by("pk")[:12],
    }
    return render(request, "owner/piece_review.html", context, status=status)


@login_required
def piece_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, _piece(request, pk, min_role=Membership.Role.CLIENT))


@login_required
@require_POST
def piece_edit(request: HttpRequest, pk: int) -> HttpResponse:
    piece = _piece(request, pk)
    _require(request, piece, STAFF)
    shown = editing.edit_fields(piece)
    values = {f.path: request.POST[f.name] for f in shown if f.name in request.POST}
    scheduled = _scheduled(piece)
    try:
        revision = editing.edit(
            piece, values, author=signed_in_user(request.user), base=_base(request)
        )
    except editing.EditRejected as exc:
        messages.error(request, _("고칠 곳이 있어요. 표시된 칸을 확인해 주세요."))
        return _review(request, piece, fields=exc.fields, errors=exc.errors, status=400)
    except PieceLocked as exc:
        messages.error(request, exc.message)
        return redirect("owner:piece_review", pk=pk)
    if revision is None:
        messages.info(request, _("바뀐 내용이 없어요."))
    else:
        messages.success(request, _back_to_review(revision.number, scheduled=scheduled))
        _warn_about_copy(request, piece, revision.number)
    return redirect("owner:piece_review", pk=pk)


def _warn_about_copy(request: HttpRequest, piece: ContentPiece, number: int) -> None:
    """The quality gate's findings on the owner's text: shown, never applied."""
    found = list(piece.quality_findings.filter(revision=number, source="edit")[:4])
    if not found:
        return
    shown = " · ".join(f.message for f in found[:3])
    messages.warning(
        request,
        _("저장했어요. 한 번 더 살펴보면 좋은 곳이 있어요: %(found)s") % {"found": shown},
    )


def _base(request: HttpRequest) -> int | None:
    """The version the form showed (None when the request does not say)."""
    try:
        return int(request.POST["base"])
    except (KeyError, ValueError):
        return None


def _scheduled(piece: ContentPiece) -> bool:
    """Whether the piece is on the schedule now (a change will take it off)."""
    return Publication.objects.live().filter(piece=piece).exists()


def _back_to_review(number: int, *, scheduled: bool) -> str:
    saved = _("%(number)s번째 버전으로 저장했어요. 이미지를 새로 만들고 있어요.") % {
        "number": number
    }
    if scheduled:
        return f"{saved} {_('예약은 취소됐어요. 확인 후 다시 승인해 주세요.')}"
    return saved


@login_required
@require_POST
def piece_swap(request: HttpRequest, pk: int) -> HttpResponse:
    piece = _piece(request, pk)
    _require(request, piece, STAFF)
    template = request.POST.get("template") or None
    photo_id = request.POST.get("photo", "")
    scheduled = _scheduled(piece)
    photo = None
    if photo_id:
        photo = piece.business.photos.filter(pk=int(photo_id) if photo_id.isdigit() else 0).first()
        if photo is None:
            messages.error(request, _("그 사진을 찾을 수 없어요. 다시 골라 주세요."))
            return redirect("owner:piece_review", pk=pk)
    try:
        revision = editing.swap(
            piece,
            template=template,
            photo=photo,
            author=signed_in_user(request.user),
            base=_base(request),
        )
    except (ValueError, PieceLocked) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        if revision is None:
            messages.info(request, _("바뀐 내용이 없어요."))
        else:
            messages.success(request, _back_to_review(revision.number, scheduled=scheduled))
    return redirect("owner:piece_review", pk=pk)


@login_required
@require_POST
def piece_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    piece = _piece(request, pk)
    _require(request, piece, STAFF)
    revision = get_object_or_404(piece.revisions, number=number)
    try:
        editing.restore(piece, revision, author=signed_in_user(request.user), base=_base(request))
    except PieceLocked as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(number)s번째 버전을 되살렸어요.") % {"number": number})
    return redirect("owner:piece_review", pk=pk)


@login_required
@require_POST
def piece_approve(request: HttpRequest, pk: int) -> HttpResponse:
    piece = _piece(request, pk)
    if not has_role(request.user, piece, MANAGER):
        raise PermissionDenied(_("매니저 이상만 게시를 승인할 수 있어요."))
    try:
        publication = services.approve(
            piece, user=signed_in_user(request.user), seen_revision=_base(request)
        )
    except SchedulingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("승인했어요. %(when)s에 올라가요.") % {"when": previews.local_label(publication)},
        )
    if request.POST.get("next") == "campaign" and piece.campaign_id:
        return redirect("campaigns:detail", pk=piece.campaign_id)
    return redirect("owner:piece_review", pk=pk)
