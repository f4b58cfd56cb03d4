"""Channel tokens encrypted at rest with Fernet, rotatable with MultiFernet.

``TOKEN_ENCRYPTION_KEYS`` lists urlsafe-base64 Fernet keys, newest first: the first
encrypts, every one decrypts. Rotation = put a new key first, run
``manage.py rotate_token_keys``, then drop the old key. With no keys configured a key
is derived from SECRET_KEY so local runs and tests work; production settings refuse
to start without real keys.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper


class TokenUnreadable(Exception):
    """A stored token no configured key can decrypt (a key was dropped too early)."""


def derived_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(f"gagecast-tokens:{secret}".encode()).digest())


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(derived_key(secret))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TOKEN_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64 bytes each); make one "
            "with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from exc


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.TOKEN_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    return cipher().encrypt(plain.encode()).decode() if plain else ""


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return cipher().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise TokenUnreadable(
            "A stored token cannot be decrypted with TOKEN_ENCRYPTION_KEYS: was a key removed "
            "before `manage.py rotate_token_keys` ran?"
        ) from exc


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database."""

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""
