from celery import shared_task

from marketing.market import market_context_for
from marketing.models import Business


@shared_task(acks_late=True)
def refresh_market_context(business_id: int) -> None:
    business = Business.objects.filter(pk=business_id).first()
    if business is not None:
        market_context_for(business, refresh=True)
