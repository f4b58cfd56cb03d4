"""YouTube Data API v3 on the wire: Google's error body and what it means for the owner
and the service, one call through the house HTTP session, and the reads the publisher
and the upload share."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import requests
from django.utils import timezone

from core.http import retry_after_s
from publishing.publishers.base import (
    CallRecord,
    Credentials,
    Endpoints,
    ErrorKind,
    PublishError,
    PublishJob,
    QuotaDay,
)

QUOTA_DAY = QuotaDay(ZoneInfo("America/Los_Angeles"))  # YouTube's quotas reset at Pacific midnight
OWNER_ZONE = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class GoogleError:
    """Google's error body: ``{"error": {"code", "message", "errors": [{"reason"}]}}``."""

    status: int
    message: str
    reasons: tuple[str, ...]
    retry_after_s: float | None

    @classmethod
    def from_response(cls, response: requests.Response) -> GoogleError:
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(response.status_code, response.text[:300], (), retry_after_s(response))
        reasons = tuple(
            str(item.get("reason"))
            for item in error.get("errors") or []
            if isinstance(item, dict) and item.get("reason")
        )
        return cls(
            response.status_code, str(error.get("message", "")), reasons, retry_after_s(response)
        )

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    @property
    def detail(self) -> str:
        return f"HTTP {self.status} {self.reason}: {self.message}".replace(" :", ":")


class YouTubeErrors:
    """Google's errors as the owner's sentence and the service's kind of error."""

    # Reasons (errors[].reason) that mean "no more today": wait for the quota day.
    # (uploadLimitExceeded comes as a 400: the reason decides, not the status.)
    QUOTA_REASONS: ClassVar[frozenset[str]] = frozenset(
        {"quotaExceeded", "uploadLimitExceeded", "dailyLimitExceeded"}
    )
    # Short-term rate limits (per 100 s / per user): back off briefly, not until midnight.
    RATE_REASONS: ClassVar[frozenset[str]] = frozenset(
        {"rateLimitExceeded", "userRateLimitExceeded"}
    )
    RATE_LIMIT_WAIT_S: ClassVar[float] = 60.0
    # 403s that only the owner can fix by reconnecting (scopes, no channel, closed account).
    ACCOUNT_REASONS: ClassVar[frozenset[str]] = frozenset(
        {
            "insufficientPermissions",
            "youtubeSignupRequired",
            "authenticatedUserAccountClosed",
            "authenticatedUserAccountSuspended",
            "accountDelegationForbidden",
            "forbidden",
        }
    )
    INVALID_METADATA: ClassVar[dict[str, str]] = {
        "invalidTitle": "영상 제목이 YouTube 규칙에 맞지 않습니다(100자 이하, < > 없이).",
        "invalidDescription": "영상 설명이 YouTube 규칙에 맞지 않습니다(5,000바이트 이하, < > 없이).",
        "invalidTags": "영상 태그가 YouTube 규칙에 맞지 않습니다(모두 합쳐 500자 이하).",
        "invalidCategoryId": "영상 카테고리가 올바르지 않습니다.",
        "invalidPublishAt": "YouTube 예약 공개 시각이 올바르지 않습니다(미래 시각이어야 합니다).",
        "invalidVideoMetadata": "영상 정보(제목·설명·태그·공개 범위)가 YouTube 규칙에 맞지 않습니다.",
        "mediaBodyRequired": "YouTube에 영상 파일이 전달되지 않았습니다.",
        "invalidContentType": "YouTube가 받지 않는 영상 형식입니다(MP4로 만들어 주세요).",
    }

    @classmethod
    def from_google(cls, error: GoogleError) -> PublishError:
        """Google's error as the owner's sentence and the service's kind of error."""
        reasons = set(error.reasons)
        if reasons & cls.QUOTA_REASONS:
            resets = QUOTA_DAY.frees_at(timezone.now())
            # code "quota": the service waits for the quota day without spending attempts.
            return PublishError(
                "오늘 YouTube에 올릴 수 있는 한도를 다 썼습니다. 한도가 새로 생기는 "
                f"{resets.astimezone(OWNER_ZONE):%m월 %d일 %H시}(한국 시간)에 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=max(1.0, (resets - timezone.now()).total_seconds()),
                code="quota",
                detail=error.detail,
                status=error.status,
            )
        if reasons & cls.RATE_REASONS:
            return PublishError(
                "YouTube가 잠시 요청을 줄여 달라고 합니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s or cls.RATE_LIMIT_WAIT_S,
                code=error.reason,
                detail=error.detail,
                status=error.status,
            )
        if error.status == 401 or (error.status == 403 and reasons & cls.ACCOUNT_REASONS):
            return PublishError(
                "YouTube 연결이 만료되었거나 권한이 없습니다. 설정에서 YouTube 계정을 다시 "
                "연결해 주세요(업로드 권한을 허용하고, 채널이 있는 계정으로).",
                kind=ErrorKind.AUTH,
                code=error.reason,
                detail=error.detail,
                status=error.status,
            )
        if error.status in (408, 429) or error.status >= 500:
            return PublishError(
                "YouTube가 잠시 응답하지 못했습니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                retry_after_s=error.retry_after_s,
                code=error.reason,
                detail=error.detail,
                status=error.status,
            )
        explanation = next(
            (cls.INVALID_METADATA[r] for r in error.reasons if r in cls.INVALID_METADATA),
            f"YouTube가 영상을 받지 않았습니다({error.message or error.status}).",
        )
        return PublishError(
            f"{explanation} 제목·설명·태그를 고친 뒤 다시 예약해 주세요.",
            kind=ErrorKind.PERMANENT,
            code=error.reason,
            detail=error.detail,
            status=error.status,
        )

    @staticmethod
    def stalled(detail: str) -> PublishError:
        return PublishError(
            "YouTube 업로드가 중간에 멈췄습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=detail,
        )


