"""`new` writes a practice file that passes `check` once filled in; CONTRIBUTING.md's tables follow the schema."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build import Paths, build, check
from builder.config import load_config
from builder.scaffold import ScaffoldError, new_practice, practice_slug, with_fields
from builder.schema import PRACTICE, SECTIONS

ROOT = Path(__file__).resolve().parent.parent
FILLED = {
    'summary: ""': 'summary: "A regional hub that helps small firms in Kraków adopt digital tools."',
    'region: ""': "region: posavje",
    "themes: []": "themes: [research-and-innovation, smarter-europe]",
    'organisation: ""': 'organisation: "Kraków Technology Park"',
    'level: ""': "level: regional",
}


def paths_for(content: Path, tmp_path: Path) -> Paths:
    """The project's templates and static files with `content`."""
    return Paths(content, ROOT / "templates", ROOT / "static", tmp_path / "site")


@pytest.mark.parametrize("title, slug", [
    ("Kraków Smart Hub — Phase 2", "krakow-smart-hub-phase-2"),
    ("Straße der Industrie 4.0", "strasse-der-industrie-4-0"),
    ("  Cluster   Excellence  Programme ", "cluster-excellence-programme"),
])
def test_slug_is_transliterated_from_the_title(title, slug):
    assert practice_slug(title) == slug


def test_new_file_has_every_field_with_a_comment_and_every_section(content_copy):
    path = new_practice(content_copy, "Kraków Smart Hub", datetime.date(2024, 5, 2))
    assert path == content_copy / "practices" / "krakow-smart-hub.md"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for field in PRACTICE:
        line = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{field.name}:"))
        assert any(lines[j].startswith(f"# {field.name} (") for j in range(line - 3, line)), field.name
    assert 'title: "Kraków Smart Hub"' in lines and 'published: "2024-05-02"' in lines
    assert [line[3:] for line in lines if line.startswith("## ")] == list(SECTIONS)
    assert "#   one of: buckinghamshire, centro," in text  # the regions that exist, to choose from


def test_new_file_fails_check_until_filled_in_then_passes_and_builds(content_copy, tmp_path):
    path = new_practice(content_copy, "Kraków Smart Hub")
    paths = paths_for(content_copy, tmp_path)
    unfilled = check(paths, load_config(ROOT / "pyproject.toml"), only=[path]).problems
    assert {problem.message.split(" is required")[0] for problem in unfilled} == {  # all in one round
        "`summary`", "`region`", "`themes`", "`organisation`", "`level`"} | {
        f"the section `## {title}` is empty; write it, or remove the heading if there is nothing to say"
        for title in ("Description", "Resources needed", "Evidence of success", "Difficulties encountered",
                      "Potential for learning or transfer")}
    text = path.read_text(encoding="utf-8")
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    for section in SECTIONS:  # an empty section is a warning until it is written
        text = text.replace(f"## {section}\n", f"## {section}\n\nWhat the hub did, in plain words.\n", 1)
    path.write_text(text, encoding="utf-8")
    assert check(paths, load_config(ROOT / "pyproject.toml"), only=[path]).problems == []
    assert check(paths, load_config(ROOT / "pyproject.toml")).problems == []
    build(paths, load_config(ROOT / "pyproject.toml"), search=False)
    page = (tmp_path / "site" / "practices" / "krakow-smart-hub" / "index.html").read_text(encoding="utf-8")
    assert "Kraków Smart Hub" in page and "<!--" not in page.split("<main", 1)[1]


def test_new_never_overwrites(content_copy):
    path = new_practice(content_copy, "Kraków Smart Hub")
    path.write_text("edited", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_practice(content_copy, "Krakow smart HUB")
    assert path.read_text(encoding="utf-8") == "edited"


@pytest.mark.parametrize("title", ["!!!", "Page"])
def test_new_refuses_titles_without_a_usable_file_name(content_copy, title):
    with pytest.raises(ScaffoldError):
        new_practice(content_copy, title)


def test_new_command_prints_next_steps_and_exits_2_on_overwrite(content_copy):
    command = [sys.executable, str(ROOT / "build.py"), "new", "Kraków Smart Hub", "--content", "content"]
    env = {**os.environ, "GITHUB_ACTIONS": "false"}
    first = subprocess.run(command, cwd=content_copy.parent, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Wrote content/practices/krakow-smart-hub.md. Next:")
    assert "python build.py check content/practices/krakow-smart-hub.md" in first.stdout
    second = subprocess.run(command, cwd=content_copy.parent, capture_output=True, text=True, env=env)
    assert second.returncode == 2
    assert "already exists" in second.stderr


def test_contributing_field_tables_are_up_to_date():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert with_fields(text) == text, "CONTRIBUTING.md is stale: run `python build.py contributing`"
    for field in PRACTICE:
        assert f"| `{field.name}` |" in text


def test_the_contribute_page_shows_field_help_as_formatted_text_with_the_limits():
    from builder.scaffold import described_html
    from builder.schema import PRACTICE
    fields = {field.name: field for field in PRACTICE}
    assert str(described_html(fields["themes"])) == "One to three theme ids from <code>content/themes.yaml</code>. At most 3 items."
    assert "`" not in "".join(str(described_html(field)) for field in PRACTICE)
    assert str(described_html(fields["title"])).endswith("At most 100 characters.")
