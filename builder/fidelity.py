"""Where the portal's rendering of a body differs from GitHub's preview, and what the editor can do about it.

Editors check their text in GitHub's preview, which is cmark-gfm. The portal renders with
Python-Markdown, configured to agree wherever configuration can (markup.py). Both outputs are read
into the same canonical token stream (block structure, text, links and the attributes that show);
where the streams differ, cmark-gfm's source positions give the line, and the kind of block there
gives the fix in plain words.
"""

import ctypes
import difflib
import re
from html import unescape
from types import SimpleNamespace

from cmarkgfm import cmark
from cmarkgfm.cmark import Options

GITHUB = (Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
          | Options.CMARK_OPT_GITHUB_PRE_LANG)
EXTENSIONS = ["table", "autolink", "strikethrough", "tasklist"]
BLOCKS = {"p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "th", "td",
          "hr", "dl", "dt", "dd", "div"}
MARKDOWN = BLOCKS | {"a", "em", "strong", "del", "code", "img", "input", "br", "thead", "tbody", "sup", "section"}
KEPT = {"a": ("href",), "img": ("src", "alt"), "input": ("checked",), "th": ("align",), "td": ("align",), "ol": ("start",)}
# Present or not depending on the table's rows; a paragraph's text is its own token anyway, and loose or tight
# lists (paragraphs in items or not) and a lone HTML tag (wrapped in one or not) look alike to readers.
IGNORED = {"thead", "tbody", "p"}
VOID = {"br", "hr", "img", "input"}
MARKUP = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [^\s"\'>/=]+(?:="[^"]*")?)*) ?/?>|([^<]+)')
ATTRIBUTE = re.compile(r' ([^\s"\'>/=]+)(?:="([^"]*)")?')
MARKER = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])(?:\s|$)")
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
GENERIC = ("this part will look different on the portal than in GitHub's preview; "
           "check it in the preview (`python build.py serve`) and write it more simply")
LIMIT = 20  # warnings per body: past that, the first ones already say what to change


def freeing_functions():
    """`cmark_node_free` and C's `free`, through ctypes; None where they cannot be reached so (Windows).

    cmarkgfm's `markdown_to_html_with_extensions` frees neither the document tree nor its HTML (some
    30 KB a body: 140 MB a worker at 10,000 practices), and its bindings do not declare the functions
    that would; they are taken from the library cmarkgfm has already loaded.
    """
    try:
        library, libc = ctypes.CDLL(cmark._cmark.__file__), ctypes.CDLL(None)
    except (OSError, TypeError):
        return None
    library.cmark_node_free.argtypes = libc.free.argtypes = [ctypes.c_void_p]
    return SimpleNamespace(cmark_node_free=library.cmark_node_free, free=libc.free)


FREE = freeing_functions()


def github_html(text: str) -> str:
    """The HTML of GitHub's preview, each block carrying its source lines.

    Without GitHub's tag filter, which turns `<script>` and the like into text: the portal's sanitiser,
    applied to both sides before they are compared, removes those elements whole.
    """
    if FREE is None:
        return cmark.markdown_to_html_with_extensions(text, GITHUB, EXTENSIONS)
    cmark.core_extensions_ensure_registered()
    parser = cmark.parser_new(GITHUB)
    try:
        for name in EXTENSIONS:
            cmark.parser_attach_syntax_extension(parser, cmark.find_syntax_extension(name))
        cmark.parser_feed(parser, text)
        root = cmark.parser_finish(parser)
        html = cmark._cmark.lib.cmark_render_html(root, GITHUB, cmark.parser_get_syntax_extensions(parser))
        FREE.cmark_node_free(address(root))
    finally:
        cmark.parser_free(parser)
    try:
        return cmark._cmark.ffi.string(html).decode("utf-8")
    finally:
        FREE.free(address(html))


def address(pointer) -> int:
    """The address a cffi pointer holds, for ctypes."""
    return int(cmark._cmark.ffi.cast("uintptr_t", pointer))


class Tokens:
    """HTML as a list of (token, line, open blocks); footnotes, comments and layout-free differences left out."""

    def __init__(self, sourced: bool = False):
        self.tokens: list = []
        self.stack: list[tuple[str, int, bool]] = []
        self.text, self.skipping, self.line, self.sourced = [], 0, 1, sourced

    def handle_starttag(self, tag, attrs):
        """Open a block or an inline element; footnote references and sections are skipped whole."""
        values = dict(attrs)
        if values.get("data-sourcepos"):
            self.line = max(1, int(values["data-sourcepos"].split(":")[0]))
        if self.skipping or tag == "sup" or (tag in ("section", "div") and "footnote" in (values.get("class") or "")):
            self.skipping += tag not in VOID
            return
        self.flush()
        if tag not in VOID:  # cmark-gfm marks the blocks it made; a block without a mark was typed as HTML
            self.stack.append((tag, self.line, self.sourced and tag in BLOCKS and "data-sourcepos" not in values))
        if tag in IGNORED:
            return
        kept = " ".join(f'{name}="{values[name] or ""}"' for name in KEPT.get(tag, ()) if name in values)
        self.emit(f"<{tag} {kept}".rstrip())

    def handle_endtag(self, tag):
        """Close the innermost element of this name."""
        if self.skipping:
            self.skipping -= tag not in VOID
            return
        self.flush()
        if tag in VOID or tag not in [name for name, _, _ in self.stack]:
            return
        while self.stack:
            name, self.line, _ = self.stack.pop()
            if name not in IGNORED:
                self.emit(f"</{name}")
            if name == tag:
                break

    def handle_data(self, data):
        """Text, compared without its layout: runs of white space are one space."""
        if not self.skipping:
            self.text.append(data)

    def flush(self):
        """Emit the text gathered since the last tag."""
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            self.emit(text)

    def emit(self, token: str):
        """One token; with source positions, also the current line and the blocks open around it."""
        if self.sourced:
            self.tokens.append((token, self.line, tuple("html" if raw else name for name, _, raw in self.stack)))
        else:
            self.tokens.append(token)


