"""Markdown bodies to safe HTML: Python-Markdown, then the nh3 allow-list sanitiser."""

import re
import string
from dataclasses import dataclass
from functools import partial
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import markdown.inlinepatterns
import nh3
from markdown.extensions.toc import slugify_unicode

from .deadline import run_limited
from .fidelity import differences
from .problems import ERROR, WARNING, Problem
from .sections import section_remarks, section_texts
from .validate import shown

class GitHubEscapes(markdown.Extension):
    """A backslash escapes any ASCII punctuation, and one at the end of a line is a line break, as on GitHub.

    pymdownx.escapeall does this too, but it also drops the backslash before letters (`C:\\Users`), which GitHub keeps.
    """

    def extendMarkdown(self, md):
        """Widen the escapable characters; register the break before the escapes, which would keep the backslash."""
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        md.inlinePatterns.register(BreakPattern(r"\\\n", md), "backslash-break", 185)


class BreakPattern(markdown.inlinepatterns.InlineProcessor):
    """`\\` and a line end to `<br>`."""

    def handleMatch(self, match, data):
        """A `<br>` element in place of the backslash and the line end."""
        return Element("br"), match.start(0), match.end(0)


# Configured to render what GitHub's preview (cmark-gfm) renders wherever configuration can; bench/fidelity.py
# measures each choice. Footnotes, heading ids, definition lists and abbreviations are the portal's own extras.
EXTENSIONS = [
    "tables", "footnotes", "fenced_code", "def_list", "abbr", "toc", "pymdownx.fancylists", "pymdownx.magiclink",
    "pymdownx.tilde", "pymdownx.tasklist", "pymdownx.saneheaders", "pymdownx.betterem", GitHubEscapes(),
]
EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode, "toc_depth": "1-6"}, "footnotes": {"UNIQUE_IDS": False},
    "tables": {"use_align_attribute": True},
    "pymdownx.fancylists": {"additional_ordered_styles": []},  # `1)` as GitHub; no `a.` or `i.` lists, which it has not
    "pymdownx.tilde": {"subscript": False},  # GitHub has `~~strike~~` only
}
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "abbr", "div", "del", "ins", "s", "small", "mark", "span", "figure", "figcaption", "input",
}
ATTRIBUTES = {
    "a": {"href", "title", "id"}, "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"}, "li": {"id"}, "sup": {"id"}, "ol": {"start"}, "th": {"scope", "align"}, "td": {"align"},
    "input": {"type", "checked"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}, "ul": {"task-list"}, "ol": {"task-list"},
           "li": {"task-list-item"}}
SCHEMES = {"http", "https", "mailto"}


CLEAN_CONTENT = {"script", "style", "template", "textarea", "select", "svg", "math", "noscript", "iframe",
                 "object", "embed", "title", "xmp", "noembed", "noframes"}
REMOVED = CLEAN_CONTENT | {"form", "button", "link", "meta", "base", "frame", "frameset", "applet", "audio", "video", "source"}
IMAGE = re.compile(r'<img((?: [a-z0-9_:-]+="[^"]*")*)>')
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
ATTRIBUTE = re.compile(r' ([a-z0-9_:-]+)="([^"]*)"')
INPUT = re.compile(r'<input((?: [a-z0-9_:-]+="[^"]*")*)>')
ALIGN = re.compile(r'<(t[hd])((?: [a-z]+="[^"]*")*?) align="(left|center|right)"')
ANCHOR = re.compile(r'<h2 id="([^"]*)"')


@dataclass(frozen=True)
class Body:
    """A rendered body: safe HTML, its level-2 sections, and notes on what sanitising changed.

    Each note is (text to find in the source, message, severity), so the build can name its line.
    `headings` are the engine's own (level, title) of every heading; `differences` are (line in the
    body, message) where GitHub's preview shows the text otherwise (see fidelity.py). `remarks` are all
    of these as (line in the body, message, severity), and `section_remarks` those on the standard
    sections, which only a practice has: worked out where the body renders, and cached with it.
    """

    html: str
    toc: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str, str], ...] = ()
    headings: tuple[tuple[int, str], ...] = ()
    differences: tuple[tuple[int, str], ...] = ()
    texts: tuple[tuple[str, str], ...] = ()  # (section title, its plain text), for the open data
    remarks: tuple[tuple[int, str, str], ...] = ()
    section_remarks: tuple[tuple[int, str, str], ...] = ()


