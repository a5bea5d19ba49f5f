"""Telling editors about problems: one `path:line: message` line each, and a count."""

import sys

from .problems import WARNING, Problem


def format_problems(problems: list[Problem]) -> str:
    """Every problem on its own line, sorted by file and line, then a summary."""
    lines = [str(problem) for problem in sorted(problems)]
    warnings = sum(problem.severity == WARNING for problem in problems)
    found = len(problems) - warnings
    files = len({problem.path for problem in problems})
    lines.append(f"{plural(found, 'error')} and {plural(warnings, 'warning')} in {plural(files, 'file')}.")
    return "\n".join(lines)


def plural(count: int, word: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_problems(problems: list[Problem], stream=None) -> None:
    """Print the problem list, if there is one, to standard error."""
    if problems:
        print(format_problems(problems), file=stream or sys.stderr)
