"""The built bundled site as files: the map agrees with its table and the content, the sitemap lists
every page, titles and descriptions are unique, sharing tags and JSON-LD are there, pages are light."""

import gzip
import json
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from builder.build import Paths, build_model, check_content
from builder.config import load_config
from builder.render import render_site
from tests.test_images import png

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 30 * 1024  # bytes of gzipped HTML + CSS for one practice page


class Head(HTMLParser):
    """The parts of a page these tests look at: title, meta tags, links and JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld, self.scripts = "", {}, {}, [], []
        self.images, self._in = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")
        elif tag == "link" and "rel" in attrs:
            self.links.setdefault(attrs["rel"], attrs["href"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)
        self._in = tag if tag in ("title", "script") else None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script" and self.scripts[-1].get("type") == "application/ld+json":
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in = None


def head_of(path: Path) -> Head:
    """The parsed head (and images) of an HTML file."""
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(folder: Path) -> list[Path]:
    """Every HTML page of the built site (Pagefind's own files aside)."""
    return sorted(p for p in folder.rglob("*.html") if "pagefind" not in p.relative_to(folder).parts)


def page_url(folder: Path, path: Path, base_url: str) -> str:
    """The absolute URL a page file is published at."""
    relative = path.relative_to(folder).as_posix()
    return urljoin(base_url, relative.removesuffix("index.html"))


@pytest.fixture(scope="session")
def site_model(served_site):
    """The model of the bundled content, for the same base URL as the served site."""
    base_url, _ = served_site
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static", Path("unused"))
    return build_model(check_content(paths), paths, load_config(ROOT / "pyproject.toml", base_url=base_url))


def test_map_links_and_table_agree_with_the_content(served_site, site_model):
    _, folder = served_site
    html = (folder / "index.html").read_text(encoding="utf-8")
    svg = re.search(r'<svg [^>]*class="map map-choropleth".*?</svg>', html, re.S).group(0)
    table = re.search(r'<table class="country-table">.*?</table>', html, re.S).group(0)
    on_map = {href: (name, int(n)) for href, name, n in
              re.findall(r'<a href="([^"]+)" aria-label="([^"]+): (\d+) practices?">', svg)}
    in_table = {href: (name, int(n)) for href, name, n in
                re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', table)}
    expected = Counter(practice.country.url for practice in site_model.practices)
    names = {country.url: country.name for country in site_model.countries}
    assert on_map == in_table == {url: (names[url], n) for url, n in expected.items()}
    assert sum(n for _, n in on_map.values()) == len(site_model.practices) > 0


def test_map_links_lead_to_country_pages_that_list_those_practices(served_site, site_model):
    base_url, folder = served_site
    for country in site_model.countries:
        if country.practices:
            page = (folder / country.path / "index.html").read_text(encoding="utf-8")
            assert all(practice.url in page for practice in country.practices[:site_model.config.per_page])


def test_practice_and_region_pages_have_a_locator_map(served_site, site_model):
    _, folder = served_site
    for item in [*site_model.practices, *site_model.regions]:
        page = (folder / item.path / "index.html").read_text(encoding="utf-8")
        assert page.count('class="map map-locator"') == 1, item.path
        drawing = page.split('class="map map-locator" src="', 1)[1].split('"', 1)[0].split("/maps/", 1)[1]
        assert 'class="map-point"' in (folder / "maps" / drawing).read_text(encoding="utf-8"), item.path


def test_sitemap_lists_every_page_but_the_404(served_site):
    base_url, folder = served_site
    sitemap = (folder / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = {page_url(folder, p, base_url) for p in html_pages(folder) if p.name != "404.html"}
    assert len(listed) == len(set(listed))
    assert set(listed) == pages
    assert f"Sitemap: {base_url}sitemap.xml" in (folder / "robots.txt").read_text(encoding="utf-8")


def test_titles_and_descriptions_are_unique(served_site):
    _, folder = served_site
    heads = {p: head_of(p) for p in html_pages(folder)}
    titles = Counter(h.title for h in heads.values())
    descriptions = Counter(h.meta["description"] for h in heads.values())
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1] == []
    assert all(h.title.strip() and h.meta["description"].strip() for h in heads.values())


def test_every_page_can_be_shared(served_site):
    base_url, folder = served_site
    for path in html_pages(folder):
        head = head_of(path)
        url = page_url(folder, path, base_url)
        assert head.links["canonical"] == url and head.meta["og:url"] == url, path
        assert head.links["icon"].endswith("favicon.svg") and head.links["apple-touch-icon"]
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:image", "og:image:alt",
                    "twitter:card", "twitter:title", "twitter:description"):
            assert head.meta.get(key), f"{path}: no {key}"
        assert head.meta["og:image"].startswith(base_url) and (folder / head.meta["og:image"][len(base_url):]).is_file()
    practice = next(folder.glob("practices/*/index.html"))
    assert head_of(practice).meta["og:type"] == "article"


def test_every_page_has_json_ld_and_no_other_inline_script(served_site, site_model):
    _, folder = served_site
    for path in html_pages(folder):
        head = head_of(path)
        assert [s.get("type") for s in head.scripts if "src" not in s] == ["application/ld+json"], path
        graph = json.loads(head.json_ld[0])["@graph"]
        assert graph[0]["@type"] in {"WebSite", "WebPage", "CollectionPage", "Article"}
    practice = site_model.practices[0]
    article = json.loads(head_of(folder / practice.path / "index.html").json_ld[0])["@graph"]
    assert article[0]["headline"] == practice.title and article[0]["datePublished"] == practice.published.isoformat()
    assert [item["name"] for item in article[1]["itemListElement"]] == ["Home", "Practices", practice.title]


def test_no_page_asks_another_site_for_anything(served_site):
    _, folder = served_site
    for path in html_pages(folder):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:link|script|img|iframe|source|video|audio)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or 'rel="canonical"' in tag, f"{path}: {tag}"


