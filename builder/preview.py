"""The preview's site, kept in memory and rebuilt incrementally: an edit re-renders only the pages that show it."""

import dataclasses
import shutil
import sys
import threading
import tempfile
import traceback
from pathlib import Path

import jinja2

from .build import Paths, check_content
from .config import load_config
from .load import load_document, load_static
from .images import image_sizes
from .markup import body_problems, render_bodies
from .model import Practice, build_practice, build_site
from .problems import Problem, display_path, errors
from .render import environment, practice_page, render_files, render_page, site_pages
from .suggest import labels
from .validate import check_practice

SITE_WIDE = ("index.html", "regions/index.html", "countries/index.html", "themes/index.html", "map/index.html",
             "statistics/index.html", "search/index.html")  # the search page lists each filter value with its count
# Files that list every practice but no open page shows: after an edit they are rendered when asked for.
DEFERRED = ("sitemap.xml", "feed.xml", "feed.json", "data/practices.json", "data/practices.csv")


class Preview:
    """The site for `base_url`, as {output path: bytes}, mirrored in a folder for the search indexer."""

    def __init__(self, paths: Paths, pyproject: Path, base_url: str):
        self.paths, self.pyproject, self.base_url = paths, pyproject, base_url
        self.folder = Path(tempfile.mkdtemp(prefix="portal-preview-"))
        self.files: dict[str, bytes] = {}
        self.failure: list[Problem] = []  # what the problem page shows; empty when the site is good
        self.version = 0
        self.site = None
        self.stale: set[str] = set()
        self.lock = threading.RLock()  # one rebuild at a time; deferred files render under it too
        self.rebuild_all()

    def close(self) -> None:
        """Remove the mirror folder."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def rebuild(self, changed: set[Path]) -> str:
        """Bring the site up to date with the changed files; say what was done ("problems" when broken)."""
        with self.lock:
            return self.update(changed)

    def file(self, name: str) -> bytes | None:
        """A file of the site, rendered first when an edit left it out of date."""
        if name in self.stale:
            with self.lock:
                if name in self.stale:
                    self.mirror(render_files(self.env, self.site, {name}))
                    self.stale.discard(name)
        return self.files.get(name)

    def current(self) -> dict[str, bytes]:
        """Every file of the site, with none out of date."""
        for name in sorted(self.stale):
            self.file(name)
        return self.files

    def update(self, changed: set[Path]) -> str:
        """Rebuild what the changed files affect."""
        practices = (self.paths.content / "practices").absolute()
        if self.site is None or any(path.absolute().parent != practices or path.suffix != ".md" for path in changed):
            return self.rebuild_all()
        try:
            return self.rebuild_practices({path.absolute() for path in changed})
        except Exception:  # a template or builder failure is shown in the browser; the server keeps running
            return self.fail([template_problem()])

    def rebuild_all(self) -> str:
        """Read the configuration and all content, build the model and render every file."""
        try:
            self.config = load_config(self.pyproject, base_url=self.base_url)
            content = check_content(self.paths)
            self.docs = {doc.path.absolute(): doc for doc in content.practices}
            self.regions, self.themes = content.regions, content.themes
            self.problems = {}
            for problem in content.problems:
                self.problems.setdefault(problem.path, []).append(problem)
            self.sizes = image_sizes(load_static(self.paths.static))
            self.bodies = render_bodies(content.practices + content.regions, self.config.url("static/"), sizes=self.sizes)
            for doc, practice in [(doc, True) for doc in content.practices] + [(doc, False) for doc in content.regions]:
                for problem in body_problems(doc, self.bodies[str(doc.path)], practice):
                    self.problems.setdefault(problem.path, []).append(problem)
            self.env, self.site, self.pending = None, None, set()
            return self.finish(set()) if not self.broken() else self.fail(self.all_problems())
        except Exception:
            self.site = None
            return self.fail([template_problem()])

    def rebuild_practices(self, changed: set[Path]) -> str:
        """Re-read and re-check the changed practice files; re-render the pages that show them."""
        for path in changed:
            self.reload_practice(path)
        self.pending |= changed
        if self.broken():
            return self.fail(self.all_problems())
        return self.finish(self.pending)

    def reload_practice(self, path: Path) -> None:
        """Re-read one practice file (or forget it when deleted) and re-check it."""
        name = display_path(path)
        self.docs.pop(path, None)
        self.problems.pop(name, None)
        if not path.is_file():
            return
        doc, found = load_document(path)
        if doc is not None:
            doc.source = "content/" + path.relative_to(self.paths.content.absolute()).as_posix()
            self.docs[path] = doc
            self.bodies.update(render_bodies([doc], self.config.url("static/"), sizes=self.sizes))
            context = {"regions": labels(self.regions), "themes": labels(self.themes), "static": self.paths.static}
            found += check_practice(doc, context) + body_problems(doc, self.bodies[str(doc.path)], True)
        if found:
            self.problems[name] = found

    def broken(self) -> bool:
        """Whether any content error stops the site from being built."""
        return bool(errors(self.all_problems()))

    def all_problems(self) -> list[Problem]:
        """Every known problem, sorted."""
        return sorted(problem for found in self.problems.values() for problem in found)

    def finish(self, changed: set[Path]) -> str:
        """Apply the changed practices (in place when they keep their places, else in a new model); render what shows them."""
        if self.site is None:
            self.site = build_site(self.config, [self.docs[path] for path in sorted(self.docs)], self.regions,
                                   self.themes, self.bodies, load_static(self.paths.static))
            self.env = environment(self.paths.templates, self.site)
            files, how = render_files(self.env, self.site), " (all)"
            self.pages, self.stale = {page.output_path: page for page in site_pages(self.site)}, set()
        else:
            wanted, how = self.update_in_place(changed), ""
            if wanted is None:
                wanted, how = self.replace_model({path.stem for path in changed}), " (new model)"
            files = {path: render_page(self.env, self.pages[path], self.site) for path in sorted(wanted) if path in self.pages}
            self.stale |= wanted - set(files)
        self.pending, self.failure = set(), []
        self.publish(files, replace=how == " (all)")
        self.version += 1
        return f"{len(files)} files{how}"

    def replace_model(self, slugs: set[str]) -> set[str]:
        """A new model from the cached documents; the pages whose practices or places in a listing changed."""
        before = {path: signature(page) for path, page in self.pages.items()}
        self.site = build_site(self.config, [self.docs[path] for path in sorted(self.docs)], self.regions,
                               self.themes, self.bodies, self.site.static)
        self.env.globals["site"] = self.site
        self.pages = {page.output_path: page for page in site_pages(self.site)}
        for gone in set(before) - set(self.pages):
            self.files.pop(gone, None)
            (self.folder / gone).unlink(missing_ok=True)
        return {path for path, page in self.pages.items()
                if signature(page) is None or before.get(path) != signature(page) or shows(page, slugs)} | set(DEFERRED) | {
            item.feed_path for item in self.site.themes + self.site.countries}

    def update_in_place(self, changed: set[Path]) -> set[str] | None:
        """Copy new field values onto the existing practices; the output paths to re-render, or None."""
        by_slug = {practice.slug: practice for practice in self.site.practices}
        regions, themes = {r.slug: r for r in self.site.regions}, {t.id: t for t in self.site.themes}
        updates = []
        for path in changed:
            old, doc = by_slug.get(path.stem), self.docs.get(path)
            if old is None or doc is None:
                return None
            new = build_practice(doc, self.bodies[str(doc.path)], regions, themes, self.config)
            if placement(new) != placement(old):
                return None
            updates.append((old, new))
        affected = set()
        for old, new in updates:
            for field in dataclasses.fields(Practice):
                if field.name != "related":
                    setattr(old, field.name, getattr(new, field.name))
            affected |= pages_showing(self.site, old)
            page = practice_page(self.site, old)  # its title and description come from the practice
            self.pages[page.output_path] = page
        return affected

    def publish(self, files: dict[str, bytes], replace: bool) -> None:
        """Serve the new files (all of them when `replace`) and mirror them into the folder."""
        if replace:
            for stale in set(self.files) - set(files):
                (self.folder / stale).unlink(missing_ok=True)
            self.files = files
        self.mirror(files)

    def mirror(self, files: dict[str, bytes]) -> None:
        """Serve `files` and write them into the folder the search indexer reads."""
        self.files.update(files)
        for name, data in files.items():
            target = self.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def fail(self, problems: list[Problem]) -> str:
        """Show the problem page instead of the site until the next good build."""
        self.failure = problems
        self.version += 1
        return "problems"


def template_problem() -> Problem:
    """A template or builder error as a problem: the template's file and line when Jinja knows them."""
    error = sys.exc_info()[1]
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(error.filename or "templates", error.lineno or 1, error.message or str(error))
    return Problem("(builder)", 1, "".join(traceback.format_exception_only(error)).strip())


