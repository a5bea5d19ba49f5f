"""Preview latency: time from saving one practice to the updated page being served, on generated corpora.

    python bench/preview_bench.py [--sizes 1000 10000] [--edits 10]

Each edit changes one practice's summary (the common edit: the practice keeps its place in every listing),
then waits for the preview's reload event and fetches its page, as an open page does. Also timed once: an edit that moves the practice
(a new title), which rebuilds the model and every page. Search indexing is off so that Pagefind's
background run does not compete for the CPU; the preview runs it after the page is already updated.

Measured 2026-12-02 (morning) on the 2-core machine, nearly idle, 7 edits each (every save is the build's
own pipeline into the preview's folder: all files read and checked, the model, keys and links worked out
again; only the pages that print what changed rendered, only changed files written):

    practices  first build  summary edit: save to page served       title edit (moves the practice)
    31         0.8 s        median 189 ms (166-220), 50 ms settle    0.2 s
    300        1.6 s        median 405 ms (336-504)                  0.4 s
    1,000      4.7 s        median 1.09 s (1.04-1.18)                1.1 s
    10,000     42.0 s       median 9.8 s (9.2-10.6)                  11.2 s

Runs of 15 edits at 31 practices gave medians of 148 ms and 159 ms: a single run varies by a third here.

(The preview of 2026-11-24 had page rules of its own and answered in 74 ms at 10,000 practices, but it
skipped the checks it could not scope; see issue 10.)
"""

import argparse
import random
import re
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import Paths  # noqa: E402
from builder.serve import LivePreview  # noqa: E402


def make_corpus(folder: Path, size: int, seed: int = 1) -> list[Path]:
    """`size` practices made from the bundled ones (other titles, dates, regions and themes), seeded."""
    rng = random.Random(seed)
    shutil.copytree(ROOT / "content" / "regions", folder / "regions")
    shutil.copy(ROOT / "content" / "themes.yaml", folder / "themes.yaml")
    regions = sorted(path.stem for path in (folder / "regions").glob("*.md"))
    themes = [line.split(":")[0] for line in (folder / "themes.yaml").read_text().splitlines() if line[:1].isalnum()]
    sources = sorted((ROOT / "content" / "practices").glob("*.md"))
    # A body's link to another bundled practice leads to the generated practice made from that one's body.
    numbers = {path.stem: number for number, path in enumerate(sources)}
    relink = partial(re.sub, r"\.\./([a-z0-9-]+)/", lambda found: f"../practice-{numbers[found[1]]:05d}/"
                     if found[1] in numbers else found[0])
    bodies = [relink(path.read_text(encoding="utf-8").split("\n---\n", 1)[1]) for path in sources]
    (folder / "practices").mkdir()
    paths = []
    for number in range(size):
        chosen = ", ".join(rng.sample(themes, rng.randint(1, 3)))
        head = (f'---\ntitle: "Practice {number:05d}"\nsummary: "Summary of practice {number}."\n'
                f"region: {rng.choice(regions)}\nthemes: [{chosen}]\norganisation: Agency {number % 97}\n"
                f'level: {rng.choice(["national", "regional", "local"])}\n'
                f'published: "{2015 + rng.randint(0, 9)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"\n---\n')
        path = folder / "practices" / f"practice-{number:05d}.md"
        path.write_text(head + bodies[number % len(bodies)], encoding="utf-8")
        paths.append(path)
    return paths


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def save_and_wait(live: LivePreview, path: Path, old: str, new: str, shown: str) -> float:
    """Seconds from writing `new` in place of `old` to the file's page being served with `shown` in it.

    As an open page does: it waits for the preview's reload event, then fetches the page (no polling,
    which would compete with the rebuild for the interpreter).
    """
    url = f"{live.url}practices/{path.stem}/"
    text = path.read_text(encoding="utf-8").replace(old, new)
    with urllib.request.urlopen(f"{live.url}__reload?since={live.preview.version}") as events:
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        while True:
            if events.readline().startswith(b"event: reload"):
                with urllib.request.urlopen(url) as response:
                    if shown.encode() in response.read():
                        return time.perf_counter() - started


def bench(size: int, edits: int) -> None:
    """Build a corpus of `size`, start the preview, and time edits."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        paths = make_corpus(content, size)
        started = time.perf_counter()
        live = LivePreview(Paths(content, ROOT / "templates", ROOT / "static", Path(tmp) / "out"),
                           ROOT / "pyproject.toml", free_port(), search=False)
        print(f"{size} practices: first build {time.perf_counter() - started:.1f} s, {len(live.preview.current())} files")
        try:
            rng = random.Random(size)
            times = []
            for edit in range(edits):
                path = rng.choice(paths)
                old = path.read_text(encoding="utf-8").split("summary: ", 1)[1].split("\n", 1)[0]
                summary = f"Edited summary {edit} of {path.stem}."
                times.append(save_and_wait(live, path, old, f'"{summary}"', summary))
                time.sleep(0.2)
            print(f"  summary edit, save to updated page served: median {statistics.median(times) * 1000:.0f} ms, "
                  f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {edits} edits "
                  f"(includes the {live.watcher.settle * 1000:.0f} ms settle time)")
            path = paths[size // 2]
            moved = save_and_wait(live, path, f'title: "Practice {size // 2:05d}"', 'title: "A moved practice"',
                                  "A moved practice")
            print(f"  title edit (moves the practice: new model, changed pages rendered): {moved:.1f} s")
        finally:
            live.stop()


def main() -> None:
    """Run the benchmark for each size."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    options.add_argument("--edits", type=int, default=10)
    args = options.parse_args()
    for size in args.sizes:
        bench(size, args.edits)


if __name__ == "__main__":
    main()
