"""Faults on demand, shared by every platform simulator.

Two sources, both thread-safe and both usable from Python or over HTTP
(``POST /_sandbox/faults``, see ``Faults.configure``):

- a one-shot queue: ``fake.faults.add("rate_limited", times=2, operation="publish")``
  serves the next two operations that can suffer it (oldest entry first);
- seeded random rates: ``fake.faults.rates = {"server_error": 0.05}`` draws on every
  operation that can suffer the kind; ``"lost_response@publish": 0.02`` limits a
  rate to one operation.

Each simulator names its operations (``Operation``): a name, aliases in the
platform's own words (``media_publish``, ``threads_publish``, ``videos.insert``)
and the platform-specific kinds it can suffer. A queued fault waits for an
operation that matches its target and accepts its kind, so
``faults.add("container_error")`` lands on the next container creation even if
status reads come first.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Every operation can suffer these (revoked_token only where a token is checked).
SERVER_ERROR = "server_error"  # 500/503 in the platform's error format
RATE_LIMITED = "rate_limited"  # the platform's throttling answer, with its retry hint
TIMEOUT = "timeout"  # hold the answer longer than a client waits, then do the work
LOST_RESPONSE = "lost_response"  # do the work, then answer 500 (or drop the connection)
REVOKED_TOKEN = "revoked_token"  # this call's token is refused as revoked
GENERIC_KINDS = frozenset({SERVER_ERROR, RATE_LIMITED, TIMEOUT, LOST_RESPONSE, REVOKED_TOKEN})

# Only operations that declare them can suffer these.
CONTAINER_ERROR = "container_error"  # processing ends in ERROR (YouTube: upload failed)
CONTAINER_EXPIRED = "container_expired"  # the container (upload session) expires at once
SLOW_PROCESSING = "slow_processing"  # processing takes ``slow_processing_s`` longer
QUOTA_EXCEEDED = "quota_exceeded"  # the platform's publishing quota answer
MEDIA_UNFETCHABLE = "media_unfetchable"  # the platform cannot download the media URL
INSIGHTS_UNAVAILABLE = "insights_unavailable"  # Meta: "(#10) Not enough viewers …"
SPECIFIC_KINDS = frozenset(
    {
        CONTAINER_ERROR,
        CONTAINER_EXPIRED,
        SLOW_PROCESSING,
        QUOTA_EXCEEDED,
        MEDIA_UNFETCHABLE,
        INSIGHTS_UNAVAILABLE,
    }
)
KINDS = GENERIC_KINDS | SPECIFIC_KINDS

# The options each kind takes (anything else is a typo, refused rather than ignored).
OPTIONS: dict[str, frozenset[str]] = {
    SERVER_ERROR: frozenset({"status"}),
    RATE_LIMITED: frozenset({"retry_after_s", "code"}),
    TIMEOUT: frozenset({"hold_s", "timeout_s"}),  # timeout_s: the same as hold_s
    LOST_RESPONSE: frozenset({"drop"}),
    SLOW_PROCESSING: frozenset({"extra_s"}),
}


@dataclass(frozen=True)
class Operation:
    """One thing a simulator does, as faults target it."""

    name: str
    aliases: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()  # the specific kinds this operation can suffer
    authenticated: bool = True

    def matches(self, target: str | None) -> bool:
        return target in (None, "", "*", self.name) or target in self.aliases

    def accepts(self, kind: str) -> bool:
        if kind == REVOKED_TOKEN:
            return self.authenticated
        return kind in GENERIC_KINDS or kind in self.kinds


def operation(
    name: str, *aliases: str, kinds: tuple[str, ...] = (), authenticated: bool = True
) -> Operation:
    return Operation(name, frozenset(aliases), frozenset(kinds), authenticated)


@dataclass(frozen=True)
class Fault:
    """A fault drawn for one operation; ``options`` override the defaults on ``Faults``:
    server_error ``status`` (500 | 503), rate_limited ``retry_after_s`` and (Meta)
    ``code``, timeout ``hold_s`` (alias ``timeout_s``), lost_response ``drop``,
    slow_processing ``extra_s``."""

    kind: str
    operation: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)


@dataclass
class _Queued:
    fault: Fault
    remaining: int


class Faults:
    """The faults of one simulator. Defaults for every fault of a kind:

    - ``timeout_s``: how long ``timeout`` holds an answer (keep it small in tests);
    - ``retry_after_s``: the wait ``rate_limited`` asks for;
    - ``slow_processing_s``: the extra processing time of ``slow_processing``;
    - ``lost_response_drop``: ``lost_response`` closes the connection instead of a 500.
    """

    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Queued] = []
        self._rates: dict[str, float] = {}
        self._seed = seed
        self._rng = random.Random(seed)
        self._fired: Counter[str] = Counter()
        self.timeout_s = 30.0
        self.retry_after_s = 30.0
        self.slow_processing_s = 60.0
        self.lost_response_drop = False

    # --- Setting faults ---------------------------------------------------------------

    def add(
        self, kind: str, *, times: int = 1, operation: str | None = None, **options: Any
    ) -> None:
        """Serve ``kind`` to the next ``times`` operations that match ``operation``."""
        _check_kind(kind)
        _check_options(kind, options)
        if times < 1:
            raise ValueError(f"times must be at least 1, not {times}")
        with self._lock:
            self._queue.append(_Queued(Fault(kind, operation, dict(options)), times))

    @property
    def rates(self) -> dict[str, float]:
        """``{"kind": p}`` or ``{"kind@operation": p}``: the chance per operation."""
        with self._lock:
            return dict(self._rates)

    @rates.setter
    def rates(self, rates: Mapping[str, float]) -> None:
        checked: dict[str, float] = {}
        for key, rate in rates.items():
            _check_kind(key.partition("@")[0])
            if not 0.0 <= float(rate) <= 1.0:
                raise ValueError(f"the rate of {key!r} must be between 0 and 1, not {rate}")
            if float(rate) > 0:
                checked[key] = float(rate)
        with self._lock:
            self._rates = checked

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._seed = seed
            self._rng = random.Random(seed)

    def clear(self) -> None:
        """Forget queued faults and rates (the counters of fired faults stay)."""
        with self._lock:
            self._queue.clear()
            self._rates = {}

    # --- Inspection ---------------------------------------------------------------------

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(entry.remaining for entry in self._queue)

    @property
    def fired(self) -> dict[str, int]:
        """How many faults of each kind were served so far."""
        with self._lock:
            return dict(self._fired)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            queue = [
                {
                    "kind": entry.fault.kind,
                    "operation": entry.fault.operation,
                    "times": entry.remaining,
                    **entry.fault.options,
                }
                for entry in self._queue
            ]
            return {
                "queue": queue,
                "rates": dict(self._rates),
                "seed": self._seed,
                "fired": dict(self._fired),
                "timeout_s": self.timeout_s,
                "retry_after_s": self.retry_after_s,
                "slow_processing_s": self.slow_processing_s,
                "lost_response_drop": self.lost_response_drop,
                "kinds": sorted(KINDS),
            }

    # --- Over HTTP ---------------------------------------------------------------------

    def configure(self, payload: Mapping[str, Any]) -> None:
        """Apply a JSON payload (``POST /_sandbox/faults``); every key optional::

            {"clear": true, "seed": 7, "rates": {"server_error": 0.05},
             "add": [{"kind": "lost_response", "times": 1, "operation": "publish"}],
             "timeout_s": 2, "retry_after_s": 1, "slow_processing_s": 5,
             "lost_response_drop": false}

        ``add`` also takes one object; a payload with ``kind`` at the top level is one
        fault to add. Raises ValueError (the whole payload is checked first).
        """
        if not isinstance(payload, Mapping):
            raise ValueError("the faults payload must be a JSON object")
        additions = payload.get("add", [])
        if "kind" in payload:
            additions = [payload]
        if isinstance(additions, Mapping):
            additions = [additions]
        parsed = [_parse_addition(entry) for entry in additions]
        settings = {
            name: float(payload[name])
            for name in ("timeout_s", "retry_after_s", "slow_processing_s")
            if name in payload
        }
        if payload.get("clear"):
            self.clear()
        if "seed" in payload:
            self.reseed(int(payload["seed"]))
        if "rates" in payload:
            self.rates = payload["rates"] or {}
        for name, value in settings.items():
            setattr(self, name, value)
        if "lost_response_drop" in payload:
            self.lost_response_drop = bool(payload["lost_response_drop"])
        for kind, times, target, options in parsed:
            self.add(kind, times=times, operation=target, **options)

    # --- Drawing ------------------------------------------------------------------------

    def draw(self, operation: Operation) -> Fault | None:
        """The fault this operation suffers now, if any: queued ones first, then rates."""
        with self._lock:
            for entry in self._queue:
                fault = entry.fault
                if operation.matches(fault.operation) and operation.accepts(fault.kind):
                    entry.remaining -= 1
                    if entry.remaining <= 0:
                        self._queue.remove(entry)
                    self._fired[fault.kind] += 1
                    return fault
            for key in sorted(self._rates):
                kind, _, target = key.partition("@")
                if not (operation.accepts(kind) and operation.matches(target or None)):
                    continue
                if self._rng.random() < self._rates[key]:
                    self._fired[kind] += 1
                    return Fault(kind, target or None)
        return None


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")


def _check_options(kind: str, options: Mapping[str, Any]) -> None:
    unknown = sorted(set(options) - OPTIONS.get(kind, frozenset()))
    if unknown:
        allowed = ", ".join(sorted(OPTIONS.get(kind, ()))) or "none"
        raise ValueError(f"{kind} takes no option {', '.join(unknown)} (it takes: {allowed})")


def _parse_addition(entry: Any) -> tuple[str, int, str | None, dict[str, Any]]:
    if not isinstance(entry, Mapping) or "kind" not in entry:
        raise ValueError(f"a fault to add needs a kind: {entry!r}")
    options = {
        key: value for key, value in entry.items() if key not in ("kind", "times", "operation")
    }
    kind = str(entry["kind"])
    _check_kind(kind)
    _check_options(kind, options)
    return kind, int(entry.get("times", 1)), entry.get("operation"), options