def tokens(html: str, sourced: bool = False) -> list:
    """The canonical tokens of an HTML text as nh3 writes it; `sourced` when it is cmark-gfm's with source positions:
    then each token comes with its line and the blocks open around it."""
    parser = Tokens(sourced)
    walk(html, parser)
    parser.flush()
    return parser.tokens


def walk(html: str, handler) -> None:
    """Give the start tags, end tags and (unescaped) text of HTML as nh3 writes it to `handler`'s `handle_*` methods.

    nh3's output is canonical (no comments, no raw text, double-quoted attributes), so a pattern reads it
    exactly, at a tenth of the cost of an HTML parser.
    """
    for match in MARKUP.finditer(html):
        closing, tag, attributes, text = match.groups()
        if text is not None:
            handler.handle_data(unescape(text))
        elif closing:
            handler.handle_endtag(tag)
        else:
            handler.handle_starttag(tag, [(name, unescape(value)) for name, value in ATTRIBUTE.findall(attributes)])


def same(text: str, html: str, clean) -> bool:
    """Whether the portal's `html` for `text` shows what GitHub's preview shows, both cleaned by `clean(html, sourced)`."""
    return tokens(clean(github_html(text), False)) == tokens(clean(html, False))


def differences(text: str, html: str, clean) -> tuple[tuple[int, str], ...]:
    """(line, message) for each place where the portal's `html` for `text` differs from GitHub's preview.

    `clean(html, sourced)` is the portal's sanitiser, keeping cmark-gfm's source positions when `sourced`.
    """
    theirs = github_html(text)
    ours = tokens(clean(html, False))
    if tokens(clean(theirs, False)) == ours:  # the usual case, without the cost of positions
        return ()
    github = tokens(clean(theirs, True), True)
    theirs = [token for token, _, _ in github]
    lines, found = text.split("\n"), {}
    matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
    for kind, start, end, portal_start, _ in matcher.get_opcodes():
        if kind == "equal" or len(found) >= LIMIT:
            continue
        span = github[start:end] or github[start:start + 1] or github[-1:]
        if kind != "insert" and all(token.startswith("</") for token, _, _ in span):
            continue  # a closing tag out of place follows from a difference already reported
        opened = [item for item in span if item[0].startswith("<") and not item[0].startswith("</")]
        token, line, stack = (opened or span)[0]
        if token == "<table":
            line = table_line(lines, line)
        found.setdefault(line, advice(lines, line, token, stack))
    return tuple(sorted((line, message) for line, message in found.items() if specific(message) or not any(
        specific(found.get(after, GENERIC)) for after in (line + 1, line + 2))))


def specific(message: str) -> bool:
    """Whether a message names the fix; a vague one just before a specific one is that one's consequence."""
    return message != GENERIC


def table_line(lines: list[str], line: int) -> int:
    """The line of a table's header row: cmark-gfm gives the paragraph's start when a table follows one directly."""
    for number in range(line, len(lines)):
        if DELIMITER_ROW.match(lines[number]):
            return number
    return line


def indent(line: str) -> int:
    """The number of spaces before a line's text (a tab counts as four)."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def advice(lines: list[str], line: int, token: str, stack: tuple[str, ...]) -> str:
    """What differs at `line`, and how to write it so that both show the same, in an editor's words."""
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    before = lines[line - 2] if 1 < line <= len(lines) else ""
    lists = [name for name in stack if name in ("ul", "ol")]
    tag = token[1:].split(" ")[0] if token.startswith("<") else ""
    if "html" in stack or any(name not in MARKDOWN for name in stack):
        return ("the portal shows Markdown inside an HTML block as typed, GitHub formats it; "
                "write this part either in Markdown without the HTML tags or in HTML only")
    if tag in ("ul", "ol", "li") and len(lists) > 1 and indent(source) < 4 * (len(lists) - 1):
        return f"this sub-list will not be nested on the portal: indent it by {4 * (len(lists) - 1)} spaces"
    if tag in ("ul", "ol", "li", "table", "blockquote", "pre") and before.strip():
        what = {"ul": "list", "ol": "list", "li": "list", "table": "table", "blockquote": "quote", "pre": "code block"}[tag]
        return f"leave an empty line before this {what}: without it the portal shows it as part of the paragraph above"
    if tag == "pre" and lists:
        return "the portal cannot show a code block inside a list item; put it after the list, without indent"
    if lists and not MARKER.match(source) and indent(source) < 4 * len(lists):
        return (f"this text will not stay in its list item on the portal: indent it by {4 * len(lists)} spaces, "
                "or leave an empty line and no indent to end the list")
    return GENERIC
