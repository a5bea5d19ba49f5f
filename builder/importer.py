"""`import FILE.csv|.xlsx`: one practice file per spreadsheet row, every problem named by row and column.

The columns are those of the portal's own `data/practices.csv` (builder/export.py), so an export
imports back; columns the export derives (the region's name, the country, the page's address, the
licence) are read and ignored. Every row is validated exactly as a practice file is, in a copy of
the content, before anything is written.
"""

import csv
import datetime
import difflib
import io
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

from .build import Paths, check
from .config import Config
from .export import FORMULA_START, csv_columns
from .load import parse_document
from .problems import Problem, display_path, errors
from .scaffold import practice_slug
from .schema import PRACTICE, SECTIONS
from .validate import SLUG

FIELDS = {field.name: field for field in PRACTICE}
NESTED = {f"{field.name}_{part}": (field.name, part) for field in PRACTICE
          for part in {"contact": ("name", "email", "url"), "location": ("lat", "lon")}.get(field.kind, ())}
NESTED.update({"lat": ("location", "lat"), "lon": ("location", "lon")})  # the export's names for a practice's point
CSV_COLUMNS = [column.name for column in csv_columns()]
LISTS = {"themes": re.compile(r"\s*[;,]\s*"), "keywords": re.compile(r"\s*;\s*")}


class SheetError(Exception):
    """The spreadsheet cannot be read at all; the message says why."""


def key(text: str) -> str:
    """A column name or section title compared loosely: `Resources needed` = `resources_needed`."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).casefold()).strip("_")


SECTION_COLUMNS = {key(section): section for section in SECTIONS}
SECTION_COLUMNS.update({f"section_{name}": section for name, section in list(SECTION_COLUMNS.items())})


def column_role(name: str):
    """What a column holds: ("field", f), ("nested", (f, part)), ("section", title), ("body",), ("slug",), ("derived",), or None."""
    name = key(name)
    if name == "slug":
        return ("slug",)
    if name in FIELDS and FIELDS[name].kind not in ("contact", "location"):
        return ("field", name)
    if name in NESTED:
        return ("nested", NESTED[name])
    if name in SECTION_COLUMNS:
        return ("section", SECTION_COLUMNS[name])
    if name == "body":
        return ("body",)
    return ("derived",) if name in {key(column) for column in CSV_COLUMNS} else None


def read_rows(path: Path) -> list[list]:
    """The sheet as rows of cells (the first row the header), from CSV (UTF-8, `,` `;` or tab) or .xlsx."""
    if not path.is_file():
        raise SheetError(f"{display_path(path)}: there is no such file")
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise SheetError(f"{display_path(path)}: cannot be read as an Excel workbook ({error})") from None
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        return rows
    if path.suffix.lower() != ".csv":
        raise SheetError(f"{display_path(path)}: import reads .csv and .xlsx files; save the sheet as one of them")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{display_path(path)}: is not UTF-8 text; save it as \"CSV UTF-8\"") from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)]


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without `.0`, the export's `'` before a formula removed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def paragraphs(text: str) -> str:
    """A cell's lines as Markdown paragraphs: the export puts each paragraph on a line of its own."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def column_letter(index: int) -> str:
    """A spreadsheet's name for a column: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_roles(header: list, sheet: str) -> tuple[list, list[Problem]]:
    """Each column's role; unknown or repeated column names are problems of row 1."""
    roles, problems, seen = [], [], set()
    known = sorted({column for column in CSV_COLUMNS} | set(FIELDS) | set(NESTED) | {"slug", "body"})
    for index, name in enumerate(header):
        role = column_role(cell_text(name)) if cell_text(name) else ("derived",)
        where = f"column {column_letter(index)} `{cell_text(name)}`"
        if role is None:
            match = difflib.get_close_matches(key(cell_text(name)), known, n=1, cutoff=0.6)
            problems.append(Problem(sheet, 1, f"{where} is not a column of practices{f'; did you mean `{match[0]}`?' if match else ''}"))
        elif role[0] != "derived" and role in seen:
            problems.append(Problem(sheet, 1, f"{where} repeats an earlier column; keep one"))
        seen.add(role)
        roles.append(role or ("derived",))
    if ("field", "title") not in roles:
        problems.append(Problem(sheet, 1, "there is no `title` column; the first row must name the columns, as in data/practices.csv"))
    return roles, problems


