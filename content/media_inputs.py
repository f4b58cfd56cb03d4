"""Photos and voice memos read by the organization's writer.

A photo becomes a PhotoAnalysis (what it shows, what customers would like, captions);
a voice memo becomes a transcript and the facts a campaign brief needs. Files are
checked by content (core.uploads) before any call. Permanent failures (no Gemini
connection, a refused request, an unusable file) are stored with the owner's reason;
transient ones raise ProviderError for the task to retry.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from content.models import PhotoAnalysis, VoiceMemo
from content.providers.base import MemoFacts, ProviderError
from content.providers.registry import guarded, provider_for_business
from content.services import shop_profile
from core import queue
from core.photos import PhotoRejected, strip_metadata_jpeg
from core.uploads import InputRejected, check_audio, check_image, check_image_size
from marketing.models import Business, Membership, Photo, User
from marketing.quota import llm_calls_record
from marketing.selectors import has_role
from marketing.services import photo_add

logger = logging.getLogger(__name__)

AUDIO_SUFFIXES = {"audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/wav": ".wav"}
MAX_LIST_ITEMS = 10  # selling points, captions, products, facts: a model may ramble


# --- Photos -------------------------------------------------------------------------------

MAX_PER_UPLOAD = 20  # photos in one go from the phone's gallery


@dataclass
class PhotosAdded:
    added: list[Photo] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "name: reason", for the owner


def photos_add(*, business: Business, uploads: list[UploadedFile], actor: User) -> PhotosAdded:
    """Add several photos from one upload: each checked by content and cleaned
    (``marketing.services.photo_add``), then analysed in the background. A photo that
    cannot be used is refused with its reason; the others are kept."""
    check_member(actor, business)
    result = PhotosAdded()
    if len(uploads) > MAX_PER_UPLOAD:
        result.refused.append(
            _("한 번에 %(count)s장까지 올릴 수 있어요.") % {"count": MAX_PER_UPLOAD}
        )
        return result
    for upload in uploads:
        try:
            check_image_size(upload.size or 0)  # before a huge file is read
            photo = photo_add(business=business, data=upload.read(), name=upload.name or "")
        except InputRejected as exc:
            result.refused.append(f"{upload.name}: {exc.message}")
            continue
        photo_analysis_request(photo=photo, actor=actor)
        result.added.append(photo)
    return result


def photo_analysis_request(*, photo: Photo, actor: User) -> PhotoAnalysis:
    """Queue a (re)analysis of ``photo``; its analysis row exists, without error, at once.

    An earlier description is kept until the new one replaces it. Raises
    PermissionDenied when ``actor`` is not a member of the photo's organization.
    """
    check_member(actor, photo.business)
    with transaction.atomic():
        analysis, _created = PhotoAnalysis.objects.update_or_create(
            photo=photo, defaults={"error": ""}
        )
        queue.enqueue("content.tasks.analyze_photo", photo.pk)
    return analysis


def photo_analyze(*, photo: Photo) -> PhotoAnalysis:
    """Describe ``photo`` with the organization's writer and store it as its PhotoAnalysis.

    Calling it again analyses again (an identical request is answered from the
    generation cache). A file that is not a usable photo, no Gemini connection and
    other permanent failures are stored in ``error`` with the owner's reason, keeping
    any earlier description, and do not raise. Transient failures raise ProviderError.
    """
    business = photo.business
    try:
        check_image_size(_stored_size(photo.image))
        check_image(_stored_bytes(photo.image))
        # What leaves the building is an upright JPEG without EXIF: no GPS, no device data.
        image = strip_metadata_jpeg(_stored_bytes(photo.image))
    except (InputRejected, PhotoRejected) as exc:
        return photo_analysis_fail(photo=photo, reason=exc.message)
    try:
        provider = provider_for_business(business)
        insight, calls = guarded(
            provider,
            lambda: provider.describe_photo(image, "image/jpeg", shop_profile(business)),
        )
    except ProviderError as exc:
        if not exc.permanent:
            raise
        logger.info("photo %s not analysed: %s (%s)", photo.pk, exc.message, exc.detail)
        return photo_analysis_fail(photo=photo, reason=exc.message)
    with transaction.atomic():
        llm_calls_record(business=business, calls=calls)
        analysis, _created = PhotoAnalysis.objects.update_or_create(
            photo=photo,
            defaults={
                "description": insight.description.strip(),
                "selling_points": _cleaned(insight.selling_points),
                "suggested_captions": _cleaned(insight.suggested_captions),
                "products": _cleaned(insight.products),
                "error": "",
            },
        )
    return analysis


def photo_analysis_fail(*, photo: Photo, reason: str) -> PhotoAnalysis:
    """Store the owner's reason; an earlier description stays."""
    analysis, _created = PhotoAnalysis.objects.update_or_create(
        photo=photo, defaults={"error": reason}
    )
    return analysis


