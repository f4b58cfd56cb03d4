"""What every publishing-platform simulator shares, on top of ``FakeServer``.

- Faults (``sandbox.faults``) drawn per named operation, answered in the
  platform's own error format by the subclass (``fault_reply``).
- Published posts (``SandboxPost``), inspection (``posts``, ``metrics``) and the
  audience model that turns a post and a time into engagement.
- Self-validating tokens (``TokenSigner``: an HMAC with a fixed sandbox secret), so
  a restarted simulator still accepts the tokens it issued; revocations live in
  memory.
- A settable clock (``ManualClock``) so tests move time instead of sleeping.
- Control endpoints for other processes (benchmarks, ``make run``)::

    GET/POST/DELETE /_sandbox/faults    faults: see Faults.configure
    GET  /_sandbox/posts[?user_id=&metrics=1]
    POST /_sandbox/reset
    POST /_sandbox/tokens   {"user_id": …} or {"username": …}
    POST /_sandbox/revoke   {"token": …}
    GET/POST /_sandbox/config  {"image_processing_s": 0, …}
    GET  /  the sandbox's feed: every post, newest first, with its numbers
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.audience import AudienceModel
from sandbox.faults import LOST_RESPONSE, SERVER_ERROR, TIMEOUT, Fault, Faults, Operation
from sandbox.media import MediaStats
from sandbox.server import FakeServer, RecordedRequest, Reply

# Not a secret: it only lets a restarted sandbox recognise the tokens it issued.
SANDBOX_SECRET = b"gagecast-platform-sandbox"
CODE_TTL_S = 600


class ManualClock:
    """A clock tests move by hand: ``fake.clock = ManualClock(); fake.clock.advance(60)``."""

    def __init__(self, start: float | dt.datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = _timestamp(start) if start is not None else time.time()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def set(self, when: float | dt.datetime) -> None:
        with self._lock:
            self._now = _timestamp(when)


@dataclass(frozen=True)
class TokenClaims:
    prefix: str
    kind: str  # e.g. "short" / "long" (Meta), "access" / "refresh" (Google), "api" (Naver)
    subject: str  # the user id, channel id or blog id
    issued_at: int
    expires_at: int  # 0: never

    def expired(self, now: float) -> bool:
        return bool(self.expires_at) and now >= self.expires_at


class TokenSigner:
    """Tokens that carry their own claims and an HMAC of them:
    ``{prefix}.{kind}.{subject}.{issued}.{expires}.{signature}``."""

    def __init__(self, secret: bytes = SANDBOX_SECRET) -> None:
        self._secret = secret

    def issue(
        self, prefix: str, kind: str, subject: str, *, issued_at: float, ttl_s: float | None
    ) -> str:
        issued = int(issued_at)
        expires = 0 if ttl_s is None else int(issued_at + ttl_s)
        body = f"{prefix}.{kind}.{subject}.{issued}.{expires}"
        return f"{body}.{self._sign(body)}"

    def read(self, token: str, prefix: str) -> TokenClaims | None:
        """The claims of a token this sandbox issued with ``prefix``; None for anything else."""
        if not token or not token.startswith(f"{prefix}."):
            return None
        body, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        parts = body[len(prefix) + 1 :].split(".")
        if len(parts) != 4 or not parts[2].isdigit() or not parts[3].isdigit():
            return None
        kind, subject, issued, expires = parts
        return TokenClaims(prefix, kind, subject, int(issued), int(expires))

    def _sign(self, body: str) -> str:
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class SandboxPost:
    """A post that went live on a simulator."""

    id: str
    platform: str
    user_id: str
    username: str
    media_type: str
    published_at: dt.datetime  # UTC
    text: str = ""  # caption / thread text / video description / blog HTML
    title: str = ""  # YouTube and Naver Blog
    container_id: str = ""  # the container, upload session or "" (Naver)
    media_urls: tuple[str, ...] = ()
    media: tuple[MediaStats, ...] = ()  # what the platform saw of each fetched medium
    permalink: str = ""
    shortcode: str = ""
    visibility: str = "public"  # YouTube: public | unlisted | private; Naver: public | draft
    visible_from: dt.datetime | None = None  # YouTube publishAt; default published_at
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        return self.text

    @property
    def visible_at(self) -> dt.datetime | None:
        return self.visible_from or self.published_at

    @property
    def image_count(self) -> int:
        counted = self.extra.get("image_count")
        if isinstance(counted, int):
            return counted
        return sum(1 for medium in self.media if medium.content_type.startswith("image/"))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "user_id": self.user_id,
            "username": self.username,
            "container_id": self.container_id,
            "media_type": self.media_type,
            "text": self.text,
            "title": self.title,
            "media_urls": list(self.media_urls),
            "media": [medium.to_json() for medium in self.media],
            "published_at": self.published_at.isoformat(),
            "visible_at": self.visible_at.isoformat() if self.visible_at else None,
            "visibility": self.visibility,
            "permalink": self.permalink,
            "shortcode": self.shortcode,
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for until it is exchanged (once)."""

    subject: str
    username: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    expires_at: float
    extra: Mapping[str, Any] = field(default_factory=dict)


