"""The output folder: a killed build leaves a whole site, and the builder never replaces what it did not write."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import write
from builder.write import MARKER, OutputError, check_output, safe_name, stage, swap
from hostile import FRONT, ROOT, make_tree, practice

PAGEFIND_FIXED = {"pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js", "pagefind/wasm.unknown.pagefind"}
BUILD = """
import sys, time
from pathlib import Path
import builder.write as write
from builder.build import Paths, build
from builder.config import load_config

pause, search = sys.argv[1], sys.argv[2] == "search"
if pause == "staging":
    original_new_file = write.new_file
    written = [0]
    def new_file(path):
        written[0] += 1
        if written[0] == 10:
            print("paused", flush=True)
            time.sleep(60)
        return original_new_file(path)
    write.new_file = new_file
elif pause == "after-exchange":
    original_exchange = write.exchange
    def exchange(first, second):
        done = original_exchange(first, second)
        print("paused", flush=True)
        time.sleep(60)
        return done
    write.exchange = exchange
print("ready", flush=True)
started = time.monotonic()
build(Paths(Path("content"), Path(sys.argv[3]) / "templates", Path("static"), Path("out")),
      load_config(Path(sys.argv[3]) / "pyproject.toml"), search=search)
print(f"done in {time.monotonic() - started:.3f}", flush=True)
"""


def set_version(title: str) -> None:
    """Give the one practice of the tree a title that tells the two versions of the site apart."""
    Path("content/practices/good.md").write_text(practice(FRONT.replace("A good practice", title)), encoding="utf-8")


def run_build(pause: str = "none", search: bool = True) -> subprocess.Popen:
    """Start a build of the tree in the working folder as a process group of its own."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", BUILD, pause, "search" if search else "plain", str(ROOT)],
                            stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the build and everything it started (Pagefind too), as a cancelled CI job would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # it had already ended
        pass
    process.wait()
    process.stdout.close()


