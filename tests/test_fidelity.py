"""builder.fidelity: the portal shows what GitHub's preview shows, or `check` says where and how to fix it."""

from pathlib import Path

import cmarkgfm
import pytest

from builder.fidelity import EXTENSIONS, GITHUB, github_html
from builder.markup import render_body
from tests.hostile import FRONT, make_tree, practice, problems_of
from tests.snippets import SNIPPETS


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A content tree in a fresh folder, worked from, so problems name `content/...`."""
    monkeypatch.chdir(tmp_path)
    return lambda practices=None: make_tree(tmp_path, practices)


@pytest.mark.parametrize("snippet, expected", SNIPPETS, ids=[snippet[:40] for snippet, _ in SNIPPETS])
def test_each_snippet_renders_as_github_or_is_warned_about_at_its_line(snippet, expected):
    assert render_body(snippet, "/static/").differences == ((expected,) if expected else ())


def test_task_list_boxes_survive_as_disabled_named_check_boxes():
    html = render_body("- [x] done\n- [ ] open\n", "/static/").html
    assert '<input type="checkbox" disabled checked aria-label="done">' in html
    assert '<input type="checkbox" disabled aria-label="not done">' in html


def test_raw_inputs_other_than_check_boxes_are_removed():
    assert "<input" not in render_body('<input type="text" value="x">', "/static/").html


def test_table_alignment_survives_as_classes():
    html = render_body("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", "/static/").html
    assert '<th class="align-left">a</th>' in html and '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html and "align=" not in html


def test_check_reports_the_difference_at_the_files_line(tree):
    body = "## Description\n\nThe programme offers:\n- advice\n- vouchers\n"
    paths = tree({"good.md": practice(FRONT, body)})
    problems = [p for p in problems_of(paths) if "empty line" in p]
    assert problems == ["content/practices/good.md:13: warning: leave an empty line before this list: "
                        "without it the portal shows it as part of the paragraph above"]


def resident_mib() -> float:
    """This process's resident memory."""
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.parametrize("text", [source for source, _ in SNIPPETS] + ["", "# Title\n\n" + "A paragraph, [a link](https://example.org).\n\n" * 50])
def test_github_html_is_cmarkgfms_own_rendering(text):
    assert github_html(text) == cmarkgfm.markdown_to_html_with_extensions(text, GITHUB, EXTENSIONS)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_rendering_githubs_html_frees_its_memory():
    text = "## Description\n\n" + "- a point with *emphasis*, `code` and [a link](https://example.org)\n" * 60
    for _ in range(50):  # the allocator's first arenas
        github_html(text)
    before = resident_mib()
    for _ in range(2000):  # cmarkgfm's own function keeps about 60 MiB of these
        github_html(text)
    assert resident_mib() - before < 15
