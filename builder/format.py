"""`format`: rewrite a body so that the portal shows what GitHub's preview shows, changing only blank lines and indents.

GitHub's reading (cmark-gfm, with source positions) is the reference: it is what the editor saw. Two
rewrites close the gaps that fidelity.py finds most often, and are repeated until nothing changes:
list items get the indentation Python-Markdown needs (4 spaces a level), and a list or a table
written straight under a paragraph gets an empty line before it.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from .fidelity import DELIMITER_ROW, github_html, indent

MARKER = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]{1,4}|$)")
ROUNDS = 5


class Blocks(HTMLParser):
    """cmark-gfm's blocks with their source lines: (tag, first line, last line, parent index, depth in lists)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int, int, int, int, bool]] = []
        self.stack: list[int] = []

    def handle_starttag(self, tag, attrs):
        """Note a block with a source position; blocks typed as HTML (no position) stop formatting inside."""
        position = dict(attrs).get("data-sourcepos")
        parent = self.stack[-1] if self.stack else -1
        if tag in ("br", "hr", "img", "input"):
            return
        depth = (self.blocks[parent][4] if parent >= 0 else 0) + (tag == "li")
        shielded = parent >= 0 and (self.blocks[parent][5] or self.blocks[parent][0] in ("blockquote", "html"))
        if position:
            start, end = (int(part.split(":")[0]) for part in position.split("-"))
            self.blocks.append((tag, start, end, parent, depth, shielded))
        else:
            self.blocks.append(("html", 0, 0, parent, depth, True))
        self.stack.append(len(self.blocks) - 1)

    def handle_endtag(self, tag):
        """Close the innermost block."""
        if tag not in ("br", "hr", "img", "input") and self.stack:
            self.stack.pop()


def blocks(text: str) -> list[tuple[str, int, int, int, int, bool]]:
    """The blocks of `text` as GitHub reads it."""
    parser = Blocks()
    parser.feed(github_html(text))
    parser.close()
    return parser.blocks


def format_body(text: str) -> str:
    """`text` with list indents and empty lines as both engines read them alike; repeated until it is stable."""
    for _ in range(ROUNDS):
        formatted = space_blocks(indent_lists(text))
        if formatted == text:
            break
        text = formatted
    return text


def indent_lists(text: str) -> str:
    """Each list item's marker at 4 spaces a level and its blocks 4 spaces deeper; code keeps its inner indents."""
    lines, found = text.split("\n"), blocks(text)
    bases: dict[int, int] = {}  # the new indent of the blocks inside each list item
    new: dict[int, int] = {}
    for index, (tag, start, _, parent, depth, shielded) in enumerate(found):
        if tag != "li" or shielded or start < 1:
            continue
        owner = owner_item(found, parent)
        marker = bases.get(owner, 0)
        match = MARKER.match(lines[start - 1].expandtabs(4))
        content = marker + (match.end() if match else indent(lines[start - 1]) + 2) - indent(lines[start - 1])
        bases[index] = max(4 * depth, content)
        new[start] = marker
        for child, first, last, *_ in (block for block in found if block[3] == index and block[0] not in ("ul", "ol")):
            shift = bases[index] - indent(lines[first - 1]) if first != start else 0
            for line in range(max(first, start + 1), min(last, len(lines)) + 1):
                if lines[line - 1].strip():  # a paragraph's indent means nothing; a code block's inner indents do
                    new[line] = bases[index] if child in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else max(0, indent(lines[line - 1]) + shift)
    return "\n".join(" " * new[number] + line.expandtabs(4).lstrip(" ") if number in new else line
                     for number, line in enumerate(lines, 1))


def owner_item(found, parent: int) -> int:
    """The list item that holds the block at `parent` (or -1 at the top level)."""
    while parent >= 0 and found[parent][0] != "li":
        parent = found[parent][3]
    return parent


def space_blocks(text: str) -> str:
    """An empty line before each top-level list or table that follows a paragraph directly."""
    lines, found = text.split("\n"), blocks(text)
    before = set()
    for tag, start, _, parent, _, _ in found:
        if parent != -1 or tag not in ("ul", "ol", "table") or start < 1:
            continue
        if tag == "table":
            start = next((n for n in range(start, len(lines)) if DELIMITER_ROW.match(lines[n])), start + 1)
        if start >= 2 and lines[start - 2].strip():
            before.add(start)
    return "\n".join(("\n" if number in before else "") + line for number, line in enumerate(lines, 1))


FRONT_MATTER = re.compile(r"\A(\ufeff?---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z))", re.DOTALL)


def format_file(path: Path) -> bool:
    """Rewrite one content file's body in place, keeping its front matter, line endings and byte-order mark; True if changed."""
    original = path.read_bytes().decode("utf-8")
    match = FRONT_MATTER.match(original)
    head, body = (match[1], original[match.end():]) if match else ("", original)
    newline = "\r\n" if "\r\n" in original else "\n"
    formatted = format_body(body.replace("\r\n", "\n")).replace("\n", newline)
    if formatted == body:
        return False
    path.write_bytes((head + formatted).encode("utf-8"))
    return True
