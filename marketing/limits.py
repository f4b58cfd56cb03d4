"""The plan's limits beside the monthly piece quota: shops per organization, seats, and
connected channels per shop, with the usage behind each.

Every path that adds one of these goes through a check here (the services, the admin,
the import, every way of connecting a channel); a refusal names the plan, the limit and
what to do, in plain Korean. An organization with no plan has no limits, as it has no
piece quota (``marketing.quota``): operators leave the plan blank on purpose.

What counts:
- shops: the organization's businesses that are not archived;
- seats: memberships other than client viewers (a client sees one shop, read only);
- channels: a shop's accounts that are connected (not disabled) and not the assisted
  helper (Naver Blog's 직접 게시 도우미 costs nothing to run).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from marketing.models import Business, Membership, Organization, Plan, User
from marketing.quota import pieces_used_this_month

# ChannelAccount lives in publishing, which marketing may not import: its stored values.
ASSISTED_MODE = "assisted"
DISABLED_STATE = "disabled"
COUNTED_CHANNEL = ~Q(mode=ASSISTED_MODE) & ~Q(state=DISABLED_STATE)


class LimitReached(ValidationError):
    """A plan's limit refuses the change. A ValidationError for the whole form, so forms
    show it beside what was typed; ``reason`` is the owner's sentence, ``limit`` which
    limit it was (businesses, seats, channels)."""

    def __init__(self, reason: str, *, limit: str) -> None:
        super().__init__({NON_FIELD_ERRORS: [reason]})
        self.reason = reason
        self.limit = limit


@dataclass(frozen=True)
class Figure:
    """How much of one limit is used; ``limit`` None is no limit."""

    used: int
    limit: int | None

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit


@dataclass(frozen=True)
class ShopChannels:
    business: Business
    channels: Figure


@dataclass(frozen=True)
class Usage:
    """Everything the plan limits, for the plan page and the agency workspace."""

    organization: Organization
    plan: Plan | None
    pieces: Figure  # this month, in the product's time zone
    businesses: Figure
    seats: Figure
    channels: list[ShopChannels]


def locked_organization(organization_id: int) -> Organization:
    """The organization's row, locked until the transaction ends, with its plan: two
    requests taking the last shop or seat take turns. Call inside transaction.atomic."""
    # Only the organization row: PostgreSQL refuses FOR UPDATE on the plan's outer join.
    return (
        Organization.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=organization_id)
    )


# --- What counts ---------------------------------------------------------------------------


def counted_businesses(organization: Organization) -> QuerySet[Business]:
    return Business.objects.filter(organization=organization, archived_at__isnull=True)


def counted_seats(organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).exclude(role=Membership.Role.CLIENT)


def counted_channels(business: Business) -> QuerySet:
    return business.channel_accounts.filter(COUNTED_CHANNEL)


# --- Refusals (None when there is room) ----------------------------------------------------


def business_refusal(organization: Organization) -> str | None:
    """Why the organization may not add one more shop, or None."""
    plan = organization.plan
    limit = plan.max_businesses if plan else None
    if plan is None or limit is None or counted_businesses(organization).count() < limit:
        return None
    return _(
        "%(plan)s 요금제는 사업장을 %(limit)s곳까지 쓸 수 있어요. "
        "요금제를 올리거나 쓰지 않는 사업장을 보관해 주세요."
    ) % {"plan": plan.name, "limit": limit}


def seat_refusal(
    organization: Organization, *, user: User | None = None, adding: int = 1
) -> str | None:
    """Why the organization may not seat ``adding`` more members, or None. A ``user``
    who already holds a seat there (a role change) takes no new one."""
    plan = organization.plan
    limit = plan.max_seats if plan else None
    if plan is None or limit is None or adding <= 0:
        return None
    seats = counted_seats(organization)
    if user is not None and seats.filter(user=user).exists():
        return None
    if seats.count() + adding <= limit:
        return None
    return seat_message(plan, limit)


def seat_message(plan: Plan, limit: int) -> str:
    return _(
        "%(plan)s 요금제는 멤버를 %(limit)s명까지 둘 수 있어요. 요금제를 올리거나 "
        "함께하지 않는 멤버를 빼 주세요. 고객(보기 전용)은 세지 않아요."
    ) % {"plan": plan.name, "limit": limit}


def channel_refusal(business: Business, *, account_id: int | None = None) -> str | None:
    """Why the shop may not connect one more channel, or None. The account ``account_id``
    already counted (a reconnect) takes no new place."""
    plan = business.organization.plan
    limit = plan.max_channels if plan else None
    if plan is None or limit is None:
        return None
    counted = counted_channels(business)
    if account_id is not None and counted.filter(pk=account_id).exists():
        return None
    if counted.count() < limit:
        return None
    return _(
        "%(plan)s 요금제는 사업장마다 채널을 %(limit)s개까지 연결할 수 있어요. 요금제를 "
        "올리거나 쓰지 않는 채널의 연결을 끊어 주세요. 네이버 블로그 직접 게시 도우미는 "
        "세지 않아요."
    ) % {"plan": plan.name, "limit": limit}


# --- Checks (raise LimitReached) -----------------------------------------------------------


def check_business_room(organization: Organization) -> None:
    refusal = business_refusal(organization)
    if refusal is not None:
        raise LimitReached(refusal, limit="businesses")


def check_seat_room(organization: Organization, *, user: User | None = None) -> None:
    refusal = seat_refusal(organization, user=user)
    if refusal is not None:
        raise LimitReached(refusal, limit="seats")


def check_channel_room(business: Business, *, account_id: int | None = None) -> None:
    refusal = channel_refusal(business, account_id=account_id)
    if refusal is not None:
        raise LimitReached(refusal, limit="channels")


# --- Usage -------------------------------------------------------------------------------------


def usage_for(organization: Organization) -> Usage:
    """Each limit of the organization's plan with what is used of it: pieces this month,
    shops, seats, and connected channels per shop (its shops that are not archived, by
    name). A constant number of queries whatever the number of shops."""
    plan = organization.plan
    shops = list(
        counted_businesses(organization)
        .annotate(
            _channels=Count(
                "channel_accounts",
                filter=~Q(channel_accounts__mode=ASSISTED_MODE)
                & ~Q(channel_accounts__state=DISABLED_STATE),
            )
        )
        .order_by("name", "pk")
    )
    channel_limit = plan.max_channels if plan else None
    return Usage(
        organization=organization,
        plan=plan,
        pieces=Figure(
            pieces_used_this_month(organization), plan.monthly_piece_quota if plan else None
        ),
        businesses=Figure(len(shops), plan.max_businesses if plan else None),
        seats=Figure(counted_seats(organization).count(), plan.max_seats if plan else None),
        channels=[ShopChannels(shop, Figure(shop._channels, channel_limit)) for shop in shops],
    )