def manifest(folder: Path) -> dict[str, bytes | None]:
    """Every file of a site; of Pagefind's, whose names and bytes vary from run to run, only its fixed files' names."""
    files = {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*")) if path.is_file()}
    return {name: None if name.startswith("pagefind/") else path.read_bytes() for name, path in files.items()
            if not name.startswith("pagefind/") or name in PAGEFIND_FIXED}


def leftovers() -> list[str]:
    """Staged or retired folders beside the output."""
    return sorted(path.name for path in Path(".").glob(".out.*"))


@pytest.fixture
def site_versions(tmp_path, monkeypatch):
    """A content tree built once as "Version A" and once as "Version B"; yields the two manifests."""
    monkeypatch.chdir(tmp_path)
    make_tree(tmp_path)
    versions = {}
    for title in ("Version B", "Version A"):
        set_version(title)
        finish(run_build())
        versions[title] = manifest(Path("out"))
    assert versions["Version A"] != versions["Version B"]
    return versions


def whole_site(versions: dict) -> str:
    """Which version the output holds; fails unless it is exactly one of them."""
    found = manifest(Path("out"))
    matches = [title for title, files in versions.items() if found.keys() == files.keys() and all(
        files[name] is None or files[name] == found[name] for name in files)]
    assert len(matches) == 1, sorted(set(found) ^ set(next(iter(versions.values()))))
    return matches[0]


def finish(process: subprocess.Popen) -> float:
    """Wait for a build to end well and return how long `build()` took in it."""
    lines = process.communicate(timeout=120)[0].splitlines()
    assert lines[0] == "ready" and lines[-1].startswith("done in "), lines
    return float(lines[-1].removeprefix("done in "))


def test_sigkill_at_random_moments_leaves_a_whole_site(site_versions):
    duration = finish(run_build())
    moments = random.Random(20261124)
    current, outcomes = whole_site(site_versions), []
    for stratum in range(12):  # moments spread over the build and as long again
        set_version("Version B" if current == "Version A" else "Version A")
        process = run_build()
        assert process.stdout.readline() == "ready\n"
        time.sleep((stratum + moments.random()) / 12 * duration * 2)
        kill(process)
        before, current = current, whole_site(site_versions)
        outcomes.append(before != current)
    finish(run_build())
    assert leftovers() == []
    print("new site in place after each kill:", outcomes)  # shown with -s; it varies with the machine's load


def test_sigkill_while_staging_leaves_the_previous_site(site_versions):
    set_version("Version B")
    process = run_build("staging")
    assert process.stdout.readline() == "ready\n" and process.stdout.readline() == "paused\n"
    kill(process)
    assert whole_site(site_versions) == "Version A"
    assert len(leftovers()) == 1


def test_sigkill_right_after_the_exchange_leaves_the_new_site(site_versions):
    set_version("Version B")
    process = run_build("after-exchange", search=False)
    assert process.stdout.readline() == "ready\n" and process.stdout.readline() == "paused\n"
    kill(process)
    found = manifest(Path("out"))
    assert found == {name: data for name, data in site_versions["Version B"].items() if not name.startswith("pagefind/")}
    finish(run_build())
    assert whole_site(site_versions) == "Version B" and leftovers() == []


def test_two_rename_fallback_gives_the_same_site(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "exchange", lambda first, second: False)
    output = tmp_path / "out"
    swap(stage({"index.html": b"one"}, output), output)
    swap(stage({"index.html": b"two", "a/b.txt": b"b"}, output), output)
    assert manifest(output) == {MARKER: write.MARKER_TEXT, "a/b.txt": b"b", "index.html": b"two"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b" / "x").write_text("b")
    assert write.exchange(tmp_path / "a", tmp_path / "b") is True
    assert (tmp_path / "a" / "x").read_text() == "b" and (tmp_path / "b" / "x").read_text() == "a"


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b", "a\\b", "", MARKER])
def test_file_names_that_leave_the_output_are_refused(name):
    with pytest.raises(ValueError):
        safe_name(name)


# Refusals -------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    """A project folder with content, templates and static; returns (root, sources)."""
    sources = [tmp_path / "content", tmp_path / "templates", tmp_path / "static"]
    for folder in sources:
        folder.mkdir()
    (tmp_path / "content" / "keep.md").write_text("precious")
    return tmp_path, sources


@pytest.mark.parametrize("output, reason", [
    ("/", "it is the root of the file system"),
    (".", "the build replaces the whole folder, and it is or holds"),
    ("..", "the build replaces the whole folder, and it is or holds"),
    ("content", "the build replaces the whole folder, and it is or holds"),
    ("static", "the build replaces the whole folder, and it is or holds"),
    ("templates", "the build replaces the whole folder, and it is or holds"),
    ("content/site", "which the builder reads; choose a folder outside it"),
    ("static/site", "which the builder reads; choose a folder outside it"),
])
def test_outputs_that_hold_the_project_are_always_refused(project, output, reason):
    root, sources = project
    with pytest.raises(OutputError, match=reason):
        check_output(root / output if output != "/" else Path("/"), sources, root, force=True)


def test_folder_with_files_the_builder_did_not_write_is_refused_unless_forced(project):
    root, sources = project
    (root / "notes").mkdir()
    (root / "notes" / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError, match=r"it holds files the builder did not write \(there is no \.portal-build file\)"):
        check_output(root / "notes", sources, root)
    check_output(root / "notes", sources, root, force=True)


def test_empty_new_or_marked_folders_are_accepted(project):
    root, sources = project
    (root / "empty").mkdir()
    (root / "ours").mkdir()
    (root / "ours" / MARKER).write_bytes(write.MARKER_TEXT)
    (root / "ours" / "index.html").write_text("old site")
    for name in ("empty", "new", "ours", "_site"):
        check_output(root / name, sources, root)


def test_a_file_as_output_is_refused(project):
    root, sources = project
    (root / "site.html").write_text("x")
    with pytest.raises(OutputError, match="it is a file, not a folder"):
        check_output(root / "site.html", sources, root, force=True)


def test_command_line_refuses_a_foreign_folder_and_keeps_it(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.odt").write_text("do not delete")
    command = [sys.executable, str(ROOT / "build.py"), "--output", str(tmp_path / "docs")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"refusing to write the site into `{tmp_path / 'docs'}`: it holds files the builder did not "
                             "write (there is no .portal-build file), and they would be deleted; choose an empty or new "
                             "folder, or pass --force to replace it anyway\n")
    assert (tmp_path / "docs" / "report.odt").read_text() == "do not delete"
