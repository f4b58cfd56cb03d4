"""Client viewers: the agency lets a client see their own shop (results, calendar, posts),
read only. The client gets an e-mail; someone new sets a password through allauth's
password-reset page (the link in the e-mail), so no password ever travels or is chosen
for them, and the account can do nothing until they have set one."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from marketing.audit import Action, audit
from marketing.models import Business, Membership, User
from marketing.selectors import has_role


class InviteRefused(Exception):
    """The plain reason a client viewer cannot be added."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    new_account: bool  # the person had no account: the e-mail asks them to set a password


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def password_set_url(user: User) -> str:
    """allauth's password-reset page for ``user`` (valid for PASSWORD_RESET_TIMEOUT)."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return _absolute(path)


def client_viewer_invite(*, business: Business, email: str, actor: User) -> Invitation:
    """Let the person at ``email`` see ``business`` read only, creating their account if
    needed (with no usable password), and e-mail them. A client viewer of another shop of
    the same organization is moved to this one (a client sees one shop).

    Raises InviteRefused: the actor is not a manager here, a bad address, or the person is
    already a member of the organization (a member sees more than a client).
    """
    if not has_role(actor, business, Membership.Role.MANAGER):
        raise InviteRefused(_("매니저 이상만 고객을 초대할 수 있어요."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InviteRefused(_("이메일 주소를 다시 확인해 주세요.")) from None
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        new_account = user is None
        if user is None:
            user = User.objects.create_user(email, password=None)  # unusable until set
        membership = Membership.objects.filter(
            organization_id=business.organization_id, user=user
        ).first()
        if membership is not None and membership.role != Membership.Role.CLIENT:
            raise InviteRefused(
                _("이미 이 조직의 구성원이에요. 고객으로 따로 초대할 필요가 없어요.")
            )
        if membership is None:
            membership = Membership.objects.create(
                organization_id=business.organization_id,
                user=user,
                role=Membership.Role.CLIENT,
                business=business,
            )
        else:
            membership.business = business
            membership.save(update_fields=["business", "updated_at"])
        audit(
            business.organization_id,
            Action.ROLE_CHANGED,
            _("%(email)s 님이 %(shop)s을(를) 고객으로 볼 수 있게 했어요.")
            % {"email": email, "shop": business.name},
            actor=actor,
            business=business,
            user=user.pk,
            role=Membership.Role.CLIENT,
        )
        transaction.on_commit(lambda: _send(user, business, new_account=new_account))
    return Invitation(membership, new_account)


def _send(user: User, business: Business, *, new_account: bool) -> None:
    agency = business.organization.name
    if new_account or not user.has_usable_password():
        step = _(
            "아래 링크에서 비밀번호를 정하면 바로 볼 수 있어요 (링크는 며칠 뒤 만료돼요. "
            "그 뒤에는 로그인 화면의 비밀번호 찾기를 써 주세요):"
        )
        url = password_set_url(user)
    else:
        step = _("쓰시던 계정으로 로그인하면 볼 수 있어요:")
        url = _absolute(reverse("account_login"))
    body = _(
        "%(agency)s에서 %(shop)s의 게시 일정과 결과를 볼 수 있게 초대했어요. "
        "보기 전용이라 글을 바꾸거나 올리지는 않아요.\n\n%(step)s\n%(url)s"
    ) % {"agency": agency, "shop": business.name, "step": step, "url": url}
    subject = _("[Gagecast] %(shop)s 보기 초대") % {"shop": business.name}
    send_mail(subject, body, None, [user.email])
