"""The pipeline, top to bottom: load, validate, model, render, write, index, swap."""

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .config import Config
from .faults import handling, os_error_message, room_checked
from .images import image_sizes
from .links import check_external, check_links, page_origins
from .load import load_folder, load_static, load_themes
from .markup import body_problems as markup_problems
from .markup import render_bodies
from .model import Site, build_site
from .problems import ContentError, Problem, display_path, errors
from .render import render_site, site_pages
from .scan import scan_inputs
from .search import index_site_cached
from .suggest import labels
from .uptodate import inputs_key, record, recorded
from .validate import check_practice, check_region_document, check_static_files, check_theme
from .write import check_output, discard, link_unchanged, remove_leftovers, split_unchanged, stage, swap


@dataclass(frozen=True)
class Paths:
    """Where the project's parts are."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    output: Path = Path("_site")


@dataclass
class Content:
    """Everything read from `content/`, and every problem found in it."""

    practices: list
    regions: list
    themes: list
    problems: list[Problem]


def check_content(paths: Paths, only: list[Path] | None = None, cache: Cache | None = None) -> Content:
    """Load and validate all content; problems are collected, never raised.

    With `only`, just those files are checked (and their problems reported), against all regions and themes.
    """
    selected = None if only is None else {path.absolute() for path in only}
    practices, problems = load_folder(paths.content / "practices", paths.content, selected, cache)
    regions, found = load_folder(paths.content / "regions", paths.content, cache=cache)
    themes, more = load_themes(paths.content / "themes.yaml")
    problems += found + more + scan_inputs(paths.content, paths.static)
    problems += check_static_files(paths.static)
    context = {"regions": labels(regions), "themes": labels(themes), "static": paths.static}
    for docs, check_document in ((themes, check_theme), (regions, check_region_document), (practices, check_practice)):
        for doc in docs:
            with handling(doc.name):
                problems += check_document(doc, context)
    if selected is not None:
        names = {display_path(path) for path in selected}
        problems = [problem for problem in problems if problem.path in names] + stray_files(paths, selected)
    return Content(practices, regions, themes, sorted(problems))


def stray_files(paths: Paths, selected: set[Path]) -> list[Problem]:
    """Given files that are missing or are not practices, regions or the themes file."""
    folders = {(paths.content / "practices").absolute(), (paths.content / "regions").absolute()}
    problems = []
    for path in sorted(selected):
        if not path.is_file():
            problems.append(Problem(display_path(path), 1, "there is no such file"))
        elif not (path.parent in folders and path.suffix == ".md") and path != (paths.content / "themes.yaml").absolute():
            problems.append(Problem(display_path(path), 1, f"is not a practice, a region or the themes file of `{display_path(paths.content)}`"))
    return problems


def build_model(content: Content, paths: Paths, config: Config, cache: Cache | None = None, jobs: int = 1) -> Site:
    """The complete site model from valid content."""
    static = load_static(paths.static)
    bodies = render_bodies(content.practices + content.regions, config.url("static/"), cache, jobs, image_sizes(static))
    return build_site(config, content.practices, content.regions, content.themes, bodies, static)


def check_site(content: Content, paths: Paths, config: Config, external: bool = False,
               cache: Cache | None = None, jobs: int = 1) -> dict[str, bytes]:
    """Render valid content and add what only the rendered site shows (sanitised HTML, links) to its problems."""
    site = build_model(content, paths, config, cache, jobs)
    files = render_site(site, paths.templates, jobs)
    origins = page_origins(site_pages(site), content.practices + content.regions)
    problems = body_problems(content, site) + check_links(files, config, origins, jobs)
    if external:
        problems += check_external(files, config, origins)
    content.problems = sorted(content.problems + problems)
    return files


def body_problems(content: Content, site: Site) -> list[Problem]:
    """What each rendered body tells its editor (see `markup.body_problems`), at the lines of the document."""
    bodies = {item.source: item.body for item in site.practices + site.regions}
    kinds = [(doc, True) for doc in content.practices] + [(doc, False) for doc in content.regions]
    return [problem for doc, practice in kinds for problem in markup_problems(doc, bodies[doc.source], practice)]


def text_problems(content: Content, paths: Paths, config: Config, only: list[Path] | None = None,
                  cache: Cache | None = None, jobs: int = 1) -> list[Problem]:
    """The body problems of the content (of the `only` files), rendered without a site: for `check FILE` and
    for content whose front matter has errors, so that every problem is reported at once."""
    names = None if only is None else {display_path(path.absolute()) for path in only}
    docs = [doc for doc in content.practices + content.regions if names is None or doc.name in names]
    bodies = render_bodies(docs, config.url("static/"), cache, jobs, image_sizes(load_static(paths.static)))
    practices = {id(doc) for doc in content.practices}
    return [problem for doc in docs for problem in markup_problems(doc, bodies[str(doc.path)], id(doc) in practices)]


def check(paths: Paths, config: Config, external: bool = False, only: list[Path] | None = None) -> Content:
    """Every problem of the content, of its rendering and, on request, of its external links; nothing written.

    With `only` (`check FILE...`), just those files' fields and texts are checked, for fast feedback;
    rendering and links are checked by the full `check` and by every build.
    """
    content = check_content(paths, only)
    if only is None and not errors(content.problems):
        check_site(content, paths, config, external)
    else:
        content.problems = sorted(content.problems + text_problems(content, paths, config, only))
    return content


def tick(clock: dict | None, stage: str) -> None:
    """Note the time a stage ended, when someone is measuring."""
    if clock is not None:
        clock[stage] = time.perf_counter()


def build(paths: Paths, config: Config, search: bool = True, force: bool = False, cache: Cache | None = None,
          jobs: int = 1, clock: dict | None = None) -> Content:
    """Check, render and publish the site; raise ContentError (output untouched) on content errors.

    `cache` reuses parsed front matter and rendered Markdown from earlier builds; `jobs` is the
    number of processes for Markdown and templates. Neither changes a byte of the output.
    When the cache holds a build of exactly these inputs and the output still has exactly its
    files, nothing is done and only the problems are returned (the content lists stay empty).
    `clock`, when given, receives the time at the end of each stage (for bench/run.py).
    """
    check_output(paths.output, [paths.content, paths.templates, paths.static], paths.templates.parent, force)
    tick(clock, "start")
    # Entries the scan refuses (a link loop, a pipe) must not be hashed: checking the content reports them.
    unreadable = errors(scan_inputs(paths.content, paths.static))
    key = inputs_key(cache, paths, config, search) if cache and not unreadable else None
    problems = recorded(cache, key, paths.output.resolve()) if key else None
    if problems is not None:  # the output is already exactly what these inputs give
        remove_leftovers(paths.output.resolve())  # of a build killed after it swapped in this very site
        save_cache(cache)
        tick(clock, "done")
        return Content([], [], [], problems)
    content = check_content(paths, cache=cache)
    if errors(content.problems):
        raise ContentError(content.problems + text_problems(content, paths, config, cache=cache, jobs=jobs))
    tick(clock, "checked")
    files = check_site(content, paths, config, cache=cache, jobs=jobs)
    if errors(content.problems):
        raise ContentError(content.problems)
    tick(clock, "rendered")
    changed, unchanged = split_unchanged(files, paths.output.resolve())
    staging = stage(changed, paths.output)
    try:
        link_unchanged(unchanged, paths.output.resolve(), staging, files)
        tick(clock, "written")
        if search:
            with room_checked(staging, paths.output):
                index_site_cached(staging, files, cache)
        tick(clock, "indexed")
        swap(staging, paths.output)
    except BaseException:
        discard(staging)
        raise
    if cache and inputs_key(cache, paths, config, search) == key:  # an edit during the build is not recorded as built
        record(cache, key, paths.output.resolve(), content.problems)
    if cache:
        save_cache(cache)
    tick(clock, "done")
    return content


def save_cache(cache: Cache) -> None:
    """Save the cache; one that cannot be written (a full disk) only makes the next build slower."""
    try:
        cache.save()
    except OSError as error:
        print(f"warning: the cache was not saved, so the next build will take longer: {os_error_message(error)}.",
              file=sys.stderr)
