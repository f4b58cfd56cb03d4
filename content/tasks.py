import random

from celery import shared_task
from django.conf import settings

from content import services
from content.models import ContentPiece
from content.providers.base import ProviderError

GAVE_UP = "여러 번 다시 시도했지만 실패했습니다. 잠시 후 '다시 시도'를 눌러 주세요."


def backoff_s(retries: int, retry_after_s: float | None) -> float:
    """Exponential backoff with full jitter, never sooner than the provider asked."""
    wait = random.uniform(0, min(300.0, 5.0 * 2**retries))
    return max(wait, retry_after_s or 0.0)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.GENERATION_MAX_RETRIES,
)
def generate_piece(self, piece_id: int, instruction: str = "", only_field: str = "") -> None:
    try:
        piece = services.piece_generate(
            piece_id=piece_id, instruction=instruction, only_field=only_field
        )
    except ProviderError as exc:
        if self.request.retries < self.max_retries:
            countdown = backoff_s(self.request.retries, exc.retry_after_s)
            raise self.retry(exc=exc, countdown=countdown) from exc
        piece = ContentPiece.objects.get(pk=piece_id)
        services.piece_fail(piece, f"{exc.message} {GAVE_UP}")
    if piece.campaign_id:
        from campaigns.services import campaign_refresh_status

        campaign_refresh_status(campaign_id=piece.campaign_id)
