"""The search page on a 390 x 844 phone and with ids in its URL, in Chromium on the served bundled site:
results first, filters behind a disclosure, state restored from ids, stale ids shown and removable,
cards with date, place and highlighted passage; axe-core and html-validate on the page as shown."""

import json
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from builder.build import Paths, build_model, check_content
from builder.config import load_config
from builder.search import FILTER_GROUPS
from conftest import ROOT
from test_accessibility import axe_source, axe_violations  # noqa: F401 (a fixture)
from test_html_validate import CONFIG, html_validate  # noqa: F401 (a fixture)
from test_search_browser import expect_newest_first

PHONE = {"width": 390, "height": 844}
CARDS = "#search-list .card"


@pytest.fixture(scope="module")
def site(served_site):
    """The bundled site's model for the served base URL."""
    base_url, _ = served_site
    config = load_config(ROOT / "pyproject.toml", base_url=base_url)
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static")
    return build_model(check_content(paths), paths, config)


@pytest.fixture
def phone(browser, request):
    """A page in a phone-sized context (light, or the scheme a test is parametrised with)."""
    scheme = getattr(request, "param", "light")
    context = browser.new_context(viewport=PHONE, color_scheme=scheme, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
    yield page
    context.close()


def open_search(page, served_site, query: str = "") -> None:
    """Open the search page with a query string and wait until it has answered."""
    page.goto(f"{served_site[0]}search/{query}")
    expect(page.locator(".search-results")).to_have_attribute("aria-busy", "false")


def state(page) -> dict:
    """The page URL's query string, parsed."""
    return parse_qs(urlsplit(page.url).query)


def ids(practice) -> dict[str, set[str]]:
    """A practice's filter value ids by group, as the search index has them."""
    return {group.name: {value for value, _ in group.values(practice)} for group in FILTER_GROUPS}


def validate_dom(html_validate: Path, folder: Path) -> subprocess.CompletedProcess:  # noqa: F811
    """html-validate on serialised DOMs: the project's rules, less the spelling of boolean attributes."""
    config = folder / "htmlvalidate.json"
    config.write_text(json.dumps({"extends": [str(CONFIG)], "rules": {
        "attribute-boolean-style": "off", "attribute-empty-style": "off"}}), encoding="utf-8")
    pages = sorted(str(path) for path in folder.glob("*.html"))
    return subprocess.run([str(html_validate), "--config", str(config), "--formatter", "text", *pages],
                          capture_output=True, text=True, cwd=ROOT)


def test_after_a_query_the_first_result_is_on_the_first_screen(served_site, phone):
    open_search(phone, served_site)
    phone.locator("#search-q").fill("cluster")
    first = phone.locator(CARDS).first
    expect(first).to_be_visible()
    expect(phone.locator("#search-filters")).not_to_have_attribute("open", "")
    assert first.bounding_box()["y"] + 40 < PHONE["height"], "the first result's title is below the first screen"
    expect(phone.get_by_role("status")).to_contain_text("found for “cluster”")
    assert phone.problems == []


def test_filters_open_and_close_by_keyboard_and_say_how_many_are_active(served_site, phone):
    open_search(phone, served_site, "?q=cluster")
    summary = phone.locator("#search-filters > summary")
    expect(summary).to_have_text("Filters")
    phone.locator("#search-q").focus()
    for _ in range(5):
        if phone.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
        phone.keyboard.press("Tab")
    expect(summary).to_be_focused()
    theme = phone.get_by_role("group", name="Theme").get_by_role("checkbox").first
    expect(theme).to_be_hidden()
    phone.keyboard.press("Enter")
    expect(theme).to_be_visible()
    phone.keyboard.press("Tab")
    expect(theme).to_be_focused()
    phone.keyboard.press("Space")
    expect(summary).to_have_text("Filters (1 active)")
    phone.keyboard.press("Shift+Tab")
    expect(summary).to_be_focused()
    phone.keyboard.press("Enter")
    expect(theme).to_be_hidden()
    expect(phone.locator(CARDS).first).to_be_in_viewport()
    assert phone.problems == []


def test_the_open_filters_end_with_a_button_back_to_the_results(served_site, phone, site):
    open_search(phone, served_site, "?level=regional")
    phone.locator("#search-filters > summary").click()
    regional = [p for p in site.practices if p.level == "regional"]
    button = phone.get_by_role("button", name=f"Show the {len(regional)} results")
    button.click()
    expect(phone.locator("#search-filters")).not_to_have_attribute("open", "")
    expect(phone.get_by_role("heading", name="Results")).to_be_focused()
    expect(phone.locator(CARDS).first).to_be_in_viewport()
    assert phone.problems == []


def test_url_ids_restore_every_filter(served_site, page, site):
    sample = site.practices[0]
    chosen = {name: sorted(values)[0] for name, values in ids(sample).items()}
    query = "?" + "&".join(f"{name}={value}" for name, value in chosen.items())
    open_search(page, served_site, query)
    expected = [p for p in site.practices if all(chosen[name] in ids(p)[name] for name in chosen)]
    assert sample in expected
    expect_newest_first(page, expected)
    for name, value in chosen.items():
        expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
    expect(page.locator("#search-active button")).to_have_count(len(chosen))
    expect(page.locator("#search-filters > summary")).to_have_text(f"Filters ({len(chosen)} active)")
    assert state(page) == {name: [value] for name, value in chosen.items()}
    assert page.problems == []


def test_issue_examples_and_old_label_links_work(served_site, page, site):
    open_search(page, served_site, "?level=national&theme=research-and-innovation")
    expected = [p for p in site.practices if p.level == "national" and "research-and-innovation" in ids(p)["theme"]]
    expect_newest_first(page, expected)
    open_search(page, served_site, "?country=Slovenia&level=Regional")
    assert state(page) == {"country": ["si"], "level": ["regional"]}
    expect(page.get_by_role("group", name="Country").get_by_label("Slovenia")).to_be_checked()
    assert page.problems == []


def test_a_stale_id_is_shown_and_removable(served_site, phone, site):
    open_search(phone, served_site, "?country=si&region=an-old-region-slug")
    stale = phone.get_by_role("button", name="Remove filter Region: “an-old-region-slug” matches no practice")
    expect(stale).to_be_visible()
    expect(phone.get_by_role("status")).to_have_text("No practices found. Try other words or fewer filters.")
    expect(phone.locator(CARDS)).to_have_count(0)
    expect(phone.locator("#search-filters > summary")).to_have_text("Filters (2 active)")
    stale.focus()
    phone.keyboard.press("Enter")
    slovenian = [p for p in site.practices if p.country.code == "SI"]
    expect_newest_first(phone, slovenian)
    expect(stale).to_have_count(0)
    assert state(phone) == {"country": ["si"]}
    expect(phone.locator("#search-filters > summary")).to_have_text("Filters (1 active)")
    expect(phone.get_by_role("button", name="Remove filter Country: Slovenia")).to_be_focused()
    assert phone.problems == []


def test_a_card_shows_date_place_and_the_highlighted_passage(served_site, page, site):
    practice = next(p for p in site.practices if p.slug == "cross-industry-hackathons")
    open_search(page, served_site, "?q=hackathons")
    card = page.locator(CARDS).first
    expect(card.locator("h3 a")).to_have_text(practice.title)
    expect(card.locator(".card-meta time")).to_have_attribute("datetime", practice.published.isoformat())
    expect(card.locator(".card-meta")).to_have_text(f"{practice.region.place} · {practice.published.day} "
                                                    f"{practice.published:%B %Y}")
    marks = card.locator(".card-excerpt mark").all_inner_texts()
    assert marks and all("hackathon" in mark.lower() for mark in marks)
    assert page.problems == []


def test_a_region_named_like_its_country_is_named_once_on_every_card(served_site, page, site):
    region = next(r for r in site.regions if r.name == r.country.name and r.practices)
    assert region.place == region.name
    open_search(page, served_site, f"?region={region.slug}")
    expect(page.locator(f"{CARDS} .card-meta")).to_have_count(len(region.practices))
    for text in page.locator(f"{CARDS} .card-meta").all_inner_texts():
        assert text.startswith(f"{region.name} · ")
    _, folder = served_site
    listed = [path for path in folder.rglob("*.html") if 'class="card-meta"' in path.read_text(encoding="utf-8")]
    assert listed and not [path for path in listed if f"{region.name}, {region.name}" in path.read_text(encoding="utf-8")]


def test_long_groups_show_their_first_values_and_all_on_request_never_clipped(served_site, page, site):
    open_search(page, served_site)
    group = page.get_by_role("group", name="Country")
    countries = [c for c in site.countries if c.practices]
    assert len(countries) > 8, "the bundled content needs more than eight countries for this test"
    last = group.get_by_label(countries[-1].name)
    expect(last).to_be_hidden()
    button = group.locator(".search-show-all")
    expect(button).to_have_text(f"Show all {len(countries)}")
    button.focus()
    page.keyboard.press("Enter")
    expect(last).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    for box in (group, page.get_by_role("group", name="Region")):
        clipped = box.evaluate("(fieldset) => [...fieldset.querySelectorAll('ul, label')]"
                               ".filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)"
                               ".map((e) => e.textContent.trim())")
        assert clipped == []
    expect(button).to_have_text("Show fewer")
    page.keyboard.press("Enter")
    expect(last).to_be_hidden()
    assert page.problems == []


@pytest.mark.parametrize("phone", ["light", "dark"], indirect=True)
def test_the_phone_search_with_filters_open_has_no_wcag_violations_and_valid_html(
        served_site, phone, axe_source, html_validate, tmp_path):  # noqa: F811
    open_search(phone, served_site, "?q=cluster&level=regional&year=1999")
    phone.locator("#search-filters > summary").click()
    stale = phone.locator("#search-active .search-stale button")
    expect(stale).to_have_count(1)
    checks = {"stale": axe_violations(phone, axe_source)}
    (tmp_path / "stale.html").write_text(phone.content(), encoding="utf-8")  # content() adds the doctype
    stale.click()
    expect(phone.locator(CARDS).first).to_be_visible()
    expect(phone.locator(".search-results")).to_have_attribute("aria-busy", "false")
    checks["results"] = axe_violations(phone, axe_source)
    (tmp_path / "results.html").write_text(phone.content(), encoding="utf-8")
    assert checks == {"stale": [], "results": []}
    result = validate_dom(html_validate, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert phone.problems == []
