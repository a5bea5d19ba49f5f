"""The site's pages: each with its title, template and context, and what it shows (`Page.shows`).

A page's template prints only its context (the environment has no `site`), so its context is
what it shows: counts, a listing's practices, a practice with its related ones. depends.py makes
each page's key from that, and the pipeline renders a page again exactly when its key changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .charts import statistics
from .depends import SITE
from .export import csv_columns
from .model import PATHS, Site, paginate
from .problems import Problem
from .schema import PRACTICE, REGION, SECTIONS
from .search import filter_groups

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
    return {"columns": csv_columns(), "exchanged": [(p.title, p.url, p.country.name) for p in exchanged]}


class Point(NamedTuple):
    """A practice on the map page: the dot and its row in the table."""

    title: str
    url: str
    region: str
    region_url: str
    country: str
    country_url: str
    place: str  # the region and its country in words (`Region.place`)
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """The dot's label: the practice and its place."""
        return f"{self.title} ({self.place})"


def map_points(site: Site) -> list[Point]:
    """Every practice as a point of the map page."""
    return [Point(p.title, p.url, p.region.name, p.region.url, p.country.name, p.country.url, p.region.place, p.lat, p.lon)
            for p in site.practices]


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
