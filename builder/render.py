"""Rendering the site model to files: `render_site(site) -> {output path: bytes}`, no disk writes."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .depends import SITE
from .export import practices_csv, practices_json
from .linked_data import page_json_ld
from .map import choropleth_svg, locator_file, locator_img, locator_path
from .model import Site, paginate
from .problems import ContentError, Problem
from .schema import PRACTICE, REGION, SECTIONS

TITLE_LENGTH = 70  # search engines cut longer titles


@dataclass
class Page:
    """What every template needs to know about the page it renders."""

    path: str
    title: str
    description: str
    template: str
    breadcrumbs: list = field(default_factory=list)
    context: dict = field(default_factory=dict)
    source: str = ""
    shows: object = SITE  # what the page shows besides its own fields (see depends.py); by default the whole site

    @property
    def output_path(self) -> str:
        """The file the page is written to."""
        return self.path if self.path.endswith((".html", ".xml", ".txt")) else self.path + "index.html"


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
    env.globals.update(site=site, config=site.config, url=site.config.url, absolute=site.config.absolute,
                       version=__version__)
    env.filters["date"] = lambda value: f"{value.day} {value:%B %Y}" if value else ""
    return env


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    home = ("Home", site.config.url(""))
    return (
        [Page("", site.config.title, site.config.description, "home.html", context=home_context(site))]
        + practice_pages(site, home) + region_pages(site, home) + theme_pages(site, home)
        + [
            Page("search/", "Search", "Search and filter the good practices.", "search.html", [home], shows=()),
            Page("about/", "About", f"About {site.config.title}: who publishes it and where the texts come from.", "about.html", [home]),
            Page("contribute/", "Contribute a practice", "How to propose a good practice, with every field explained.", "contribute.html", [home],
                 {"fields": PRACTICE, "region_fields": REGION, "sections": SECTIONS}, shows=(site.themes,)),
            Page("404.html", "Page not found", "This page does not exist.", "404.html", [home], shows=()),
        ]
    )


def home_context(site: Site) -> dict:
    """The countries with practices, as the home page's map and as its table (the map's text alternative)."""
    countries = [country for country in site.countries if country.practices]
    europe = choropleth_svg({c.code: len(c.practices) for c in countries}, {c.code: c.url for c in countries},
                            {c.code: c.name for c in countries})
    return {"countries": countries, "map": europe}


def listing_pages(items: list, path: str, title: str, description: str, template: str,
                  breadcrumbs: list, site: Site, source: str = "", shows: tuple = (), **context) -> list[Page]:
    """A paginated listing; pages after the first say their number in the title and the description.

    Each page shows its items, their count and `shows`.
    """
    return [
        Page(listing.path, title if listing.number == 1 else f"{title} (page {listing.number} of {listing.count})",
             description if listing.number == 1 else f"{description} Page {listing.number} of {listing.count}.",
             template, breadcrumbs, {"listing": listing, **context}, source, (listing, len(items), *shows))
        for listing in paginate(items, path, site.config)
    ]


def practice_pages(site: Site, home: tuple) -> list[Page]:
    """The practices listing and one page per practice."""
    listing = listing_pages(site.practices, "practices/", "All practices", "Every good practice, newest first.",
                            "practices.html", [home], site)
    return listing + [practice_page(site, practice) for practice in site.practices]


def practice_page(site: Site, practice) -> Page:
    """One practice's page (also made on its own by the preview after an edit)."""
    crumbs = [("Home", site.config.url("")), ("Practices", site.config.url("practices/"))]
    return Page(practice.path, practice.title, practice.summary, "practice.html", crumbs, {"practice": practice},
                practice.source, (practice, practice.related))


def region_pages(site: Site, home: tuple) -> list[Page]:
    """The regions index, country pages and region pages."""
    regions = ("Regions", site.config.url("regions/"))
    pages = [Page("regions/", "Regions", "The regions that share practices, grouped by country.", "regions.html", [home])]
    for country in site.countries:
        pages += listing_pages(country.practices, country.path, country.name, f"Good practices from {country.name}.",
                               "country.html", [home, regions], site,
                               shows=(country, [(region, len(region.practices)) for region in country.regions]), country=country)
    for region in site.regions:
        # A region named like its country (Latvia) still needs a title of its own.
        title = f"{region.name} (region)" if region.name == region.country.name else region.name
        pages += listing_pages(region.practices, region.path, title,
                               f"Good practices from {region.name}, {region.country.name}.", "region.html",
                               [home, regions, (region.country.name, region.country.url)], site, region=region,
                               source=region.source, shows=(region,))
    return pages