# --- Voice memos -----------------------------------------------------------------------------


def voice_memo_create(*, business: Business, audio: bytes, filename: str, actor: User) -> VoiceMemo:
    """Store an owner's voice memo and queue its reading after the commit.

    Raises PermissionDenied when ``actor`` is not a member of the business's
    organization, and InputRejected (with the owner's reason) when the audio is not a
    usable memo; nothing is stored then. The file is stored under a new name: the
    owner's ``filename`` only words a refusal.
    """
    check_member(actor, business)
    checked = check_audio(audio, declared_name=filename)
    memo = VoiceMemo(
        business=business,
        mime_type=checked.mime_type,
        duration_s=checked.duration_s,
        status=VoiceMemo.Status.QUEUED,
    )
    with transaction.atomic():
        name = uuid.uuid4().hex + AUDIO_SUFFIXES[checked.mime_type]
        memo.audio.save(name, ContentFile(audio), save=False)
        memo.save()
        queue.enqueue("content.tasks.read_voice_memo", memo.pk)
    return memo


def voice_memo_read(*, memo_id: int) -> VoiceMemo:
    """Transcribe a queued memo and take out its goal, offer, products and facts.

    Idempotent: a memo already done or failed is returned as it is, and when two
    deliveries race, only the first result is stored and charged. The transcript is
    stored verbatim (it is the owner's own memo); customers' contact details are masked
    when text goes into a prompt, not here. Permanent failures leave the memo failed
    with the owner's reason; transient ones raise ProviderError.
    """
    memo = VoiceMemo.objects.select_related("business__organization").get(pk=memo_id)
    if memo.status != VoiceMemo.Status.QUEUED:
        return memo
    business = memo.business
    try:
        audio = _stored_bytes(memo.audio)
        provider = provider_for_business(business)
        facts, calls = guarded(
            provider,
            lambda: provider.read_voice_memo(audio, memo.mime_type, shop_profile(business)),
        )
    except InputRejected as exc:
        return voice_memo_fail(memo=memo, reason=exc.message)
    except ProviderError as exc:
        if not exc.permanent:
            VoiceMemo.objects.filter(pk=memo.pk).update(error=exc.message)
            raise
        logger.info("voice memo %s not read: %s (%s)", memo.pk, exc.message, exc.detail)
        return voice_memo_fail(memo=memo, reason=exc.message)
    with transaction.atomic():
        stored = VoiceMemo.objects.filter(pk=memo.pk, status=VoiceMemo.Status.QUEUED).update(
            transcript=facts.transcript.strip(),
            facts=_memo_facts(facts),
            status=VoiceMemo.Status.DONE,
            error="",
            updated_at=timezone.now(),
        )
        if stored == 1:  # otherwise another delivery got there first and was charged
            llm_calls_record(business=business, calls=calls)
    memo.refresh_from_db()
    return memo


def voice_memo_fail(*, memo: VoiceMemo, reason: str) -> VoiceMemo:
    """Failed with the owner's reason, unless another delivery has read it meanwhile."""
    VoiceMemo.objects.filter(pk=memo.pk).exclude(status=VoiceMemo.Status.DONE).update(
        status=VoiceMemo.Status.FAILED, error=reason, updated_at=timezone.now()
    )
    memo.refresh_from_db()
    return memo


# --- Shared -------------------------------------------------------------------------------------


def check_member(actor: User, business: Business) -> None:
    if not has_role(actor, business, Membership.Role.STAFF):
        raise PermissionDenied(_("이 사업장의 구성원만 할 수 있어요."))


def _stored_size(file: FieldFile) -> int:
    try:
        return file.size
    except FileNotFoundError as exc:
        raise _missing_file() from exc


def _stored_bytes(file: FieldFile) -> bytes:
    try:
        with file.open("rb") as opened:
            return opened.read()
    except FileNotFoundError as exc:
        raise _missing_file() from exc


def _missing_file() -> InputRejected:
    return InputRejected(_("저장된 파일을 찾을 수 없어요. 다시 올려 주세요."))


def _cleaned(items: list[str]) -> list[str]:
    return [item.strip() for item in items if item.strip()][:MAX_LIST_ITEMS]


def _memo_facts(facts: MemoFacts) -> dict:
    goal = facts.goal.strip()
    return {
        "goal": goal if goal in Campaign.Goal.values else "",
        "offer": facts.offer.strip(),
        "products": _cleaned(facts.products),
        "facts": _cleaned(facts.facts),
    }
