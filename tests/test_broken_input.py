"""Broken input of every kind, through the real command line, each under a time limit.

Each case is a small content tree with one thing wrong (a file's bytes, name, type or size) and
what the build must give: the exact problem lines it must print (`path:line: message`, matched at
the start of a line) and exit 1 with the previous output byte for byte as it was, or "builds".
No case may print a traceback or take longer than LIMIT seconds.
"""

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostile import BODY, FRONT, make_tree, practice

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60  # seconds per case, generous for a loaded machine; a healthy case takes about two
HUGE = 2_000_000_000  # sparse: takes no room on the disk, but a reader that reads it whole would take 2 GB
DIGITS = "1" * 5000
GOOD = "content/practices/good.md"
PRACTICES = Path("content/practices")


def front(extra: str, body: str = BODY) -> str:
    """The good practice with `extra` front-matter lines from line 9 on."""
    return practice(FRONT + extra, body)


def write(name: str, data: str | bytes) -> None:
    """Write a file (folders made as needed)."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def sparse(name: str, size: int = HUGE) -> None:
    """A file of `size` bytes that takes no room on the disk."""
    with open(name, "wb") as file:
        file.truncate(size)


def fifo(name: str) -> None:
    """A named pipe; reading it would wait for ever."""
    Path(name).unlink(missing_ok=True)
    os.mkfifo(name)


def unix_socket(name: str) -> None:
    """A socket file (left bound, then closed: the file stays)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(name)


def replace_by_file(name: str) -> None:
    """A plain file where a folder belongs."""
    shutil.rmtree(name)
    write(name, "not a folder\n")


def body_with(extra: str) -> str:
    """The good practice with `extra` added to the end of its body."""
    return practice(body=BODY + extra)


@dataclass
class Case:
    """One broken input: what to do to the good tree, and the problem lines the build must print (or builds)."""

    id: str
    setup: object
    expect: list[str] | str


