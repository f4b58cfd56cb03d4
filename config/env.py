"""The one place that reads the environment.

Settings call these helpers; nothing else in the project reads ``os.environ``.
A value that cannot be used stops start-up with a sentence that names the
variable, so an operator at 3 a.m. knows exactly what to fix.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable
from typing import TypeVar

import environ
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_env = environ.Env()
_MISSING = object()


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment is missing or unusable."""


def _read(name: str, parse: Callable[[str], T], default: object, hint: str) -> T:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is _MISSING:
            raise ConfigurationError(f"The environment variable {name} is required: {hint}")
        return default  # type: ignore[return-value]
    try:
        return parse(raw)
    except (ValueError, TypeError, KeyError, ImproperlyConfigured) as exc:
        raise ConfigurationError(
            f"The environment variable {name} has an unusable value ({raw!r}): {hint}"
        ) from exc


def env_str(name: str, default: object = _MISSING, hint: str = "set it to a text value") -> str:
    return _read(name, str, default, hint)


def env_int(name: str, default: object = _MISSING, *, minimum: int | None = None) -> int:
    def parse(raw: str) -> int:
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(raw)
        return value

    bound = f" of at least {minimum}" if minimum is not None else ""
    return _read(name, parse, default, f"it must be a whole number{bound}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: object = _MISSING) -> bool:
    def parse(raw: str) -> bool:
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(raw)

    return _read(name, parse, default, "use true or false (1/0, yes/no, on/off)")


def env_list(name: str, default: object = _MISSING) -> list[str]:
    def parse(raw: str) -> list[str]:
        return [item.strip() for item in raw.split(",") if item.strip()]

    return _read(name, parse, default, "give a comma-separated list")


def env_database(name: str, default: object = _MISSING) -> dict:
    def parse(raw: str) -> dict:
        if "://" not in raw:
            raise ValueError(raw)
        config = _env.db_url_config(raw)
        if config["ENGINE"] not in (
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        ):
            raise ValueError(raw)
        return config

    return _read(
        name,
        parse,
        default,
        "use postgres://USER:PASSWORD@HOST:PORT/NAME (or sqlite:///PATH)",
    )


def env_url(name: str, default: object = _MISSING, *, schemes: tuple[str, ...]) -> str:
    def parse(raw: str) -> str:
        scheme, sep, rest = raw.partition("://")
        if not sep or scheme not in schemes or not rest:
            raise ValueError(raw)
        return raw.rstrip("/")

    return _read(
        name, parse, default, f"use a URL starting with {' or '.join(s + '://' for s in schemes)}"
    )


def env_choice(name: str, choices: tuple[str, ...], default: object = _MISSING) -> str:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(raw)
        return raw

    return _read(name, parse, default, f"use one of: {', '.join(choices)}")


def env_time_zone(name: str, default: object = _MISSING) -> str:
    def parse(raw: str) -> str:
        try:
            zoneinfo.ZoneInfo(raw)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(raw) from exc
        return raw

    return _read(name, parse, default, "use an IANA time zone such as Asia/Seoul")


_RATE_PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def env_rate(name: str, default: object = _MISSING) -> str:
    """A request rate as DRF's throttles read it: ``1200/hour``, ``20/min``, ``5/s``."""

    def parse(raw: str) -> str:
        count, sep, period = raw.strip().partition("/")
        if not sep or int(count) < 1 or period[:1] not in _RATE_PERIODS:
            raise ValueError(raw)
        return f"{int(count)}/{_RATE_PERIODS[period[:1]]}"

    return _read(name, parse, default, "use requests per period, e.g. 1200/hour or 30/minute")


def env_email(name: str, default: object = _MISSING) -> dict:
    def parse(raw: str) -> dict:
        return _env.email_url_config(raw)

    return _read(name, parse, default, "use smtp://USER:PASSWORD@HOST:587 (or consolemail://)")


def local_secret_key(path: os.PathLike[str] | str) -> str:
    """A secret key for local runs, generated once and kept beside the database.

    The one write left at settings import: Django needs the key's value before any
    start-up hook runs, and every local process (web, worker, beat) must share it.
    """
    from pathlib import Path

    from django.core.management.utils import get_random_secret_key

    key_file = Path(path)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()
