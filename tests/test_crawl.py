"""Crawler: the site built for a sub-path, served there, has no broken internal link or asset."""

import re
import urllib.request
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "action"}


class LinkParser(HTMLParser):
    """Collects every href, src and action of a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        """Remember the link attributes of each tag."""
        self.links += [value for name, value in attrs if name in LINK_ATTRIBUTES and value]


def page_url(base_url: str, relative: str) -> str:
    """The address a built file is served at."""
    return urljoin(base_url, relative.removesuffix("index.html"))


def internal_links(base_url: str, folder) -> dict[str, str]:
    """Every internal URL the site refers to, with one page that refers to it."""
    found = {}
    host = urlsplit(base_url).netloc
    for path in sorted(folder.rglob("*.html")):
        source = page_url(base_url, path.relative_to(folder).as_posix())
        parser = LinkParser()
        parser.feed(path.read_text(encoding="utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(source, link)).url
            if urlsplit(target).netloc == host:
                found.setdefault(target, source)
    for xml in ("sitemap.xml", "feed.xml"):
        for target in re.findall(r"(?:<loc>|href=\")(http[^<\"]+)", (folder / xml).read_text(encoding="utf-8")):
            found.setdefault(target, page_url(base_url, xml))
    return found


def status(url: str) -> int:
    """The HTTP status of a GET request."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def test_every_internal_link_and_asset_resolves_under_the_sub_path(served_site):
    base_url, folder = served_site
    links = internal_links(base_url, folder)
    pages = {page_url(base_url, p.relative_to(folder).as_posix()) for p in folder.rglob("index.html")}
    assert sorted(pages - links.keys()) == [], "pages no link leads to"
    outside = sorted(url for url in links if not urlsplit(url).path.startswith("/portal/"))
    assert outside == [], "links that ignore the base URL"
    broken = sorted(f"{url} (linked from {source})" for url, source in links.items() if status(url) != 200)
    assert broken == []


def test_a_missing_page_is_reported_as_broken(served_site):
    base_url, folder = served_site
    assert status(urljoin(base_url, "practices/no-such-practice/")) == 404
