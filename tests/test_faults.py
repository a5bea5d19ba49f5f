"""Real faults, not mocks: a disk that fills, a read-only or immutable output, two builds at once, a killed build.

Each test compares the result byte for byte with a clean build or with the previous output. Faults
that need the machine's help (mounting a tmpfs, `chattr +i`) are skipped where it refuses.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile import practice
from test_broken_input import project, snapshot

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 120


def cli(folder: Path, *args: str, output: Path | None = None, cache: Path | None = None) -> list[str]:
    """The command line that builds `folder`'s project (its content, templates, static files)."""
    return [sys.executable, str(ROOT / "tests" / "cli_root.py"), str(folder), "--content", str(folder / "content"),
            "--output", str(output or folder / "_site"), "--cache-dir", str(cache or folder / ".cache"), *args, "build"]


def run(command: list[str]) -> subprocess.CompletedProcess:
    """Run a build within LIMIT seconds."""
    return subprocess.run(command, capture_output=True, text=True, timeout=LIMIT, env={**os.environ, "NO_COLOR": "1"})


def clean_build(folder: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """What a clean build of `folder`'s content gives (no cache, a new output)."""
    output = tmp_path / f"clean-{name}"
    result = run(cli(folder, "--no-cache", output=output))
    assert result.returncode == 0, result.stderr
    return snapshot(output)


def add_practice(folder: Path, name: str = "new-practice") -> None:
    """A second practice: a change that touches many pages."""
    (folder / "content" / "practices" / f"{name}.md").write_text(practice().replace("A good practice", "Another practice"))


def leftovers(parent: Path) -> list[str]:
    """Folders a build left beside its output."""
    return sorted(path.name for path in parent.iterdir() if path.name.startswith("._site"))


@pytest.fixture
def site(tmp_path) -> Path:
    """A project with a good tree; its site not built yet."""
    folder = tmp_path / "project"
    folder.mkdir()
    project(folder)
    return folder


def mount(*args: str) -> None:
    """`mount ARGS`, or skip the test where this machine does not allow it."""
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")


@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs of 8 MB, unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk))
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` until about `leave` bytes are free; the filler file's path."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "ab") as file:
        file.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.parametrize("leave", [0, 16_000, 200_000, 600_000])
def test_a_full_disk_leaves_the_previous_site_or_gives_the_new_one(site, tmpfs, tmp_path, leave):
    output = tmpfs / "_site"
    assert run(cli(site, output=output)).returncode == 0
    previous = snapshot(output)
    add_practice(site)
    filler = fill(tmpfs, leave)
    result = run(cli(site, output=output))
    assert "Traceback" not in result.stderr
    if result.returncode == 0:  # there was room after all: then it is exactly the new site
        assert snapshot(output) == clean_build(site, tmp_path, "new")
    else:
        assert result.returncode == 2, result.stderr
        assert "The build stopped: the disk is full" in result.stderr and "The output folder is unchanged." in result.stderr
        assert snapshot(output) == previous
    assert leftovers(tmpfs) == []
    filler.unlink()
    again = run(cli(site, output=output))
    assert again.returncode == 0, again.stderr
    assert snapshot(output) == clean_build(site, tmp_path, "new")


def test_a_cache_on_a_full_disk_only_warns(site, tmpfs, tmp_path):
    fill(tmpfs, 0)
    result = run(cli(site, cache=tmpfs / "cache"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "warning: the cache was not saved, so the next build will take longer: the disk is full" in result.stderr
    assert snapshot(site / "_site") == clean_build(site, tmp_path, "clean")


def test_a_read_only_output_is_a_clear_failure_that_keeps_the_site(site, tmp_path):
    parent = tmp_path / "published"
    parent.mkdir()
    output = parent / "_site"
    assert run(cli(site, output=output)).returncode == 0
    previous = snapshot(output)
    mount("--bind", str(parent), str(parent))
    try:
        mount("-o", "remount,bind,ro", str(parent))
        add_practice(site)
        result = run(cli(site, output=output))
    finally:
        subprocess.run(["umount", str(parent)], check=False)
    assert result.returncode == 2, result.stderr
    assert "is on a read-only file system" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(output) == previous and leftovers(parent) == []


def chattr(flag: str, path: Path) -> None:
    """`chattr FLAG PATH`, or skip where the file system or the user may not."""
    result = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
    if result.returncode:
        pytest.skip(f"chattr is not allowed here: {result.stderr.strip()}")


@pytest.mark.parametrize("which", ["output", "parent"])
def test_an_immutable_output_or_parent_is_a_clear_failure_that_keeps_the_site(site, which):
    output = site / "_site"
    assert run(cli(site)).returncode == 0
    previous = snapshot(output)
    add_practice(site)
    locked = output if which == "output" else site
    chattr("+i", locked)
    try:
        result = run(cli(site))
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=False)
    assert result.returncode == 2, result.stderr
    assert "no permission to change" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(output) == previous and leftovers(site) == []


def test_two_builds_into_one_output_take_turns(site, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    project(other)
    add_practice(other)
    output = tmp_path / "shared" / "_site"
    first = subprocess.Popen(cli(site, output=output, cache=tmp_path / "cache"), stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(cli(other, output=output, cache=tmp_path / "cache"), stderr=subprocess.PIPE, text=True)
    errors = [process.communicate(timeout=LIMIT)[1] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    waited = [index for index, text in enumerate(errors) if "Another build is writing" in text]
    last = waited[-1] if waited else None
    if last is None:  # the first finished before the second started: then the second's site is there
        last = 1
    assert snapshot(output) == clean_build([site, other][last], tmp_path, "last")
    assert leftovers(output.parent) == []


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_end_when_the_build_is_killed(site):
    for number in range(260):  # enough for the build to start worker processes
        add_practice(site, f"practice-{number:03d}")
    build = subprocess.Popen(cli(site, "--jobs", "2", "--no-cache"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + LIMIT, []
    while time.monotonic() < deadline and build.poll() is None and not workers:
        workers = [pid for pid in children(build.pid) if "python" in Path(f"/proc/{pid}/comm").read_text(errors="replace")]
        time.sleep(0.01)
    if not workers:
        pytest.fail("the build never started worker processes")
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]


INJECT = """import sys, build, builder.build
def broken(doc, context):
    raise ZeroDivisionError("a bug of ours")
builder.build.check_practice = broken
build.ROOT = __import__("pathlib").Path(sys.argv[1])
sys.exit(build.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("debug", [False, True])
def test_an_unforeseen_error_names_the_file_and_keeps_the_site(site, debug):
    assert run(cli(site)).returncode == 0
    previous = snapshot(site / "_site")
    add_practice(site)
    command = [sys.executable, "-c", INJECT, *cli(site, *(["--debug"] if debug else []))[2:]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT, cwd=site,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("internal error while reading content/practices/good.md: ZeroDivisionError: a bug of ours "
                            "(please report it)"), result.stderr
    if debug:
        assert "Traceback (most recent call last)" in result.stderr
    else:
        assert "Traceback" not in result.stderr
        log = result.stderr.split("the details are in ")[1].split()[0].rstrip(".")
        assert "ZeroDivisionError: a bug of ours" in Path(log).read_text()
        Path(log).unlink()
    assert snapshot(site / "_site") == previous


def test_an_immutable_file_of_the_old_site_still_gives_the_new_site_and_says_what_is_left(site, tmp_path):
    assert run(cli(site)).returncode == 0
    chattr("+i", site / "_site" / "index.html")
    try:
        add_practice(site)
        kept = run(cli(site))  # the old site, immutable file and all, is kept as the spare
        add_practice(site, "third-practice")
        result = run(cli(site))  # the spare's file cannot be replaced: the site is staged anew
    finally:
        for path in [site / "_site" / "index.html", site / ".cache" / "site" / "index.html", *site.glob("._site.*/index.html")]:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    assert kept.returncode == 0 and kept.stderr == "", kept.stderr
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "warning: files of an earlier site could not be removed from" in result.stderr
    assert snapshot(site / "_site") == clean_build(site, tmp_path, "new")
