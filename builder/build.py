"""The one pipeline of `build`, `check`, `check FILE…` and the preview: load, validate, model, produce, check, index, swap.

Every command runs all of it, so all of them report the same problems: a document with errors is
left out of the model (its problems are reported), the rest is rendered and its links checked, and
the problems of every stage are reported together. Only `build` writes; what did not change since
the last run is reused through the cache (see produce.py), never trusted blindly.
"""

import contextlib
import gc
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache
from .config import Config
from .depends import Keys
from .faults import handling, os_error_message, room_checked
from .images import image_sizes
from .links import check_external, check_parsed, page_origins
from .load import load_folder, load_static, load_themes
from .markup import body_problems as markup_problems
from .markup import render_bodies
from .model import PRACTICE_PAGE, REGION_PAGE, Site, build_site
from .problems import ContentError, Problem, display_path, errors
from .produce import Made, produce
from .pages import site_pages
from .render import environment, site_outputs
from .scan import scan_inputs
from .search import index_site_cached
from .suggest import labels
from .uptodate import inputs_key, record, recorded
from .validate import check_practice, check_region_document, check_static_files, check_theme
from .write import SPARE, check_output, discard, remove_file, remove_leftovers, restage, stage, stage_in_spare, swap

COLLECT_AFTER = 70_000  # allocations between two runs of the cycle collector during a build (Python's default: 700)


