"""Problem reports: plain lines for people, GitHub annotations on Actions, colour only on a terminal."""

import io
import os
import subprocess
import sys
from pathlib import Path

from builder.problems import WARNING, Problem
from builder.report import annotation, format_problems, print_problems

ROOT = Path(__file__).resolve().parent.parent
ERROR = Problem("content/practices/x.md", 4, "`region`: `lower-austira` is not a region; did you mean `lower-austria`?")
WARN = Problem("content/practices/x.md", 12, "the section `## Resources needed` is missing", WARNING)


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_annotation_of_an_error_names_file_line_and_title():
    assert annotation(ERROR) == (
        "::error file=content/practices/x.md,line=4,title=Content error::"
        "`region`: `lower-austira` is not a region; did you mean `lower-austria`?"
    )


def test_annotation_of_a_warning():
    assert annotation(WARN) == ("::warning file=content/practices/x.md,line=12,title=Content warning::"
                                "the section `## Resources needed` is missing")


def test_annotation_escapes_what_github_would_misread():
    problem = Problem("content/a,b:c.md", 1, "100% wrong\nsecond line")
    assert annotation(problem) == "::error file=content/a%2Cb%3Ac.md,line=1,title=Content error::100%25 wrong%0Asecond line"


def test_on_github_actions_annotations_go_to_stdout_and_the_list_to_stderr(monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    print_problems([WARN, ERROR])
    out, err = capsys.readouterr()
    assert out.splitlines() == [annotation(ERROR), annotation(WARN)]
    assert err.splitlines() == [str(ERROR), str(WARN), "1 error and 1 warning in 1 file."]


def test_elsewhere_no_annotations(monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    print_problems([ERROR])
    out, err = capsys.readouterr()
    assert out == "" and "::error" not in err
    assert err.startswith("content/practices/x.md:4: `region`")


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal, pipe = Terminal(), io.StringIO()
    print_problems([ERROR], stream=terminal, annotate=False)
    print_problems([ERROR], stream=pipe, annotate=False)
    assert "\033[" in terminal.getvalue() and "\033[" not in pipe.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    print_problems([ERROR], stream=plain, annotate=False)
    assert plain.getvalue() == pipe.getvalue() == format_problems([ERROR]) + "\n"


def test_coloured_lines_say_the_same_words():
    coloured = format_problems([ERROR, WARN], colour=True)
    for code in ("\033[31m", "\033[33m", "\033[1m", "\033[0m"):
        coloured = coloured.replace(code, "")
    assert coloured == format_problems([ERROR, WARN])


def check(*args: str, cwd: Path, github: bool = False) -> subprocess.CompletedProcess:
    """`python build.py check ARGS` run in `cwd`, as on GitHub Actions when `github`."""
    env = {**os.environ, "GITHUB_ACTIONS": "true" if github else "false"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", "content", *args],
                          cwd=cwd, env=env, capture_output=True, text=True)


def test_check_on_github_actions_exits_1_with_annotations(content_copy):
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    practice.write_text(practice.read_text().replace("region: lower-austria", "region: lower-austira"))
    result = check(cwd=content_copy.parent, github=True)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=content/practices/house-of-digitalisation.md,line=4,title=Content error::"
        "`region`: `lower-austira` is not a region in content/regions/; did you mean `lower-austria` (Lower Austria)?")
    assert "content/practices/house-of-digitalisation.md:4: `region`" in result.stderr
    assert "\033[" not in result.stderr


def test_check_exit_codes_for_clean_content_and_strict_warnings(content_copy):
    assert check(cwd=content_copy.parent).returncode == 0
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    practice.write_text(practice.read_text().replace("## Resources needed", "## Means"))
    assert check(cwd=content_copy.parent).returncode == 0
    strict = check("--strict", cwd=content_copy.parent)
    assert strict.returncode == 1 and "warning: the section `## Resources needed` is missing" in strict.stderr


def test_check_files_reports_only_those_files_against_all_content(content_copy):
    broken = content_copy / "practices" / "house-of-digitalisation.md"
    broken.write_text(broken.read_text().replace("region: lower-austria", "region: nowhere"))
    (content_copy.parent / "README.md").write_text("# Not content\n")
    fine = "content/practices/kickstart-digitalisation.md"
    result = check(fine, cwd=content_copy.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"No problems in {fine}.\n"
    result = check(fine, "content/practices/house-of-digitalisation.md", "content/practices/missing.md", "README.md",
                   cwd=content_copy.parent)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # The nearest regions depend on the bundled ones; the first of five is the closest.
    assert lines[1].startswith("content/practices/house-of-digitalisation.md:4: `region`: `nowhere` is not a region in "
                               "content/regions/; the nearest are `lower-austria` (Lower Austria), ")
    assert lines[1].count("`") == 14  # `region`, `nowhere` and five regions
    assert lines[:1] + lines[2:] == [
        "README.md:1: is not a practice, a region or the themes file of `content`",
        "content/practices/missing.md:1: there is no such file",
        "3 errors and 0 warnings in 3 files.",
    ]
