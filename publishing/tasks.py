"""Publishing tasks: the dispatcher (every minute), one publish task per publication,
container polls, the reaper, token refresh, and erasing archived shops whose grace period
is over. Each is a thin call into a service."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from django.utils import timezone

from publishing import lifecycle, services, transitions
from publishing.accounts import refresh_due_tokens
from publishing.models import Publication
from publishing.publishers.base import ErrorKind, PublishError

logger = logging.getLogger(__name__)
UNEXPECTED = (
    "시스템 오류로 게시를 마치지 못했습니다. 플랫폼 상태를 확인한 뒤 자동으로 다시 시도합니다."
)


@shared_task
def dispatch_due_publications() -> int:
    return services.dispatch_due()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def publish_publication(publication_id: int, claim_token: str) -> str | None:
    return _guarded(services.publish_claimed, publication_id, claim_token)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def poll_publication(publication_id: int, claim_token: str) -> str | None:
    return _guarded(services.poll_processing, publication_id, claim_token)


def _guarded(
    step: Callable[[int, str], str | None], publication_id: int, claim_token: str
) -> str | None:
    try:
        return step(publication_id, claim_token)
    except Exception as exc:
        # A bug must not leave the post "publishing" until the reaper: retry it later,
        # and the retry asks the platform first.
        logger.exception("publishing %s failed unexpectedly", publication_id)
        publication = Publication.objects.select_related("piece__business", "channel_account").get(
            pk=publication_id
        )
        error = PublishError(UNEXPECTED, kind=ErrorKind.TRANSIENT, detail=repr(exc)[:500])
        state = transitions.retry_or_fail(publication, error, now=timezone.now())
        if state is None:  # not publishing any more: nothing of ours to record
            raise
        return state


@shared_task
def reap_stuck_publications() -> int:
    return services.reap_stuck()


@shared_task
def refresh_channel_tokens() -> int:
    return refresh_due_tokens()


@shared_task
def erase_due_businesses() -> int:
    return lifecycle.erase_due()
