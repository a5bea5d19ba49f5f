"""Checking links: every internal link and `#anchor` of the rendered site resolves; external ones on request.

Runs over the rendered pages' ids and links before the output is published. A broken link is a problem named
after where it came from: the content file whose text or field holds it, otherwise the template.
"""

import concurrent.futures
import functools
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

from .config import Config
from .problems import WARNING, Problem
from .validate import shown
from .workers import run_chunks

LINKS = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
         ("source", "src"), ("iframe", "src"), ("form", "action"), ("video", "src"), ("audio", "src")}
GENERATED = ("pagefind/",)  # written by the search indexer after rendering
USER_AGENT = "practice-portal-link-check/1 (+https://github.com/)"


@dataclass
class Parsed:
    """The ids and the links (URL, line) of one HTML file."""

    ids: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)

    def shared(self, pairs: dict) -> "Parsed":
        """The same ids and links, each pair the one object in `pairs` that equals it: pages repeat their
        navigation at the same lines, so 13,000 pages have a third as many different links as links."""
        return Parsed([pairs.setdefault(pair, pair) for pair in self.ids], [pairs.setdefault(pair, pair) for pair in self.links])


@dataclass
class Origin:
    """Where a page's links come from: its template, and the content document and body it shows, if any."""

    template: str
    document: object = None
    body_html: str = ""

    @functools.cached_property
    def body(self) -> Parsed:
        """The ids and links of the body the page shows: parsed only when a problem needs them."""
        return parse(self.body_html)

    @property
    def body_links(self) -> set[str]:
        """The links of the body."""
        return {href for href, _ in self.body.links}

    @property
    def body_ids(self) -> set[str]:
        """The ids of the body."""
        return {name for name, _ in self.body.ids}


