"""Failures that are not the content's fault, in plain words: a full disk, no permission, or a bug of ours.

Every command runs under `explain`, the one place that catches what nothing else foresaw: the
editor reads one line naming the file being handled, the traceback goes to a log file (or to the
terminal with `--debug`), and the exit code is 2. Nothing here touches the output: a build that
fails has not exchanged it, so the previous site stays as it was.
"""

import errno
import os
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path

import jinja2

from .problems import display_path, printable

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
MIN_ROOM = 1_000_000  # bytes; a disk left with less after the search index is taken as having been full
NO_PERMISSION = (errno.EACCES, errno.EPERM)


class InternalError(Exception):
    """An error the builder did not foresee while handling one file; it keeps the original traceback as text."""

    def __init__(self, name: str, description: str, details: str):
        super().__init__(name, description, details)  # plain arguments: it crosses from worker processes
        self.name, self.description, self.details = name, description, details

    def __str__(self) -> str:
        return f"internal error while reading {printable(self.name)}: {self.description} (please report it)"


@contextmanager
def handling(name: str):
    """Name the file being handled in any error nobody foresaw."""
    try:
        yield
    except (InternalError, jinja2.TemplateError):  # a template's error is the template's, not this file's
        raise
    except Exception as error:
        raise InternalError(name, one_line(error), traceback.format_exc()) from error


@contextmanager
def room_checked(folder, name):
    """Take a disk left without room as full: Pagefind exits 0 when its writes fail there, leaving truncated files."""
    try:
        yield
    except Exception:
        if room(folder) < MIN_ROOM:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(name)) from None
        raise
    require_room(folder, name)


def require_room(folder, name) -> None:
    """Raise the disk-full error if the disk holding `folder` has no room left."""
    if room(folder) < MIN_ROOM:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(name))


def room(folder) -> int:
    """The bytes still free on the disk holding `folder`."""
    info = os.statvfs(folder)
    return info.f_bavail * info.f_frsize


def one_line(error: BaseException) -> str:
    """An exception as `Type: message` on one line."""
    return printable(" ".join("".join(traceback.format_exception_only(error)).split()))


def os_error_message(error: OSError) -> str:
    """What a failed file operation means for the editor, and what to do."""
    where = f" `{printable(os.fsdecode(error.filename))}`" if error.filename else ""
    if error.errno in DISK_FULL:
        return f"the disk is full: there was no room to write{where}; free some space and build again"
    if error.errno == errno.EROFS:
        return f"cannot write{where}: it is on a read-only file system; choose another --output or --cache-dir"
    if error.errno in NO_PERMISSION:
        return (f"no permission to change{where} (it, or the folder holding it, is read-only or marked immutable); "
                "fix its permissions or choose another --output")
    return f"cannot use{where}: {(error.strerror or str(error)).lower()}"


def explain(error: Exception, debug: bool) -> int:
    """Report an error no command handled; always exit code 2."""
    if isinstance(error, OSError):
        print(f"The build stopped: {os_error_message(error)}. The output folder is unchanged.", file=sys.stderr)
        return 2
    if isinstance(error, jinja2.TemplateSyntaxError):
        place = f"{display_path(Path(error.filename))}:{error.lineno}" if error.filename else "templates"
        print(f"{place}: {printable(error.message or str(error))}; fix the template. The output folder is unchanged.",
              file=sys.stderr)
        return 2
    if isinstance(error, jinja2.TemplateError):
        print(f"A template failed: {printable(str(error))}; fix the template. The output folder is unchanged.", file=sys.stderr)
        return 2
    if not isinstance(error, InternalError):
        error = InternalError("the content", one_line(error), "".join(traceback.format_exception(error)))
    print(f"{error}. The output folder is unchanged.", file=sys.stderr)
    if debug:
        print(error.details, file=sys.stderr)
        return 2
    log = write_log(error.details)
    print(f"To help us fix it, {f'the details are in {log}' if log else 'run it again with --debug to see the details'}.",
          file=sys.stderr)
    return 2


def write_log(details: str) -> str | None:
    """Write a traceback to a new log file in the system's temporary folder; its path, or None when that fails too."""
    try:
        handle, path = tempfile.mkstemp(prefix="portal-error-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(details)
        return path
    except OSError:
        return None
