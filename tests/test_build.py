"""The pipeline end to end: problems are reported together, output is kept or replaced whole."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build import Paths, build, check
from builder.config import Config
from builder.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "fixtures" / "invalid"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`python build.py ARGS` from the project root."""
    return subprocess.run([sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_problem_of_a_broken_tree_is_reported_at_once(monkeypatch):
    monkeypatch.chdir(ROOT)
    config = Config()
    problems = check(Paths(content=Path("tests/fixtures/invalid/content")), config).problems
    report = [str(problem) for problem in problems]
    expected = (INVALID / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert report == expected[:-1]
    assert expected[-1] == "23 errors and 15 warnings in 7 files."


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path):
    output = tmp_path / "_site"
    output.mkdir()
    (output / "index.html").write_text("the site published yesterday")
    (output / ".portal-build").write_text("written by an earlier build")
    result = run_cli("--content", str(INVALID / "content"), "--output", str(output))
    assert result.returncode == 1
    assert "typos.md:4: unknown field `regoin`; did you mean `region`?" in result.stderr
    assert "23 errors and 15 warnings in 7 files." in result.stderr
    assert tree(output) == {"index.html": b"the site published yesterday", ".portal-build": b"written by an earlier build"}
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


def test_the_bundled_content_passes_the_strict_check():
    result = run_cli("check", "--strict")
    assert (result.returncode, result.stderr) == (0, "")


def test_warnings_fail_only_a_strict_check(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/fixtures/golden/content", content)
    shutil.rmtree(content / "practices")
    (content / "practices").mkdir()
    golden = (ROOT / "tests/fixtures/golden/content/practices/krakow-lab.md").read_text(encoding="utf-8")
    (content / "practices" / "short.md").write_text(golden.split("## Resources needed")[0], encoding="utf-8")
    assert run_cli("check", "--content", str(content)).returncode == 0
    strict = run_cli("check", "--strict", "--content", str(content))
    assert strict.returncode == 1 and "warning: the section `## Evidence of success` is missing" in strict.stderr


def test_build_raises_content_error_with_sorted_problems(tmp_path):
    with pytest.raises(ContentError) as caught:
        build(Paths(content=INVALID / "content", output=tmp_path / "out"), Config())
    assert caught.value.problems == sorted(caught.value.problems)
    assert not (tmp_path / "out").exists()


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    for name in ("one", "two"):
        result = run_cli("--output", str(tmp_path / name), "--base-url", "https://example.org/portal/")
        assert result.returncode == 0, result.stderr
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
