"""Open data: every practice as JSON (all fields) and CSV (one row each), both made from the schema's fields."""

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .model import Practice, Site
from .schema import PRACTICE, SECTIONS, Field

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, its Table Schema type, what it holds, and how to read it from a JSON record."""

    name: str
    type: str
    description: str
    required: bool
    value: Callable[[dict], object]


def section_column(title: str) -> str:
    """The column (and JSON key) of a body section: `Resources needed` -> `resources_needed`."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


SECTION_COLUMNS = {title: section_column(title) for title in SECTIONS}


def exported(spec: Field, practice: Practice, site: Site):
    """A field's value as plain JSON: ids for the region and themes, ISO dates, absolute image addresses."""
    value = getattr(practice, spec.name)
    if spec.kind == "region":
        return value.slug
    if spec.kind == "themes":
        return [theme.id for theme in value]
    if spec.kind == "date":
        return value.isoformat() if value else None
    if spec.kind == "image":
        return site.config.absolute(practice.image_url) if value else None
    if spec.kind == "location":  # the point maps use: the practice's own, else its region's
        return {"lat": practice.lat, "lon": practice.lon}
    if spec.kind == "paragraphs":
        return "\n\n".join(value) or None
    return value


def practice_record(practice: Practice, site: Site) -> dict:
    """Every schema field of a practice as plain JSON values, then its place, address, sections and body."""
    record = {"slug": practice.slug, **{spec.name: exported(spec, practice, site) for spec in PRACTICE}}
    region = practice.region
    record.update({"region_name": region.name, "country": region.country.code, "country_name": region.country.name,
                   "nuts": region.nuts, "url": site.config.absolute(practice.url), "body_html": practice.body.html})
    texts = dict(practice.body.texts)
    record.update({column: texts.get(title, "") for title, column in SECTION_COLUMNS.items()})
    return record


def practices_json(site: Site) -> bytes:
    """`data/practices.json` whole (see `json_parts`)."""
    return b"".join(json_parts(site))


def json_parts(site: Site) -> Iterator[bytes]:
    """`data/practices.json` in parts, to be written as they come: the licence, then every practice, newest first.

    One line per practice keeps a diff of two versions readable, and lets the standard library's fast
    encoder write each line (an indented file goes through its pure-Python one, ten times slower).
    Made line by line, the file is never held whole: at 10,000 practices it is 91 MB.
    """
    head = json.dumps({"licence": site.config.licence, "licence_url": site.config.licence_url}, ensure_ascii=False)
    yield f'{head[:-1]}, "practices": [\n'.encode("utf-8")
    for index, practice in enumerate(site.practices):
        line = json.dumps(practice_record(practice, site), ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield b",\n" + line if index else line
    yield f'\n], "title": {json.dumps(site.config.title, ensure_ascii=False)}}}\n'.encode("utf-8")


def field_columns(spec: Field) -> list[Column]:
    """The CSV columns of one schema field: lists joined with `; `, a contact and a point split in parts."""
    name, required = spec.name, spec.required
    if spec.kind == "contact":
        return [Column(f"{name}_{part}", "string", f"The contact's {part} ({spec.help})", False,
                       lambda r, part=part: (r[name] or {}).get(part)) for part in ("name", "email", "url")]
    if spec.kind == "location":
        return [Column(axis, "number", f"{label} of the practice's point: its `location`, else its region's.", True,
                       lambda r, axis=axis: r[name][axis]) for axis, label in (("lat", "Latitude"), ("lon", "Longitude"))]
    kind = {"date": "date"}.get(spec.kind, "string")
    if spec.kind == "sources":
        return [Column(name, kind, spec.help + " In the CSV: `title <url>`, separated by `; `.", required,
                       lambda r: "; ".join(f"{source['title']} <{source['url']}>" for source in r[name]))]
    if spec.kind in ("themes", "keywords"):
        return [Column(name, kind, spec.help + " Several are separated by `; `.", required, lambda r: "; ".join(r[name]))]
    return [Column(name, kind, spec.help, required, lambda r: "; ".join(r[name]) if isinstance(r[name], list) else r[name])]


def csv_columns() -> list[Column]:
    """Every column of `data/practices.csv`, in order: the schema's fields, the place, the address, the sections."""
    columns = [Column("slug", "string", "The practice's id: its file name and the last part of its address.", True,
                      lambda r: r["slug"])]
    for spec in PRACTICE:
        columns += field_columns(spec)
        if spec.kind == "region":
            columns += [
                Column("region_name", "string", "The region's name.", True, lambda r: r["region_name"]),
                Column("country", "string", "The country's ISO 3166-1 alpha-2 code.", True, lambda r: r["country"]),
                Column("country_name", "string", "The country's name.", True, lambda r: r["country_name"]),
                Column("nuts", "string", "The region's NUTS code (Eurostat), where it has one.", False, lambda r: r["nuts"]),
            ]
    columns.append(Column("url", "string", "The practice's page on this portal.", True, lambda r: r["url"]))
    columns += [Column(column, "string", f"The text of the section \u201c{title}\u201d, as plain text.",
                       False, lambda r, key=column: r[key]) for title, column in SECTION_COLUMNS.items()]
    columns.append(Column("licence", "string", "The licence of the texts and its address.", True, lambda r: r["licence"]))
    return columns


def practices_csv(site: Site) -> bytes:
    """`data/practices.csv` whole (see `csv_parts`)."""
    return b"".join(csv_parts(site))


def csv_parts(site: Site) -> Iterator[bytes]:
    """`data/practices.csv` row by row: the columns of `csv_columns()`, one row per practice, the licence in its own column."""
    columns = csv_columns()
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)  # each row as UTF-8 bytes
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    licence = f"{site.config.licence} {site.config.licence_url}"
    for practice in site.practices:
        record = {**practice_record(practice, site), "licence": licence}
        writer.writerow([inert("" if (value := column.value(record)) is None else value) for column in columns])
        yield taken(buffer)
    yield taken(buffer)  # the header row alone, when there is no practice


def taken(buffer: io.BytesIO) -> bytes:
    """What a buffer holds, leaving it empty."""
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


def inert(value):
    """A CSV cell that a spreadsheet shows as text: a leading `'` before a would-be formula (numbers stay).

    The JSON file keeps every value exactly as written; only the CSV, made for spreadsheets, is changed.
    """
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text) else value
