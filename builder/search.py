"""The search index: Pagefind run over the written site folder."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pagefind_bin


class SearchIndexError(Exception):
    """Pagefind failed; the message carries its output."""


def index_site(folder: Path) -> None:
    """Index every page of `folder` that carries `data-pagefind-body` into `folder/pagefind/`."""
    command = [str(pagefind_bin.get_executable()), "--site", str(folder), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")


def index_key(files: dict[str, bytes], cache) -> str:
    """The cache key of the index of these files: every HTML page's path and bytes, and Pagefind's version."""
    parts = [part for name, data in sorted(files.items()) if name.endswith(".html") for part in (name, data)]
    return cache.key("pagefind", *parts)  # the cache's fingerprint holds Pagefind's version


def index_site_cached(folder: Path, files: dict[str, bytes], cache) -> None:
    """`index_site`, reusing the index of an earlier build whose HTML pages were the same bytes."""
    if cache is None or cache.folder is None:
        return index_site(folder)
    key = index_key(files, cache)
    kept = cache.folder / "pagefind" / key
    if kept.is_dir():
        shutil.copytree(kept, folder / "pagefind", copy_function=link_or_copy)
        return
    index_site(folder)
    shutil.rmtree(cache.folder / "pagefind", ignore_errors=True)  # only the latest index is worth keeping
    kept.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=kept.parent))
    try:
        shutil.copytree(folder / "pagefind", staging / "pagefind", copy_function=link_or_copy)
        (staging / "pagefind").rename(kept)
    except OSError:  # another build stored the same index meanwhile: either copy will do
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def link_or_copy(source: str, target: str) -> None:
    """A hard link (neither side is ever changed in place), or a copy where links are not allowed."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
