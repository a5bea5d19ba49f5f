"""The web editor at /admin/: the vendored Sveltia CMS, its configuration from the schema, its own CSP, in Chromium."""

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.admin import CSP, SCRIPT, VERSION, admin_files
from builder.build import Paths, build_model, check_content
from builder.config import load_config
from builder.schema import PRACTICE, REGION, SECTIONS
from conftest import ROOT, free_port, serve_folder

PACKAGE = ROOT / "node_modules" / "@sveltia" / "cms"
REPOSITORY = "https://github.com/someone/their-portal"


def node_modules(path: Path) -> Path:
    """A file that `npm ci` installs; missing fails on CI and skips elsewhere."""
    if not path.exists():
        message = f"{path.relative_to(ROOT)} is missing: run `npm ci --no-audit --no-fund`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def site():
    """The bundled site's model, for a portal whose repository is on GitHub."""
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static", Path("unused"))
    config = replace(load_config(ROOT / "pyproject.toml"), repository=REPOSITORY, branch="main")
    return build_model(check_content(paths), paths, config)


@pytest.fixture(scope="module")
def config(site) -> dict:
    """The generated CMS configuration, as the site serves it."""
    return yaml.safe_load(admin_files(site)["admin/config.yml"])


def test_the_vendored_script_is_the_pinned_npm_package_file():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["@sveltia/cms"]
    installed = json.loads(node_modules(PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned == VERSION, "bump builder/admin.py's VERSION with the pin in package.json"
    assert SCRIPT.read_bytes() == (PACKAGE / "dist" / "sveltia-cms.js").read_bytes(), (
        "builder/data/sveltia-cms.js differs from the npm package: copy node_modules/@sveltia/cms/dist/sveltia-cms.js")


def test_the_configuration_is_valid_for_the_cms(config):
    schema = json.loads(node_modules(PACKAGE / "schema" / "sveltia-cms.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert [error.message for error in validator.iter_errors(config)] == []
    broken = {**config, "publish_mode": "straight-to-main", "backend": {"name": "github"}}
    assert len(list(validator.iter_errors(broken))) >= 2, "the schema must catch a broken configuration"


def test_the_configuration_follows_the_schema(config, site):
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {"name": "github", "repo": "someone/their-portal", "branch": "main", "auth_methods": ["token"]}
    practices, regions = config["collections"]
    assert (practices["folder"], regions["folder"]) == ("content/practices", "content/regions")
    fields = {field["name"]: field for field in practices["fields"]}
    assert list(fields) == [field.name for field in PRACTICE] + ["body"]
    for field in PRACTICE:
        assert (fields[field.name]["hint"], fields[field.name]["required"]) == (field.help, field.required)
        assert fields[field.name]["label"]
    assert fields["level"]["options"] == ["national", "regional", "local"]
    assert fields["status"]["options"] == ["validated", "submitted"]
    assert [option["value"] for option in fields["region"]["options"]] == [region.slug for region in site.regions]
    assert [option["value"] for option in fields["themes"]["options"]] == [theme.id for theme in site.themes]
    assert (fields["themes"]["min"], fields["themes"]["max"]) == (1, 3)
    headings = [line[3:] for line in fields["body"]["default"].splitlines() if line.startswith("## ")]
    assert headings == list(SECTIONS)
    assert [field["name"] for field in regions["fields"]] == [field.name for field in REGION] + ["body"]


def test_the_editor_is_optional_and_needs_a_github_repository(site):
    assert set(admin_files(site)) == {"admin/index.html", "admin/config.yml", "admin/sveltia-cms.js", "admin/LICENSE.txt"}
    assert admin_files(replace(site, config=replace(site.config, admin=False))) == {}
    assert admin_files(replace(site, config=replace(site.config, repository=""))) == {}


def test_admin_is_left_out_of_sitemap_search_and_link_checks(site):
    from builder.links import check_links
    from builder.render import render_site

    files = render_site(site, ROOT / "templates")
    assert "admin/index.html" in files
    assert b"/admin/" not in files["sitemap.xml"]
    page = files["admin/index.html"].decode()
    assert f'content="{CSP}"' in page and 'name="robots" content="noindex, nofollow"' in page
    assert 'data-pagefind-ignore="all"' in page and "data-pagefind-body" not in page
    files["admin/index.html"] = page.replace('src="sveltia-cms.js"', 'src="gone.js"').encode()
    files["about/index.html"] += b'<a href="/no-such-page/">x</a>'  # the same check does see a broken link elsewhere
    problems = [str(problem) for problem in check_links(files, site.config, {})]
    assert any("/no-such-page/" in problem for problem in problems) and not any("gone.js" in p or "admin/" in p for p in problems)


def cms_file(entry: dict) -> str:
    """A practice file as Sveltia CMS 0.221 writes it: npm `yaml` with the CMS's own options (from its source)."""
    script = ("const YAML = require('yaml'); let e = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "const body = e.body; delete e.body;"
              "const text = YAML.stringify(e, null, {indent: 2, indentSeq: true, lineWidth: 0, defaultKeyType: 'PLAIN',"
              " defaultStringType: 'PLAIN', singleQuote: true}).trim();"
              "process.stdout.write(`---\\n${text}\\n---\\n` + (body ? `\\n${body}\\n` : ''));")
    node_modules(ROOT / "node_modules" / "yaml")
    result = subprocess.run(["node", "-e", script], input=json.dumps(entry), capture_output=True, text=True, cwd=ROOT, check=True)
    return result.stdout


def test_a_practice_written_the_way_the_cms_writes_it_passes_check(content_copy, config):
    body = "\n".join(f"## {section}\n\nText: with a colon, 'quotes' and #hash.\n" for section in SECTIONS)
    entry = {"title": "Smart Factory: Kraków \"4.0\"", "summary": "Yes: it's a test, #1 in 2024-05.", "region": "lower-austria",
             "themes": ["research-and-innovation", "sme-competitiveness"], "organisation": "NO - Norsk & Co.",
             "level": "regional", "published": "2024-05-01", "start": "2018", "end": "2023-06", "status": "submitted",
             "expert_opinion": "First paragraph: it works.\n\nSecond paragraph, 'quoted'.",
             "keywords": ["yes", "no", "null", "3.0"], "website": "https://example.org/a?b=c#d",
             "sources": [{"title": "Good practice page: Interreg Europe", "url": "https://www.interregeurope.eu/good-practices"}],
             "contact": {"name": "O'Brien", "email": "info@example.org"}, "location": {"lat": 48.2, "lon": 16.37},
             "body": body}
    text = cms_file(entry)
    assert "- research-and-innovation" in text and "start: '2018'" in text  # the CMS's layout, not ours
    path = content_copy / "practices" / "smart-factory-krakow-4-0.md"
    path.write_text(text, encoding="utf-8")
    paths = Paths(content_copy, ROOT / "templates", ROOT / "static", Path("unused"))
    content = check_content(paths, only=[path])
    assert content.problems == []
    doc = next(doc for doc in content.practices if doc.path == path)
    assert doc.meta["keywords"] == ["yes", "no", "null", "3.0"] and doc.meta["title"] == entry["title"]


@pytest.fixture(scope="module")
def served_admin(tmp_path_factory, site):
    """The site with its editor, served at /portal/, and a copy whose CMS configuration is broken at /broken/."""
    from conftest import build_into

    port, root = free_port(), tmp_path_factory.mktemp("admin")
    with pytest.MonkeyPatch.context() as patch:  # as the Pages workflow builds it
        patch.setenv("GITHUB_REPOSITORY", "someone/their-portal")
        build_into(ROOT / "content", root / "portal", f"http://127.0.0.1:{port}/portal/")
    shutil.copytree(root / "portal" / "admin", root / "broken" / "admin")
    broken = root / "broken" / "admin" / "config.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("repo: someone/their-portal", "repo: 42"), encoding="utf-8")
    server = serve_folder(root, port)
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


def open_admin(browser, url: str):
    """The admin page with every request outside 127.0.0.1 recorded and blocked; returns (page, outside, blocked by CSP)."""
    page, outside, refused = browser.new_page(), [], []
    site = url.split("/admin/")[0].rsplit("/", 1)[0] + "/"
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site)
               else (outside.append(route.request.url), route.abort()))
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(url)
    return page, outside, refused


def test_the_editor_loads_from_the_site_and_reaches_only_githubs_api(browser, served_admin):
    from playwright.sync_api import expect

    page, outside, refused = open_admin(browser, served_admin + "portal/admin/")
    expect(page.get_by_role("button", name="Sign In Using Access Token")).to_be_visible(timeout=15000)
    assert "errors in the CMS configuration" not in page.inner_text("body")
    assert outside == [], "the editor must load everything from the site itself"
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.locator("input").first.fill("github_pat_test_only")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_timeout(1500)  # the sign-in request goes out at once; the test blocks it
    assert outside and all(url.startswith("https://api.github.com/") for url in outside), outside
    # What the CMS would fetch from elsewhere (CDN fonts, an update check, GitHub's status page), its CSP refuses.
    assert refused and not any("api.github.com" in message.split("violates")[0] for message in refused)
    page.close()


def test_a_broken_configuration_shows_the_cms_error(browser, served_admin):
    from playwright.sync_api import expect

    page, outside, _ = open_admin(browser, served_admin + "broken/admin/")
    expect(page.get_by_text("There are errors in the CMS configuration")).to_be_visible(timeout=15000)
    assert outside == []
    page.close()
