"""The plan's monthly piece quota and the usage records behind it.

A piece is reserved (a usage record written under a row lock on the
organization) before any generation call, and released if the piece is not
produced, so two workers cannot both take the last piece and a failed piece
costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketing.models import Business, Organization, UsageRecord


@dataclass(frozen=True)
class LlmCall:
    """One model call, for usage records and cost."""

    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    thoughts_tokens: int = 0
    cached_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    cache_hit: bool = False


class QuotaExceeded(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    """The start of the current month in the product's time zone (as an aware datetime)."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def pieces_used_this_month(organization: Organization) -> int:
    used = UsageRecord.objects.filter(
        organization=organization, kind=UsageRecord.Kind.PIECE, created_at__gte=month_start()
    ).aggregate(total=Sum("quantity"))["total"]
    return used or 0


def piece_quota_reserve(*, business: Business) -> UsageRecord:
    """Reserve one piece of the month's quota. Raises QuotaExceeded with the reason."""
    with transaction.atomic():
        # Lock only the organization row: PostgreSQL refuses FOR UPDATE on the
        # nullable side of the outer join to the plan.
        organization = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("plan")
            .get(pk=business.organization_id)
        )
        quota = organization.plan.monthly_piece_quota if organization.plan else None
        if quota is not None and pieces_used_this_month(organization) >= quota:
            raise QuotaExceeded(
                _(
                    "이번 달 생성 한도(%(quota)s개)를 모두 사용했습니다. "
                    "다음 달 1일에 다시 채워지며, 요금제를 올리면 바로 더 만들 수 있습니다."
                )
                % {"quota": quota}
            )
        return UsageRecord.objects.create(
            organization=organization, business=business, kind=UsageRecord.Kind.PIECE
        )


def piece_quota_release(reservation: UsageRecord) -> None:
    """Give back a reserved piece that was not produced."""
    UsageRecord.objects.filter(pk=reservation.pk).delete()


def llm_calls_record(*, business: Business, calls: Iterable[LlmCall]) -> None:
    """One usage record per model call, with tokens and estimated cost."""
    UsageRecord.objects.bulk_create(
        UsageRecord(
            organization_id=business.organization_id,
            business=business,
            kind=UsageRecord.Kind.LLM_CALL,
            model_name=(call.model + " (cache)") if call.cache_hit else call.model,
            input_tokens=call.input_tokens,
            output_tokens=call.output_tokens + call.thoughts_tokens,
            cost_usd=call.cost_usd,
        )
        for call in calls
    )
