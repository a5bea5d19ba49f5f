"""Rendering the site model to files: `render_site(site) -> {output path: bytes}`, no disk writes."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from . import __version__
from .admin import admin_files
from .charts import statistics
from .datapackage import as_bytes, datapackage, practices_schema
from .depends import SITE
from .feeds import NEWEST, atom_feed, json_feed, site_feeds
from .export import csv_columns, practices_csv, practices_json
from .linked_data import page_json_ld
from .map import choropleth_svg, legend, locator_file, locator_img, locator_path, points_svg
from .model import PATHS, Site, paginate
from .problems import ContentError, Problem
from .scaffold import described_html
from .schema import PRACTICE, REGION, SECTIONS
from .search import filter_groups, practice_filters

TITLE_LENGTH = 70  # search engines cut longer titles
NEWEST_ON_HOME = 6  # practices the home page shows as cards
PROJECT = "INNO INDUSTRY"  # the project the about page tells of, with the practices exchanged in it


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
    # No `site`: a template prints what its page shows (`Page.context`), which is what the page's key covers.
    env.globals.update(config=site.config, url=site.config.url, absolute=site.config.absolute,
                       version=__version__, paths=PATHS, links={name: site.config.url(path) for name, path in PATHS.items()},
                       search_filters=practice_filters)
    env.filters["described"] = described_html
    env.filters["date"] = lambda value: f"{value.day} {value:%B %Y}" if value else ""
    return env


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    home = ("Home", site.config.url(PATHS["home"]))
    return (
        [declared(PATHS["home"], site.config.title, site.config.description, "home.html", [], home_facts(site))]
        + practice_pages(site, home) + region_pages(site, home) + country_pages(site, home) + theme_pages(site, home)
        + [
            declared(PATHS["search"], "Search", "Search and filter the good practices.", "search.html", [home],
                     {"groups": filter_groups(site)}),
            declared(PATHS["about"], "About", f"About {site.config.title}: who publishes it and where the texts come from.",
                     "about.html", [home], about_facts(site)),
            declared(PATHS["map"], "Map of practices", "Every practice on a map of Europe, and the number in each country.",
                     "map.html", [home], {"countries": country_counts(site), "points": map_points(site)}),
            declared(PATHS["statistics"], "Statistics", "The practices counted by theme, country, level, year started and status.",
                     "statistics.html", [home], {"totals": totals(site), "charts": statistics(site)}),
            declared(PATHS["contribute"], "Contribute a practice", "How to propose a good practice, with every field explained.",
                     "contribute.html", [home], {"fields": PRACTICE, "region_fields": REGION, "sections": SECTIONS, "themes": site.themes}),
            declared(PATHS["not_found"], "Page not found", "This page does not exist.", "404.html", [home], {}),
        ]
    )


def declared(path: str, title: str, description: str, template: str, breadcrumbs: list, context: dict) -> Page:
    """A page that shows its context and nothing else of the site: its template never reads `site`."""
    return Page(path, title, description, template, breadcrumbs, context, shows=context)


@dataclass(frozen=True)
class Totals:
    """What several pages count: the practices, and the regions and countries that have any."""

    practices: int
    regions: int
    countries: int


def totals(site: Site) -> Totals:
    """The site's counts."""
    return Totals(len(site.practices), len(site.active_regions), len(site.active_countries))


def country_counts(site: Site) -> list[tuple]:
    """Each country that has practices, with their number: the maps of Europe and their tables."""
    return [(country, len(country.practices)) for country in site.active_countries]


def home_facts(site: Site) -> dict:
    """The home page: the counts, the countries, the themes with practices and the newest practices."""
    return {"totals": totals(site), "countries": country_counts(site),
            "themes": [(theme, len(theme.practices)) for theme in site.active_themes], "newest": site.practices[:NEWEST_ON_HOME]}


def about_facts(site: Site) -> dict:
    """The about page: the CSV's columns and the practices exchanged in the project it tells of, by title."""
    exchanged = sorted((p for p in site.practices if p.project == PROJECT), key=lambda p: p.title.lower())
    return {"columns": csv_columns(), "project": PROJECT,
            "exchanged": [(p.title, p.url, p.country.name) for p in exchanged]}


