"""One pipeline: every kind of change, applied to a warm build and to the preview, gives a cold build's bytes;
one broken tree gives the same problems to `check`, `check FILE`, the build and the preview."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build import Paths, build, check
from builder.cache import Cache
from builder.config import load_config
from builder.preview import Preview
from builder.problems import ContentError, display_path, errors
from builder.schema import PRACTICE, REGION, THEME
from builder.write import MARKER, SPARE
from conftest import same, tree

ROOT = Path(__file__).resolve().parent.parent
SLUG = "house-of-digitalisation"
GONE = "in4wood-e-learning"  # deleted, renamed or linked to: no template links to it (the about page links to SLUG)
BASE_URL = "http://127.0.0.1:8000/"


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, as an editor's save does."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")



class Project:
    """A writable copy of the portal's inputs: content, templates, static files and settings."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("content", "templates", "static"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
        self.pyproject = root / "pyproject.toml"

    def paths(self, output: str) -> Paths:
        """The project's folders, writing into `output`."""
        return Paths(self.root / "content", self.root / "templates", self.root / "static", self.root / output)

    def build(self, output: str, cache: Cache | None = None):
        """Build into `output` (search off: Pagefind's own reuse is tested in test_cache_faults.py)."""
        return build(self.paths(output), load_config(self.pyproject, base_url=BASE_URL), search=False, cache=cache)


def practice(project: Project, slug: str = SLUG) -> Path:
    """A practice file of the project."""
    return project.root / "content" / "practices" / f"{slug}.md"


