"""Rendering the site model to files: `render_site(site) -> {output path: bytes}`, no disk writes."""

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .export import practices_csv, practices_json
from .model import Site, paginate
from .schema import PRACTICE, REGION, SECTIONS


@dataclass
class Page:
    """What every template needs to know about the page it renders."""

    path: str
    title: str
    description: str
    template: str
    breadcrumbs: list = field(default_factory=list)
    context: dict = field(default_factory=dict)

    @property
    def output_path(self) -> str:
        """The file the page is written to."""
        return self.path if self.path.endswith((".html", ".xml", ".txt")) else self.path + "index.html"


def environment(templates: Path, site: Site) -> jinja2.Environment:
    """Jinja2 with autoescaping and StrictUndefined: a misspelt variable fails the build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.globals.update(site=site, config=site.config, url=site.config.url, absolute=site.config.absolute,
                       version=__version__)
    env.filters["date"] = lambda value: f"{value.day} {value:%B %Y}" if value else ""
    return env


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    home = ("Home", site.config.url(""))
    return (
        [Page("", site.config.title, site.config.description, "home.html")]
        + practice_pages(site, home) + region_pages(site, home) + theme_pages(site, home)
        + [
            Page("search/", "Search", "Search and filter the good practices.", "search.html", [home]),
            Page("about/", "About", f"About {site.config.title}: who publishes it and where the texts come from.", "about.html", [home]),
            Page("contribute/", "Contribute a practice", "How to propose a good practice, with every field explained.", "contribute.html", [home],
                 {"fields": PRACTICE, "region_fields": REGION, "sections": SECTIONS}),
            Page("404.html", "Page not found", "This page does not exist.", "404.html", [home]),
        ]
    )


def listing_pages(items: list, path: str, title: str, description: str, template: str,
                  breadcrumbs: list, site: Site, **context) -> list[Page]:
    """A paginated listing; pages after the first say their number in the title."""
    return [
        Page(listing.path, title if listing.number == 1 else f"{title} (page {listing.number} of {listing.count})",
             description, template, breadcrumbs, {"listing": listing, **context})
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
    return Page(practice.path, practice.title, practice.summary, "practice.html", crumbs, {"practice": practice})


def region_pages(site: Site, home: tuple) -> list[Page]:
    """The regions index, country pages and region pages."""
    regions = ("Regions", site.config.url("regions/"))
    pages = [Page("regions/", "Regions", "The regions that share practices, grouped by country.", "regions.html", [home])]
    for country in site.countries:
        pages += listing_pages(country.practices, country.path, country.name, f"Good practices from {country.name}.",
                               "country.html", [home, regions], site, country=country)
    for region in site.regions:
        pages += listing_pages(region.practices, region.path, region.name,
                               f"Good practices from {region.name}, {region.country.name}.", "region.html",
                               [home, regions, (region.country.name, region.country.url)], site, region=region)
    return pages


def theme_pages(site: Site, home: tuple) -> list[Page]:
    """The themes index and one page per theme."""
    themes = ("Themes", site.config.url("themes/"))
    pages = [Page("themes/", "Themes", "The thematic priorities, with the practices of each.", "themes.html", [home])]
    for theme in site.themes:
        pages += listing_pages(theme.practices, theme.path, theme.name, theme.description, "theme.html",
                               [home, themes], site, theme=theme)
    return pages


def render_site(site: Site, templates: Path) -> dict[str, bytes]:
    """Every output file as bytes, keyed by its path in the output folder."""
    return render_files(environment(templates, site), site)


def render_files(env: jinja2.Environment, site: Site, only: set[str] | None = None) -> dict[str, bytes]:
    """The output files, or just those whose paths are in `only` (the preview re-renders what changed)."""
    wanted = (lambda path: True) if only is None else only.__contains__
    pages = site_pages(site)
    files = {page.output_path: render_page(env, page) for page in pages if wanted(page.output_path)}
    if wanted("sitemap.xml"):
        files["sitemap.xml"] = env.get_template("sitemap.xml").render(pages=[p for p in pages if p.path != "404.html"]).encode()
    if wanted("feed.xml"):
        files["feed.xml"] = env.get_template("feed.xml").render(practices=site.practices[:20]).encode()
    files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.absolute(site.config.url('sitemap.xml'))}\n".encode()
    if wanted("data/practices.json"):
        files["data/practices.json"] = practices_json(site)
    if wanted("data/practices.csv"):
        files["data/practices.csv"] = practices_csv(site)
    files.update({f"static/{name}": data for name, data in site.static.items()})
    return dict(sorted((path, data) for path, data in files.items() if wanted(path)))


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """One page through its template."""
    return env.get_template(page.template).render(page=page, **page.context).encode("utf-8")
