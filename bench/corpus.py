#!/usr/bin/env python3
"""A seeded benchmark corpus: `python bench/corpus.py --practices N --seed S OUT_DIR`.

Writes OUT_DIR/practices/*.md, OUT_DIR/regions/*.md and a copy of content/themes.yaml; every
practice is valid under builder/schema.py and has the five standard sections. The same seed
gives the same bytes. `--hugo` writes the Hugo peer's variant instead: practices only, each
with one more front-matter line `country: "XX"` (see ../shared/bench/hugo-peer/README.md).
"""

import argparse
import datetime
import random
import shutil
import sys
from pathlib import Path

from slugify import slugify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from regions import region_table  # noqa: E402
from text import body, keywords, organisation, summary, title  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "content" / "themes.yaml"


def theme_ids() -> list[str]:
    """The theme ids of the project's themes file, in file order."""
    import yaml
    return list(yaml.safe_load(THEMES.read_text(encoding="utf-8")))


def pick_regions(rng: random.Random, count: int) -> list[tuple]:
    """`count` regions: the first of every country, then a seeded sample of the rest, in table order."""
    table = region_table()
    seen, first = set(), []
    for index, row in enumerate(table):
        if row[0] not in seen:
            seen.add(row[0])
            first.append(index)
    rest = [i for i in range(len(table)) if i not in set(first)]
    chosen = set(first) | set(rng.sample(rest, max(0, min(count, len(table)) - len(first))))
    return [table[i] for i in sorted(chosen)]


def region_slugs(regions: list[tuple]) -> list[str]:
    """A unique URL slug for each region, from its transliterated name and country."""
    slugs, taken = [], set()
    for code, _, name, _, _ in regions:
        slug = slugify(name) or code.lower()
        if slug in taken or slug == "page":
            slug = f"{slug}-{code.lower()}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def region_file(code: str, nuts: str, name: str, lat: float, lon: float, rng: random.Random) -> str:
    """One region file: front matter and a short description."""
    return (f'---\nname: "{name}"\ncountry: "{code}"\nnuts: "{nuts}"\nlat: {lat}\nlon: {lon}\n---\n'
            f"{name} takes part in the exchange of good practices through its regional development agency. "
            f"Its economy combines {rng.choice(['manufacturing', 'tourism', 'agri-food', 'logistics', 'services'])} "
            f"with a growing number of small technology firms.\n\n"
            f"The regional partner looks for ways to help its {rng.randint(2, 40) * 100} "
            f"member firms adopt digital tools and to connect them with research centres.\n")


def quote(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def practice_file(index: int, heading: str, region: tuple, slug: str, themes: list[str], rng: random.Random, hugo: bool) -> str:
    """One practice file: valid front matter, then a 500–800-word body with the five sections."""
    code, _, name, _, _ = region
    org = organisation(rng, name)
    published = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 3600))
    lines = [
        "---", f"title: {quote(heading)}", f"summary: {quote(summary(rng, name))}", f"region: {slug}",
        "themes:", *[f"  - {theme}" for theme in rng.sample(themes, rng.randint(1, 3))],
        f"organisation: {quote(org)}", f"level: {rng.choice(['national', 'regional', 'regional', 'local'])}",
        f'published: "{published.isoformat()}"',
    ]
    if rng.random() < 0.4:
        lines.append(f'updated: "{(published + datetime.timedelta(days=rng.randint(1, 400))).isoformat()}"')
    lines += [f'start: "{published.year - rng.randint(0, 4)}"', f"status: {rng.choice(['validated', 'submitted'])}",
              f"project: {quote(rng.choice(['INNO INDUSTRY', 'CLUSTERS3', 'DIGITAL REGIONS', 'SME POWER', 'ClusterFY']))}",
              "keywords:", *[f"  - {quote(word)}" for word in keywords(rng)],
              f"website: https://www.example.org/practices/{index}/"]
    if rng.random() < 0.5:
        lines += ["contact:", f"  name: {quote(org)}", f"  email: info{index}@example.org",
                  f"  url: https://www.example.org/contact/{index}/"]  # all three: templates/practice.html needs `url`
    if hugo:
        lines.append(f'country: "{code}"')
    return "\n".join(lines + ["---", body(rng, name, org), ""])


def write_corpus(out: Path, practices: int, seed: int, regions: int = 250, hugo: bool = False) -> None:
    """Write the whole corpus under `out` (replacing its practices/ and regions/ folders)."""
    rng = random.Random(seed)
    chosen = pick_regions(rng, regions)
    slugs = region_slugs(chosen)
    for folder in ("practices", "regions"):
        shutil.rmtree(out / folder, ignore_errors=True)
    (out / "practices").mkdir(parents=True)
    if not hugo:
        (out / "regions").mkdir()
        words = random.Random(f"regions-{seed}")  # its own stream: the Hugo variant gets the same practices
        for row, slug in zip(chosen, slugs):
            (out / "regions" / f"{slug}.md").write_text(region_file(*row, words), encoding="utf-8")
        shutil.copyfile(THEMES, out / "themes.yaml")
    themes = theme_ids()
    weights = [rng.paretovariate(1.2) for _ in chosen]  # some regions share many practices, most a few
    for index in range(1, practices + 1):
        at = rng.choices(range(len(chosen)), weights)[0]
        name = title(rng)
        text = practice_file(index, name, chosen[at], slugs[at], themes, rng, hugo)
        slug = f"{slugify(name, max_length=60, word_boundary=True)}-{index}"
        (out / "practices" / f"{slug}.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the options and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (its practices/ and regions/ are replaced)")
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--regions", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", action="store_true", help="the Hugo peer's variant: practices only, with `country:`")
    args = parser.parse_args(argv)
    write_corpus(args.out, args.practices, args.seed, args.regions, args.hugo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
