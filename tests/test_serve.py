"""The live preview on a free port: pages served, saves rebuilt and announced, broken content shown, then fixed."""

import html
import http.client
import queue
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from builder.build import Paths, build
from builder.config import load_config
from builder.preview import Preview
from builder.serve import LivePreview, Watcher
from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
SLUG = "house-of-digitalisation"
VERSION = re.compile(r'<script src="/__reload.js" data-version="(\d+)"></script>\n</body>')


def get(url: str) -> tuple[int, str]:
    """Status and text of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition, what: str, seconds: float = 30):
    """Poll `condition` until it returns something true; fail after `seconds` saying `what` never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    pytest.fail(f"never happened: {what}")


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, as an editor's save does."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


class Events:
    """A client of the server-sent event stream, reading lines in a thread."""

    def __init__(self, url: str, since: int):
        host, port = url.split("//")[1].strip("/").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.connection.request("GET", f"/__reload?since={since}")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.lines = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        """Queue each line until the stream ends."""
        try:
            while line := self.response.fp.readline():
                self.lines.put(line.decode().rstrip("\n"))
        except OSError:
            pass

    def next_event(self, seconds: float = 30) -> list[str]:
        """The lines of the next event (comments skipped)."""
        lines = []
        while True:
            line = self.lines.get(timeout=seconds)
            if line == "" and lines:
                return lines
            if line and not line.startswith(":"):
                lines.append(line)

    def close(self) -> None:
        """Hang up."""
        self.connection.close()


@pytest.fixture
def project(content_copy, tmp_path) -> Paths:
    """Writable content and templates, with the project's static files."""
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    static = Path(shutil.copytree(ROOT / "static", tmp_path / "static"))
    (static / "style.css").touch()  # the pages link it; it may not be written yet on every branch
    return Paths(content_copy, templates, static, tmp_path / "unused")


@pytest.fixture
def live(project):
    """The live preview of `project` on a free port, without search indexing."""
    server = LivePreview(project, PYPROJECT, free_port(), search=False)
    yield server
    server.stop()


def test_a_saved_edit_changes_the_page_and_sends_a_reload_event(live, project):
    status, page = get(f"{live.url}practices/{SLUG}/")
    assert status == 200 and "House of Digitalisation" in page
    version = int(VERSION.search(page)[1])
    assert get(f"{live.url}__reload.js")[1].startswith("// Served only by `python build.py serve`")
    events = Events(live.url, version)
    try:
        edit(project.content / "practices" / f"{SLUG}.md", "brings digital know-how", "brings freshly saved know-how")
        wait_for(lambda: "freshly saved know-how" in get(f"{live.url}practices/{SLUG}/")[1], "the page shows the edit")
        kind, data = events.next_event()
        assert kind == "event: reload" and int(data.removeprefix("data: ")) > version
    finally:
        events.close()
    assert "freshly saved know-how" in get(f"{live.url}regions/lower-austria/")[1]  # the card on its region's page


def test_broken_content_shows_the_problem_page_and_a_fix_brings_the_page_back(live, project):
    practice = project.content / "practices" / f"{SLUG}.md"
    edit(practice, "region: lower-austria", "region: lower-austira")
    status, page = wait_for(lambda: (r := get(f"{live.url}practices/{SLUG}/"))[0] == 500 and r, "the problem page")
    assert "The site could not be built" in page
    assert html.escape(f"content/practices/{SLUG}.md:4: `region`: `lower-austira` is not a region in "
                       "content/regions/; did you mean `lower-austria` (Lower Austria)?") in page
    assert VERSION.search(page)  # the problem page reloads too
    assert get(f"{live.url}about/")[0] == 500  # every page shows the problems
    assert get(f"{live.url}__reload.js")[0] == 200  # and the server keeps serving
    edit(practice, "region: lower-austira", "region: lower-austria")
    status, page = wait_for(lambda: (r := get(f"{live.url}practices/{SLUG}/"))[0] == 200 and r, "the page back")
    assert "House of Digitalisation" in page


def test_a_template_change_rebuilds_every_page(live, project):
    edit(project.templates / "base.html", "<main id=\"main\"", "<p>template-marker</p>\n<main id=\"main\"")
    wait_for(lambda: "template-marker" in get(f"{live.url}practices/{SLUG}/")[1], "the practice page re-rendered")
    assert "template-marker" in get(f"{live.url}themes/")[1]


def test_served_paths_redirect_and_404(live):
    connection = http.client.HTTPConnection("127.0.0.1", int(live.url.rsplit(":", 1)[1].strip("/")), timeout=10)
    connection.request("GET", f"/practices/{SLUG}")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, f"/practices/{SLUG}/")
    connection.close()
    status, page = get(f"{live.url}no/such/page/")
    assert status == 404 and "/__reload.js" in page


