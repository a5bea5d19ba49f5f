"""Open data: every practice as JSON (all fields) and CSV (one row each), with the licence stated."""

import csv
import io
import json
import re

from .model import Practice, Site

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
CSV_COLUMNS = (
    "slug", "title", "summary", "region", "region_name", "country", "country_name", "themes", "organisation",
    "level", "status", "published", "updated", "start", "end", "project", "keywords", "website",
    "contact_name", "contact_email", "contact_url", "sources", "expert_opinion", "lat", "lon", "url", "licence",
)


def practice_record(practice: Practice, site: Site) -> dict:
    """Every field of a practice as plain JSON values, with its absolute URL."""
    return {
        "slug": practice.slug, "title": practice.title, "summary": practice.summary,
        "region": practice.region.slug, "region_name": practice.region.name,
        "country": practice.country.code, "country_name": practice.country.name,
        "themes": [theme.id for theme in practice.themes], "organisation": practice.organisation,
        "level": practice.level, "status": practice.status, "published": practice.published.isoformat(),
        "updated": practice.updated.isoformat() if practice.updated else None,
        "start": practice.start, "end": practice.end, "project": practice.project,
        "keywords": practice.keywords, "website": practice.website, "contact": practice.contact,
        "sources": practice.sources, "expert_opinion": "\n\n".join(practice.expert_opinion) or None,
        "image": site.config.absolute(practice.image_url) if practice.image_url else None,
        "image_alt": practice.image_alt, "location": {"lat": practice.lat, "lon": practice.lon},
        "url": site.config.absolute(practice.url), "body_html": practice.body.html,
    }


def practices_json(site: Site) -> bytes:
    """`data/practices.json`: the licence, then every practice, newest first."""
    document = {
        "title": site.config.title,
        "licence": site.config.licence,
        "licence_url": site.config.licence_url,
        "practices": [practice_record(practice, site) for practice in site.practices],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def practices_csv(site: Site) -> bytes:
    """`data/practices.csv`: one row per practice; lists joined with `; `; the licence in its own column."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for practice in site.practices:
        record = practice_record(practice, site)
        contact, location = record.pop("contact"), record.pop("location")
        writer.writerow({key: inert(value) for key, value in {
            **{key: "" if value is None else value for key, value in record.items()},
            "themes": "; ".join(record["themes"]), "keywords": "; ".join(record["keywords"]),
            "sources": "; ".join(f"{source['title']} <{source['url']}>" for source in record["sources"]),
            "contact_name": contact.get("name") or "", "contact_email": contact.get("email") or "",
            "contact_url": contact.get("url") or "", "lat": location["lat"], "lon": location["lon"],
            "licence": f"{site.config.licence} {site.config.licence_url}",
        }.items()})
    return buffer.getvalue().encode("utf-8")


def inert(value):
    """A CSV cell that a spreadsheet shows as text: a leading `'` before a would-be formula (numbers stay).

    The JSON file keeps every value exactly as written; only the CSV, made for spreadsheets, is changed.
    """
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text) else value
