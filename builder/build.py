"""The pipeline, top to bottom: load, validate, model, render, write, index, swap."""

import time
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .config import Config
from .load import load_folder, load_static, load_themes
from .markup import render_bodies
from .model import Site, build_site
from .problems import ContentError, Problem, errors
from .render import render_site
from .search import index_site_cached
from .uptodate import inputs_key, record, recorded
from .validate import check_practice, check_region_document, check_theme
from .write import discard, link_unchanged, split_unchanged, stage, swap


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


def check_content(paths: Paths, cache: Cache | None = None) -> Content:
    """Load and validate all content; problems are collected, never raised."""
    practices, problems = load_folder(paths.content / "practices", paths.content, cache)
    regions, found = load_folder(paths.content / "regions", paths.content, cache)
    themes, more = load_themes(paths.content / "themes.yaml")
    problems += found + more
    context = {"regions": {doc.slug for doc in regions}, "themes": {doc.slug for doc in themes}, "static": paths.static}
    for doc in themes:
        problems += check_theme(doc, context)
    for doc in regions:
        problems += check_region_document(doc, context)
    for doc in practices:
        problems += check_practice(doc, context)
    return Content(practices, regions, themes, sorted(problems))


def build_model(content: Content, paths: Paths, config: Config, cache: Cache | None = None, jobs: int = 1) -> Site:
    """The complete site model from valid content."""
    bodies = render_bodies(content.practices + content.regions, config.url("static/"), cache, jobs)
    return build_site(config, content.practices, content.regions, content.themes, bodies, load_static(paths.static))


def tick(clock: dict | None, stage: str) -> None:
    """Note the time a stage ended, when someone is measuring."""
    if clock is not None:
        clock[stage] = time.perf_counter()


def build(paths: Paths, config: Config, search: bool = True, cache: Cache | None = None, jobs: int = 1,
          clock: dict | None = None) -> Content:
    """Check, render and publish the site; raise ContentError (output untouched) on content errors.

    `cache` reuses parsed front matter and rendered Markdown from earlier builds; `jobs` is the
    number of processes for Markdown and templates. Neither changes a byte of the output.
    When the cache holds a build of exactly these inputs and the output still has exactly its
    files, nothing is done and only the problems are returned (the content lists stay empty).
    `clock`, when given, receives the time at the end of each stage (for bench/run.py).
    """
    tick(clock, "start")
    key = inputs_key(cache, paths, config, search) if cache else None
    problems = recorded(cache, key, paths.output.resolve()) if cache else None
    if problems is not None:  # the output is already exactly what these inputs give
        cache.save()
        tick(clock, "done")
        return Content([], [], [], problems)
    content = check_content(paths, cache)
    if errors(content.problems):
        raise ContentError(content.problems)
    tick(clock, "checked")
    site = build_model(content, paths, config, cache, jobs)
    tick(clock, "modelled")
    files = render_site(site, paths.templates, jobs)
    tick(clock, "rendered")
    changed, unchanged = split_unchanged(files, paths.output.resolve())
    staging = stage(changed, paths.output)
    try:
        link_unchanged(unchanged, paths.output.resolve(), staging, files)
        tick(clock, "written")
        if search:
            index_site_cached(staging, files, cache)
        tick(clock, "indexed")
        swap(staging, paths.output)
    except BaseException:
        discard(staging)
        raise
    if cache:
        record(cache, key, paths.output.resolve(), content.problems)
        cache.save()
    tick(clock, "done")
    return content
