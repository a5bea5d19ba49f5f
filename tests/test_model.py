"""builder.model: links between practices, regions, countries and themes; order; pagination."""

from pathlib import Path

from builder.build import Paths, build_model, check_content
from builder.config import Config
from builder.model import paginate

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden" / "content"


def golden_site(**settings):
    """The golden fixture's site model."""
    paths = Paths(content=GOLDEN, static=GOLDEN / "no-static")
    return build_model(check_content(paths), paths, Config(base_url="https://example.org/portal/", **settings))


def test_practices_are_newest_first_then_by_title():
    assert [p.slug for p in golden_site().practices] == ["digital-vouchers", "fjord-cluster", "krakow-lab"]


def test_identity_urls_carry_the_base_path():
    site = golden_site()
    practice = site.practices[0]
    assert (practice.url, practice.region.url, practice.country.url) == (
        "/portal/practices/digital-vouchers/", "/portal/regions/malopolska/", "/portal/countries/pl/")
    assert [t.url for t in practice.themes] == ["/portal/themes/research-and-innovation/", "/portal/themes/smarter-europe/"]


def test_countries_named_by_pycountry_and_linked_both_ways():
    site = golden_site()
    assert [(c.code, c.name) for c in site.countries] == [("NO", "Norway"), ("PL", "Poland")]
    poland = site.countries[1]
    assert [r.slug for r in poland.regions] == ["malopolska"]
    assert [p.slug for p in poland.practices] == ["digital-vouchers", "krakow-lab"]


def test_a_practice_without_location_uses_its_regions_point():
    site = golden_site()
    by_slug = {p.slug: p for p in site.practices}
    assert (by_slug["krakow-lab"].lat, by_slug["krakow-lab"].lon) == (50.0647, 19.945)
    assert (by_slug["fjord-cluster"].lat, by_slug["fjord-cluster"].lon) == (59.2, 10.9)


def test_related_practices_share_themes_first():
    by_slug = {p.slug: p for p in golden_site().practices}
    assert [p.slug for p in by_slug["krakow-lab"].related] == ["digital-vouchers"]
    assert [p.slug for p in by_slug["digital-vouchers"].related] == ["krakow-lab", "fjord-cluster"]


def test_pagination_links_pages_both_ways():
    pages = paginate(list(range(5)), "practices/", Config(base_url="https://x.org/", per_page=2))
    assert [(p.items, p.path, p.url) for p in pages] == [
        ([0, 1], "practices/", "/practices/"), ([2, 3], "practices/page/2/", "/practices/page/2/"),
        ([4], "practices/page/3/", "/practices/page/3/")]
    assert pages[0].previous is None and pages[0].next is pages[1] and pages[2].previous is pages[1]
    assert [p.items for p in paginate([], "x/", Config())] == [[]]


def test_the_pager_numbers_first_last_and_the_pages_near_this_one():
    pages = paginate(list(range(30)), "practices/", Config(base_url="https://x.org/", per_page=2))
    numbers = [p and p.number for p in pages[7].nearby()]
    assert numbers == [1, None, 6, 7, 8, 9, 10, None, 15]
    assert [p and p.number for p in pages[0].nearby()] == [1, 2, 3, None, 15]
    assert [p and p.number for p in pages[2].nearby()] == [1, 2, 3, 4, 5, None, 15]
    assert pages[7].first is pages[0] and pages[7].last is pages[14]


def test_counts_count_only_what_has_practices(tmp_path):
    import shutil
    content = Path(shutil.copytree(GOLDEN, tmp_path / "content"))
    (content / "regions" / "bergen.md").write_text('---\nname: Vestland\ncountry: "SE"\nlat: 60.4\nlon: 5.3\n---\nA region.\n')
    with open(content / "themes.yaml", "a", encoding="utf-8") as themes:
        themes.write("greener-europe:\n  name: A greener Europe\n  description: Green.\n  period: 2021-2027\n")
    paths = Paths(content=content, static=content / "no-static")
    site = build_model(check_content(paths), paths, Config(base_url="https://example.org/"))
    assert len(site.countries) == 3 and [c.code for c in site.active_countries] == ["NO", "PL"]
    assert [r.slug for r in site.active_regions] == ["malopolska", "oslo"]
    assert all(theme.practices for theme in site.active_themes) and len(site.active_themes) < len(site.themes)