def test_reload_script_is_only_in_served_pages_never_in_the_build(live, tmp_path):
    assert not any(b"__reload" in data for data in live.preview.current().values())
    output = tmp_path / "published"
    build(Paths(ROOT / "content", ROOT / "templates", ROOT / "static", output), load_config(PYPROJECT), search=False)
    assert not any(b"__reload" in path.read_bytes() for path in output.rglob("*") if path.is_file())


def fresh(project: Paths, base_url: str) -> dict[str, bytes]:
    """The files a new preview renders from scratch."""
    preview = Preview(project, PYPROJECT, base_url)
    try:
        return preview.current()
    finally:
        preview.close()


def test_an_edit_re_renders_only_the_pages_that_show_it_and_matches_a_full_build(project):
    preview = Preview(project, PYPROJECT, "http://127.0.0.1:8000/")
    try:
        practice = project.content / "practices" / f"{SLUG}.md"
        edit(practice, "brings digital know-how", "brings incrementally rendered know-how")
        before = preview.current()
        rendered = preview.rebuild({practice})
        assert re.fullmatch(r"\d+ files", rendered) and 0 < int(rendered.split()[0]) < len(before) / 2
        after = preview.current()
        changed = {path for path in after if after[path] != before[path]}
        assert {f"practices/{SLUG}/index.html", "regions/lower-austria/index.html", "countries/at/index.html",
                "sitemap.xml", "data/practices.json"} - {"sitemap.xml"} <= changed
        assert "about/index.html" not in changed
        assert after == fresh(project, "http://127.0.0.1:8000/")
    finally:
        preview.close()


def test_an_open_page_reloads_itself_after_a_save(live, project, page):
    page.goto(f"{live.url}practices/{SLUG}/")
    assert "freshly reloaded" not in page.content()
    edit(project.content / "practices" / f"{SLUG}.md", "brings digital know-how", "brings freshly reloaded know-how")
    from playwright.sync_api import expect

    expect(page.locator("main")).to_contain_text("freshly reloaded know-how", timeout=30_000)
    # The script and its event stream pass the site's CSP; the one expected failure is the old page's
    # event stream, closed when it reloads.
    closed = f"failed: {live.url}__reload?since=1 net::ERR_ABORTED"
    assert [problem for problem in page.problems if problem != closed] == []


def test_search_finds_practices_in_the_preview(project, page):
    live = LivePreview(project, PYPROJECT, free_port(), search=True)
    try:
        wait_for(lambda: get(f"{live.url}pagefind/pagefind.js")[0] == 200, "the search index", seconds=120)
        page.goto(f"{live.url}search/")
        found = page.evaluate("""async () => {
            const pagefind = await import("/pagefind/pagefind.js");
            const search = await pagefind.search("digitalisation");
            return Promise.all(search.results.map((result) => result.data().then((data) => data.url)));
        }""")
        assert f"/practices/{SLUG}/" in found
        assert page.problems == []
    finally:
        live.stop()


def test_a_configuration_change_rebuilds_every_page(project, tmp_path):
    pyproject = Path(shutil.copy(PYPROJECT, tmp_path / "pyproject.toml"))
    live = LivePreview(project, pyproject, free_port(), search=False)
    try:
        edit(pyproject, 'title = "', 'title = "Renamed portal: ')
        wait_for(lambda: "Renamed portal: " in get(f"{live.url}practices/{SLUG}/")[1], "the new title on a practice")
        assert "Renamed portal: " in get(f"{live.url}regions/")[1]
    finally:
        live.stop()


def test_a_burst_of_saves_is_rebuilt_once_and_reads_are_ignored(tmp_path):
    from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileMovedEvent, FileOpenedEvent

    calls, done = [], threading.Event()
    watcher = Watcher(lambda changed: (calls.append(changed), done.set()), settle=0.5)
    try:
        names = [str(tmp_path / f"p{number}.md") for number in range(5)]
        watcher.on_any_event(FileOpenedEvent(names[0]))
        watcher.on_any_event(FileClosedNoWriteEvent(names[0]))
        for name in names[:4]:
            watcher.on_any_event(FileModifiedEvent(name))
        watcher.on_any_event(FileModifiedEvent(str(tmp_path / ".p1.md.swp")))
        watcher.on_any_event(FileMovedEvent(str(tmp_path / "p4.md.tmp"), names[4]))  # an editor's safe save
        assert done.wait(30)
        time.sleep(1)  # a second rebuild would have happened by now
        assert calls == [{Path(name) for name in names}]
    finally:
        watcher.stop()


def test_an_edit_of_a_counted_field_reaches_the_statistics_and_map_pages(project):
    preview = Preview(project, PYPROJECT, "http://127.0.0.1:8000/")
    try:
        practice = project.content / "practices" / f"{SLUG}.md"
        edit(practice, "level: regional", "level: national")
        before = preview.current()
        preview.rebuild({practice})
        after = preview.current()
        assert after["statistics/index.html"] != before["statistics/index.html"]
        assert after == fresh(project, "http://127.0.0.1:8000/")
    finally:
        preview.close()