def converter() -> markdown.Markdown:
    """A Markdown converter with the portal's extensions; reuse it with `reset()`."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")


TOO_COMPLEX = ("the text is too complex to render (for example thousands of `[`, `>` or `*` in a row); "
               "simplify it")


def render_body(text: str, static_url: str, md: markdown.Markdown | None = None, sizes: dict | None = None) -> Body:
    """Markdown to sanitised HTML; images name files under `static/`, found at `static_url`, of the given `sizes`."""
    md = md or converter()
    try:
        html = md.reset().convert(text)
    except RecursionError:
        return refuse(text)
    headings = tuple((token["level"], unescape(token["name"])) for token in flat(md.toc_tokens))
    clean = sanitise(html, static_url, sizes or {})
    # Only anchors that survived sanitising: the table of contents links to what is really on the page.
    anchors = set(ANCHOR.findall(clean))
    toc = tuple((token["id"], unescape(token["name"])) for token in flat(md.toc_tokens)
                if token["level"] == 2 and token["id"] in anchors)
    notes, changed = inspect(html), differences(text, html, comparable)
    return Body(clean, toc, notes, headings, changed, tuple(section_texts(clean).items()), remarks(text, notes, changed),
                tuple(section_remarks(text, headings)) if clean else ())


def flat(tokens: list[dict]) -> list[dict]:
    """The engine's nested table-of-contents tokens, in document order."""
    return [item for token in tokens for item in [token, *flat(token["children"])]]


def sanitise(html: str, static_url: str, sizes: dict | None = None) -> str:
    """Keep only allow-listed tags and attributes; external links get `rel=noopener noreferrer`."""
    clean = nh3.clean(
        html, tags=TAGS, clean_content_tags=CLEAN_CONTENT, attributes=ATTRIBUTES, allowed_classes=CLASSES,
        url_schemes=SCHEMES, link_rel="noopener noreferrer", strip_comments=True,
        attribute_filter=partial(allowed_value, static_url=static_url),
    )
    clean = ALIGN.sub(r'<\1\2 class="align-\3"', INPUT.sub(finish_checkbox, clean))
    return IMAGE.sub(partial(finish_image, static_url=static_url, sizes=sizes or {}), clean)


def comparable(html: str, sourced: bool) -> str:
    """HTML as the sanitiser leaves it, for comparing with GitHub's (`sourced`: keeping cmark-gfm's source positions)."""
    attributes = {**ATTRIBUTES, "*": {"data-sourcepos"}} if sourced else ATTRIBUTES
    return nh3.clean(html, tags=TAGS | {"section"}, clean_content_tags=CLEAN_CONTENT, attributes=attributes,
                     allowed_classes={**CLASSES, "section": {"footnotes"}}, url_schemes=SCHEMES, strip_comments=True, link_rel=None)


def allowed_value(tag: str, attribute: str, value: str, static_url: str) -> str | None:
    """An attribute's value as published: image sources under static/, known alignments only."""
    if (tag, attribute) == ("img", "src"):
        return image_source(value, static_url)
    if attribute == "align":
        return value if value in ("left", "center", "right") else None
    return value


def finish_checkbox(match: re.Match) -> str:
    """A task-list box, shown as on GitHub: disabled, named for screen readers; any other input is removed."""
    attributes = dict(ATTRIBUTE.findall(match[1]))
    if attributes.get("type") != "checkbox":
        return ""
    done = "checked" in attributes
    return f'<input type="checkbox" disabled{" checked" if done else ""} aria-label="{"done" if done else "not done"}">'


