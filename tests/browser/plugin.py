"""Pytest plugin for the browser tests, registered from the root conftest.py.

It is loaded on every run (not only when tests/browser is collected), so that the end of
every run says in one plain line whether the browser tests ran in Chromium or were skipped.
"""

import os
from pathlib import Path

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "KOBLINGSBOKS_CHROMIUM"
BROWSER_MARKER = "browser"


def chromium_path() -> str:
    """The Chromium binary to drive: $KOBLINGSBOKS_CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def chromium_available() -> bool:
    path = Path(chromium_path())
    return path.is_file() and os.access(path, os.X_OK)


def skip_reason() -> str:
    return f"Chromium not found at {chromium_path()}"


class BrowserSummary:
    """Counts the browser-marked tests that ran and prints the closing line."""

    def __init__(self) -> None:
        self.ran = 0
        self.failed = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if BROWSER_MARKER not in report.keywords:
            return
        if report.when == "call":
            self.ran += 1
            self.failed += int(report.failed)
        elif report.when == "setup" and report.failed:
            # An error while starting the browser or the live server counts as a failed run.
            self.ran += 1
            self.failed += 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        path = chromium_path()
        if chromium_available():
            line = f"Browser tests: {self.ran} ran in Chromium ({path})."
            if self.failed:
                line += f" {self.failed} failed."
        else:
            line = (
                f"Browser tests SKIPPED: Chromium not found at {path} — "
                "install it with `apt-get install chromium`."
            )
        terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(BrowserSummary(), "koblingsboks-browser-summary")