def theme_pages(site: Site, home: tuple) -> list[Page]:
    """The themes index and one page per theme."""
    themes = ("Themes", site.config.url("themes/"))
    pages = [Page("themes/", "Themes", "The thematic priorities, with the practices of each.", "themes.html", [home],
                  shows=[(theme, len(theme.practices)) for theme in site.themes])]
    for theme in site.themes:
        pages += listing_pages(theme.practices, theme.path, theme.name, theme.description, "theme.html",
                               [home, themes], site, shows=(theme,), theme=theme)
    return pages


def output_collisions(pages: list[Page]) -> list[Problem]:
    """Every page whose output file another page would also write."""
    owners = defaultdict(list)
    for page in pages:
        owners[page.output_path].append(page)
    return [Problem(page.source or page.template, 1, f"this page would be written to `{path}` like {len(clash) - 1} other page(s); rename one")
            for path, clash in owners.items() if len(clash) > 1 for page in clash]


@dataclass
class Output:
    """One file of the output: its path, what it shows (see depends.py), its template, and how to make its bytes."""

    path: str
    shows: object
    template: str | None
    make: Callable[[jinja2.Environment, Site], bytes]


def site_outputs(site: Site, pages: list[Page] | None = None) -> list[Output]:
    """Every file of the output (`pages` being `site_pages(site)`), in a fixed order; ContentError when two share a path."""
    pages = site_pages(site) if pages is None else pages
    if collisions := output_collisions(pages):
        raise ContentError(collisions)
    listed = [page for page in pages if page.path != "404.html"]
    newest = site.practices[:20]
    outputs = [page_output(page) for page in pages] + [
        Output("sitemap.xml", [(page.path, page.context.get("practice")) for page in listed], "sitemap.xml",
               lambda env, site: render_sitemap(env, listed)),
        Output("feed.xml", newest, "feed.xml", lambda env, site: render_feed(env, newest)),
        Output("robots.txt", (), None, lambda env, site: robots(site)),
        Output("data/practices.json", SITE, None, lambda env, site: practices_json(site)),
        Output("data/practices.csv", SITE, None, lambda env, site: practices_csv(site)),
    ]
    outputs += [static_output(name, data) for name, data in site.static.items()] + locator_outputs(pages)
    return sorted(outputs, key=lambda output: output.path)


def page_output(page: Page) -> Output:
    """A page as an output: it shows its own title, description and breadcrumbs, and what it declares."""
    return Output(page.output_path, (page.title, page.description, page.breadcrumbs, page.shows), page.template,
                  lambda env, site: render_page(env, page, site))


def static_output(name: str, data: bytes) -> Output:
    """A file of `static/`, copied as it is."""
    return Output(f"static/{name}", hashlib.sha256(data).hexdigest(), None, lambda env, site: data)


def render_sitemap(env: jinja2.Environment, pages: list[Page]) -> bytes:
    """The sitemap of every page but the 404 page."""
    return env.get_template("sitemap.xml").render(pages=pages).encode()


def render_feed(env: jinja2.Environment, newest: list) -> bytes:
    """The Atom feed of the newest practices."""
    updated = max((p.updated or p.published for p in newest), default=None)
    return env.get_template("feed.xml").render(practices=newest, updated=updated).encode()


def robots(site: Site) -> bytes:
    """robots.txt: everything may be crawled; where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.absolute(site.config.url('sitemap.xml'))}\n".encode()


def render_site(site: Site, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every output file as bytes, keyed by its path in the output folder (pure: nothing is written)."""
    env = environment(templates, site)
    return {output.path: output.make(env, site) for output in site_outputs(site)}


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


def render_page(env: jinja2.Environment, page: Page, site: Site) -> bytes:
    """One page through its template, with its title, JSON-LD and preview image."""
    extra = {"map": locator(page, site)} if page.template in ("practice.html", "region.html") else {}
    html = env.get_template(page.template).render(
        page=page, document_title=document_title(page, site), json_ld=page_json_ld(page, site),
        page_image=share_image(page, site), **extra, **page.context)
    return html.encode("utf-8")