def placement(practice: Practice) -> tuple:
    """What decides where a practice is listed and which practices are related to it."""
    return practice.region.slug, tuple(theme.id for theme in practice.themes), practice.sort_key


def signature(page) -> tuple | None:
    """What a listing or practice page shows besides the practices' own fields; None for pages of their own kind."""
    listing, practice = page.context.get("listing"), page.context.get("practice")
    if listing is None and practice is None:
        return None  # the home, index, search and other single pages: always rendered again
    return (page.title, page.description, listing and (listing.number, listing.count, slugs(listing.items)),
            practice and (practice.slug, slugs(practice.related)))


def slugs(practices: list[Practice]) -> tuple[str, ...]:
    """The slugs of some practices, in order."""
    return tuple(practice.slug for practice in practices)


def shows(page, changed: set[str]) -> bool:
    """Whether a page shows one of the changed practices: its own page, a card in a listing, a related link."""
    listing, practice = page.context.get("listing"), page.context.get("practice")
    shown = (listing.items if listing else []) + ([practice] + practice.related if practice else [])
    return any(item.slug in changed for item in shown)


def pages_showing(site, practice: Practice) -> set[str]:
    """The output paths of every page that shows `practice`, and of the site-wide files that list it."""
    per_page = max(1, site.config.per_page)
    lists = [("practices/", site.practices), (practice.region.path, practice.region.practices),
             (practice.country.path, practice.country.practices)] + [(t.path, t.practices) for t in practice.themes]
    paths = {practice.path + "index.html", *SITE_WIDE, *DEFERRED, practice.country.feed_path,
             *(theme.feed_path for theme in practice.themes)}
    for path, items in lists:
        number = next(i for i, item in enumerate(items) if item is practice) // per_page + 1
        paths.add(path + ("" if number == 1 else f"page/{number}/") + "index.html")
    paths |= {other.path + "index.html" for other in site.practices if any(r is practice for r in other.related)}
    return paths
