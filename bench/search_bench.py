#!/usr/bin/env python3
"""Search benchmark: `python bench/search_bench.py [--sizes 1000 10000] [--browser 10000]`.

For each corpus size: Pagefind's index time (with our canonicalisation) and index size. On the
`--browser` size, in Debian's Chromium on 127.0.0.1: the time from typing a query to the first
result card (cold and warm) and the bytes a first search transfers. Not a test; it prints figures.
The corpus comes from the small generator below, not bench/corpus.py: each practice here has one
topic word, so every query in QUERIES matches a known share of the practices (about one in eighteen).
"""

import argparse
import datetime
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from builder.build import Paths, build  # noqa: E402
from builder.config import load_config  # noqa: E402
from builder.search import canonicalise, index_site  # noqa: E402

# Topic words: each is the subject of about one practice in eighteen. COMMON is in nearly every practice.
QUERIES = ["hydrogen", "vouchers", "apprenticeships", "broadband", "tourism", "batteries", "robotics", "incubator"]
COMMON = "support"
COUNTRIES = ["AT", "BE", "BG", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
             "LT", "LV", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "GB"]
TOPICS = ["cluster", "digital innovation hub", "vouchers", "incubator", "hydrogen valley", "circular economy",
          "broadband", "apprenticeships", "smart specialisation", "tourism", "wood", "batteries", "robotics",
          "open data", "public procurement", "energy communities", "start-ups", "cultural heritage"]
WORDS = ("regional agency firms support programme network partners training investment advice region local "
         "companies market research university transfer pilot scheme funding results evaluation learning "
         "industry sector services skills export design platform method strategy policy measure").split()
SECTIONS = ["Description", "Resources needed", "Evidence of success", "Difficulties encountered",
            "Potential for learning or transfer"]


def sentence(rng: random.Random, topic: str | None = None) -> str:
    """A plain sentence of the corpus vocabulary, mostly about `topic`, now and then about another."""
    words = rng.sample(WORDS, rng.randint(8, 14))
    if topic is None or rng.random() < 0.02:
        topic = rng.choice(TOPICS)
    words.insert(rng.randrange(len(words)), topic)
    return " ".join(words).capitalize() + "."


def write_regions(folder: Path, rng: random.Random) -> list[str]:
    """About six regions per country; returns their slugs."""
    folder.mkdir(parents=True)
    slugs = []
    for code in COUNTRIES:
        for number in range(1, rng.randint(4, 9)):
            slug = f"{code.lower()}-region-{number}"
            lat, lon = rng.uniform(36, 66), rng.uniform(-9, 30)
            (folder / f"{slug}.md").write_text(
                f'---\nname: "Region {number} of {code}"\ncountry: "{code}"\nlat: {lat:.4f}\nlon: {lon:.4f}\n---\n'
                f"{sentence(rng)}\n", encoding="utf-8")
            slugs.append(slug)
    return slugs


def write_practice(folder: Path, number: int, regions: list[str], themes: list[str], rng: random.Random) -> None:
    """One valid practice with the five sections, about 400 words."""
    topic = rng.choice(TOPICS)
    published = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3900))
    chosen = "".join(f"\n  - {theme}" for theme in rng.sample(themes, rng.randint(1, 3)))
    body = "".join(f"## {title}\n\n" + "\n\n".join(" ".join(sentence(rng, topic) for _ in range(4)) for _ in range(2)) + "\n\n"
                   for title in SECTIONS)
    (folder / f"practice-{number:05d}.md").write_text(
        f'---\ntitle: "{topic.capitalize()} practice {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}"\n'
        f'summary: "{sentence(rng, topic)}"\nregion: {rng.choice(regions)}\nthemes:{chosen}\n'
        f'organisation: "Agency {number % 97}"\nlevel: {rng.choice(["national", "regional", "local"])}\n'
        f'published: "{published.isoformat()}"\nstatus: {rng.choice(["validated", "submitted"])}\n---\n{body}',
        encoding="utf-8")


def generate(folder: Path, practices: int, seed: int = 1) -> None:
    """A seeded corpus in `folder`, whose topic words are the benchmark's queries."""
    import yaml
    rng = random.Random(seed)
    regions = write_regions(folder / "regions", rng)
    shutil.copy(ROOT / "content" / "themes.yaml", folder / "themes.yaml")
    themes = list(yaml.safe_load((folder / "themes.yaml").read_text(encoding="utf-8")))
    (folder / "practices").mkdir()
    for number in range(practices):
        write_practice(folder / "practices", number, regions, themes, rng)


