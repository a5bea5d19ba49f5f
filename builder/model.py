"""The site model: practices, regions, countries and themes, complete before anything renders."""

import datetime
from dataclasses import dataclass, field

import pycountry

from .config import Config
from .images import image_size
from .load import Document
from .markup import Body
from .related import assign_related
from .schema import PRACTICE
from .validate import as_list, parse_date

# The site-wide pages and files, declared once: the page list, the templates (as `links.NAME`) and the preview
# take their paths from here. Pages of one practice, region, country or theme own theirs (`path` below).
PATHS = {
    "home": "", "practices": "practices/", "regions": "regions/", "countries": "countries/", "themes": "themes/",
    "search": "search/", "about": "about/", "contribute": "contribute/", "statistics": "statistics/", "map": "map/",
    "not_found": "404.html",
    "sitemap": "sitemap.xml", "robots": "robots.txt", "feed": "feed.xml", "json_feed": "feed.json",
    "print_css": "print.css",
    "json": "data/practices.json", "csv": "data/practices.csv", "datapackage": "data/datapackage.json",
    "json_schema": "data/practices.schema.json",
}
# The pages of one document: the search index holds the practice pages only (search.SEARCHED).
PRACTICE_PAGE, REGION_PAGE = "practices/{slug}/", "regions/{slug}/"


@dataclass
class Theme:
    """A thematic priority; owns its URL."""

    id: str
    name: str
    description: str
    period: str
    url: str = ""
    practices: list = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        """The theme page's site path."""
        return f"themes/{self.id}/"

    @property
    def feed_path(self) -> str:
        """The path of the theme's Atom feed."""
        return self.path + "feed.xml"


@dataclass
class Country:
    """A country that has at least one region."""

    code: str
    name: str
    url: str = ""
    regions: list = field(default_factory=list, repr=False)
    practices: list = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        """The country page's site path."""
        return f"countries/{self.code.lower()}/"

    @property
    def feed_path(self) -> str:
        """The path of the country's Atom feed."""
        return self.path + "feed.xml"


@dataclass
class Region:
    """A region of a country with its point for maps and its description."""

    slug: str
    name: str
    country: Country
    nuts: str | None
    lat: float
    lon: float
    body: Body
    source: str
    url: str = ""
    practices: list = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        """The region page's site path."""
        return REGION_PAGE.format(slug=self.slug)

    @property
    def place(self) -> str:
        """The region and its country: "Posavje, Slovenia", but "Latvia" for a region named like its country."""
        return self.name if self.name == self.country.name else f"{self.name}, {self.country.name}"


@dataclass
class Practice:
    """A good practice, with everything its page and the listings show."""

    slug: str
    title: str
    summary: str
    region: Region
    themes: list[Theme]
    organisation: str
    level: str
    published: datetime.date
    updated: datetime.date | None
    start: str | None
    end: str | None
    status: str
    expert_opinion: tuple[str, ...]
    project: str | None
    keywords: list[str]
    website: str | None
    contact: dict
    sources: list[dict]
    image: str | None
    image_alt: str | None
    location: dict | None
    lat: float
    lon: float
    body: Body
    source: str
    url: str = ""
    image_url: str | None = None
    image_size: tuple[int, int] | None = None
    edit_url: str | None = None
    history_url: str | None = None
    related: list = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        """The practice page's site path."""
        return PRACTICE_PAGE.format(slug=self.slug)

    @property
    def toc(self) -> tuple[tuple[str, str], ...]:
        """The page's table of contents: the body's sections, then the expert opinion and the sources when present."""
        extra = (("expert-opinion-heading", "Expert opinion"),) if self.expert_opinion else ()
        return self.body.toc + extra + ((("sources-heading", "Sources"),) if self.sources else ())

    @property
    def country(self) -> Country:
        """The practice's country, through its region."""
        return self.region.country

    @property
    def sort_key(self) -> tuple:
        """Newest first, then by title: the order of every listing."""
        return (-self.published.toordinal(), self.title.casefold(), self.slug)


@dataclass
class Site:
    """The whole portal: every listing is sorted here, once."""

    config: Config
    practices: list[Practice]
    regions: list[Region]
    countries: list[Country]
    themes: list[Theme]
    static: dict[str, bytes]

    @property
    def active_regions(self) -> list[Region]:
        """The regions that have practices: the ones counts count."""
        return [region for region in self.regions if region.practices]

    @property
    def active_countries(self) -> list[Country]:
        """The countries that have practices."""
        return [country for country in self.countries if country.practices]

    @property
    def active_themes(self) -> list[Theme]:
        """The themes that have practices."""
        return [theme for theme in self.themes if theme.practices]


def country_name(code: str) -> str:
    """The common English name of a country, from pycountry."""
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def build_themes(docs: list[Document], config: Config) -> list[Theme]:
    """Themes in the order of the themes file."""
    themes = [Theme(doc.slug, doc.meta["name"], doc.meta["description"], doc.meta["period"]) for doc in docs]
    for theme in themes:
        theme.url = config.url(theme.path)
    return themes


