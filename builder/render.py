"""Rendering the site model to files: `render_site(site) -> {output path: bytes}`, no disk writes."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .admin import admin_files
from .charts import statistics
from .datapackage import as_bytes, datapackage, practices_schema
from .depends import SITE
from .feeds import atom_feed, json_feed, site_feeds
from .export import csv_columns, practices_csv, practices_json
from .linked_data import page_json_ld
from .map import choropleth_svg, legend, locator_file, locator_img, locator_path, points_svg
from .model import PATHS, Site, paginate
from .problems import ContentError, Problem
from .scaffold import described_html
from .schema import PRACTICE, REGION, SECTIONS
from .search import filter_groups, practice_filters

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
                       version=__version__, paths=PATHS, links={name: site.config.url(path) for name, path in PATHS.items()},
                       search_filters=practice_filters, search_groups=filter_groups)
    env.filters["described"] = described_html
    env.filters["date"] = lambda value: f"{value.day} {value:%B %Y}" if value else ""
    return env


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    home = ("Home", site.config.url(PATHS["home"]))
    return (
        [Page(PATHS["home"], site.config.title, site.config.description, "home.html")]
        + practice_pages(site, home) + region_pages(site, home) + country_pages(site, home) + theme_pages(site, home)
        + [
            Page(PATHS["search"], "Search", "Search and filter the good practices.", "search.html", [home]),
            Page(PATHS["about"], "About", f"About {site.config.title}: who publishes it and where the texts come from.", "about.html", [home],
                 {"columns": csv_columns()}),
            Page(PATHS["map"], "Map of practices", "Every practice on a map of Europe, and the number in each country.",
                 "map.html", [home]),
            Page(PATHS["statistics"], "Statistics", "The practices counted by theme, country, level, year started and status.",
                 "statistics.html", [home]),
            Page(PATHS["contribute"], "Contribute a practice", "How to propose a good practice, with every field explained.", "contribute.html", [home],
                 {"fields": PRACTICE, "region_fields": REGION, "sections": SECTIONS}, shows=(site.themes,)),
            Page(PATHS["not_found"], "Page not found", "This page does not exist.", "404.html", [home], shows=()),
        ]
    )


def home_context(site: Site) -> dict:
    """The countries with practices, as the home page's map with its key and as its table (the text alternative)."""
    countries = site.active_countries
    counts = {c.code: len(c.practices) for c in countries}
    europe = choropleth_svg(counts, {c.code: c.url for c in countries}, {c.code: c.name for c in countries})
    return {"countries": countries, "map": europe, "legend": legend(counts)}


def place(region) -> str:
    """A region and its country in words, the country once when both have one name (Latvia)."""
    return region.name if region.name == region.country.name else f"{region.name}, {region.country.name}"


def map_context(site: Site) -> dict:
    """The map page: the choropleth, and every practice as a point (with the table that is its text alternative)."""
    points = [(p.lat, p.lon, f"{p.title} ({place(p.region)})", p.url) for p in site.practices]
    return {**home_context(site), "points": points_svg(points)}


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
    listing = listing_pages(site.practices, PATHS["practices"], "All practices", "Every good practice, newest first.",
                            "practices.html", [home], site)
    return listing + [practice_page(site, practice) for practice in site.practices]


def practice_page(site: Site, practice) -> Page:
    """One practice's page (also made on its own by the preview after an edit)."""
    crumbs = [("Home", site.config.url(PATHS["home"])), ("Practices", site.config.url(PATHS["practices"]))]
    return Page(practice.path, practice.title, practice.summary, "practice.html", crumbs, {"practice": practice},
                practice.source, (practice, practice.related))


def region_pages(site: Site, home: tuple) -> list[Page]:
    """The regions index and region pages."""
    regions = ("Regions", site.config.url(PATHS["regions"]))
    pages = [Page(PATHS["regions"], "Regions", "The regions that share practices, grouped by country.", "regions.html", [home])]
    for region in site.regions:
        # A region named like its country (Latvia) still needs a title of its own.
        title = f"{region.name} (region)" if region.name == region.country.name else region.name
        pages += listing_pages(region.practices, region.path, title,
                               f"Good practices from the region {region.place}.", "region.html",
                               [home, regions, (region.country.name, region.country.url)], site, region=region,
                               source=region.source, shows=(region,))
    return pages


def country_pages(site: Site, home: tuple) -> list[Page]:
    """The countries index and one page per country."""
    countries = ("Countries", site.config.url(PATHS["countries"]))
    pages = [Page(PATHS["countries"], "Countries", "The countries that share practices, with their regions.",
                  "countries.html", [home])]
    for country in site.countries:
        pages += listing_pages(country.practices, country.path, country.name, f"Good practices from {country.name}.",
                               "country.html", [home, countries], site,
                               shows=(country, [(region, len(region.practices)) for region in country.regions]), country=country)
    return pages


def theme_pages(site: Site, home: tuple) -> list[Page]:
    """The themes index and one page per theme."""
    themes = ("Themes", site.config.url(PATHS["themes"]))
    pages = [Page(PATHS["themes"], "Themes", "The thematic priorities, with the practices of each.", "themes.html", [home],
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
    listed = [page for page in pages if page.path != PATHS["not_found"]]
    outputs = [page_output(page) for page in pages] + [
        Output(PATHS["sitemap"], [(page.path, page.context.get("practice")) for page in listed], "sitemap.xml",
               lambda env, site: render_sitemap(env, listed)),
        *[Output(feed.path, (feed.title, feed.page_url, feed.practices), "feed.xml",
                 lambda env, site, feed=feed: atom_feed(env, feed)) for feed in site_feeds(site)],
        Output(PATHS["json_feed"], SITE, None, lambda env, site: json_feed(site)),
        Output(PATHS["robots"], (), None, lambda env, site: robots(site)),
        Output(PATHS["print_css"], (), None, lambda env, site: print_css(site.config)),
        Output(PATHS["json"], SITE, None, lambda env, site: practices_json(site)),
        Output(PATHS["csv"], SITE, None, lambda env, site: practices_csv(site)),
        Output(PATHS["datapackage"], SITE, None, lambda env, site: as_bytes(datapackage(site))),
        Output(PATHS["json_schema"], SITE, None, lambda env, site: as_bytes(practices_schema(site))),
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


def render_sitemap(env: jinja2.Environment, pages: list[Page]) -> bytes:
    """The sitemap of every page but the 404 page."""
    return env.get_template("sitemap.xml").render(pages=pages).encode()


def robots(site: Site) -> bytes:
    """robots.txt: everything may be crawled; where the sitemap is."""
    config = site.config
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute(config.url(PATHS['sitemap']))}\n".encode()


def render_site(site: Site, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every output file as bytes, keyed by its path in the output folder (pure: nothing is written)."""
    env = environment(templates, site)
    return {output.path: output.make(env, site) for output in site_outputs(site)}


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


# What pages of these templates draw from the whole site, made when the page is rendered (so always current).
DRAWINGS = {
    "home.html": lambda page, site: home_context(site),
    "map.html": lambda page, site: map_context(site),
    "statistics.html": lambda page, site: {"charts": statistics(site)},
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
