"""The one HTTP seam for outbound calls made with requests (SEMAS, platforms, the
image URLs of an import).

Every call goes through ``http_session()``: timeouts always set, a clear user
agent, and one place for tests to look. (The Gemini SDK speaks httpx; its
timeout and base URL come from settings in content.providers.gemini.)
"""

from __future__ import annotations

import ipaddress
import math
import socket
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

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


def private_host(host: str) -> bool:
    """Whether ``host`` resolves to an address inside this network (private, loopback,
    link-local or reserved): somewhere a URL from outside must not send us."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False  # unresolvable here: the fetch itself says so
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            return True
    return False


class FetchRefused(Exception):
    """A URL we would not or could not read; ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


MAX_REDIRECTS = 3


def fetch_limited(url: str, *, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of a GET of a public http(s) URL, at most ``max_bytes`` long.

    Every redirect is checked like the first URL (a public address may not send us
    inside the network). Raises FetchRefused with the reason.
    """
    for _hop in range(MAX_REDIRECTS + 1):
        _check_address(url, allow_private=allow_private)
        try:
            with http_session().get(url, stream=True, allow_redirects=False) as response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise FetchRefused(
                        _("주소가 %(status)s 응답을 돌려줬어요. 주소가 맞는지 확인해 주세요.")
                        % {"status": response.status_code}
                    )
                return _body(response, max_bytes)
        except requests.RequestException as exc:
            raise FetchRefused(
                _("주소에 연결할 수 없어요 (%(reason)s).") % {"reason": type(exc).__name__}
            ) from exc
    raise FetchRefused(_("주소가 너무 여러 번 다른 곳으로 넘겨요."))


def _check_address(url: str, *, allow_private: bool) -> None:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host:
            raise FetchRefused(_("http:// 또는 https:// 로 시작하는 주소만 받을 수 있어요."))
        inside = not allow_private and private_host(host)
    except ValueError as exc:  # a malformed address (or a host name no resolver takes)
        raise FetchRefused(_("주소를 읽을 수 없어요. 주소가 맞는지 확인해 주세요.")) from exc
    if inside:
        raise FetchRefused(_("내부 네트워크 주소(%(host)s)는 열 수 없어요.") % {"host": host})


def _body(response: requests.Response, max_bytes: int) -> bytes:
    too_big = FetchRefused(
        _("파일이 너무 커요 (최대 %(limit)s MB).") % {"limit": max_bytes // (1024 * 1024) or 1}
    )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_big
    body = bytearray()
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
    return bytes(body)
