"""Shared fixtures: the bundled site built under a sub-path, served on 127.0.0.1, and Chromium."""

import functools
import os
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builder.build import Paths, build
from builder.config import load_config
from builder.write import MARKER

ROOT = Path(__file__).resolve().parent.parent
# On GitHub Actions these name the repository the site links to (and turn on /admin/); tests that want them set
# them, so the shared sites are the same on a runner as anywhere else.
for variable in ("GITHUB_REPOSITORY", "GITHUB_REF_NAME", "GITHUB_BASE_REF", "GITHUB_SERVER_URL"):
    os.environ.pop(variable, None)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (the build's ownership marker aside)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != MARKER}


def same(left: dict, right: dict) -> bool:
    """Whether two trees are equal; on a difference, the first differing paths in the assertion."""
    differing = sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))
    assert differing == [], differing[:8]
    return True


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format, *args):
        """Stay quiet."""


def serve_folder(folder: Path, port: int) -> ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1:`port` from a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_into(content: Path, output: Path, base_url: str) -> None:
    """Build `content` into `output` with the project's templates, static files and settings."""
    config = load_config(ROOT / "pyproject.toml", base_url=base_url)
    build(Paths(content, ROOT / "templates", ROOT / "static", output), config)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The bundled site built for and served at `http://127.0.0.1:PORT/portal/`; yields (base URL, folder)."""
    port = free_port()
    root = tmp_path_factory.mktemp("served")
    base_url = f"http://127.0.0.1:{port}/portal/"
    build_into(ROOT / "content", root / "portal", base_url)
    server = serve_folder(root, port)
    yield base_url, root / "portal"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; on CI a missing browser fails instead of skipping."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # Up to 8 helpers and CI share 2 cores: loading the search index can take longer than the default 5 s.
    expect.set_options(timeout=20_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests in `page.problems`."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url} {request.failure}"))
    page.on("response", lambda response: response.status >= 400 and page.problems.append(f"HTTP {response.status}: {response.url}"))
    yield page
    context.close()


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the bundled content, at `tmp_path/content`."""
    import shutil

    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))
# Property tests: a fixed budget everywhere; on CI the same examples on every run (no flaky reds).
from hypothesis import settings  # noqa: E402

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=2000, deadline=None)  # pytest --hypothesis-profile=thorough
settings.load_profile("ci" if os.environ.get("CI") else "dev")
