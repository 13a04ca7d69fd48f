import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """The rate limiter counts in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run its on-commit side effects (e-mail) as a real commit would:
    the test's own transaction never commits."""

    def call(service, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call
