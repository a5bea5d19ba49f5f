"""Rendering the site's pages and other files: `render_site(site) -> {output path: bytes}`, no disk writes."""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .admin import admin_files
from .datapackage import as_bytes, datapackage, practices_schema
from .feeds import NEWEST, atom_feed, json_feed, site_feeds
from .export import csv_parts, json_parts
from .linked_data import page_json_ld
from .map import choropleth_svg, legend, locator_file, locator_img, locator_path, points_svg
from .model import PATHS, Site
from .pages import Page, output_collisions, site_pages
from .problems import ContentError
from .scaffold import described_html
from .search import practice_filters

TITLE_LENGTH = 70  # search engines cut longer titles


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process, checked by Jinja against each template's source: the
    preview makes a new environment for each rebuild and need not compile unchanged templates again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from memory, if this template was compiled before (Jinja drops it when the source changed)."""
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def environment(templates: Path, site: Site) -> jinja2.Environment:
    """Jinja2 with autoescaping and StrictUndefined: a misspelt variable fails the build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=COMPILED,
    )
    # No `site`: a template prints what its page shows (`Page.context`), which is what the page's key covers.
    env.globals.update(config=site.config, url=site.config.url, absolute=site.config.absolute,
                       version=__version__, paths=PATHS, links={name: site.config.url(path) for name, path in PATHS.items()},
                       search_filters=practice_filters)
    env.filters["described"] = described_html
    env.filters["date"] = lambda value: f"{value.day} {value:%B %Y}" if value else ""
    return env


def europe(countries: list[tuple]) -> dict:
    """The map of Europe with each country's number of practices, and its key."""
    counts = {country.code: count for country, count in countries}
    return {"map": choropleth_svg(counts, {c.code: c.url for c, _ in countries}, {c.code: c.name for c, _ in countries}),
            "legend": legend(counts)}


@dataclass
class Output:
    """One file of the output: its path, what it shows (see depends.py), its template, and how to make its bytes.

    A large data file is made in parts (an iterator of bytes), which are written as they come.
    """

    path: str
    shows: object
    template: str | None
    make: Callable[[jinja2.Environment, Site], bytes | Iterator[bytes]]
    reads_all: bool = False  # reads every field of every practice (the open data): made before the workers fork


def site_outputs(site: Site, pages: list[Page] | None = None) -> list[Output]:
    """Every file of the output (`pages` being `site_pages(site)`), in a fixed order; ContentError when two share a path."""
    pages = site_pages(site) if pages is None else pages
    if collisions := output_collisions(pages):
        raise ContentError(collisions)
    entries = [(page.path, last_change(page)) for page in pages if page.path != PATHS["not_found"]]
    newest = site.practices[:NEWEST]
    outputs = [page_output(page) for page in pages] + [
        Output(PATHS["sitemap"], entries, "sitemap.xml", lambda env, site: render_sitemap(env, entries)),
        *[Output(feed.path, (feed.title, feed.page_url, feed.practices), "feed.xml",
                 lambda env, site, feed=feed: atom_feed(env, feed)) for feed in site_feeds(site)],
        Output(PATHS["json_feed"], newest, None, lambda env, site: json_feed(site.config, newest)),
        Output(PATHS["robots"], (), None, lambda env, site: robots(site)),
        Output(PATHS["print_css"], (), None, lambda env, site: print_css(site.config)),
        Output(PATHS["json"], site.practices, None, lambda env, site: json_parts(site), reads_all=True),
        Output(PATHS["csv"], site.practices, None, lambda env, site: csv_parts(site), reads_all=True),
        Output(PATHS["datapackage"], (), None, lambda env, site: as_bytes(datapackage(site))),
        Output(PATHS["json_schema"], ([theme.id for theme in site.themes], [region.slug for region in site.regions]), None,
               lambda env, site: as_bytes(practices_schema(site))),
    ]
    outputs += [static_output(name, data) for name, data in site.static.items()] + locator_outputs(pages)
    outputs += [made_output(name, data) for name, data in admin_files(site).items()]
    return sorted(outputs, key=lambda output: output.path)


def page_output(page: Page) -> Output:
    """A page as an output: it shows its own title, description and breadcrumbs, and what it declares."""
    return Output(page.output_path, (page.title, page.description, page.breadcrumbs, page.shows), page.template,
                  lambda env, site: render_page(env, page, site))


