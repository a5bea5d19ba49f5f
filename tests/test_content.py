"""The bundled content (content/): sourced practices, and the project link claimed only where sources confirm it."""

import re

from builder.build import Paths, build_model, check_content
from builder.config import Config
from builder.render import render_site
from test_golden import ROOT

# INNO INDUSTRY practices whose exchange in the project ../shared/CONTENT-SOURCES.md (section C1) confirms:
# rows 1-11. Row 13 (Bits IT school) is a name only and is left out; rows 12 and 14 are not confirmed.
CONFIRMED = {
    "house-of-digitalisation", "lower-austrian-cluster-programme", "small-scale-incentives-for-smes-vouchers",
    "kickstart-digitalisation", "industry-4-0-model-factory", "in4wood-e-learning", "open-data-for-business-development",
    "ecosystem-approach-to-innovation-support", "cross-industry-hackathons",
    "business-and-shared-services-centre-of-fundao", "business-support-organisation-in-cluster-support",
}


def bundled_site():
    """The model of the bundled content."""
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static", ROOT / "unused")
    content = check_content(paths)
    assert [problem for problem in content.problems if problem.severity == "error"] == []
    return build_model(content, paths, Config()), paths


def test_every_practice_names_its_sources():
    site, _ = bundled_site()
    unsourced = [practice.slug for practice in site.practices if not practice.sources]
    assert unsourced == [], "every bundled practice needs `sources`"


def test_the_project_is_claimed_only_where_the_sources_confirm_it():
    site, _ = bundled_site()
    claimed = {practice.slug for practice in site.practices if practice.project == "INNO INDUSTRY"}
    assert claimed <= CONFIRMED, f"not confirmed as exchanged in INNO INDUSTRY: {sorted(claimed - CONFIRMED)}"
    assert claimed == CONFIRMED, f"confirmed but not marked `project: INNO INDUSTRY`: {sorted(CONFIRMED - claimed)}"


def test_the_about_page_links_every_practice_of_the_project_and_no_other():
    site, paths = bundled_site()
    about = render_site(site, paths.templates)["about/index.html"].decode()
    listed = about[about.index('id="exchanged"'):about.index('id="texts"')]
    assert set(re.findall(r'href="/practices/([a-z0-9-]+)/"', listed)) == CONFIRMED


def test_a_practice_is_validated_only_with_the_experts_opinion():
    site, _ = bundled_site()
    assert [p.slug for p in site.practices if p.status == "validated" and not p.expert_opinion] == []
