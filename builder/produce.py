"""Producing the output files: unchanged ones taken from the previous output, the rest rendered.

An output whose key (depends.py) is in the cache has known bytes: their SHA-256 and, for a page,
its ids and links. The staged folder's file (of the spare site, write.py) is kept, or else the
previous output's file is hard-linked there, only when its bytes still have that hash; otherwise,
or with no record, the file is rendered again.
`check` writes nothing: it needs only the records. The work runs in forked workers, which render
and write, so the main process never holds every page at once.
"""

import contextlib
import hashlib
import os
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .links import Parsed, parse
from .problems import Problem, display_path
from .uptodate import sha256_file
from .workers import run_chunks
from .write import keep_only, new_file, safe_name, write_file

KIND = "output"


@dataclass
class Made:
    """What is known of one output file: its hash and, for HTML, its ids and links; or why it failed."""

    sha: str
    parsed: Parsed | None = None
    failure: Problem | None = None
    rendered: bool = False

    def plain(self) -> list:
        """The record as plain values, for the cache."""
        parsed = self.parsed
        return [self.sha, None if parsed is None else [[list(item) for item in parsed.ids], [list(item) for item in parsed.links]]]


def made_from(value, pairs: dict) -> Made | None:
    """A record from its cached form (its pairs shared through `pairs`), or None when it is not one this builder wrote."""
    try:
        sha, parsed = value
        if not isinstance(sha, str) or len(sha) != 64:
            return None
        if parsed is None:
            return Made(sha)
        ids, links = parsed
        return Made(sha, Parsed([(str(a), int(b)) for a, b in ids], [(str(a), int(b)) for a, b in links]).shared(pairs))
    except (TypeError, ValueError):
        return None


class TemplateFailure(Exception):
    """A template could not be rendered; carries one problem per template and line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


# What forked workers produce from: set just before the fork, so the model is shared, not pickled.
SHARED: dict = {}


def produce(outputs: list, keys: list[str], env, site, cache, previous: Path | None, staging: Path | None,
            jobs: int, present: dict[str, str] | None = None) -> dict[str, Made]:
    """Every output's record, writing into `staging` when given; raises TemplateFailure on template errors.

    `present` gives the hashes of the files the output already has (the preview's): then only the files
    whose bytes differ from those are written to `staging`.
    """
    pairs: dict = {}
    records = [made_from(cache.get(KIND, key), pairs) if cache else None for key in keys]
    compile_templates(env, sorted({output.template for output in outputs if output.template}))
    # A build needs a worker to reuse or render each file; `check` needs one only for an unknown page or template
    # output, as only those can hold a problem (the data files and copies cannot), and makes the rest known as such.
    if staging is None:
        records = [record or (None if output.template or output.path.endswith(".html") else Made(""))
                   for output, record in zip(outputs, records)]
    present = present or {}
    work = [index for index, record in enumerate(records) if record is None or (staging is not None and (
        present.get(outputs[index].path) != record.sha))]
    if staging is not None:
        keep_only(staging, {str(safe_name(output.path)) for output in outputs})
    SHARED.update(outputs=outputs, records=records, env=env, site=site, previous=previous, staging=staging)
    try:
        # The open data files read every field of every practice: they are made here, before the workers fork,
        # because a forked process copies each memory page it reads, and nothing else reads the sections' texts.
        first = [index for index in work if outputs[index].reads_all]
        done = dict(zip(first, produce_indices(first)))
        rest = [index for index in work if not outputs[index].reads_all]
        done.update(zip(rest, run_chunks(produce_indices, rest, jobs)))
    finally:
        SHARED.clear()
    made = [done.get(index) or records[index] for index in range(len(outputs))]  # None from a worker: as recorded
    if failures := sorted({item.failure for item in made if item.failure}):
        raise TemplateFailure(failures)
    if cache:
        for key, item in zip(keys, made):
            if item.rendered:  # a record read from the cache is kept by that read
                cache.put(KIND, key, item.plain())
    return {output.path: item for output, item in zip(outputs, made)}


def compile_templates(env, names: list[str]) -> None:
    """Compile each template once here (the workers inherit them); every syntax error is a problem at its line."""
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(display_path(Path(error.filename or name)), error.lineno or 1,
                                    f"the template cannot be read: {error.message}"))
        except jinja2.TemplateNotFound as error:
            problems.append(Problem(display_path(Path(env.loader.searchpath[0])), 1, f"there is no template `{error.name}`"))
    if problems:
        raise TemplateFailure(sorted(set(problems)))


def produce_indices(indices: list[int]) -> list[Made | None]:
    """The outputs at `indices` of the shared list (a worker's share); None for one reused as recorded.

    Equal ids and links are one object, so they are sent, and kept by the parent, once a share.
    """
    made, pairs = [produce_one(SHARED["outputs"][index], SHARED["records"][index]) for index in indices], {}
    for item in made:
        if item is not None and item.parsed is not None:
            item.parsed = item.parsed.shared(pairs)
    return made


def produce_one(output, record: Made | None) -> Made | None:
    """One output: None when the previous file is reused as recorded, else rendered (and written when staging)."""
    staging, previous = SHARED["staging"], SHARED["previous"]
    name = str(safe_name(output.path))
    if record is not None and staging is not None and reuse(previous and previous / name, staging / name, record.sha):
        return None  # the parent has the record: nothing to send back
    try:
        data = output.make(SHARED["env"], SHARED["site"])
        if not isinstance(data, bytes):  # a large data file, made in parts
            return Made(written_in_parts(staging and staging / name, data), rendered=True)
    except OSError:  # the disk's, not a template's: reported as such
        raise
    except Exception:  # a template's mistake: named at its file and line, never a traceback
        return Made("", failure=template_problem(output.template))
    if staging is not None:
        write_file(staging / name, data)
    return Made(hashlib.sha256(data).hexdigest(), parse(data) if output.path.endswith(".html") else None, rendered=True)


def reuse(old: Path | None, new: Path, sha: str) -> bool:
    """Keep the staged file, or else link the previous output's file in its place, if its bytes have `sha`."""
    if hashed(new) == sha:
        return True
    if old is None or hashed(old) != sha:
        return False
    try:
        new.unlink(missing_ok=True)
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new)
        return True
    except OSError:  # links not allowed here: render it after all
        return False


def written_in_parts(path: Path | None, parts: Iterator[bytes]) -> str:
    """Write a file part by part as they are made (without `path`, only hash them); the SHA-256 of its bytes."""
    hasher = hashlib.sha256()
    with new_file(path) if path is not None else contextlib.nullcontext() as file:
        for part in parts:
            hasher.update(part)
            if file is not None:
                file.write(part)
    return hasher.hexdigest()


def hashed(path: Path) -> str | None:
    """The SHA-256 of a file's bytes; None when it is missing or cannot be read."""
    try:
        return sha256_file(path)
    except OSError:
        return None


def template_problem(template: str | None) -> Problem:
    """The error being handled as a problem at the template file and line Jinja's traceback names."""
    error = sys.exc_info()[1]
    folder = Path(SHARED["env"].loader.searchpath[0]).resolve()
    place = (display_path(folder / template) if template else "(builder)", 1)
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = Path(frame.f_code.co_filename)
        if filename.is_absolute() and filename.is_relative_to(folder):
            place = (display_path(filename), line)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return Problem(*place, f"the template could not be rendered: {message}")
