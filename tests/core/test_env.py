"""A bad setting stops start-up with a sentence that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import (
    ConfigurationError,
    env_bool,
    env_database,
    env_int,
    env_str,
    env_time_zone,
    env_url,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def environ(monkeypatch):
    def set_(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


def test_a_missing_required_variable_is_named(monkeypatch):
    monkeypatch.delenv("GAGECAST_TEST_VALUE", raising=False)

    with pytest.raises(ConfigurationError, match="GAGECAST_TEST_VALUE is required"):
        env_str("GAGECAST_TEST_VALUE")


def test_a_default_is_used_when_the_variable_is_absent(monkeypatch):
    monkeypatch.delenv("GAGECAST_TEST_VALUE", raising=False)

    assert env_int("GAGECAST_TEST_VALUE", 7) == 7


@pytest.mark.parametrize(
    ("reader", "raw"),
    [
        (lambda: env_int("GAGECAST_TEST_VALUE", minimum=1), "zero"),
        (lambda: env_int("GAGECAST_TEST_VALUE", minimum=1), "0"),
        (lambda: env_bool("GAGECAST_TEST_VALUE"), "maybe"),
        (lambda: env_database("GAGECAST_TEST_VALUE"), "localhost:5432"),
        (lambda: env_database("GAGECAST_TEST_VALUE"), "mysql://u@h/db"),
        (lambda: env_url("GAGECAST_TEST_VALUE", schemes=("redis",)), "http://x"),
        (lambda: env_time_zone("GAGECAST_TEST_VALUE"), "Mars/Olympus"),
    ],
)
def test_an_unusable_value_is_refused_with_the_variable_named(environ, reader, raw):
    environ(GAGECAST_TEST_VALUE=raw)

    with pytest.raises(ConfigurationError, match="GAGECAST_TEST_VALUE has an unusable value"):
        reader()


def test_a_postgres_url_becomes_a_django_database(environ):
    environ(GAGECAST_TEST_VALUE="postgres://u:p@db.example:6543/gagecast")

    config = env_database("GAGECAST_TEST_VALUE")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 6543, "gagecast")


def _check(settings_module: str, **extra: str) -> subprocess.CompletedProcess[str]:
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TOKEN_ENCRYPTION_KEYS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _check("config.settings.production", ALLOWED_HOSTS="shop.example")

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_postgresql():
    result = _check("config.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="shop.example")

    assert result.returncode != 0
    assert "The environment variable DATABASE_URL is required" in result.stderr


def test_start_up_names_a_bad_database_url():
    result = _check("config.settings.local", DATABASE_URL="not-a-url")

    assert result.returncode != 0
    assert "The environment variable DATABASE_URL has an unusable value" in result.stderr


TOKEN_KEY = "9rn2jO0fXw7J7y8e0lQF2yq8Yx3bVgq0Zk6pW1cT5sM="  # a Fernet key, for these tests only
PRODUCTION_BASICS = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "shop.example",
    "DATABASE_URL": "postgres://u:p@db.example:5432/gagecast",
    "REDIS_URL": "redis://cache.example:6379/0",
}


def test_production_refuses_to_start_without_token_encryption_keys():
    result = _check("config.settings.production", **PRODUCTION_BASICS)

    assert result.returncode != 0
    assert "The environment variable TOKEN_ENCRYPTION_KEYS is required" in result.stderr
    assert "Fernet.generate_key()" in result.stderr


def test_production_names_a_token_key_that_is_not_a_fernet_key_without_showing_it():
    result = _check(
        "config.settings.production",
        **PRODUCTION_BASICS,
        TOKEN_ENCRYPTION_KEYS=f"{TOKEN_KEY},not-a-key-secret",
    )

    assert result.returncode != 0
    assert "TOKEN_ENCRYPTION_KEYS has an unusable value" in result.stderr
    assert "not-a-key-secret" not in result.stderr


def test_production_starts_with_its_required_variables_and_is_secure():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
            " s.ACCOUNT_EMAIL_VERIFICATION, s.ALLOWED_HOSTS)",
        ],
        cwd=REPO,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "shop.example",
            "EMAIL_URL": "smtp://user:pass@mail.example:587",
            "DATABASE_URL": "postgres://u:p@db.example:5432/gagecast",
            "REDIS_URL": "redis://cache.example:6379/0",
            "TOKEN_ENCRYPTION_KEYS": TOKEN_KEY,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "31536000",
        "mandatory",
        "['shop.example']",
    ]