class PlatformSimulator(FakeServer):
    """The base of FakeInstagram, FakeThreads, FakeYouTube and FakeNaverBlog.

    ``seed``: random faults and the audience's noise; ``audience``: the model behind
    the insight numbers (default: sandbox/audience/default.json with ``seed``);
    ``clock``: seconds since the epoch (``time.time`` or a ``ManualClock``).
    """

    platform: ClassVar[str]  # the audience model's key for this platform
    config_fields: ClassVar[tuple[str, ...]] = ()  # settable over /_sandbox/config

    def __init__(
        self,
        *,
        port: int = 0,
        delay_s: float = 0.0,
        seed: int = 0,
        audience: AudienceModel | None = None,
        clock: Callable[[], float] | None = None,
        secret: bytes = SANDBOX_SECRET,
        request_log_limit: int | None = 20_000,
        recorded_body_limit: int | None = 64 * 1024,
    ) -> None:
        super().__init__(
            port=port,
            delay_s=delay_s,
            request_log_limit=request_log_limit,
            recorded_body_limit=recorded_body_limit,
        )
        self.seed = seed
        self.faults = Faults(seed=seed)
        self.audience = audience if audience is not None else AudienceModel.load(seed=seed)
        self.clock: Callable[[], float] = clock or time.time
        self.signer = TokenSigner(secret)
        self.state_lock = threading.RLock()
        self._posts: dict[str, SandboxPost] = {}
        self._revoked: set[str] = set()
        self._codes: dict[str, Grant] = {}
        self._usernames: dict[str, str] = {}
        self.route("GET", r"/_sandbox/faults", self._get_faults)
        self.route("POST", r"/_sandbox/faults", self._post_faults)
        self.route("DELETE", r"/_sandbox/faults", self._delete_faults)
        self.route("GET", r"/_sandbox/posts", self._get_posts)
        self.route("POST", r"/_sandbox/reset", self._post_reset)
        self.route("POST", r"/_sandbox/tokens", self._post_tokens)
        self.route("POST", r"/_sandbox/revoke", self._post_revoke)
        self.route("GET", r"/_sandbox/config", self._get_config)
        self.route("POST", r"/_sandbox/config", self._post_config)
        self.route("GET", r"/", self._feed_page)

    # --- Time ---------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    # --- Inspection ---------------------------------------------------------------------

    def posts(self, user_id: str | None = None) -> list[SandboxPost]:
        """Published posts, oldest first (all users, or one)."""
        with self.state_lock:
            return [post for post in self._posts.values() if user_id in (None, post.user_id)]

    def post(self, post_id: str) -> SandboxPost | None:
        with self.state_lock:
            return self._posts.get(post_id)

    def metrics(self, post_id: str, at: dt.datetime | None = None) -> dict[str, int]:
        """The audience model's numbers for a post now (or at ``at``)."""
        post = self.post(post_id)
        if post is None:
            raise KeyError(f"no post {post_id!r} on {type(self).__name__}")
        return self.audience.metrics(self.platform, post, at or self.now())

    def revoke(self, token: str) -> None:
        """Refuse ``token`` from now on (as if the user removed the app)."""
        with self.state_lock:
            self._revoked.add(token)

    def is_revoked(self, token: str) -> bool:
        with self.state_lock:
            return token in self._revoked

    def reset(self) -> None:
        """Forget posts, revocations, codes, faults and recorded requests."""
        with self.state_lock:
            self._posts.clear()
            self._revoked.clear()
            self._codes.clear()
        self.faults.clear()
        self.clear_requests()
        self.clear_script()

    def username_of(self, user_id: str) -> str:
        with self.state_lock:
            return self._usernames.get(user_id) or f"sandbox_{user_id[-4:]}"

    def remember_user(self, user_id: str, username: str) -> None:
        with self.state_lock:
            self._usernames[user_id] = username

    # --- For subclasses -------------------------------------------------------------------

    def add_post(self, post: SandboxPost) -> SandboxPost:
        with self.state_lock:
            self._posts[post.id] = post
        return post

    def replace_post(self, post: SandboxPost) -> None:
        with self.state_lock:
            if post.id in self._posts:
                self._posts[post.id] = post

    def run(self, operation: Operation, perform: Callable[[Fault | None], Reply]) -> Reply:
        """Do ``operation`` under the faults: ``perform`` gets the platform-specific fault
        it must act on (container_error, quota_exceeded, …) or None."""
        fault = self.faults.draw(operation)
        if fault is None:
            return perform(None)
        if fault.kind == TIMEOUT:
            hold = fault.option("hold_s", fault.option("timeout_s", self.faults.timeout_s))
            time.sleep(float(hold))  # the client has given up by now
            return perform(None)
        if fault.kind == LOST_RESPONSE:
            perform(None)  # it happened; only the answer is lost
            if fault.option("drop", self.faults.lost_response_drop):
                return Reply(drop=True)
            return self.fault_reply(
                Fault(SERVER_ERROR, fault.operation, {"status": 500}), operation
            )
        if fault.kind in operation.kinds:
            return perform(fault)
        return self.fault_reply(fault, operation)

    def fault_reply(self, fault: Fault, operation: Operation) -> Reply:
        """The platform's answer to server_error, rate_limited and revoked_token."""
        raise NotImplementedError

    def issue_sandbox_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /_sandbox/tokens``: a valid token without the browser flow."""
        raise NotImplementedError

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        with self.state_lock:
            self._codes[code] = grant
        return code

    def take_code(self, code: str) -> Grant | None:
        """The grant behind ``code``, once; None when unknown, used or expired."""
        with self.state_lock:
            grant = self._codes.pop(code, None)
        if grant is None or grant.expires_at < self.clock():
            return None
        return grant

    def grant(self, subject: str, username: str, params: Mapping[str, Any], **extra: Any) -> Grant:
        scopes = tuple(
            scope for scope in str(params.get("scope") or "").replace(",", " ").split() if scope
        )
        return Grant(
            subject=subject,
            username=username,
            client_id=str(params.get("client_id") or ""),
            redirect_uri=str(params.get("redirect_uri") or ""),
            scopes=scopes,
            expires_at=self.clock() + CODE_TTL_S,
            extra=extra,
        )

    def consent_flow(
        self,
        params: Mapping[str, Any],
        *,
        product: str,
        action: str,
        default_scopes: Sequence[str],
        allow: Callable[[str], Reply],
        denied: Mapping[str, str],
        default_username: str = "sandbox_shop",
    ) -> Reply:
        """The authorization window: the consent page, then a redirect to ``redirect_uri``
        with a code (``allow(username)`` makes it) or with ``denied``."""
        redirect_uri = str(params.get("redirect_uri") or "")
        if not params.get("client_id") or not valid_redirect_uri(redirect_uri):
            return html_page(
                "잘못된 요청 / invalid request",
                "<p>client_id와 redirect_uri(http/https)가 필요합니다. / "
                "client_id and an absolute redirect_uri are required.</p>",
                status=400,
            )
        state = params.get("state")
        if params.get("response_type", "code") != "code":
            return redirect(redirect_uri, error="unsupported_response_type", state=state)
        decision = params.get("decision")
        if decision == "deny":
            return redirect(redirect_uri, **denied, state=state)
        if decision != "allow":
            scopes = [s for s in str(params.get("scope") or "").replace(",", " ").split() if s]
            return consent_page(
                platform_title=product,
                action=action,
                params=params,
                scopes=scopes or list(default_scopes),
                username=default_username,
            )
        username = str(params.get("username") or "").strip() or default_username
        return allow(username)

    # --- Control endpoints -------------------------------------------------------------

    def _get_faults(self, request: RecordedRequest, match: Any) -> Reply:
        return Reply(body=self.faults.snapshot())

    def _post_faults(self, request: RecordedRequest, match: Any) -> Reply:
        try:
            self.faults.configure(request.json if request.json is not None else {})
        except (TypeError, ValueError) as error:
            return Reply(status=400, body={"error": str(error)})
        return Reply(body=self.faults.snapshot())

    def _delete_faults(self, request: RecordedRequest, match: Any) -> Reply:
        self.faults.clear()
        return Reply(body=self.faults.snapshot())

    def _get_posts(self, request: RecordedRequest, match: Any) -> Reply:
        with_metrics = request.param("metrics") in ("1", "true", "yes")
        data = []
        for post in self.posts(request.param("user_id")):
            entry = post.to_json()
            if with_metrics:
                entry["metrics"] = self.metrics(post.id)
            data.append(entry)
        return Reply(body={"data": data})

    def _post_reset(self, request: RecordedRequest, match: Any) -> Reply:
        self.reset()
        return Reply(body={"ok": True})

    def _post_tokens(self, request: RecordedRequest, match: Any) -> Reply:
        payload = request.json if isinstance(request.json, dict) else {}
        try:
            return Reply(body=self.issue_sandbox_token(payload))
        except ValueError as error:
            return Reply(status=400, body={"error": str(error)})

    def _post_revoke(self, request: RecordedRequest, match: Any) -> Reply:
        token = (request.json or {}).get("token") if isinstance(request.json, dict) else None
        if not token:
            return Reply(status=400, body={"error": 'send {"token": …}'})
        self.revoke(str(token))
        return Reply(body={"ok": True})

    def _get_config(self, request: RecordedRequest, match: Any) -> Reply:
        return Reply(body={name: getattr(self, name) for name in self.config_fields})

    def _post_config(self, request: RecordedRequest, match: Any) -> Reply:
        payload = request.json if isinstance(request.json, dict) else None
        if payload is None:
            return Reply(status=400, body={"error": "send a JSON object"})
        unknown = sorted(set(payload) - set(self.config_fields))
        if unknown:
            return Reply(
                status=400,
                body={
                    "error": f"not settable: {', '.join(unknown)}; settable: {', '.join(self.config_fields)}"
                },
            )
        for name, value in payload.items():
            current = getattr(self, name)
            kind = type(current) if current is not None else float
            setattr(self, name, kind(value) if value is not None else None)
        return self._get_config(request, match)

    def _feed_page(self, request: RecordedRequest, match: Any) -> Reply:
        posts = list(reversed(self.posts()))[:200]
        items = "".join(
            f'<li><a href="{html.escape(post.permalink)}">{html.escape(post.published_at.isoformat(timespec="seconds"))}</a> '
            f"@{html.escape(post.username)} · {html.escape(post.media_type)} · "
            f"{html.escape(_excerpt(post.title or post.text))}"
            f" <small>{html.escape(json.dumps(self.metrics(post.id)))}</small></li>"
            for post in posts
        )
        body = (
            f"<h1>{html.escape(type(self).__name__)} — 샌드박스 / sandbox</h1>"
            f"<p>게시물 {len(self.posts())}개 / {len(self.posts())} posts. "
            "이 서버는 실제 플랫폼이 아닙니다 / not the real platform.</p>"
            f"<ol>{items or '<li>아직 게시물이 없습니다 / no posts yet</li>'}</ol>"
        )
        return html_page(type(self).__name__, body)

    def post_page(self, post: SandboxPost | None) -> Reply:
        """A small public page for a permalink, so sandbox links lead somewhere."""
        if post is None:
            return html_page(
                "없는 게시물 / not found", "<p>게시물이 없습니다 / no such post.</p>", status=404
            )
        media = "".join(
            f'<p><img src="{html.escape(url)}" alt="" style="max-width:320px"></p>'
            if not url.lower().endswith((".mp4", ".mov"))
            else f'<p><video src="{html.escape(url)}" controls style="max-width:320px"></video></p>'
            for url in post.media_urls
        )
        text = (
            post.text
            if post.platform == "naver_blog"
            else html.escape(post.text).replace("\n", "<br>")
        )
        body = (
            f"<p>@{html.escape(post.username)} · {html.escape(post.published_at.isoformat(timespec='seconds'))}"
            f" · {html.escape(post.media_type)} · 샌드박스 / sandbox</p>"
            f"<h1>{html.escape(post.title)}</h1>{media}<div>{text}</div>"
            f"<p><small>{html.escape(json.dumps(self.metrics(post.id)))}</small></p>"
        )
        return html_page(post.title or post.id, body)


# --- Helpers the simulators share --------------------------------------------------------


def request_params(request: RecordedRequest) -> dict[str, Any]:
    """Query parameters, then form or JSON body fields (the body wins), first values."""
    params: dict[str, Any] = {name: values[0] for name, values in request.query.items() if values}
    content_type = request.headers.get("content-type", "")
    if isinstance(request.json, dict):
        params.update(request.json)
    elif request.body and "multipart/" not in content_type:
        with contextlib.suppress(UnicodeDecodeError):
            params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    return params


def bearer_token(request: RecordedRequest) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value.strip():
        return value.strip()
    return None


def redirect(url: str, **params: str | None) -> Reply:
    """A 302 to ``url`` with ``params`` added to its query (those not None)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + [
        (name, value) for name, value in params.items() if value is not None
    ]
    location = urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment)
    )
    return Reply(status=302, headers={"Location": location}, body="")


