"""The price plans, installed after migrate when missing (never overwritten: prices and
quotas are edited in the admin afterwards)."""

from __future__ import annotations

from django.conf import settings

from marketing.models import Plan

# code: (name, monthly price in KRW); quotas come from settings.PLAN_MONTHLY_PIECE_QUOTAS.
# The prices are the business plan's (001): Pro ₩29,000 and Business ₩59,000 a month.
DEFAULT_PLANS = {
    "starter": ("Starter", 0),
    "pro": ("Pro", 29000),
    "business": ("Business", 59000),
}
# code: (connected channels per shop, seats, shops); None is no limit. Starter is one
# shop's owner trying two channels; Pro is one shop on every channel with a few helpers;
# Business is an agency's tier (docs/agency.md).
PLAN_LIMITS: dict[str, tuple[int | None, int | None, int | None]] = {
    "starter": (2, 1, 1),
    "pro": (4, 3, 3),
    "business": (4, 15, 200),
}
LIMIT_FIELDS = ("max_channels", "max_seats", "max_businesses")
# Earlier releases installed Pro at 49,000 and Business at 149,000: marketing 0008 moves a
# plan still at those prices.


def plans_install() -> list[str]:
    """Create the default plans that do not exist yet; returns the codes created."""
    created = []
    for code, (name, price) in DEFAULT_PLANS.items():
        _plan, was_created = Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "price_krw": price,
                "monthly_piece_quota": settings.PLAN_MONTHLY_PIECE_QUOTAS[code],
                **dict(zip(LIMIT_FIELDS, PLAN_LIMITS[code], strict=True)),
            },
        )
        if was_created:
            created.append(code)
    return created
