"""The first-run wizard, from sign-up to a week of posts: 가게, 사진, 메뉴·강점, 채널,
첫 캠페인. Each step saves what it got at once and records where the owner is on the
business (``Business.setup_step``), so closing the phone and coming back resumes there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.services import campaign_create
from content.channels import Channel
from content.models import VoiceMemo
from marketing.industries import starting_point_for
from marketing.models import Business, Membership, Organization, Photo, Product, User
from marketing.selectors import businesses_for_user, role_for
from marketing.services import business_create
from publishing.accounts import ChannelLimitReached, ConnectError, connect_sandbox
from publishing.oauth import OAUTH_PLATFORMS

Step = Business.SetupStep
ORDER = (Step.PHOTOS, Step.MENU, Step.CHANNELS, Step.CAMPAIGN, Step.DONE)
STEPS = (("shop", gettext_lazy("가게")), *tuple((s.value, s.label) for s in ORDER[:-1]))
MAX_QUICK_PRODUCTS = 8
MAX_PRICE = 100_000_000  # ₩100M: above it, a phone number or a slip, not a price
_PRICE = re.compile(r"[^\d]")


def unfinished(user: User) -> Business | None:
    """The shop this person left the wizard on, if any (the newest)."""
    return businesses_for_user(user).exclude(setup_step=Step.DONE).order_by("-created_at").first()


def organization_for(user: User) -> Organization:
    """Where a new shop goes: the first organization the person manages."""
    for membership in user.memberships.select_related("organization").order_by("pk"):
        if role_for(user, membership.organization_id) in (
            Membership.Role.OWNER,
            Membership.Role.MANAGER,
        ):
            return membership.organization
    raise PermissionDenied(_("가게를 추가할 수 있는 조직이 없어요. 관리자에게 문의해 주세요."))


def start(*, user: User, name: str, industry: str, area: str) -> Business:
    """Step 1: the shop, with what its industry suggests for tone and customers."""
    point = starting_point_for(industry)
    return business_create(
        organization=organization_for(user),
        actor=user,
        name=name.strip(),
        industry=industry,
        area=area.strip(),
        tone=point.tone,
        target_customers=point.target_customers,
        setup_step=Step.PHOTOS,
    )


def advance(business: Business, past: str) -> None:
    """The owner finished (or skipped) step ``past``: move to the next one, never back."""
    here = ORDER.index(Step(business.setup_step))
    after = ORDER.index(Step(past)) + 1
    if after > here:
        business.setup_step = ORDER[after]
        Business.objects.filter(pk=business.pk).update(setup_step=business.setup_step)


@dataclass(frozen=True)
class QuickProduct:
    name: str
    price: int | None


def parse_products(rows: list[tuple[str, str]]) -> tuple[list[QuickProduct], list[str]]:
    """Quick-add rows (name, price as typed: "4,500원") into products, and the rows'
    problems in plain words. Empty rows are ignored."""
    products, problems = [], []
    for number, (name, price) in enumerate(rows, start=1):
        name, price = name.strip(), price.strip()
        if not name and not price:
            continue
        if not name:
            problems.append(_("%(n)s번째 줄: 메뉴 이름을 적어 주세요.") % {"n": number})
            continue
        digits = _PRICE.sub("", price)
        if price and not digits:
            problems.append(
                _("%(n)s번째 줄: 가격은 숫자로 적어 주세요 (예: 4500).") % {"n": number}
            )
            continue
        if digits and int(digits) > MAX_PRICE:
            problems.append(
                _("%(n)s번째 줄: 가격이 너무 커요. 원 단위 숫자만 적어 주세요.") % {"n": number}
            )
            continue
        products.append(QuickProduct(name[:120], int(digits) if digits else None))
    return products[:MAX_QUICK_PRODUCTS], problems


def add_products(business: Business, products: list[QuickProduct]) -> int:
    """Step 3: add (or update by name) the menu items; the rest of the menu is kept."""
    with transaction.atomic():
        start_at = business.products.count()
        for offset, item in enumerate(products):
            # By name; a menu that already lists a name twice keeps both, the first updated.
            found = business.products.filter(name=item.name).order_by("pk").first()
            product = found or Product(business=business, name=item.name)
            if item.price is not None or found is None:
                product.price = item.price
            product.is_active = True
            product.sort_order = product.sort_order if found else start_at + offset
            product.save()
    return len(products)


def products_seen(photos: list[Photo], business: Business) -> list[str]:
    """Menu items the photos' analyses saw that the menu does not have yet."""
    have = set(business.products.values_list("name", flat=True))
    seen: list[str] = []
    for photo in photos:
        for name in photo.analysis.products:
            name = str(name).strip()[:120]
            if name and name not in have and name not in seen:
                seen.append(name)
    return seen[:MAX_QUICK_PRODUCTS]


def memo_suggestions(memo: VoiceMemo | None) -> list[QuickProduct]:
    """The menu items a finished voice memo named, to prefill the quick-add rows."""
    if memo is None or memo.status != VoiceMemo.Status.DONE:
        return []
    names = [str(n) for n in (memo.facts or {}).get("products", []) if str(n).strip()]
    return [QuickProduct(name[:120], None) for name in names[:MAX_QUICK_PRODUCTS]]


def memo_brief(memo: VoiceMemo | None) -> dict[str, str]:
    """The goal and offer a finished voice memo spoke of, to prefill the first week."""
    if memo is None or memo.status != VoiceMemo.Status.DONE:
        return {}
    facts = memo.facts or {}
    brief = {}
    if facts.get("goal") in Campaign.Goal.values:
        brief["goal"] = str(facts["goal"])
    if str(facts.get("offer") or "").strip():
        brief["offer"] = str(facts["offer"]).strip()[:200]
    return brief


def sandbox_available() -> bool:
    return bool(settings.SANDBOX_ACCOUNTS_ENABLED)


def connect_trial_accounts(
    business: Business, user: User
) -> tuple[list[str], list[str], list[str]]:
    """Step 4 in sandbox mode: every OAuth channel connected to its simulator in one tap
    (Naver Blog is assisted and needs no account), as many as the plan allows. Returns
    (connected, problems, notes): a plan's limit is a note, not a problem to fix here."""
    connected: list[str] = []
    problems: list[str] = []
    notes: list[str] = []
    for platform in OAUTH_PLATFORMS:
        try:
            connect_sandbox(business, platform, user=user)
        except ChannelLimitReached as exc:
            notes.append(exc.message)
            break
        except ConnectError as exc:
            problems.append(exc.message)
        else:
            connected.append(str(Channel(platform).label))
    return connected, problems, notes


def first_week(*, business: Business, user: User, goal: str, offer: str) -> Campaign:
    """Step 5: a week of posts on every channel, at the industry's rhythm, starting today.
    Raises ValidationError / PermissionDenied like any campaign brief."""
    today = timezone.localtime(timezone.now(), ZoneInfo(business.time_zone)).date()
    campaign = campaign_create(
        business=business,
        actor=user,
        goal=goal,
        offer=offer.strip()[:200],
        starts_on=today,
        ends_on=today + dt.timedelta(days=6),
        channels=list(Channel.values),
        posts_per_week=starting_point_for(business.industry).posts_per_week,
        name=_("첫 주 게시물"),
    )
    advance(business, Step.CAMPAIGN)
    return campaign
