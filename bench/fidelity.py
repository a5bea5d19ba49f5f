#!/usr/bin/env python3
"""How often the portal renders Markdown as GitHub's preview does, and what rendering and the comparison cost.

`python bench/fidelity.py [--spec PATH] [--practices N]`

- The share of tests/snippets.py and of the GFM spec examples (cmark-gfm's `test/spec.txt`, given with
  `--spec`; CC BY-SA 4.0, so it is read from where you keep it, not copied here) that render alike,
  with the old configuration (before issue 11) and the new one.
- Milliseconds per 600-word practice (bench/text.py bodies) for the old and the new configuration
  and for the comparison with cmark-gfm, and the comparison's share of a whole build (bench/step.py's
  stages, with and without the comparison).
"""

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from bench.text import body  # noqa: E402
from builder import fidelity, markup  # noqa: E402
from tests.snippets import SNIPPETS  # noqa: E402

OLD = ["tables", "footnotes", "fenced_code", "sane_lists", "def_list", "abbr", "toc"]
OLD_CONFIGS = {"toc": {"slugify": markup.slugify_unicode, "toc_depth": "2"}, "footnotes": {"UNIQUE_IDS": False}}
FENCE = "`" * 32


def converters() -> dict[str, markdown.Markdown]:
    """The configuration before issue 11 and the current one."""
    return {"old": markdown.Markdown(extensions=OLD, extension_configs=OLD_CONFIGS),
            "new": markup.converter()}


def alike(md: markdown.Markdown, text: str) -> bool:
    """Whether a converter renders `text` as GitHub's preview does (both sanitised as the portal does)."""
    try:
        return fidelity.same(text, md.reset().convert(text), markup.comparable)
    except RecursionError:
        return False


def spec_examples(path: Path) -> list[str]:
    """The Markdown of each example in a CommonMark/GFM spec file."""
    examples, lines, inside, markdown_part = [], [], False, True
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith(FENCE + " example"):
            inside, markdown_part, lines = True, True, []
        elif inside and line == FENCE:
            examples.append("\n".join(lines).replace("→", "\t") + "\n")
            inside = False
        elif inside and line == "." and markdown_part:
            markdown_part = False
        elif inside and markdown_part:
            lines.append(line)
    return examples


def share(md: markdown.Markdown, texts: list[str]) -> str:
    """`k of n (p %)` texts that render alike."""
    count = sum(alike(md, text) for text in texts)
    return f"{count} of {len(texts)} ({100 * count / len(texts):.0f} %)"


def per_practice(function, texts: list[str]) -> float:
    """Milliseconds per text for `function(text)`, the median of three runs over all texts."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            function(text)
        runs.append((time.perf_counter() - start) * 1000 / len(texts))
    return statistics.median(runs)


def build_seconds(practices: int, compare: bool) -> float:
    """Seconds of a whole build (no cache, no search index) of a generated corpus, in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        content, output = Path(folder) / "content", Path(folder) / "out"
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(content), "--practices", str(practices)],
                       check=True, capture_output=True)
        patch = "" if compare else "import builder.markup as m; m.differences = lambda *a: ();"
        code = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); {patch}"
                "from builder.build import Paths, build; from builder.config import load_config; from pathlib import Path; "
                f"root = Path({str(ROOT)!r}); t = time.perf_counter(); "
                f"build(Paths(Path({str(content)!r}), root / 'templates', root / 'static', Path({str(output)!r})), "
                "load_config(root / 'pyproject.toml'), search=False, jobs=2); print(time.perf_counter() - t)")
        return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", type=Path, help="cmark-gfm's test/spec.txt")
    parser.add_argument("--practices", type=int, default=300, help="practices in the build measured (default 300)")
    args = parser.parse_args()
    mds, snippets = converters(), [snippet for snippet, _ in SNIPPETS]
    for name, md in mds.items():
        print(f"{name} configuration: snippets alike {share(md, snippets)}")
        if args.spec:
            print(f"{name} configuration: GFM spec examples alike {share(md, spec_examples(args.spec))}")
    rng = random.Random(11)
    texts = [body(rng, "Posavje", "RRA Posavje") for _ in range(40)]
    words = statistics.mean(len(re.findall(r"\w+", text)) for text in texts)
    print(f"bodies: {len(texts)}, {words:.0f} words on average")
    old = per_practice(lambda text: markup.sanitise(mds["old"].reset().convert(text), "/static/"), texts)
    new = per_practice(lambda text: markup.sanitise(mds["new"].reset().convert(text), "/static/"), texts)
    htmls = {text: mds["new"].reset().convert(text) for text in texts}
    compare = per_practice(lambda text: fidelity.differences(text, htmls[text], markup.comparable), texts)
    print(f"ms per practice: old configuration {old:.2f}, new configuration {new:.2f}, comparison with cmark-gfm {compare:.2f}")
    with_comparison, without = build_seconds(args.practices, True), build_seconds(args.practices, False)
    print(f"build of {args.practices} practices (jobs 2, no cache, no search): {with_comparison:.2f} s with the comparison, "
          f"{without:.2f} s without: the comparison is {100 * (with_comparison - without) / with_comparison:.0f} % of the build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
