"""builder.validate: each kind of field, and cross-field rules, as editors read them."""

from pathlib import Path

import pytest

from builder.load import Document, load_document
from builder.validate import check_practice, check_region_document, did_you_mean

CONTEXT = {"regions": {"lower-austria": "Lower Austria", "latvia": "Latvia"},
           "themes": {"research-and-innovation": "Research and innovation", "smarter-europe": "A smarter Europe"},
           "static": Path("static")}
SECTIONS = "## Description\n## Resources needed\n## Evidence of success\n## Difficulties encountered\n## Potential for learning or transfer\n"
VALID = {"title": "T", "summary": "S.", "region": "latvia", "themes": ["smarter-europe"], "organisation": "O",
         "level": "local", "published": "2021-03-15"}


def practice(body: str = SECTIONS, slug: str = "ok", **meta) -> Document:
    """A practice document whose every key is on line 7, so problems are easy to read."""
    values = {**VALID, **meta}
    values = {key: value for key, value in values.items() if value is not None}
    return Document(Path(f"{slug}.md"), slug, values, {key: 7 for key in values}, body, 20)


def messages(doc: Document) -> list[str]:
    """The problems of a practice as `line: message`."""
    return [f"{p.line}: {p.message}" for p in check_practice(doc, CONTEXT)]


def test_a_valid_practice_has_no_problems():
    assert messages(practice()) == []


@pytest.mark.parametrize("meta, expected", [
    ({"title": "x" * 101}, "`title`: is 101 characters long; keep it to 100"),
    ({"level": "Regional"}, "`level`: `Regional` is not one of `national`, `regional`, `local`; did you mean `regional`?"),
    ({"published": "15.03.2021"}, "`published`: `15.03.2021` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-15"),
    ({"published": "2021-02-30"}, "`published`: `2021-02-30` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-15"),
    ({"start": "2019-13"}, "`start`: `2019-13` is not a year or a month; write 2018 or 2018-09"),
    ({"website": "javascript:alert(1)"}, "`website`: `javascript:alert(1)` is not a web address; it must start with https:// (or http://)"),
    ({"themes": ["smarter-europe", "smarter-europe"]}, "`themes`: lists a theme twice"),
    ({"keywords": ["x" * 41]}, "`keywords`: `" + "x" * 41 + "` should be a short text of at most 40 characters"),
    ({"location": {"lat": 1}}, "`location`: should give `lat` and `lon` on indented lines below it"),
    ({"status": "approved"}, "`status`: `approved` is not one of `validated`, `submitted`"),
    ({"contact": "someone"}, "`contact`: should list `name`, `email` and/or `url` on indented lines below it"),
    ({"image": "/etc/passwd", "image_alt": "x"}, "`image`: `/etc/passwd` must be a path inside static/, such as images/photo.jpg"),
    ({"image": "missing.png", "image_alt": "x"}, "`image`: `missing.png` is not a file in static/"),
    ({"title": None}, "`title` is required: the name of the practice."),
    ({"region": "lativa"}, "`region`: `lativa` is not a region in content/regions/; did you mean `latvia` (Latvia)?"),
])
def test_one_mistake_gives_one_plain_problem(meta, expected):
    assert messages(practice(**meta)) == [f"{1 if expected.endswith('practice.') else 7}: {expected}"]


def test_one_theme_may_be_written_without_a_list():
    assert messages(practice(themes="smarter-europe")) == []


def test_dates_and_periods_in_order():
    assert messages(practice(updated="2021-03-14")) == ["7: `updated` (2021-03-14) is before `published` (2021-03-15)"]
    assert messages(practice(start="2020-05", end="2020-04")) == ["7: `end` (2020-04) is before `start` (2020-05)"]
    assert messages(practice(start=2019, end="2019-12")) == []


def test_file_names_are_slugs_and_page_is_reserved():
    assert messages(practice(slug="Über")) == ["1: the file name `Über.md` must use lower-case letters a–z, digits and hyphens, e.g. `house-of-digitalisation` before `.md`"]
    assert messages(practice(slug="page")) == ["1: the file name `page.md` is reserved for the site's own pages; choose another"]


def test_region_country_and_nuts():
    def region(**meta):
        values = {"name": "R", "country": "GR", "lat": 1.0, "lon": 2.0, **meta}
        return [p.message for p in check_region_document(Document(Path("r.md"), "r", values, {}), CONTEXT)]
    assert region(nuts="EL30") == []
    assert region(nuts="GR30") == ["`nuts`: `GR30` does not belong to country `GR`; its NUTS codes start with `EL`"]
    assert region(country="gb") == ['`country`: `gb` is not a country code; use the two capital letters of ISO 3166-1, e.g. "AT"']
    assert region(country="GB", nuts="UKJ13") == []
    assert region(lat=True) == ["`lat`: `True` is not a latitude; give a number between -90 and 90"]


