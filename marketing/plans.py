"""The price plans, installed after migrate when missing (never overwritten: prices and
quotas are edited in the admin afterwards)."""

from __future__ import annotations

from django.conf import settings

from marketing.models import Plan

# code: (name, monthly price in KRW); quotas come from settings.PLAN_MONTHLY_PIECE_QUOTAS.
DEFAULT_PLANS = {
    "starter": ("Starter", 0),
    "pro": ("Pro", 49000),
    "business": ("Business", 149000),
}


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
            },
        )
        if was_created:
            created.append(code)
    return created