class Point(NamedTuple):
    """A practice on the map page: the dot and its row in the table."""

    title: str
    url: str
    region: str
    region_url: str
    country: str
    country_url: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """The practice and its place in words, the country once when both have one name (Latvia)."""
        return f"{self.title} ({self.region if self.region == self.country else f'{self.region}, {self.country}'})"


def map_points(site: Site) -> list[Point]:
    """Every practice as a point of the map page."""
    return [Point(p.title, p.url, p.region.name, p.region.url, p.country.name, p.country.url, p.lat, p.lon)
            for p in site.practices]


def europe(countries: list[tuple]) -> dict:
    """The map of Europe with each country's number of practices, and its key."""
    counts = {country.code: count for country, count in countries}
    return {"map": choropleth_svg(counts, {c.code: c.url for c, _ in countries}, {c.code: c.name for c, _ in countries}),
            "legend": legend(counts)}


def listing_pages(items: list, path: str, title: str, description: str, template: str,
                  breadcrumbs: list, site: Site, source: str = "", shows: tuple = (), **context) -> list[Page]:
    """A paginated listing; pages after the first say their number in the title and the description.

    Each page shows its items, their count (`total`) and `shows`.
    """
    return [
        Page(listing.path, title if listing.number == 1 else f"{title} (page {listing.number} of {listing.count})",
             description if listing.number == 1 else f"{description} Page {listing.number} of {listing.count}.",
             template, breadcrumbs, {"listing": listing, "total": len(items), **context}, source, (listing, len(items), *shows))
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
    pages = [declared(PATHS["regions"], "Regions", "The regions that share practices, grouped by country.", "regions.html", [home],
                      {"totals": totals(site), "countries": [(country, [(region, len(region.practices)) for region in country.regions])
                                                             for country in site.countries]})]
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
    pages = [declared(PATHS["countries"], "Countries", "The countries that share practices, with their regions.",
                      "countries.html", [home], {
                          "totals": totals(site),
                          "countries": [(country, [region for region in country.regions if region.practices], count)
                                        for country, count in country_counts(site)],
                          "waiting": [country for country in site.countries if not country.practices]})]
    for country in site.countries:
        pages += listing_pages(country.practices, country.path, country.name, f"Good practices from {country.name}.",
                               "country.html", [home, countries], site,
                               shows=(country, [(region, len(region.practices)) for region in country.regions]), country=country)
    return pages


def theme_pages(site: Site, home: tuple) -> list[Page]:
    """The themes index and one page per theme."""
    themes = ("Themes", site.config.url(PATHS["themes"]))
    periods = sorted({theme.period for theme in site.themes})
    pages = [declared(PATHS["themes"], "Themes", "The thematic priorities, with the practices of each.", "themes.html", [home],
                      {"periods": [(period, [(theme, len(theme.practices)) for theme in site.themes if theme.period == period])
                                   for period in periods]})]
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
    entries = [(page.path, last_change(page)) for page in pages if page.path != PATHS["not_found"]]
    newest = site.practices[:NEWEST]
    outputs = [page_output(page) for page in pages] + [
        Output(PATHS["sitemap"], entries, "sitemap.xml", lambda env, site: render_sitemap(env, entries)),
        *[Output(feed.path, (feed.title, feed.page_url, feed.practices), "feed.xml",
                 lambda env, site, feed=feed: atom_feed(env, feed)) for feed in site_feeds(site)],
        Output(PATHS["json_feed"], newest, None, lambda env, site: json_feed(site.config, newest)),
        Output(PATHS["robots"], (), None, lambda env, site: robots(site)),
        Output(PATHS["print_css"], (), None, lambda env, site: print_css(site.config)),
        Output(PATHS["json"], site.practices, None, lambda env, site: practices_json(site)),
        Output(PATHS["csv"], site.practices, None, lambda env, site: practices_csv(site)),
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