def folder_bytes(folder: Path, pattern: str = "*") -> tuple[int, int]:
    """Total bytes and number of the files under `folder` matching `pattern`."""
    files = [path for path in folder.rglob(pattern) if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def measure_index(site: Path) -> dict:
    """Time Pagefind with canonicalisation, time canonicalisation alone, and weigh the index."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    start = time.perf_counter()
    index_site(site)
    total = time.perf_counter() - start
    start = time.perf_counter()
    canonicalise(site / "pagefind")
    canonical = time.perf_counter() - start
    bundle = site / "pagefind"
    parts = {name: folder_bytes(bundle / name) for name in ("fragment", "index", "filter")}
    return {"index_s": total, "canonicalise_s": canonical, "bundle": folder_bytes(bundle), **parts}


def mib(size: int) -> str:
    """A byte count for people."""
    return f"{size / 1048576:.1f} MiB" if size >= 1048576 else f"{size / 1024:.0f} KiB"


FIRST_CARD_INIT = """
window.__firstCard = null;
new MutationObserver(() => {
  if (window.__firstCard === null && document.querySelector('#search-list li')) window.__firstCard = performance.now();
}).observe(document, {childList: true, subtree: true});
"""

# Resolves with [ms to the first new result card, ms until the whole answer is shown].
TYPE_AND_WAIT = """async (query) => {
  const box = document.querySelector('#search-q');
  const list = document.querySelector('#search-list');
  const results = document.querySelector('.search-results');
  const old = list.firstElementChild;
  return new Promise((resolve) => {
    const start = performance.now();
    let first = null;
    const observer = new MutationObserver(() => {
      if (first === null && list.firstElementChild && list.firstElementChild !== old) first = performance.now() - start;
      if (first !== null && results.getAttribute('aria-busy') === 'false') {
        observer.disconnect();
        resolve([first, performance.now() - start]);
      }
    });
    observer.observe(results, {childList: true, subtree: true, attributes: true});
    box.value = query;
    box.dispatchEvent(new Event('input', {bubbles: true}));
  });
}"""


def category(url: str) -> str:
    """Which part of the site a request fetched."""
    for marker, name in ((".pf_fragment", "fragments"), (".pf_index", "word index"), (".pf_filter", "filters"),
                         (".pf_meta", "meta"), ("wasm.", "wasm"), ("/pagefind/", "pagefind js"), ("/static/", "page assets")):
        if marker in url:
            return name
    return "page html"


def ready(page) -> None:
    """Wait until the search page has shown the answer to its latest search."""
    page.wait_for_selector(".search-results[aria-busy=false]", timeout=60000)


def served_size(site: Path, base_url: str, url: str) -> int:
    """The bytes of the file a URL of the served site names (the body a plain static host sends)."""
    path = url.split("?")[0][len(base_url):]
    target = site / path
    return (target / "index.html" if target.is_dir() else target).stat().st_size


def browser_cpu_seconds() -> float:
    """CPU seconds used so far by this process's descendants (Playwright's driver, Chromium and its children).

    Wall-clock figures grow with the machine's load; CPU time per search barely does, so it says
    what a search costs on a machine of one's own.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    children, total = {}, 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(stat.parent.name), fields))
    pending = [os.getpid()]
    while pending:
        for pid, fields in children.get(pending.pop(), []):
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime and stime
            pending.append(pid)
    return total