CHANGES = {
    "practice edit": lambda p: edit(practice(p), "brings digital know-how", "brings freshly edited know-how"),
    "practice add": lambda p: (shutil.copy(practice(p), practice(p, "a-new-practice")),
                               edit(practice(p, "a-new-practice"), "title: House of Digitalisation", "title: A new practice")),
    "practice delete": lambda p: practice(p, GONE).unlink(),
    "practice rename": lambda p: practice(p, GONE).rename(practice(p, GONE + "-course")),
    "region": lambda p: edit(p.root / "content" / "regions" / "lower-austria.md", "name: Lower Austria", "name: Lower Austria (Niederösterreich)"),
    "theme": lambda p: edit(p.root / "content" / "themes.yaml", "name: SME competitiveness", "name: Competitive SMEs"),
    "template": lambda p: edit(p.root / "templates" / "macros.html", "{% macro", "{# edited #}{% macro"),
    "static file": lambda p: (p.root / "static" / "style.css").write_text(
        (p.root / "static" / "style.css").read_text(encoding="utf-8") + "\n.edited { color: inherit; }\n", encoding="utf-8"),
    "configuration": lambda p: edit(p.pyproject, "per_page = 20", "per_page = 3"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_through_a_warm_build_and_the_preview_gives_a_cold_builds_bytes(tmp_path, change):
    project = Project(tmp_path)
    cache = tmp_path / "cache"
    project.build("warm", Cache(cache))
    preview = Preview(project.paths("unused"), project.pyproject, BASE_URL)
    try:
        CHANGES[change](project)
        warm = project.build("warm", Cache(cache))
        assert preview.rebuild(set()) != "problems", preview.failure
        project.build("cold")
        cold = tree(tmp_path / "cold")
        assert same(tree(tmp_path / "warm"), cold) and same(preview.current(), cold)
        if change == "practice edit":  # only what shows the practice was rendered again
            assert 0 < warm.rendered < len(cold) / 3, warm.rendered
    finally:
        preview.close()


def test_builds_staged_in_the_spare_site_give_a_cold_builds_bytes_and_never_touch_the_published_one(tmp_path):
    project, cache = Project(tmp_path), tmp_path / "cache"
    project.build("warm", Cache(cache))
    CHANGES["practice edit"](project)
    project.build("warm", Cache(cache))  # the first site is now the spare
    assert (cache / SPARE / MARKER).is_file()
    CHANGES["template"](project)
    CHANGES["practice add"](project)
    project.build("warm", Cache(cache))  # staged in the first site: the second is the spare
    project.build("cold")
    assert same(tree(tmp_path / "warm"), tree(tmp_path / "cold"))
    published = tree(tmp_path / "warm")
    edit(project.root / "templates" / "macros.html", "{# edited #}", "{# edited again #}")  # every page changes
    edit(practice(project, GONE), "\nkeywords:", "\nregoin: typo\nkeywords:")
    with pytest.raises(ContentError):  # staged in the second site, which shares most files with the published
        project.build("warm", Cache(cache))
    assert same(tree(tmp_path / "warm"), published)


def add_field(line: str):
    """An edit that adds a front-matter line to the practice (before its `keywords`)."""
    return lambda p: edit(practice(p), "\nkeywords:\n", f"\n{line}\nkeywords:\n")


def add_image(p: Project) -> None:
    """A picture saved under `static/` and named in the practice."""
    (p.root / "static" / "images").mkdir()
    shutil.copy(p.root / "static" / "icon-512.png", p.root / "static" / "images" / "tulln.png")
    add_field("image: images/tulln.png\nimage_alt: The house in Tulln")(p)


REGION_FILE, THEMES = "content/regions/lower-austria.md", "content/themes.yaml"
# Each field of the schema, changed in one document to another valid value: every page that prints
# the field must be rendered again by a warm build (a page's declaration that leaves it out would not).
FIELD_EDITS = {
    "practice": {
        "title": lambda p: edit(practice(p), "title: House of Digitalisation", "title: House of Digitalisation Tulln"),
        "summary": CHANGES["practice edit"],
        "region": lambda p: edit(practice(p), "region: lower-austria", "region: murcia"),
        "themes": lambda p: edit(practice(p), "  - sme-competitiveness", "  - low-carbon-economy"),
        "organisation": lambda p: edit(practice(p), "organisation: ecoplus,", "organisation: ecoplus (edited),"),
        "level": lambda p: edit(practice(p), "level: regional", "level: national"),
        "published": lambda p: edit(practice(p), 'published: "2026-12-01"', 'published: "2019-05-02"'),
        "updated": add_field('updated: "2026-12-01"'),
        "start": add_field('start: "2018"'),
        "end": add_field('end: "2023-06"'),
        "status": lambda p: edit(practice(p), "status: submitted", "status: validated\nexpert_opinion: Easy to transfer."),
        "expert_opinion": lambda p: edit(practice(p), "Easy to transfer.", "A clear model, easy to transfer."),
        "project": lambda p: edit(practice(p), "project: INNO INDUSTRY", "project: Another project"),
        "keywords": lambda p: edit(practice(p), "  - Tulln\n", ""),
        "website": add_field("website: https://www.example.org/"),
        "sources": lambda p: edit(practice(p), "title: EU adelt Haus", "title: Die EU adelt Haus"),
        "contact": add_field("contact: {name: Helpdesk, email: info@example.org}"),
        "image": add_image,
        "image_alt": lambda p: edit(practice(p), "image_alt: The house in Tulln", "image_alt: The new house in Tulln"),
        "location": add_field("location: {lat: 48.33, lon: 16.06}"),
        "body": lambda p: edit(practice(p), "## Description\n", "## Description\n\nAn added paragraph.\n"),
    },
    "region": {
        "name": CHANGES["region"],
        "nuts": lambda p: edit(p.root / REGION_FILE, 'nuts: "AT12"', 'nuts: "AT13"'),
        "country": lambda p: edit(p.root / REGION_FILE, 'country: "AT"\nnuts: "AT13"', 'country: "DE"'),
        "lat": lambda p: edit(p.root / REGION_FILE, "lat: 48.2047", "lat: 48.3"),
        "lon": lambda p: edit(p.root / REGION_FILE, "lon: 15.6256", "lon: 15.7"),
        "body": lambda p: edit(p.root / REGION_FILE, "surrounds Vienna", "surrounds the city of Vienna"),
    },
    "theme": {
        "id": lambda p: (edit(p.root / THEMES, "sme-competitiveness:", "competitive-smes:"),
                         *(edit(path, "  - sme-competitiveness", "  - competitive-smes")
                           for path in sorted((p.root / "content" / "practices").glob("*.md"))
                           if "  - sme-competitiveness" in path.read_text(encoding="utf-8"))),
        "name": CHANGES["theme"],
        "description": lambda p: edit(p.root / THEMES, "Support for small", "Help for small"),
        "period": lambda p: edit(p.root / THEMES, "low-carbon mobility in all sectors.\n  period: 2014-2020",
                                 "low-carbon mobility in all sectors.\n  period: 2021-2027"),
    },
}


def test_every_field_of_the_schema_has_an_edit_below():
    assert set(FIELD_EDITS["practice"]) == {field.name for field in PRACTICE} | {"body"}
    assert set(FIELD_EDITS["region"]) == {field.name for field in REGION} | {"body"}
    assert set(FIELD_EDITS["theme"]) == {field.name for field in THEME}


@pytest.mark.parametrize("kind", sorted(FIELD_EDITS))
def test_an_edit_of_any_field_through_a_warm_build_gives_a_cold_builds_bytes(tmp_path, kind):
    """One edit after another, each built warm and compared with a cold build of the same content."""
    project = Project(tmp_path)
    cache = tmp_path / "cache"
    project.build("warm", Cache(cache))
    for name, change in FIELD_EDITS[kind].items():
        change(project)
        problems = project.build("warm", Cache(cache)).problems
        assert not errors(problems), (name, problems)
        shutil.rmtree(tmp_path / "cold", ignore_errors=True)
        project.build("cold")
        assert same(tree(tmp_path / "warm"), tree(tmp_path / "cold")), name


# A save that breaks the site, and the save that mends it (each applied to the project).
BREAKAGES = {
    "template error": ("templates/practice.html", "{{ practice.title }}</h1>", "{{ practice.no_such_field }}</h1>"),
    "content error": (f"content/practices/{SLUG}.md", "level: regional", "level: regionall"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_preview_after_a_broken_save_and_its_fix_gives_a_cold_builds_bytes(tmp_path, breakage):
    project = Project(tmp_path)
    name, good, bad = BREAKAGES[breakage]
    preview = Preview(project.paths("unused"), project.pyproject, BASE_URL)
    try:
        CHANGES["practice edit"](project)  # rendered with the broken save, moved in only with the fix
        CHANGES["practice delete"](project)
        edit(project.root / name, good, bad)
        assert preview.rebuild(set()) == "problems"
        edit(project.root / name, bad, good)
        assert preview.rebuild(set()) != "problems", preview.failure
        project.build("cold")
        assert same(preview.current(), tree(tmp_path / "cold"))
    finally:
        preview.close()


class EditDuring(dict):
    """A build's stage clock that makes an editor's save the moment a stage ends (after every file was read)."""

    def __init__(self, stage: str, save):
        super().__init__()
        self.stage, self.save = stage, save

    def __setitem__(self, stage: str, moment: float) -> None:
        super().__setitem__(stage, moment)
        if stage == self.stage:
            self.save()


@pytest.mark.parametrize("stage", ["hashed", "checked", "rendered"])
def test_an_edit_saved_during_a_build_is_never_taken_as_built(tmp_path, stage):
    """Saved after the inputs were hashed (before or after they were read), then undone: the site shows the undo."""
    project = Project(tmp_path)
    cache = tmp_path / "cache"
    project.build("warm", Cache(cache))
    edit(practice(project), "brings digital know-how", "brings edited know-how")
    save = lambda: edit(practice(project), "brings edited know-how", "brings know-how saved mid-build")  # noqa: E731
    build(project.paths("warm"), load_config(project.pyproject, base_url=BASE_URL), search=False, cache=Cache(cache),
          clock=EditDuring(stage, save))
    edit(practice(project), "brings know-how saved mid-build", "brings edited know-how")  # the editor's undo
    project.build("warm", Cache(cache))
    project.build("cold")
    assert same(tree(tmp_path / "warm"), tree(tmp_path / "cold"))
    assert "brings edited know-how" in (tmp_path / "warm" / "practices" / SLUG / "index.html").read_text(encoding="utf-8")


def test_a_page_that_links_to_a_removed_practice_is_reported(tmp_path):
    project = Project(tmp_path)
    other = practice(project, "cross-industry-hackathons")
    edit(other, "## Description\n", f"## Description\n\nSee also [the course]({'../' + GONE + '/'}).\n")
    project.build("out", Cache(tmp_path / "cache"))
    practice(project, GONE).unlink()
    with pytest.raises(ContentError) as raised:
        project.build("out", Cache(tmp_path / "cache"))
    line = other.read_text(encoding="utf-8").split("\n").index(f"See also [the course](../{GONE}/).") + 1
    assert [str(p) for p in raised.value.problems if p.severity == "error"] == [
        f"{display_path(other)}:{line}: the link `../{GONE}/` leads to no page or file of the site"]


def broken_tree(project: Project) -> tuple[Path, Path]:
    """A field error in one practice; a broken link and a `<script>` in another."""
    first, second = practice(project), practice(project, "cross-industry-hackathons")
    edit(first, "level: regional", "level: regionall")
    edit(second, "## Description\n", "## Description\n\nRead [the plan](../no-such-practice/).\n\n<script>alert(1)</script>\n")
    return first, second


def test_check_check_file_the_build_and_the_preview_report_the_same_problems_in_one_run(tmp_path):
    project = Project(tmp_path)
    first, second = broken_tree(project)
    paths, config = project.paths("out"), load_config(project.pyproject, base_url=BASE_URL)
    full = check(paths, config).problems
    names = {problem.path for problem in full}
    assert {display_path(first), display_path(second)} <= names
    messages = " ".join(problem.message for problem in full)
    assert "`level`" in messages and "leads to no page" in messages and "`<script>`" in messages
    for path in (first, second):
        mine = [problem for problem in full if problem.path == display_path(path)]
        assert check(paths, config, only=[path]).problems == mine
        assert check(paths, config, only=[path], cache=Cache(tmp_path / "cache")).problems == mine  # cold, then warm
        assert check(paths, config, only=[path], cache=Cache(tmp_path / "cache")).problems == mine
    with pytest.raises(ContentError) as raised:
        project.build("out")
    assert raised.value.problems == full and not (tmp_path / "out").exists()
    preview = Preview(paths, project.pyproject, BASE_URL)
    try:
        assert preview.failure == full
    finally:
        preview.close()


def test_the_command_line_check_file_says_what_the_full_check_says(tmp_path):
    project = Project(tmp_path)
    _, second = broken_tree(project)
    command = [sys.executable, str(ROOT / "build.py"), "check", "--content", str(project.root / "content"),
               "--cache-dir", str(tmp_path / "cache")]
    full = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    one = subprocess.run(command + [str(second)], capture_output=True, text=True, cwd=tmp_path)
    assert full.returncode == one.returncode == 1
    name = display_path(second.relative_to(tmp_path)) + ":"
    wanted = [line for line in (full.stdout + full.stderr).splitlines() if line.startswith(name)]
    assert len(wanted) >= 2 and [line for line in (one.stdout + one.stderr).splitlines() if line.startswith(name)] == wanted


def test_a_template_error_names_the_template_and_line_and_exits_2(tmp_path):
    project = Project(tmp_path)
    template = project.root / "templates" / "about.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    lines.insert(3, "{{ page.no_such_field }}")
    template.write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(ROOT / "build.py", project.root / "build.py")
    (project.root / "builder").symlink_to(ROOT / "builder")  # this checkout's builder, not the installed one
    result = subprocess.run([sys.executable, "build.py", "build", "--no-cache"], capture_output=True, text=True, cwd=project.root)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "templates/about.html:4: the template could not be rendered:" in result.stdout + result.stderr
    assert not (project.root / "_site").exists()


def test_lighter_output_one_map_file_per_point_and_a_world_readable_root(tmp_path):
    project = Project(tmp_path)
    project.build("out")
    output = tmp_path / "out"
    assert output.stat().st_mode & 0o777 == 0o755  # a web server running as another user can read it
    page = (output / "practices" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "map-locator" in page and "<svg" not in page.split("</header>", 1)[1]  # the header keeps its small logo
    source = page.split('<img class="map map-locator" src="', 1)[1].split('"', 1)[0]
    drawing = output / source.removeprefix("/")
    assert drawing.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    maps = sorted((output / "maps").iterdir())
    regions = list((project.root / "content" / "regions").glob("*.md"))
    assert 0 < len(maps) <= len(regions) + len(list((project.root / "content" / "practices").glob("*.md")))
