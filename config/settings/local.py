"""Development and demo settings: DEBUG on, console e-mail, a development-only secret."""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-local-development-key-never-use-in-production")
os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from .base import *  # noqa: E402,F403
from .base import MIDDLEWARE, STORAGES  # noqa: E402

# The manifest storage needs collectstatic; the demo serves static files straight from source.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver and the test live server serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