def static_output(name: str, data: bytes) -> Output:
    """A file of `static/`, copied as it is."""
    return made_output(f"static/{name}", data)


def made_output(path: str, data: bytes) -> Output:
    """A file whose bytes are already made (static files, the admin files): it shows just those bytes."""
    return Output(path, hashlib.sha256(data).hexdigest(), None, lambda env, site: data)


def last_change(page: Page):
    """The date a practice's page last changed (the sitemap's `lastmod`); None for other pages."""
    practice = page.context.get("practice")
    return (practice.updated or practice.published) if practice else None


def render_sitemap(env: jinja2.Environment, entries: list[tuple]) -> bytes:
    """The sitemap: each page's path and, for a practice, its last change (every page but the 404 page)."""
    return env.get_template("sitemap.xml").render(entries=entries).encode()


def robots(site: Site) -> bytes:
    """robots.txt: everything may be crawled; where the sitemap is."""
    config = site.config
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute(config.url(PATHS['sitemap']))}\n".encode()


def render_site(site: Site, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every output file as bytes, keyed by its path in the output folder (pure: nothing is written)."""
    env = environment(templates, site)
    return {output.path: whole(output.make(env, site)) for output in site_outputs(site)}


def whole(data: bytes | Iterator[bytes]) -> bytes:
    """A file's bytes, joined when it was made in parts."""
    return data if isinstance(data, bytes) else b"".join(data)


def print_css(config) -> bytes:
    """The print rules that need the site's address: a printed link shows where it leads, in full."""
    origin = config.absolute("/").rstrip("/").replace("\\", "\\\\").replace('"', '\\"')
    return ('/* Made by the build: printed links to this site show their absolute address. */\n'
            f'main a[href^="/"]:not([href^="#"]):not(.badge)::after {{ content: " ({origin}" attr(href) ")"; }}\n').encode()


def share_image(page: Page, site: Site) -> dict:
    """The picture social previews show: the practice's own image when it has one, else the portal's icon."""
    practice = page.context.get("practice")
    if practice is not None and practice.image_size:
        return {"url": practice.image_url, "width": practice.image_size[0], "height": practice.image_size[1],
                "alt": practice.image_alt}
    return {"url": site.config.url("static/icon-512.png"), "width": 512, "height": 512, "alt": site.config.title}


def document_title(page: Page, site: Site) -> str:
    """The `<title>`: the page's own title and the portal's, or the page's alone when both would be too long."""
    if not page.path:
        return site.config.title
    both = f"{page.title} · {site.config.title}"
    return both if len(both) <= TITLE_LENGTH else page.title


def located(page: Page):
    """The practice or region whose small map a page shows, if any."""
    return page.context.get("practice") or (page.context.get("region") if page.template == "region.html" else None)


def locator(page: Page, site: Site) -> Markup:
    """The small map of a practice or region page: an `<img>` of the point's own file (see `locator_outputs`)."""
    item = located(page)
    label = item.title if page.context.get("practice") else item.name
    return locator_img(site.config.url(locator_path(item.lat, item.lon, item.country.code)), label)


def locator_outputs(pages: list[Page]) -> list[Output]:
    """One locator file for each point that a page shows, however many pages show it."""
    points = {(item.lat, item.lon, item.country.code) for page in pages if (item := located(page))}
    return [Output(locator_path(*point), point, None, lambda env, site, point=point: locator_file(*point))
            for point in sorted(points)]


# The drawings of pages of these templates, made from what the page shows when it is rendered.
DRAWINGS = {
    "home.html": lambda page, site: europe(page.context["countries"]),
    "map.html": lambda page, site: {**europe(page.context["countries"]),
                                    "dots": points_svg([(p.lat, p.lon, p.label, p.url) for p in page.context["points"]])},
    "practice.html": lambda page, site: {"map": locator(page, site)},
    "region.html": lambda page, site: {"map": locator(page, site)},
}


def render_page(env: jinja2.Environment, page: Page, site: Site) -> bytes:
    """One page through its template, with its title, JSON-LD, preview image and drawings."""
    extra = DRAWINGS[page.template](page, site) if page.template in DRAWINGS else {}
    html = env.get_template(page.template).render(
        page=page, document_title=document_title(page, site), json_ld=page_json_ld(page, site),
        page_image=share_image(page, site), **extra, **page.context)
    return html.encode("utf-8")
