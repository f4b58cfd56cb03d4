"""Which writer serves an organization: settings, overridable per organization."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings

from content.providers.base import Provider, ProviderError
from core.breaker import CircuitBreaker, CircuitOpen

if TYPE_CHECKING:
    from marketing.models import Business

T = TypeVar("T")
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


def breaker_for(provider: Provider) -> CircuitBreaker:
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


def guarded(provider: Provider, call: Callable[[], T]) -> T:
    """``call`` inside the provider's circuit breaker; an open circuit is a transient error."""
    try:
        with breaker_for(provider).guard():
            return call()
    except CircuitOpen as exc:
        raise ProviderError(
            BREAKER_OPEN_MESSAGE, permanent=False, detail=str(exc), retry_after_s=exc.retry_after_s
        ) from exc
