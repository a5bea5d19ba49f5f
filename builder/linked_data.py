"""schema.org JSON-LD for each page, as a data block that is safe inside `<script type="application/ld+json">`."""

import json

from markupsafe import Markup

from .config import Config

# `<`, `>` and `&` as JSON escapes: the text can then never close the script element or open a comment.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(data: dict) -> Markup:
    """Compact, deterministic JSON that cannot end its `<script>` element early."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE))


def page_json_ld(page, site) -> Markup:
    """The JSON-LD graph of a page: what it is, and its breadcrumb trail."""
    config = site.config
    practice = page.context.get("practice")
    if page.path == "":
        node = website(site)
    elif practice is not None:
        node = article(practice, config)
    else:
        node = web_page(page, config, "CollectionPage" if "listing" in page.context else "WebPage")
    graph = [node]
    if page.breadcrumbs:
        graph.append(breadcrumb_list(page, config))
    return script_json({"@context": "https://schema.org", "@graph": graph})


def website(site) -> dict:
    """The portal itself, with the search action that search engines can offer."""
    config = site.config
    return {
        "@type": "WebSite", "@id": config.absolute(config.url("")) + "#website", "url": config.absolute(config.url("")),
        "name": config.title, "description": config.description, "inLanguage": config.language,
        "license": config.licence_url,
        "potentialAction": {
            "@type": "SearchAction", "query-input": "required name=q",
            "target": {"@type": "EntryPoint", "urlTemplate": config.absolute(config.url("search/")) + "?q={q}"},
        },
    }


def web_page(page, config: Config, kind: str) -> dict:
    """A page of the portal that is not a practice: a listing or a text page."""
    return {
        "@type": kind, "url": config.absolute(config.url(page.path)), "name": page.title,
        "description": page.description, "inLanguage": config.language,
        "isPartOf": {"@id": config.absolute(config.url("")) + "#website"},
    }


def article(practice, config: Config) -> dict:
    """A practice as an article about its place, published by its organisation."""
    node = {
        "@type": "Article", "url": config.absolute(practice.url), "headline": practice.title,
        "description": practice.summary, "inLanguage": config.language,
        "datePublished": practice.published.isoformat(),
        "dateModified": (practice.updated or practice.published).isoformat(),
        "author": {"@type": "Organization", "name": practice.organisation},
        "about": [{"@type": "DefinedTerm", "name": theme.name, "url": config.absolute(theme.url)}
                  for theme in practice.themes],
        "spatialCoverage": {
            "@type": "Place", "name": practice.region.place,
            "geo": {"@type": "GeoCoordinates", "latitude": practice.lat, "longitude": practice.lon},
        },
        "license": config.licence_url,
        "isPartOf": {"@id": config.absolute(config.url("")) + "#website"},
    }
    if practice.keywords:
        node["keywords"] = ", ".join(practice.keywords)
    if practice.image_url:
        node["image"] = config.absolute(practice.image_url)
    if practice.sources:  # the public pages the summary is written from
        node["isBasedOn"] = [{"@type": "WebPage", "name": source["title"], "url": source["url"]} for source in practice.sources]
    return node


def breadcrumb_list(page, config: Config) -> dict:
    """The breadcrumb trail, ending with the page itself."""
    trail = [*page.breadcrumbs, (page.title, config.url(page.path))]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": number, "name": name, "item": config.absolute(href)}
                            for number, (name, href) in enumerate(trail, start=1)],
    }
