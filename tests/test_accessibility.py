"""Every kind of page in Chromium: zero axe-core WCAG 2.1 A/AA violations, light and dark, and no
sideways scrolling (nor violations) on a 320 px wide screen."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
KINDS = ["home", "practices", "practice", "region", "country", "theme", "themes", "regions", "search",
         "about", "contribute", "404", "countries", "statistics", "map"]


def first_page(folder: Path, section: str) -> str:
    """The site path of the alphabetically first page below `section/` (e.g. a practice)."""
    return f"{section}/{sorted(p.parent.name for p in folder.glob(f'{section}/*/index.html'))[0]}/"


def kind_paths(folder: Path) -> dict[str, str]:
    """A site path for each kind of page; the search page opens with a query."""
    return {
        "home": "", "practices": "practices/", "practice": first_page(folder, "practices"),
        "region": first_page(folder, "regions"), "country": first_page(folder, "countries"),
        "theme": first_page(folder, "themes"), "themes": "themes/", "regions": "regions/",
        "search": "search/?q=digital", "about": "about/", "contribute": "contribute/", "404": "404.html",
        "countries": "countries/", "statistics": "statistics/", "map": "map/",
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe-core's browser build from node_modules; required on CI."""
    if not AXE.is_file():
        message = "node_modules/axe-core is missing: run `npm ci --no-audit --no-fund`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def open_page(browser, url: str, **options):
    """A page in a new browser context, with failed requests and console errors recorded."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url}"))
    page.goto(url)
    return page


def wait_for_search_results(page) -> None:
    """Wait until the search page lists its results, so axe checks the page as readers see it."""
    page.locator("#search-list li").first.wait_for()


def axe_violations(page, source: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line per failing element."""
    page.evaluate(source)
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
            for v in violations for node in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_has_no_wcag_violations(served_site, browser, axe_source, kind, scheme):
    base_url, folder = served_site
    page = open_page(browser, base_url + kind_paths(folder)[kind], color_scheme=scheme)
    if kind == "search":
        wait_for_search_results(page)
    assert axe_violations(page, axe_source) == []
    assert page.problems == []
    page.context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_does_not_scroll_sideways_at_320_px(served_site, browser, axe_source, kind):
    base_url, folder = served_site
    page = open_page(browser, base_url + kind_paths(folder)[kind], viewport={"width": 320, "height": 640})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{kind}: content is {widths[0]} px wide in a {widths[1]} px window"
    assert axe_violations(page, axe_source) == []  # e.g. a table that scrolls must be reachable by keyboard
    page.context.close()


def test_axe_finds_a_violation_when_there_is_one(served_site, browser, axe_source):
    """The harness itself works: an image without a text alternative is reported."""
    base_url, _ = served_site
    page = open_page(browser, base_url)
    page.evaluate("() => { const img = document.createElement('img'); img.src = 'static/favicon.svg';"
                  " document.querySelector('main').append(img); }")
    assert any(line.startswith("image-alt") for line in axe_violations(page, axe_source))
    page.context.close()


def test_skip_link_is_first_and_leads_to_the_main_content(served_site, page):
    base_url, _ = served_site
    page.goto(base_url + "about/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