@dataclass(frozen=True)
class Paths:
    """Where the project's parts are."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    output: Path = Path("_site")


@dataclass
class Content:
    """Everything read from `content/`, every problem found in it, and the documents that have errors."""

    practices: list
    regions: list
    themes: list
    problems: list[Problem]
    broken: set = field(default_factory=set)  # id() of each document with an error: left out of the model
    rendered: int = 0  # how many output files were made anew (the others were reused)


def check_content(paths: Paths, cache: Cache | None = None, only: list[Path] | None = None) -> Content:
    """Load and validate all content; problems are collected, never raised (with `only`, just those files' problems)."""
    practices, problems = load_folder(paths.content / "practices", paths.content, cache=cache)
    regions, found = load_folder(paths.content / "regions", paths.content, cache=cache)
    themes, more = load_themes(paths.content / "themes.yaml")
    problems += found + more + scan_inputs(paths.content, paths.static)
    problems += check_static_files(paths.static)
    context = {"regions": labels(regions), "themes": labels(themes), "static": paths.static}
    content = Content(practices, regions, themes, [])
    for check, documents in ((check_theme, themes), (check_region_document, regions), (check_practice, practices)):
        for doc in documents:
            with handling(doc.name):
                found = check(doc, context)
            problems += found
            if errors(found):
                content.broken.add(id(doc))
    content.problems = sorted(problems) if only is None else of_files(problems, paths, only)
    return content


def of_files(problems: list[Problem], paths: Paths, only: list[Path]) -> list[Problem]:
    """The problems of the `only` files, and a problem for each of them that is not content."""
    selected = {path.absolute() for path in only}
    names = {display_path(path) for path in selected}
    return sorted([problem for problem in problems if problem.path in names] + stray_files(paths, selected))


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


def buildable(content: Content) -> tuple[list, list, list]:
    """The practices, regions and themes without errors, whose region and themes are without errors too."""
    themes = [doc for doc in content.themes if id(doc) not in content.broken]
    regions = [doc for doc in content.regions if id(doc) not in content.broken]
    region_slugs, theme_ids = {doc.slug for doc in regions}, {doc.slug for doc in themes}
    practices = [doc for doc in content.practices if id(doc) not in content.broken and doc.meta.get("region") in region_slugs
                 and all(theme in theme_ids for theme in listed(doc.meta.get("themes")))]
    return practices, regions, themes


def listed(value) -> list:
    """A field that holds one item or a list of them, as a list."""
    return value if isinstance(value, list) else [value]


def left_out(content: Content, site: Site) -> set[str]:
    """The pages of documents left out of the model: links to them are not broken, only waiting for a fix."""
    built = {practice.path for practice in site.practices} | {region.path for region in site.regions}
    pages = ({PRACTICE_PAGE.format(slug=doc.slug) for doc in content.practices}
             | {REGION_PAGE.format(slug=doc.slug) for doc in content.regions})
    return {path + "index.html" for path in pages - built}


def build_model(content: Content, paths: Paths, config: Config, cache: Cache | None = None, jobs: int = 1) -> Site:
    """The complete site model from the content that can be built."""
    return model_and_bodies(content, paths, config, cache, jobs)[0]


def model_and_bodies(content: Content, paths: Paths, config: Config, cache: Cache | None = None,
                     jobs: int = 1) -> tuple[Site, dict]:
    """The site model, and the rendered body of every document (also of those left out, for their notes)."""
    practices, regions, themes = buildable(content)
    static = load_static(paths.static)
    bodies = render_bodies(content.practices + content.regions, config.url("static/"), cache, jobs, image_sizes(static))
    return build_site(config, practices, regions, themes, bodies, static, cache), bodies


@contextlib.contextmanager
def few_collections():
    """While the pipeline runs, Python's cycle collector starts a hundred times less often than by default.

    A run makes millions of objects that live to its end (documents, bodies, the model, the pages), and
    at the default threshold the collector walked them all again and again: about 1.5 s of a warm
    `check` at 10,000 practices.
    """
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_AFTER, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@few_collections()
def run(paths: Paths, config: Config, cache: Cache | None = None, jobs: int = 1, staging: Path | None = None,
        external: bool = False, clock: dict | None = None, present: dict[str, str] | None = None
        ) -> tuple[Content, dict[str, Made]]:
    """One pass of the pipeline: every problem of the content and of its rendering, and a record of each output file.

    With `staging`, every output file is written there (unchanged ones linked from the current output);
    with `present` too (the hashes of the files the output already has), only the files that differ are.
    """
    content = check_content(paths, cache)
    tick(clock, "checked")
    site, bodies = model_and_bodies(content, paths, config, cache, jobs)
    pages, env = site_pages(site), environment(paths.templates, site)
    try:
        outputs = site_outputs(site, pages)
    except ContentError as error:  # two pages would be written to one path: nothing can be rendered
        content.problems = sorted(content.problems + error.problems)
        return content, {}
    tick(clock, "modelled")
    keys = Keys(site, env, cache.salt) if cache else None
    previous = paths.output.resolve() if staging is not None and present is None and paths.output.is_dir() else None
    made = produce(outputs, [keys.key(output) for output in outputs] if keys else [""] * len(outputs),
                   env, site, cache, previous, staging, jobs, present)
    tick(clock, "rendered")
    parsed = {path: item.parsed for path, item in made.items() if item.parsed is not None}
    origins = page_origins(pages, content.practices + content.regions)
    problems = body_problems(content, bodies) + check_parsed(parsed, set(made) | left_out(content, site), config, origins)
    if external:
        problems += check_external(parsed, config, origins)
    content.problems = sorted(content.problems + problems)
    return content, made


def body_problems(content: Content, bodies: dict) -> list[Problem]:
    """What each rendered body tells its editor (see `markup.body_problems`), at the lines of the document."""
    kinds = [(doc, True) for doc in content.practices] + [(doc, False) for doc in content.regions]
    return [problem for doc, practice in kinds for problem in markup_problems(doc, bodies[str(doc.path)], practice)]


def check(paths: Paths, config: Config, external: bool = False, only: list[Path] | None = None,
          cache: Cache | None = None, jobs: int = 1) -> Content:
    """Every problem of the content, of its rendering and, on request, of its external links; nothing written.

    With `only` (`check FILE...`), the same problems as the full check, of just those files.
    """
    content, _ = run(paths, config, cache, jobs, external=external)
    if cache:
        save_cache(cache)
    if only is not None:
        content.problems = of_files(content.problems, paths, only)
    return content


def tick(clock: dict | None, stage: str) -> None:
    """Note the time a stage ended, when someone is measuring."""
    if clock is not None:
        clock[stage] = time.perf_counter()


def build(paths: Paths, config: Config, search: bool = True, force: bool = False, cache: Cache | None = None,
          jobs: int = 1, clock: dict | None = None) -> Content:
    """Check, render and publish the site; raise ContentError (output untouched) on content errors.

    `cache` lets unchanged outputs be reused from the current output folder and unchanged content
    be read and rendered once; `jobs` is the number of processes. Neither changes a byte of the
    output. When the cache holds a build of exactly these inputs and the output still has exactly
    its files, nothing is done and only the problems are returned (the content lists stay empty).
    `clock`, when given, receives the time at the end of each stage (for bench/run.py).
    """
    check_output(paths.output, [paths.content, paths.templates, paths.static], paths.templates.parent, force)
    tick(clock, "start")
    # Entries the scan refuses (a link loop, a pipe) must not be hashed: checking the content reports them.
    unreadable = errors(scan_inputs(paths.content, paths.static))
    key = inputs_key(cache, paths, config, search) if cache and not unreadable else None
    tick(clock, "hashed")
    problems = recorded(cache, key, paths.output.resolve()) if key else None
    if problems is not None:  # the output is already exactly what these inputs give
        remove_leftovers(paths.output.resolve())  # of a build killed after it swapped in this very site
        save_cache(cache)
        tick(clock, "done")
        return Content([], [], [], problems)
    spare = cache.folder / SPARE if cache and cache.folder else None
    reused = spare and stage_in_spare(spare, paths.output)
    staging = reused or stage({}, paths.output)
    try:
        try:
            content, made = run(paths, config, cache, jobs, staging, clock=clock)
        except OSError:
            if not reused:
                raise
            staging = restage(staging, paths.output)  # a spare with a file that cannot be replaced (immutable, say)
            content, made = run(paths, config, cache, jobs, staging, clock=clock)
        if errors(content.problems):
            raise ContentError(content.problems)
        if search:
            with room_checked(staging, paths.output):
                index_site_cached(staging, made, cache)
        tick(clock, "indexed")
        swap(staging, paths.output, spare)
        content.rendered = sum(item.rendered for item in made.values())
    except BaseException:
        discard(staging)
        if cache:
            save_cache(cache)  # what was rendered stays useful for the next try
        raise
    if cache and inputs_key(cache, paths, config, search) == key:  # an edit during the build is not recorded as built
        record(cache, key, paths.output.resolve(), content.problems, {name: item.sha for name, item in made.items()})
    if cache:
        save_cache(cache)
    tick(clock, "done")
    return content


def refresh(paths: Paths, config: Config, cache: Cache, written: dict[str, str], lock, jobs: int = 1) -> Content:
    """The preview's build: only what changed is written, into its private folder `paths.output`.

    `written` holds the hash of each file there and is kept up to date. The changed files are made in a
    folder beside it, then moved in while holding `lock` (which readers of the folder hold too), so a
    reader sees the whole old site or the whole new one. Content errors raise ContentError, as in `build`,
    and change nothing.
    """
    paths.output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".changed-", dir=paths.output.parent))
    try:
        content, made = run(paths, config, cache, jobs, staging, present=written)
        if errors(content.problems):
            raise ContentError(content.problems)
        with lock:
            for name in sorted(set(written) - set(made)):
                remove_file(paths.output, name)
                del written[name]
            for name, item in made.items():
                if item.rendered:
                    (paths.output / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / name, paths.output / name)
                    written[name] = item.sha
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    content.rendered = sum(item.rendered for item in made.values())
    return content


def save_cache(cache: Cache) -> None:
    """Save the cache; one that cannot be written (a full disk) only makes the next build slower."""
    try:
        cache.save()
    except OSError as error:
        print(f"warning: the cache was not saved, so the next build will take longer: {os_error_message(error)}.",
              file=sys.stderr)
