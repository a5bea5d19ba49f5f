"""Markdown bodies to safe HTML: Python-Markdown, then the nh3 allow-list sanitiser."""

from dataclasses import dataclass
from functools import partial
from html import unescape
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

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


@dataclass(frozen=True)
class Body:
    """A rendered body: safe HTML and the table of contents of its level-2 sections."""

    html: str
    toc: tuple[tuple[str, str], ...]


def converter() -> markdown.Markdown:
    """A Markdown converter with the portal's extensions; reuse it with `reset()`."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")


def render_body(text: str, static_url: str, md: markdown.Markdown | None = None) -> Body:
    """Markdown to sanitised HTML; images name files under `static/`, found at `static_url`."""
    md = md or converter()
    html = md.reset().convert(text)
    toc = tuple((token["id"], unescape(token["name"])) for token in md.toc_tokens if token["level"] == 2)
    return Body(sanitise(html, static_url), toc)


def sanitise(html: str, static_url: str) -> str:
    """Keep only allow-listed tags and attributes; external links get `rel=noopener noreferrer`."""
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, url_schemes=SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True,
        attribute_filter=lambda tag, attribute, value: image_source(value, static_url) if (tag, attribute) == ("img", "src") else value,
    )


def image_source(value: str, static_url: str) -> str | None:
    """A body image's address: a path under `static/`; other sites' images are dropped (privacy)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("/") or ".." in value.split("/"):
        return None
    return static_url + value


def render_bodies(documents, static_url: str, cache=None, jobs: int = 1) -> dict[str, Body]:
    """The rendered body of each document, keyed by its path; cached bodies are reused, the rest spread over `jobs`."""
    keys = {str(doc.path): cache.key("body", static_url, doc.body) for doc in documents} if cache else {}
    bodies = {path: cache.get("body", key) for path, key in keys.items()}
    missing = [doc for doc in documents if bodies.get(str(doc.path)) is None]
    rendered = run_chunks(partial(render_texts, static_url=static_url), [doc.body for doc in missing], jobs)
    for doc, body in zip(missing, rendered):
        bodies[str(doc.path)] = body
        if cache:
            cache.put("body", keys[str(doc.path)], body)
    return {str(doc.path): bodies[str(doc.path)] for doc in documents}


def render_texts(texts: list[str], static_url: str) -> list[Body]:
    """Render Markdown texts with one converter (a worker's share)."""
    md = converter()
    return [render_body(text, static_url, md) for text in texts]