def build_regions(docs: list[Document], bodies: dict[str, Body], config: Config) -> tuple[list[Region], list[Country]]:
    """Regions sorted by name, and the countries they belong to sorted by name."""
    countries = {}
    regions = []
    for doc in docs:
        code = doc.meta["country"]
        if code not in countries:
            countries[code] = Country(code, country_name(code))
            countries[code].url = config.url(countries[code].path)
        meta = doc.meta
        region = Region(doc.slug, meta["name"], countries[code], meta.get("nuts"), meta["lat"], meta["lon"],
                        bodies[str(doc.path)], doc.source)
        region.url = config.url(region.path)
        countries[code].regions.append(region)
        regions.append(region)
    for country in countries.values():
        country.regions.sort(key=lambda r: (r.name.casefold(), r.slug))
    regions.sort(key=lambda r: (r.name.casefold(), r.slug))
    return regions, sorted(countries.values(), key=lambda c: (c.name.casefold(), c.code))


def contact_of(value: dict | None) -> dict:
    """A contact with all three parts present (None where not given), or an empty dict."""
    return {part: value.get(part) for part in ("name", "email", "url")} if value else {}


def paragraphs(text: str | None) -> tuple[str, ...]:
    """Plain text split at empty lines, each paragraph on one line."""
    return tuple(" ".join(part.split()) for part in (text or "").split("\n\n") if part.strip())


# A validated front-matter value as the model holds it, by the field's kind; a kind not named here is kept as read.
READERS = {
    "text": lambda value, site: str(value).strip(),
    "date": lambda value, site: parse_date(value),
    "keywords": lambda value, site: [str(item) for item in as_list(value)],
    "contact": lambda value, site: contact_of(value),
    "location": lambda value, site: {"lat": value["lat"], "lon": value["lon"]},
    "region": lambda value, site: site["regions"][value],
    "themes": lambda value, site: [site["themes"][theme_id] for theme_id in as_list(value)],
    "paragraphs": lambda value, site: paragraphs(value),
    "sources": lambda value, site: [{"title": item["title"].strip(), "url": item["url"].strip()} for item in value],
    **{kind: lambda value, site: str(value) for kind in ("choice", "period", "url", "image")},
}
EMPTY = {"keywords": list, "themes": list, "contact": dict, "sources": list, "paragraphs": tuple}  # what an absent field of these kinds holds


def field_values(meta: dict, lookups: dict) -> dict:
    """Every field of the schema, read by its kind; an absent optional field is its default, empty or None."""
    values = {}
    for spec in PRACTICE:
        value = meta.get(spec.name)
        if value in (None, "") or value == []:
            values[spec.name] = spec.default or EMPTY.get(spec.kind, lambda: None)()
        else:
            values[spec.name] = READERS.get(spec.kind, lambda value, site: value)(value, lookups)
    return values


def build_practice(doc: Document, body: Body, regions: dict, themes: dict, config: Config) -> Practice:
    """One practice from its validated front matter, field by field as the schema declares them."""
    values = field_values(doc.meta, {"regions": regions, "themes": themes})
    point = values["location"] or {"lat": values["region"].lat, "lon": values["region"].lon}
    practice = Practice(slug=doc.slug, **values, lat=point["lat"], lon=point["lon"], body=body, source=doc.source)
    practice.url = config.url(practice.path)
    practice.image_url = config.url(f"static/{practice.image}") if practice.image else None
    practice.edit_url, practice.history_url = config.source_links(doc.source)
    return practice


def build_site(config: Config, practice_docs: list[Document], region_docs: list[Document], theme_docs: list[Document],
               bodies: dict[str, Body], static: dict[str, bytes], cache=None) -> Site:
    """Link practices to regions, countries and themes; sort every listing; find related practices (reused from `cache`)."""
    themes = build_themes(theme_docs, config)
    regions, countries = build_regions(region_docs, bodies, config)
    by_slug, by_id = {r.slug: r for r in regions}, {t.id: t for t in themes}
    practices = sorted((build_practice(doc, bodies[str(doc.path)], by_slug, by_id, config) for doc in practice_docs),
                       key=lambda p: p.sort_key)
    for practice in practices:
        practice.region.practices.append(practice)
        practice.country.practices.append(practice)
        for theme in practice.themes:
            theme.practices.append(practice)
    assign_related(practices, cache)
    for practice in practices:
        practice.image_size = image_size(static[practice.image]) if practice.image in static else None
    return Site(config, practices, regions, countries, themes, static)


@dataclass
class Listing:
    """One page of a paginated list: its items, its number and the links to its neighbours."""

    items: list
    number: int
    count: int
    path: str
    url: str
    previous: "Listing | None" = field(default=None, repr=False)
    next: "Listing | None" = field(default=None, repr=False)
    pages: list = field(default_factory=list, repr=False)

    @property
    def first(self) -> "Listing":
        """The listing's first page."""
        return self.pages[0]

    @property
    def last(self) -> "Listing":
        """The listing's last page."""
        return self.pages[-1]

    def nearby(self, reach: int = 2) -> list["Listing | None"]:
        """The pages the pager numbers: the first, the last and those within `reach` of this one; None for a gap."""
        shown = [page for page in self.pages if page.number in (1, self.count) or abs(page.number - self.number) <= reach]
        numbered = []
        for page in shown:
            if numbered and page.number - numbered[-1].number > 1:
                numbered.append(None)
            numbered.append(page)
        return numbered


def paginate(items: list, path: str, config: Config) -> list[Listing]:
    """Split `items` into pages: the first at `path`, the others at `path/page/N/`."""
    size = max(1, config.per_page)
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    listings = []
    for number, chunk in enumerate(chunks, start=1):
        page_path = path if number == 1 else f"{path}page/{number}/"
        listings.append(Listing(chunk, number, len(chunks), page_path, config.url(page_path)))
    for before, after in zip(listings, listings[1:]):
        before.next, after.previous = after, before
    for listing in listings:
        listing.pages = listings
    return listings
