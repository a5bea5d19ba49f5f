"""Checking documents against the schema: every problem found, each at the line of its key."""

import datetime
import difflib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pycountry

from .load import Document
from .problems import Problem, display_path
from .scan import MAX_STATIC_BYTES, entry_problem, read_regular
from .schema import PRACTICE, REGION, RESERVED_SLUGS, SLUG_RULE, THEME, Field
from .suggest import choices

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
NUTS_PREFIX = {"GR": "EL", "GB": "UK"}
SPACE = re.compile(r"\s")  # what str.isspace() calls white space, found in C
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not in XML 1.0, nor in UTF-8


def shown(value, limit: int = 60) -> str:
    """A value as it may appear in a message: on one line, without backticks, and not too long."""
    text = " ".join(str(value).replace("`", "'").split()) if not isinstance(value, str) else value.replace("`", "'")
    if not text.isprintable():
        text = "".join(char if char.isprintable() else " " for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, options) -> str:
    """`; did you mean `x`?` when a close match exists, else nothing."""
    match = difflib.get_close_matches(str(word), sorted(options), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def check_fields(doc: Document, schema: tuple[Field, ...], context: dict) -> list[Problem]:
    """Unknown, missing and malformed fields of one document."""
    known = {field.name: field for field in schema}
    problems = [doc.problem(key, f"unknown field `{shown(key)}`{did_you_mean(key, known)}")
                for key in doc.meta if key not in known]
    # A misspelt key is one problem, at the key: its field is not also reported missing.
    misspelt = {match for key in doc.meta if key not in known for match in difflib.get_close_matches(str(key), known, 1, 0.6)}
    for field in schema:
        value = doc.meta.get(field.name)
        if value is None or value == "" or value == []:
            if field.required and field.name not in misspelt:
                problems.append(doc.problem(field.name if field.name in doc.meta else None,
                                            f"`{field.name}` is required: {field.help[0].lower()}{field.help[1:]}"))
            continue
        if control := control_character(value):
            problems.append(doc.problem(field.name, f"`{field.name}`: {control}"))
            continue
        for key, message in CHECKS[field.kind](value, field, context):
            problems.append(doc.problem(key or field.name, f"`{field.name}`: {message}"))
    return problems


def control_character(value) -> str | None:
    """What is wrong when a text, or a text inside a list or mapping, holds a character no feed or page may carry."""
    texts = [value] if isinstance(value, str) else list(value) + list(value.values()) if isinstance(value, dict) else value
    for text in texts if isinstance(texts, list) else []:
        if isinstance(text, str) and (found := CONTROL.search(text)):
            return (f"holds an invisible control character (U+{ord(found[0]):04X}) at position {found.start() + 1}; "
                    "delete it, as it would break the feed and the data files")
    return None


def check_text(value, field: Field, context: dict):
    """Plain text within the field's length limit."""
    if not isinstance(value, str):
        return [(None, "should be text; put it in quotes")]
    if field.limit and len(value) > field.limit:
        return [(None, f"is {len(value)} characters long; keep it to {field.limit}")]
    return []


def check_paragraphs(value, field: Field, context: dict):
    """Plain text of one or more paragraphs within the field's length limit."""
    if not isinstance(value, str):
        return [(None, "should be text; for several paragraphs write `|` after the colon and indent the text below it")]
    return check_text(value, field, context)


def check_sources(value, field: Field, context: dict):
    """A list of sources, each with a `title` and an http(s) `url`."""
    if not isinstance(value, list):
        return [(None, "should be a list: a line `- title: …` for each source, with `url: …` on the line below it, "
                       "indented to line up with `title`")]
    problems = [problem for number, item in enumerate(value, 1) for problem in check_source(item, number, field, context)]
    if len(value) > field.limit:
        problems.append((None, f"lists {len(value)} sources; keep it to the {field.limit} most useful"))
    return problems


def check_source(item, number: int, field: Field, context: dict):
    """One source: its parts, its title and its address, each reported at its own line."""
    key = f"sources.{number - 1}"
    if not isinstance(item, dict):
        return [(key, f"source {number} should give a `title` and a `url` on lines of their own")]
    if control := control_character(item):
        return [(key, f"source {number} {control}")]
    problems = [(f"{key}.{part}", f"source {number} has an unknown part `{shown(part)}`{did_you_mean(part, ('title', 'url'))}")
                for part in item if part not in ("title", "url")]
    title, url = item.get("title"), item.get("url")
    if title is None or title == "":
        problems.append((key, f"source {number} has no `title`: name the page, e.g. its heading and who published it"))
    elif not isinstance(title, str) or len(title) > 300:
        problems.append((f"{key}.title", f"the title of source {number} should be a text of at most 300 characters"))
    if url is None or url == "":
        problems.append((key, f"source {number} has no `url`: give the address of the page, starting with https://"))
    else:
        problems += [(f"{key}.url", f"source {number}: {message}") for _, message in check_url(url, field, context)]
    return problems


def check_choice(value, field: Field, context: dict):
    """One of the field's fixed choices."""
    if value not in field.choices:
        options = ", ".join(f"`{choice}`" for choice in field.choices)
        return [(None, f"`{shown(value)}` is not one of {options}{did_you_mean(value, field.choices)}")]
    return []


def parse_date(value) -> datetime.date | None:
    """A `YYYY-MM-DD` date, or None."""
    try:
        return datetime.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else None
    except ValueError:
        return None


def check_date(value, field: Field, context: dict):
    """A real calendar date written as YYYY-MM-DD."""
    return [] if parse_date(value) else [(None, f"`{shown(value)}` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-15")]


def parse_period(value) -> tuple[int, int] | None:
    """A year or `YYYY-MM` as (year, month), or None."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(value))
    if not match or not 1 <= int(match[2] or 1) <= 12:
        return None
    return int(match[1]), int(match[2] or 0)


def check_period(value, field: Field, context: dict):
    """A year or a month as YYYY-MM."""
    return [] if parse_period(value) else [(None, f"`{shown(value)}` is not a year or a month; write 2018 or 2018-09")]


def check_url(value, field: Field, context: dict):
    """An absolute http(s) URL."""
    parts = split_url(value) if isinstance(value, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.netloc or SPACE.search(value):
        return [(None, f"`{shown(value)}` is not a web address; it must start with https:// (or http://)")]
    return []


def split_url(value: str):
    """`urlsplit`, or None for what it cannot read (`http://[::1/`, a bad IPv6 host)."""
    try:
        return urlsplit(value)
    except ValueError:
        return None


def check_contact(value, field: Field, context: dict):
    """A mapping of `name`, `email` and `url`."""
    if not isinstance(value, dict) or not value:
        return [(None, "should list `name`, `email` and/or `url` on indented lines below it")]
    problems = [(f"contact.{key}", f"unknown part `{shown(key)}`{did_you_mean(key, ('name', 'email', 'url'))}")
                for key in value if key not in ("name", "email", "url")]
    if "email" in value and not (isinstance(value["email"], str) and EMAIL.match(value["email"])):
        problems.append(("contact.email", f"`{shown(value['email'])}` is not an e-mail address"))
    if "url" in value:
        problems += [("contact.url", message) for _, message in check_url(value["url"], field, context)]
    if "name" in value and not isinstance(value["name"], str):
        problems.append(("contact.name", "the name should be text; put it in quotes"))
    return problems


def check_location(value, field: Field, context: dict):
    """A mapping of `lat` and `lon`."""
    if not isinstance(value, dict) or set(value) != {"lat", "lon"}:
        return [(None, "should give `lat` and `lon` on indented lines below it")]
    return [(f"location.{key}", message) for key, check in (("lat", check_latitude), ("lon", check_longitude))
            for _, message in check(value[key], field, context)]


def check_number(value, low: float, high: float, what: str):
    """A number between `low` and `high`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        return [(None, f"`{shown(value)}` is not a {what}; give a number between {low:g} and {high:g}")]
    return []


def check_latitude(value, field: Field, context: dict):
    """A latitude in degrees."""
    return check_number(value, -90, 90, "latitude")


def check_longitude(value, field: Field, context: dict):
    """A longitude in degrees."""
    return check_number(value, -180, 180, "longitude")


def check_region(value, field: Field, context: dict):
    """The slug of a region file."""
    regions = context["regions"]
    if isinstance(value, list):
        return [(None, "is one region; write the file name of one region in content/regions/")]
    if not isinstance(value, str) or value not in regions:
        return [(None, f"`{shown(value)}` is not a region in content/regions/; {choices(value, regions)}")]
    return []


def comma_list(value) -> str:
    """What to write when a list was written as one text with commas (`a, b, c`); else nothing."""
    if not isinstance(value, str) or "," not in value:
        return ""
    items = ", ".join(part.strip() for part in value.split(",") if part.strip())
    return f"is written as one text with commas; write a list in square brackets: `[{shown(items)}]`"


def as_list(value) -> list:
    """A value as a list: one string stands for a list of one."""
    return value if isinstance(value, list) else [value]


def check_themes(value, field: Field, context: dict):
    """One to three known theme ids."""
    if comma_list(value):
        return [(None, comma_list(value))]
    items, themes = as_list(value), context["themes"]
    problems = [(f"themes.{i}", f"`{shown(item)}` is not a theme; {choices(item, themes, many=12)}")
                for i, item in enumerate(items) if not isinstance(item, str) or item not in themes]
    if len(items) > field.limit:
        problems.append((None, f"lists {len(items)} themes; choose at most {field.limit}"))
    if len(set(map(str, items))) < len(items):
        problems.append((None, "lists a theme twice"))
    return problems


def check_keywords(value, field: Field, context: dict):
    """A short list of short strings."""
    if comma_list(value):
        return [(None, comma_list(value))]
    items = as_list(value)
    problems = [(f"keywords.{i}", f"`{shown(item)}` should be a short text of at most 40 characters")
                for i, item in enumerate(items) if not isinstance(item, str) or not 0 < len(item) <= 40]
    if len(items) > field.limit:
        problems.append((None, f"lists {len(items)} keywords; keep it to {field.limit}"))
    return problems


def check_image(value, field: Field, context: dict):
    """A file under `static/`, named by a relative path that stays inside it."""
    if not isinstance(value, str):
        return [(None, "should be a path such as images/photo.jpg")]
    path = PurePosixPath(value)
    parts = split_url(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value or not parts or parts.scheme or "\0" in value:
        return [(None, f"`{shown(value)}` must be a path inside static/, such as images/photo.jpg")]
    static: Path = context["static"]
    if entry_problem(static / path, static, MAX_STATIC_BYTES) or not is_file_inside(static / path, static):
        return [(None, f"`{shown(value)}` is not a file in static/")]
    return []


def is_file_inside(path: Path, folder: Path) -> bool:
    """Whether `path` is a file within `folder`, links followed; False for a name the system refuses (too long)."""
    try:
        return path.is_file() and path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def check_country(value, field: Field, context: dict):
    """An ISO 3166-1 alpha-2 code."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value) or not pycountry.countries.get(alpha_2=value):
        return [(None, f"`{shown(value)}` is not a country code; use the two capital letters of ISO 3166-1, e.g. \"AT\"")]
    return []


def check_nuts(value, field: Field, context: dict):
    """A NUTS code; the prefix is checked against the country in `check_region_document`."""
    if not isinstance(value, str) or not NUTS.match(value):
        return [(None, f"`{shown(value)}` is not a NUTS code such as \"AT12\"")]
    return []


def check_slug(value, field: Field, context: dict):
    """An id in slug form."""
    return [] if isinstance(value, str) and SLUG.match(value) else [(None, f"`{shown(value)}` must use {SLUG_RULE}")]


CHECKS = {
    "text": check_text, "paragraphs": check_paragraphs, "sources": check_sources, "choice": check_choice, "date": check_date, "period": check_period,
    "url": check_url, "contact": check_contact, "location": check_location, "region": check_region,
    "themes": check_themes, "keywords": check_keywords, "image": check_image, "country": check_country,
    "nuts": check_nuts, "latitude": check_latitude, "longitude": check_longitude, "slug": check_slug,
}


def check_slug_name(doc: Document) -> list[Problem]:
    """The file name is the slug: it must be URL-safe and not reserved."""
    if not SLUG.match(doc.slug):
        return [doc.problem(None, f"the file name `{doc.path.name}` must use {SLUG_RULE} before `.md`")]
    if doc.slug in RESERVED_SLUGS:
        return [doc.problem(None, f"the file name `{doc.path.name}` is reserved for the site's own pages; choose another")]
    return []


def check_practice(doc: Document, context: dict) -> list[Problem]:
    """Every problem of one practice file."""
    meta = doc.meta
    problems = check_slug_name(doc) + check_fields(doc, PRACTICE, context)
    published, updated = parse_date(meta.get("published")), parse_date(meta.get("updated"))
    if published and updated and updated < published:
        problems.append(doc.problem("updated", f"`updated` ({updated}) is before `published` ({published})"))
    start, end = parse_period(meta.get("start")), parse_period(meta.get("end"))
    if start and end and end < start:
        problems.append(doc.problem("end", f"`end` ({shown(meta['end'])}) is before `start` ({shown(meta['start'])})"))
    if meta.get("image") and not meta.get("image_alt"):
        problems.append(doc.problem("image", "`image_alt` is required with `image`: describe what the picture shows"))
    return problems


def check_region_document(doc: Document, context: dict) -> list[Problem]:
    """Every problem of one region file."""
    problems = check_slug_name(doc) + check_fields(doc, REGION, context)
    country, nuts = doc.meta.get("country"), doc.meta.get("nuts")
    if not check_country(country, REGION[1], context) and isinstance(nuts, str) and NUTS.match(nuts):
        prefix = NUTS_PREFIX.get(country, country)
        if not nuts.startswith(prefix):
            problems.append(doc.problem("nuts", f"`nuts`: `{shown(nuts)}` does not belong to country `{shown(country)}`; its NUTS codes start with `{prefix}`"))
    return problems


def check_theme(doc: Document, context: dict) -> list[Problem]:
    """Every problem of one entry of the themes file."""
    problems = check_fields(doc, THEME[1:], context)
    if not SLUG.match(doc.slug):
        problems.insert(0, doc.problem("id", f"the theme id `{doc.slug}` must use {SLUG_RULE}"))
    return problems


# A picture in SVG can carry script that runs when the file is opened on its own (no page CSP applies).
SVG_ACTIVE = re.compile(rb"<script|<foreignobject|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:|<!entity", re.IGNORECASE)


def check_static_files(folder: Path) -> list[Problem]:
    """SVG pictures in static/ that hold script, event handlers or embedded documents."""
    problems = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.suffix.lower() == ".svg" and entry_problem(path, folder, MAX_STATIC_BYTES) is None:
            data = read_regular(path, MAX_STATIC_BYTES) or b""
            if match := SVG_ACTIVE.search(data):
                problems.append(Problem(display_path(path), data[: match.start()].count(b"\n") + 1,
                                        f"the SVG picture holds `{match[0].strip().decode('ascii', 'replace')}`, which could "
                                        "run script in readers' browsers; export it again without scripts, or use PNG or JPEG"))
    return problems
