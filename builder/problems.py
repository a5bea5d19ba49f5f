"""Content problems as data: collected by every stage, reported together."""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix (or should look at, when a warning)."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{printable(self.path)}:{self.line}: {prefix}{printable(self.message)}"


def printable(text: str) -> str:
    """`text` with each invisible character as an escape such as `\\n`: a file name can neither start a new
    line (and forge a CI annotation) nor carry bytes a terminal cannot show."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for char in text)


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working folder when inside it."""
    return shown_from(path, os.getcwd())


@functools.lru_cache(maxsize=65536)
def shown_from(path: Path, folder: str) -> str:
    """`display_path` from the working folder `folder` (worked out once per path: every document has its name)."""
    try:
        relative = os.path.relpath(path, folder)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a build."""
    return [p for p in problems if p.severity == ERROR]


class ContentError(Exception):
    """Raised by `build` when the content has errors; carries the sorted problem list."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(errors(problems))} content error(s)")
        self.problems = sorted(problems)
