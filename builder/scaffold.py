"""Helping editors start: the `new` practice file and the field table, both drawn from the schema."""

import datetime
import json
import re
from pathlib import Path

from markupsafe import Markup, escape
from slugify import slugify

from .problems import display_path
from .schema import PRACTICE, REGION, RESERVED_SLUGS, SECTION_HELP, SECTIONS, Field

FIELDS_START = "<!-- fields:start (generated from builder/schema.py by `python build.py contributing`) -->"
FIELDS_END = "<!-- fields:end -->"


class ScaffoldError(Exception):
    """The practice file cannot be written; the message says why in plain words."""


def practice_slug(title: str) -> str:
    """The file name for a title: transliterated to lower-case ASCII words joined by hyphens."""
    return slugify(title, max_length=80, word_boundary=True)


def new_practice(content: Path, title: str, today: datetime.date | None = None) -> Path:
    """Write `content/practices/<slug>.md` for `title`; never overwrite an existing file."""
    slug = practice_slug(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters or digits to make a file name from")
    if slug in RESERVED_SLUGS:
        raise ScaffoldError(f"`{slug}` is reserved for the site's own pages; choose another title")
    path = content / "practices" / f"{slug}.md"
    choices = {"region": names(content / "regions", "*.md"), "themes": theme_ids(content / "themes.yaml")}
    text = practice_text(title.strip(), today or datetime.date.today(), choices)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{display_path(path)} already exists; edit it, or choose another title") from None
    return path


def names(folder: Path, pattern: str) -> list[str]:
    """The file names (without extension) in `folder`, sorted."""
    return sorted(path.stem for path in folder.glob(pattern)) if folder.is_dir() else []


def theme_ids(path: Path) -> list[str]:
    """The theme ids of the themes file, in its order (top-level keys)."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[0] for line in lines if line[:1].isalnum() and ":" in line]


def practice_text(title: str, today: datetime.date, choices: dict[str, list[str]]) -> str:
    """The front matter with a comment on every field, then every standard section."""
    values = {"title": json.dumps(title, ensure_ascii=False), "published": f'"{today.isoformat()}"', "themes": "[]"}
    lines = ["---"]
    for field in PRACTICE:
        lines += field_lines(field, values.get(field.name, '""'), choices.get(field.name, []))
    lines.append("---")
    for section in SECTIONS:
        lines += [f"## {section}", "", f"<!-- {SECTION_HELP[section]} -->", ""]
    return "\n".join(lines)


def field_lines(field: Field, value: str, choices: list[str]) -> list[str]:
    """A field's comment lines and its line: filled in when required, commented out when optional."""
    comment = f"# {field.name} ({'required' if field.required else 'optional'}): {describe(field)}"
    options = list(field.choices) or choices
    lines = [comment] + ([f"#   one of: {', '.join(options)}"] if options else [])
    if field.required:
        example = [f"#   e.g. {field.name}: {field.example}"] if field.example and field.name not in ("title", "published") else []
        return lines + example + [f"{field.name}: {value}"]
    return lines + [f"# {field.name}: {field.example}"]


def describe(field: Field) -> str:
    """The field's help, with its length or count limit."""
    unit = "items" if field.kind in ("themes", "keywords", "sources") else "characters"
    return field.help + (f" At most {field.limit} {unit}." if field.limit else "")


def described_html(field: Field) -> Markup:
    """`describe(field)` for the contribute page: the same words and limits as CONTRIBUTING.md, `code` as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(describe(field)))))


def next_steps(path: Path) -> str:
    """What an editor does after `new`, in order."""
    required = ", ".join(f"`{field.name}`" for field in PRACTICE if field.required and field.name not in ("title", "published"))
    name = display_path(path)
    return "\n".join([
        f"Wrote {name}. Next:",
        f"  1. Fill in {required}; the comment above each field says what to write.",
        "  2. Uncomment (remove the `# ` before) any optional field you want to use.",
        f"  3. Write the {len(SECTIONS)} sections below the front matter, replacing the notes in <!-- -->.",
        f"  4. Check it:   python build.py check {name}",
        f"  5. Preview it: python build.py serve, then open http://127.0.0.1:8000/practices/{path.stem}/",
    ])


def field_table(schema: tuple[Field, ...]) -> str:
    """A Markdown table of the fields of `schema`: name, required, what to write, example."""
    rows = ["| Field | Required | What to write | Example |", "|---|---|---|---|"]
    for field in schema:
        choices = f" One of: {', '.join(f'`{choice}`' for choice in field.choices)}." if field.choices else ""
        example = f"`{field.example}`" if field.example else ""
        cells = [f"`{field.name}`", "yes" if field.required else "no", describe(field) + choices, example]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows)


def contributing_fields() -> str:
    """The generated part of CONTRIBUTING.md: the practice and region field tables and the sections."""
    sections = "\n".join(f"{number}. `## {name}`: {SECTION_HELP[name]}" for number, name in enumerate(SECTIONS, 1))
    return "\n\n".join([
        FIELDS_START, "### Fields of a practice", field_table(PRACTICE), "### Sections of a practice, in this order",
        sections, "### Fields of a region (`content/regions/<slug>.md`)", field_table(REGION), FIELDS_END,
    ])


def with_fields(text: str) -> str:
    """`text` (CONTRIBUTING.md) with its generated part replaced by a fresh one."""
    start, end = text.index(FIELDS_START), text.index(FIELDS_END) + len(FIELDS_END)
    return text[:start] + contributing_fields() + text[end:]
