"""Which writer (and which voice) serves an organization: settings, overridable per
organization."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.conf import settings

from content.providers.base import Provider, ProviderError
from content.providers.speech import SpeechProvider
from core.breaker import CircuitBreaker, CircuitOpen

if TYPE_CHECKING:
    from marketing.models import Business

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Named(Protocol):
    """A writer or a voice: anything whose name names a circuit breaker."""

    name: str


BREAKER_OPEN_MESSAGE = "AI 서비스가 불안정해 잠시 쉬었다가 다시 시도합니다."


def provider_name_for(override: str = "") -> str:
    """ "gemini" or "offline": the organization's override, else settings ("auto": key present)."""
    choice = override or settings.GENERATION_PROVIDER
    if choice == "auto":
        return "gemini" if settings.GEMINI_API_KEY else "offline"
    return choice


def provider_named(name: str) -> Provider:
    if name == "gemini":
        from content.providers.gemini import GeminiProvider

        return GeminiProvider()
    from content.providers.offline import OfflineProvider

    return OfflineProvider()


def breaker_for(provider: Named) -> CircuitBreaker:
    """Only transient failures (outages, rate limits) count toward opening the circuit."""
    return CircuitBreaker(
        f"provider:{provider.name}",
        failures=settings.GENERATION_BREAKER_FAILURES,
        reset_s=settings.GENERATION_BREAKER_RESET_S,
        is_failure=lambda exc: isinstance(exc, ProviderError) and not exc.permanent,
    )


def provider_for_business(business: Business) -> Provider:
    """The writer for this business's organization. Raises ProviderError when it cannot start."""
    return provider_named(provider_name_for(business.organization.generation_provider))


def speech_provider_for(business: Business) -> SpeechProvider | None:
    """The voice that reads this business's narrations, or None for videos without one.

    TTS_PROVIDER "auto" speaks with Gemini when the organization writes with Gemini;
    "gemini" also when the server's writer is offline; "none" never speaks. An
    organization that chose the offline writer itself sends nothing to Google, and
    without GEMINI_API_KEY there is no narration.
    """
    choice, override = settings.TTS_PROVIDER, business.organization.generation_provider
    if choice == "none" or override == "offline":
        return None
    if choice == "auto" and provider_name_for(override) != "gemini":
        return None
    if not settings.GEMINI_API_KEY:
        logger.warning("TTS_PROVIDER=%s but GEMINI_API_KEY is empty: no narration", choice)
        return None
    from content.providers.gemini import GeminiSpeech

    return GeminiSpeech()


def guarded(provider: Named, call: Callable[[], T]) -> T:
    """``call`` inside the provider's circuit breaker; an open circuit is a transient error."""
    try:
        with breaker_for(provider).guard():
            return call()
    except CircuitOpen as exc:
        raise ProviderError(
            BREAKER_OPEN_MESSAGE, permanent=False, detail=str(exc), retry_after_s=exc.retry_after_s
        ) from exc
