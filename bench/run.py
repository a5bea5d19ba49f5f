#!/usr/bin/env python3
"""Build-speed benchmark: `python bench/run.py [--sizes 1000 10000] [--runs 3] [--large-runs 1]`.

For each size it generates a seeded corpus (bench/corpus.py), then measures, each in a fresh
process: a cold build (empty cache, no output), the search indexing inside it, a rebuild with
nothing changed, a rebuild after editing one practice (with and without the search index), and
the peak memory of the whole process tree. Where Debian's `hugo` is installed it builds the
same corpus with the Hugo peer site and indexes it with Pagefind, in the same run, and prints
our times as ratios of Hugo's. Every figure is a median of the runs shown in the table.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


class TreeMemory(threading.Thread):
    """Polls the summed RSS of a process and all its descendants until stopped (shared pages count in each)."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval, self.running = pid, interval, True
        self.peak_all = self.peak_builder = self.peak_builder_pss = 0

    def run(self) -> None:
        """Sample until `stop`."""
        while self.running:
            tree = descendants(self.pid)
            sizes = [(rss(pid), name(pid)) for pid in tree]
            self.peak_all = max(self.peak_all, sum(size for size, _ in sizes))
            self.peak_builder = max(self.peak_builder, sum(size for size, who in sizes if who != "pagefind"))
            pss = sum(proportional(pid) for pid, (_, who) in zip(tree, sizes) if who != "pagefind")
            self.peak_builder_pss = max(self.peak_builder_pss, pss)
            time.sleep(self.interval)

    def stop(self) -> None:
        """End sampling."""
        self.running = False
        self.join()


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def rss(pid: int) -> int:
    """The resident set size of a process in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def proportional(pid: int) -> int:
    """The proportional set size in bytes: shared pages (a forked worker's) divided among their sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def name(pid: int) -> str:
    """A process's command name."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def measure(command: list[str]) -> dict:
    """Run `command`; its wall time, peak tree memory (all, and without Pagefind) and stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{out}{err}")
    return {"seconds": seconds, "memory": memory.peak_all, "builder_memory": memory.peak_builder,
            "builder_pss": memory.peak_builder_pss, "stdout": out}


def ours(content: Path, output: Path, cache: Path, jobs: int, search: bool = True, check: bool = False) -> dict:
    """One build (or check) through bench/step.py, with its stage times."""
    command = [sys.executable, str(BENCH / "step.py"), str(content), str(output), "--cache", str(cache), "--jobs", str(jobs)]
    result = measure(command + ([] if search else ["--no-search"]) + (["--check"] if check else []))
    result["stages"] = json.loads(result["stdout"].strip().splitlines()[-1])
    return result


def edit(practice: Path, run: int, step: int) -> None:
    """Change one sentence of one practice, as an editor would."""
    text = practice.read_text(encoding="utf-8")
    practice.write_text(text.replace("## Description\n\n", f"## Description\n\nEdited in run {run}, step {step}. ", 1), encoding="utf-8")


def our_run(folder: Path, run: int, jobs: int) -> dict:
    """Cold build, rebuild with nothing changed, and rebuilds after one edit, from an empty cache."""
    content, output, cache = folder / "content", folder / "out", folder / "cache"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    practice = sorted((content / "practices").glob("*.md"))[len(list((content / "practices").glob("*.md"))) // 2]
    original = practice.read_bytes()
    try:
        cold = ours(content, output, cache, jobs)
        size = folder_size(output)
        same = ours(content, output, cache, jobs)
        edit(practice, run, 1)
        edited = ours(content, output, cache, jobs)
        edit(practice, run, 2)
        checked = ours(content, output, cache, jobs, check=True)
        edit(practice, run, 3)
        preview = ours(content, output, cache, jobs, search=False)
    finally:
        practice.write_bytes(original)
    index = cold["stages"]["indexed"]
    return {
        "cold": cold["seconds"] - index, "index": index, "cold+index": cold["seconds"], "nothing": same["seconds"],
        "edit": edited["seconds"], "edit, no index": preview["seconds"], "check": checked["seconds"], "size": size,
        "memory": max(r["builder_memory"] for r in (cold, same, edited, checked, preview)),
        "memory (PSS)": max(r["builder_pss"] for r in (cold, same, edited, checked, preview)),
        "memory+pagefind": max(r["memory"] for r in (cold, same, edited, checked, preview)),
        **{f"stage {name}": value for name, value in cold["stages"].items()},
    }


def folder_size(folder: Path) -> int:
    """The bytes of every file under `folder` (the search index included)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def hugo_run(folder: Path, peer: Path) -> dict:
    """A cold Hugo build of the same corpus, then Pagefind over its output."""
    output = folder / "hugo-out"
    shutil.rmtree(output, ignore_errors=True)
    built = measure(["hugo", "--quiet", "--source", str(peer), "--contentDir", str(folder / "hugo-content"),
                     "--destination", str(output)])
    indexed = measure([sys.executable, "-m", "pagefind", "--site", str(output)])
    return {"cold": built["seconds"], "index": indexed["seconds"], "cold+index": built["seconds"] + indexed["seconds"],
            "size": folder_size(output),
            "memory": built["memory"], "memory (PSS)": built["builder_pss"],
            "memory+pagefind": max(built["memory"], indexed["memory"])}


def find_peer() -> Path | None:
    """The Hugo peer site in ../shared/bench/hugo-peer/ of this checkout or of a folder above it."""
    for parent in ROOT.parents:
        if (parent / "shared" / "bench" / "hugo-peer" / "config.toml").is_file():
            return parent / "shared" / "bench" / "hugo-peer"
    return None


def generate(folder: Path, size: int, seed: int, hugo: bool) -> None:
    """Our corpus and, for Hugo, its variant with `country:`."""
    corpus = [sys.executable, str(BENCH / "corpus.py"), "--practices", str(size), "--seed", str(seed)]
    subprocess.run(corpus + [str(folder / "content")], check=True)
    if hugo:
        subprocess.run(corpus + ["--hugo", str(folder / "hugo-content")], check=True)


def median(results: list[dict], key: str) -> float | None:
    """The median of one figure over runs."""
    values = [result[key] for result in results if key in result]
    return statistics.median(values) if values else None


ROWS = (
    ("cold build (render and write)", "cold", "cold", ""),
    ("search indexing (Pagefind)", "index", "index", ""),
    ("cold build including the index", "cold+index", "cold+index", "target <= 1.5"),
    ("rebuild, nothing changed", "nothing", "cold", "target <= 0.3 of Hugo's cold build"),
    ("rebuild after editing one practice", "edit", "cold+index", "target <= 1.0 of Hugo + Pagefind; includes re-indexing"),
    ("another edit, without the index", "edit, no index", "cold", "target <= 0.3 of Hugo's cold build"),
    ("`check` after editing one practice", "check", "cold", "target <= 0.3 of Hugo's cold build"),
)


def table(size: int, mine: list[dict], hugo: list[dict]) -> str:
    """The results of one size as a Markdown table."""
    lines = [f"### {size:,} practices (medians of {len(mine)} runs; Hugo: {len(hugo) or 'not installed'})", "",
             "| measure | ours | Hugo 0.111 (+ Pagefind) | ours / Hugo | note |", "|---|---:|---:|---:|---|"]
    for label, key, peer_key, note in ROWS:
        value, peer = median(mine, key), median(hugo, peer_key)
        ratio = f"{value / peer:.2f}" if peer else ""
        lines.append(f"| {label} | {value:.2f} s | {f'{peer:.2f} s' if peer else ''} | {ratio} | {note} |")
    for label, key, note in (("peak memory, builder processes (RSS sum)", "memory", "shared pages counted in each"),
                             ("peak memory, builder processes (PSS sum)", "memory (PSS)", "target <= 600 MiB"),
                             ("peak memory, with Pagefind", "memory+pagefind", "")):
        value, peer = median(mine, key) / 2**20, median(hugo, key)
        lines.append(f"| {label} | {value:.0f} MiB | {f'{peer / 2**20:.0f} MiB' if peer else ''} | | {note} |")
    value, peer = median(mine, "size"), median(hugo, "size")
    lines.append(f"| output size, search index included | {value / 2**20:.0f} MiB | {f'{peer / 2**20:.0f} MiB' if peer else ''} | "
                 f"{f'{value / peer:.2f}' if peer else ''} | target <= 1.5 |")
    stages = [key for key in mine[0] if key.startswith("stage ")]
    lines += ["", "Cold build by stage: " + ", ".join(f"{key[6:]} {median(mine, key):.2f} s" for key in stages)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Generate, measure and print a table per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size below 5,000 practices")
    parser.add_argument("--large-runs", type=int, default=1, help="runs per size from 5,000 practices on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed afterwards)")
    args = parser.parse_args(argv)
    peer = find_peer() if shutil.which("hugo") else None
    work = args.work or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        for size in args.sizes:
            folder = work / str(size)
            generate(folder, size, args.seed, peer is not None)
            if peer:
                shutil.rmtree(folder / "hugo-peer", ignore_errors=True)
                shutil.copytree(peer, folder / "hugo-peer")  # Hugo writes resources/ beside its configuration
            runs = args.runs if size < 5000 else args.large_runs
            mine, hugo = [], []
            for run in range(runs):
                mine.append(our_run(folder, run, args.jobs))
                if peer:
                    hugo.append(hugo_run(folder, folder / "hugo-peer"))
            print(table(size, mine, hugo), "\n", flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
