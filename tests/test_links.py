"""builder.links: the link check gives the same answer in one process and over forked workers; pages are read as
the standard library's HTML parser reads them."""

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.config import Config
from builder.links import LINKS, Origin, Parsed, check_links, parse

CONFIG = Config(base_url="https://example.org/portal/")
ROOT = Path(__file__).resolve().parent.parent


def site(pages: int) -> dict[str, bytes]:
    """`pages` pages linking to each other by root paths, by relative paths and to anchors, one link broken each."""
    files = {}
    for number in range(pages):
        links = (f'<a href="/portal/p{(number + 1) % pages}/">next</a> <a href="../p{number}/#top">top</a> '
                 f'<a href="/portal/missing-{number % 3}/">gone</a> <a href="#nowhere">x</a>')
        files[f"p{number}/index.html"] = f'<!doctype html><h1 id="top">P{number}</h1>{links}'.encode()
    return files


def test_workers_and_one_process_find_the_same_broken_links():
    files = site(250)
    origins = {path: Origin("templates") for path in files}
    alone, shared = check_links(files, CONFIG, origins, jobs=1), check_links(files, CONFIG, origins, jobs=2)
    assert alone == shared
    # three missing pages and one missing anchor, each reported once for the templates that hold them
    assert sorted(problem.message.split(" (on ")[0] for problem in alone) == [
        "the link `#nowhere` points to `#nowhere`, which is not on that page",
        "the link `/portal/missing-0/` leads to no page or file of the site",
        "the link `/portal/missing-1/` leads to no page or file of the site",
        "the link `/portal/missing-2/` leads to no page or file of the site",
    ]


class StandardParser(HTMLParser):
    """The standard library's reading of a page's ids and links: what `links.parse` must agree with."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag, attrs):
        """Record ids, anchor names and link URLs, as `links.parse` does."""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.parsed.ids.append((value, self.getpos()[0]))
            elif (tag, name) in LINKS and value.strip():
                self.parsed.links.append((value.strip(), self.getpos()[0]))

    handle_startendtag = handle_starttag


def standard(text: str) -> Parsed:
    """The ids and links of `text` by html.parser."""
    parser = StandardParser()
    parser.feed(text)
    parser.close()
    return parser.parsed


TRICKY = [
    '<img alt="a > b" src="x.png"><a title=\'y>z\' href=y.html>y</a>',  # `>` inside quoted values
    '<!-- <a href="commented.html"> -->\n<a href="after.html">a</a>',
    '<script type="application/ld+json">{"a": "<a href=\\"in-script.html\\">"}</script><a href="#after">',
    '<style>a[href="x"] { color: red }</style>\n<A HREF="Upper.html" ID="Up">x</A>',
    '<a href="a&amp;b?c=1&#38;d">e</a> <h2 id="caf&eacute;">x</h2>',
    '<input checked id=box type=checkbox><h2 id>bare</h2><a href="">empty</a><a href="  spaced  ">s</a>',
    '<a\nhref="multi-line.html"\nid="m">x</a>\n\n<a name="old-style">o</a>',
    '<p>text with id="not-an-attribute" and href="nor-this"</p><br/><img src=/x.png/>',
    '<script src="app.js"></script><link rel="stylesheet" href="s.css"><form action="/search/"></form>',
    '<!doctype html><html lang="en"><!-- unclosed comment <a href="never.html">',
]


@pytest.mark.parametrize("text", TRICKY)
def test_parse_reads_tricky_markup_as_the_standard_parser_does(text):
    expected = standard(text)
    assert (parse(text).ids, parse(text).links) == (expected.ids, expected.links)


def test_parse_reads_every_page_of_the_built_site_as_the_standard_parser_does(served_site):
    _, folder = served_site
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        expected = standard(text)
        assert (parse(text).ids, parse(text).links) == (expected.ids, expected.links), page


def test_markup_left_open_and_long_odd_links_are_read_at_once():
    """Backtracking patterns would take hours on these (and hang the build); the reader takes milliseconds."""
    code = (
        "from builder.config import Config\n"
        "from builder.links import parse, resolve\n"
        "for text in ['<a ' + 'b c ' * 40, '<a \"x\"' * 20000, '<a \"' + '<b ' * 20000 + '\"', '<a title=\"' + 'x' * 100000]:\n"
        "    parse(text)\n"
        "config = Config(base_url='https://example.org/portal/')\n"
        "for href in ['/' + 'a' * 40 + '<', 'https://example.org/' + 'a/' * 40 + '<']:\n"
        "    resolve(href, config.base_url, config)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
