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
    assert base_url.split("/portal/")[0] in after  # the address in full, as a reader of paper needs it
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


def test_browsing_needs_no_javascript_sets_no_cookie_and_asks_no_other_site(served_site, browser):
    base_url, _ = served_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url)
    page.locator(".country-table a").first.click()
    assert page.url.startswith(base_url + "countries/")
    page.locator(".card-title a").first.click()
    assert page.url.startswith(base_url + "practices/") and page.locator(".map-locator").is_visible()
    page.locator(".badge-theme").first.click()
    assert page.url.startswith(base_url + "themes/") and page.locator(".cards li").count() > 0
    page.goto(base_url + "regions/")
    page.locator("main ul a").first.click()
    assert page.url.startswith(base_url + "regions/") and page.locator(".map-locator").is_visible()
    assert context.cookies() == []
    assert [url for url in requests if not url.startswith(base_url)] == []
    context.close()


def test_a_country_on_the_map_is_a_working_link(served_site, page):
    base_url, _ = served_site
    page.goto(base_url)
    country = page.locator(".map-choropleth a").first
    label = country.get_attribute("aria-label")
    country.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "countries/**")
    assert page.locator("h1").inner_text() == label.split(":")[0]
    assert page.problems == []


def test_the_countries_table_fits_a_phone_without_sideways_scrolling(served_site, browser):
    base_url, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "countries/")
    overflow = page.evaluate("() => [...document.querySelectorAll('.table-scroll')].map(box => box.scrollWidth - box.clientWidth)")
    context.close()
    assert overflow == [0], overflow
