"""The one HTTP seam for outbound calls made with requests (SEMAS, platforms).

Every call goes through ``http_session()``: timeouts always set, a clear user
agent, and one place for tests to look. (The Gemini SDK speaks httpx; its
timeout and base URL come from settings in content.providers.gemini.)
"""

from __future__ import annotations

import math
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

USER_AGENT = "Gagecast/1.0 (+https://gagecast.local)"


class TimeoutSession(requests.Session):
    """A requests session whose calls always carry the configured timeouts."""

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault(
            "timeout", (settings.HTTP_CONNECT_TIMEOUT_S, settings.HTTP_READ_TIMEOUT_S)
        )
        return super().request(method, url, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = USER_AGENT
    return session


def retry_after_s(response: requests.Response) -> float | None:
    """The wait a server asks for in ``Retry-After`` (seconds, or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, math.ceil((when - timezone.now()).total_seconds()))
