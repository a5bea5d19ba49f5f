"""Speed never changes a byte: cached, parallel and cold single-process builds give the same tree."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder import workers
from builder.build import Paths, build, build_model, check_content
from builder.cache import DATABASE, Cache
from builder.config import load_config
from builder.related import score
from conftest import same

ROOT = Path(__file__).resolve().parent.parent


def corpus(folder: Path, practices: int) -> Path:
    """A generated benchmark corpus, written by the real command."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--practices", str(practices),
                    "--seed", "7", "--regions", "40", str(folder)], check=True)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def build_tree(content: Path, output: Path, templates: Path = ROOT / "templates", cache=None, jobs=1,
               base_url: str | None = None, search: bool = False) -> dict[str, bytes]:
    """Build and return the output tree."""
    config = load_config(ROOT / "pyproject.toml", base_url=base_url)
    build(Paths(content, templates, ROOT / "static", output), config, search=search, cache=cache, jobs=jobs)
    return tree(output)


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """A 60-practice corpus."""
    return corpus(tmp_path_factory.mktemp("corpus"), 60)


@pytest.fixture
def parallel(monkeypatch):
    """Worker processes even for a small site (the pool normally starts at 200 items)."""
    monkeypatch.setattr(workers, "MIN_ITEMS", 1)


def test_cached_parallel_and_cold_builds_are_identical(content, tmp_path, parallel):
    cold = build_tree(content, tmp_path / "cold", jobs=1)
    both = build_tree(content, tmp_path / "parallel", cache=Cache(tmp_path / "cache"), jobs=2)
    assert (tmp_path / "cache" / DATABASE).is_file()
    cache = Cache(tmp_path / "cache")
    warm = build_tree(content, tmp_path / "warm", cache=cache, jobs=2)
    assert cache.hits["body"] == 60 + 40 and cache.hits["front-matter"] == 60 + 40
    again = build_tree(content, tmp_path / "warm", cache=Cache(tmp_path / "cache"), jobs=1)
    assert len(cold) > 60 and same(cold, both) and same(cold, warm) and same(cold, again)


def test_a_content_edit_shows_up_at_once(content, tmp_path, parallel):
    edited = tmp_path / "content"
    shutil.copytree(content, edited)
    cache = Cache(tmp_path / "cache")
    build_tree(edited, tmp_path / "out", cache=cache, jobs=2)
    practice = sorted((edited / "practices").glob("*.md"))[5]
    text = practice.read_text(encoding="utf-8").replace("## Evidence of success\n", "## Evidence of success\n\nA *brand-new* sentence.\n", 1)
    practice.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    warm = build_tree(edited, tmp_path / "out", cache=Cache(tmp_path / "cache"), jobs=2)
    page = warm[f"practices/{practice.stem}/index.html"].decode()
    assert "A <em>brand-new</em> sentence." in page and "Renamed " in page
    assert same(warm, build_tree(edited, tmp_path / "cold"))


def test_a_template_change_reaches_every_page_it_affects(content, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    cache_folder = tmp_path / "cache"
    before = build_tree(content, tmp_path / "out", templates, Cache(cache_folder))
    practice_html = templates / "practice.html"
    practice_html.write_text(practice_html.read_text(encoding="utf-8").replace("</h1>", "</h1><p>template-marker</p>", 1), encoding="utf-8")
    after = build_tree(content, tmp_path / "out", templates, Cache(cache_folder))
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed and all(name.startswith("practices/") for name in changed)
    assert all(b"template-marker" in after[name] for name in changed)
    assert same(after, build_tree(content, tmp_path / "cold", templates))


def test_a_setting_change_is_never_served_from_the_cache(content, tmp_path):
    cache_folder = tmp_path / "cache"
    build_tree(content, tmp_path / "out", cache=Cache(cache_folder), base_url="https://example.org/")
    moved = build_tree(content, tmp_path / "out", cache=Cache(cache_folder), base_url="https://example.org/portal/")
    assert same(moved, build_tree(content, tmp_path / "cold", base_url="https://example.org/portal/"))


def test_a_damaged_or_deleted_cache_is_rebuilt(content, tmp_path):
    cache_folder = tmp_path / "cache"
    cold = build_tree(content, tmp_path / "cold")
    build_tree(content, tmp_path / "out", cache=Cache(cache_folder))
    (cache_folder / DATABASE).write_bytes(b"not a cache file")
    assert same(cold, build_tree(content, tmp_path / "out", cache=Cache(cache_folder)))
    shutil.rmtree(cache_folder)
    assert same(cold, build_tree(content, tmp_path / "out", cache=Cache(cache_folder)))


def test_the_search_index_is_reused_only_for_the_same_pages(content, tmp_path):
    cache_folder = tmp_path / "cache"
    first = build_tree(content, tmp_path / "out", cache=Cache(cache_folder), search=True)
    again = build_tree(content, tmp_path / "out", cache=Cache(cache_folder), search=True)
    index = {name: data for name, data in first.items() if name.startswith("pagefind/")}
    assert index and same(first, again)
    edited = tmp_path / "content"
    shutil.copytree(content, edited)
    practice = sorted((edited / "practices").glob("*.md"))[0]
    practice.write_text(practice.read_text(encoding="utf-8") + "\nZyxwvutsrq appears here only.\n", encoding="utf-8")
    changed = build_tree(edited, tmp_path / "out", cache=Cache(cache_folder), search=True)
    assert {name: data for name, data in changed.items() if name.startswith("pagefind/")} != index


def test_related_practices_match_the_pairwise_rule(tmp_path):
    content = corpus(tmp_path / "corpus", 300)
    config = load_config(ROOT / "pyproject.toml")
    site = build_model(check_content(Paths(content)), Paths(content), config)
    for practice in site.practices:
        ranked = sorted(((score(practice, other), other) for other in site.practices if other is not practice),
                        key=lambda item: (-item[0], item[1].sort_key))
        assert practice.related == [other for points, other in ranked if points > 0][:3], practice.slug


def test_a_rebuild_with_nothing_changed_still_repairs_a_touched_output(content, tmp_path):
    cold = build_tree(content, tmp_path / "cold")
    build_tree(content, tmp_path / "out", cache=Cache(tmp_path / "cache"))
    cache = Cache(tmp_path / "cache")
    assert same(cold, build_tree(content, tmp_path / "out", cache=cache))
    assert cache.hits["up-to-date"] == 1 and cache.hits["body"] == 0  # nothing was rendered again
    (tmp_path / "out" / "index.html").write_text("edited by hand", encoding="utf-8")
    (tmp_path / "out" / "about" / "index.html").unlink()
    assert same(cold, build_tree(content, tmp_path / "out", cache=Cache(tmp_path / "cache")))
