"""Meta's Graph API as Instagram and Threads speak it: one client, one error table.

``GraphClient`` makes every call through ``core.http.http_session()`` and records it
with ``job.call`` before it goes out. A non-2xx answer is parsed into ``GraphError``
(``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``) and
``GraphErrors`` turns it into the owner's sentence and the service's kind of error:

- AUTH: the token is expired or revoked, or a permission is missing (190, 102, 10,
  200–299): only the owner can fix it, by reconnecting;
- TRANSIENT: rate limits (4, 17, 32, 613, 80001+, HTTP 429), Meta's temporary errors
  (1, 2, 5xx), timeouts and dropped connections, media still processing;
- PERMANENT: everything the post itself must change for (media Meta cannot fetch,
  wrong aspect ratio, video format, caption too long…).

A call that may have taken effect (publishing) and whose answer was lost or was a 5xx
raises with ``outcome_unknown=True``: the next attempt asks Meta before acting.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Self

import requests
from django.conf import settings

from core.http import http_session, retry_after_s
from publishing.publishers.base import ErrorKind, PublishError, PublishJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GraphError:
    """Meta's error answer, typed. ``code``/``subcode`` are None when the body had none."""

    status: int
    message: str
    type: str = ""
    code: int | None = None
    subcode: int | None = None
    fbtrace_id: str = ""
    user_message: str = ""  # error_user_msg: Meta's words for the person, when it sends some
    is_transient: bool = False  # Meta's own hint
    retry_after_s: float | None = None

    @classmethod
    def from_response(cls, response: requests.Response) -> GraphError:
        retry_after = _retry_after_s(response)
        error = (_json_object(response) or {}).get("error")
        if not isinstance(error, dict):
            return cls(response.status_code, response.text[:300], retry_after_s=retry_after)
        return cls(
            status=response.status_code,
            message=str(error.get("message") or ""),
            type=str(error.get("type") or ""),
            code=_int_or_none(error.get("code")),
            subcode=_int_or_none(error.get("error_subcode")),
            fbtrace_id=str(error.get("fbtrace_id") or ""),
            user_message=str(error.get("error_user_msg") or ""),
            is_transient=error.get("is_transient") is True,
            retry_after_s=retry_after,
        )

    @property
    def codes(self) -> str:
        """``"9004/2207052"``, ``"190"`` or ``""``: what the admin searches Meta's docs for."""
        return "/".join(str(c) for c in (self.code, self.subcode) if c is not None)

    @property
    def detail(self) -> str:
        words = " ".join(w for w in (self.type, self.codes and f"code {self.codes}") if w)
        trace = f" (fbtrace_id {self.fbtrace_id})" if self.fbtrace_id else ""
        return f"HTTP {self.status} {words}: {self.message}{trace}".replace(" :", ":")


