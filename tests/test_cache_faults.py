"""A really damaged cache never publishes a wrong site: each fault is repaired, and the result is a clean build's bytes."""

import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from builder.build import Paths, build
from builder.cache import DATABASE, Cache
from builder.config import load_config
from conftest import same, tree

ROOT = Path(__file__).resolve().parent.parent



def build_into(output: Path, cache: Path | None) -> dict[str, bytes]:
    """Build the bundled site with its search index; the output tree."""
    build(Paths(ROOT / "content", ROOT / "templates", ROOT / "static", output), load_config(ROOT / "pyproject.toml"),
          search=True, cache=Cache(cache) if cache else None)
    return tree(output)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, bytes]:
    """A build with no cache at all."""
    return build_into(tmp_path_factory.mktemp("clean") / "site", None)


@pytest.fixture
def warm(tmp_path) -> tuple[Path, Path]:
    """An output and the cache of the build that wrote it."""
    output, cache = tmp_path / "site", tmp_path / "cache"
    build_into(output, cache)
    return output, cache


def cache_files(cache: Path) -> list[Path]:
    """Every file of the cache, the kept search index included."""
    return sorted(path for path in cache.rglob("*") if path.is_file())


def flip_bit(path: Path, position: float) -> None:
    """Flip one bit of a file, at a fraction of its length."""
    data = bytearray(path.read_bytes())
    data[int(len(data) * position)] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("position", [0.3, 0.7, 0.95])
def test_one_flipped_bit_in_any_cache_file_is_recomputed(clean, warm, position):
    output, cache = warm
    for path in cache_files(cache):
        flip_bit(path, position)
    assert same(build_into(output, cache), clean)
    # and the entries written afresh are good again: a second warm build reuses and still matches
    assert same(build_into(output, cache), clean)


@pytest.mark.parametrize("position", [0.1, 0.5, 0.9])
def test_content_and_page_records_flipped_into_a_new_output(clean, warm, tmp_path, position):
    output, cache = warm
    flip_bit(cache / DATABASE, position)
    assert same(build_into(tmp_path / "fresh", cache), clean)  # a new output: nothing to reuse


def test_an_entry_moved_to_another_key_is_not_used(clean, warm, tmp_path):
    output, cache = warm
    with sqlite3.connect(cache / DATABASE) as database:  # every body, page record and front matter becomes the first one's
        moved = database.execute("UPDATE entries SET data = (SELECT data FROM entries AS first WHERE first.kind = entries.kind "
                                 "ORDER BY key LIMIT 1)").rowcount
    assert moved > 100
    assert same(build_into(tmp_path / "fresh", cache), clean)


def test_half_of_the_cache_files_deleted(clean, warm):
    output, cache = warm
    for path in cache_files(cache)[::2]:
        path.unlink()
    assert same(build_into(output, cache), clean)


def test_a_truncated_kept_search_index_file_is_indexed_again(clean, warm, tmp_path):
    output, cache = warm
    kept = [path for path in cache_files(cache) if "pagefind" in path.parts and path.stat().st_size > 100]
    assert kept
    for path in kept[::3]:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert same(build_into(tmp_path / "fresh", cache), clean)
    assert same(build_into(output, cache), clean)


def test_the_cache_and_the_published_site_share_no_bytes(clean, warm):
    output, cache = warm
    build_into(output, cache)  # the second build reuses the kept index
    cached = {(path.stat().st_dev, path.stat().st_ino) for path in cache_files(cache)}
    published = {(path.stat().st_dev, path.stat().st_ino) for path in output.rglob("*") if path.is_file()}
    assert cached and not cached & published
    index = next(path for path in (output / "pagefind").rglob("*") if path.is_file() and path.stat().st_size > 100)
    index.write_bytes(b"damaged on the live site")
    assert same(build_into(output, cache), clean)  # the cache was not damaged with it, and the site is repaired


def test_a_cache_file_cannot_run_code(clean, warm, tmp_path):
    output, cache = warm
    witness = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    (cache / DATABASE).write_bytes(pickle.dumps({"x": Payload()}))
    shutil.rmtree(cache / "pagefind", ignore_errors=True)
    assert same(build_into(output, cache), clean)
    assert not witness.exists()
