"""Running on a laptop: `make run`. Embedded defaults everywhere."""

from config.env import env_bool, env_email, env_str, local_secret_key

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR / "secret_key")

_email = env_email("EMAIL_URL", {})
if _email:
    globals().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
