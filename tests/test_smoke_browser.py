"""The served bundled site opens in Chromium without errors."""


def test_home_page_opens_without_errors(served_site, page):
    base_url, _ = served_site
    page.goto(base_url)
    assert page.locator("h1").first.inner_text()
    assert page.problems == []
