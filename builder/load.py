"""Reading content files: bytes to text, text to front matter (with key lines) and body."""

from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .problems import Problem, display_path

MAX_BYTES = 1_000_000
BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY


class FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe YAML that keeps `no`, `on` and dates as written: Norway stays `NO`, not false."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FrontMatterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


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
        """The line of `key` in the file, or of the front matter's start when it is absent."""
        return self.lines.get(key, 1)

    def problem(self, key: str | None, message: str, severity: str = "error") -> Problem:
        """A problem at the line of `key`."""
        return Problem(self.name, self.line(key) if key else 1, message, severity)


def load_folder(folder: Path, root: Path, cache=None) -> tuple[list[Document], list[Problem]]:
    """Read every `*.md` file of `folder`, in name order; files outside `root` are refused."""
    documents, problems, real_root = [], [], root.resolve()
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if not path.resolve().is_relative_to(real_root):
            problems.append(Problem(display_path(path), 1, f"is a link to a file outside `{display_path(root)}`; copy the file here instead"))
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
    if not path.is_file():
        return [], [Problem(name, 1, "the themes file is missing")]
    text, problem = decode(path.read_bytes(), name)
    meta, lines, problem = read_yaml(text, name) if not problem else ({}, {}, problem)
    if problem:
        return [], [problem]
    themes = []
    for theme_id, fields in meta.items():
        if not isinstance(fields, dict):
            return [], [Problem(name, lines[str(theme_id)], f"theme `{theme_id}` should have `name`, `description` and `period` on indented lines")]
        nested = {key.split(".", 1)[1]: line for key, line in lines.items() if key.startswith(f"{theme_id}.")}
        themes.append(Document(path, str(theme_id), fields, {"id": lines[str(theme_id)], **nested}, source=str(theme_id)))
    return themes, []


def load_document(path: Path, cache=None) -> tuple[Document | None, list[Problem]]:
    """Read one content file; any problem with its bytes or front matter is reported, not raised."""
    name = display_path(path)
    if path.stat().st_size > MAX_BYTES:
        return None, [Problem(name, 1, f"the file is larger than {MAX_BYTES // 1_000_000} MB; is it really a practice?")]
    text, problem = decode(path.read_bytes(), name)
    if problem:
        return None, [problem]
    return parse_cached(path, text, cache) if cache else parse_document(path, text)


def parse_cached(path: Path, text: str, cache) -> tuple[Document | None, list[Problem]]:
    """`parse_document` through the cache: well-formed front matter is parsed once per text."""
    key = cache.key("front-matter", text)
    parts = cache.get("front-matter", key)
    if parts is not None:
        return Document(path, path.stem, *parts), []
    document, problems = parse_document(path, text)
    if document is not None:
        cache.put("front-matter", key, (document.meta, document.lines, document.body, document.body_line))
    return document, problems


def decode(data: bytes, name: str) -> tuple[str, Problem | None]:
    """UTF-8 text with any byte-order mark dropped and line endings made `\\n`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return "", Problem(name, line, f"column {column}: the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse_document(path: Path, text: str) -> tuple[Document | None, list[Problem]]:
    """Split front matter from body and read the front matter with the line of each key."""
    name = display_path(path)
    if not BOUNDARY.match(text):
        return None, [Problem(name, 1, "the file must start with front matter: a line `---`, the fields, and another `---`")]
    parts = BOUNDARY.split(text, 2)
    if len(parts) < 3:
        return None, [Problem(name, 1, "the front matter is not closed: add a line `---` after the last field")]
    _, head, body = parts
    meta, lines, problem = read_yaml(head, name)
    if problem:
        return None, [problem]
    closing_line = 1 + head.count("\n")
    stripped = body.lstrip("\n")
    return Document(path, path.stem, meta, lines, stripped, closing_line + len(body) - len(stripped)), []


def read_yaml(head: str, name: str) -> tuple[dict, dict, Problem | None]:
    """Parse front-matter YAML into values and key lines; anchors and aliases are refused.

    `head` starts with the rest of the opening `---` line, so its line 0 is the file's line 1.
    """
    loader = FrontMatterLoader(head)
    try:
        node = loader.get_single_node()
        if node is not None and has_alias(node):
            line = node.start_mark.line + 1
            return {}, {}, Problem(name, line, "the front matter uses YAML anchors or aliases (`&` or `*`); write each value out in full")
        meta = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(error, "problem", None) or "it is not valid YAML"
        return {}, {}, Problem(name, line, f"the front matter cannot be read: {what}; check the quotes, colons and indentation")
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        return {}, {}, Problem(name, 1, "the front matter must be a list of `field: value` lines")
    lines, repeated = key_lines(node)
    if repeated:
        key, line = repeated[0]
        return {}, {}, Problem(name, line, f"`{key}` is given twice; keep one")
    return meta, lines, None


def has_alias(node) -> bool:
    """Whether a node graph shares a node (what YAML aliases produce); linear in its size."""
    seen, stack = set(), [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return True
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return False


def key_lines(node) -> tuple[dict, list]:
    """The file line of each key (nested ones as `parent.key`), and any key given twice."""
    lines, repeated = {}, []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        children = value.value if isinstance(value, yaml.MappingNode) else []
        items = value.value if isinstance(value, yaml.SequenceNode) else []
        entries = [(str(key.value), key)] + [(f"{key.value}.{sub.value}", sub) for sub, _ in children]
        entries += [(f"{key.value}.{index}", item) for index, item in enumerate(items)]
        for name, part in entries:
            if name in lines:
                repeated.append((name, part.start_mark.line + 1))
            lines[name] = part.start_mark.line + 1
    return lines, repeated


def load_static(folder: Path) -> dict[str, bytes]:
    """Every file under `static/`, keyed by its path inside it."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}
