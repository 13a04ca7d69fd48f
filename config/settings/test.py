"""Test settings: fast hashing, in-memory e-mail, a test-only secret."""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-test-key-only-for-the-test-suite")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: E402,F403
from .base import MIDDLEWARE, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "nb"
# runserver and the test live server serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# Uploaded files of a test run go to a temporary folder of their own, never into the checkout.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="koblingsboks-test-media-")
