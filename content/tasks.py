import logging

from celery import Task, shared_task
from django.conf import settings

from content import media_inputs, services, transitions
from content.models import ContentPiece, VoiceMemo
from content.providers.base import ProviderError
from core.backoff import backoff_s
from marketing.models import Photo

logger = logging.getLogger(__name__)
UNEXPECTED = "시스템 오류로 글을 쓰지 못했습니다. 운영팀이 확인할 수 있게 기록했어요. '다시 시도'를 눌러 주세요."
RENDER_UNEXPECTED = "이미지·영상을 만드는 중 시스템 오류가 났습니다. 글은 그대로 있어요. 잠시 후 다시 만들어 주세요."
GAVE_UP = "여러 번 다시 시도했지만 실패했습니다. 잠시 후 '다시 시도'를 눌러 주세요."


def retry_countdown(task: Task, exc: ProviderError) -> float:
    """Seconds before the task's next try: backoff, or what the provider asked for."""
    return backoff_s(task.request.retries, base_s=5.0, cap_s=300.0, retry_after_s=exc.retry_after_s)


def retries_left(task: Task) -> bool:
    """Whether the task may retry once more (max_retries None means without end)."""
    return task.max_retries is None or task.request.retries < task.max_retries


def retry_transient(task: Task, exc: ProviderError) -> None:
    """Raise the task's Retry with backoff while retries remain for a transient error;
    return at once for a permanent one, or once retries are spent."""
    if not exc.permanent and retries_left(task):
        raise task.retry(exc=exc, countdown=retry_countdown(task, exc)) from exc


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.GENERATION_MAX_RETRIES,
)
def generate_piece(self: Task, piece_id: int, instruction: str = "", only_field: str = "") -> None:
    try:
        services.piece_generate(piece_id=piece_id, instruction=instruction, only_field=only_field)
    except ProviderError as exc:
        retry_transient(self, exc)
        piece = ContentPiece.objects.get(pk=piece_id)
        transitions.fail(piece, exc.message if exc.permanent else f"{exc.message} {GAVE_UP}")
    except Exception:
        # A bug must not leave the piece "generating" forever: say so and let ops see it.
        logger.exception("generating piece %s failed unexpectedly", piece_id)
        piece = ContentPiece.objects.get(pk=piece_id)
        transitions.fail(piece, UNEXPECTED)


MEMO_GAVE_UP = "여러 번 다시 시도했지만 실패했습니다. 잠시 후 음성 메모를 다시 올려 주세요."


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.GENERATION_MAX_RETRIES,
)
def analyze_photo(self: Task, photo_id: int) -> None:
    photo = Photo.objects.select_related("business__organization").filter(pk=photo_id).first()
    if photo is None:
        return  # deleted since it was queued
    try:
        media_inputs.photo_analyze(photo=photo)
    except ProviderError as exc:
        retry_transient(self, exc)
        media_inputs.photo_analysis_fail(photo=photo, reason=f"{exc.message} {GAVE_UP}")


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.GENERATION_MAX_RETRIES,
)
def read_voice_memo(self: Task, memo_id: int) -> None:
    try:
        media_inputs.voice_memo_read(memo_id=memo_id)
    except ProviderError as exc:
        retry_transient(self, exc)
        memo = VoiceMemo.objects.get(pk=memo_id)
        media_inputs.voice_memo_fail(memo=memo, reason=f"{exc.message} {MEMO_GAVE_UP}")


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=2)
def render_piece(self: Task, piece_id: int) -> None:
    """Images and video for a written piece (routed to the render queue by name).

    A transient narration failure is retried while retries remain; the last attempt
    renders without narration instead (content.creative.soundtrack)."""
    from content.creative.services import piece_render

    try:
        piece_render(piece_id=piece_id, can_retry=retries_left(self))
    except ProviderError as exc:
        # piece_render raises only a transient failure, and only while can_retry: retry.
        raise self.retry(exc=exc, countdown=retry_countdown(self, exc)) from exc
    except Exception:
        # Rendering bugs must not leave the piece "rendering": say so, keep the copy.
        logger.exception("rendering piece %s failed unexpectedly", piece_id)
        transitions.fail_render(piece_id, RENDER_UNEXPECTED)
