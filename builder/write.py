"""Writing the site: into a temporary folder beside the output, then exchanged with it in one step.

Safety rules, so that a typo in `--output` cannot delete someone's work and a killed build cannot
leave half a site:
- every output holds a marker file, `.portal-build`; a folder that is not empty and has no marker
  is not ours and is refused unless `force` is given;
- `/`, the project root, the content, templates and static folders, and every folder that holds
  one of them, are always refused;
- on Linux the staged folder and the old output are exchanged by one `renameat2(RENAME_EXCHANGE)`
  call, so at every instant the output path holds a whole site (the old one or the new one).

With a cache, the site a build replaces is not deleted but kept in the cache folder as the spare
(`SPARE`), and the next build is staged in it: its files that are still right (by hash) stay, the
others are replaced, never written in place, as they share their bytes with the published site.
At 10,000 practices that saves deleting and making again some 13,000 folders and files a build.
"""

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

MARKER = ".portal-build"
SPARE = "site"  # in the cache folder: the site before the current one
MARKER_TEXT = b"This folder is written by the practice portal builder; each build replaces all of it.\n"
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class OutputError(Exception):
    """The output folder cannot be written safely; the message says why and what to do."""


def check_output(output: Path, sources: list[Path], root: Path, force: bool = False) -> None:
    """Refuse an output that is or holds the project or its sources, lies inside a source, or is not ours."""
    target = output.resolve()
    if target == Path(target.anchor):
        raise OutputError(f"refusing to write the site into `{output}`: it is the root of the file system")
    for folder in [root.resolve()] + [source.resolve() for source in sources]:
        if folder.is_relative_to(target):
            raise OutputError(f"refusing to write the site into `{output}`: the build replaces the whole folder, "
                              f"and it is or holds `{folder}`; choose a folder of its own, such as _site/")
    for folder in (source.resolve() for source in sources):
        if target.is_relative_to(folder):
            raise OutputError(f"refusing to write the site into `{output}`: it is inside `{folder}`, "
                              f"which the builder reads; choose a folder outside it, such as _site/")
    if target.exists() and not target.is_dir():
        raise OutputError(f"refusing to write the site into `{output}`: it is a file, not a folder")
    if target.is_dir() and not force and not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputError(f"refusing to write the site into `{output}`: it holds files the builder did not write "
                          f"(there is no {MARKER} file), and they would be deleted; choose an empty or new folder, "
                          f"or pass --force to replace it anyway")


def stage(files: dict[str, bytes], output: Path) -> Path:
    """Write every file into a new temporary folder next to `output` and return that folder."""
    staging = new_folder(output)
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        for name, data in files.items():
            write_file(staging / safe_name(name), data)
    except BaseException:  # a full disk, say: nothing may be left beside the output
        discard(staging)
        raise
    return staging


def new_folder(output: Path) -> Path:
    """A new, empty, world-readable folder next to `output` (after removing what killed builds left there)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would make a web server running as another user answer 403
    return staging


def stage_in_spare(spare: Path, output: Path) -> Path | None:
    """The spare site, moved next to `output` to be staged in; None when there is none that can move there."""
    if spare.is_symlink() or not (spare / MARKER).is_file():
        return None
    staging = new_folder(output)
    try:
        spare.rename(staging)  # onto the empty folder, atomically: of two builds at once, one gets it
    except OSError as error:
        staging.rmdir()
        if error.errno == errno.EXDEV:  # a cache on another file system than the output's: of no use here
            remove_ours(spare)
        return None
    staging.chmod(0o755)
    return staging


def write_file(path: Path, data: bytes) -> None:
    """Write one staged file (see `new_file`)."""
    with new_file(path) as file:
        file.write(data)


def new_file(path: Path) -> BinaryIO:
    """A staged file opened to be written as a new file: one of a spare may share its bytes with the published site."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return open(path, "wb")


