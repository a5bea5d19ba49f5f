"""The web editor at `/admin/`: Sveltia CMS, served from the site itself, configured from the schema."""

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .schema import PRACTICE, REGION, SECTION_HELP, SECTIONS, Field

# The pinned npm package `@sveltia/cms` (package.json) ships this file; tests/test_admin.py checks they are equal.
# The version is named here too, so that changing the file changes the builder's code, and so every cached build.
VERSION = "0.221.1"
SCRIPT = Path(__file__).parent / "data" / "sveltia-cms.js"
LICENCE = Path(__file__).parent / "data" / "sveltia-cms.LICENSE.txt"
IMAGES = "images"  # practices' pictures: static/images/, named `images/...` in the front matter
# Only GitHub's API beyond the site: the CMS reads and writes the repository through it; no CDN, no fonts, no tracking.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; font-src 'self' data:; connect-src 'self' data: https://api.github.com; "
       "worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'")
PATTERNS = {
    "period": ["^[0-9]{4}(-(0[1-9]|1[0-2]))?$", "a year or a month, e.g. 2018 or 2018-09"],
    "url": ["^https?://\\S+$", "a web address starting with https:// (or http://)"],
    "country": ["^[A-Z]{2}$", "two capital letters of ISO 3166-1, e.g. AT"],
    "nuts": ["^[A-Z]{2}[0-9A-Z]{0,3}$", "a NUTS code such as AT12"],
}


def github_repo(repository: str) -> str | None:
    """`owner/name` of a GitHub repository address, or None when it is not one."""
    parts = urlsplit(repository)
    path = parts.path.strip("/").removesuffix(".git").split("/")
    return "/".join(path) if parts.netloc and len(path) == 2 and all(path) else None


def widget(field: Field, choices: dict[str, list[dict]]) -> dict:
    """The CMS widget settings that accept what the schema accepts."""
    kind = field.kind
    if kind == "text":
        return {"widget": "text" if field.limit >= 300 else "string", **({"maxlength": field.limit} if field.limit else {})}
    if kind == "paragraphs":
        return {"widget": "text", **({"maxlength": field.limit} if field.limit else {})}
    if kind == "sources":
        return {"widget": "list", "max": field.limit, "summary": "{{fields.title}}", "fields": [
            {"name": "title", "label": "Title", "widget": "string", "maxlength": 300},
            {"name": "url", "label": "Web address", "widget": "string", "pattern": PATTERNS["url"]}]}
    if kind == "choice":
        return {"widget": "select", "options": list(field.choices)}
    if kind == "region":
        return {"widget": "select", "options": choices["regions"]}
    if kind == "themes":
        return {"widget": "select", "multiple": True, "min": 1, "max": field.limit, "options": choices["themes"]}
    if kind == "date":
        return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}
    if kind == "keywords":
        return {"widget": "list", "max": field.limit}
    if kind == "contact":
        return {"widget": "object", "fields": [
            {"name": "name", "label": "Name", "widget": "string", "required": False},
            {"name": "email", "label": "E-mail", "widget": "string", "required": False},
            {"name": "url", "label": "Web address", "widget": "string", "required": False, "pattern": PATTERNS["url"]}]}
    if kind == "image":
        return {"widget": "image", "media_folder": f"/static/{IMAGES}", "public_folder": IMAGES}
    if kind in ("location", "latitude", "longitude"):
        return coordinates(kind)
    return {"widget": "string", **({"pattern": PATTERNS[kind]} if kind in PATTERNS else {})}


def coordinates(kind: str) -> dict:
    """Number widgets for a latitude, a longitude, or both as a location."""
    lat = {"widget": "number", "value_type": "float", "min": -90, "max": 90, "step": 0.0001}
    lon = {"widget": "number", "value_type": "float", "min": -180, "max": 180, "step": 0.0001}
    if kind == "location":
        return {"widget": "object", "fields": [{"name": "lat", "label": "Latitude", **lat}, {"name": "lon", "label": "Longitude", **lon}]}
    return lat if kind == "latitude" else lon


def cms_field(field: Field, choices: dict[str, list[dict]]) -> dict:
    """One schema field as a CMS field: label, help, required flag and widget."""
    return {"name": field.name, "label": field.label, "hint": field.help, "required": field.required,
            **widget(field, choices)}


def body_template() -> str:
    """The standard sections, each with its note, as a new practice's body."""
    return "\n".join(f"## {section}\n\n{SECTION_HELP[section]}\n" for section in SECTIONS)


def cms_config(site, repo: str) -> dict:
    """The CMS configuration: the repository, the editorial workflow, and a collection each for practices and regions."""
    choices = {"regions": [{"label": f"{region.name} ({region.country.name})", "value": region.slug} for region in site.regions],
               "themes": [{"label": theme.name, "value": theme.id} for theme in site.themes]}
    practice = {"name": "practices", "label": "Practices", "label_singular": "Practice", "folder": "content/practices",
                "extension": "md", "format": "frontmatter", "create": True, "slug": "{{slug}}", "identifier_field": "title",
                "summary": "{{title}}", "sortable_fields": ["title", "published"], "preview_path": "practices/{{slug}}/",
                "fields": [cms_field(field, choices) for field in PRACTICE]
                + [{"name": "body", "label": "Text", "widget": "markdown", "default": body_template(),
                    "hint": "The standard sections, as level-2 headings (##), in this order: " + ", ".join(SECTIONS) + "."}]}
    region = {"name": "regions", "label": "Regions", "label_singular": "Region", "folder": "content/regions",
              "extension": "md", "format": "frontmatter", "create": True, "slug": "{{slug}}", "identifier_field": "name",
              "summary": "{{name}}", "preview_path": "regions/{{slug}}/",
              "fields": [cms_field(field, choices) for field in REGION]
              + [{"name": "body", "label": "Text", "widget": "markdown", "hint": "The region and its policy context."}]}
    return {
        "backend": {"name": "github", "repo": repo, "branch": site.config.branch, "auth_methods": ["token"]},
        "publish_mode": "editorial_workflow",
        "app_title": f"Edit: {site.config.title}",
        "site_url": site.config.base_url,
        "media_folder": f"static/{IMAGES}", "public_folder": IMAGES,
        "output": {"omit_empty_optional_fields": True},
        "collections": [practice, region],
    }


def admin_page(site) -> bytes:
    """`admin/index.html`: the CMS's script and configuration, under a policy of its own, kept out of search engines."""
    title = f"Edit: {site.config.title}".replace("&", "&amp;").replace("<", "&lt;")
    return (f'<!DOCTYPE html>\n<html lang="{site.config.language}">\n<head>\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="robots" content="noindex, nofollow">\n'
            f'<title>{title}</title>\n<link href="config.yml" type="application/yaml" rel="cms-config-url">\n</head>\n'
            '<body data-pagefind-ignore="all">\n<script src="sveltia-cms.js"></script>\n</body>\n</html>\n').encode("utf-8")


@cache
def vendored(path: Path) -> bytes:
    """A vendored file's bytes, read once per process (the preview renders often)."""
    return path.read_bytes()


def admin_files(site) -> dict[str, bytes]:
    """The files of `/admin/`; none when the portal turns the editor off or names no GitHub repository."""
    repo = github_repo(site.config.repository)
    if not site.config.admin or repo is None:
        return {}
    config = yaml.safe_dump(cms_config(site, repo), sort_keys=False, allow_unicode=True, width=1000)
    return {"admin/index.html": admin_page(site), "admin/config.yml": config.encode("utf-8"),
            "admin/sveltia-cms.js": vendored(SCRIPT), "admin/LICENSE.txt": vendored(LICENCE)}
