"""Finding the input files: what `content/` and `static/` hold, and every entry in them that cannot be read.

The walk never follows a link and never opens anything but a regular file, so a link loop, a link
to `/etc` or `/dev/zero`, a named pipe or a sparse file of 2 GB is a problem with its path, not a
hang or a crash. Files that look like content but would not be read (`x.MD`, `x.markdown`, a
subfolder of `practices/`) are reported too: an editor who saved one expects to see it on the site.
"""

import errno
import os
import stat
from pathlib import Path

from .problems import WARNING, Problem, display_path

MAX_CONTENT_BYTES = 1_000_000
MAX_STATIC_BYTES = 50_000_000  # GitHub warns about files over 50 MB and refuses them over 100 MB
CONTENT_FOLDERS = ("practices", "regions")
KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
         stat.S_IFBLK: "a device"}


def scan_inputs(content: Path, static: Path) -> list[Problem]:
    """Every entry of the content and static folders that the build cannot or will not read, as a problem."""
    problems = []
    for name in CONTENT_FOLDERS:
        folder = content / name
        if folder.is_file():  # other kinds are reported by the walk
            problems.append(Problem(display_path(folder), 1, f"should be a folder that holds the {name[:-1]} files, "
                                    f"but it is {kind(folder)}; replace it with a folder named `{name}`"))
    problems += walk(content, content, ".", MAX_CONTENT_BYTES, entry_problem_in_content)
    problems += walk(static, static, ".", MAX_STATIC_BYTES, lambda entry, place: None)
    return sorted(problems)


def walk(folder: Path, root: Path, place: str, limit: int, extra) -> list[Problem]:
    """Problems of every entry under `folder` (at `place` inside `root`), found without following links.

    `extra(entry, place)` adds the rules of a place. It runs before every build over every file, so
    the usual entry (a plain file of a fitting size) is told from `os.scandir`'s data and one stat.
    """
    problems = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []  # a missing folder is reported where it is needed; an unreadable one by its reader
    for entry in entries:
        plain = entry.name.isprintable() and entry.is_file(follow_symlinks=False)
        if plain and entry.stat(follow_symlinks=False).st_size <= limit:
            problem = extra(entry, place)
        else:
            problem = entry_problem(Path(entry.path), root, limit) or extra(entry, place)
        if problem:
            problems.append(problem)
        elif entry.is_dir(follow_symlinks=False):
            problems += walk(Path(entry.path), root, entry.name if place == "." else f"{place}/{entry.name}", limit, extra)
    return problems


def entry_problem(path: Path, root: Path, limit: int) -> Problem | None:
    """What stops the build from reading one entry: its name, its type, its size, or where its link leads."""
    if not path.name.isprintable():
        return Problem(display_path(path), 1, "the file name holds an invisible character (a line break, a tab or a control "
                                "character); rename it using letters, digits and hyphens")
    try:
        info = path.lstat()
    except OSError as error:
        return Problem(display_path(path), 1, f"cannot be read ({reason(error)}); remove it or fix its permissions")
    if stat.S_ISLNK(info.st_mode):
        return link_problem(path, root, limit)
    if stat.S_IFMT(info.st_mode) in KINDS:
        return Problem(display_path(path), 1, f"is {KINDS[stat.S_IFMT(info.st_mode)]}, not a file; remove it")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        return Problem(display_path(path), 1, f"the file is larger than {limit // 1_000_000} MB; "
                                + ("is it really a practice?" if limit == MAX_CONTENT_BYTES else "publish it elsewhere and link to it"))
    return None


def link_problem(path: Path, root: Path, limit: int) -> Problem | None:
    """A symbolic link is read as its target only when that is a regular file inside `root`."""
    name, target = display_path(path), os.readlink(path)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return Problem(name, 1, f"is a link to `{target}`, which does not exist; remove the link or copy the file here")
    except (RuntimeError, OSError) as error:  # a loop (pathlib raises RuntimeError for it in Python 3.11)
        looping = isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP
        return Problem(name, 1, f"is a link to `{target}`, which {'leads back to itself' if looping else 'cannot be read'}; "
                                "remove the link or copy the file here")
    if not real.is_relative_to(root.resolve()):
        what = "the files" if real.is_dir() else "the file"
        return Problem(name, 1, f"is a link to `{target}`, outside `{display_path(root)}`; copy {what} here instead")
    if real.is_dir():  # only `content/practices` and `content/regions` are read as folders of their own
        allowed = path.parent == root and path.name in CONTENT_FOLDERS
        return None if allowed else Problem(name, 1, f"is a link to the folder `{target}`; links to folders are not "
                                                     "followed, so copy or move the files here instead")
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        return Problem(name, 1, f"is a link to `{target}`, which is {kind(real)}, not a file; remove it")
    return Problem(name, 1, f"is a link to `{target}`, a file larger than {limit // 1_000_000} MB; remove it") if info.st_size > limit else None


def entry_problem_in_content(entry: os.DirEntry, place: str) -> Problem | None:
    """Entries that look like content but would not be read: other names, subfolders, hidden files, misplaced pages."""
    folder = entry.is_dir(follow_symlinks=False)
    if place == "." and entry.name.lower().endswith((".md", ".markdown")):
        return Problem(display_path(Path(entry.path)), 1, "practices go in `practices/` and regions in `regions/`; "
                                                          "move the file into one of them")
    if place not in CONTENT_FOLDERS or (entry.name.endswith(".md") and not entry.name.startswith(".") and not folder):
        return None  # the usual case
    path = Path(entry.path)
    name = display_path(path)
    if path.name.startswith(".") and path.suffix != ".md":  # `.x.md` is read, and refused for its name
        return Problem(name, 1, "is hidden (its name starts with a dot), so it is not read; remove it, "
                                "or rename it without the dot to publish it", WARNING)
    if folder:
        return Problem(name, 1, f"is a folder; only the files directly in `{place}/` are read, so move its files up "
                                "or remove it")
    if path.suffix != ".md":
        stem = path.name.split(".")[0] or "name"
        return Problem(name, 1, f"is not read: only files ending in `.md` (lower case) are {place}; "
                                f"rename it to `{stem}.md` or move it out of `{place}/`")
    return None


def kind(path: Path) -> str:
    """What a path is, in plain words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link"
    if stat.S_ISDIR(mode):
        return "a folder"
    return KINDS.get(stat.S_IFMT(mode), "a file")


def reason(error: OSError) -> str:
    """An OSError's cause in plain words."""
    return (error.strerror or str(error)).lower()


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; None otherwise, without blocking.

    Opened non-blocking and checked after opening, so a file swapped for a pipe or a device after the
    scan cannot hang or flood the build.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        try:
            data = file.read(limit + 1)
        except OSError:  # a read error of the disk: the caller reports the file as unreadable
            return None
    return data if len(data) <= limit else None
