"""The owner's "채널 연결" page: each platform's accounts and their state, connecting
(OAuth, sandbox, Naver assisted or XML-RPC), reconnecting and disconnecting.

Everyone in the organization sees the page; managers and owners change it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.channels import Channel
from marketing.models import Business, Membership
from marketing.selectors import businesses_for_user, has_role, scope_for_user, signed_in_user
from publishing import account_transitions, accounts, oauth
from publishing.forms import NaverXmlRpcForm
from publishing.models import ChannelAccount

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MANAGER = Membership.Role.MANAGER
# The order the page lists the platforms in.
PLATFORMS = (Channel.INSTAGRAM, Channel.THREADS, Channel.YOUTUBE_SHORTS, Channel.NAVER_BLOG)


@dataclass
class PlatformPanel:
    platform: str
    label: StrPromise  # translated when shown
    oauth: bool  # connected with OAuth (Naver is not)
    api_configured: bool  # the real app's keys are set
    accounts: list[ChannelAccount] = field(default_factory=list)

    @property
    def assisted_active(self) -> bool:
        return any(
            account.mode == ChannelAccount.Mode.ASSISTED and account.usable
            for account in self.accounts
        )


def _business(request: HttpRequest, pk: int) -> Business:
    return get_object_or_404(businesses_for_user(request.user), pk=pk)


def _back(business_id: int) -> HttpResponse:
    return redirect("publishing:channels", pk=business_id)


@login_required
def channels(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_channels(request, _business(request, pk))


def _render_channels(
    request: HttpRequest, business: Business, *, naver_form: NaverXmlRpcForm | None = None
) -> HttpResponse:
    # Keyed by Channel, a str: an account's platform (a plain str) finds its panel.
    panels: dict[str, PlatformPanel] = {
        platform: PlatformPanel(
            platform=platform,
            label=platform.label,
            oauth=platform in oauth.OAUTH_PLATFORMS,
            api_configured=oauth.api_configured(platform),
        )
        for platform in PLATFORMS
    }
    for account in business.channel_accounts.select_related("connected_by").order_by(
        "mode", "created_at"
    ):
        if account.platform in panels:
            panels[account.platform].accounts.append(account)
    sandbox_allowed = settings.SANDBOX_ACCOUNTS_ENABLED
    context = {
        "business": business,
        "panels": list(panels.values()),
        "can_manage": has_role(request.user, business, MANAGER),
        "sandbox_allowed": sandbox_allowed,
        "naver_form": naver_form or NaverXmlRpcForm(sandbox_allowed=sandbox_allowed),
    }
    return render(request, "publishing/channels.html", context)


@login_required
@require_POST
def channel_connect(request: HttpRequest, pk: int, platform: str) -> HttpResponse:
    business = _business(request, pk)
    accounts.require_manager(request.user, business)
    if platform not in oauth.OAUTH_PLATFORMS:
        raise Http404
    sandbox = request.POST.get("mode") == ChannelAccount.Mode.SANDBOX
    try:
        consent_url = accounts.connect_start(request, business, platform, sandbox=sandbox)
    except accounts.ConnectError as error:
        messages.error(request, error.message)
        return _back(business.pk)
    return redirect(consent_url)


@login_required
def channel_callback(request: HttpRequest, platform: str) -> HttpResponse:
    if platform not in oauth.OAUTH_PLATFORMS:
        raise Http404
    try:
        account = accounts.connect_finish(request, platform)
    except accounts.ConnectError as error:
        messages.error(request, error.message)
        if error.business_id is None:
            return redirect("marketing:dashboard")
        return _back(error.business_id)
    messages.success(
        request,
        _("%(platform)s 계정을 연결했어요: %(name)s")
        % {"platform": account.get_platform_display(), "name": account.display_name},
    )
    return _back(account.business_id)


@login_required
@require_POST
def naver_assisted(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    accounts.require_manager(request.user, business)
    accounts.connect_naver(
        business, signed_in_user(request.user), mode=ChannelAccount.Mode.ASSISTED
    )
    messages.success(
        request, _("네이버 블로그는 직접 게시 도우미로 올려요. 시간이 되면 올릴 글을 보내 드려요.")
    )
    return _back(business.pk)


@login_required
@require_POST
def naver_xmlrpc(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    accounts.require_manager(request.user, business)
    form = NaverXmlRpcForm(request.POST, sandbox_allowed=settings.SANDBOX_ACCOUNTS_ENABLED)
    if form.is_valid():
        try:
            account = accounts.connect_naver(
                business,
                signed_in_user(request.user),
                mode=form.cleaned_data["mode"],
                blog_id=form.cleaned_data["blog_id"],
                username=form.cleaned_data["username"],
                api_password=form.cleaned_data["api_password"],
            )
        except accounts.ConnectError as error:  # Naver refused, or the plan has no room
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("네이버 블로그를 API로 연결했어요: %(blog)s") % {"blog": account.external_id},
            )
            return _back(business.pk)
    return _render_channels(request, business, naver_form=form)


@login_required
@require_POST
def channel_disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(
        scope_for_user(ChannelAccount.objects.select_related("business"), request.user), pk=pk
    )
    accounts.require_manager(request.user, account.business)
    account_transitions.disconnect(account)
    messages.success(request, _("%(account)s 연결을 끊었어요.") % {"account": account})
    return _back(account.business_id)
