"""A practice's standard sections: checked on the headings the Markdown engine found (its toc tokens),
and read back as plain text from the sanitised body (for the open data)."""

import difflib
import re

from .fidelity import walk
from .problems import WARNING
from .schema import SECTIONS

COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
HEADING_MARKS = re.compile(r"^\s{0,3}(#{1,6})\s|^\s{0,3}(=+|-+)\s*$")


def section_remarks(text: str, headings: tuple[tuple[int, str], ...]) -> list[tuple[int, str, str]]:
    """Warnings, as (line in the body, message, severity), for standard sections that are missing, misspelt,
    at the wrong level, empty or out of order."""
    lines = text.split("\n")
    located = locate(lines, headings)
    standard = {section.casefold(): section for section in SECTIONS}
    present = {title.casefold() for level, title, _ in located if level == 2}
    remarks, named = [], set()
    for level, title, line in located:
        key = title.casefold()
        if key in standard and level != 2:
            named.add(key)
            remarks.append((line, f"`{'#' * level} {title}` is a level-{level} heading; standard sections "
                                  f"are level 2: write `## {standard[key]}`", WARNING))
        elif level == 2 and key not in standard:
            match = difflib.get_close_matches(key, [k for k in standard if k not in present], n=1, cutoff=0.75)
            if match:
                named.add(match[0])
                remarks.append((line, f"`## {title}` is not a standard section; did you mean `## {standard[match[0]]}`?", WARNING))
    remarks += [(0, f"the section `## {section}` is missing", WARNING)
                for key, section in standard.items() if key not in present and key not in named]
    remarks += empty_sections(lines, located, standard)
    return remarks + order_remark(located, standard)


def locate(lines: list[str], headings) -> list[tuple[int, str, int]]:
    """(level, title, line offset) for each heading: the first heading line at or after the previous one that holds its title."""
    located, start = [], 0
    for level, title in headings:
        needle = title.casefold()
        found = next((number for number in range(start, len(lines)) if needle in lines[number].casefold()
                      and (HEADING_MARKS.match(lines[number]) or next_is_underline(lines, number))), start)
        located.append((level, title, found))
        start = found + 1
    return located


def next_is_underline(lines: list[str], number: int) -> bool:
    """Whether the line after `number` underlines it as a heading (`===` or `---`)."""
    return number + 1 < len(lines) and bool(re.fullmatch(r"\s{0,3}(=+|-+)\s*", lines[number + 1]))


def empty_sections(lines: list[str], located, standard: dict) -> list[tuple[int, str, str]]:
    """A standard section with no text, or only the scaffold's `<!-- -->` note."""
    remarks = []
    for index, (level, title, line) in enumerate(located):
        if level != 2 or title.casefold() not in standard:
            continue
        end = next((later for lvl, _, later in located[index + 1:] if lvl <= 2), len(lines))
        text = COMMENT.sub("", "\n".join(lines[line + 1:end])).strip(" \t\n=-")
        if not text:
            remarks.append((line, f"the section `## {title}` is empty; write it, "
                                  "or remove the heading if there is nothing to say", WARNING))
    return remarks


def order_remark(located, standard: dict) -> list[tuple[int, str, str]]:
    """One warning at the first standard section that is out of order."""
    found = [(line, title.casefold()) for level, title, line in located if level == 2 and title.casefold() in standard]
    expected = sorted(found, key=lambda item: list(standard).index(item[1]))
    for (line, title), (_, want) in zip(found, expected):
        if title != want:
            return [(line, "the standard sections are out of order; use: " + ", ".join(SECTIONS), WARNING)]
    return []


BLOCKS = {"p", "li", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote", "pre", "br"}  # each starts a new line of text


class SectionText:
    """The plain text under each level-2 heading of a sanitised body; footnote marks and notes left out."""

    def __init__(self):
        self.sections, self.current, self.heading = {}, None, None
        self.skipping, self.depth = None, 0  # the tag whose content is left out, and how deep in it we are

    def handle_starttag(self, tag, attrs):
        """Open a heading, a part left out (footnote marks and notes), or a new line for a block."""
        if self.skipping:
            self.depth += tag == self.skipping
        elif tag == "sup" or (tag == "div" and ("class", "footnote") in attrs):
            self.skipping, self.depth = tag, 1
        elif tag == "h2":
            self.heading = []
        elif tag in BLOCKS and self.current is not None:
            self.sections[self.current].append("\n")
        elif tag in ("td", "th") and self.current is not None:
            self.sections[self.current].append(" ")

    def handle_endtag(self, tag):
        """Close the heading (its text names the section) or the part left out."""
        if self.skipping:
            self.depth -= tag == self.skipping
            self.skipping = self.skipping if self.depth else None
        elif tag == "h2" and self.heading is not None:
            self.current, self.heading = "".join(self.heading).strip(), None
            self.sections[self.current] = []

    def handle_data(self, data):
        """Text goes to the heading being read or to the current section."""
        if self.skipping:
            return
        if self.heading is not None:
            self.heading.append(data)
        elif self.current is not None:  # source line breaks are spaces; blocks alone start new lines
            self.sections[self.current].append(data.replace("\n", " "))


def section_texts(html: str) -> dict[str, str]:
    """{section title: its plain text, paragraphs on lines of their own}."""
    parser = SectionText()
    walk(html, parser)
    return {title: "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())
            for title, parts in parser.sections.items()}
