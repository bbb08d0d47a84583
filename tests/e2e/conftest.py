"""The sandbox served on loopback, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright
from werkzeug.serving import make_server

from mutualplan.app.sandbox import Sandbox
from mutualplan.bootstrap.demo import seed
from mutualplan.bootstrap.pipeline_demo import seed_pipeline
from mutualplan.bootstrap.sandbox import sandbox
from mutualplan.config import Config
from mutualplan.web.sandbox_routes import create_sandbox_app

ROOT = Path(__file__).parents[2]
SHOTS = ROOT / "test-output" / "e2e"
# As root, in a closed network: no sandbox, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]  # fmt: skip


def chromium() -> str:
    """Debian's Chromium; in CI its absence is a failure, never a skip."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("no chromium: CI must run bash scripts/test, which installs Debian's chromium")
    pytest.skip("no chromium: bash scripts/test installs Debian's chromium and runs these tests")


# A week on the sandbox's clock runs a week of syncs and reminders: seconds (about 4.5 here), more on a busy
# CI machine, where Playwright's default 5 s wait flaked.
CLOCK_MOVED_MS = 60_000

# A sealed token as a request line would show it: a link's path, or a token in a query.
UNMASKED_TOKEN = re.compile(
    r"/(?:confirm|join)/(?!\[redacted\])[^\s/?]|[?&](?:t|ticket|state|code)=(?!\[redacted\])"
)


class RequestLog(logging.Handler):
    """Every request line the server logged, as written."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def serving(made: Sandbox, browser: Browser, guide: Path | None = None) -> Iterator[str]:
    """A sandbox served on a free loopback port; when it stops, its request log must hold no sealed token
    (BAD_INPUTS 52). The browser's pages close before it stops: a page's next refresh must not meet a
    server that is gone (the page fixture is torn down after the server's)."""
    requests = logging.getLogger("werkzeug")
    log, level = RequestLog(), requests.level
    requests.addHandler(log)
    requests.setLevel(logging.INFO)
    server = make_server("127.0.0.1", 0, create_sandbox_app(made, guide), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    made.services.config = replace(made.services.config, public_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        for context in browser.contexts:
            context.close()
        server.shutdown()
        thread.join(timeout=5)
        requests.removeHandler(log)
        requests.setLevel(level)
    assert log.lines, "the server logged no request"
    leaked = [line for line in log.lines if UNMASKED_TOKEN.search(line)]
    assert leaked == [], "a sealed token reached the request log"


@pytest.fixture
def sandbox_url(tmp_path: Path, browser: Browser) -> Iterator[str]:
    """The sandbox over an empty workspace."""
    with serving(
        sandbox(Config.from_env({}, data=tmp_path / "workspace"), "http://127.0.0.1"), browser
    ) as url:
        yield url


@pytest.fixture
def demo(tmp_path: Path, browser: Browser) -> Iterator[tuple[str, Sandbox]]:
    """The sandbox as `mutualplan demo` opens it: the sample deal seeded; and the sandbox itself."""
    made = sandbox(Config.from_env({}, data=tmp_path / "workspace"), "http://127.0.0.1")
    seed(made.services, made.services.now().date())
    with serving(made, browser) as url:
        yield url, made


@pytest.fixture
def pipeline_demo(tmp_path: Path, browser: Browser) -> Iterator[tuple[str, Sandbox]]:
    """The sandbox as `mutualplan demo` opens it with its pipeline: the sample deal, five more deals of two
    sellers with twelve weeks of history, their manager and her Pipeline spreadsheet."""
    made = sandbox(Config.from_env({}, data=tmp_path / "workspace"), "http://127.0.0.1")
    seed(made.services, made.services.now().date())
    seed_pipeline(made)
    with serving(made, browser) as url:
        yield url, made


@pytest.fixture
def demo_with_guide(tmp_path: Path, browser: Browser, built_guide: Path) -> Iterator[str]:
    """The sandbox as `mutualplan demo` opens it in a checkout whose guide is built."""
    made = sandbox(Config.from_env({}, data=tmp_path / "workspace"), "http://127.0.0.1")
    seed(made.services, made.services.now().date())
    with serving(made, browser, built_guide) as url:
        yield url


@pytest.fixture(scope="session")
def built_guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide as `mkdocs build` writes it, from this checkout's docs/."""
    folder = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian's packages."""
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any script or console error, or outside request, in any of
    its tabs."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, bypass_csp=True)  # for the probes
    problems: list[str] = []
    local = ("http://127.0.0.1", "data:", "about:", "blob:")

    def outside(request: Request) -> None:
        if not request.url.startswith(local):
            problems.append(f"outside request: {request.url}")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    def watched(tab: Page) -> None:
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("console", console)
        tab.on("request", outside)

    context.on("page", watched)
    opened = context.new_page()
    yield opened
    context.close()  # closed already when the server it shows stopped first (serving)
    assert problems == []


def shot(page: Page, name: str) -> None:
    """Keep a screenshot of this step under test-output/e2e."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
