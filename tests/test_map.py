"""Tests of builder.map: projection, choropleth and locator SVGs, and the committed map data."""

import json
import math
import re

import pytest
from markupsafe import Markup

from builder import map as europe_map

COUNTS = {"AT": 12, "DE": 5, "PT": 3, "GB": 1, "LV": 2, "MT": 1, "SE": 7, "FR": 0}
LINKS = {code: f"/countries/{code.lower()}/" for code in COUNTS}
NAMES = {"AT": "Austria", "DE": "Germany", "PT": "Portugal", "GB": "United Kingdom",
         "LV": "Latvia", "MT": "Malta", "SE": "Sweden", "FR": "France"}


def view_box(svg: str) -> tuple[float, ...]:
    """The numbers of the root element's viewBox."""
    return tuple(float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())


def test_data_file_loads_with_the_expected_countries():
    data = json.loads(europe_map.DATA.read_text(encoding="utf-8"))
    for code in ["AT", "LV", "GB", "SI", "ES", "PT", "SE", "SK", "HU", "RO"]:
        assert data["countries"][code].startswith("M")
    assert data["licence"] and data["source"]
    assert data["viewBox"] == f"0 0 {data['projection']['width']} {data['projection']['height']}"


def test_projection_puts_cities_where_they_belong():
    vienna, paris, stockholm = (europe_map.project(48.21, 16.37), europe_map.project(48.86, 2.35),
                                europe_map.project(59.33, 18.07))
    assert vienna[0] > paris[0]  # east is right
    assert vienna[1] > stockholm[1]  # south is down (SVG y grows downwards)
    _, _, width, height = view_box(europe_map.choropleth_svg({}, {}, {}))
    for x, y in (vienna, paris, stockholm, europe_map.project(38.72, -9.14), europe_map.project(64.15, -21.94)):
        assert 0 < x < width and 0 < y < height


def test_choropleth_links_exactly_the_countries_with_practices():
    svg = str(europe_map.choropleth_svg(COUNTS, LINKS, NAMES))
    hrefs = re.findall(r'<a href="([^"]+)"', svg)
    assert hrefs == sorted(LINKS[c] for c, n in COUNTS.items() if n > 0)
    assert "/countries/fr/" not in svg


def test_choropleth_titles_labels_and_classes():
    svg = str(europe_map.choropleth_svg(COUNTS, LINKS, NAMES))
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'aria-labelledby="map-choropleth-title"' in svg and '<title id="map-choropleth-title">' in svg
    assert ('<a href="/countries/at/" aria-label="Austria: 12 practices"><title>Austria: 12 practices</title>'
            '<path class="map-n5"') in svg
    assert '<title>Malta: 1 practice</title><path class="map-n1"' in svg
    assert "Germany: 5 practices" in svg and "Sweden: 7 practices" in svg
    assert set(re.findall(r'class="(map-[a-z0-9-]+)', svg)) <= {"map-none", "map-context", "map-dot",
                                                                  *(f"map-n{i}" for i in range(1, 6))}
    assert svg.count('class="map-none"') == len(europe_map.load()["countries"]) - 7
    assert "style" not in svg and "<script" not in svg


def test_choropleth_escapes_hostile_names_and_links():
    hostile = '<script>alert("x")</script> & \'co\''
    svg = europe_map.choropleth_svg({"AT": 2}, {"AT": '/a"onmouseover="x'}, {"AT": hostile})
    assert isinstance(svg, Markup)
    assert "<script>" not in svg and 'onmouseover="' not in svg
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;: 2 practices" in svg


def test_countries_without_link_are_not_linked_and_unknown_codes_are_ignored():
    svg = str(europe_map.choropleth_svg({"AT": 3, "XX": 4, "DE": -1}, {}, {}))
    assert "<a " not in svg and "XX" not in svg
    assert 'class="map-n5"' in svg


def test_buckets_are_monotonic_and_span_one_to_five():
    classes = [europe_map.bucket(n, 40) for n in range(1, 41)]
    assert classes == sorted(classes) and classes[0] == 1 and classes[-1] == 5
    assert europe_map.bucket(1, 1) == 5


def test_locator_contains_the_point_inside_its_view_box():
    svg = str(europe_map.locator_svg(47.07, 15.44, "Styria", "AT"))
    x, y, w, h = view_box(svg)
    cx, cy = (float(v) for v in re.search(r'<circle class="map-point" cx="([^"]+)" cy="([^"]+)"', svg).groups())
    assert x < cx < x + w and y < cy < y + h
    assert (cx, cy) == pytest.approx(europe_map.project(47.07, 15.44), abs=0.06)
    assert svg.count('class="map-here"') == 1 and 'class="map-land"' in svg
    assert '<title id="map-locator-title">Map of the location of Styria</title>' in svg
    assert 'role="img"' in svg and "style" not in svg


def test_locator_escapes_its_label_and_works_without_a_country():
    svg = europe_map.locator_svg(38.7, -9.1, "<b>Lisboa</b> & co")
    assert "<b>" not in svg and "&lt;b&gt;Lisboa&lt;/b&gt; &amp; co" in svg
    assert "map-here" not in svg


def test_locator_near_the_edge_still_has_land_around():
    svg = str(europe_map.locator_svg(28.1, -15.4, "Canarias", "ES"))  # south-west of the main frame
    assert 'class="map-here"' in svg and 'class="map-context"' in svg


def test_output_is_deterministic():
    assert europe_map.choropleth_svg(COUNTS, LINKS, NAMES) == europe_map.choropleth_svg(
        dict(reversed(COUNTS.items())), LINKS, NAMES)
    assert europe_map.locator_svg(56.95, 24.1, "Riga", "LV") == europe_map.locator_svg(56.95, 24.1, "Riga", "LV")


def test_legend_names_the_counts_of_each_shade_in_use_and_the_plain_colour():
    assert europe_map.legend({"AT": 3, "SI": 3, "LV": 2, "PT": 1}) == [
        ("map-n1", "1 practice"), ("map-n4", "2 practices"), ("map-n5", "3 practices"), ("map-none", "no practices")]
    steps = europe_map.legend({"AT": 100, "MT": 1})
    assert [css for css, _ in steps] == ["map-n1", "map-n2", "map-n3", "map-n4", "map-n5", "map-none"]
    assert steps[0][1] == "1–2 practices" and steps[4][1].endswith("–100 practices")
    for count in (1, 2, 7, 16, 40, 100):  # each count falls in the shade the legend gives it
        low, high = next((label.split()[0].split("–") for css, label in steps if css == f"map-n{europe_map.bucket(count, 100)}"))
        assert int(low) <= count <= int(high or low)


def test_points_map_links_every_point_and_keeps_shared_places_apart():
    points = [(48.2, 15.6, "A <b>", "/a/"), (48.2, 15.6, "B", "/b/"), (45.9, 15.5, "C", "/c/")]
    svg = str(europe_map.points_svg(points))
    assert svg.count("<a ") == 3 and 'aria-label="A &lt;b&gt;"' in svg and "<b>" not in svg
    centres = [tuple(map(float, xy)) for xy in re.findall(r'<circle class="map-point map-target" cx="([^"]+)" cy="([^"]+)"', svg)]
    radius = float(re.search(r' r="([^"]+)"', svg.split("map-target")[1]).group(1))
    assert math.dist(centres[0], centres[1]) >= 2 * radius  # the two of one place do not cover each other
    x, y, w, h = view_box(svg)
    assert all(x < cx < x + w and y < cy < y + h for cx, cy in centres)
    assert europe_map.points_svg([]) == ""