def finish_image(match: re.Match, static_url: str, sizes: dict) -> str:
    """An image left without a source (it was on another site) becomes its alt text; a missing alt becomes empty.

    Images get their file's width and height and load lazily, as the front-matter image does.
    nh3's output is canonical (double-quoted values, `"` escaped), so the pattern reads it exactly.
    """
    attributes = dict(ATTRIBUTE.findall(match[1]))
    if "src" not in attributes:
        return escape(unescape(attributes.get("alt", "")), quote=False)
    extra = "" if "alt" in attributes else ' alt=""'
    size = sizes.get(unescape(attributes["src"]).removeprefix(static_url))
    if size and "width" not in attributes and "height" not in attributes:
        extra += f' width="{size[0]}" height="{size[1]}"'
    return match[0][:-1] + extra + ' loading="lazy" decoding="async">'


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
        if tag in REMOVED or (tag == "input" and dict(attrs).get("type") != "checkbox"):
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


def render_bodies(documents, static_url: str, cache=None, jobs: int = 1, sizes: dict | None = None) -> dict[str, Body]:
    """The rendered body of each document, keyed by its path; cached bodies are reused, the rest spread over `jobs`.

    Each body renders in a worker process within `deadline.LIMIT` seconds, or is refused as too complex.
    `sizes` gives the (width, height) of images under static/, by path.
    """
    sizes = sizes or {}
    images = repr(sorted(sizes.items()))
    keys = {str(doc.path): cache.key("body", static_url, images, doc.body) for doc in documents} if cache else {}
    bodies = {path: body_from(cache.get("body", key)) for path, key in keys.items()}
    missing = [doc for doc in documents if bodies.get(str(doc.path)) is None]
    rendered = run_limited(partial(render_limited, static_url=static_url, sizes=sizes), [doc.body for doc in missing],
                           refuse, jobs)
    for doc, body in zip(missing, rendered):
        bodies[str(doc.path)] = body
        if cache and not any(severity == ERROR for _, _, severity in body.notes):  # a refusal may be the load's
            cache.put("body", keys[str(doc.path)], [body.html, *([list(item) for item in part] for part in (
                body.toc, body.notes, body.headings, body.differences, body.texts, body.remarks, body.section_remarks))])
    return {str(doc.path): bodies[str(doc.path)] for doc in documents}


def body_from(value) -> Body | None:
    """A body from its cached form ([html, toc, notes, headings, differences, texts, remarks, section remarks]
    of plain lists), or None when it is not one."""
    try:
        html, toc, notes, headings, differences, texts, remarks, section_remarks = value
        return Body(str(html), tuple((str(a), str(b)) for a, b in toc), tuple((str(a), str(b), str(c)) for a, b, c in notes),
                    tuple((int(a), str(b)) for a, b in headings), tuple((int(a), str(b)) for a, b in differences),
                    tuple((str(a), str(b)) for a, b in texts), tuple((int(a), str(b), str(c)) for a, b, c in remarks),
                    tuple((int(a), str(b), str(c)) for a, b, c in section_remarks))
    except (TypeError, ValueError):
        return None


CONVERTERS: list[markdown.Markdown] = []  # one per worker process, made on its first body


def render_limited(text: str, static_url: str, sizes: dict) -> Body:
    """Render one text with this process's converter (a worker's item)."""
    if not CONVERTERS:
        CONVERTERS.append(converter())
    return render_body(text, static_url, CONVERTERS[0], sizes)


def refuse(text: str) -> Body:
    """The body of a text that took too long to render: nothing, and an error for the editor."""
    return Body("", (), (("", TOO_COMPLEX, ERROR),), remarks=((0, TOO_COMPLEX, ERROR),))


def body_problems(doc, body: Body, practice: bool) -> list[Problem]:
    """Everything to tell the editor about a rendered body: what sanitising removed, where GitHub's preview
    shows it otherwise, and (for a practice) its standard sections; at the lines of the document."""
    found = body.remarks + (body.section_remarks if practice else ())
    return [Problem(doc.name, doc.body_line + line, message, severity) for line, message, severity in found]


def remarks(text: str, notes, changed) -> tuple[tuple[int, str, str], ...]:
    """The notes, each at the first line of the body that holds its text, then the differences from GitHub's preview."""
    lines = text.casefold().split("\n") if notes else []
    located = [(next((number for number, line in enumerate(lines) if needle and needle.casefold() in line), 0), message, severity)
               for needle, message, severity in notes]
    return tuple(located + [(line - 1, message, WARNING) for line, message in changed])
