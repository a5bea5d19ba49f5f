"""The search index: the filters practices offer, Pagefind run over the staged site folder, then made reproducible.

Pagefind 1.5.2 writes its filter index in a different order on every run (pagefind#638), so two
builds of the same content would differ. `canonicalise` decodes those files (gzip, a signature,
then CBOR), sorts what is unordered, re-encodes them, names them by their new content hash and
points the meta index and `pagefind-entry.json` at the new names.
"""

import gzip
import hashlib
import json
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import cbor2
import pagefind_bin

from .faults import require_room
from .model import PRACTICE_PAGE
from .schema import LEVELS, STATUSES

SIGNATURE = b"pagefind_dcd"
# Positions in the meta index, a CBOR array: [version, pages, index chunks, filter chunks, sorts, meta fields].
META_FILTERS, META_SORTS = 3, 4
# Only practice pages carry `data-pagefind-body`, so Pagefind reads only those: the index is the same, and at
# 10,000 practices it is made in 36 s, not 64 s, as Pagefind no longer parses the listings and the map page.
SEARCHED = PRACTICE_PAGE.format(slug="*") + "index.html"


@dataclass(frozen=True)
class FilterGroup:
    """A search filter: its URL parameter (also Pagefind's filter name), its legend, a practice's (id, label) pairs."""

    name: str
    legend: str
    values: Callable


# The one place that says which id stands for a value: practice pages give these ids to the index,
# the search page lists them, and URLs carry them (`?level=national`), so a renamed label keeps links working.
FILTER_GROUPS = (
    FilterGroup("theme", "Theme", lambda p: [(theme.id, theme.name) for theme in p.themes]),
    FilterGroup("country", "Country", lambda p: [(p.country.code.lower(), p.country.name)]),
    FilterGroup("region", "Region", lambda p: [(p.region.slug, p.region.name)]),
    FilterGroup("level", "Level", lambda p: [(p.level, p.level.capitalize())]),
    FilterGroup("status", "Status", lambda p: [(p.status, "Validated by experts" if p.status == "validated" else "Submitted")]),
    FilterGroup("year", "Year published", lambda p: [(str(p.published.year), str(p.published.year))]),
)


@dataclass(frozen=True)
class FilterOption:
    """One value of a filter group on the search page: its id, its label and how many practices have it."""

    value: str
    label: str
    count: int


def practice_filters(practice) -> list[tuple[str, str]]:
    """The (filter name, value id) pairs a practice's page gives the search index."""
    return [(group.name, value) for group in FILTER_GROUPS for value, _ in group.values(practice)]


def filter_groups(site) -> list[tuple[FilterGroup, list[FilterOption]]]:
    """Every filter group with the values that some practice has, in the order a reader scans them."""
    groups = []
    for group in FILTER_GROUPS:
        counts, labels = Counter(), {}
        for practice in site.practices:
            for value, label in group.values(practice):
                counts[value] += 1
                labels[value] = label
        options = [FilterOption(value, labels[value], counts[value]) for value in counts]
        groups.append((group, sorted(options, key=option_order(group.name, site))))
    return groups


def option_order(group: str, site) -> Callable:
    """The sort key of a group's options: the themes file's order, the schema's, newest year first, else by label."""
    fixed = {"theme": [theme.id for theme in site.themes], "level": list(LEVELS), "status": list(STATUSES)}
    if group in fixed:
        return lambda option: fixed[group].index(option.value)
    if group == "year":
        return lambda option: -int(option.value)
    return lambda option: (option.label.casefold(), option.value)


class SearchIndexError(Exception):
    """Pagefind failed, or wrote something this builder does not understand; the message says what."""


def stopped(returncode: int) -> str:
    """Why Pagefind ended, when a signal ended it: it prints nothing then, and a killed indexer is most often out of memory."""
    if returncode >= 0:
        return ""
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    if name == "SIGKILL":  # what Linux's out-of-memory killer sends (Pagefind took over 19 GB for 100,000 practices)
        return ("Pagefind was stopped by the system (SIGKILL), most likely because the machine ran out of memory; "
                "build on a machine with more memory.")
    return f"Pagefind was stopped by {name}."


def index_site(folder: Path, bundle: Path | None = None) -> None:
    """Index every page of `folder` that carries `data-pagefind-body` into `bundle` (by default `folder/pagefind/`)."""
    bundle = (bundle or folder / "pagefind").absolute()
    command = [str(pagefind_bin.get_executable()), "--site", str(folder.absolute()), "--output-path", str(bundle),
               "--glob", SEARCHED, "--quiet"]
    # The site folder as working directory, so no stray pagefind.yml of the caller's changes the index.
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}{stopped(result.returncode)}")
    require_room(bundle, bundle)  # Pagefind exits 0 when its writes fail there: its files may be cut short
    canonicalise(bundle)


