"""What each output file depends on, as one key: same key, same bytes.

Every output declares what it shows (`Output.shows`): model objects (a practice, a region, a
theme, a country), lists of them, plain values (a count, a page number), or `SITE` for "the whole
site". Its key is the hash of those, of its template with every template it extends, imports or
includes, of the settings and of the builder's fingerprint (in every cache key). The pipeline
renders an output again exactly when its key changes; nothing else decides what an edit touches.
Templates cannot read the site model itself, only what their page holds (pages.py), so a page's
declaration is the data it is rendered from.

A model object stands for its own fields (a practice's texts, dates, body, its region, country and
themes); the lists that point back (a region's practices, a practice's related practices) are not
part of it, so a page that prints them, or their length, names them in its `shows`.
"""

import dataclasses
import datetime
import marshal
import jinja2
import jinja2.meta

from .cache import digest


class WholeSite:
    """What an output declares when it may show anything of the site (the safe default for a new kind of page)."""


SITE = WholeSite()

# Lists that point back to other objects, and a listing's neighbours (its number and count say where they are).
BACK_LINKS = {"practices", "regions", "related", "previous", "next", "pages"}
LEAVES = {str, int, float, bool, type(None), datetime.date}  # shown as their repr, the commonest values
PLAIN_MARSHAL = 2  # marshal's last format without back-references, so equal values give equal bytes
FIELDS: dict[type, list[str]] = {}  # the names of each model class's own fields, by class


class Keys:
    """The keys of one site's outputs; cards of model objects are computed once per build."""

    def __init__(self, site, env: jinja2.Environment, salt: str):
        self.site, self.env, self.salt = site, env, salt
        self.cards: dict[int, str] = {}
        self.templates: dict[str, str] = {}
        self.whole_site: str | None = None
        self.settings = repr(dataclasses.astuple(site.config))

    def key(self, output) -> str:
        """The key of one output: what it shows, its template and the settings."""
        shown = self.value(output.shows)
        template = self.template(output.template) if output.template else ""
        return digest(self.salt, "output", output.path, self.settings, template, shown)

    def value(self, value) -> str:
        """A stable text for anything a page can show."""
        if type(value) in LEAVES:
            return repr(value)
        if value is SITE:
            return self.site_digest()
        if isinstance(value, (list, tuple)):
            try:  # plain values only (a section's texts, say): one C call, where a walk took one call an item
                return "\0" + marshal.dumps(value, PLAIN_MARSHAL).decode("latin-1")
            except ValueError:  # it holds a model object, a date or some other value marshal does not write
                return "[" + ",".join(self.value(item) for item in value) + "]"
        if type(value) in FIELDS:
            return self.card(value)
        if isinstance(value, dict):
            return "{" + ",".join(f"{self.value(k)}:{self.value(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self.value(item) for item in value)) + "}"
        if not isinstance(value, str) and dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.card(value)
        if callable(value):  # a function in a declared value (a search filter's): its code is in the builder's fingerprint
            return value.__qualname__
        return repr(value)  # text (Markup too), numbers, dates; for anything else a repr that differs only costs a render

    def card(self, item) -> str:
        """The digest of a model object's own fields (the lists that point back left out)."""
        found = self.cards.get(id(item))
        if found is None:
            kind = type(item)
            if kind not in FIELDS:
                FIELDS[kind] = [field.name for field in dataclasses.fields(item) if field.name not in BACK_LINKS]
            values = [getattr(item, name) for name in FIELDS[kind]]
            try:  # fields of plain values only (a rendered body's): one C call
                found = digest(kind.__name__, marshal.dumps(values, PLAIN_MARSHAL))
            except ValueError:  # a model object, a date or some other value marshal does not write
                found = digest(kind.__name__, *(f"{name}={self.value(value)}" for name, value in zip(FIELDS[kind], values)))
            self.cards[id(item)] = found
        return found

    def site_digest(self) -> str:
        """The digest of the whole site: every object, every listing's order and every practice's related ones."""
        if self.whole_site is None:
            site = self.site
            self.whole_site = digest(self.value([site.practices, site.regions, site.countries, site.themes]),
                                     self.value([[p.slug for p in practice.related] for practice in site.practices]),
                                     self.value(sorted(site.static)))
        return self.whole_site

    def template(self, name: str) -> str:
        """The digest of a template and of every template it uses, found by Jinja's own parser."""
        if name not in self.templates:
            seen, parts, waiting = set(), [], [name]
            while waiting:
                current = waiting.pop()
                if current in seen:
                    continue
                seen.add(current)
                source, filename, _ = self.env.loader.get_source(self.env, current)
                parts += [current, source]
                referenced = references(self.env, source)
                # A name computed at render time could be any template: then it depends on all of them.
                waiting += sorted(other for other in referenced if other) if None not in referenced else self.env.list_templates()
            self.templates[name] = digest(*parts)
        return self.templates[name]



REFERENCES: dict[str, list] = {}  # by source digest: parsed once per text in a long-running preview


def references(env: jinja2.Environment, source: str) -> list:
    """The templates a template's source extends, imports or includes (None for a name computed at render time)."""
    key = digest(source)
    if key not in REFERENCES:
        REFERENCES[key] = list(jinja2.meta.find_referenced_templates(env.parse(source)))
    return REFERENCES[key]
