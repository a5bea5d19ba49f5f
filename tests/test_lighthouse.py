"""Lighthouse scores the statistics page 1.0 in performance, accessibility, best practices and SEO.

The site is served with gzip from 127.0.0.1 (bench/lighthouse.py's server and audit, so the
benchmark and the test measure alike). Accessibility, best practices and SEO do not depend on the
machine; performance does (a busy machine slows a run), so it is the best of up to three runs.
"""

import functools
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import CHROMIUM, build_into

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from lighthouse import CATEGORIES, LIGHTHOUSE, GzipHandler, audit  # noqa: E402


@pytest.fixture(scope="module")
def gzip_site(tmp_path_factory):
    """The bundled site built for and served with gzip at `http://127.0.0.1:PORT/portal/`."""
    for tool, hint in ((LIGHTHOUSE, "run `npm ci`"), (Path(CHROMIUM), "apt-get install chromium")):
        if not tool.exists():
            (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{tool} not found ({hint})")
    root = tmp_path_factory.mktemp("lighthouse")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(root)))
    base_url = f"http://127.0.0.1:{server.server_address[1]}/portal/"
    build_into(ROOT / "content", root / "portal", base_url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base_url
    server.shutdown()


def test_the_statistics_page_scores_one_in_all_four_categories(gzip_site):
    runs = [audit(LIGHTHOUSE, gzip_site + "statistics/")]
    while runs[-1]["performance"] < 1 and len(runs) < 3:
        runs.append(audit(LIGHTHOUSE, gzip_site + "statistics/"))
    scores = {category: runs[0][category] for category in CATEGORIES} | {"performance": max(r["performance"] for r in runs)}
    assert scores == dict.fromkeys(CATEGORIES, 1), (scores, runs[0]["below_0.9"])
