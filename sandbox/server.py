"""The base every simulator stands on: a threaded HTTP server on 127.0.0.1.

A simulator registers routes (method + regular expression on the path) whose
handlers turn a ``RecordedRequest`` into a ``Reply``. The base records every
request, and offers the faults all simulators share: a default latency and a
queue of scripted replies served before normal handling::

    with FakeServer() as server:
        server.route("GET", r"/ping", lambda request, match: Reply(body={"ok": True}))
        server.script(Reply(status=503, body={"error": "down"}))
        requests.get(f"{server.url}/ping")  # 503, then 200 on the next call
"""

from __future__ import annotations

import json
import logging
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the simulator received it."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # names in lower case
    body: bytes
    json: Any  # the parsed JSON body, or None when there is none or it is not JSON
    received_at: float  # time.monotonic()

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class Reply:
    """What a simulator sends back. ``body``: bytes and str go out as they are,
    anything else as JSON; ``delay_s`` waits before answering (on this request's
    own thread, so slow replies never hold up other requests); ``drop`` closes the
    connection without any answer (a reply lost on the way back)."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    content_type: str | None = None
    drop: bool = False

    def encoded(self) -> tuple[bytes, str]:
        if self.body is None:
            return b"", self.content_type or "text/plain; charset=utf-8"
        if isinstance(self.body, bytes):
            return self.body, self.content_type or "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/plain; charset=utf-8"
        payload = json.dumps(self.body, ensure_ascii=False).encode()
        return payload, self.content_type or "application/json; charset=utf-8"


Handler = Callable[[RecordedRequest, re.Match[str]], Reply]


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class _Scripted:
    reply: Reply
    path: re.Pattern[str] | None
    remaining: int


class FakeServer:
    """A local HTTP server with routes, a request log and shared fault injection.

    ``port=0`` picks a free ephemeral port; the server only ever binds 127.0.0.1.
    ``request_log_limit``: keep only the newest requests (None: all of them), and
    ``recorded_body_limit``: keep only the first bytes of each recorded body (None:
    all), so a long benchmark of video uploads does not hold every byte in memory.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        delay_s: float = 0.0,
        request_log_limit: int | None = None,
        recorded_body_limit: int | None = None,
    ) -> None:
        self.delay_s = delay_s  # default latency for every request
        self.recorded_body_limit = recorded_body_limit
        self._requested_port = port
        self._routes: list[_Route] = []
        self._scripted: deque[_Scripted] = deque()
        self._requests: deque[RecordedRequest] = deque(maxlen=request_log_limit)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Lifecycle -------------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        httpd = _Server((LOOPBACK, self._requested_port), _RequestHandler)
        httpd.simulator = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not running: call start() first")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    # --- Routes and faults --------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer ``method`` requests whose whole path matches ``pattern`` with ``handler``."""
        self._routes.append(_Route(method.upper(), re.compile(pattern), handler))

    def script(self, *replies: Reply, times: int = 1, path: str | None = None) -> None:
        """Serve these replies (each ``times`` times, in order) before normal handling.

        ``path``: only requests whose path matches this pattern consume them.
        """
        compiled = re.compile(path) if path is not None else None
        with self._lock:
            for reply in replies:
                self._scripted.append(_Scripted(reply, compiled, times))

    @property
    def scripted_left(self) -> int:
        with self._lock:
            return sum(entry.remaining for entry in self._scripted)

    def clear_script(self) -> None:
        with self._lock:
            self._scripted.clear()

    # --- The request log ----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The recorded requests whose whole path matches ``path``."""
        pattern = re.compile(path)
        return [
            request
            for request in self.requests
            if pattern.fullmatch(request.path) and method in (None, request.method)
        ]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # --- Dispatch (runs on the request's own thread) ------------------------------------

    def handle(self, request: RecordedRequest) -> Reply:
        recorded = request
        limit = self.recorded_body_limit
        if limit is not None and len(request.body) > limit:
            recorded = replace(request, body=request.body[:limit])
        with self._lock:
            self._requests.append(recorded)
            scripted = self._take_scripted(request.path)
        if scripted is not None:
            return scripted
        for route in self._routes:
            match = route.pattern.fullmatch(request.path)
            if match and route.method == request.method:
                return route.handler(request, match)
        return self.not_found(request)

    def not_found(self, request: RecordedRequest) -> Reply:
        """The reply for a path no route serves; simulators override it for their shape."""
        return Reply(status=404, body={"error": f"no route for {request.method} {request.path}"})

    def _take_scripted(self, path: str) -> Reply | None:
        for entry in self._scripted:
            if entry.path is None or entry.path.fullmatch(path):
                entry.remaining -= 1
                if entry.remaining <= 0:
                    self._scripted.remove(entry)
                return entry.reply
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow handler never blocks stop()
    simulator: FakeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out and hang up are part of the tests, not noise for the log.
        logger.debug("simulator connection error from %s", client_address, exc_info=True)


class _RequestHandler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so stop() leaves no idle keep-alive handler
    # still answering on a client's pooled connection.
    protocol_version = "HTTP/1.0"
    server: _Server

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self) -> None:
        simulator = self.server.simulator
        request = self._record()
        try:
            reply = simulator.handle(request)
        except Exception as error:  # a bug in a simulator shows up as a 500, not a hang
            logger.exception("simulator handler failed for %s %s", request.method, request.path)
            reply = Reply(status=500, body={"error": f"simulator error: {error!r}"})
        delay = reply.delay_s or simulator.delay_s
        if delay > 0:
            time.sleep(delay)
        if reply.drop:
            self.close_connection = True  # no status line at all: the client sees a reset
            return
        payload, content_type = reply.encoded()
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _record(self) -> RecordedRequest:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        return RecordedRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            json=_json_or_none(body),
            received_at=time.monotonic(),
        )


def _json_or_none(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def wait_for_stop_signal() -> None:
    """Block until SIGINT or SIGTERM: how the sandbox commands run until stopped.

    Handlers rather than KeyboardInterrupt: a background job ignores SIGINT, and
    process managers (honcho, systemd) stop with SIGTERM.
    """
    stopped = threading.Event()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: stopped.set())
    while not stopped.wait(timeout=0.5):
        pass
