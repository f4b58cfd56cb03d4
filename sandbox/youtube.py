"""A local YouTube Data API v3 with Google OAuth: ``FakeYouTube``.

The subset Gagecast uses, at the real paths under ``fake.url``:

- ``GET /o/oauth2/v2/auth`` (consent page), ``POST /token`` (authorization_code and
  refresh_token grants), ``POST /revoke``;
- ``POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`` then
  ``PUT`` the bytes to the session URL in ``Location`` (whole or in chunks with
  ``Content-Range``; ``bytes */total`` asks where the upload stands);
- ``GET /youtube/v3/videos`` (snippet, status, statistics, processingDetails),
  ``GET /youtube/v3/channels?mine=true``, ``GET /youtube/v3/playlistItems`` (the
  uploads playlist, newest first);
- ``GET /v2/reports``: the YouTube Analytics API (``sandbox.youtube_analytics``).

Tokens carry the scopes their consent granted (``sandbox.google_api``).

Errors come in Google's JSON (``{"error": {"code", "message", "errors": [{"reason",
"domain", "message"}], "status"}}``); statistics grow from the audience model::

    with FakeYouTube() as yt:
        token = yt.token_for(yt.channel_id_for("yeonnam_cafe"))
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.faults import (
    CONTAINER_ERROR,
    CONTAINER_EXPIRED,
    QUOTA_EXCEEDED,
    RATE_LIMITED,
    REVOKED_TOKEN,
    SLOW_PROCESSING,
    Fault,
    Operation,
    operation,
)
from sandbox.google_api import (
    DEFAULT_SCOPES,
    oauth_error,
    requested_scopes,
    scoped_kind,
    scopes_of,
    unauthenticated,
    youtube_error,
)
from sandbox.media import Mp4Duration
from sandbox.platform import (
    PlatformSimulator,
    SandboxPost,
    TokenClaims,
    bearer_token,
    redirect,
    request_params,
)
from sandbox.server import RecordedRequest, Reply
from sandbox.youtube_analytics import AnalyticsReports

UPLOAD_PATH = r"/upload/youtube/v3/videos"
API = r"/youtube/v3"
ACCESS_PREFIX = "ya29.sandbox"
REFRESH_PREFIX = "1//sandbox"
ACCESS_TTL_S = 3599
CHUNK_GRANULARITY = 256 * 1024
PACIFIC = ZoneInfo("America/Los_Angeles")
VIDEO_PARTS = ("id", "snippet", "status", "statistics", "processingDetails")
PRIVACY = ("public", "unlisted", "private")


@dataclass
class UploadSession:
    """A resumable upload (mutable; guarded by the simulator's lock)."""

    id: str
    channel_id: str
    resource: dict[str, Any]
    parts: tuple[str, ...]
    total: int | None
    content_type: str
    created_at: float
    expires_at: float
    received: int = 0
    digest: Any = field(default_factory=hashlib.sha256)  # the bytes are hashed, not kept
    duration: Mp4Duration = field(default_factory=Mp4Duration)  # read as the bytes go by
    video_id: str | None = None


@dataclass
class Video:
    """An uploaded video's own state beyond its SandboxPost."""

    id: str
    channel_id: str
    snippet: dict[str, Any]
    privacy_status: str
    publish_at: dt.datetime | None
    made_for_kids: bool | None
    uploaded_at: float
    processed_at: float
    failed: bool = False
    locked_private: bool = False
    size_bytes: int = 0
    sha256: str = ""
    duration_s: float | None = None  # from the file's mvhd; None when it declares none


class FakeYouTube(PlatformSimulator):
    """YouTube Data API v3 and Google OAuth on 127.0.0.1.

    ``daily_upload_quota``: videos.insert calls per Pacific day for the whole
    project (then 403 quotaExceeded); ``channel_daily_upload_limit``: per channel
    (then 400 uploadLimitExceeded; None: no limit); ``processing_s``: how long a
    video stays ``uploaded`` before ``processed``; ``session_ttl_s``: when an
    unfinished upload session is gone (404); ``unverified_app``: lock every upload
    to private, as Google does for unaudited API projects; ``client_id`` /
    ``client_secret``: the only ones accepted (None: any);
    ``enforce_chunk_granularity``: keep only whole 256 KiB blocks of a non-final
    chunk, as Google's upload servers do (the 308 Range says what was kept).
    """

    platform = "youtube"
    config_fields = (
        "daily_upload_quota",
        "channel_daily_upload_limit",
        "processing_s",
        "session_ttl_s",
        "unverified_app",
        "enforce_chunk_granularity",
    )

    def __init__(
        self,
        *,
        daily_upload_quota: int = 100,
        channel_daily_upload_limit: int | None = None,
        processing_s: float = 0.0,
        session_ttl_s: float = 7 * 86_400,
        unverified_app: bool = False,
        client_id: str | None = None,
        client_secret: str | None = None,
        enforce_chunk_granularity: bool = True,
        **base: Any,
    ) -> None:
        base.setdefault("recorded_body_limit", 4096)  # uploads are hashed; the log keeps a taste
        super().__init__(**base)
        self.daily_upload_quota = daily_upload_quota
        self.channel_daily_upload_limit = channel_daily_upload_limit
        self.processing_s = processing_s
        self.session_ttl_s = session_ttl_s
        self.unverified_app = unverified_app
        self.client_id = client_id
        self.client_secret = client_secret
        self.enforce_chunk_granularity = enforce_chunk_granularity
        self._sessions: dict[str, UploadSession] = {}
        self._videos: dict[str, Video] = {}
        self._inserts: list[tuple[float, str]] = []  # (when, channel) of every videos.insert
        self._revoked_before: dict[str, float] = {}  # channel -> refresh tokens revoked up to
        self.op_token = operation("token", "oauth_token", "refresh")
        self.op_insert = operation(
            "create", "videos.insert", "upload_start", kinds=(QUOTA_EXCEEDED,)
        )
        self.op_chunk = operation(
            "upload", "upload_chunk", kinds=(CONTAINER_EXPIRED,), authenticated=False
        )
        self.op_final = operation(
            "publish",
            "upload",
            "upload_final",
            kinds=(CONTAINER_ERROR, CONTAINER_EXPIRED, SLOW_PROCESSING),
            authenticated=False,
        )
        self.op_status = operation("status", "upload_status", authenticated=False)
        self.op_read = operation("read", "videos.list", "videos_list")
        self.op_channels = operation("me", "channels.list", "channels")
        self.op_list = operation("list", "playlistItems.list", "playlist_items")
        self.route("GET", r"/o/oauth2/v2/auth", self._authorize)
        self.route("POST", r"/o/oauth2/v2/auth", self._authorize)
        self.route("POST", r"/token", self._token)
        self.route("POST", r"/revoke", self._revoke)
        self.route("POST", UPLOAD_PATH, self._insert)
        self.route("PUT", UPLOAD_PATH, self._upload)
        self.route(
            "POST", r"/_sandbox/upload_sessions/(?P<session>[A-Za-z0-9_-]+)/expire", self._expire
        )
        self.route("GET", rf"{API}/videos", self._videos_list)
        self.route("GET", rf"{API}/channels", self._channels_list)
        self.route("GET", rf"{API}/playlistItems", self._playlist_items)
        self.route("GET", r"/shorts/(?P<video>[A-Za-z0-9_-]{11})", self._video_page)
        self.analytics = AnalyticsReports(self)  # GET /v2/reports

    # --- Python API ------------------------------------------------------------------

    def channel_id_for(self, username: str) -> str:
        """The channel id a Google account name gets (the same in every run), remembered."""
        digest = base64.urlsafe_b64encode(
            hashlib.sha256(f"youtube:{username}".encode()).digest()
        ).decode()
        channel_id = f"UC{digest[:22]}"
        self.remember_user(channel_id, username)
        return channel_id

    def token_for(
        self,
        channel_id: str,
        *,
        expires_in: float = ACCESS_TTL_S,
        issued_at: float | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
    ) -> str:
        """A valid access token for the channel without the browser flow, granting
        ``scopes`` (default: upload, readonly and yt-analytics.readonly)."""
        issued = self.clock() if issued_at is None else issued_at
        kind = scoped_kind("access", scopes)
        return self.signer.issue(
            ACCESS_PREFIX, kind, channel_id, issued_at=issued, ttl_s=expires_in
        )

    def refresh_token_for(self, channel_id: str, *, scopes: Sequence[str] = DEFAULT_SCOPES) -> str:
        kind = scoped_kind("refresh", scopes)
        return self.signer.issue(
            REFRESH_PREFIX, kind, channel_id, issued_at=self.clock(), ttl_s=None
        )

    def revoke(self, token: str) -> None:
        """Revoke an access token, or a refresh token and every token of its channel
        issued so far (as revoking the app's access does)."""
        claims = self.signer.read(token, REFRESH_PREFIX)
        if claims is None:
            super().revoke(token)
            return
        with self.state_lock:
            self._revoked_before[claims.subject] = self.clock()

    def video(self, video_id: str) -> Video | None:
        with self.state_lock:
            return self._videos.get(video_id)

    def duration_of(self, video_id: str) -> float | None:
        """The video's length as its file declares it (None: unknown or no such video)."""
        video = self.video(video_id)
        return video.duration_s if video is not None else None

    def upload_session(self, session_id: str) -> UploadSession | None:
        with self.state_lock:
            return self._sessions.get(session_id)

    def expire_session(self, session_id: str) -> None:
        """Make an upload session gone (the next PUT answers 404)."""
        with self.state_lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.expires_at = self.clock()

    def uploads_today(self, channel_id: str | None = None) -> int:
        """videos.insert calls in the current Pacific day (for a channel, or all)."""
        today = dt.datetime.fromtimestamp(self.clock(), PACIFIC).date()
        with self.state_lock:
            return sum(
                1
                for when, channel in self._inserts
                if dt.datetime.fromtimestamp(when, PACIFIC).date() == today
                and channel_id in (None, channel)
            )

    def reset(self) -> None:
        super().reset()
        with self.state_lock:
            self._sessions.clear()
            self._videos.clear()
            self._inserts.clear()
            self._revoked_before.clear()

    def issue_sandbox_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        channel_id = str(payload.get("channel_id") or payload.get("user_id") or "")
        if not channel_id:
            channel_id = self.channel_id_for(str(payload.get("username") or "sandbox_shop"))
        expires_in = float(payload.get("expires_in") or ACCESS_TTL_S)
        scopes = requested_scopes(payload.get("scope"))
        return {
            "access_token": self.token_for(channel_id, expires_in=expires_in, scopes=scopes),
            "expires_in": int(expires_in),
            "refresh_token": self.refresh_token_for(channel_id, scopes=scopes),
            "token_type": "Bearer",
            "scope": " ".join(scopes),
            "channel_id": channel_id,
            "user_id": channel_id,
            "username": self.username_of(channel_id),
        }

    # --- Faults in Google's words ----------------------------------------------------------

    def fault_reply(self, fault: Fault, operation: Operation) -> Reply:
        if fault.kind == RATE_LIMITED:
            retry_after = float(fault.option("retry_after_s", self.faults.retry_after_s))
            return youtube_error(
                429,
                "rateLimitExceeded",
                "Resource has been exhausted (e.g. check quota).",
                domain="usageLimits",
                headers={"Retry-After": str(max(0, round(retry_after)))},
            )
        if fault.kind == REVOKED_TOKEN:
            if operation is self.op_token:
                return oauth_error("invalid_grant", "Token has been expired or revoked.")
            return unauthenticated()
        if int(fault.option("status", 500)) == 503:
            return youtube_error(
                503, "backendError", "The service is currently unavailable.", domain="global"
            )
        return youtube_error(500, "backendError", "Backend Error", domain="global")

    # --- OAuth -----------------------------------------------------------------------------

    def _authorize(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        if self.client_id is not None and params.get("client_id") not in (None, self.client_id):
            return youtube_error(
                401, "invalid_client", "Error 401: invalid_client. The OAuth client was not found."
            )

        def allow(username: str) -> Reply:
            channel_id = self.channel_id_for(username)
            offline = params.get("access_type") == "offline"
            consent = "consent" in str(params.get("prompt") or "").split()
            grant = self.grant(channel_id, username, params, refresh=offline and consent)
            code = "4/0" + self.issue_code(grant)
            return redirect(
                str(params["redirect_uri"]),
                state=params.get("state"),
                code=code,
                scope=" ".join(grant.scopes),
                authuser="0",
                prompt="consent",
            )

        return self.consent_flow(
            params,
            product="Google · YouTube",
            action="/o/oauth2/v2/auth",
            default_scopes=DEFAULT_SCOPES,
            allow=allow,
            denied={"error": "access_denied"},
        )

    def _token(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        if self.client_id is not None and params.get("client_id") != self.client_id:
            return oauth_error("invalid_client", "The OAuth client was not found.", status=401)
        if self.client_secret is not None and params.get("client_secret") != self.client_secret:
            return oauth_error("invalid_client", "Unauthorized", status=401)
        grant_type = params.get("grant_type")
        if grant_type == "authorization_code":
            return self.run(self.op_token, lambda fault: self._exchange_code(params))
        if grant_type == "refresh_token":
            return self.run(self.op_token, lambda fault: self._refresh(params))
        return oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant_type or ''}")

    def _exchange_code(self, params: Mapping[str, Any]) -> Reply:
        code = str(params.get("code") or "")
        if not code:
            return oauth_error("invalid_request", "Missing required parameter: code")
        grant = self.take_code(code.removeprefix("4/0"))
        if grant is None:
            return oauth_error("invalid_grant", "Malformed auth code.")
        if grant.redirect_uri != params.get("redirect_uri"):
            return oauth_error("redirect_uri_mismatch", "Bad Request")
        scopes = grant.scopes or DEFAULT_SCOPES
        body: dict[str, Any] = {
            "access_token": self.token_for(grant.subject, scopes=scopes),
            "expires_in": ACCESS_TTL_S,
            "scope": " ".join(scopes),
            "token_type": "Bearer",
        }
        if grant.extra.get("refresh"):
            body["refresh_token"] = self.refresh_token_for(grant.subject, scopes=scopes)
        return Reply(body=body)

    def _refresh(self, params: Mapping[str, Any]) -> Reply:
        token = str(params.get("refresh_token") or "")
        claims = self.signer.read(token, REFRESH_PREFIX)
        if claims is None or self._refresh_revoked(claims.subject, claims.issued_at, token):
            return oauth_error("invalid_grant", "Token has been expired or revoked.")
        scopes = scopes_of(claims.kind)  # a refresh grants what the consent granted
        return Reply(
            body={
                "access_token": self.token_for(claims.subject, scopes=scopes),
                "expires_in": ACCESS_TTL_S,
                "scope": " ".join(scopes),
                "token_type": "Bearer",
            }
        )

    def _revoke(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        token = str(request_params(request).get("token") or "")
        if (
            self.signer.read(token, REFRESH_PREFIX) is None
            and self.signer.read(token, ACCESS_PREFIX) is None
        ):
            return oauth_error("invalid_token", "Token expired or revoked")
        self.revoke(token)
        return Reply(body={})

    def _refresh_revoked(self, channel_id: str, issued_at: float, token: str) -> bool:
        with self.state_lock:
            revoked_before = self._revoked_before.get(channel_id)
        return self.is_revoked(token) or (
            revoked_before is not None and issued_at <= revoked_before
        )

    def _channel(
        self, request: RecordedRequest, params: Mapping[str, Any]
    ) -> tuple[str, Reply | None]:
        claims, refusal = self.caller(request, params)
        return (claims.subject if claims else ""), refusal

    def caller(
        self, request: RecordedRequest, params: Mapping[str, Any]
    ) -> tuple[TokenClaims | None, Reply | None]:
        """The claims of the request's valid access token (the channel is ``subject``,
        the granted scopes ``scopes_of(kind)``), or Google's 401."""
        token = bearer_token(request) or str(params.get("access_token") or "")
        claims = self.signer.read(token, ACCESS_PREFIX)
        if claims is None or claims.expired(self.clock()) or self.is_revoked(token):
            return None, unauthenticated()
        if self._refresh_revoked(claims.subject, claims.issued_at, ""):
            return None, unauthenticated()
        return claims, None

    # --- Resumable upload -----------------------------------------------------------------

    def _insert(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = {name: values[0] for name, values in request.query.items() if values}
        channel_id, refusal = self._channel(request, params)
        if refusal is not None:
            return refusal
        if params.get("uploadType") != "resumable":
            return youtube_error(
                400,
                "badRequest",
                "The sandbox speaks the resumable upload protocol only: uploadType=resumable.",
                domain="global",
            )
        parts = tuple(
            part.strip() for part in str(params.get("part") or "").split(",") if part.strip()
        )
        if not parts:
            return youtube_error(
                400,
                "missingRequiredParameter",
                "No filter selected. Expected one of: part",
                domain="youtube.parameter",
            )
        resource = request.json if isinstance(request.json, dict) else {}
        refusal = _resource_refusal(resource, self.now())
        if refusal is not None:
            return refusal
        content_type = request.headers.get("x-upload-content-type", "video/*")
        if not (content_type.startswith("video/") or content_type == "application/octet-stream"):
            return youtube_error(
                400, "invalidContentType", f"Media type '{content_type}' is not supported."
            )
        length = request.headers.get("x-upload-content-length")
        total = int(length) if length and length.isdigit() else None
        return self.run(
            self.op_insert,
            lambda fault: self._start_session(
                channel_id, resource, parts, total, content_type, fault
            ),
        )

    def _start_session(
        self,
        channel_id: str,
        resource: dict[str, Any],
        parts: tuple[str, ...],
        total: int | None,
        content_type: str,
        fault: Fault | None,
    ) -> Reply:
        with self.state_lock:
            if (
                fault is not None and fault.kind == QUOTA_EXCEEDED
            ) or self.uploads_today() >= self.daily_upload_quota:
                return youtube_error(
                    403,
                    "quotaExceeded",
                    "The request cannot be completed because you have exceeded your "
                    '<a href="/youtube/v3/getting-started#quota">quota</a>.',
                    domain="youtube.quota",
                )
            limit = self.channel_daily_upload_limit
            if limit is not None and self.uploads_today(channel_id) >= limit:
                return youtube_error(
                    400,
                    "uploadLimitExceeded",
                    "The user has exceeded the number of videos they may upload.",
                    domain="youtube.video",
                )
            now = self.clock()
            self._inserts.append((now, channel_id))
            session = UploadSession(
                id=secrets.token_urlsafe(24),
                channel_id=channel_id,
                resource=resource,
                parts=parts,
                total=total,
                content_type=content_type,
                created_at=now,
                expires_at=now + self.session_ttl_s,
            )
            self._sessions[session.id] = session
        location = f"{self.url}/upload/youtube/v3/videos?uploadType=resumable&part={','.join(parts)}&upload_id={session.id}"
        return Reply(body="", headers={"Location": location, "X-GUploader-UploadID": session.id})

    def _upload(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        session_id = request.param("upload_id") or ""
        with self.state_lock:
            session = self._sessions.get(session_id)
        if session is None or session.expires_at <= self.clock():
            return _session_gone()
        content_range = request.headers.get("content-range", "")
        status_query = re.fullmatch(r"bytes \*/(\d+|\*)", content_range.strip())
        if status_query:
            return self.run(self.op_status, lambda fault: self._session_state(session))
        parsed = _content_range(content_range, len(request.body), session.total)
        if isinstance(parsed, Reply):
            return parsed
        start, end, total = parsed
        final = total is not None and end + 1 == total
        op = self.op_final if final else self.op_chunk
        return self.run(op, lambda fault: self._receive(session, request.body, start, total, fault))

    def _receive(
        self,
        session: UploadSession,
        body: bytes,
        start: int,
        total: int | None,
        fault: Fault | None,
    ) -> Reply:
        with self.state_lock:
            if fault is not None and fault.kind == CONTAINER_EXPIRED:
                session.expires_at = self.clock()
                return _session_gone()
            if session.video_id is not None:
                return self._finished(session)
            if total is not None:
                session.total = total
            if start <= session.received:
                fresh = body[session.received - start :]
                final = session.total is not None and session.received + len(fresh) >= session.total
                if not final and self.enforce_chunk_granularity:
                    kept = (session.received + len(fresh)) // CHUNK_GRANULARITY * CHUNK_GRANULARITY
                    fresh = fresh[: max(0, kept - session.received)]
                self._take(session, fresh)
            if session.total is not None and session.received >= session.total:
                if session.total == 0:
                    return youtube_error(
                        400, "mediaBodyRequired", "The request does not include the video content."
                    )
                self._complete(session, fault)
                return self._finished(session)
            return _resume_incomplete(session.received)

    def _take(self, session: UploadSession, data: bytes) -> None:
        session.received += len(data)
        session.digest.update(data)
        session.duration.feed(data)

    def _session_state(self, session: UploadSession) -> Reply:
        with self.state_lock:
            if session.video_id is not None:
                return self._finished(session)
            return _resume_incomplete(session.received)

    def _complete(self, session: UploadSession, fault: Fault | None) -> None:
        # Called with the lock held.
        now = self.clock()
        snippet = dict(session.resource.get("snippet") or {})
        status = dict(session.resource.get("status") or {})
        privacy = str(status.get("privacyStatus") or "public")
        publish_at = _parse_time(status.get("publishAt")) if status.get("publishAt") else None
        locked = self.unverified_app and privacy != "private"
        processing = self.processing_s
        if fault is not None and fault.kind == SLOW_PROCESSING:
            processing += float(fault.option("extra_s", self.faults.slow_processing_s))
        video = Video(
            id=_video_id(),
            channel_id=session.channel_id,
            snippet=snippet,
            privacy_status="private" if locked else privacy,
            publish_at=publish_at,
            made_for_kids=status.get("selfDeclaredMadeForKids"),
            uploaded_at=now,
            processed_at=now + processing,
            failed=fault is not None and fault.kind == CONTAINER_ERROR,
            locked_private=locked,
            size_bytes=session.received,
            sha256=session.digest.hexdigest(),
            duration_s=session.duration.seconds,
        )
        session.video_id = video.id
        self._videos[video.id] = video
        visibility = (
            "failed" if video.failed else ("public" if publish_at else video.privacy_status)
        )
        self.add_post(
            SandboxPost(
                id=video.id,
                platform=self.platform,
                user_id=session.channel_id,
                username=self.username_of(session.channel_id),
                media_type="VIDEO",
                published_at=dt.datetime.fromtimestamp(now, dt.UTC),
                text=str(snippet.get("description") or ""),
                title=str(snippet.get("title") or ""),
                container_id=session.id,
                permalink=f"{self.url}/shorts/{video.id}",
                shortcode=video.id,
                visibility=visibility,
                visible_from=publish_at,
                extra={
                    "tags": list(snippet.get("tags") or []),
                    "category_id": snippet.get("categoryId"),
                    "privacy_status": privacy,
                    "publish_at": status.get("publishAt"),
                    "locked_private": locked,
                    "size_bytes": session.received,
                    "sha256": video.sha256,
                    "duration_s": video.duration_s,
                    "content_type": session.content_type,
                },
            )
        )

    def _finished(self, session: UploadSession) -> Reply:
        assert session.video_id is not None
        return Reply(body=self._resource(self._videos[session.video_id], session.parts))

    def _expire(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        self.expire_session(match["session"])
        return Reply(body={"ok": True})

    # --- Reading ---------------------------------------------------------------------------

    def _resource(self, video: Video, parts: tuple[str, ...]) -> dict[str, Any]:
        now = self.clock()
        resource: dict[str, Any] = {
            "kind": "youtube#video",
            "etag": _etag(video.id, now),
            "id": video.id,
        }
        published = dt.datetime.fromtimestamp(video.uploaded_at, dt.UTC)
        if "snippet" in parts:
            title = str(video.snippet.get("title") or "")
            description = str(video.snippet.get("description") or "")
            resource["snippet"] = {
                "publishedAt": _google_time(published),
                "channelId": video.channel_id,
                "title": title,
                "description": description,
                "thumbnails": {
                    "default": {
                        "url": f"{self.url}/vi/{video.id}/default.jpg",
                        "width": 120,
                        "height": 90,
                    }
                },
                "channelTitle": self.username_of(video.channel_id),
                "tags": list(video.snippet.get("tags") or []),
                "categoryId": str(video.snippet.get("categoryId") or "22"),
                "liveBroadcastContent": "none",
                "localized": {"title": title, "description": description},
            }
            if video.snippet.get("defaultLanguage"):
                resource["snippet"]["defaultLanguage"] = video.snippet["defaultLanguage"]
        if "status" in parts:
            scheduled = video.publish_at is not None and now < video.publish_at.timestamp()
            privacy = video.privacy_status
            if video.publish_at is not None and not scheduled and not video.locked_private:
                privacy = "public"  # YouTube published it at publishAt
            status: dict[str, Any] = {
                "uploadStatus": "failed"
                if video.failed
                else ("processed" if now >= video.processed_at else "uploaded"),
                "privacyStatus": privacy,
                "license": "youtube",
                "embeddable": True,
                "publicStatsViewable": True,
            }
            if video.failed:
                status["failureReason"] = "codec"
            if scheduled:
                status["publishAt"] = _google_time(video.publish_at)  # type: ignore[arg-type]
            if video.made_for_kids is not None:
                status["selfDeclaredMadeForKids"] = bool(video.made_for_kids)
                status["madeForKids"] = bool(video.made_for_kids)
            resource["status"] = status
        if "statistics" in parts:
            numbers = self.metrics(video.id)
            resource["statistics"] = {
                "viewCount": str(numbers.get("views", 0)),
                "likeCount": str(numbers.get("likes", 0)),
                "favoriteCount": "0",
                "commentCount": str(numbers.get("comments", 0)),
            }
        if "processingDetails" in parts:
            state = (
                "failed"
                if video.failed
                else ("succeeded" if now >= video.processed_at else "processing")
            )
            resource["processingDetails"] = {"processingStatus": state}
            if video.failed:
                resource["processingDetails"]["processingFailureReason"] = "transcodeFailed"
        return resource

    def _videos_list(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        channel_id, refusal = self._channel(request, params)
        if refusal is not None:
            return refusal
        parts = tuple(
            part.strip() for part in str(params.get("part") or "").split(",") if part.strip()
        )
        if not parts:
            return youtube_error(
                400,
                "missingRequiredParameter",
                "No filter selected. Expected one of: part",
                domain="youtube.parameter",
            )
        unknown = [part for part in parts if part not in VIDEO_PARTS]
        if unknown:
            return youtube_error(
                400,
                "unknownPart",
                f"'{unknown[0]}' is not a valid part of the sandbox's video resource.",
                domain="youtube.part",
            )
        ids = [
            video_id.strip()
            for video_id in str(params.get("id") or "").split(",")
            if video_id.strip()
        ]
        if not ids:
            return youtube_error(
                400,
                "missingRequiredParameter",
                "No filter selected. Expected one of: id",
                domain="youtube.parameter",
            )
        if len(ids) > 50:
            return youtube_error(
                400,
                "invalidFilters",
                "At most 50 video ids can be requested at once.",
                domain="youtube.parameter",
            )

        def answer(fault: Fault | None) -> Reply:
            with self.state_lock:
                videos = [self._videos.get(video_id) for video_id in ids]
            items = [
                self._resource(video, parts)
                for video in videos
                if video is not None
                and (video.channel_id == channel_id or video.privacy_status == "public")
            ]
            return Reply(body=_list_body("youtube#videoListResponse", items))

        return self.run(self.op_read, answer)

    def _channels_list(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        channel_id, refusal = self._channel(request, params)
        if refusal is not None:
            return refusal
        if str(params.get("mine")).lower() != "true" and params.get("id") != channel_id:
            return youtube_error(
                400,
                "missingRequiredParameter",
                "No filter selected. Expected one of: mine, id",
                domain="youtube.parameter",
            )
        parts = {part.strip() for part in str(params.get("part") or "snippet").split(",")}

        def answer(fault: Fault | None) -> Reply:
            username = self.username_of(channel_id)
            channel: dict[str, Any] = {
                "kind": "youtube#channel",
                "etag": _etag(channel_id, 0),
                "id": channel_id,
            }
            if "snippet" in parts:
                channel["snippet"] = {
                    "title": username,
                    "description": "Gagecast 샌드박스 채널 / sandbox channel",
                    "customUrl": f"@{username}",
                    "publishedAt": "2025-01-01T00:00:00Z",
                    "thumbnails": {},
                }
            if "contentDetails" in parts:
                channel["contentDetails"] = {
                    "relatedPlaylists": {"likes": "", "uploads": f"UU{channel_id[2:]}"}
                }
            if "statistics" in parts:
                channel["statistics"] = {
                    "viewCount": str(
                        sum(
                            self.metrics(post.id).get("views", 0) for post in self.posts(channel_id)
                        )
                    ),
                    "subscriberCount": str(
                        self.audience.followers(self.platform, channel_id, self.now())
                    ),
                    "hiddenSubscriberCount": False,
                    "videoCount": str(len(self.posts(channel_id))),
                }
            return Reply(body=_list_body("youtube#channelListResponse", [channel]))

        return self.run(self.op_channels, answer)

    def _playlist_items(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        channel_id, refusal = self._channel(request, params)
        if refusal is not None:
            return refusal
        playlist = str(params.get("playlistId") or "")
        if not playlist.startswith("UU"):
            return youtube_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        owner = f"UC{playlist[2:]}"
        size = max(1, min(50, int(params.get("maxResults") or 5)))
        start = (
            int(params.get("pageToken") or 0)
            if str(params.get("pageToken") or "0").isdigit()
            else 0
        )

        def answer(fault: Fault | None) -> Reply:
            posts = [
                post
                for post in reversed(self.posts(owner))
                if owner == channel_id or post.visibility == "public"
            ]
            page = posts[start : start + size]
            items = [
                {
                    "kind": "youtube#playlistItem",
                    "etag": _etag(post.id, 0),
                    "id": _etag(playlist, start + offset),
                    "snippet": {
                        "publishedAt": _google_time(post.published_at),
                        "channelId": owner,
                        "title": post.title,
                        "description": post.text,
                        "playlistId": playlist,
                        "position": start + offset,
                        "resourceId": {"kind": "youtube#video", "videoId": post.id},
                    },
                    "contentDetails": {
                        "videoId": post.id,
                        "videoPublishedAt": _google_time(post.published_at),
                    },
                }
                for offset, post in enumerate(page)
            ]
            body = _list_body("youtube#playlistItemListResponse", items)
            body["pageInfo"]["totalResults"] = len(posts)
            if start + size < len(posts):
                body["nextPageToken"] = str(start + size)
            return Reply(body=body)

        return self.run(self.op_list, answer)

    def _video_page(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        return self.post_page(self.post(match["video"]))


# --- Helpers ----------------------------------------------------------------------------------


def _resource_refusal(resource: Mapping[str, Any], now: dt.datetime) -> Reply | None:
    snippet = resource.get("snippet") or {}
    status = resource.get("status") or {}
    title = str(snippet.get("title") or "")
    if not title.strip() or len(title) > 100 or "<" in title or ">" in title:
        return youtube_error(
            400,
            "invalidTitle",
            "The request metadata specifies an invalid or empty video title.",
            domain="youtube.video",
        )
    description = str(snippet.get("description") or "")
    if len(description.encode()) > 5000 or "<" in description or ">" in description:
        return youtube_error(
            400,
            "invalidDescription",
            "The request metadata specifies an invalid video description.",
            domain="youtube.video",
        )
    tags = snippet.get("tags") or []
    if (
        not isinstance(tags, list)
        or sum(len(str(tag)) + (2 if " " in str(tag) else 0) for tag in tags) > 500
    ):
        return youtube_error(
            400,
            "invalidTags",
            "The request metadata specifies invalid video keywords.",
            domain="youtube.video",
        )
    category = snippet.get("categoryId")
    if category is not None and not str(category).isdigit():
        return youtube_error(
            400,
            "invalidCategoryId",
            "The snippet.categoryId property specifies an invalid category ID.",
            domain="youtube.video",
        )
    privacy = status.get("privacyStatus", "public")
    if privacy not in PRIVACY:
        return youtube_error(
            400,
            "invalidVideoMetadata",
            f"Invalid value for privacyStatus: {privacy!r}.",
            domain="youtube.video",
        )
    if status.get("publishAt"):
        publish_at = _parse_time(status["publishAt"])
        if privacy != "private" or publish_at is None or publish_at <= now:
            return youtube_error(
                400,
                "invalidPublishAt",
                "The request metadata specifies an invalid scheduled publishing time.",
                domain="youtube.video",
            )
    return None


def _content_range(
    header: str, length: int, known_total: int | None
) -> tuple[int, int, int | None] | Reply:
    """(first byte, last byte, total or None) of a chunk; a whole-body PUT has no header."""
    if not header:
        return 0, length - 1, length if known_total is None else known_total
    match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", header.strip())
    if match is None:
        return youtube_error(
            400, "badRequest", f"Invalid Content-Range header: {header!r}", domain="global"
        )
    start, end = int(match[1]), int(match[2])
    total = None if match[3] == "*" else int(match[3])
    if end < start or end - start + 1 != length:
        return youtube_error(
            400,
            "badRequest",
            "The Content-Range does not match the length of the body.",
            domain="global",
        )
    if total is not None and end >= total:
        return youtube_error(
            400, "badRequest", "The Content-Range ends beyond the total size.", domain="global"
        )
    return start, end, total if total is not None else known_total


def _resume_incomplete(received: int) -> Reply:
    headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
    return Reply(status=308, body="", headers=headers)


def _session_gone() -> Reply:
    return youtube_error(
        404, "notFound", "The upload session does not exist or has expired.", domain="global"
    )


def _list_body(kind: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": kind,
        "etag": _etag(kind, len(items)),
        "items": items,
        "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
    }


def _video_id() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(9)).decode()[:11]


def _etag(seed: str, salt: float) -> str:
    return base64.urlsafe_b64encode(hashlib.sha1(f"{seed}:{salt}".encode()).digest()).decode()[:27]


def _google_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