CASES = [
    # Links -----------------------------------------------------------------------------------
    Case("broken-link", lambda: os.symlink("nowhere.md", PRACTICES / "dead.md"),
         ["content/practices/dead.md:1: is a link to `nowhere.md`, which does not exist; remove the link or copy the file here"]),
    Case("link-to-itself", lambda: os.symlink("loop.md", PRACTICES / "loop.md"),
         ["content/practices/loop.md:1: is a link to `loop.md`, which leads back to itself"]),
    Case("two-links-in-a-loop", lambda: (os.symlink("b.md", PRACTICES / "a.md"), os.symlink("a.md", PRACTICES / "b.md")),
         ["content/practices/a.md:1: is a link to `b.md`, which leads back to itself",
          "content/practices/b.md:1: is a link to `a.md`, which leads back to itself"]),
    Case("link-named-like-a-practice-to-etc", lambda: os.symlink("/etc", PRACTICES / "etc.md"),
         ["content/practices/etc.md:1: is a link to `/etc`, outside `content`; copy the files here instead"]),
    Case("link-in-content-to-etc", lambda: os.symlink("/etc", "content/etc"),
         ["content/etc:1: is a link to `/etc`, outside `content`; copy the files here instead"]),
    Case("two-links-to-the-content-folder", lambda: (os.symlink(".", "content/here"), os.symlink(".", "content/there")),
         ["content/here:1: is a link to the folder `.`; links to folders are not followed",
          "content/there:1: is a link to the folder `.`; links to folders are not followed"]),
    Case("link-to-a-parent-folder", lambda: os.symlink("..", PRACTICES / "up"),
         ["content/practices/up:1: is a link to the folder `..`; links to folders are not followed"]),
    Case("link-to-dev-zero", lambda: os.symlink("/dev/zero", PRACTICES / "zero.md"),
         ["content/practices/zero.md:1: is a link to `/dev/zero`, outside `content`; copy the file here instead"]),
    Case("static-link-to-dev-zero", lambda: os.symlink("/dev/zero", "static/zero.css"),
         ["static/zero.css:1: is a link to `/dev/zero`, outside `static`; copy the file here instead"]),
    Case("static-link-to-etc-passwd", lambda: os.symlink("/etc/passwd", "static/passwd.txt"),
         ["static/passwd.txt:1: is a link to `/etc/passwd`, outside `static`; copy the file here instead"]),
    Case("static-link-to-its-own-folder", lambda: os.symlink(".", "static/again"),
         ["static/again:1: is a link to the folder `.`; links to folders are not followed"]),
    Case("link-to-a-practice-inside-builds", lambda: os.symlink("good.md", PRACTICES / "same.md"), "builds"),
    # Kinds of file ---------------------------------------------------------------------------
    Case("fifo-named-like-a-practice", lambda: fifo(PRACTICES / "pipe.md"),
         ["content/practices/pipe.md:1: is a named pipe (FIFO), not a file; remove it"]),
    Case("fifo-as-the-themes-file", lambda: fifo("content/themes.yaml"),
         ["content/themes.yaml:1: is a named pipe (FIFO), not a file; remove it"]),
    Case("fifo-as-a-region", lambda: fifo("content/regions/pipe.md"),
         ["content/regions/pipe.md:1: is a named pipe (FIFO), not a file; remove it"]),
    Case("fifo-in-static", lambda: fifo("static/pipe.css"), ["static/pipe.css:1: is a named pipe (FIFO), not a file; remove it"]),
    Case("device-named-like-a-practice", lambda: os.mknod(PRACTICES / "null.md", 0o600 | 0o020000, os.makedev(1, 3)),
         ["content/practices/null.md:1: is a device, not a file; remove it"]),
    Case("socket-named-like-a-practice", lambda: unix_socket(str(PRACTICES / "sock.md")),
         ["content/practices/sock.md:1: is a socket, not a file; remove it"]),
    Case("folder-named-like-a-practice", lambda: (PRACTICES / "folder.md").mkdir(),
         ["content/practices/folder.md:1: is a folder; only the files directly in `practices/` are read"]),
    Case("subfolder-of-practices", lambda: write(PRACTICES / "drafts" / "x.md", practice()),
         ["content/practices/drafts:1: is a folder; only the files directly in `practices/` are read"]),
    Case("practices-is-a-file", lambda: replace_by_file("content/practices"),
         ["content/practices:1: should be a folder that holds the practice files, but it is a file"]),
    Case("regions-is-a-file", lambda: replace_by_file("content/regions"),
         ["content/regions:1: should be a folder that holds the region files, but it is a file",
          f"{GOOD}:4: `region`: `posavje` is not a region in content/regions/"]),
    Case("themes-file-is-a-folder", lambda: (os.unlink("content/themes.yaml"), os.mkdir("content/themes.yaml")),
         ["content/themes.yaml:1: should be a file that lists the themes, but it is a folder"]),
    # Size ------------------------------------------------------------------------------------
    Case("practice-of-2-gb", lambda: sparse(PRACTICES / "big.md"),
         ["content/practices/big.md:1: the file is larger than 1 MB; is it really a practice?"]),
    Case("region-of-2-gb", lambda: sparse("content/regions/big.md"),
         ["content/regions/big.md:1: the file is larger than 1 MB"]),
    Case("themes-file-of-2-gb", lambda: sparse("content/themes.yaml"), ["content/themes.yaml:1: the file is larger than 1 MB"]),
    Case("static-file-of-2-gb", lambda: sparse("static/video.mp4"),
         ["static/video.mp4:1: the file is larger than 50 MB; publish it elsewhere and link to it"]),
    Case("static-svg-of-2-gb", lambda: sparse("static/map.svg"), ["static/map.svg:1: the file is larger than 50 MB"]),
    # Names -----------------------------------------------------------------------------------
    Case("upper-case-suffix", lambda: write(PRACTICES / "x.MD", practice()),
         ["content/practices/x.MD:1: is not read: only files ending in `.md` (lower case) are practices; rename it to `x.md`"]),
    Case("markdown-suffix", lambda: write(PRACTICES / "x.markdown", practice()),
         ["content/practices/x.markdown:1: is not read: only files ending in `.md` (lower case) are practices; rename it to `x.md`"]),
    Case("text-suffix", lambda: write(PRACTICES / "notes.txt", "notes\n"),
         ["content/practices/notes.txt:1: is not read: only files ending in `.md` (lower case) are practices; rename it to `notes.md`"]),
    Case("region-with-upper-case-suffix", lambda: write("content/regions/x.Md", "x"),
         ["content/regions/x.Md:1: is not read: only files ending in `.md` (lower case) are regions; rename it to `x.md`"]),
    Case("practice-outside-its-folder", lambda: write("content/new-practice.md", practice()),
         ["content/new-practice.md:1: practices go in `practices/` and regions in `regions/`; move the file into one of them"]),
    Case("hidden-practice", lambda: write(PRACTICES / ".draft.md", practice()),
         ["content/practices/.draft.md:1: the file name `.draft.md` must use lower-case letters"]),
    Case("hidden-file-is-a-warning", lambda: write(PRACTICES / ".DS_Store", b"\0\0\0\1Bud1"), "builds"),
    Case("newline-in-a-name", lambda: write(PRACTICES / "x\n::error file=forged.md,line=1::forged.md", practice()),
         ["content/practices/x\\n::error file=forged.md,line=1::forged.md:1: the file name holds an invisible character"]),
    Case("tab-in-a-name", lambda: write(PRACTICES / "a\tb.md", practice()),
         ["content/practices/a\\tb.md:1: the file name holds an invisible character"]),
    Case("name-that-is-not-utf8", lambda: write(os.fsdecode(b"content/practices/caf\xe9.md"), practice()),
         ["content/practices/caf\\udce9.md:1: the file name holds an invisible character"]),
    Case("newline-in-a-static-name", lambda: write("static/a\nb.css", "a {}\n"),
         ["static/a\\nb.css:1: the file name holds an invisible character"]),
    Case("name-with-spaces", lambda: write(PRACTICES / "Bad Name.md", practice()),
         ["content/practices/Bad Name.md:1: the file name `Bad Name.md` must use lower-case letters"]),
    Case("long-name-builds", lambda: write(PRACTICES / ("a" * 200 + ".md"), practice()), "builds"),
    # Bytes -----------------------------------------------------------------------------------
    Case("empty-file", lambda: write(PRACTICES / "empty.md", b""),
         ["content/practices/empty.md:1: the file must start with front matter"]),
    Case("byte-order-mark-only", lambda: write(PRACTICES / "bom.md", b"\xef\xbb\xbf"),
         ["content/practices/bom.md:1: the file must start with front matter"]),
    Case("png-bytes-named-like-a-practice", lambda: write(PRACTICES / "pic.md", (ROOT / "static/icon-180.png").read_bytes()),
         ["content/practices/pic.md:1: column 1: the file is not UTF-8 text (byte 0x89)"]),
    Case("utf16-text", lambda: write(PRACTICES / "wide.md", practice().encode("utf-16")),
         ["content/practices/wide.md:1: column 1: the file is not UTF-8 text (byte 0xff)"]),
    Case("nul-byte-in-front-matter", lambda: write(PRACTICES / "good.md", practice(FRONT.replace("A short", "A \0short"))),
         [f"{GOOD}:3: column 12: the file holds a NUL character"]),
    Case("nul-byte-in-body", lambda: write(PRACTICES / "good.md", practice(body=BODY + "x\0y\n")),
         [f"{GOOD}:30: column 2: the file holds a NUL character"]),
    Case("control-character-in-front-matter", lambda: write(PRACTICES / "good.md", practice(FRONT.replace("A good", "A \x01good"))),
         [f"{GOOD}:2: "]),
    Case("windows-line-endings-build", lambda: write(PRACTICES / "good.md", practice().replace("\n", "\r\n")), "builds"),
    Case("old-mac-line-endings-build", lambda: write(PRACTICES / "good.md", practice().replace("\n", "\r")), "builds"),
    Case("every-european-alphabet-builds", lambda: write(PRACTICES / "good.md", practice(FRONT.replace(
        "A good practice", "Łódź, Ελλάδα, България, Ísland, Čeština, Ñandú, Straße, Malti ħġż, Eesti õ"))), "builds"),
    Case("hostile-html-builds-with-warnings", lambda: write(PRACTICES / "good.md", body_with(
        '<script>alert(1)</script><img src="icon-180.png" alt="" onerror=alert(2)>\n')), "builds"),
    # Front matter shapes ---------------------------------------------------------------------
    Case("front-matter-is-a-list", lambda: write(PRACTICES / "good.md", "---\n# a note\n\n- title\n- summary\n---\nText\n"),
         [f"{GOOD}:4: the front matter must be a list of `field: value` lines"]),
    Case("front-matter-is-a-text", lambda: write(PRACTICES / "good.md", "---\n\njust some words\n---\nText\n"),
         [f"{GOOD}:3: the front matter must be a list of `field: value` lines"]),
    Case("front-matter-not-closed", lambda: write(PRACTICES / "good.md", "---\ntitle: x\n"),
         [f"{GOOD}:1: the front matter is not closed"]),
    Case("yaml-alias", lambda: write(PRACTICES / "good.md", practice(FRONT.replace("A short summary.", "&s A short summary.")
                                                                      .replace("RRA Posavje", "*s"))),
         [f"{GOOD}:6: the front matter uses YAML anchors or aliases"]),
    Case("list-as-a-key", lambda: write(PRACTICES / "good.md", front("[a, b]: x\n")),
         [f"{GOOD}:9: a list or mapping before the colon is not a name"]),
    Case("mapping-as-a-key", lambda: write(PRACTICES / "good.md", front("? {a: b}\n: x\n")),
         [f"{GOOD}:9: a list or mapping before the colon is not a name"]),
    Case("integer-key", lambda: write(PRACTICES / "good.md", front("1: x\n")), [f"{GOOD}:9: `1` before the colon is not a name"]),
    Case("float-key", lambda: write(PRACTICES / "good.md", front("1.5: x\n")), [f"{GOOD}:9: `1.5` before the colon is not a name"]),
    Case("boolean-key", lambda: write(PRACTICES / "good.md", front("true: x\n")), [f"{GOOD}:9: `true` before the colon is not a name"]),
    Case("null-key", lambda: write(PRACTICES / "good.md", front("null: x\n")), [f"{GOOD}:9: `null` before the colon is not a name"]),
    Case("empty-key", lambda: write(PRACTICES / "good.md", front(": x\n")), [f"{GOOD}:9: "]),
    Case("integer-key-inside-contact", lambda: write(PRACTICES / "good.md", front("contact:\n  name: Desk\n  7: x\n")),
         [f"{GOOD}:11: `7` before the colon is not a name"]),
    Case("integer-key-in-the-themes-file", lambda: write("content/themes.yaml", "1:\n  name: One\n"),
         ["content/themes.yaml:1: `1` before the colon is not a name"]),
    Case("integer-key-in-a-region", lambda: write("content/regions/posavje.md", "---\nname: Posavje\n2: x\n---\n"),
         ["content/regions/posavje.md:3: `2` before the colon is not a name"]),
    Case("key-given-twice", lambda: write(PRACTICES / "good.md", front("title: Again\n")), [f"{GOOD}:9: `title` is given twice; keep one"]),
    Case("very-long-key", lambda: write(PRACTICES / "good.md", front("k" * 10000 + ": x\n")), [f"{GOOD}:9: the front matter cannot be read"]),
    Case("long-unknown-key", lambda: write(PRACTICES / "good.md", front("k" * 1000 + ": x\n")), [f"{GOOD}:9: unknown field `kkk"]),
    Case("deep-nesting", lambda: write(PRACTICES / "good.md", front("keywords: " + "[" * 100000 + "\n")),
         [f"{GOOD}:9: the front matter is nested more than 10 levels deep"]),
    # Values ----------------------------------------------------------------------------------
    Case("integer-of-5000-digits", lambda: write(PRACTICES / "good.md", front(f"start: {DIGITS}\n")),
         [f"{GOOD}:9: the number `111111111111…` has 5,000 digits"]),
    Case("integer-of-5000-digits-in-a-location", lambda: write(PRACTICES / "good.md", front(f"location:\n  lat: 1\n  lon: {DIGITS}\n")),
         [f"{GOOD}:11: the number `111111111111…` has 5,000 digits"]),
    Case("integer-of-5000-digits-in-a-region", lambda: write("content/regions/posavje.md", f"---\nname: Posavje\ncountry: \"SI\"\nlat: {DIGITS}\nlon: 15\n---\n"),
         ["content/regions/posavje.md:4: the number `111111111111…` has 5,000 digits"]),
    Case("float-too-large-for-a-latitude", lambda: write(PRACTICES / "good.md", front(f"location:\n  lat: {DIGITS}.5\n  lon: 1\n")),
         [f"{GOOD}:10: `location`: `inf` is not a latitude"]),
    Case("bad-ipv6-website", lambda: write(PRACTICES / "good.md", front("website: http://[::1/\n")),
         [f"{GOOD}:9: `website`: `http://[::1/` is not a web address"]),
    Case("bad-ipv6-contact-url", lambda: write(PRACTICES / "good.md", front("contact:\n  url: http://[::1/\n")),
         [f"{GOOD}:10: `contact`: `http://[::1/` is not a web address"]),
    Case("bad-ipv6-image", lambda: write(PRACTICES / "good.md", front("image: http://[::1/\nimage_alt: x\n")),
         [f"{GOOD}:9: `image`: `http://[::1/` must be a path inside static/"]),
    Case("bad-ipv6-body-image-builds", lambda: write(PRACTICES / "good.md", body_with("![x](http://[::1/)\n")), "builds"),
    Case("bad-ipv6-markdown-link-builds", lambda: write(PRACTICES / "good.md", body_with("[x](http://[::1/)\n")), "builds"),
    Case("bad-ipv6-html-link-builds", lambda: write(PRACTICES / "good.md", body_with('<a href="http://[::1/">x</a>\n')), "builds"),
    Case("image-name-of-300-characters", lambda: write(PRACTICES / "good.md", front("image: " + "a" * 300 + ".png\nimage_alt: x\n")),
         [f"{GOOD}:9: `image`: `aaaaaaaa"]),
    Case("image-that-is-a-folder", lambda: write(PRACTICES / "good.md", front("image: .\nimage_alt: x\n")),
         [f"{GOOD}:9: `image`: `.` is not a file in static/"]),
    Case("image-that-is-a-pipe", lambda: (fifo("static/pic.png"), write(PRACTICES / "good.md", front("image: pic.png\nimage_alt: x\n"))),
         ["static/pic.png:1: is a named pipe (FIFO), not a file; remove it", f"{GOOD}:9: `image`: `pic.png` is not a file in static/"]),
    # Headings (their anchors are checked against the table of contents by every build) -------
    Case("heading-of-symbols-builds", lambda: write(PRACTICES / "good.md", body_with("## ★★★\n\nText.\n")), "builds"),
    Case("heading-of-punctuation-builds", lambda: write(PRACTICES / "good.md", body_with("## !!! ???\n\nText.\n")), "builds"),
    Case("heading-with-markup-builds", lambda: write(PRACTICES / "good.md", body_with("## <b>Bold</b> & `code`\n\nText.\n")), "builds"),
    Case("heading-repeated-builds", lambda: write(PRACTICES / "good.md", body_with("## Description\n\nAgain.\n")), "builds"),
]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A project with the good tree and its built site: the output every failing case must leave as it was."""
    folder = tmp_path_factory.mktemp("previous")
    project(folder)
    result = run_build(folder)
    assert result.returncode == 0, result.stderr
    return folder


def project(folder: Path) -> None:
    """The good content tree with the project's templates, static files and settings, in `folder`."""
    make_tree(folder)
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")


