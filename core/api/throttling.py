"""Requests per user (a token belongs to one user) and per address for anonymous callers.

Rates come from settings when each request is checked, not when the class is defined, so
a changed setting (and a test's override) takes effect at once. The counters live in the
default cache: Redis when REDIS_URL is set, otherwise files every process shares.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE_RATE
