"""Feeds of the newest practices: Atom for the whole site and for each theme and country, and a JSON Feed."""

import json
from dataclasses import dataclass

import jinja2

from .model import PATHS, Site

NEWEST = 20  # entries in a feed


@dataclass(frozen=True)
class Feed:
    """One Atom feed: its title, the page it belongs to, its own path and its practices, newest first."""

    title: str
    page_url: str
    path: str
    practices: list

    @property
    def updated(self):
        """The latest change of any practice in the feed, or None for an empty feed."""
        return max((p.updated or p.published for p in self.practices), default=None)


def site_feeds(site: Site) -> list[Feed]:
    """The site's Atom feed, then one per theme and one per country, in the model's order."""
    config = site.config
    feeds = [Feed(f"{config.title}: newest practices", config.url(PATHS["home"]), PATHS["feed"], site.practices[:NEWEST])]
    feeds += [Feed(f"{config.title}: {theme.name}", theme.url, theme.feed_path, theme.practices[:NEWEST])
              for theme in site.themes]
    feeds += [Feed(f"{config.title}: practices from {country.name}", country.url, country.feed_path,
                   country.practices[:NEWEST]) for country in site.countries]
    return feeds


def atom_feed(env: jinja2.Environment, feed: Feed) -> bytes:
    """One Atom feed through the feed template."""
    return env.get_template("feed.xml").render(feed=feed, practices=feed.practices, updated=feed.updated).encode()


def timestamp(date) -> str:
    """A date as an RFC 3339 time at midnight UTC, as feeds want it."""
    return f"{date.isoformat()}T00:00:00Z"


def json_feed(config, practices: list) -> bytes:
    """`feed.json`: the newest practices (`practices`) as a JSON Feed 1.1."""
    items = [{
        "id": config.absolute(p.url), "url": config.absolute(p.url), "title": p.title,
        "summary": p.summary, "content_text": p.summary,
        "date_published": timestamp(p.published), "date_modified": timestamp(p.updated or p.published),
        "authors": [{"name": p.organisation}], "tags": [theme.name for theme in p.themes],
        **({"image": config.absolute(p.image_url)} if p.image_url else {}),
    } for p in practices]
    document = {
        "version": "https://jsonfeed.org/version/1.1", "title": f"{config.title}: newest practices",
        "home_page_url": config.absolute(config.url(PATHS["home"])),
        "feed_url": config.absolute(config.url(PATHS["json_feed"])), "description": config.description,
        "language": config.language, "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
