"""The suite's Chromium and demo parc (``tests/server/web/test_browser``) for the renewal settings browser test."""

from tests.server.web.test_browser import browser, demo_parc  # noqa: F401
