"""The search index: Pagefind over the staged folder, failures that leave the output alone, equal bytes."""

import gzip
import json
from pathlib import Path

import pytest

import builder.search
from builder.build import Paths, build_model, check_content
from builder.config import load_config
from builder.schema import LEVELS
from builder.search import SEARCHED, SearchIndexError, filter_groups, index_site, practice_filters, read_chunk
from conftest import ROOT, build_into

BASE_URL = "http://127.0.0.1:8000/portal/"
PRACTICES = sorted(path.stem for path in (ROOT / "content" / "practices").glob("*.md"))


def bundle_files(folder: Path) -> dict[str, bytes]:
    """Every file of a site's `pagefind/` folder, by its path inside it."""
    bundle = folder / "pagefind"
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in sorted(bundle.rglob("*")) if path.is_file()}


def fragments(folder: Path) -> list[dict]:
    """The decoded page records (fragments) Pagefind wrote for a site."""
    records = []
    for path in sorted((folder / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records


def meta_index(folder: Path) -> list:
    """The decoded meta index of the site's English index."""
    entry = json.loads((folder / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return read_chunk(folder / "pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The bundled site, built once for this module."""
    output = tmp_path_factory.mktemp("search") / "site"
    build_into(ROOT / "content", output, BASE_URL)
    return output


def test_two_builds_give_byte_identical_pagefind_folders(built, tmp_path):
    again = tmp_path / "again"
    build_into(ROOT / "content", again, BASE_URL)
    first, second = bundle_files(built), bundle_files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_only_practice_pages_are_indexed(built):
    urls = sorted(record["url"] for record in fragments(built))
    assert urls == [f"/practices/{slug}/" for slug in PRACTICES]


def test_pagefind_reads_exactly_the_pages_that_ask_to_be_indexed(built):
    asking = sorted(path for path in built.rglob("*.html") if b"data-pagefind-body" in path.read_bytes())
    assert asking == sorted(built.glob(SEARCHED))
    assert len(asking) == len(PRACTICES)


def test_every_practice_has_filters_card_metadata_and_sort_key(built):
    for record in fragments(built):
        assert sorted(record["filters"]) == ["country", "level", "region", "status", "theme", "year"], record["url"]
        assert all(record["meta"].get(key) for key in ("title", "summary", "region", "themes")), record["url"]
    sorts = dict(meta_index(built)[4])
    assert sorted(sorts["published"]) == list(range(len(PRACTICES)))


def test_filter_values_are_not_indexed_as_page_text(built):
    source = (ROOT / "content" / "practices" / "in4wood-e-learning.md").read_text(encoding="utf-8")
    published = next(line.split(":", 1)[1].strip() for line in source.splitlines() if line.startswith("published:")).strip("\"'")
    record = next(r for r in fragments(built) if r["url"] == "/practices/in4wood-e-learning/")
    assert published not in record["content"]  # the sort key's ISO date is not page text
    assert "Spain Region of Murcia Regional" not in record["content"]  # nor the filter values in a row


def test_canonical_filter_chunks_are_sorted_and_named_by_content(built):
    meta = meta_index(built)
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) == ["country", "level", "region", "status", "theme", "year"]
    for name, chunk in meta[3]:
        filter_name, values = read_chunk(built / "pagefind" / "filter" / f"{chunk}.pf_filter")
        assert filter_name == name
        assert [value for value, _ in values] == sorted(value for value, _ in values)


def a_practice_page(site: Path) -> None:
    """Write one page where Pagefind looks for practices."""
    page = site / "practices" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body data-pagefind-body><h1>A page</h1></body></html>")


def test_a_failing_indexer_raises_search_index_error(tmp_path):
    a_practice_page(tmp_path)
    (tmp_path / "pagefind").write_text("a file where Pagefind must write its folder")
    with pytest.raises(SearchIndexError, match="Pagefind could not index the site"):
        index_site(tmp_path)


def test_an_indexer_killed_for_memory_says_so(tmp_path, monkeypatch):
    a_practice_page(tmp_path)
    indexer = tmp_path / "pagefind-killed"  # as Linux's out-of-memory killer ends it: no output, SIGKILL
    indexer.write_text("#!/bin/sh\nkill -9 $$\n")
    indexer.chmod(0o755)
    monkeypatch.setattr(builder.search.pagefind_bin, "get_executable", lambda: indexer)
    with pytest.raises(SearchIndexError, match=r"stopped by the system \(SIGKILL\), most likely because the machine ran out of memory"):
        index_site(tmp_path)


def test_a_damaged_index_file_is_reported_not_misread(tmp_path):
    chunk = tmp_path / "x.pf_filter"
    chunk.write_bytes(gzip.compress(b"not pagefind"))
    with pytest.raises(SearchIndexError, match="no Pagefind signature"):
        read_chunk(chunk)


def test_failed_indexing_fails_the_build_and_keeps_the_previous_output(built, tmp_path, monkeypatch):
    output = tmp_path / "site"
    build_into(ROOT / "content", output, BASE_URL)
    before = {path: path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}

    def index_blocked(folder: Path) -> None:
        """Real Pagefind on the staged folder, with its output path taken by a file."""
        (folder / "pagefind").write_text("in the way")
        index_site(folder)

    monkeypatch.setattr(builder.search, "index_site", index_blocked)
    with pytest.raises(SearchIndexError):
        build_into(ROOT / "content", output, BASE_URL)
    after = {path: path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_the_index_filters_by_the_ids_the_search_page_lists_with_their_counts(built):
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static")
    site = build_model(check_content(paths), paths, load_config(ROOT / "pyproject.toml", base_url=BASE_URL))
    indexed = {record["url"]: record["filters"] for record in fragments(built)}
    for practice in site.practices:
        expected = {}
        for name, value in practice_filters(practice):
            expected.setdefault(name, []).append(value)
        assert {name: sorted(values) for name, values in indexed[f"/{practice.path}"].items()} == \
            {name: sorted(values) for name, values in expected.items()}
    listed = {group.name: {option.value: option.count for option in options} for group, options in filter_groups(site)}
    counted = {}
    for filters in indexed.values():
        for name, values in filters.items():
            for value in values:
                counted.setdefault(name, {}).setdefault(value, 0)
                counted[name][value] += 1
    assert listed == counted
    levels = next(options for group, options in filter_groups(site) if group.name == "level")
    assert [option.value for option in levels] == [level for level in LEVELS if level in listed["level"]]