def test_did_you_mean_only_when_close():
    assert did_you_mean("regoin", ["region", "title"]) == "; did you mean `region`?"
    assert did_you_mean("zzz", ["region"]) == ""


SOURCES = '''---
title: T
summary: S.
region: latvia
themes: [smarter-europe]
organisation: O
level: local
published: "2021-03-15"
sources:
  - title: The good practice page
    url: https://www.interregeurope.eu/good-practices/x
  - title: ""
    url: ftp://example.org/file
  - {title: Press release, link: "https://example.org/"}
  - https://example.org/bare
expert_opinion: |
  The experts find it easy to transfer.

  A second paragraph.
---
''' + SECTIONS


def test_sources_and_expert_opinion_each_problem_at_its_own_line(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text(SOURCES, encoding="utf-8")
    doc, problems = load_document(path)
    assert problems == [] and doc.meta["expert_opinion"].startswith("The experts")
    assert messages(doc) == [
        "12: `sources`: source 2 has no `title`: name the page, e.g. its heading and who published it",
        "13: `sources`: source 2: `ftp://example.org/file` is not a web address; it must start with https:// (or http://)",
        "14: `sources`: source 3 has an unknown part `link`",
        "14: `sources`: source 3 has no `url`: give the address of the page, starting with https://",
        "15: `sources`: source 4 should give a `title` and a `url` on lines of their own",
    ]


@pytest.mark.parametrize("meta, expected", [
    ({"sources": "https://example.org/"}, "`sources`: should be a list: a line `- title: …` for each source, with `url: …` "
                                          "on the line below it, indented to line up with `title`"),
    ({"sources": [{"title": "A\x07", "url": "https://example.org/"}]},
     "`sources`: source 1 holds an invisible control character (U+0007) at position 2; delete it, as it would break the feed and the data files"),
    ({"sources": [{"title": "A", "url": "https://example.org/"}] * 21}, "`sources`: lists 21 sources; keep it to the 20 most useful"),
    ({"expert_opinion": ["a"]}, "`expert_opinion`: should be text; for several paragraphs write `|` after the colon and indent the text below it"),
    ({"expert_opinion": "x" * 3001}, "`expert_opinion`: is 3001 characters long; keep it to 3000"),
])
def test_sources_and_expert_opinion_mistakes(meta, expected):
    assert messages(practice(**meta)) == [f"7: {expected}"]


def test_valid_sources_and_expert_opinion():
    assert messages(practice(sources=[{"title": "A", "url": "http://example.org/"}], expert_opinion="Good.\n\nVery.")) == []


REGIONS = {"murcia": "Region of Murcia", "lower-austria": "Lower Austria", "latvia": "Latvia"}


@pytest.mark.parametrize("meta, expected", [
    ({"region": "region-de-murcia"}, "7: `region`: `region-de-murcia` is not a region in content/regions/; did you mean `murcia` (Region of Murcia)?"),
    ({"region": "Lower Austria"}, "7: `region`: `Lower Austria` is not a region in content/regions/; did you mean `lower-austria` (Lower Austria)?"),
    ({"region": "atlantis"}, "7: `region`: `atlantis` is not a region in content/regions/; choose one of `latvia` (Latvia), "
                             "`lower-austria` (Lower Austria), `murcia` (Region of Murcia)"),
    ({"keywords": "clusters, vouchers, skills"}, "7: `keywords`: is written as one text with commas; write a list in square "
                                                "brackets: `[clusters, vouchers, skills]`"),
    ({"themes": "smarter-europe, research-and-innovation"}, "7: `themes`: is written as one text with commas; write a list "
                                                            "in square brackets: `[smarter-europe, research-and-innovation]`"),
])
def test_messages_say_what_to_write(meta, expected):
    assert [f"{p.line}: {p.message}" for p in check_practice(practice(**meta), {**CONTEXT, "regions": REGIONS})] == [expected]


def test_a_misspelt_field_is_one_problem_at_its_key():
    doc = practice(organisation=None)
    doc.meta["organisaton"] = "Agency"
    doc.lines["organisaton"] = 9
    assert messages(doc) == ["9: unknown field `organisaton`; did you mean `organisation`?"]
