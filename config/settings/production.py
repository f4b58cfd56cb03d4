"""Production: secure by default, every secret from the environment, no defaults."""

from cryptography.fernet import Fernet

from config.env import ConfigurationError, env_bool, env_email, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str(
    "SECRET_KEY",
    hint="set a long random value (python -c 'import secrets; print(secrets.token_hex(32))')",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# Production is PostgreSQL and Redis; base.py parsed them, here they stop being optional.
env_str("DATABASE_URL", hint="use postgres://USER:PASSWORD@HOST:5432/NAME")
env_str("REDIS_URL", hint="use redis://HOST:6379/0")
# Channel tokens are encrypted with these keys: never with one derived from SECRET_KEY.
_FERNET_HINT = (
    "list Fernet keys (32 url-safe base64 bytes each), newest first, separated by commas; "
    "make one with python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)
env_str("TOKEN_ENCRYPTION_KEYS", hint=_FERNET_HINT)
TOKEN_ENCRYPTION_KEYS = env_list("TOKEN_ENCRYPTION_KEYS")


def _is_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


if not TOKEN_ENCRYPTION_KEYS or not all(map(_is_fernet_key, TOKEN_ENCRYPTION_KEYS)):
    # The value itself stays out of the message: it is a secret.
    raise ConfigurationError(
        f"The environment variable TOKEN_ENCRYPTION_KEYS has an unusable value: {_FERNET_HINT}"
    )
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")],
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
globals().update(env_email("EMAIL_URL"))  # verification mail must really go out
