"""Golden site: the fixture content renders to exactly the committed expected tree.

Regenerate on purpose, after a deliberate change, with:
    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff of tests/fixtures/golden/expected/ before committing it.
"""

import difflib
import os
import shutil
from pathlib import Path

from builder.build import Paths, build_model, check_content
from builder.config import Config
from builder.render import render_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "golden"
CONFIG = Config(title="Golden portal", base_url="https://example.org/portal/", per_page=2,
                repository="https://github.com/example/portal", branch="main", admin=False)


def rendered_fixture() -> dict[str, bytes]:
    """The fixture site as {path: bytes}, without the static files (their bytes are the project's CSS)."""
    paths = Paths(FIXTURE / "content", ROOT / "templates", FIXTURE / "no-static", Path("unused"))
    content = check_content(paths)
    assert content.problems == []
    return render_site(build_model(content, paths, CONFIG), paths.templates)


def expected_tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, keyed by its relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_diff(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """A readable difference between two trees: missing, extra and changed files with a unified diff."""
    report = [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    report += [f"unexpected: {name}" for name in sorted(actual.keys() - expected.keys())]
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] != actual[name]:
            diff = difflib.unified_diff(expected[name].decode(errors="replace").splitlines(),
                                        actual[name].decode(errors="replace").splitlines(),
                                        f"expected/{name}", f"actual/{name}", lineterm="", n=2)
            report.append("\n".join(list(diff)[:60]))
    return "\n".join(report)


def test_fixture_renders_to_the_expected_tree():
    actual = rendered_fixture()
    expected_folder = FIXTURE / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_folder, ignore_errors=True)
        for name, data in actual.items():
            (expected_folder / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_folder / name).write_bytes(data)
    difference = tree_diff(expected_tree(expected_folder), actual)
    assert not difference, "the rendered site differs from tests/fixtures/golden/expected:\n" + difference


def test_tree_diff_names_every_kind_of_difference():
    report = tree_diff({"a": b"1", "b": b"x\n"}, {"b": b"y\n", "c": b""})
    assert "missing: a" in report and "unexpected: c" in report and "-x" in report and "+y" in report
