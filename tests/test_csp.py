"""The bundled site: a Content-Security-Policy first in every page's head, and nothing inline for it to block."""

import shutil
from pathlib import Path

import pytest

from builder.build import Paths, build
from hostile import ROOT, config, inline_code

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled content built with search; `style.css` stands in when the project has none yet."""
    folder = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "static", folder / "static")
    if not (folder / "static" / "style.css").exists():
        (folder / "static" / "style.css").write_text("/* stand-in */\n", encoding="utf-8")
    build(Paths(ROOT / "content", ROOT / "templates", folder / "static", folder / "site"), config())
    return folder / "site"


def pages(site: Path) -> list[Path]:
    """Every HTML file of the site, Pagefind's own included."""
    found = sorted(site.rglob("*.html"))
    assert len(found) > 40
    return found


def test_every_page_starts_its_head_with_the_policy(bundled_site):
    for page in pages(bundled_site):
        head = page.read_text(encoding="utf-8").split("<head>", 1)[1].split("</head>", 1)[0]
        first = head.strip().split("\n", 1)[0]
        assert first == f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', page
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in head, page


def test_no_file_of_the_site_holds_inline_script_style_or_handlers(bundled_site):
    found = {}
    for path in sorted(bundled_site.rglob("*")):
        if path.suffix in (".html", ".xml", ".svg"):
            problems = inline_code(path.read_text(encoding="utf-8"))
            if problems:
                found[path.relative_to(bundled_site).as_posix()] = problems
    assert found == {}


def test_the_scanner_sees_what_it_must_refuse():
    html = ('<script>x()</script><script src="/a.js"></script><script type="application/ld+json">{}</script>'
            '<style>p{}</style><p style="x" onclick="y()"><a href=" javascript:z()">a</a><form action="vbscript:q">')
    assert inline_code(html) == [
        "line 1: inline <script>", "line 1: <style> element", "line 1: style= attribute on <p>",
        "line 1: onclick= attribute on <p>", "line 1: href=' javascript:z()' on <a>", "line 1: action='vbscript:q' on <form>",
    ]


def test_json_ld_cannot_be_broken_out_of():
    """A JSON-LD block whose text closes the script element shows up as inline script after it."""
    html = '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>'
    assert inline_code(html) == ["line 1: inline <script>"]
    escaped = '<script type="application/ld+json">{"name": "\\u003c/script\\u003e\\u003cscript\\u003e"}</script>'
    assert inline_code(escaped) == []
