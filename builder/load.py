"""Reading content files: bytes to text, text to front matter (with key lines) and body."""

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .faults import handling
from .problems import Problem, display_path
from .scan import MAX_CONTENT_BYTES as MAX_BYTES
from .scan import MAX_STATIC_BYTES, entry_problem, read_regular

MAX_DIGITS = 30  # longer integers are no field's value; Python refuses to convert those over 4300 digits
MAX_DEPTH = 10
TOO_DEEP = f"the front matter is nested more than {MAX_DEPTH} levels deep; no field needs that"
FRONT_MATTER = frontmatter.YAMLHandler()


class FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe YAML that keeps `no`, `on` and dates as written: Norway stays `NO`, not false."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FrontMatterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass
class Document:
    """One content file as read: its front matter, the line of each key, and its body."""

    path: Path
    slug: str
    meta: dict
    lines: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    source: str = ""

    @property
    def name(self) -> str:
        """The path shown to editors in problems."""
        return display_path(self.path)

    def line(self, key: str) -> int:
        """The line of `key` (or of its nearest parent, for `parent.key`), or 1 when it is absent."""
        parts = key.split(".")
        return next((self.lines[name] for end in range(len(parts), 0, -1) if (name := ".".join(parts[:end])) in self.lines), 1)

    def __post_init__(self):
        """Field names are held once for all documents (some 200,000 copies at 10,000 practices otherwise)."""
        self.meta = {sys.intern(key) if type(key) is str else key: value for key, value in self.meta.items()}
        self.lines = {sys.intern(key) if type(key) is str else key: line for key, line in self.lines.items()}

    def problem(self, key: str | None, message: str, severity: str = "error") -> Problem:
        """A problem at the line of `key`."""
        return Problem(self.name, self.line(key) if key else 1, message, severity)


def load_folder(folder: Path, root: Path, only: set[Path] | None = None, cache=None) -> tuple[list[Document], list[Problem]]:
    """Read every `*.md` file of `folder` (or those in `only`, as absolute paths), in name order.

    Entries that `scan_inputs` reports (links leading outside `root`, pipes, hidden or huge files) are
    skipped: it reports them, and skipping them here keeps them out of the site.
    """
    documents, problems, real_root = [], [], root.resolve()  # resolved once, not once per file
    if not folder.is_dir() or not folder.resolve().is_relative_to(real_root):
        return [], []
    for path in sorted(folder.glob("*.md")):
        if only is not None and path.absolute() not in only:
            continue
        if entry_problem(path, root, MAX_BYTES) or not path.is_file():
            continue
        document, found = load_document(path, cache)
        problems += found
        if document is not None:
            document.source = "content/" + path.relative_to(root).as_posix()
            documents.append(document)
    return documents, problems


def load_themes(path: Path) -> tuple[list[Document], list[Problem]]:
    """The themes file: one mapping per theme id, each read as a document of its own."""
    name = display_path(path)
    if not os.path.lexists(path):
        return [], [Problem(name, 1, "the themes file is missing")]
    if entry_problem(path, path.parent, MAX_BYTES):
        return [], []  # scan_inputs reports it
    if not path.is_file():
        return [], [Problem(name, 1, "should be a file that lists the themes, but it is a folder; replace it with the file")]
    data, problem = read_bytes(path)
    text, problem = decode(data, name) if not problem else ("", problem)
    meta, lines, problem = read_yaml(text, name) if not problem else ({}, {}, problem)
    if problem:
        return [], [problem]
    themes = []
    for theme_id, fields in meta.items():
        if not isinstance(fields, dict):
            return [], [Problem(name, lines.get(str(theme_id), 1), f"theme `{theme_id}` should have `name`, `description` and `period` on indented lines")]
        nested = {key.split(".", 1)[1]: line for key, line in lines.items() if key.startswith(f"{theme_id}.")}
        themes.append(Document(path, str(theme_id), fields, {"id": lines.get(str(theme_id), 1), **nested}, source=str(theme_id)))
    return themes, []


def load_document(path: Path, cache=None) -> tuple[Document | None, list[Problem]]:
    """Read one content file; any problem with its bytes or front matter is reported, not raised."""
    with handling(display_path(path)):
        data, problem = read_bytes(path)
        text, problem = decode(data, display_path(path)) if not problem else ("", problem)
        if problem:
            return None, [problem]
        return parse_cached(path, text, cache) if cache else parse_document(path, text)