def measure_browser(site: Path, base_url: str) -> dict:
    """First-card times and first-search bytes in Chromium against the served site."""
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    figures = {"cold_link_ms": [], "cold_typed_ms": [], "cold_typed_whole_ms": [], "warm_typed_ms": [],
               "warm_typed_whole_ms": [], "warm_cpu_ms": [], "warm_reload_ms": [], "common_ms": [], "bytes": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in QUERIES:
            context = browser.new_context()
            context.add_init_script(FIRST_CARD_INIT)
            requested = []
            context.on("requestfinished", lambda request: requested.append(request.url))
            page = context.new_page()
            page.goto(f"{base_url}search/?q={query}")
            ready(page)
            figures["cold_link_ms"].append(page.evaluate("() => window.__firstCard"))
            if query == QUERIES[0]:
                for url in requested:
                    figures["bytes"][category(url)] = figures["bytes"].get(category(url), 0) + served_size(site, base_url, url)
            other = QUERIES[(QUERIES.index(query) + 1) % len(QUERIES)]
            first, whole = page.evaluate(TYPE_AND_WAIT, other)
            figures["cold_typed_ms"].append(first)
            figures["cold_typed_whole_ms"].append(whole)
            cpu = browser_cpu_seconds()
            for _ in range(3):
                page.evaluate(TYPE_AND_WAIT, query)
                first, whole = page.evaluate(TYPE_AND_WAIT, other)
                figures["warm_typed_ms"].append(first)
                figures["warm_typed_whole_ms"].append(whole)
            figures["warm_cpu_ms"].append((browser_cpu_seconds() - cpu) * 1000 / 6)
            page.evaluate(TYPE_AND_WAIT, COMMON)
            page.evaluate(TYPE_AND_WAIT, query)
            figures["common_ms"].append(page.evaluate(TYPE_AND_WAIT, COMMON)[0])
            page.goto(f"{base_url}search/?q={query}")
            ready(page)
            figures["warm_reload_ms"].append(page.evaluate("() => window.__firstCard"))
            context.close()
        browser.close()
    return figures


def report_browser(figures: dict) -> None:
    """Print the browser figures: medians and worst cases."""
    labels = {
        "cold_link_ms": "cold: open search/?q=… with an empty cache, navigation to first card",
        "cold_typed_ms": "cold: page open, first time a word is typed, input to first card",
        "cold_typed_whole_ms": "cold: the same, input to all 20 cards, counts and announcement",
        "warm_typed_ms": "warm: a word typed again (chunks cached), input to first card",
        "warm_typed_whole_ms": "warm: the same, input to all 20 cards, counts and announcement",
        "warm_cpu_ms": "warm: CPU time of all browser processes per typed search (whole answer), load-independent",
        "warm_reload_ms": "warm: reload search/?q=… (HTTP cache warm), navigation to first card",
        "common_ms": f"worst case: “{COMMON}”, in nearly every practice, typed again, input to first card",
    }
    for key, label in labels.items():
        values = figures[key]
        print(f"  {label}: median {statistics.median(values):.0f} ms, max {max(values):.0f} ms (n={len(values)})")
    total = sum(figures["bytes"].values())
    parts = ", ".join(f"{name} {mib(size)}" for name, size in sorted(figures["bytes"].items(), key=lambda item: -item[1]))
    print(f"  bytes of a first search (files fetched for search/?q={QUERIES[0]}, empty cache, no HTTP compression): {mib(total)} ({parts})")


def builder_fingerprint() -> str:
    """A digest of the builder's code and templates: a kept site is reused only while they are unchanged."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "builder").rglob("*.py"), *(ROOT / "templates").rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run(size: int, browser: bool, workdir: Path) -> None:
    """Generate, build, index and (optionally) measure one corpus size."""
    from conftest import free_port, serve_folder

    content, site_root = workdir / f"content-{size}", workdir / f"site-{size}"
    # Pages link by path alone, so a kept site (--workdir) can be served on any port.
    base_path = "/portal/"
    if (site_root / "fingerprint").is_file() and (site_root / "fingerprint").read_text() == builder_fingerprint():
        shutil.copytree(ROOT / "static", site_root / "portal" / "static", dirs_exist_ok=True)
        print(f"{size} practices: the kept site in {site_root} (same builder and templates), static files of now")
    else:
        shutil.rmtree(content, ignore_errors=True)
        shutil.rmtree(site_root, ignore_errors=True)
        generate(content, size)
        start = time.perf_counter()
        build(Paths(content, ROOT / "templates", ROOT / "static", site_root / "portal"),
              load_config(ROOT / "pyproject.toml", base_url=f"http://127.0.0.1{base_path}"), search=False)
        print(f"{size} practices: site built without search in {time.perf_counter() - start:.1f} s")
        figures = measure_index(site_root / "portal")
        print(f"  index time {figures['index_s']:.1f} s (canonicalisation alone {figures['canonicalise_s']:.2f} s); "
              f"index size {mib(figures['bundle'][0])} in {figures['bundle'][1]} files "
              f"(fragments {mib(figures['fragment'][0])} in {figures['fragment'][1]}, word index {mib(figures['index'][0])} "
              f"in {figures['index'][1]}, filters {mib(figures['filter'][0])} in {figures['filter'][1]})")
        (site_root / "fingerprint").write_text(builder_fingerprint())
    port = free_port()
    base_url = f"http://127.0.0.1:{port}{base_path}"
    if browser:
        server = serve_folder(site_root, port)
        try:
            before = os.getloadavg()[0]
            figures = measure_browser(site_root / "portal", base_url)
            print(f"  (load average {before:.1f} before the browser figures, {os.getloadavg()[0]:.1f} after; "
                  f"{os.cpu_count()} cores)")
            report_browser(figures)
        finally:
            server.shutdown()


def main() -> None:
    """Run the benchmark for each size given."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    options.add_argument("--browser", type=int, default=10000, help="the size measured in Chromium (0: none)")
    options.add_argument("--workdir", type=Path, help="keep the generated sites here and reuse them on the next run")
    args = options.parse_args()
    if args.workdir:
        for size in args.sizes:
            run(size, size == args.browser, args.workdir)
        return
    with tempfile.TemporaryDirectory(prefix="search-bench-") as workdir:
        for size in args.sizes:
            run(size, size == args.browser, Path(workdir))


if __name__ == "__main__":
    main()
