"""The search page in Chromium, on the bundled site served under /portal/: words, filters, sort, URL state."""

import datetime
from typing import NamedTuple
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from builder.build import Paths, build_model, check_content
from builder.config import load_config
from conftest import ROOT

CARD_LINKS = "#search-list h3 a"
PAGE_SIZE = 20  # search.js shows this many cards, then a "Show more" button


class Expected(NamedTuple):
    """What a test needs to know of a practice (the model's objects are a graph too big to print)."""

    slug: str
    title: str
    url: str
    country: str
    level: str
    themes: tuple[str, ...]
    theme_ids: tuple[str, ...]
    published: datetime.date


@pytest.fixture(scope="module")
def practices(served_site):
    """The bundled practices as the builder models them for the served base URL."""
    base_url, _ = served_site
    config = load_config(ROOT / "pyproject.toml", base_url=base_url)
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static")
    return [Expected(p.slug, p.title, p.url, p.country.name, p.level, tuple(t.name for t in p.themes),
                     tuple(t.id for t in p.themes), p.published)
            for p in build_model(check_content(paths), paths, config).practices]


def expect_newest_first(page, practices) -> None:
    """The cards show exactly these practices, newest first; those published on the same day may come in any order."""
    expect(page.locator(CARD_LINKS)).to_have_count(min(len(practices), PAGE_SIZE))
    settled(page)
    published = {p.title: p.published for p in practices}
    shown = all_shown_titles(page)
    assert sorted(shown) == sorted(published)
    assert [published[title] for title in shown] == sorted(published.values(), reverse=True)


def settled(page) -> None:
    """Wait until the page has shown the answer to its latest search."""
    expect(page.locator(".search-results")).to_have_attribute("aria-busy", "false")


def open_search(page, served_site, query: str = "") -> None:
    """Open the search page (with a query string) and wait until it has answered."""
    base_url, _ = served_site
    page.goto(f"{base_url}search/{query}")
    settled(page)


def shown_titles(page) -> list[str]:
    """The titles of the result cards on the page."""
    return page.locator(CARD_LINKS).all_inner_texts()


def all_shown_titles(page) -> list[str]:
    """The titles of every result, after pressing "Show more" until nothing is left to show."""
    more = page.locator("#search-more")
    while more.is_visible():
        label = more.inner_text()
        more.click()
        # The button's count changes once the whole next page is shown (cards arrive one by one).
        expect(more).not_to_have_text(label)
    return shown_titles(page)


def state(page) -> dict:
    """The query string of the page's URL, parsed."""
    return parse_qs(urlsplit(page.url).query)


def test_a_query_finds_the_expected_practice_first(served_site, page, practices):
    open_search(page, served_site)
    page.locator("#search-q").fill("hackathons")
    first = page.locator(CARD_LINKS).first
    expect(first).to_have_text(next(p.title for p in practices if p.slug == "cross-industry-hackathons"))
    assert first.get_attribute("href") == next(p.url for p in practices if p.slug == "cross-industry-hackathons")
    assert state(page) == {"q": ["hackathons"]}
    expect(page.get_by_role("status")).to_contain_text("found for “hackathons”")
    assert page.problems == []


def test_the_header_search_box_leads_to_the_search_page(served_site, page):
    base_url, _ = served_site
    page.goto(base_url)
    page.locator("#header-q").fill("wood")
    page.locator("#header-q").press("Enter")
    expect(page.locator(CARD_LINKS).first).to_contain_text("IN4WOOD")
    assert page.url == f"{base_url}search/?q=wood"
    expect(page.locator("#search-q")).to_have_value("wood")
    assert page.problems == []


def test_a_country_filter_narrows_the_results(served_site, page, practices):
    open_search(page, served_site, "?q=cluster")
    before = len(shown_titles(page))
    page.get_by_role("group", name="Country").get_by_label("Slovenia").check()
    settled(page)
    after = shown_titles(page)
    slovenian = {p.title for p in practices if p.country == "Slovenia"}
    assert 0 < len(after) < before and set(after) <= slovenian
    assert state(page) == {"q": ["cluster"], "country": ["si"]}
    assert page.problems == []


def test_two_countries_give_their_union(served_site, page, practices):
    open_search(page, served_site, "?country=si")
    page.get_by_role("group", name="Country").get_by_label("Austria").check()
    both = [p for p in practices if p.country in ("Slovenia", "Austria")]
    expect_newest_first(page, both)
    expect(page.get_by_role("status")).to_have_text(f"{len(both)} practices found.")
    assert state(page) == {"country": ["at", "si"]}
    assert page.problems == []


