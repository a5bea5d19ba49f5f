"""Telling editors about problems: one `path:line: message` line each, a count, and CI annotations."""

import os
import sys

from .problems import ERROR, WARNING, Problem, printable

RED, YELLOW, BOLD, RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"
TITLES = {ERROR: "Content error", WARNING: "Content warning"}


def format_problems(problems: list[Problem], colour: bool = False) -> str:
    """Every problem on its own line, sorted by file and line, then a summary."""
    lines = [paint(problem) if colour else str(problem) for problem in sorted(problems)]
    warnings = sum(problem.severity == WARNING for problem in problems)
    found = len(problems) - warnings
    files = len({problem.path for problem in problems})
    lines.append(f"{plural(found, 'error')} and {plural(warnings, 'warning')} in {plural(files, 'file')}.")
    return "\n".join(lines)


def paint(problem: Problem) -> str:
    """One problem line with its place in bold and its severity in colour; the same words as `str()`."""
    where, _, what = str(problem).partition(f":{problem.line}: ")
    colour = YELLOW if problem.severity == WARNING else RED
    return f"{BOLD}{colour}{where}:{problem.line}:{RESET} {what}"


def plural(count: int, word: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def wants_colour(stream) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def on_github_actions() -> bool:
    """Whether we run as a GitHub Actions step, which turns `::error` lines into annotations."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that marks the problem on its file and line."""
    kind = "warning" if problem.severity == WARNING else "error"
    properties = f"file={escape_property(printable(problem.path))},line={problem.line},title={escape_property(TITLES[problem.severity])}"
    return f"::{kind} {properties}::{escape_data(problem.message)}"


def escape_data(text: str) -> str:
    """The message part of a workflow command: `%`, CR and LF encoded as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command: also `:` and `,` encoded."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def print_problems(problems: list[Problem], stream=None, annotate: bool | None = None) -> None:
    """Print the problem list, if there is one, to standard error; on GitHub Actions also annotations on stdout."""
    if not problems:
        return
    stream = stream or sys.stderr
    if on_github_actions() if annotate is None else annotate:
        print("\n".join(annotation(problem) for problem in sorted(problems)), file=sys.stdout, flush=True)
    print(format_problems(problems, colour=wants_colour(stream)), file=stream)
