"""Fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API.

Playwright's own browser download is never used; the tests drive /usr/bin/chromium (or
$KOBLINGSBOKS_CHROMIUM) and are skipped, with a reason, when that binary is missing.
"""

import os
from collections.abc import Iterator

import pytest

from tests.browser.plugin import BROWSER_MARKER, chromium_available, chromium_path, skip_reason

# Playwright's sync API runs an asyncio event loop in the test thread; Django would then refuse
# the ORM calls the test and pytest-django make there (loading the demo, flushing the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=skip_reason())
    for item in items:
        if item.get_closest_marker(BROWSER_MARKER):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server) -> Iterator:
    """A fresh browser context (no cookies) for a Norwegian-speaking user of the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
