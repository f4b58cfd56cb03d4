"""Channel accounts: connecting them (OAuth, Naver XML-RPC, assisted) and refreshing
their tokens. Flagging them for the owner to reconnect and disconnecting them are
``publishing.account_transitions``.

The OAuth protocol is ``publishing.oauth``; this module owns what is kept (the pending
connection in the session, the account row) and what the owner reads.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.channels import Channel
from core.http import http_session
from marketing import limits
from marketing.models import Business, Membership, User
from marketing.selectors import businesses_for_user, has_role
from publishing import oauth, transitions
from publishing.account_transitions import mark_needs_reauth
from publishing.models import ChannelAccount
from publishing.naver_connect import NaverLoginFailed, naver_users_blogs
from publishing.publishers.base import ErrorKind, PublishError

logger = logging.getLogger(__name__)

Mode = ChannelAccount.Mode
State = ChannelAccount.State
SESSION_KEY = "channel_connect"  # pending OAuth connections, by state
PENDING_TTL = dt.timedelta(minutes=30)  # a consent page left open longer starts over
PENDING_MAX = 5  # connections started in other tabs and never finished


class ConnectError(Exception):
    """Connecting did not work: ``message`` is for the owner; ``business_id`` says which
    business's page to go back to (None when the request cannot be tied to one)."""

    def __init__(self, message: str, *, business_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.business_id = business_id


class ChannelLimitReached(ConnectError):
    """The plan has no room for another connected channel on this shop."""


class TokenRefreshError(PublishError):
    """A refresh that may work later (the platform is down or slow). A PublishError so a
    publication that needed the fresh token backs off and retries like any transient
    failure."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message, kind=ErrorKind.TRANSIENT, detail=detail)


class RefreshOutcome(enum.StrEnum):
    REFRESHED = "refreshed"
    NOT_DUE = "not_due"  # nothing to refresh, or too young to refresh (Meta: 24 h)
    NEEDS_REAUTH = "needs_reauth"  # the platform refused: the owner has to reconnect


def platform_label(platform: str) -> str:
    return str(Channel(platform).label) if platform in Channel.values else platform


# --- OAuth connections ------------------------------------------------------------------


def connect_start(request: HttpRequest, business: Business, platform: str, *, sandbox: bool) -> str:
    """Start connecting ``platform`` for ``business``: returns the consent page to send
    the owner to. What the callback needs (business, platform, mode, redirect URI) stays
    in the session under a fresh random state, so a callback nobody started here is
    refused. Raises ConnectError when the platform cannot be connected this way."""
    require_manager(request.user, business)
    if platform not in oauth.OAUTH_PLATFORMS:
        raise ConnectError(_("이 채널은 이 방식으로 연결할 수 없어요."), business_id=business.pk)
    if sandbox and not settings.SANDBOX_ACCOUNTS_ENABLED:
        raise ConnectError(_("샌드박스 연결이 꺼져 있어요."), business_id=business.pk)
    require_channel_room(business, platform, Mode.SANDBOX if sandbox else Mode.API)
    try:
        client = oauth.client_for(platform, sandbox=sandbox)
    except oauth.NotConfigured:
        raise ConnectError(
            _("%(platform)s 앱 키가 아직 설정되지 않아 실제 계정을 연결할 수 없어요.")
            % {"platform": platform_label(platform)},
            business_id=business.pk,
        ) from None
    state = secrets.token_urlsafe(32)
    redirect_uri = _redirect_uri(request, platform, sandbox=sandbox)
    pending = _pending(request)
    pending[state] = {
        "business": business.pk,
        "platform": platform,
        "mode": Mode.SANDBOX if sandbox else Mode.API,
        "redirect_uri": redirect_uri,
        "started_at": timezone.now().isoformat(),
    }
    _keep_pending(request, pending)
    return client.authorization_url(redirect_uri=redirect_uri, state=state)


def connect_finish(request: HttpRequest, platform: str) -> ChannelAccount:
    """The platform sent the owner back: check the state, trade the code for tokens,
    read who connected, and save the account (a reconnect updates the same row and
    sets it active again). Raises ConnectError (denied, expired, bad code), with nothing
    changed; PermissionDenied when the user may no longer connect for the business."""
    state = request.GET.get("state", "")
    pending = _pending(request)
    started = pending.pop(state, None) if state else None
    _keep_pending(request, pending)
    if started is None or started["platform"] != platform:
        raise ConnectError(
            _("연결 요청을 확인할 수 없어요. 채널 연결 화면에서 다시 시작해 주세요.")
        )
    business_id = int(started["business"])
    business = businesses_for_user(request.user).filter(pk=business_id).first()
    if business is None:
        raise ConnectError(
            _("연결 요청을 확인할 수 없어요. 채널 연결 화면에서 다시 시작해 주세요.")
        )
    require_manager(request.user, business)
    label = platform_label(platform)
    if request.GET.get("error"):
        denied = request.GET["error"] == "access_denied"
        raise ConnectError(
            _("%(platform)s 연결을 취소했어요. 연결하려면 다시 눌러 권한을 허용해 주세요.")
            % {"platform": label}
            if denied
            else _("%(platform)s에서 연결을 거절했어요: %(reason)s")
            % {
                "platform": label,
                "reason": request.GET.get("error_description") or request.GET["error"],
            },
            business_id=business_id,
        )
    code = request.GET.get("code", "")
    if not code:
        raise ConnectError(
            _("%(platform)s에서 연결 코드를 받지 못했어요. 다시 시도해 주세요.")
            % {"platform": label},
            business_id=business_id,
        )
    sandbox = started["mode"] == Mode.SANDBOX
    client = oauth.client_for(platform, sandbox=sandbox)
    try:
        grant = client.exchange_code(code=code, redirect_uri=started["redirect_uri"])
        identity = client.identify(grant)
    except oauth.OAuthError as error:
        logger.info("connecting %s for business %s failed: %s", platform, business_id, error)
        raise ConnectError(_connect_failure(label, error), business_id=business_id) from error
    return _save_connected(
        business,
        platform=platform,
        mode=started["mode"],
        external_id=identity.external_id,
        fields=_granted(grant, identity),
        user=request.user,
    )


def _granted(grant: oauth.Grant, identity: oauth.Identity) -> dict[str, Any]:
    """An OAuth account's row after a consent: who it is and its fresh tokens."""
    now = timezone.now()
    return {
        "display_name": identity.display_name[:120],
        "access_token": grant.access_token,
        "refresh_token": grant.refresh_token,
        "token_expires_at": grant.expires_at(now),
        "token_refreshed_at": now,
        "scopes": ",".join(grant.scopes)[:500],
        "api_password": "",
        # A new consent may grant what was refused: the collector asks again.
        "refused_metrics": [],
    }


def connect_sandbox(business: Business, platform: str, *, user: User) -> ChannelAccount:
    """Connect a sandbox account in one step, for the first-run wizard: the same OAuth
    exchange as the owner's browser does, run here against the platform simulator (whose
    consent page takes ``decision=allow``). Raises ConnectError with the owner's reason."""
    require_manager(user, business)
    label = platform_label(platform)
    if not settings.SANDBOX_ACCOUNTS_ENABLED or platform not in oauth.OAUTH_PLATFORMS:
        raise ConnectError(_("샌드박스 연결이 꺼져 있어요."), business_id=business.pk)
    require_channel_room(business, platform, Mode.SANDBOX)
    client = oauth.client_for(platform, sandbox=True)
    redirect_uri = f"{settings.PUBLIC_BASE_URL.rstrip('/')}" + reverse(
        "publishing:callback", args=[platform]
    )
    consent = client.authorization_url(redirect_uri=redirect_uri, state=secrets.token_urlsafe(16))
    try:
        with http_session() as session:
            answer = session.get(f"{consent}&decision=allow", allow_redirects=False)
        code = parse_qs(urlsplit(answer.headers.get("Location", "")).query).get("code", [""])[0]
        if not code:
            raise oauth.OAuthError(f"no code ({answer.status_code})", permanent=False)
        grant = client.exchange_code(code=code, redirect_uri=redirect_uri)
        identity = client.identify(grant)
    except (oauth.OAuthError, requests.RequestException) as error:
        logger.info("sandbox connect of %s for %s failed: %s", platform, business.pk, error)
        raise ConnectError(
            _("%(platform)s 체험용 계정을 연결하지 못했어요. 잠시 후 다시 시도해 주세요.")
            % {"platform": label},
            business_id=business.pk,
        ) from error
    return _save_connected(
        business,
        platform=platform,
        mode=Mode.SANDBOX,
        external_id=identity.external_id,
        fields=_granted(grant, identity),
        user=user,
    )


def _connect_failure(label: str, error: oauth.OAuthError) -> str:
    if error.code == "no_channel":
        return _(
            "이 구글 계정에는 유튜브 채널이 없어요. 유튜브에서 채널을 만든 뒤 다시 연결해 주세요."
        )
    if not error.permanent:
        return _("%(platform)s에서 잠시 응답이 없어요. 잠시 뒤 다시 연결해 주세요.") % {
            "platform": label
        }
    return _("%(platform)s 연결에 실패했어요(%(reason)s). 처음부터 다시 연결해 주세요.") % {
        "platform": label,
        "reason": error.detail[:200],
    }


def _redirect_uri(request: HttpRequest, platform: str, *, sandbox: bool) -> str:
    path = reverse("publishing:callback", args=[platform])
    if sandbox:
        # The simulators take any address: the one the owner is on keeps their session.
        return request.build_absolute_uri(path)
    # Real platforms only send the owner back to the address registered with the app.
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The connections this session started and has not finished, without stale ones."""
    cutoff = timezone.now() - PENDING_TTL
    return {
        state: started
        for state, started in request.session.get(SESSION_KEY, {}).items()
        if dt.datetime.fromisoformat(started["started_at"]) >= cutoff
    }


def _keep_pending(request: HttpRequest, pending: dict[str, dict[str, Any]]) -> None:
    newest = sorted(pending.items(), key=lambda item: item[1]["started_at"])[-PENDING_MAX:]
    request.session[SESSION_KEY] = dict(newest)


def require_channel_room(business: Business, platform: str, mode: str) -> None:
    """Refuse before the owner goes through a platform's consent when the plan has no room
    for another channel (ChannelLimitReached). A platform already connected this way is a
    reconnect and passes; ``_save_connected`` checks again on the very account."""
    if mode == Mode.ASSISTED:
        return
    connected = business.channel_accounts.filter(
        limits.COUNTED_CHANNEL, platform=platform, mode=mode
    )
    if connected.exists():
        return
    refusal = limits.channel_refusal(business)
    if refusal is not None:
        raise ChannelLimitReached(refusal, business_id=business.pk)


def require_manager(user: Any, business: Business) -> None:
    """Managers and owners connect and disconnect; staff only look (PermissionDenied)."""
    if not has_role(user, business, Membership.Role.MANAGER):
        raise PermissionDenied(_("매니저 이상만 채널을 연결하거나 끊을 수 있어요."))


def _save_connected(
    business: Business,
    *,
    platform: str,
    mode: str,
    external_id: str,
    fields: dict[str, Any],
    user: Any,
) -> ChannelAccount:
    """Insert or update the account (business, platform, mode, external id), active.
    Raises ChannelLimitReached when the plan has no room for it (a reconnect of an account
    that counts already takes none; the assisted helper never counts)."""
    now = timezone.now()
    with transaction.atomic():
        # The shop's row first: two connections finishing at once take the last place in turn.
        Business.objects.select_for_update().only("pk").get(pk=business.pk)
        if mode != Mode.ASSISTED:
            existing = (
                ChannelAccount.objects.filter(
                    business=business, platform=platform, mode=mode, external_id=external_id
                )
                .values_list("pk", flat=True)
                .first()
            )
            refusal = limits.channel_refusal(business, account_id=existing)
            if refusal is not None:
                raise ChannelLimitReached(refusal, business_id=business.pk)
        account, created = ChannelAccount.objects.select_for_update().get_or_create(
            business=business, platform=platform, mode=mode, external_id=external_id
        )
        for name, value in fields.items():
            setattr(account, name, value)
        account.state = State.ACTIVE
        account.state_reason = ""
        account.state_changed_at = now
        account.connected_by = user if getattr(user, "is_authenticated", False) else None
        account.save()
        if not created:
            transaction.on_commit(lambda: transitions.reconnect(account))
    return account


# --- Naver Blog -------------------------------------------------------------------------


class NaverVerificationError(ConnectError):
    """Naver did not accept the blog id, user name and API password."""


def connect_naver(
    business: Business,
    user: User | None,
    *,
    mode: str = Mode.ASSISTED,
    blog_id: str = "",
    username: str = "",
    api_password: str = "",
) -> ChannelAccount:
    """Naver Blog: assisted publishing (the default), or the opt-in XML-RPC connection
    (``mode`` api or sandbox) whose user name and API password are checked with
    ``blogger.getUsersBlogs`` before anything is saved. Idempotent. Raises
    NaverVerificationError when Naver refuses them or cannot be reached."""
    if user is not None:
        require_manager(user, business)
    if mode == Mode.ASSISTED:
        return _save_connected(
            business,
            platform=Channel.NAVER_BLOG,
            mode=Mode.ASSISTED,
            external_id="",
            fields={"display_name": _("직접 게시 도우미")},
            user=user,
        )
    if mode == Mode.SANDBOX and not settings.SANDBOX_ACCOUNTS_ENABLED:
        raise NaverVerificationError(_("샌드박스 연결이 꺼져 있어요."), business_id=business.pk)
    require_channel_room(business, Channel.NAVER_BLOG, mode)
    try:
        blogs = naver_users_blogs(username, api_password, sandbox=mode == Mode.SANDBOX)
    except NaverLoginFailed as error:
        raise NaverVerificationError(error.message) from error
    wanted = blog_id.strip() or username
    blog = next((b for b in blogs if b.blog_id == wanted), None)
    if blog is None and not blog_id.strip() and len(blogs) == 1:
        blog = blogs[0]
    if blog is None:
        raise NaverVerificationError(
            _(
                "이 아이디로 찾은 블로그(%(found)s)에 '%(blog)s' 블로그는 없어요. 블로그 아이디를 확인해 주세요."
            )
            % {"found": ", ".join(b.blog_id for b in blogs) or "-", "blog": wanted},
            business_id=business.pk,
        )
    # The publisher logs in with display_name as the user name (jobs.build_job).
    return _save_connected(
        business,
        platform=Channel.NAVER_BLOG,
        mode=mode,
        external_id=blog.blog_id,
        fields={
            "display_name": username,
            "api_password": api_password,
            "access_token": "",
            "refresh_token": "",
            "token_expires_at": None,
            "scopes": "",
        },
        user=user,
    )


# --- Refresh ----------------------------------------------------------------------------


def refresh_account(account: ChannelAccount, *, now: dt.datetime | None = None) -> RefreshOutcome:
    """Refresh the account's token if it can be: Meta tokens once they are a day old and
    before they expire, Google's with the stored refresh token (kept when Google sends
    none). A refusal marks the account needs_reauth (and tells the owner once).

    Raises TokenRefreshError when the platform could not answer; nothing is changed."""
    now = now or timezone.now()
    if (
        account.platform not in oauth.OAUTH_PLATFORMS
        or account.mode == Mode.ASSISTED
        or account.state != State.ACTIVE
    ):
        return RefreshOutcome.NOT_DUE
    label = platform_label(account.platform)
    try:
        client = oauth.client_for(account.platform, sandbox=account.mode == Mode.SANDBOX)
    except oauth.NotConfigured:
        mark_needs_reauth(
            account, _("%(platform)s 앱 키가 설정되어 있지 않아요.") % {"platform": label}
        )
        return RefreshOutcome.NEEDS_REAUTH
    if not client.can_refresh(account.token_refreshed_at, now):
        return RefreshOutcome.NOT_DUE
    expired = account.token_expires_at is not None and account.token_expires_at <= now
    if not account.access_token or (expired and not client.refreshes_expired):
        # A Meta token cannot be refreshed once it has expired.
        mark_needs_reauth(
            account,
            _("%(platform)s 연결이 만료되었어요. 다시 연결해 주세요.") % {"platform": label},
        )
        return RefreshOutcome.NEEDS_REAUTH
    try:
        grant = client.refresh(
            access_token=account.access_token, refresh_token=account.refresh_token
        )
    except oauth.OAuthError as error:
        if not error.permanent:
            raise TokenRefreshError(
                _("%(platform)s 토큰을 갱신하지 못했어요. 잠시 뒤 다시 시도해요.")
                % {"platform": label},
                detail=error.detail,
            ) from error
        mark_needs_reauth(
            account,
            _("%(platform)s에서 연결을 더 이상 받아 주지 않아요(%(reason)s). 다시 연결해 주세요.")
            % {"platform": label, "reason": error.detail[:200]},
        )
        return RefreshOutcome.NEEDS_REAUTH
    account.access_token = grant.access_token
    account.refresh_token = grant.refresh_token or account.refresh_token
    account.token_expires_at = grant.expires_at(now)
    account.token_refreshed_at = now
    if grant.scopes:
        account.scopes = ",".join(grant.scopes)[:500]
    account.save(
        update_fields=[
            "access_token",
            "refresh_token",
            "token_expires_at",
            "token_refreshed_at",
            "scopes",
            "updated_at",
        ]
    )
    return RefreshOutcome.REFRESHED


def due_for_refresh(now: dt.datetime) -> Any:
    """Active OAuth accounts whose token expires within TOKEN_REFRESH_BEFORE_DAYS (Meta:
    only those at least 24 hours old, the youngest Meta refreshes)."""
    horizon = now + dt.timedelta(days=settings.TOKEN_REFRESH_BEFORE_DAYS)
    too_young = Q()  # tokens the platform will not refresh yet (Meta: younger than 24 h)
    for platform, client in oauth.CLIENTS.items():
        if client.min_refresh_age:
            too_young |= Q(platform=platform, token_refreshed_at__gt=now - client.min_refresh_age)
    return (
        ChannelAccount.objects.filter(
            state=State.ACTIVE,
            mode__in=(Mode.API, Mode.SANDBOX),
            platform__in=oauth.OAUTH_PLATFORMS,
            token_expires_at__lte=horizon,
        )
        .exclude(too_young)
        .select_related("business")
        .order_by("token_expires_at")
    )


def refresh_due_tokens(now: dt.datetime | None = None) -> int:
    """Refresh every token due (see ``due_for_refresh``); returns how many were
    refreshed. A platform that is down is logged and left for the next run."""
    now = now or timezone.now()
    refreshed = 0
    for account in due_for_refresh(now):
        try:
            outcome = refresh_account(account, now=now)
        except TokenRefreshError as error:
            logger.warning("token refresh for account %s failed: %s", account.pk, error)
            continue
        refreshed += outcome is RefreshOutcome.REFRESHED
    return refreshed
