"""Lighthouse scores (the version pinned in package.json) and page weights of the bundled site, served locally with gzip.

    python bench/lighthouse.py [--runs N] [--json FILE]

Builds the bundled content under a sub-path (/portal/), serves it on 127.0.0.1 with gzip (as
GitHub Pages does), runs Lighthouse (mobile, simulated throttling: its defaults) in Debian's
Chromium on the home, practice, region, theme, search, statistics, countries and map pages, and prints the four category
scores (the median of N runs), then the gzipped HTML + CSS weight of each page kind.

Lighthouse is a pinned test dependency (package.json; `npm ci` installs it): tests/test_lighthouse.py
holds the statistics page to 1.0 in every category with the same server and the same audit.
"""

import argparse
import functools
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import Paths, build  # noqa: E402
from builder.config import load_config  # noqa: E402

VERSION = json.loads((ROOT / "package.json").read_text())["devDependencies"]["lighthouse"]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync --disable-dev-shm-usage")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv"}


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it, like a real static host."""

    def log_message(self, format, *args):
        """Stay quiet."""

    def send_head(self):
        """Serve a compressible file gzipped; anything else (and directory redirects) as usual."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """A bytes body that SimpleHTTPRequestHandler can copy and close like a file."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        """All remaining bytes."""
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        """Nothing to close."""


def first(folder: Path, section: str) -> str:
    """The site path of the alphabetically first page below `section/`."""
    return f"{section}/{sorted(p.parent.name for p in folder.glob(f'{section}/*/index.html'))[0]}/"


def audit(lighthouse: Path, url: str) -> dict:
    """One Lighthouse run: the category scores and the total transferred bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(lighthouse), url, f"--chrome-flags={CHROME_FLAGS}", "--quiet", "--output=json",
                        f"--output-path={report}", "--only-categories=" + ",".join(CATEGORIES)],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        data = json.loads(report.read_text())
    scores = {c: data["categories"][c]["score"] for c in CATEGORIES}
    failing = sorted(a for a, v in data["audits"].items() if v.get("score") is not None and v["score"] < 0.9
                     and v.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))
    return {**scores, "bytes": data["audits"]["total-byte-weight"]["numericValue"],
            "lcp_ms": data["audits"]["largest-contentful-paint"]["numericValue"], "below_0.9": failing}


def weight(folder: Path, path: str) -> tuple[int, int]:
    """Gzipped bytes of a page's HTML and of the stylesheets it links."""
    file = path.split("?")[0]
    html = (folder / (file + "index.html" if file.endswith("/") or not file else file)).read_bytes()
    hrefs = re.findall(r'<link rel="stylesheet" href="[^"]*/static/([^"]+)"', html.decode())
    css = b"".join((folder / "static" / href).read_bytes() for href in hrefs)
    return len(gzip.compress(html, 6, mtime=0)), len(gzip.compress(css, 6, mtime=0)) if css else 0


def main() -> None:
    """Build, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is shown")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    lighthouse = LIGHTHOUSE  # installed by `npm ci`
    with tempfile.TemporaryDirectory() as tmp:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=tmp))
        base_url = f"http://127.0.0.1:{server.server_address[1]}/portal/"
        folder = Path(tmp) / "portal"
        build(Paths(ROOT / "content", ROOT / "templates", ROOT / "static", folder),
              load_config(ROOT / "pyproject.toml", base_url=base_url))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        pages = {"home": "", "practice": first(folder, "practices"), "region": first(folder, "regions"),
                 "theme": first(folder, "themes"), "search": "search/?q=digital", "statistics": "statistics/",
                 "countries": "countries/", "map": "map/"}
        results = {}
        for kind, path in pages.items():
            runs = [audit(lighthouse, base_url + path) for _ in range(args.runs)]
            results[kind] = {key: statistics.median(r[key] for r in runs) for key in [*CATEGORIES, "bytes", "lcp_ms"]}
            results[kind]["below_0.9"] = sorted({a for r in runs for a in r["below_0.9"]})
            results[kind]["html_gz"], results[kind]["css_gz"] = weight(folder, path)
            results[kind]["path"] = path
        server.shutdown()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def print_table(results: dict) -> None:
    """The scores and weights as a Markdown table."""
    print(f"Lighthouse {VERSION}, mobile, simulated throttling; served with gzip from 127.0.0.1\n")
    print("| page | performance | accessibility | best practices | SEO | LCP (ms) | transferred (KB) "
          "| HTML gz (KB) | CSS gz (KB) | HTML+CSS gz (KB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        print(f"| {kind} (`{r['path'] or '/'}`) | {r['performance']:.2f} | {r['accessibility']:.2f} "
              f"| {r['best-practices']:.2f} | {r['seo']:.2f} | {r['lcp_ms']:.0f} | {r['bytes'] / 1024:.1f} "
              f"| {r['html_gz'] / 1024:.1f} | {r['css_gz'] / 1024:.1f} | {(r['html_gz'] + r['css_gz']) / 1024:.1f} |")
    for kind, r in results.items():
        if r["below_0.9"]:
            print(f"\n{kind}: audits below 0.9: {', '.join(r['below_0.9'])}")


if __name__ == "__main__":
    main()