def parse_cached(path: Path, text: str, cache) -> tuple[Document | None, list[Problem]]:
    """`parse_document` through the cache: well-formed front matter is parsed once per text."""
    key = cache.key("front-matter", text)
    parts = cache.get("front-matter", key)
    if isinstance(parts, list) and len(parts) == 4:  # anything else was not written by this builder
        return Document(path, path.stem, *parts), []
    document, problems = parse_document(path, text)
    if document is not None:
        cache.put("front-matter", key, [document.meta, document.lines, document.body, document.body_line])
    return document, problems


def read_bytes(path: Path) -> tuple[bytes, Problem | None]:
    """The bytes of a regular file of at most MAX_BYTES; never reads more than that, never waits on a pipe."""
    name = display_path(path)
    data = read_regular(path, MAX_BYTES)
    if data is not None:
        return data, None
    if path.is_file() and os.path.getsize(path) > MAX_BYTES:
        return b"", Problem(name, 1, f"the file is larger than {MAX_BYTES // 1_000_000} MB; is it really a practice?")
    return b"", Problem(name, 1, "is not a readable file (a broken link, a folder, a pipe or a device); remove it")


def decode(data: bytes, name: str) -> tuple[str, Problem | None]:
    """UTF-8 text with any byte-order mark dropped and line endings made `\\n`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return "", Problem(name, line, f"column {column}: the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (at := text.find("\0")) >= 0:
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return "", Problem(name, line, f"column {column}: the file holds a NUL character (an invisible zero byte), "
                                       "often left by a broken copy; delete it, or save the file again as UTF-8 text")
    return text, None


def parse_document(path: Path, text: str) -> tuple[Document | None, list[Problem]]:
    """Split front matter from body with python-frontmatter, then read the front matter with key lines."""
    name = display_path(path)
    if not FRONT_MATTER.detect(text):
        return None, [Problem(name, 1, "the file must start with front matter: a line `---`, the fields, and another `---`")]
    try:
        head, body = FRONT_MATTER.split(text)
    except ValueError:
        return None, [Problem(name, 1, "the front matter is not closed: add a line `---` after the last field")]
    # The boundary pattern may swallow blank lines, so lines are counted from where the parts really are.
    meta, lines, problem = read_yaml(head, name, text.count("\n", 0, text.index(head, 3)))
    if problem:
        return None, [problem]
    body = body.lstrip("\n")
    return Document(path, path.stem, meta, lines, body, text.count("\n", 0, len(text) - len(body)) + 1), []


def read_yaml(head: str, name: str, offset: int = 0) -> tuple[dict, dict, Problem | None]:
    """Parse front-matter YAML into values and key lines; aliases and deep nesting are refused.

    The head's first line is the file's line `offset + 1`.
    """
    try:
        problem = shape_problem(head, name, offset)
        if problem:
            return {}, {}, problem
        loader = FrontMatterLoader(head)
        try:
            node = loader.get_single_node()
            if problem := node_problem(node, name, offset):
                return {}, {}, problem
            meta = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        return {}, {}, yaml_problem(error, head, name, offset)
    if not isinstance(meta, dict):
        return {}, {}, Problem(name, node.start_mark.line + offset + 1 if node is not None else offset + 1,
                               "the front matter must be a list of `field: value` lines")
    lines, repeated = key_lines(node, offset)
    if repeated:
        key, line = repeated[0]
        return {}, {}, Problem(name, line, f"`{key}` is given twice; keep one")
    return meta, lines, None


def yaml_problem(error: yaml.YAMLError, head: str, name: str, offset: int) -> Problem:
    """A YAML error in an editor's words, at the line where the fix goes."""
    context, problem = getattr(error, "context", None) or "", getattr(error, "problem", None) or ""
    context_mark, problem_mark = getattr(error, "context_mark", None), getattr(error, "problem_mark", None)
    line = error_line(error, head, offset)
    begun = context_mark.line + offset + 1 if context_mark else line  # where an unclosed quote or `[` was opened
    at = problem_mark.line if problem_mark else 0
    text = head.split("\n")[at] if at < len(head.split("\n")) else ""
    if "nesting depth" in problem:  # PyYAML 6.0.4 and later stop deep nesting themselves, before our own check
        return Problem(name, line, TOO_DEEP)
    if "tab" in problem or ("\t" in text[: len(text) - len(text.lstrip())] and problem_mark):
        return Problem(name, at + offset + 1, "the line starts with a tab; indent with spaces, not tabs")
    if "mapping values are not allowed" in problem and problem_mark and not text[:1].isspace():
        return Problem(name, at + offset + 1, "the value holds a colon followed by a space (`: `); put the value in quotes, "
                                              "e.g. `summary: \"Note: it works\"`")
    if "mapping values are not allowed" in problem and problem_mark:
        return Problem(name, at + offset + 1, "this line is indented as if it belonged to the field above; "
                                              "remove the spaces at its start")
    if "quoted scalar" in context:
        return Problem(name, begun, "a quote opened in this value is not closed; end the value with the same quote mark")
    if "flow sequence" in context:
        return Problem(name, begun, "a list opened with `[` is not closed; end it with `]` on the same line")
    what = ", ".join(filter(None, (context, problem))) or "it is not valid YAML"
    return Problem(name, line, f"the front matter cannot be read: {what}; check the quotes, colons and indentation")