def test_images_are_lazy_and_have_their_size(served_site):
    _, folder = served_site
    for path in html_pages(folder):
        for image in head_of(path).images:
            assert image.get("loading") == "lazy" and image.get("width") and image.get("height"), f"{path}: {image}"


def render_changed_copy(tmp_path: Path, front_matter: str, static_files: dict[str, bytes]) -> tuple[str, dict]:
    """Render a copy of the bundled content whose first practice has extra front matter; (slug, files)."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    static = shutil.copytree(ROOT / "static", tmp_path / "static")
    for name, data in static_files.items():
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_bytes(data)
    source = sorted((content / "practices").glob("*.md"))[0]
    lines = source.read_text(encoding="utf-8").split("\n")
    lines = [line for line in lines if not any(line.startswith(f"{key.split(':')[0]}:") for key in front_matter.splitlines())]
    source.write_text("\n".join(lines).replace("\n---\n", f"\n{front_matter}\n---\n", 1), encoding="utf-8")
    paths = Paths(content, ROOT / "templates", static, Path("unused"))
    content_model = check_content(paths)
    assert content_model.problems == []
    files = render_site(build_model(content_model, paths, load_config(ROOT / "pyproject.toml")), paths.templates)
    return source.stem, files


def test_a_practice_image_is_lazy_sized_and_shared(tmp_path):
    slug, files = render_changed_copy(tmp_path, "image: images/photo.png\nimage_alt: A test photo",
                                      {"images/photo.png": png(640, 427)})
    head = Head()
    head.feed(files[f"practices/{slug}/index.html"].decode())
    [image] = [image for image in head.images if "map-locator" not in image.get("class", "")]
    assert (image["width"], image["height"], image["loading"], image["alt"]) == ("640", "427", "lazy", "A test photo")
    assert head.meta["og:image"].endswith("/static/images/photo.png") and head.meta["og:image:width"] == "640"


def test_a_hostile_title_cannot_break_out_of_the_json_ld(tmp_path):
    title = "Clusters </script><script>alert(1)</script> <!-- & co"
    slug, files = render_changed_copy(tmp_path, f"title: '{title}'", {})
    html = files[f"practices/{slug}/index.html"].decode()
    head = Head()
    head.feed(html)
    assert html.count("</script>") == len(head.scripts) == 1 and "<script>alert" not in html
    assert json.loads(head.json_ld[0])["@graph"][0]["headline"] == title


def gzipped(data: bytes) -> int:
    """Bytes after gzip at the level web servers commonly use."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_every_practice_page_fits_the_weight_budget(served_site):
    _, folder = served_site
    css = gzipped((folder / "static" / "style.css").read_bytes())
    stylesheets = set()
    for path in folder.glob("practices/*/index.html"):
        html = path.read_text(encoding="utf-8")
        stylesheets.update(re.findall(r'<link rel="stylesheet" href="([^"]+)">', html))  # not the print one
        assert gzipped(html.encode()) + css <= BUDGET, path
    assert len(stylesheets) == 1  # the budget counts the one stylesheet a practice page loads