def run_build(folder: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python build.py build` with `folder` as the project root and working folder, within LIMIT seconds."""
    command = [sys.executable, str(ROOT / "tests" / "cli_root.py"), str(folder), "--content", "content", "--output", "_site",
               "--cache-dir", ".cache", "--jobs", "1", "build"]
    return subprocess.run(command, cwd=folder, capture_output=True, timeout=LIMIT, env=env or {**os.environ, "NO_COLOR": "1"},
                          errors="backslashreplace")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_input(case, previous, tmp_path, monkeypatch):
    shutil.copytree(previous, tmp_path / "project", symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    folder = tmp_path / "project"
    before = snapshot(folder / "_site")
    monkeypatch.chdir(folder)
    case.setup()
    result = run_build(folder, {**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": "true"})
    assert "Traceback" not in result.stderr + result.stdout
    assert not [line for line in (result.stderr + result.stdout).splitlines() if line.startswith("::error file=forged")]
    assert [path.name for path in folder.iterdir() if path.name.startswith("._site")] == []  # nothing left beside the output
    if case.expect == "builds":
        assert result.returncode == 0, result.stderr
        return
    lines = result.stderr.splitlines()
    for expected in case.expect:
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{result.stderr}"
    assert result.returncode == 1, result.stderr
    assert snapshot(folder / "_site") == before


def test_there_are_at_least_sixty_cases():
    assert len(CASES) >= 60 and len({case.id for case in CASES}) == len(CASES)
