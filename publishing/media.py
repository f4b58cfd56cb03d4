"""Media URLs the platforms can fetch, checked before any container is created.

Meta fetches every image and video from its URL at publishing time; a URL that only
works on this machine is the most common reason self-hosted schedulers fail. So
before calling a platform we check, from here, that each URL is on a public address,
answers 200 with the right type and the right size, and say in plain words what to
fix when it does not. Sandbox accounts skip the public-address rule (the simulators
run on this machine) but not the rest.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.conf import settings

from content.models import Asset
from core.http import http_session, private_host
from publishing.publishers.base import ErrorKind, PublishError

FIX_PUBLIC = (
    "PUBLIC_BASE_URL을 인터넷에서 열리는 주소(https://…)로 설정하거나 S3 호환 저장소"
    "(AWS_STORAGE_BUCKET_NAME)를 연결해 주세요. 자세한 방법은 docs/publishing.md에 있습니다."
)


def public_url(asset: Asset) -> str:
    """The asset's URL as a platform sees it: storage URLs that are already absolute
    (S3) stay as they are; file-system media hang under PUBLIC_BASE_URL."""
    url = asset.file.url
    if urlsplit(url).scheme in ("http", "https"):
        return url
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}"


def _refuse(message: str, detail: str) -> PublishError:
    return PublishError(message, kind=ErrorKind.PERMANENT, detail=detail, code="media_unreachable")


def check_media_url(
    url: str, *, mime_type: str, size_bytes: int, allow_private: bool = False
) -> None:
    """Raise PublishError (permanent, with the fix) unless a platform can fetch ``url``."""
    host = urlsplit(url).hostname or ""
    if not allow_private and not settings.MEDIA_CHECK_ALLOW_PRIVATE and private_host(host):
        raise _refuse(
            f"미디어 주소({host})가 이 서버 안에서만 열려서 플랫폼이 사진과 영상을 가져갈 수 "
            f"없습니다. {FIX_PUBLIC}",
            url,
        )
    try:
        with http_session().get(url, stream=True, timeout=(5, 15)) as response:
            status = response.status_code
            served_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            length = response.headers.get("Content-Length")
    except requests.RequestException as exc:
        raise _refuse(
            f"미디어 주소에 연결할 수 없습니다({type(exc).__name__}). {FIX_PUBLIC}", f"{url}: {exc}"
        ) from exc
    if status != 200:
        raise _refuse(
            f"미디어 주소가 {status} 응답을 돌려줘서 플랫폼이 파일을 가져갈 수 없습니다. "
            "파일이 지워졌거나 주소가 바뀌었는지 확인해 주세요.",
            f"{url}: HTTP {status}",
        )
    if served_type != mime_type:
        raise _refuse(
            f"미디어 주소가 {mime_type} 대신 '{served_type or '알 수 없음'}' 형식으로 응답합니다. "
            "웹 서버의 파일 형식(Content-Type) 설정을 확인해 주세요.",
            f"{url}: Content-Type {served_type!r}",
        )
    if length is not None and length.isdigit() and int(length) != size_bytes:
        raise _refuse(
            "미디어 주소가 만든 파일과 다른 크기의 파일을 돌려줍니다. 캐시나 프록시가 예전 "
            "파일을 주고 있지 않은지 확인해 주세요.",
            f"{url}: {length} bytes served, {size_bytes} expected",
        )