class GraphPublishError(PublishError):
    """A PublishError that also says whether the saved container is dead for good."""

    def __init__(self, message: str, *, fresh_container: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.fresh_container = fresh_container  # make a new container on the next attempt


@dataclass(frozen=True)
class Meaning:
    """What a Meta error means for the owner and for the service."""

    kind: ErrorKind
    message: str  # may use {name} ("인스타그램") and {subject} ("인스타그램이")
    retry_after_s: float | None = None
    fresh_container: bool = False  # the container can never be published: make a new one
    code: str = ""  # the service's own code ("quota": a wait, not a failure)


T, P, A = ErrorKind.TRANSIENT, ErrorKind.PERMANENT, ErrorKind.AUTH
FETCH_FIX = (
    "미디어 주소를 {subject} 가져오지 못했습니다. 주소가 인터넷에서 바로 열리는지(로그인·"
    "리디렉션 없이, https) 확인하고, PUBLIC_BASE_URL이나 S3 저장소 설정을 고친 뒤 다시 "
    "예약해 주세요."
)
VIDEO_FIX = "MP4(H.264 영상, AAC 음성), 세로 9:16(1080×1920), 3–90초로 다시 만든 뒤 예약해 주세요."


class GraphErrors:
    """Meta's codes as the owner's sentence and the service's kind; one table for both
    platforms, worded with the platform's name."""

    AUTH_CODES: ClassVar[frozenset[int]] = frozenset({10, 102, 190})
    PERMISSION_CODES: ClassVar[range] = range(200, 300)
    RATE_LIMIT_CODES: ClassVar[frozenset[int]] = frozenset({4, 17, 32, 613})
    BUSINESS_RATE_LIMIT_FROM: ClassVar[int] = 80001  # 80001–80014: per-business-use-case limits
    # 1, 2: Meta's "temporary" errors; -1, -2: Instagram's server errors without a known subcode.
    TEMPORARY_CODES: ClassVar[frozenset[int]] = frozenset({1, 2, -1, -2})
    DAILY_LIMIT_WAIT_S: ClassVar[float] = 3600.0  # a rolling 24 h window: look again hourly

    NEEDS_RECONNECT: ClassVar[Meaning] = Meaning(
        A,
        "{name} 연결이 만료되었거나 게시 권한이 없습니다. 설정 > 채널 연결에서 {name} 계정을 "
        "다시 연결해 주세요(게시 권한을 모두 허용해 주세요).",
    )
    # No wait of our own for these: the service backs off, never sooner than Meta asks
    # (Retry-After, or the business-use-case header's estimate).
    RATE_LIMITED: ClassVar[Meaning] = Meaning(
        T, "{subject} 잠시 요청을 줄여 달라고 합니다. 잠시 뒤 자동으로 다시 올릴게요."
    )
    BUSY: ClassVar[Meaning] = Meaning(
        T, "{subject} 잠시 응답하지 못했습니다. 잠시 뒤 자동으로 다시 올릴게요."
    )
    REFUSED: ClassVar[Meaning] = Meaning(
        P, "{subject} 게시를 거절했습니다({said}). 글과 사진을 확인해 고친 뒤 다시 예약해 주세요."
    )

    # Content-publishing subcodes (Instagram's error-code reference; Threads shares them).
    SUBCODES: ClassVar[dict[int, Meaning]] = {
        2207001: Meaning(T, "{subject} 잠시 오류를 냈습니다. 잠시 뒤 자동으로 다시 올릴게요."),
        2207003: Meaning(
            T,
            "{subject} 미디어를 내려받는 데 시간이 너무 오래 걸렸습니다. 잠시 뒤 자동으로 다시 "
            "올릴게요. 계속되면 파일 크기를 줄여 주세요.",
            fresh_container=True,
        ),
        2207004: Meaning(
            P, "사진 파일이 너무 큽니다(8MB까지). 사진을 줄여 다시 만든 뒤 예약해 주세요."
        ),
        2207005: Meaning(
            P, "{subject} 받지 않는 사진 형식입니다. JPEG로 다시 만든 뒤 예약해 주세요."
        ),
        2207006: Meaning(
            T,
            "{subject} 게시 준비물을 찾지 못했습니다. 새로 준비해서 자동으로 다시 올릴게요.",
            fresh_container=True,
        ),
        2207008: Meaning(
            T, "{subject} 잠시 게시를 받지 못했습니다. 1–2분 뒤 자동으로 다시 올릴게요.", 60.0
        ),
        2207009: Meaning(
            P,
            "사진 비율이 {name} 허용 범위(세로 4:5 ~ 가로 1.91:1)를 벗어났습니다. 1080×1350"
            "(4:5)으로 다시 만든 뒤 예약해 주세요.",
        ),
        2207010: Meaning(
            P,
            "글이 {name} 규칙을 넘었습니다(2,200자, 해시태그 30개, @언급 20개까지). 글을 줄인 "
            "뒤 다시 예약해 주세요.",
        ),
        2207020: Meaning(
            T,
            "게시 준비물의 유효 시간(24시간)이 지났습니다. 새로 준비해서 자동으로 다시 올릴게요.",
            fresh_container=True,
        ),
        2207023: Meaning(
            P, "{subject} 모르는 미디어 종류입니다. 콘텐츠를 다시 만든 뒤 예약해 주세요."
        ),
        2207026: Meaning(P, f"{{subject}} 받지 않는 영상 형식입니다. {VIDEO_FIX}"),
        2207027: Meaning(
            T, "{subject} 아직 미디어를 처리하고 있습니다. 끝나는 대로 자동으로 올릴게요."
        ),
        2207028: Meaning(
            P, "여러 장 게시물은 사진이 2–10장이어야 합니다. 사진 수를 맞춘 뒤 다시 예약해 주세요."
        ),
        2207032: Meaning(
            T,
            "{subject} 게시 준비물을 만들지 못했습니다. 새로 준비해서 자동으로 다시 올릴게요.",
            fresh_container=True,
        ),
        2207042: Meaning(
            T,
            "오늘 {name}에 API로 올릴 수 있는 게시물 수를 다 썼습니다. 한도가 풀리는 대로 "
            "자동으로 다시 올릴게요.",
            code="quota",
        ),
        2207050: Meaning(
            A,
            "{name} 계정이 비활성화되었거나 제한되었습니다. {name} 앱에 로그인해 안내하는 "
            "절차(본인 확인 등)를 마친 뒤, 설정 > 채널 연결에서 계정을 다시 연결해 주세요.",
        ),
        2207051: Meaning(
            P,
            "{subject} 이 게시를 스팸으로 의심해 막았습니다. 같은 글을 짧은 시간에 여러 번 "
            "올리지 않았는지 확인하고, 글을 고친 뒤 다시 예약해 주세요.",
        ),
        2207052: Meaning(P, FETCH_FIX),
        2207053: Meaning(
            T,
            "{subject} 영상을 올리다 알 수 없는 오류를 냈습니다. 새로 준비해서 자동으로 다시 "
            "올릴게요.",
            fresh_container=True,
        ),
        2207057: Meaning(
            P, "릴스 표지 위치가 영상 길이를 벗어났습니다. 표지를 다시 고른 뒤 예약해 주세요."
        ),
        # Threads: publishing a container it has not finished preparing ("Media Not Found").
        4279009: Meaning(
            T, "{subject} 아직 미디어를 준비하고 있습니다. 잠시 뒤 자동으로 다시 올릴게요."
        ),
    }
    # Codes that carry the same meaning when an answer has no subcode.
    CODE_SUBCODES: ClassVar[dict[int, int]] = {
        352: 2207026,
        9004: 2207052,
        9007: 2207027,
        36000: 2207004,
        36001: 2207005,
        36003: 2207009,
        36004: 2207010,
    }

    def __init__(self, *, name: str, subject: str) -> None:
        self.name = name  # "인스타그램"
        self.subject = subject  # "인스타그램이": Korean picks 이/가 by the last syllable

    def words(self, message: str) -> str:
        # Not str.format: Meta's own words (kept in some messages) may hold braces.
        return message.replace("{name}", self.name).replace("{subject}", self.subject)

    def meaning(self, error: GraphError) -> Meaning:
        """What ``error`` means, most specific first: subcode, code, then HTTP status."""
        subcode = error.subcode or self.CODE_SUBCODES.get(error.code or 0)
        if subcode in self.SUBCODES:
            return self.SUBCODES[subcode]
        code = error.code
        if code is None and error.status == 401:
            code = 190  # a bare 401 from a proxy or gateway: the token was refused all the same
        if code in self.AUTH_CODES or (code is not None and code in self.PERMISSION_CODES):
            return self.NEEDS_RECONNECT
        if (
            code in self.RATE_LIMIT_CODES
            or (code or 0) >= self.BUSINESS_RATE_LIMIT_FROM
            or error.status == 429
        ):
            return self.RATE_LIMITED
        if code in self.TEMPORARY_CODES or error.status >= 500 or error.is_transient:
            return self.BUSY
        said = error.user_message or error.message or f"HTTP {error.status}"
        return Meaning(P, self.REFUSED.message.replace("{said}", said))

    def from_graph(self, error: GraphError, *, outcome_unknown: bool = False) -> PublishError:
        return self.publish_error(
            self.meaning(error),
            detail=error.detail,
            status=error.status,
            code=error.codes,
            retry_after_s=error.retry_after_s,
            outcome_unknown=outcome_unknown,
        )

    def publish_error(
        self,
        meaning: Meaning,
        *,
        detail: str,
        status: int | None = None,
        code: str = "",
        retry_after_s: float | None = None,
        outcome_unknown: bool = False,
    ) -> GraphPublishError:
        """The PublishError for ``meaning``; Meta's Retry-After wins over our default wait."""
        wait = retry_after_s if retry_after_s is not None else meaning.retry_after_s
        if meaning.code == "quota":
            wait = max(wait or 0.0, self.DAILY_LIMIT_WAIT_S)
        return GraphPublishError(
            self.words(meaning.message),
            kind=meaning.kind,
            detail=detail,
            status=status,
            code=meaning.code or code,
            retry_after_s=wait if meaning.kind is ErrorKind.TRANSIENT else None,
            outcome_unknown=outcome_unknown,
            fresh_container=meaning.fresh_container,
        )

    def unreachable(self, exc: requests.RequestException, *, outcome_unknown: bool) -> PublishError:
        return PublishError(
            self.words("{name} 서버와 연결이 끊겼습니다. 잠시 뒤 자동으로 다시 시도할게요."),
            kind=ErrorKind.TRANSIENT,
            detail=f"{type(exc).__name__}: {exc}",
            outcome_unknown=outcome_unknown,
        )

    def garbled(self, detail: str, *, status: int, outcome_unknown: bool) -> PublishError:
        """A 2xx whose body is not what the API documents."""
        return PublishError(
            self.words(
                "{subject} 알아볼 수 없는 답을 보냈습니다. 잠시 뒤 자동으로 다시 확인할게요."
            ),
            kind=ErrorKind.TRANSIENT,
            detail=detail,
            status=status,
            outcome_unknown=outcome_unknown,
        )


class GraphClient:
    """GET/POST on one account's Graph root, every call recorded before it goes out.

    ``effectful=True`` marks the call that publishes: a lost answer or a 5xx then
    raises with ``outcome_unknown``.
    """

    def __init__(self, job: PublishJob, errors: GraphErrors) -> None:
        self.job = job
        self.errors = errors
        self.root = job.endpoints.api.rstrip("/")
        self._session: requests.Session | None = None

    def __enter__(self) -> Self:
        self._session = http_session()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def get(self, action: str, path: str, **params: Any) -> dict[str, Any]:
        return self._call("GET", action, path, params, effectful=False)

    def post(
        self, action: str, path: str, *, effectful: bool = False, **params: Any
    ) -> dict[str, Any]:
        return self._call("POST", action, path, params, effectful=effectful)

    def post_for_id(self, action: str, path: str, *, effectful: bool = False, **params: Any) -> str:
        """POST and return the ``id`` Meta answers with (a body without one raises)."""
        body = self.post(action, path, effectful=effectful, **params)
        if not body.get("id"):
            raise self.errors.garbled(
                f"{action}: no id in {body!r}"[:300], status=200, outcome_unknown=effectful
            )
        return str(body["id"])

    def _call(
        self, method: str, action: str, path: str, params: dict[str, Any], *, effectful: bool
    ) -> dict[str, Any]:
        if self._session is None:
            raise RuntimeError("GraphClient is used outside its `with` block")
        params = {name: _form_value(value) for name, value in params.items() if value is not None}
        # The token as a parameter: the one way both Graph hosts document (never recorded).
        sent = {"access_token": self.job.credentials.access_token, **params}
        with self.job.call(action, path=path, **_summary(params)) as record:
            try:
                response = self._session.request(
                    method,
                    f"{self.root}/{path.lstrip('/')}",
                    params=sent if method == "GET" else None,
                    data=sent if method != "GET" else None,
                )
            except requests.RequestException as exc:
                raise self.errors.unreachable(exc, outcome_unknown=effectful) from exc
            record.status = response.status_code
            if not response.ok:
                error = GraphError.from_response(response)
                raise self.errors.from_graph(
                    error, outcome_unknown=effectful and error.status >= 500
                )
            body = _json_object(response)
            if body is None:
                raise self.errors.garbled(
                    f"{method} {path}: {response.text[:200]!r}",
                    status=response.status_code,
                    outcome_unknown=effectful,
                )
            if "id" in body:
                record.summary["id"] = str(body["id"])
            return body


# --- Helpers -----------------------------------------------------------------------------


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def _summary(params: dict[str, str]) -> dict[str, Any]:
    """What the attempt row keeps of a call: never the token, long texts cut short."""
    return {
        name: (value if len(value) <= 120 else f"{value[:117]}…") for name, value in params.items()
    }


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after_s(response: requests.Response) -> float | None:
    """How long Meta asks us to wait: ``Retry-After`` (seconds or an HTTP date), else the
    business-use-case header's ``estimated_time_to_regain_access`` (minutes)."""
    asked = retry_after_s(response)
    if asked is not None:
        return asked
    usage = response.headers.get("X-Business-Use-Case-Usage", "")
    try:
        entries = [e for items in json.loads(usage).values() for e in items] if usage else []
    except (ValueError, AttributeError, TypeError):
        return None
    minutes = [
        float(e.get("estimated_time_to_regain_access") or 0) for e in entries if isinstance(e, dict)
    ]
    return max(minutes) * 60 if minutes and max(minutes) > 0 else None


def graph_time(value: Any) -> dt.datetime | None:
    """Meta's timestamps (``2026-11-23T01:00:00+0000``) as aware datetimes."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None


def poll_interval_s(*, video: bool) -> float:
    """Between status reads: settings.PUBLISH_POLL_S for video, a few seconds for images."""
    return float(settings.PUBLISH_POLL_S if video else min(settings.PUBLISH_POLL_S, 5))
