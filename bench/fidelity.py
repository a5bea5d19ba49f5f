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


def without(name: str) -> markdown.Markdown:
    """The current configuration less one extension (its effect and cost are the difference)."""
    extensions = [item for item in markup.EXTENSIONS if (item if isinstance(item, str) else type(item).__name__) != name]
    if name == "pymdownx.fancylists":
        extensions.append("sane_lists")  # what it replaced
    return markdown.Markdown(extensions=extensions, extension_configs={
        key: value for key, value in markup.EXTENSION_CONFIGS.items() if key != name})


def each_extension(texts: list[str], spec: list[str], bodies: list[str]) -> None:
    """For each extension added in issue 11: the shares and the ms per practice without it."""
    added = ["pymdownx.fancylists", "pymdownx.magiclink", "pymdownx.tilde", "pymdownx.tasklist", "pymdownx.saneheaders",
             "pymdownx.betterem", "GitHubEscapes"]
    for name in added:
        md = without(name)
        cost = per_practice(lambda text: md.reset().convert(text), bodies)
        print(f"  without {name}: snippets {share(md, texts)}" + (f", spec {share(md, spec)}" if spec else "")
              + f", {cost:.2f} ms per practice")


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
    """CPU milliseconds per text for `function(text)`, the median of three runs over all texts.

    CPU time, not wall time: the machine is shared, and other processes' load would otherwise be counted.
    """
    runs = []
    for _ in range(3):
        start = time.process_time()
        for text in texts:
            function(text)
        runs.append((time.process_time() - start) * 1000 / len(texts))
    return statistics.median(runs)


def build_seconds(practices: int, compare: bool) -> float:
    """CPU seconds of a whole build (no cache, no search index) of a generated corpus, in a fresh process, workers included."""
    with tempfile.TemporaryDirectory() as folder:
        content, output = Path(folder) / "content", Path(folder) / "out"
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(content), "--practices", str(practices)],
                       check=True, capture_output=True)
        patch = "" if compare else "import builder.markup as m; m.differences = lambda *a: ();"
        code = (f"import resource, sys; sys.path.insert(0, {str(ROOT)!r}); {patch}"
                "from builder.build import Paths, build; from builder.config import load_config; from pathlib import Path; "
                f"root = Path({str(ROOT)!r}); "
                f"build(Paths(Path({str(content)!r}), root / 'templates', root / 'static', Path({str(output)!r})), "
                "load_config(root / 'pyproject.toml'), search=False, jobs=2); "
                "print(sum(getattr(resource.getrusage(who), part) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) "
                "for part in ('ru_utime', 'ru_stime')))")
        return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", type=Path, help="cmark-gfm's test/spec.txt")
    parser.add_argument("--practices", type=int, default=300, help="practices in the build measured (default 300)")
    parser.add_argument("--each", action="store_true", help="also the effect and cost of each added extension")
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
    if args.each:
        plain = per_practice(lambda text: mds["new"].reset().convert(text), texts)
        print(f"  all extensions: {plain:.2f} ms per practice (Markdown only, no sanitiser)")
        each_extension(snippets, spec_examples(args.spec) if args.spec else [], texts)
    with_comparison, without = build_seconds(args.practices, True), build_seconds(args.practices, False)
    print(f"build of {args.practices} practices (jobs 2, no cache, no search): {with_comparison:.2f} CPU s with the comparison, "
          f"{without:.2f} CPU s without; the comparison's {compare:.2f} ms per practice is "
          f"{100 * compare / (1000 * with_comparison / args.practices):.0f} % of the build's CPU time per practice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
