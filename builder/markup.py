"""Markdown bodies to safe HTML: Python-Markdown, then the nh3 allow-list sanitiser."""

import re
from dataclasses import dataclass
from functools import partial
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from .faults import handling
from .problems import ERROR, WARNING, Problem
from .validate import shown
from .workers import run_chunks

EXTENSIONS = ["tables", "footnotes", "fenced_code", "sane_lists", "def_list", "abbr", "toc"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "toc_depth": "2"}, "footnotes": {"UNIQUE_IDS": False}}
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "abbr", "div", "del", "ins", "s", "small", "mark", "span", "figure", "figcaption",
}
ATTRIBUTES = {
    "a": {"href", "title", "id"}, "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"}, "li": {"id"}, "sup": {"id"}, "ol": {"start"}, "th": {"scope"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
SCHEMES = {"http", "https", "mailto"}


CLEAN_CONTENT = {"script", "style", "template", "textarea", "select", "svg", "math", "noscript", "iframe",
                 "object", "embed", "title", "xmp", "noembed", "noframes"}
REMOVED = CLEAN_CONTENT | {"form", "input", "button", "link", "meta", "base", "frame", "frameset", "applet", "audio", "video", "source"}
IMAGE = re.compile(r'<img((?: [a-z0-9_:-]+="[^"]*")*)>')
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
ATTRIBUTE = re.compile(r' ([a-z0-9_:-]+)="([^"]*)"')
ANCHOR = re.compile(r'<h2 id="([^"]*)"')


@dataclass(frozen=True)
class Body:
    """A rendered body: safe HTML, its level-2 sections, and notes on what sanitising changed.

    Each note is (text to find in the source, message, severity), so the build can name its line.
    """

    html: str
    toc: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str, str], ...] = ()


def converter() -> markdown.Markdown:
    """A Markdown converter with the portal's extensions; reuse it with `reset()`."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")


def render_body(text: str, static_url: str, md: markdown.Markdown | None = None) -> Body:
    """Markdown to sanitised HTML; images name files under `static/`, found at `static_url`."""
    md = md or converter()
    try:
        html = md.reset().convert(text)
    except RecursionError:
        return Body("", (), (("", "the text is nested too deeply to read (a character such as `>`, `*` or `[` "
                                  "repeated thousands of times); simplify it", ERROR),))
    clean = sanitise(html, static_url)
    # Only anchors that survived sanitising: the table of contents links to what is really on the page.
    anchors = set(ANCHOR.findall(clean)) if md.toc_tokens else set()
    toc = tuple((token["id"], unescape(token["name"])) for token in md.toc_tokens
                if token["level"] == 2 and token["id"] in anchors)
    return Body(clean, toc, inspect(html))


def sanitise(html: str, static_url: str) -> str:
    """Keep only allow-listed tags and attributes; external links get `rel=noopener noreferrer`."""
    clean = nh3.clean(
        html, tags=TAGS, clean_content_tags=CLEAN_CONTENT, attributes=ATTRIBUTES, allowed_classes=CLASSES,
        url_schemes=SCHEMES, link_rel="noopener noreferrer", strip_comments=True,
        attribute_filter=lambda tag, attribute, value: image_source(value, static_url) if (tag, attribute) == ("img", "src") else value,
    )
    return IMAGE.sub(finish_image, clean)


def finish_image(match: re.Match) -> str:
    """An image left without a source (it was on another site) becomes its alt text; a missing alt becomes empty.

    nh3's output is canonical (double-quoted values, `"` escaped), so the pattern reads it exactly.
    """
    attributes = dict(ATTRIBUTE.findall(match[1]))
    if "src" not in attributes:
        return escape(unescape(attributes.get("alt", "")), quote=False)
    if "alt" not in attributes:
        return match[0][:-1] + ' alt="">'
    return match[0]


def image_source(value: str, static_url: str) -> str | None:
    """A body image's address: a path under `static/`; other sites' images are dropped (privacy)."""
    try:
        parts = urlsplit(value)
    except ValueError:  # `http://[::1/`: no browser could load it either
        return None
    if parts.scheme or parts.netloc or value.startswith("/") or "\\" in value or ".." in value.split("/"):
        return None
    return static_url + value


class Inspector(HTMLParser):
    """Notes on what the sanitiser will remove from the Markdown output, for editors and reviewers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.notes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        """Note removed elements, event handlers, styles, unsafe links, outside images and missing alt texts."""
        if tag in REMOVED:
            self.notes.append((f"<{tag}", f"the HTML element `<{tag}>` is not allowed in the text and was removed", WARNING))
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.notes.append((name, f"the HTML attribute `{name}` is not allowed in the text and was removed", WARNING))
            elif name in ("href", "src") and value and unsafe_scheme(value):
                self.notes.append((value[:12], f"the link `{shown(value, 40)}` was removed: only https, http and mailto links are allowed", WARNING))
        values = dict(attrs)
        if tag == "img" and values.get("src") and image_source(values["src"], "") is None and not unsafe_scheme(values["src"]):
            self.notes.append((values["src"], f"the image `{shown(values['src'])}` is not a file in static/, so only its text is shown; "
                                              "add the file to static/ and write its path, such as images/photo.jpg", WARNING))
        if tag == "img" and "alt" not in values:
            self.notes.append(("<img", "an image has no `alt` text; describe what it shows for readers who cannot see it", WARNING))

    handle_startendtag = handle_starttag


def unsafe_scheme(url: str) -> bool:
    """Whether a URL has a scheme other than http, https and mailto, read as browsers do (WHATWG URL)."""
    compact = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    match = SCHEME.match(compact)
    return bool(match) and match[1].lower() not in SCHEMES


def inspect(html: str) -> tuple[tuple[str, str, str], ...]:
    """The notes on one body's Markdown output; each note once."""
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return tuple(dict.fromkeys(inspector.notes))


def render_bodies(documents, static_url: str, cache=None, jobs: int = 1) -> dict[str, Body]:
    """The rendered body of each document, keyed by its path; cached bodies are reused, the rest spread over `jobs`."""
    keys = {str(doc.path): cache.key("body", static_url, doc.body) for doc in documents} if cache else {}
    bodies = {path: cache.get("body", key) for path, key in keys.items()}
    missing = [doc for doc in documents if bodies.get(str(doc.path)) is None]
    rendered = run_chunks(partial(render_texts, static_url=static_url), [(doc.name, doc.body) for doc in missing], jobs)
    for doc, body in zip(missing, rendered):
        bodies[str(doc.path)] = body
        if cache:
            cache.put("body", keys[str(doc.path)], body)
    return {str(doc.path): bodies[str(doc.path)] for doc in documents}


def render_texts(texts: list[tuple[str, str]], static_url: str) -> list[Body]:
    """Render (file name, Markdown text) pairs with one converter (a worker's share)."""
    md, bodies = converter(), []
    for name, text in texts:
        with handling(name):
            bodies.append(render_body(text, static_url, md))
    return bodies


def note_problems(doc, body: Body) -> list[Problem]:
    """A body's notes as problems, each at the first line of the document's body that holds its text."""
    lines = doc.body.casefold().split("\n")
    problems = []
    for needle, message, severity in body.notes:
        found = next((number for number, line in enumerate(lines) if needle and needle.casefold() in line), 0)
        problems.append(Problem(doc.name, doc.body_line + found, message, severity))
    return problems
