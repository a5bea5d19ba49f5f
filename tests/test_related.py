"""`assign_related` (grouped) gives every practice exactly the related practices the pairwise definition picks."""

import random
import re
import shutil
from pathlib import Path

import pytest

from builder.build import Paths, build_model, check_content
from builder.cache import Cache
from builder.config import load_config
from builder.related import score

ROOT = Path(__file__).resolve().parent.parent


def corpus(folder: Path, size: int, seed: int) -> Path:
    """`size` practices with seeded random regions, themes, dates and titles (many ties on purpose)."""
    rng = random.Random(seed)
    shutil.copytree(ROOT / "content" / "regions", folder / "regions")
    shutil.copy(ROOT / "content" / "themes.yaml", folder / "themes.yaml")
    regions = sorted(path.stem for path in (folder / "regions").glob("*.md"))
    themes = ["research-and-innovation", "sme-competitiveness", "smarter-europe", "greener-europe"]
    (folder / "practices").mkdir()
    for number in range(size):
        (folder / "practices" / f"p{number:04d}.md").write_text(
            f"---\ntitle: T{rng.randint(0, 5)}\nsummary: S.\nregion: {rng.choice(regions)}\n"
            f"themes: [{', '.join(rng.sample(themes, rng.randint(1, 3)))}]\norganisation: O\nlevel: local\n"
            f'published: "2020-01-0{rng.randint(1, 3)}"\n---\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouped_related_equals_the_definition(tmp_path, seed):
    paths = Paths(corpus(tmp_path / "content", 300, seed), ROOT / "templates", ROOT / "static", tmp_path / "out")
    content = check_content(paths)
    assert not [p for p in content.problems if p.severity == "error"]
    site = build_model(content, paths, load_config(ROOT / "pyproject.toml"))
    assert all(slugs(practice.related) == slugs(related(practice, site.practices)) for practice in site.practices)
    assert any(practice.related for practice in site.practices)


def test_related_practices_come_from_the_cache_until_a_practice_s_themes_change(tmp_path):
    paths = Paths(corpus(tmp_path / "content", 300, 4), ROOT / "templates", ROOT / "static", tmp_path / "out")
    cache, config = Cache(None), load_config(ROOT / "pyproject.toml")
    build_model(check_content(paths, cache), paths, config, cache)
    practice = paths.content / "practices" / "p0007.md"
    practice.write_text(practice.read_text(encoding="utf-8") + "A new sentence.\n", encoding="utf-8")
    site = build_model(check_content(paths, cache), paths, config, cache)
    assert cache.hits["related"] == 1
    assert all(slugs(practice.related) == slugs(related(practice, site.practices)) for practice in site.practices)
    text = practice.read_text(encoding="utf-8")
    moved = re.sub(r"themes: \[.*\]", "themes: [greener-europe, smarter-europe]", text)
    assert moved != text
    practice.write_text(moved, encoding="utf-8")
    site = build_model(check_content(paths, cache), paths, config, cache)
    assert cache.hits["related"] == 1  # chosen again, not reused
    assert all(slugs(practice.related) == slugs(related(practice, site.practices)) for practice in site.practices)


def test_bundled_content_related_equals_the_definition(tmp_path):
    paths = Paths(ROOT / "content", ROOT / "templates", ROOT / "static", tmp_path / "out")
    site = build_model(check_content(paths), paths, load_config(ROOT / "pyproject.toml"))
    assert all(slugs(practice.related) == slugs(related(practice, site.practices)) for practice in site.practices)


def related(practice, practices: list, limit: int = 3) -> list:
    """The definition, pair by pair: most shared themes, then region and country, newest first on ties."""
    ranked = sorted(((score(practice, other), other) for other in practices if other is not practice),
                    key=lambda item: (-item[0], item[1].sort_key))
    return [other for points, other in ranked if points > 0][:limit]


def slugs(practices: list) -> list[str]:
    """The slugs, in order."""
    return [practice.slug for practice in practices]
