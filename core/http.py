"""The one HTTP seam for outbound calls made with requests (SEMAS, platforms).

Every call goes through ``http_session()``: timeouts always set, a clear user
agent, and one place for tests to look. (The Gemini SDK speaks httpx; its
timeout and base URL come from settings in content.providers.gemini.)
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

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
