"""Browser tests: the app served by waitress on a free loopback port, driven in Debian's
Chromium through Playwright (never a downloaded browser)."""

import contextlib
import os
import socket
import threading
from pathlib import Path

import pytest
from waitress.server import create_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):  # CI: a missing browser is a failure
            pytest.fail(f"PORTAL_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(
            "Chromium is not installed: `apt-get install chromium` (Debian) to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(make_app):
    """Serve a fresh app; yields an object with .url and .app."""
    app = make_app()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    class Live:
        url = f"http://127.0.0.1:{port}"

    Live.app = app
    with app.app_context():
        yield Live

    # The browser may still hold keep-alive connections: close them with the listener,
    # or waitress's loop keeps serving them and the thread never ends. The closing runs
    # inside the loop's own thread (a trigger thunk): closing a socket under its select()
    # from here fails with "bad file descriptor".
    def close_all():
        for channel in list(server._map.values()):
            channel.close()

    with contextlib.suppress(OSError):  # the loop already closed its trigger: nothing to close
        server.trigger.pull_trigger(close_all)
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive(), "the test server did not stop"


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/artifacts/ (git-ignored) to look at."""
    from playwright.sync_api import Error as PlaywrightError

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError as error:
        # Chromium now and then answers "Unable to capture screenshot" for a page just
        # opened in a new window (seen on the pickup receipt), or never answers while the
        # machine is busy with the other browser tests (a timeout, seen in CI): the picture
        # is taken again.
        if "Unable to capture screenshot" not in str(error) and "Timeout" not in str(error):
            raise
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
    return path
