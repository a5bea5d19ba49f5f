"""builder.format: `python build.py format FILE` rewrites a body so that both engines show the same, and nothing else."""

import subprocess
import sys
from pathlib import Path

import pytest

from builder.fidelity import github_html, tokens
from builder.format import format_body, format_file
from builder.markup import comparable, render_body
from tests.snippets import CODE, HTML, SNIPPETS

ROOT = Path(__file__).resolve().parent.parent
FIXABLE = [snippet for snippet, expected in SNIPPETS if not expected or expected[1] not in (HTML, CODE)]
ALL = [snippet for snippet, _ in SNIPPETS]


def shown_by_github(text: str) -> list[str]:
    """What GitHub's preview shows of a text, as tokens."""
    return tokens(comparable(github_html(text), False))


@pytest.mark.parametrize("snippet", ALL, ids=[snippet[:40] for snippet in ALL])
def test_formatting_twice_changes_nothing_and_loses_no_text(snippet):
    once = format_body(snippet)
    assert format_body(once) == once
    assert once.split() == snippet.split()  # only white space changes
    assert shown_by_github(once) == shown_by_github(snippet)  # and GitHub shows the same as before


@pytest.mark.parametrize("snippet", FIXABLE, ids=[snippet[:40] for snippet in FIXABLE])
def test_formatted_snippets_render_alike_in_both_engines(snippet):
    assert render_body(format_body(snippet), "/static/").differences == ()


def test_a_whole_body_of_snippets_is_formatted_at_once():
    body = "\n\nA paragraph between snippets.\n\n".join(FIXABLE)
    formatted = format_body(body)
    assert render_body(formatted, "/static/").differences == ()
    assert format_body(formatted) == formatted and formatted.split() == body.split()


def test_unfixable_differences_are_left_as_they_are():
    for snippet, expected in SNIPPETS:
        if expected and expected[1] == HTML:
            assert format_body(snippet) == snippet


def test_format_file_keeps_front_matter_line_endings_and_byte_order_mark(tmp_path):
    path = tmp_path / "p.md"
    path.write_bytes("\ufeff---\r\ntitle: Ünïcode\r\nsummary: \"a:\r\n  - b\"\r\n---\r\nIntro:\r\n- a\r\n  - b\r\n".encode("utf-8"))
    assert format_file(path) is True
    assert path.read_bytes().decode("utf-8") == ("\ufeff---\r\ntitle: Ünïcode\r\nsummary: \"a:\r\n  - b\"\r\n---\r\n"
                                                 "Intro:\r\n\r\n- a\r\n    - b\r\n")
    assert format_file(path) is False


def test_the_format_command_rewrites_files_and_names_missing_ones(tmp_path):
    good, missing = tmp_path / "good.md", tmp_path / "gone.md"
    good.write_text("---\ntitle: T\n---\nText\n- a\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "build.py", "format", str(good), str(missing)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "good.md: formatted" in result.stdout and "gone.md: there is no such file" in result.stderr
    assert good.read_text(encoding="utf-8") == "---\ntitle: T\n---\nText\n\n- a\n"
