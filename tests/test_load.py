"""builder.load: bytes to front matter with key lines, and body."""

from pathlib import Path

import pytest

from builder.load import load_document, load_folder, load_themes, read_yaml

FRONT = "---\ntitle: Hi\ncountry: NO\npublished: 2020-01-02\nthemes:\n  - a\n  - b\ncontact:\n  email: x@example.org\n---\n\n## Description\nBody\n"


def write(tmp_path: Path, text: str | bytes, name: str = "doc.md") -> Path:
    """A file with exactly these contents."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_key_lines_are_the_files_own_lines(tmp_path):
    doc, problems = load_document(write(tmp_path, FRONT))
    assert problems == []
    assert doc.lines == {"title": 2, "country": 3, "published": 4, "themes": 5, "themes.0": 6, "themes.1": 7,
                         "contact": 8, "contact.email": 9}
    assert doc.body_line == 12 and doc.body.startswith("## Description")


def test_parts_of_list_items_have_their_own_lines(tmp_path):
    doc, _ = load_document(write(tmp_path, "---\nsources:\n  - title: A\n    url: https://example.org/\n---\n"))
    assert doc.lines == {"sources": 2, "sources.0": 3, "sources.0.title": 3, "sources.0.url": 4}
    assert doc.line("sources.0.url") == 4 and doc.line("sources.3.url") == 2 and doc.line("missing") == 1


def test_norway_and_dates_stay_as_written(tmp_path):
    doc, _ = load_document(write(tmp_path, FRONT))
    assert doc.meta["country"] == "NO" and doc.meta["published"] == "2020-01-02"


def test_bom_and_windows_line_endings_read_the_same(tmp_path):
    plain, _ = load_document(write(tmp_path, FRONT, "a.md"))
    windows, problems = load_document(write(tmp_path, b"\xef\xbb\xbf" + FRONT.replace("\n", "\r\n").encode(), "b.md"))
    assert problems == []
    assert (windows.meta, windows.lines, windows.body, windows.body_line) == (plain.meta, plain.lines, plain.body, plain.body_line)


def test_bytes_that_are_not_utf8_are_reported_with_their_position(tmp_path):
    _, problems = load_document(write(tmp_path, b"---\ntitle: caf\xe9\n---\n"))
    assert [(p.line, p.message) for p in problems] == [
        (2, "column 11: the file is not UTF-8 text (byte 0xe9); save it as UTF-8")]


def test_missing_and_unclosed_front_matter(tmp_path):
    _, missing = load_document(write(tmp_path, "# Title\n", "a.md"))
    _, unclosed = load_document(write(tmp_path, "---\ntitle: x\n", "b.md"))
    assert "must start with front matter" in missing[0].message
    assert "not closed" in unclosed[0].message


def test_aliases_and_repeated_keys_are_refused():
    assert "anchors or aliases" in read_yaml("\na: &x [1, 2]\nb: *x\n", "f")[2].message
    repeated = read_yaml("\ntitle: a\nsummary: b\ntitle: c\n", "f")[2]
    assert (repeated.line, repeated.message) == (4, "`title` is given twice; keep one")


def test_a_front_matter_that_is_not_a_mapping(tmp_path):
    _, problems = load_document(write(tmp_path, "---\n- just\n- a list\n---\n"))
    assert problems[0].message == "the front matter must be a list of `field: value` lines"


def test_folders_are_read_in_name_order_with_repository_paths(tmp_path):
    (tmp_path / "practices").mkdir()
    for name in ("b.md", "a.md", "notes.txt"):
        write(tmp_path / "practices", FRONT, name)
    docs, problems = load_folder(tmp_path / "practices", tmp_path)
    assert problems == [] and [d.source for d in docs] == ["content/practices/a.md", "content/practices/b.md"]


def test_themes_file_gives_one_document_per_theme_with_lines(tmp_path):
    themes, problems = load_themes(write(tmp_path, "# comment\nalpha:\n  name: A\n  period: 2014-2020\nbeta:\n  name: B\n", "themes.yaml"))
    assert problems == []
    assert [(t.slug, t.lines) for t in themes] == [("alpha", {"id": 2, "name": 3, "period": 4}), ("beta", {"id": 5, "name": 6})]


@pytest.mark.parametrize("head, expected", [
    ("title: T\n\tsummary: S\n", "3: the line starts with a tab; indent with spaces, not tabs"),
    ("title: T\nsummary: Note: it works\n", '3: the value holds a colon followed by a space (`: `); put the value in quotes, '
                                            'e.g. `summary: "Note: it works"`'),
    ('title: T\nsummary: "never closed\nregion: x\n', "3: a quote opened in this value is not closed; end the value with the same quote mark"),
    ("title: T\nkeywords: [a, b\nregion: x\n", "3: a list opened with `[` is not closed; end it with `]` on the same line"),
    ("title: T\n  summary: S\n", "3: this line is indented as if it belonged to the field above; remove the spaces at its start"),
])
def test_yaml_errors_say_what_is_wrong_in_words(head, expected):
    _, _, problem = read_yaml(head, "p.md", 1)
    assert f"{problem.line}: {problem.message}" == expected
