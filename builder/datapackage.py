"""What the open data files hold, for machines: a Frictionless Data Package (with the CSV's Table Schema)
and a JSON Schema of the JSON file, both made from builder/schema.py like the files themselves."""

import json

from .export import csv_columns, section_column
from .model import PATHS, Site
from .schema import PRACTICE, SECTIONS, Field

TEXT, NUMBER = {"type": "string"}, {"type": "number"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def kind_schema(spec: Field, site: Site) -> dict:
    """The JSON Schema of one field's exported value, by its kind; a kind not named here may hold anything."""
    schemas = {
        "text": {"type": "string", **({"maxLength": spec.limit} if spec.limit else {})},
        "choice": {"enum": list(spec.choices)},
        "date": {"type": "string", "format": "date"},
        "period": {"type": "string", "pattern": r"^\d{4}(-\d{2})?$"},
        "keywords": {"type": "array", "items": TEXT, **({"maxItems": spec.limit} if spec.limit else {})},
        "themes": {"type": "array", "items": {"enum": [theme.id for theme in site.themes]}, "minItems": 1,
                   **({"maxItems": spec.limit} if spec.limit else {})},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "image": {"type": "string", "format": "uri"},
        "region": {"enum": [region.slug for region in site.regions]},
        "contact": {"type": "object", "additionalProperties": False,
                    "properties": {part: NULLABLE_TEXT for part in ("name", "email", "url")}},
        "paragraphs": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["title", "url"],
                    "properties": {"title": TEXT, "url": {"type": "string", "format": "uri", "pattern": "^https?://"}}},
                    **({"maxItems": spec.limit} if spec.limit else {})},
        "location": {"type": "object", "additionalProperties": False, "required": ["lat", "lon"],
                     "properties": {"lat": {"type": "number", "minimum": -90, "maximum": 90},
                                    "lon": {"type": "number", "minimum": -180, "maximum": 180}}},
    }
    schema = schemas.get(spec.kind, {})
    always = spec.required or spec.default or spec.kind in ("keywords", "themes", "contact", "location", "sources")
    return {"description": spec.help, **(schema if always else {"anyOf": [schema, {"type": "null"}]})}


def practice_schema(site: Site) -> dict:
    """The JSON Schema of one record of `practices.json`: every schema field, then what the export adds."""
    properties = {"slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}
    properties.update({spec.name: kind_schema(spec, site) for spec in PRACTICE})
    properties.update({
        "region_name": TEXT, "country": {"type": "string", "pattern": "^[A-Z]{2}$"}, "country_name": TEXT,
        "nuts": NULLABLE_TEXT, "url": {"type": "string", "format": "uri"}, "body_html": TEXT,
        **{section_column(title): {"type": "string", "description": f"The section \u201c{title}\u201d as plain text."}
           for title in SECTIONS},
    })
    return {"type": "object", "additionalProperties": False, "required": sorted(properties), "properties": properties}


def practices_schema(site: Site) -> dict:
    """The JSON Schema (draft 2020-12) of `data/practices.json`."""
    config = site.config
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": config.absolute(config.url(PATHS["json_schema"])),
        "title": f"{config.title}: practices", "type": "object", "additionalProperties": False,
        "required": ["title", "licence", "licence_url", "practices"],
        "properties": {"title": TEXT, "licence": TEXT, "licence_url": {"type": "string", "format": "uri"},
                       "practices": {"type": "array", "items": practice_schema(site)}},
    }


def table_schema(site: Site) -> dict:
    """The Frictionless Table Schema of `data/practices.csv`, column by column as the CSV is written."""
    choices = {spec.name: spec.choices for spec in PRACTICE if spec.choices}
    fields = []
    for column in csv_columns():
        constraints = {"required": True} if column.required else {}
        if column.name in choices:
            constraints["enum"] = list(choices[column.name])
        fields.append({"name": column.name, "type": column.type, "description": column.description,
                       **({"constraints": constraints} if constraints else {})})
    return {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]}


def file_name(name: str) -> str:
    """A data file's name beside datapackage.json (they share the `data/` folder)."""
    return PATHS[name].rsplit("/", 1)[-1]


def datapackage(site: Site) -> dict:
    """The Data Package descriptor of the portal's open data: both files, the CSV's schema and the licence."""
    config = site.config
    return {
        "name": "good-practices", "title": config.title, "description": config.description,
        "homepage": config.absolute(config.url(PATHS["home"])),
        "licenses": [{"path": config.licence_url, "title": config.licence}],
        "resources": [
            {"name": "practices-csv", "path": file_name("csv"), "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "title": "Practices, one row each",
             "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
             "schema": table_schema(site)},
            {"name": "practices-json", "path": file_name("json"), "profile": "data-resource", "format": "json",
             "mediatype": "application/json", "encoding": "utf-8", "title": "Practices, every field",
             "description": f"Described by the JSON Schema in {file_name('json_schema')}."},
        ],
    }


def as_bytes(document: dict) -> bytes:
    """A descriptor as stable, readable JSON."""
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
