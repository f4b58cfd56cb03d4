"""The sound of a piece's video: its narration read aloud, and the shop's own music.

Narration. The scenes' spoken sentences are read as one text in one call, not one
call per scene: one voice then flows from sentence to sentence as a person reading
would, the preview TTS models allow only a few requests a minute, and a video costs
one request instead of up to ten. The price is looser sync with the slides: the
narration starts with the first slide, and when it is longer than the slides every
scene is stretched by the same factor (the writer's pacing kept) with the whole
video at most ``MAX_VIDEO_S``; a narration that cannot fit even then is left out.

Each narration is kept as an audio Asset keyed by its text, voice and model (not
the renderer version: a template change must not pay for speech again), so a
re-render, or another piece of the business with the same words, makes no call.

Failures. Narration adds to a video; it never stops one. A permanent failure (a
refusal, a rejected key) renders the video without narration and leaves the owner a
note. A transient one (rate limit, outage, open circuit) is raised for the render
task to retry while it may (the images already made are reused, so a retry costs
one call); on the last attempt the video is rendered without narration, with a
note. Every model call made is recorded as usage, failed ones included.

Music. The business's track, checked when it was uploaded, is looped or cut to the
video at music level and ducked under the narration (``video.compose_soundtrack``).
Its checksum is part of the video's fingerprint: a new track makes a new video.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.utils.translation import gettext as _

from content.creative.files import Made, asset_store, inputs_key
from content.models import Asset, ContentPiece
from content.providers.base import ProviderError
from content.providers.registry import guarded, speech_provider_for
from content.providers.speech import Speech, SpeechProvider
from marketing.models import Business
from marketing.quota import llm_calls_record

logger = logging.getLogger(__name__)

MAX_VIDEO_S = 60.0  # Shorts' limit, and long enough for any Reel a shop makes
NARRATION_TAIL_S = 0.6  # a breath after the last word, before the outro card


@dataclass(frozen=True)
class Narration:
    asset: Asset
    key: str  # part of the video's fingerprint
    duration_s: float


@dataclass(frozen=True)
class Music:
    path: Path  # a copy in the render's scratch folder
    checksum: str  # part of the video's fingerprint


def piece_narration(
    piece: ContentPiece, text: str, notes: list[str], *, can_retry: bool
) -> Narration | None:
    """The piece's narration read aloud (stored, or reused when made before), or None
    when there is nothing to read, no voice is configured, or speaking failed (then
    with a note). Raises ProviderError only for a transient failure while
    ``can_retry``."""
    speaker = speech_provider_for(piece.business) if text else None
    if speaker is None:
        return None
    key = inputs_key("narration", text, speaker.voice, speaker.model)

    def make() -> Made:
        speech = _spoken(piece.business, speaker, text)
        return speech.audio, ".wav", speech.mime_type, None, None, speech.duration_s

    try:
        asset = asset_store(piece, kind=Asset.Kind.AUDIO, role="narration", key=key, make=make)
    except ProviderError as exc:
        if not exc.permanent and can_retry:
            raise
        logger.info("piece %s: no narration: %s (%s)", piece.pk, exc.message, exc.detail)
        notes.append(
            _("내레이션 음성을 만들지 못해 음성 없이 영상을 만들었어요. (%(reason)s)")
            % {"reason": exc.message}
            if exc.permanent  # the reason says what to change; a transient one would promise a retry
            else _("음성 서비스가 잠시 응답하지 않아 내레이션 없이 영상을 만들었어요.")
        )
        return None
    return Narration(asset, key, asset.duration_s or 0.0)


def _spoken(business: Business, speaker: SpeechProvider, text: str) -> Speech:
    """One synthesis inside the voice's circuit breaker, its usage recorded either way."""
    try:
        speech = guarded(speaker, lambda: speaker.synthesize(text, voice=speaker.voice))
    except ProviderError as exc:
        llm_calls_record(business=business, calls=exc.calls)
        raise
    llm_calls_record(business=business, calls=speech.calls)
    return speech


def fitted_scenes(
    scenes: tuple[tuple[str, float], ...], narration_s: float, *, cards_s: float
) -> tuple[tuple[str, float], ...] | None:
    """The scenes, each stretched by the same factor (to a tenth of a second) when the
    narration and a breath after it are longer than they are; None when the video,
    cards included, would then pass MAX_VIDEO_S."""
    needed, total = narration_s + NARRATION_TAIL_S, sum(seconds for _, seconds in scenes)
    if needed <= total:
        return scenes
    factor = needed / total
    # round() first: 3.0 * 1.1 * 10 is 33.000000000000004, which must not become 3.4.
    stretched = tuple(
        (caption, math.ceil(round(seconds * factor * 10, 6)) / 10) for caption, seconds in scenes
    )
    if cards_s + sum(seconds for _, seconds in stretched) > MAX_VIDEO_S:
        return None
    return stretched


def too_long_note(narration_s: float) -> str:
    return _(
        "내레이션(%(seconds)s초)이 영상 최대 길이 %(limit)s초에 맞지 않아 음성 없이 만들었어요. 영상 대본을 짧게 고쳐 주세요."
    ) % {"seconds": f"{narration_s:.0f}", "limit": f"{MAX_VIDEO_S:.0f}"}


def narration_file(narration: Narration, folder: Path) -> Path:
    """A copy of the stored narration in ``folder`` (storage may be remote)."""
    target = folder / "narration.wav"
    with narration.asset.file.open("rb") as source:
        target.write_bytes(source.read())
    return target


def business_music(business: Business, folder: Path, notes: list[str]) -> Music | None:
    """A copy of the business's background music in ``folder`` with its checksum, or
    None when there is none, or (with a note) when the stored file cannot be read."""
    if not business.background_music:
        return None
    try:
        with business.background_music.open("rb") as source:
            data = source.read()
    except OSError as exc:  # FileNotFoundError included: deleted from storage since
        logger.warning(
            "business %s: music %s unreadable: %s", business.pk, business.background_music.name, exc
        )
        notes.append(
            _("배경 음악 파일을 읽지 못해 음악 없이 만들었어요. 사업장 정보에서 다시 올려 주세요.")
        )
        return None
    target = folder / f"music{PurePath(business.background_music.name).suffix}"
    target.write_bytes(data)
    return Music(target, hashlib.sha256(data).hexdigest())
