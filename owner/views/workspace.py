"""The agency's workspace: every client shop on one screen, bulk actions over the selected
shops with a result per shop, and adding a client viewer."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketing.client_viewers import InviteRefused, client_viewer_invite
from marketing.models import Membership
from marketing.selectors import businesses_for_user, signed_in_user
from owner.workspace import Filters, shops_by_id, workspace_for
from publishing import shop_actions

FILTER_KEYS = ("q", "organization", "action", "status")


def _kept(query: dict[str, str]) -> dict[str, str]:
    """The filters the person had, to come back to them after an action."""
    return {key: query[key] for key in FILTER_KEYS if query.get(key)}


def _back(query: dict[str, str]) -> str:
    kept = _kept(query)
    url = reverse("owner:workspace")
    return f"{url}?{urlencode(kept)}" if kept else url


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request.user)
    filters = Filters.from_query(request.GET)
    space = workspace_for(user, filters, request.GET.get("page", 1))
    kept = _kept(request.GET.dict())
    context = {
        "space": space,
        "filters": filters,
        "actions": shop_actions.Action.choices,
        "manager_only": [
            action for action, role in shop_actions.NEEDS.items() if role != Membership.Role.STAFF
        ],
        "kept": kept,
        "query": urlencode(kept),
    }
    return render(request, "owner/workspace.html", context)


@login_required
@require_POST
def workspace_action(request: HttpRequest) -> HttpResponse:
    """Do one action to the selected shops and say, shop by shop, what happened."""
    user = signed_in_user(request.user)
    action = request.POST.get("bulk_action", "")
    ids = [int(pk) for pk in request.POST.getlist("shops") if pk.isdigit()]
    back = _back(request.POST.dict())
    if action not in shop_actions.NEEDS:
        messages.error(request, _("할 일을 골라 주세요."))
        return redirect(back)
    shops = shops_by_id(user, ids)
    if not shops:
        messages.error(request, _("사업장을 하나 이상 골라 주세요."))
        return redirect(back)
    results = shop_actions.run(action, shops, actor=user)
    context = {
        "action": shop_actions.Action(action).label,
        "results": [
            (result, request.build_absolute_uri(result.link_path) if result.link else "")
            for result in results
        ],
        "back": back,
    }
    return render(request, "owner/workspace_results.html", context)


@login_required
@require_POST
def client_invite(request: HttpRequest) -> HttpResponse:
    """Let a client see one shop, read only (an e-mail invites them)."""
    user = signed_in_user(request.user)
    raw = request.POST.get("business", "")
    business = get_object_or_404(businesses_for_user(user), pk=int(raw) if raw.isdigit() else 0)
    try:
        invitation = client_viewer_invite(
            business=business, email=request.POST.get("email", ""), actor=user
        )
    except InviteRefused as exc:
        messages.error(request, exc.message)
    else:
        email = invitation.membership.user.email
        text = (
            _(
                "%(email)s 님에게 초대 메일을 보냈어요. 비밀번호를 정하면 %(shop)s을(를) 볼 수 있어요."
            )
            if invitation.new_account
            else _("%(email)s 님이 이제 %(shop)s을(를) 볼 수 있어요. 알림 메일을 보냈어요.")
        )
        messages.success(request, text % {"email": email, "shop": business.name})
    return redirect(_back(request.POST.dict()))
