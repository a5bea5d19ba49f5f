"""GitHub-style Markdown on a real page in Chromium: task lists, aligned tables and sized images pass axe-core."""

import pytest

from tests.conftest import build_into, free_port, serve_folder
from tests.hostile import BODY, FRONT, make_tree, practice
from tests.test_accessibility import axe_source, axe_violations, open_page  # noqa: F401 (a fixture)

EXTRAS = """## Progress

- [x] call published
- [ ] jury chosen

| Year | Firms | Share |
|:--|:-:|--:|
| 2019 | 12 | 40 % |

![The portal's icon](favicon.svg)
"""


@pytest.fixture
def extras_page(tmp_path, monkeypatch, browser):
    """The practice page of a body with a task list, an aligned table and an image, served under a sub-path."""
    monkeypatch.chdir(tmp_path)
    paths = make_tree(tmp_path, {"good.md": practice(FRONT, BODY + EXTRAS)})
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/portal/"
    build_into(tmp_path / paths.content, tmp_path / "served" / "portal", base_url)
    server = serve_folder(tmp_path / "served", port)
    yield lambda scheme: open_page(browser, base_url + "practices/good/", color_scheme=scheme)
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_task_lists_tables_and_images_from_markdown_pass_axe(extras_page, axe_source, scheme):  # noqa: F811
    page = extras_page(scheme)
    boxes = page.locator("main input[type=checkbox]")
    assert boxes.count() == 2 and boxes.nth(0).is_checked() and boxes.nth(0).is_disabled()
    assert page.locator("main td.align-right").evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    image = page.locator("main .prose img, main img[alt=\"The portal's icon\"]").first
    assert image.get_attribute("loading") == "lazy" and image.get_attribute("width") == "32"
    assert axe_violations(page, axe_source) == []
    assert page.problems == []
    page.context.close()