def valid_redirect_uri(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def html_page(title: str, body: str, *, status: int = 200) -> Reply:
    page = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        "button,.button{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem}</style>"
        f"</head><body>{body}</body></html>"
    )
    return Reply(status=status, body=page, content_type="text/html; charset=utf-8")


def consent_page(
    *,
    platform_title: str,
    action: str,
    params: Mapping[str, Any],
    scopes: Sequence[str],
    username: str,
) -> Reply:
    """The authorization window: who is asking, for what, and 허용 / 거부.

    Allow submits the form (with the sandbox account name) to ``action``; Deny is a
    link to the same place with ``decision=deny``. A client can skip the page by
    adding ``decision=allow`` (and optionally ``username``) to the authorize URL.
    """
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(str(name))}" value="{html.escape(str(value))}">'
        for name, value in params.items()
        if name not in ("decision", "username")
    )
    deny_query = urlencode(
        {**{k: v for k, v in params.items() if k != "username"}, "decision": "deny"}
    )
    scope_items = "".join(f"<li><code>{html.escape(scope)}</code></li>" for scope in scopes)
    body = (
        f"<h1>{html.escape(platform_title)} 샌드박스 연결 / sandbox connection</h1>"
        f"<p>앱 <b>{html.escape(str(params.get('client_id') or '?'))}</b>이(가) 다음 권한을 요청합니다. / "
        "The app asks for these permissions:</p>"
        f"<ul>{scope_items or '<li>(기본 권한 / basic access)</li>'}</ul>"
        "<p>이 화면은 로컬 시뮬레이터입니다. 실제 계정은 연결되지 않습니다. / "
        "This is a local simulator: no real account is connected.</p>"
        f'<form method="post" action="{html.escape(action)}">{hidden}'
        "<label>샌드박스 계정 이름 / sandbox account name "
        f'<input name="username" value="{html.escape(username)}"></label><br>'
        '<button type="submit" name="decision" value="allow" id="allow">허용 / Allow</button>'
        f'<a class="button" id="deny" href="{html.escape(action)}?{html.escape(deny_query)}">거부 / Deny</a>'
        "</form>"
    )
    return html_page(f"{platform_title} — 권한 요청 / permission request", body)


def stable_digits(text: str, digits: int) -> str:
    """A number of ``digits`` digits derived from ``text`` (ids from usernames)."""
    value = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return str(value % 10**digits).zfill(digits)


class IdSequence:
    """Numeric ids that do not repeat across restarts (they start from the clock)."""

    def __init__(self, prefix: str, width: int = 13) -> None:
        self._prefix = prefix
        self._width = width
        self._lock = threading.Lock()
        self._next = int(time.time() * 1000) % 10 ** (width - 1) * 10

    def __call__(self) -> str:
        with self._lock:
            self._next += 1
            return f"{self._prefix}{self._next % 10**self._width:0{self._width}d}"


def shortcode(post_id: str) -> str:
    """An Instagram-like shortcode for a post id."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    value = int(hashlib.sha256(post_id.encode()).hexdigest()[:16], 16)
    chars = []
    for _ in range(11):
        value, index = divmod(value, 64)
        chars.append(alphabet[index])
    return "".join(chars)


def graph_time(when: dt.datetime) -> str:
    """Meta's timestamp format: ``2025-05-01T09:00:00+0000``."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _excerpt(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _timestamp(when: float | dt.datetime) -> float:
    return when.timestamp() if isinstance(when, dt.datetime) else float(when)