def read_chunk(path: Path) -> list:
    """Decode one Pagefind index file: gzip, the `pagefind_dcd` signature, then CBOR."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:
        raise SearchIndexError(f"{path}: not a gzip file ({error})") from None
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: no Pagefind signature; is this Pagefind 1.5.2?")
    return cbor2.loads(data[len(SIGNATURE):])


def encode_chunk(value: list) -> bytes:
    """Encode one Pagefind index file the way Pagefind reads it, with no timestamp in the gzip header."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def content_name(prefix: str, data: bytes, length: int) -> str:
    """A file stem derived from the file's bytes, like Pagefind's own (`en_1a2b3c4`)."""
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}"


def canonicalise_filter(path: Path, language: str) -> str:
    """Sort one filter chunk's values and their pages, rewrite it under its new hash, return that hash."""
    name, values = read_chunk(path)
    values = sorted([value, sorted(pages)] for value, pages in values)
    data = encode_chunk([name, values])
    stem = content_name(language, data, 7)
    path.unlink()
    (path.parent / f"{stem}.pf_filter").write_bytes(data)
    return stem


def canonicalise_meta(bundle: Path, language: str, old: str) -> str:
    """Canonicalise one language's filter chunks and meta index; return the meta index's new hash."""
    meta_path = bundle / f"pagefind.{old}.pf_meta"
    meta = read_chunk(meta_path)
    if len(meta) <= META_SORTS or not isinstance(meta[META_FILTERS], list):
        raise SearchIndexError(f"{meta_path}: unexpected layout; is this Pagefind 1.5.2?")
    meta[META_FILTERS] = sorted(
        [filter_name, canonicalise_filter(bundle / "filter" / f"{chunk}.pf_filter", language)]
        for filter_name, chunk in meta[META_FILTERS]
    )
    # The page list of each sort is an order and stays as it is; only the sorts themselves are a set.
    meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
    data = encode_chunk(meta)
    stem = content_name(language, data, 10)
    meta_path.unlink()
    (bundle / f"pagefind.{stem}.pf_meta").write_bytes(data)
    return stem


def canonicalise(bundle: Path) -> None:
    """Rewrite the order-unstable files of a Pagefind bundle so equal content gives equal bytes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        info["hash"] = canonicalise_meta(bundle, language, info["hash"])
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def index_key(made: dict, cache) -> str:
    """The cache key of the index of a site: every HTML page's path and SHA-256, and Pagefind's version."""
    parts = [part for name, item in sorted(made.items()) if name.endswith(".html") for part in (name, item.sha)]
    return cache.key("pagefind", *parts)  # the cache's fingerprint holds Pagefind's version


def index_site_cached(folder: Path, made: dict, cache) -> None:
    """`index_site`, reusing a kept copy of an earlier build's index of the same pages when every byte checks out.

    The copy is kept with the SHA-256 of each of its files and copied (never linked) both ways, so
    damage to the published site cannot reach the cache, nor damage to the cache the site.
    """
    if cache is None or cache.folder is None:
        return index_site(folder)
    key = index_key(made, cache)
    kept, manifest = cache.folder / "pagefind" / key, cache.get("pagefind", key)
    if isinstance(manifest, dict) and copy_verified(kept, folder / "pagefind", manifest):
        return
    shutil.rmtree(folder / "pagefind", ignore_errors=True)
    index_site(folder)
    keep(folder / "pagefind", cache, key)


def file_manifest(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under `folder`, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def copy_verified(source: Path, target: Path, manifest: dict) -> bool:
    """Copy the files of `manifest` from `source` to `target` if each has its recorded hash and no other file is there."""
    try:
        if file_manifest(source) != manifest:
            return False
        shutil.copytree(source, target)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return file_manifest(target) == manifest  # read back: what is published is what was checked


def keep(index: Path, cache, key: str) -> None:
    """Keep a copy of a fresh index in the cache (only the latest is worth keeping) with its files' hashes."""
    shutil.rmtree(cache.folder / "pagefind", ignore_errors=True)
    kept = cache.folder / "pagefind" / key
    kept.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=kept.parent))
    try:
        shutil.copytree(index, staging / "pagefind")
        (staging / "pagefind").rename(kept)
        cache.put("pagefind", key, file_manifest(kept))
    except OSError:  # another build stored an index meanwhile, or the disk is full: the next build indexes again
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
