"""`build.py import FILE.csv|.xlsx`: a practice file per row, problems by row and column, nothing written on errors."""

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from builder.build import Paths, build_model, check_content
from builder.config import Config
from builder.importer import CSV_COLUMNS
from builder.importer import column_role, import_sheet
from builder.render import render_site

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(base_url="https://example.org/portal/")
ROW = {"title": "Smart Specialisation Helpdesk", "summary": "A helpdesk that guides small firms to the region's priorities.",
       "region": "lower-austria", "themes": "research-and-innovation; sme-competitiveness", "organisation": "ecoplus",
       "level": "regional", "published": "2024-05-01", "keywords": "helpdesk; RIS3"}


def paths_of(content: Path) -> Paths:
    """The project's templates and static files with `content`."""
    return Paths(content, ROOT / "templates", ROOT / "static", Path("unused"))


def rendered(content: Path) -> dict[str, bytes]:
    """The site of `content`, in memory."""
    found = check_content(paths_of(content))
    assert not [p for p in found.problems if p.severity == "error"], found.problems
    return render_site(build_model(found, paths_of(content), CONFIG), ROOT / "templates")


def write_csv(path: Path, rows: list[dict], delimiter: str = ",") -> Path:
    """A CSV with the columns of the first row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def without_bodies(files: dict[str, bytes]) -> tuple[list, list]:
    """The CSV rows and JSON records, leaving out what a plain-text sheet cannot carry back (the bodies' markup)."""
    table = list(csv.DictReader(io.StringIO(files["data/practices.csv"].decode("utf-8"))))
    kept = [{k: v for k, v in row.items() if (column_role(k) or ("",))[0] not in ("section", "body")} for row in table]
    records = json.loads(files["data/practices.json"])["practices"]
    return kept, [{k: v for k, v in record.items() if k != "body_html" and (column_role(k) or ("",))[0] != "section"}
                  for record in records]


def test_the_portals_own_export_imports_back_into_the_same_site(tmp_path, content_copy):
    before = rendered(content_copy)
    sheet = tmp_path / "practices.csv"
    sheet.write_bytes(before["data/practices.csv"])
    for path in (content_copy / "practices").glob("*.md"):
        path.unlink()
    problems, written = import_sheet(sheet, paths_of(content_copy), CONFIG)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(written) == len(list(csv.DictReader(io.StringIO(before["data/practices.csv"].decode("utf-8")))))
    after = rendered(content_copy)
    assert without_bodies(after) == without_bodies(before)
    assert sorted(name for name in after if name.startswith("practices/")) == sorted(name for name in before if name.startswith("practices/"))


def test_every_export_column_has_a_role():
    assert all(column_role(column) is not None for column in CSV_COLUMNS)


def test_an_excel_workbook_imports_with_its_dates_and_numbers(tmp_path, content_copy):
    book = openpyxl.Workbook()
    sheet = book.active
    header = [*ROW, "start", "lat", "lon", "description"]
    sheet.append(header)
    sheet.append([*ROW.values(), 2019, 48.33, 16.06, "It *works*."])
    sheet["G2"] = datetime.datetime(2024, 5, 1)
    book.save(tmp_path / "practices.xlsx")
    problems, written = import_sheet(tmp_path / "practices.xlsx", paths_of(content_copy), CONFIG)
    assert [p for p in problems if p.severity == "error"] == [] and [p.name for p in written] == ["smart-specialisation-helpdesk.md"]
    text = written[0].read_text(encoding="utf-8")
    assert "published: '2024-05-01'" in text and "start: '2019'" in text and "location:\n  lat: 48.33\n  lon: 16.06" in text
    assert "## Description\n\nIt *works*." in text


def test_problems_are_named_by_row_and_column_and_nothing_is_written(tmp_path, content_copy):
    rows = [ROW, {**ROW, "title": "Second", "region": "lower-austira"}, {**ROW, "title": "Third", "published": "2024-13-01"},
            {**ROW, "title": "Fourth", "themes": "research-and-inovation"}]
    sheet = write_csv(tmp_path / "sheet.csv", rows, delimiter=";")  # as Excel saves CSV in much of Europe
    problems, written = import_sheet(sheet, paths_of(content_copy), CONFIG)
    name = sheet.as_posix()
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"{name}:3: column C `region`: `lower-austira` is not a region in content/regions/; did you mean `lower-austria` (Lower Austria)?",
        f"{name}:4: column G `published`: `2024-13-01` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-15",
        f"{name}:5: column D `themes`: `research-and-inovation` is not a theme; did you mean `research-and-innovation` (Research and innovation)?",
    ]
    assert written == [] and not (content_copy / "practices" / "smart-specialisation-helpdesk.md").exists()
    problems, written = import_sheet(sheet, paths_of(content_copy), CONFIG, write_valid=True)
    assert [path.name for path in written] == ["smart-specialisation-helpdesk.md"]


def test_hostile_cells_stay_text_in_their_field_and_files_stay_in_practices(tmp_path, content_copy):
    rows = [{**ROW, "title": "Injected\n---\nregion: nowhere\nstatus: validated", "summary": "=HYPERLINK(\"http://x\")<script>"},
            {"slug": "../../evil", **ROW, "title": "Evil"}, {"slug": "", **ROW, "title": "Fine one"}]
    sheet = write_csv(tmp_path / "hostile.csv", [{"slug": "", **rows[0]}, rows[1], rows[2]])
    problems, written = import_sheet(sheet, paths_of(content_copy), CONFIG, write_valid=True)
    messages = [str(p) for p in problems if p.severity == "error"]
    assert any(":3: column A: `../../evil` cannot be a file name" in m for m in messages), messages
    assert not (tmp_path / "evil.md").exists() and not (content_copy.parent / "evil.md").exists()
    injected = content_copy / "practices" / "injected-region-nowhere-status-validated.md"
    assert injected in written  # a title with line breaks is text in its field, never new fields
    document = check_content(paths_of(content_copy), only=[injected])
    meta = next(d for d in document.practices if d.path == injected).meta
    assert meta["title"] == "Injected --- region: nowhere status: validated"
    assert meta["region"] == "lower-austria" and "status" not in meta and meta["summary"] == rows[0]["summary"]
    assert all(path.parent == content_copy / "practices" for path in written)


def test_unknown_columns_existing_files_and_the_command(tmp_path, content_copy):
    sheet = write_csv(tmp_path / "typo.csv", [{**ROW, "regoin": "x"}])
    problems, _ = import_sheet(sheet, paths_of(content_copy), CONFIG)
    assert [str(p) for p in problems] == [f"{sheet.as_posix()}:1: column I `regoin` is not a column of practices; did you mean `region`?"]
    existing = write_csv(tmp_path / "existing.csv", [{**ROW, "title": "House of Digitalisation"}])
    command = [sys.executable, str(ROOT / "build.py"), "import", str(existing), "--content", str(content_copy)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "already exists; remove the row, or import with --replace" in result.stderr
    assert "Nothing was written: 1 row(s) have errors." in result.stderr
    before = (content_copy / "practices" / "house-of-digitalisation.md").read_text(encoding="utf-8")
    assert "## Description" in before