def number(text: str):
    """A coordinate as a number when it reads as one, else the text (so the check names it)."""
    try:
        return float(text)
    except ValueError:
        return text


def row_practice(roles: list, cells: list, points: dict) -> tuple[str, dict, str, dict]:
    """A row as (slug, front matter, body, {front-matter key or section: column index})."""
    values, nested, sections, where, slug, body = {}, {}, {}, {}, "", ""
    for index, (role, cell) in enumerate(zip(roles, cells)):
        text = cell_text(cell)
        if role[0] in ("slug", "field", "nested") and not (role[0] == "field" and FIELDS[role[1]].kind == "paragraphs"):
            text = " ".join(text.split())  # a line break in a one-line field is an accident of the sheet
        if not text or role[0] == "derived":
            continue
        if role[0] == "slug":
            slug, where["slug"] = text, index
        elif role[0] == "field" and FIELDS[role[1]].kind == "sources":
            values[role[1]] = sources(text)
        elif role[0] == "field":
            values[role[1]] = [item for item in LISTS[role[1]].split(text) if item] if role[1] in LISTS else text
            where[role[1]] = index
        elif role[0] == "nested":
            nested.setdefault(role[1][0], {})[role[1][1]] = text
            where[f"{role[1][0]}.{role[1][1]}"] = index
        elif role[0] == "section":
            sections[role[1]], where[role[1]] = text, index
        else:
            body, where["body"] = text, index
    if location := nested.pop("location", None):
        point = {part: number(location.get(part, "")) for part in ("lat", "lon")}
        if points.get(values.get("region")) != (point["lat"], point["lon"]):  # the region's own point needs no field
            nested["location"] = point
    meta = {name: (nested if name in nested else values).get(name) for name in FIELDS if name in values or name in nested}
    body = body or "\n".join(f"## {section}\n\n{paragraphs(sections[section])}\n" for section in SECTIONS if section in sections)
    return slug or practice_slug(values.get("title", "")), meta, body, where


def sources(text: str) -> list:
    """Sources written as the export writes them, `Title <https://…>; Other <https://…>`, or one per line."""
    found = []
    for item in re.split(r"(?<=>)\s*;\s*|\n", text):
        match = re.fullmatch(r"\s*(.*?)\s*<?(https?://[^\s<>]+)>?\s*", item)
        if item.strip():
            found.append({"title": match[1], "url": match[2]} if match else {"title": item.strip()})
    return found


def practice_text(meta: dict, body: str) -> str:
    """A practice file: the front matter written by a YAML library (so no value can break out of its field), then the body."""
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{head}---\n\n{body.strip()}\n" if body.strip() else f"---\n{head}---\n"


def region_points(content: Path) -> dict:
    """Each region's map point, so a practice at its region's point gets no `location` of its own."""
    points = {}
    for path in sorted((content / "regions").glob("*.md")):
        document, _ = parse_document(path, path.read_text(encoding="utf-8-sig"))
        if document is not None:
            points[path.stem] = (document.meta.get("lat"), document.meta.get("lon"))
    return points


