"""Local simulators of the platforms Gagecast talks to: Gemini, SEMAS, and the
publishing platforms Instagram and Threads (``sandbox.meta``), YouTube
(``sandbox.youtube``) and Naver Blog (``sandbox.naver``); docs/sandbox.md.

Tests, benchmarks and the product's sandbox mode run the real clients against
these over real HTTP on 127.0.0.1. Each simulator is one small module on the
shared base in ``sandbox.server``.
"""

from sandbox.server import FakeServer, RecordedRequest, Reply

__all__ = ["FakeServer", "RecordedRequest", "Reply"]