def test_groups_combine_with_and_and_counts_follow_the_other_groups(served_site, page, practices):
    open_search(page, served_site, "?country=si&level=regional")
    expected = [p for p in practices if p.country == "Slovenia" and p.level == "regional"]
    expect_newest_first(page, expected)
    regional = [p for p in practices if p.level == "regional"]
    austria = sum(p.country == "Austria" for p in regional)
    country = page.get_by_role("group", name="Country")
    expect(country.locator("label", has_text="Austria")).to_have_text(f"Austria ({austria})")
    slovenian = [p for p in practices if p.country == "Slovenia"]
    national = sum(p.level == "national" for p in slovenian)
    expect(page.get_by_role("group", name="Level").locator("label", has_text="National")).to_have_text(f"National ({national})")
    assert page.problems == []


def test_browsing_by_a_filter_alone_lists_the_right_practices_newest_first(served_site, page, practices):
    named = sorted({theme for p in practices for theme in p.themes})
    theme = min(named, key=lambda name: (sum(name in p.themes for p in practices), name))  # the narrowest filter
    theme_id = next(i for p in practices for name, i in zip(p.themes, p.theme_ids) if name == theme)
    open_search(page, served_site, "?" + urlencode({"theme": theme_id}))
    expected = [p for p in practices if theme in p.themes]
    assert 0 < len(expected) < len(practices)
    expect_newest_first(page, expected)
    expect(page.get_by_label(theme)).to_be_checked()
    expect(page.locator("#search-q")).to_have_value("")
    assert page.problems == []


def test_without_a_query_or_filter_every_practice_is_listed(served_site, page, practices):
    open_search(page, served_site)
    expect(page.get_by_text("Search needs JavaScript")).to_be_hidden()
    expect_newest_first(page, practices)
    expect(page.get_by_role("status")).to_have_text(f"{len(practices)} practices, newest first.")
    assert page.problems == []


def test_sort_by_newest_orders_the_matches_by_date(served_site, page, practices):
    open_search(page, served_site, "?q=industry")
    relevance = all_shown_titles(page)
    page.get_by_label("Sort by").select_option("newest")
    settled(page)
    matching = [p for p in practices if p.title in relevance]
    expect_newest_first(page, matching)
    assert state(page) == {"q": ["industry"], "sort": ["newest"]}
    assert page.problems == []


def test_reload_and_back_restore_the_url_state(served_site, page, practices):
    open_search(page, served_site, "?q=cluster")
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("group", name="Country").get_by_label("Latvia").check()
    settled(page)
    shown = shown_titles(page)
    url = page.url
    page.reload()
    settled(page)
    expect(page.locator(CARD_LINKS)).to_have_text(shown)
    assert page.url == url and state(page) == {"q": ["cluster"], "sort": ["newest"], "country": ["lv"]}
    expect(page.locator("#search-q")).to_have_value("cluster")
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    expect(page.get_by_role("group", name="Country").get_by_label("Latvia")).to_be_checked()
    page.go_back()
    settled(page)
    expect(page.get_by_role("group", name="Country").get_by_label("Latvia")).not_to_be_checked()
    assert state(page) == {"q": ["cluster"], "sort": ["newest"]}
    expect(page.locator(CARD_LINKS)).not_to_have_count(len(shown))
    assert page.problems == []


def test_keyboard_alone_searches_and_filters(served_site, page, practices):
    open_search(page, served_site)
    page.locator("#search-q").focus()
    page.keyboard.type("cluster")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("found for “cluster”")
    box = page.get_by_role("group", name="Theme").get_by_role("checkbox").first
    for _ in range(10):
        if page.evaluate("() => document.activeElement.type") == "checkbox":
            break
        page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    assert "theme" in state(page)
    assert page.problems == []


def test_without_javascript_the_page_says_so_and_links_to_listings(served_site, browser):
    base_url, _ = served_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}search/")
    expect(page.get_by_text("Search needs JavaScript")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="practices", exact=True)).to_have_attribute("href", "/portal/practices/")
    expect(page.locator("#search-q")).to_be_hidden()
    context.close()


def test_an_index_that_cannot_load_is_said_plainly(served_site, page):
    base_url, _ = served_site
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())
    page.goto(f"{base_url}search/?q=cluster")
    settled(page)
    expect(page.get_by_role("status")).to_have_text(
        "The search index could not be loaded. Please try again later, or browse the practices.")


def test_fast_typing_ends_on_the_last_query(served_site, page, practices):
    open_search(page, served_site)
    page.locator("#search-q").press_sequentially("hackathons", delay=5)
    settled(page)
    expect(page.locator(CARD_LINKS).first).to_have_text(next(p.title for p in practices if p.slug == "cross-industry-hackathons"))
    expect(page.get_by_role("status")).to_contain_text("found for “hackathons”")
    assert state(page) == {"q": ["hackathons"]}
    assert page.problems == []
