"""Every state change of a ChannelAccount that is not connecting it: flagging it for the
owner to reconnect, and disconnecting it. Connecting (which sets it active again) is
``publishing.accounts``; what a reconnect does for the posts it held back is
``publishing.transitions.reconnect``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing import notify
from publishing.models import ChannelAccount

State = ChannelAccount.State


def mark_needs_reauth(account: ChannelAccount, reason: str) -> bool:
    """Flag an active account for the owner to reconnect and email them once: only the
    move from active sends mail, so every later failure for the same cause is quiet.
    Returns whether this call made the move."""
    now = timezone.now()
    moved = ChannelAccount.objects.filter(pk=account.pk, state=State.ACTIVE).update(
        state=State.NEEDS_REAUTH, state_reason=reason, state_changed_at=now, updated_at=now
    )
    account.refresh_from_db(fields=["state", "state_reason", "state_changed_at"])
    if moved:
        business = account.business
        label = account.get_platform_display()
        name = account.display_name or account.get_mode_display()
        notify.notify_owner(
            business,
            _("%(platform)s 계정을 다시 연결해 주세요") % {"platform": label},
            _(
                "%(business)s의 %(platform)s 계정(%(name)s) 연결이 끊겨 글을 올릴 수 없어요.\n"
                "이유: %(reason)s\n\n아래 링크에서 다시 연결하면, 이 때문에 못 올린 글도 "
                "다시 올려 드려요."
            )
            % {"business": business.name, "platform": label, "name": name, "reason": reason},
            link_path=reverse("publishing:channels", args=[business.pk]),
        )
    return bool(moved)


def disconnect(account: ChannelAccount) -> ChannelAccount:
    """Stop using the account, from any state: state disabled and every secret wiped.
    Idempotent."""
    now = timezone.now()
    ChannelAccount.objects.filter(pk=account.pk).update(
        state=State.DISABLED,
        state_reason=_("연결을 끊었어요."),
        state_changed_at=now,
        access_token="",
        refresh_token="",
        api_password="",
        token_expires_at=None,
        updated_at=now,
    )
    account.refresh_from_db()
    return account
