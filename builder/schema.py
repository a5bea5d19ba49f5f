"""The content schema, declared once: it drives validation, the `new` scaffold and the field table."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, kind of value, whether required, and help for editors."""

    name: str
    kind: str
    required: bool
    help: str
    example: str = ""
    limit: int = 0
    choices: tuple[str, ...] = ()
    default: str = ""

    @property
    def label(self) -> str:
        """The field's name in words, as the web editor and the issue form show it."""
        return self.name.replace("_", " ").capitalize()


LEVELS = ("national", "regional", "local")
STATUSES = ("validated", "submitted")
PERIODS = ("2014-2020", "2021-2027")
SECTIONS = (
    "Description",
    "Resources needed",
    "Evidence of success",
    "Difficulties encountered",
    "Potential for learning or transfer",
)
SLUG_RULE = "lower-case letters a–z, digits and hyphens, e.g. `house-of-digitalisation`"
RESERVED_SLUGS = ("page",)  # `/practices/page/2/` belongs to the listing's pager

PRACTICE = (
    Field("title", "text", True, "The name of the practice.", "House of Digitalisation", limit=100),
    Field("summary", "text", True, "One or two plain sentences, shown on cards, in search results and in link previews.",
          "A network of digital hubs that helps small firms take their first steps towards Industry 4.0.", limit=300),
    Field("region", "region", True, "The file name (without `.md`) of a region in `content/regions/`.", "lower-austria"),
    Field("themes", "themes", True, "One to three theme ids from `content/themes.yaml`.", "[research-and-innovation]", limit=3),
    Field("organisation", "text", True, "The institution that runs the practice.", "ecoplus, the business agency of Lower Austria", limit=200),
    Field("level", "choice", True, "Where the practice is run.", "regional", choices=LEVELS),
    Field("published", "date", True, "The date the practice was published here, as YYYY-MM-DD.", "2021-03-15"),
    Field("updated", "date", False, "The date of the last substantial change, not before `published`.", "2022-01-10"),
    Field("start", "period", False, "When the practice began: a year or YYYY-MM.", "2018"),
    Field("end", "period", False, "When it ended, not before `start`; leave out while it runs.", "2023-06"),
    Field("status", "choice", False, "`validated` once thematic experts have validated it; otherwise `submitted`.",
          "submitted", choices=STATUSES, default="submitted"),
    Field("expert_opinion", "paragraphs", False, "The thematic experts' opinion, as published with the practice, in plain "
          "text (no Markdown). For more than one paragraph, write `expert_opinion: |` and the paragraphs on indented "
          "lines below it, with an empty line between them.", '"The experts note that the practice is easy to transfer."',
          limit=3000),
    Field("project", "text", False, "The project in which the practice was shared.", "INNO INDUSTRY", limit=100),
    Field("keywords", "keywords", False, "A few short keywords.", "[clusters, digitalisation]", limit=10),
    Field("website", "url", False, "The practice's web page, starting with http:// or https://.", "https://www.example.org/"),
    Field("sources", "sources", False, "The public pages this text is based on, so readers can check it: a list of "
          "sources, each with a `title` and a `url` starting with http:// or https://.",
          '[{title: "Good practice page, Interreg Europe", url: "https://www.interregeurope.eu/good-practices"}]', limit=20),
    Field("contact", "contact", False, "A public contact point: `name`, `email` and/or `url`.", "{name: Helpdesk, email: info@example.org}"),
    Field("image", "image", False, "A picture, as a path to a file under `static/`.", "images/house-of-digitalisation.jpg"),
    Field("image_alt", "text", False, "What the picture shows, for readers who cannot see it; required with `image`.",
          "The central building in Tulln", limit=300),
    Field("location", "location", False, "`lat` and `lon` of a precise place; otherwise the region's point is used.",
          "{lat: 48.33, lon: 16.06}"),
)

REGION = (
    Field("name", "text", True, "The region's name.", "Lower Austria", limit=100),
    Field("country", "country", True, "The ISO 3166-1 alpha-2 code of the country, in quotes.", '"AT"'),
    Field("nuts", "nuts", False, "The NUTS code, starting with the country's NUTS prefix (`EL` for Greece, `UK` for the United Kingdom).", '"AT12"'),
    Field("lat", "latitude", True, "Latitude of the point used for the region on maps.", "48.2"),
    Field("lon", "longitude", True, "Longitude of that point.", "15.6"),
)

THEME = (
    Field("id", "slug", True, "The id used in practices' `themes`.", "research-and-innovation"),
    Field("name", "text", True, "The theme's name.", "Research and innovation", limit=100),
    Field("description", "text", True, "One sentence about the theme.", "", limit=300),
    Field("period", "choice", True, "The programme period it belongs to.", "2014-2020", choices=PERIODS),
)

SECTION_HELP = {
    "Description": "What the practice is, who runs it, for whom, and how it works.",
    "Resources needed": "The money, staff and other means it takes, as far as they are known.",
    "Evidence of success": "What it has achieved, with figures and sources where possible.",
    "Difficulties encountered": "What was hard, and how it was overcome.",
    "Potential for learning or transfer": "Why and how another region could take it up.",
}
