"""builder.render: pure rendering, every page kind, strict templates."""

import jinja2
import pytest

from builder.pages import site_pages
from builder.render import environment, render_site
from test_golden import ROOT
from test_model import golden_site


def test_every_page_kind_of_the_product_is_rendered():
    files = render_site(golden_site(), ROOT / "templates")
    for path in ("index.html", "practices/index.html", "practices/fjord-cluster/index.html", "regions/index.html",
                 "regions/oslo/index.html", "countries/no/index.html", "themes/index.html",
                 "themes/smarter-europe/index.html", "search/index.html", "about/index.html",
                 "contribute/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml",
                 "data/practices.json", "data/practices.csv"):
        assert path in files, path


def test_pages_have_unique_output_paths_and_titles():
    pages = site_pages(golden_site(per_page=1))
    assert len({page.output_path for page in pages}) == len(pages)
    assert len({page.title for page in pages}) == len(pages)


def test_a_misspelt_template_variable_fails_instead_of_printing_nothing(tmp_path):
    (tmp_path / "t.html").write_text("{{ practice.titel }}")
    env = environment(tmp_path, golden_site())
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render(practice=golden_site().practices[0])


def test_front_matter_is_escaped(tmp_path):
    site = golden_site()
    site.practices[0].title = '<script>alert("x")</script>'
    page = render_site(site, ROOT / "templates")["practices/digital-vouchers/index.html"].decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_pages_that_would_write_the_same_file_are_all_reported():
    from builder.pages import Page, output_collisions
    pages = [Page("practices/a/", "A", "", "practice.html", source="content/practices/a.md"),
             Page("practices/a/", "B", "", "practice.html", source="content/regions/b.md"),
             Page("practices/c/", "C", "", "practice.html", source="content/practices/c.md")]
    assert [str(p) for p in output_collisions(pages)] == [
        "content/practices/a.md:1: this page would be written to `practices/a/index.html` like 1 other page(s); rename one",
        "content/regions/b.md:1: this page would be written to `practices/a/index.html` like 1 other page(s); rename one"]


def test_every_declared_site_path_is_rendered_and_no_template_spells_one_out():
    import re
    from builder.model import PATHS
    files = render_site(golden_site(), ROOT / "templates")
    for path in PATHS.values():
        assert (path + "index.html" if path.endswith("/") or not path else path) in files, path
    for template in sorted((ROOT / "templates").iterdir()):
        literals = set(re.findall(r"url\('([^']*)'\)", template.read_text(encoding="utf-8")))
        assert not literals & set(PATHS.values()), f"{template.name} spells out {literals & set(PATHS.values())}: use links.NAME"


def test_printed_links_show_the_sites_absolute_address():
    files = render_site(golden_site(), ROOT / "templates")
    assert b'content: " (https://example.org" attr(href) ")"' in files["print.css"]
    assert b'href="/portal/print.css" media="print"' in files["about/index.html"]


def test_each_theme_and_country_has_an_atom_feed_announced_on_its_page_and_the_site_a_json_feed():
    import json
    import xml.etree.ElementTree as ET
    site = golden_site()
    files = render_site(site, ROOT / "templates")
    atom = "{http://www.w3.org/2005/Atom}"
    for item in site.themes + site.countries:
        feed = ET.fromstring(files[item.feed_path])
        entries = [e.find(atom + "id").text for e in feed.iter(atom + "entry")]
        assert entries == [f"https://example.org{p.url}" for p in item.practices]
        self_link = [link.get("href") for link in feed.iter(atom + "link") if link.get("rel") == "self"]
        assert self_link == [f"https://example.org/portal/{item.feed_path}"]
        page = files[item.path + "index.html"].decode()
        assert f'<link rel="alternate" type="application/atom+xml" title="' in page and f'href="/portal/{item.feed_path}"' in page
    document = json.loads(files["feed.json"])
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://example.org/portal/feed.json"
    assert [item["url"] for item in document["items"]] == [f"https://example.org{p.url}" for p in site.practices]
    assert 'type="application/feed+json"' in files["index.html"].decode()