def keep_only(folder: Path, names: set[str]) -> None:
    """Remove from a staged folder every entry that is not the marker or one of the files `names`, and empty folders."""

    def sweep(directory: str, prefix: str) -> bool:
        """Sweep one folder (`prefix` is its path in the site); whether anything is left in it."""
        left = False
        with os.scandir(directory) as entries:  # types come with the listing: no call per file
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if sweep(entry.path, name + "/"):
                        left = True
                    else:
                        os.rmdir(entry.path)
                elif name == MARKER or (name in names and entry.is_file(follow_symlinks=False)):
                    left = True
                else:
                    os.unlink(entry.path)
        return left

    sweep(str(folder), "")


def safe_name(name: str) -> PurePosixPath:
    """A file's path inside the output; anything that could leave the folder is a bug, so it raises."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\0" in name or name == MARKER:
        raise ValueError(f"refusing to write `{name}`: not a path inside the output folder")
    return path


def remove_file(folder: Path, name: str) -> None:
    """Remove one file of the site in `folder`, and the folders it leaves empty."""
    path = folder / safe_name(name)
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == folder:
            break
        try:
            parent.rmdir()  # only an empty folder can be removed
        except OSError:
            break


def remove_leftovers(output: Path) -> None:
    """Delete staged or retired folders that a killed build left beside `output` (only ones we wrote)."""
    for path in output.parent.glob(f".{output.name}.*-*"):
        if path.name.startswith((f".{output.name}.new-", f".{output.name}.old-")) and (path / MARKER).is_file():
            remove_ours(path)


def remove_ours(folder: Path) -> None:
    """Delete a folder the builder wrote, its marker last: a build killed midway leaves it recognisable as ours."""
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name != MARKER:
            with contextlib.suppress(OSError):  # an immutable file, say: what is left is reported by the caller
                path.unlink()
    if len(list(folder.iterdir()) if folder.is_dir() else ()) <= 1:  # the marker goes only with the rest
        shutil.rmtree(folder, ignore_errors=True)


def swap(staging: Path, output: Path, spare: Path | None = None) -> None:
    """Put the staged folder in place of `output` in one step; the old site becomes the spare, or is removed."""
    output = output.resolve()
    if not output.exists():
        staging.rename(output)
    elif exchange(staging, output):
        retire(staging, spare)  # the old site; the new one is in place whatever happens here
        if staging.exists():  # a file of it is immutable, say: the new site stands, so say what is left
            print(f"warning: the new site is in place, but files of the previous one could not be removed from "
                  f"`{staging}`; remove that folder by hand (check `lsattr` for immutable files).", file=sys.stderr)
    else:
        swap_by_renames(staging, output, spare)


def retire(old: Path, spare: Path | None) -> None:
    """Keep the site just replaced as the spare, when it is ours and the place is free; else remove it."""
    if spare is not None and (old / MARKER).is_file() and not spare.exists():
        with contextlib.suppress(OSError):
            old.rename(spare)
            return
    remove_ours(old)


@functools.cache
def libc() -> ctypes.CDLL:
    """The C library, found once per process (`find_library` runs a program; the preview swaps on every save)."""
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def exchange(first: Path, second: Path) -> bool:
    """Exchange two paths atomically with Linux's renameat2; False where the system cannot."""
    if sys.platform != "linux":
        return False
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_by_renames(staging: Path, output: Path, spare: Path | None = None) -> None:
    """The portable fallback: two renames, with the output missing for the instant between them."""
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    (retired / MARKER).write_bytes(MARKER_TEXT)
    output.rename(retired / output.name)
    staging.rename(output)
    retire(retired / output.name, spare)
    remove_ours(retired)


def restage(staging: Path, output: Path) -> Path:
    """A new staged folder in place of a spare that could not be staged in; what of it is left is reported."""
    discard(staging)
    if staging.exists():
        print(f"warning: files of an earlier site could not be removed from `{staging}`; remove that folder by hand "
              f"(check `lsattr` for immutable files).", file=sys.stderr)
    return stage({}, output)


def discard(staging: Path) -> None:
    """Remove a staged folder after a failed build."""
    remove_ours(staging)
