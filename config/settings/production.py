"""Production: secure by default, every secret from the environment, no defaults."""

from config.env import env_bool, env_email, env_int, env_list, env_str

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
