"""The stylesheet at work in Chromium: the printed handout, dark mode and visible keyboard focus."""

from pathlib import Path


def practice_path(folder: Path) -> str:
    """The site path of the alphabetically first practice."""
    return f"practices/{sorted(p.parent.name for p in folder.glob('practices/*/index.html'))[0]}/"


def test_printed_practice_is_a_handout_with_link_addresses(served_site, page):
    base_url, folder = served_site
    page.goto(base_url + practice_path(folder))
    page.emulate_media(media="print")
    for hidden in (".site-header", ".breadcrumbs", ".site-footer", ".toc", ".related", ".skip-link"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h1").is_visible() and page.locator(".citation").is_visible()
    region_link = page.locator(".key-facts dd a").first
    after = region_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert region_link.get_attribute("href") in after
    page.emulate_media(media="screen")
    assert page.locator(".site-header").is_visible()
    assert region_link.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    assert page.problems == []


def test_dark_mode_follows_the_system_setting(served_site, browser):
    base_url, _ = served_site
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url)
        colours[scheme] = page.evaluate("() => [getComputedStyle(document.body).backgroundColor,"
                                        " getComputedStyle(document.body).color]")
        context.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 38, 49)"]
    assert colours["dark"] != colours["light"]


def test_keyboard_focus_is_visible(served_site, page):
    base_url, _ = served_site
    page.goto(base_url + "about/")
    link = page.locator("main a").first
    before = link.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a).boxShadow]")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    assert page.evaluate("() => document.activeElement.textContent") == link.inner_text()
    after = link.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a).boxShadow]")
    assert after != before and after[1] != "none"
