"""Which writer serves an organization: settings, overridable per organization."""

from __future__ import annotations

from django.conf import settings

from content.providers.base import Provider, ProviderError
from core.breaker import CircuitBreaker


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