def request(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One call; a timeout or dropped connection becomes a transient PublishError."""
    try:
        return session.request(method, url, **kwargs)
    except requests.RequestException as error:
        raise PublishError(
            "YouTube와 연결이 끊겼습니다. 잠시 뒤 이어서 올릴게요.",
            kind=ErrorKind.TRANSIENT,
            detail=f"{type(error).__name__}: {error}",
        ) from error


def auth(credentials: Credentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {credentials.access_token}"}


def api_get(
    session: requests.Session,
    endpoints: Endpoints,
    credentials: Credentials,
    resource: str,
    params: dict[str, str],
    *,
    job: PublishJob | None = None,
) -> dict[str, Any]:
    """One read of the Data API (recorded as ``{resource}_list`` when it serves a job).
    Raises PublishError."""
    url = f"{endpoints.api}/{resource}"
    return google_get(session, url, credentials, params, action=f"{resource}_list", job=job)


def google_get(
    session: requests.Session,
    url: str,
    credentials: Credentials,
    params: dict[str, str],
    *,
    action: str,
    job: PublishJob | None = None,
) -> dict[str, Any]:
    """One GET of a Google API (Data or Analytics), recorded as ``action`` when it serves
    a job. Raises PublishError."""
    recording: AbstractContextManager[CallRecord] = (
        job.call(action, **params) if job else nullcontext(CallRecord())
    )
    with recording as rec:
        response = request(session, "GET", url, params=params, headers=auth(credentials))
        rec.status = response.status_code
        if response.status_code != 200:
            raise YouTubeErrors.from_google(GoogleError.from_response(response))
        body = response.json()
    return body if isinstance(body, dict) else {}


def video_resource(session: requests.Session, job: PublishJob, video_id: str) -> dict[str, Any]:
    body = api_get(
        session,
        job.endpoints,
        job.credentials,
        "videos",
        {"part": "status", "id": video_id},
        job=job,
    )
    for item in body.get("items") or []:
        if item.get("id") == video_id:
            return item
    raise PublishError(
        "YouTube에서 올린 영상을 찾을 수 없습니다(채널에서 삭제되었을 수 있어요). "
        "채널을 확인한 뒤 다시 예약해 주세요.",
        kind=ErrorKind.PERMANENT,
        detail=f"videos.list found no video {video_id}",
        code="videoNotFound",
    )


def google_time(value: object) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