def import_sheet(sheet: Path, paths: Paths, config: Config, overwrite: bool = False,
                 write_valid: bool = False) -> tuple[list[Problem], list[Path]]:
    """Validate every row as a practice file; write them all when no row has an error (or, asked, the rows without)."""
    name = display_path(sheet)
    rows = read_rows(sheet)
    if not rows:
        return [Problem(name, 1, "the sheet is empty; the first row must name the columns, as in data/practices.csv")], []
    roles, problems = header_roles(rows[0], name)
    if problems:
        return problems, []
    points, practices = region_points(paths.content), paths.content / "practices"
    rows_by_slug, texts, wheres = {}, {}, {}
    for number_, cells in enumerate(rows[1:], start=2):
        if not any(cell_text(cell) for cell in cells):
            continue
        slug, meta, body, where = row_practice(roles, cells, points)
        place = f"column {column_letter(where.get('slug', where.get('title', 0)))}"
        if not SLUG.fullmatch(slug):
            problems.append(Problem(name, number_, f"{place}: `{slug[:60]}` cannot be a file name; use lower-case letters a–z, digits and hyphens"))
        elif slug in rows_by_slug:
            problems.append(Problem(name, number_, f"{place}: row {rows_by_slug[slug]} already makes `{slug}.md`; give one of them another slug"))
        elif (practices / f"{slug}.md").exists() and not overwrite:
            problems.append(Problem(name, number_, f"{place}: {display_path(practices / f'{slug}.md')} already exists; "
                                    "remove the row, or import with --replace to overwrite the file"))
        else:
            rows_by_slug[slug], texts[slug], wheres[slug] = number_, practice_text(meta, body), where
    problems += row_problems(texts, rows_by_slug, wheres, rows[0], name, paths, config)
    failed = {problem.line for problem in errors(problems)}
    if failed and not write_valid:
        return sorted(problems, key=lambda p: (p.line, p.message)), []
    written = []
    for slug, text in texts.items():
        if rows_by_slug[slug] not in failed:
            practices.mkdir(parents=True, exist_ok=True)
            (practices / f"{slug}.md").write_text(text, encoding="utf-8", newline="\n")
            written.append(practices / f"{slug}.md")
    return sorted(problems, key=lambda p: (p.line, p.message)), written


def check_in_copy(paths: Paths, config: Config, texts: dict[str, str]) -> dict[str, tuple[list[Problem], object]]:
    """Each new practice text (by slug) checked exactly as a file in `content/practices/` is, in a copy of the content.

    Returns, per slug, its problems and its parsed document (for the line of each field); nothing is written to `paths`.
    """
    with tempfile.TemporaryDirectory(prefix="portal-check-") as folder:
        content = Path(shutil.copytree(paths.content, Path(folder) / "content", symlinks=True))
        (content / "practices").mkdir(exist_ok=True)
        names = {}
        for slug, text in texts.items():
            (content / "practices" / f"{slug}.md").write_text(text, encoding="utf-8", newline="\n")
            names[display_path(content / "practices" / f"{slug}.md")] = slug
        found = check(replace(paths, content=content), config).problems
        return {slug: ([problem for problem in found if names.get(problem.path) == slug],
                       parse_document(Path(f"{slug}.md"), text)[0]) for slug, text in texts.items()}


def row_problems(texts: dict, rows: dict, wheres: dict, header: list, name: str, paths: Paths, config: Config) -> list[Problem]:
    """Every problem the check finds in the rows' files, as `sheet:row: column X: message`."""
    return [sheet_problem(problem, document, rows[slug], wheres[slug], header, name)
            for slug, (found, document) in check_in_copy(paths, config, texts).items() for problem in found]


def source_key(problem: Problem, document, keys) -> str | None:
    """Which front-matter key (or section title, or `body`) of `keys` a problem of a generated file stands at."""
    named = re.match(r"`([a-z_]+)` is required", problem.message)  # a missing field has no line of its own
    if named and named[1] in keys:
        return named[1]
    if document is None:
        return None
    if problem.line < document.body_line:
        found = [k for k, line in document.lines.items() if line == problem.line]
        candidates = [k for key_ in sorted(found, key=len, reverse=True) for k in (key_, key_.split(".")[0])]
        return next((k for k in candidates if k in keys), None)  # `themes.1` came from the `themes` column
    headings = [(document.body_line + number, line[3:].strip()) for number, line in enumerate(document.body.split("\n"))
                if line.startswith("## ")]
    above = [title for line, title in headings if line <= problem.line and title in keys]
    return above[-1] if above else ("body" if "body" in keys else None)


def sheet_problem(problem: Problem, document, row: int, where: dict, header: list, name: str) -> Problem:
    """A problem of a row's file, named by the row and the column it came from."""
    column = where.get(source_key(problem, document, where))
    message = re.sub(r"^`[a-z_.]+`: ", "", problem.message)
    place = f"column {column_letter(column)} `{cell_text(header[column])}`: " if column is not None else ""
    return Problem(name, row, place + message, problem.severity)