# What matters of an HTML file here: start tags with attributes (a quoted value may hold `>`), each `<script>`
# and `<style>` with its raw text, and comments, whose text is skipped. Other markup is never matched. This
# reads the builder's own well-formed output as the standard library's parser does (tests/test_links.py
# compares them) at a fraction of its cost. The attributes are matched possessively and end at a `<` outside
# quotes, so a tag left open costs a short scan, never a search through every way to split it.
VALUES = r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+"""
TOKEN = re.compile(rf"""<!--.*?(?:-->|\Z)|<(script|style)\b({VALUES})>.*?(?:</\1\s*>|\Z)"""
                   rf"""|<([a-zA-Z][^\t\n\r\f />\x00]*)([\t\n\r\f /]{VALUES})>""", re.S | re.I)
ATTRIBUTE = re.compile(r"""([^\s/>=][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
MAY_HAVE_ID = re.compile("id", re.I)
LINKING = {tag for tag, _ in LINKS}


def parse(data: bytes | str) -> Parsed:
    """The ids and links (with their lines) of an HTML document or fragment."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    parsed, line, counted = Parsed(), 1, 0
    for match in TOKEN.finditer(text):
        raw, raw_attributes, tag, attributes = match.groups()
        if raw is not None:
            tag, attributes = raw, raw_attributes
        if tag is None or "=" not in attributes:
            continue
        tag = tag.lower()
        if tag not in LINKING and not MAY_HAVE_ID.search(attributes):  # most tags: only a class, say
            continue
        for name, given, value in ATTRIBUTE.findall(attributes):
            name = name.lower()
            if not given:  # a bare attribute (`<input checked>`) has no value
                continue
            if name == "id" or (tag == "a" and name == "name"):
                kind = parsed.ids
            elif (tag, name) in LINKS:
                kind = parsed.links
            else:
                continue
            value = unescape(value[1:-1] if value[:1] in ("'", '"') else value)
            if kind is parsed.links:
                value = value.strip()
                if not value:
                    continue
            line += text.count("\n", counted, match.start())
            counted = match.start()
            kind.append((value, line))
    return parsed


RELATIVE = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)")  # neither `scheme:` nor `/` first: read from its page's address


def page_url(path: str, config: Config) -> str:
    """The absolute URL a file of the output is served at (`x/index.html` at `x/`)."""
    return config.absolute(config.url(path[: -len("index.html")] if path.endswith("index.html") else path))


def resolve(href: str, base: str, config: Config) -> tuple[str, str] | None:
    """The output path and fragment an internal link points to; None when the link leaves the site's host."""
    if href.startswith("/") and not href.startswith("//"):
        return resolve_rooted(href, config)  # the same on every page: worked out once per site
    if href.startswith(config.origin) and PLAIN_ROOTED.fullmatch(href, len(config.origin)):
        return resolve_rooted(href[len(config.origin):], config)  # a full address on this host (canonical links)
    if (found := PLAIN_HOST.match(href)) and (found[1].lower(), found[2]) != tuple(config.origin.split("://")):
        return None  # a full address on another host, as urljoin would read it
    return resolve_joined(href, base, config)


# A path from the host's root with nothing for urljoin to normalise: only the characters of RFC 3986 (no white
# space or backslash), then an optional query and fragment; and no `.` or `..` segment (DOT_SEGMENT).
PLAIN_ROOTED = re.compile(r"/(?!/)[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*(?:\?[^#\s]*)?(?:#\S*)?")
DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")


# A full http(s) address whose host part has only characters that urlsplit leaves as they are.
PLAIN_HOST = re.compile(r"(https?)://([A-Za-z0-9.\-_~%!$&'()*+,;=:@]*)(?:[/?#]|$)", re.I)


@functools.lru_cache(maxsize=4096)
def resolve_rooted(href: str, config: Config) -> tuple[str, str] | None:
    """`resolve` for a link that starts at the host's root, whatever page it is on; a plain one without urljoin."""
    path, _, fragment = href.partition("#")
    path = path.partition("?")[0]
    if not PLAIN_ROOTED.fullmatch(href) or DOT_SEGMENT.search(path):
        return resolve_joined(href, config.base_url, config)
    path = unquote(path)
    if not path.startswith(config.base_path):
        return ("..", fragment)
    return path[len(config.base_path):], unquote(fragment)


def resolve_joined(href: str, base: str, config: Config) -> tuple[str, str] | None:
    """`resolve` by joining the link to its page's address."""
    absolute = urljoin(base, href)
    parts, site = urlsplit(absolute), urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(config.base_path):
        return ("..", parts.fragment)
    return path[len(config.base_path):], unquote(parts.fragment)


def target_file(path: str, files: dict) -> str | None:
    """The output file a site path is served from, as a static host would find it."""
    candidates = [path + "index.html"] if path.endswith("/") or not path else [path, path + "/index.html"]
    return next((candidate for candidate in candidates if candidate in files), None)


# What forked workers parse from: set just before the fork, so the pages are shared, not pickled.
SHARED: dict = {}


def parse_pages(files: dict[str, bytes], jobs: int) -> dict[str, Parsed]:
    """The ids and links of every HTML file, parsed in this process or in `jobs` forked workers."""
    names = [path for path in files if path.endswith(".html") and not path.startswith("admin/")]  # the CMS's own page
    SHARED.update(files=files)
    try:
        return dict(zip(names, run_chunks(parse_named, names, jobs)))
    finally:
        SHARED.clear()


def parse_named(names: list[str]) -> list[Parsed]:
    """The shared files named in `names`, parsed (a worker's share)."""
    return [parse(SHARED["files"][name]) for name in names]


def check_links(files: dict[str, bytes], config: Config, origins: dict[str, Origin], jobs: int = 1) -> list[Problem]:
    """Every broken internal link or anchor, and every id used twice on a page, of rendered files."""
    return check_parsed(parse_pages(files, jobs), set(files), config, origins)


def check_parsed(parsed_pages: dict[str, Parsed], files: set[str], config: Config, origins: dict[str, Origin]) -> list[Problem]:
    """`check_links` over pages already parsed; `files` is every path of the output."""
    pages = {path: {name for name, _ in parsed.ids} for path, parsed in parsed_pages.items()}
    problems, from_templates = [], {}
    verdicts: dict[tuple[str, str], str | None] = {}  # a link from the root, or a full address, is the same on every page
    for path, parsed in parsed_pages.items():
        origin, base = origins.get(path, Origin("templates")), page_url(path, config)
        for href, line in parsed.links:
            if href.startswith("#"):  # on this very page, the commonest link of all
                message = missing_anchor(href, unquote(href[1:]), pages[path]) if len(href) > 1 else None
            else:
                place = (href, base if RELATIVE.match(href) else "")
                if place not in verdicts:
                    verdicts[place] = broken(href, base, files, pages, config)
                message = verdicts[place]
            if message and (problem := blame(origin, path, href, message)):
                problems.append(problem)
            elif message:
                from_templates.setdefault(message, []).append((origin.template, path, line))
        problems += repeated_ids(path, parsed, origin)
    return sorted(set(problems + template_problems(from_templates)))


def template_problems(found: dict[str, list[tuple[str, str, int]]]) -> list[Problem]:
    """One problem per broken link of the templates, however many pages show it."""
    problems = []
    for message, places in found.items():
        templates = {template for template, _, _ in places}
        template, path, line = places[0]
        where = f"the page `{path}`, line {line}" if len(places) == 1 else f"{len(places)} pages, such as `{path}` (line {line})"
        problems.append(Problem(template if len(templates) == 1 else "templates", 1, f"{message} (on {where})"))
    return problems


def broken(href: str, base: str, files: dict, pages: dict[str, set], config: Config) -> str | None:
    """Why an internal link leads nowhere, or None when it resolves (or is external); `pages` maps HTML files to their ids."""
    try:
        found = resolve(href, base, config)
    except ValueError:  # e.g. `http://[x`: urllib cannot read it, and neither can a browser
        return f"the link `{shown(href, 80)}` is not a valid address"
    if found is None:
        return None
    path, fragment = found
    text = shown(href, 80)
    if path == "..":
        return f"the link `{text}` leads outside the site"
    if path.startswith(GENERATED):
        return None
    target = target_file(path, files)
    if target is None:
        return f"the link `{text}` leads to no page or file of the site"
    return missing_anchor(href, fragment, pages[target]) if fragment and target in pages else None


def missing_anchor(href: str, fragment: str, ids: set[str]) -> str | None:
    """Why a link's `#fragment` leads nowhere on its page (with these ids), or None when it is there."""
    return None if fragment in ids else f"the link `{shown(href, 80)}` points to `#{fragment}`, which is not on that page"


def blame(origin: Origin, path: str, href: str, message: str) -> Problem | None:
    """A link's problem in the content file that holds it (its text or a field); None when a template holds it."""
    document = origin.document
    if document is not None and href in origin.body_links:
        return Problem(document.name, source_line(document, href), message)
    if document is not None and (key := field_of(document, href)):
        return Problem(document.name, document.line(key), f"`{key}`: {message}")
    return None


def source_line(document, text: str) -> int:
    """The first line of a document's body that holds `text` (or its path part), else the body's first line."""
    needles = [text, text.split("#")[0], text.split("/")[-1] or text]
    for number, line in enumerate(document.body.split("\n")):
        if any(needle and needle in line for needle in needles):
            return document.body_line + number
    return document.body_line


def field_of(document, href: str) -> str | None:
    """The front-matter field whose value is `href` (as `contact.url` for nested ones), if any."""
    for key, value in document.meta.items():
        if value == href or value == href.removeprefix("mailto:"):
            return str(key)
        if isinstance(value, dict):
            match = next((sub for sub, item in value.items() if item in (href, href.removeprefix("mailto:"))), None)
            if match is not None:
                return f"{key}.{match}"
    return None


def repeated_ids(path: str, parsed: Parsed, origin: Origin) -> list[Problem]:
    """An id used twice on a page makes its `#anchor` ambiguous: a warning, blamed like a link."""
    seen, problems = set(), []
    for name, line in parsed.ids:
        if name in seen:
            message = f"the id `{name}` is used twice on the page `{path}`, so links to `#{name}` are ambiguous"
            document = origin.document if name in origin.body_ids else None
            place = (document.name, source_line(document, name)) if document else (origin.template, 1)
            problems.append(Problem(*place, message, WARNING))
        seen.add(name)
    return problems


def external_links(parsed_pages: dict[str, Parsed], config: Config, origins: dict[str, Origin]) -> dict[str, Problem]:
    """Every external http(s) link of the site, once, with where it comes from (as a problem to fill in)."""
    found = {}
    for path, parsed in parsed_pages.items():
        origin = origins.get(path, Origin("templates"))
        for href, line in parsed.links:
            if href.startswith(("http://", "https://")) and is_external(href, page_url(path, config), config):
                where = blame(origin, path, href, "") or Problem(origin.template, 1, f"on the page `{path}`, line {line}: ")
                found.setdefault(href.split("#")[0], where)
    return found


def is_external(href: str, base: str, config: Config) -> bool:
    """Whether a valid link leads to another host."""
    try:
        return resolve(href, base, config) is None
    except ValueError:
        return False


def check_external(parsed_pages: dict[str, Parsed], config: Config, origins: dict[str, Origin], timeout: float = 10) -> list[Problem]:
    """Request every external link over HTTP (opt-in; never on CI); each failure is a warning."""
    links = external_links(parsed_pages, config, origins)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        failures = dict(zip(links, pool.map(lambda url: fetch_failure(url, timeout), links)))
    return sorted(Problem(where.path, where.line, f"{where.message}the link `{url}` {failure}", WARNING)
                  for url, where in links.items() if (failure := failures[url]))


def fetch_failure(url: str, timeout: float) -> str | None:
    """Why an external URL cannot be fetched, or None when it answers with success."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"answers HTTP {error.code} ({error.reason})"
        except (urllib.error.URLError, OSError, ValueError) as error:
            return f"cannot be reached ({getattr(error, 'reason', error)})"
    return None


def page_origins(pages, documents) -> dict[str, Origin]:
    """Each rendered page's template, and the content document whose body it shows (from render's pages)."""
    by_source = {document.source: document for document in documents}
    origins = {}
    for page in pages:
        shown = page.context.get("practice") or page.context.get("region")
        listing = page.context.get("listing")
        document = by_source.get(shown.source) if shown is not None and (listing is None or listing.number == 1) else None
        origins[page.output_path] = Origin(f"templates/{page.template}", document, shown.body.html if document else "")
    return origins
