"""Ranking in Chromium: a practice whose title holds the query comes before one that only mentions it.

A fixed set of queries against the bundled practices, plus two test practices built beside them:
one with the word only in its title, one that uses the word again and again in its text.
"""

import shutil

import pytest
from playwright.sync_api import expect

from conftest import ROOT, build_into, free_port, serve_folder

SECTIONS = ["Description", "Resources needed", "Evidence of success", "Difficulties encountered",
            "Potential for learning or transfer"]

# The query, and the slug of the practice that must come first.
EXPECTED_FIRST = [
    ("hackathons", "cross-industry-hackathons"),
    ("monitoring", "lower-austrian-cluster-programme"),
    ("centrope", "centrope-innovation-voucher"),
    ("technopol", "technopol-programme"),
    ("open data", "open-data-for-business-development"),
    ("ecosystem", "ecosystem-approach-to-innovation-support"),
    ("shared services", "business-and-shared-services-centre-of-fundao"),
    ("wood", "in4wood-e-learning"),
    ("accreditation", "hungarian-cluster-accreditation-system"),
    ("showroom", "am-lab-showroom"),
    ("greentech", "clust-er-greentech"),
    ("business support", "business-support-organisation-in-cluster-support"),
    ("hydrogen", "test-title-only"),
    ("electrolyser", "test-title-only"),
]


def practice_file(title: str, summary: str, paragraph: str) -> str:
    """A valid practice whose five sections all hold `paragraph`."""
    body = "".join(f"## {section}\n\n{paragraph}\n\n" for section in SECTIONS)
    return (f'---\ntitle: "{title}"\nsummary: "{summary}"\nregion: posavje\nthemes:\n  - low-carbon-economy\n'
            f'organisation: "A test organisation"\nlevel: regional\npublished: "2021-05-04"\n---\n{body}')


@pytest.fixture(scope="module")
def ranked_site(tmp_path_factory):
    """The bundled content and the two test practices, built and served under /portal/."""
    content = shutil.copytree(ROOT / "content", tmp_path_factory.mktemp("ranking") / "content")
    practices = content / "practices"
    (practices / "test-title-only.md").write_text(practice_file(
        "Hydrogen electrolyser pilot", "A pilot project of regional firms and a university.",
        "Firms and a university run a pilot together and share what they learn with the region."), encoding="utf-8")
    (practices / "test-mentions-only.md").write_text(practice_file(
        "Regional energy programme", "The programme funds hydrogen, hydrogen storage and electrolyser projects.",
        "Hydrogen buses, hydrogen refuelling, green hydrogen from an electrolyser and hydrogen storage: the "
        "hydrogen projects of the programme, and the electrolyser of each hydrogen site."), encoding="utf-8")
    port = free_port()
    root = tmp_path_factory.mktemp("ranked-served")
    base_url = f"http://127.0.0.1:{port}/portal/"
    build_into(content, root / "portal", base_url)
    server = serve_folder(root, port)
    yield base_url
    server.shutdown()


@pytest.mark.parametrize("query, slug", EXPECTED_FIRST)
def test_the_practice_named_by_the_query_comes_first(ranked_site, page, query, slug):
    page.goto(f"{ranked_site}search/?q={query}")
    expect(page.locator(".search-results")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#search-list h3 a").first).to_have_attribute("href", f"/portal/practices/{slug}/")
    assert page.problems == []


def test_the_mentions_only_practice_is_found_too(ranked_site, page):
    page.goto(f"{ranked_site}search/?q=hydrogen")
    expect(page.locator(".search-results")).to_have_attribute("aria-busy", "false")
    hrefs = page.locator("#search-list h3 a").evaluate_all("(links) => links.map((link) => link.getAttribute('href'))")
    assert hrefs[:2] == ["/portal/practices/test-title-only/", "/portal/practices/test-mentions-only/"]