def error_line(error: yaml.YAMLError, head: str, offset: int) -> int:
    """The file line a YAML error points at; a refused character is found by its position."""
    problem, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    # The problem's own place, unless it is the end of the text (an unclosed quote): then where the trouble began.
    mark = problem if problem and (problem.index < len(head.rstrip()) or not context) else context
    if mark:
        return mark.line + offset + 1
    position = getattr(error, "position", None)  # a ReaderError: an unacceptable character
    return head.count("\n", 0, position) + offset + 1 if isinstance(position, int) else offset + 1


STR, INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"


def node_problem(root, name: str, offset: int) -> Problem | None:
    """The first key that is not text (`1:`, `true:`, `null:`, a list) or integer too long to be a value, at its line."""
    found, stack = [], [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not (isinstance(key, yaml.ScalarNode) and key.tag == STR):
                    shown = f"`{key.value}`" if isinstance(key, yaml.ScalarNode) and key.value else "a list or mapping"
                    found.append((key.start_mark.line, f"{shown} before the colon is not a name: field names (and theme ids) "
                                                       "are words such as `title`; put it in quotes if you mean it as text"))
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node.tag == INT and len(node.value) > MAX_DIGITS:
            found.append((node.start_mark.line, f"the number `{node.value[:12]}…` has {len(node.value):,} digits; "
                                                "no field needs so many; check the value"))
    if not found:
        return None
    line, message = min(found)
    return Problem(name, line + offset + 1, message)


def shape_problem(head: str, name: str, offset: int = 0) -> Problem | None:
    """Aliases or nesting deeper than MAX_DEPTH, found from the event stream before any tree is built.

    Stopping at the first offence keeps this fast: libyaml is quadratic in deep flow nesting and
    its composer recurses in C, so `[[[[…` a hundred thousand deep would hang or crash it.
    """
    loader, depth = FrontMatterLoader(head), 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return Problem(name, event.start_mark.line + offset + 1, "the front matter uses YAML anchors or aliases (`&` or `*`); write each value out in full")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(name, event.start_mark.line + offset + 1, TOO_DEEP)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return None


def key_lines(node, offset: int) -> tuple[dict, list]:
    """The file line of each key (nested ones as `parent.key`), and any key given twice."""
    lines, repeated = {}, []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        children = value.value if isinstance(value, yaml.MappingNode) else []
        items = value.value if isinstance(value, yaml.SequenceNode) else []
        entries = [(str(key.value), key)] + [(f"{key.value}.{sub.value}", sub) for sub, _ in children]
        for index, item in enumerate(items):  # list items, and the parts of items that are mappings (`sources`)
            parts = item.value if isinstance(item, yaml.MappingNode) else []
            entries += [(f"{key.value}.{index}", item)] + [(f"{key.value}.{index}.{sub.value}", sub) for sub, _ in parts]
        for name, part in entries:
            if name in lines:
                repeated.append((name, part.start_mark.line + offset + 1))
            lines[name] = part.start_mark.line + offset + 1
    return lines, repeated


def load_static(folder: Path) -> dict[str, bytes]:
    """Every file under `static/`, keyed by its path inside it; what `scan_inputs` reports is left out."""
    files = {}
    for parent, folders, names in os.walk(folder) if folder.is_dir() else []:
        folders.sort()
        for name in names:
            path = Path(parent) / name
            if entry_problem(path, folder, MAX_STATIC_BYTES) is None and (data := read_regular(path, MAX_STATIC_BYTES)) is not None:
                files[path.relative_to(folder).as_posix()] = data
    return dict(sorted(files.items()))
