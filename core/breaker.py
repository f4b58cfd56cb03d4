"""A circuit breaker shared by every process through Django's cache (Redis in
production), so a provider or platform that is down stops being hammered.

Chosen over pybreaker, whose breaker holds a lock for the whole protected call
and so serialises concurrent calls in a threaded worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import caches


class CircuitOpen(Exception):
    def __init__(self, name: str, retry_after_s: float) -> None:
        super().__init__(f"{name} circuit is open for {retry_after_s:.0f} more seconds")
        self.name = name
        self.retry_after_s = retry_after_s


class CircuitBreaker:
    """Opens after ``failures`` failures in a row, for ``reset_s`` seconds; after that,
    one more failure (while the trip is remembered) opens it again at once."""

    def __init__(
        self,
        name: str,
        *,
        failures: int,
        reset_s: int,
        is_failure: Callable[[BaseException], bool] = lambda exc: True,
    ) -> None:
        self.name = name
        self.failures = failures
        self.reset_s = reset_s
        self.is_failure = is_failure
        self.cache = caches["default"]
        self._keys = {k: f"breaker:{name}:{k}" for k in ("open_until", "failures", "tripped")}

    def retry_after_s(self) -> float:
        """Seconds until the circuit closes again; 0 when it is closed."""
        open_until = self.cache.get(self._keys["open_until"])
        return max(0.0, open_until - time.time()) if open_until else 0.0

    def record_failure(self) -> None:
        key = self._keys["failures"]
        self.cache.add(key, 0, timeout=self.reset_s * 10)
        count = self.cache.incr(key)
        if count >= self.failures or self.cache.get(self._keys["tripped"]):
            self.cache.set(self._keys["open_until"], time.time() + self.reset_s, self.reset_s)
            self.cache.set(self._keys["tripped"], True, self.reset_s * 10)
            self.cache.delete(key)

    def record_success(self) -> None:
        self.cache.delete_many([self._keys["failures"], self._keys["tripped"]])

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Raise CircuitOpen instead of calling while open; count the call's outcome."""
        remaining = self.retry_after_s()
        if remaining > 0:
            raise CircuitOpen(self.name, remaining)
        try:
            yield
        except BaseException as exc:
            if self.is_failure(exc):
                self.record_failure()
            raise
        self.record_success()
