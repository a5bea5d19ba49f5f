#!/usr/bin/env python3
"""One measured build in a fresh process, for bench/run.py: prints its stage times as JSON.

`python bench/step.py CONTENT OUTPUT --cache DIR|none --jobs N [--no-search] [--check]`
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import Paths, build, check  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.config import load_config  # noqa: E402


def main() -> int:
    """Build once and print the seconds each stage took."""
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--cache", default="none")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--check", action="store_true", help="`check` instead of `build`: nothing is written")
    args = parser.parse_args()
    cache = None if args.cache == "none" else Cache(Path(args.cache))
    clock = {}
    paths, config = Paths(args.content, ROOT / "templates", ROOT / "static", args.output), load_config(ROOT / "pyproject.toml")
    if args.check:
        clock["start"] = time.perf_counter()
        check(paths, config, cache=cache, jobs=args.jobs)
        clock["done"] = time.perf_counter()
    else:
        build(paths, config, search=not args.no_search, cache=cache, jobs=args.jobs, clock=clock)
    marks = list(clock.items())
    print(json.dumps({after: round(t1 - t0, 3) for (_, t0), (after, t1) in zip(marks, marks[1:])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
