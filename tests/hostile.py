"""Small content trees for the hostile-content tests: one region, one theme, practices as given."""

import shutil
from html.parser import HTMLParser
from pathlib import Path

from builder.build import Paths, build, check
from builder.config import load_config
from builder.markup import unsafe_scheme
from builder.schema import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.org/portal/"
FRONT = """title: A good practice
summary: A short summary.
region: posavje
themes: [research-and-innovation]
organisation: RRA Posavje
level: regional
published: 2021-03-15
"""
BODY = "".join(f"## {section}\n\nText.\n\n" for section in SECTIONS)
THEMES = """research-and-innovation:
  name: Research and innovation
  description: Research, technological development and innovation.
  period: 2014-2020
"""
REGION = """---
name: Posavje
country: "SI"
lat: 45.9
lon: 15.5
---
Posavje lies along the Sava.
"""


def practice(front: str = FRONT, body: str = BODY) -> str:
    """A practice file: front matter (lines 2 to 8 for the default fields), `---` and the body."""
    return f"---\n{front}---\n{body}"


def make_tree(folder: Path, practices: dict[str, str | bytes] | None = None) -> Paths:
    """A content tree in `folder` with the given practice files, the project's templates, and a static folder.

    The static folder is the project's, with a stand-in `style.css` when the project has none yet.
    """
    content = folder / "content"
    (content / "practices").mkdir(parents=True)
    (content / "regions").mkdir()
    (content / "themes.yaml").write_text(THEMES, encoding="utf-8")
    (content / "regions" / "posavje.md").write_text(REGION, encoding="utf-8")
    for name, text in (practices if practices is not None else {"good.md": practice()}).items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (content / "practices" / name).write_bytes(data)
    static = folder / "static"
    shutil.copytree(ROOT / "static", static)
    if not (static / "style.css").exists():
        (static / "style.css").write_text("/* stand-in */\n", encoding="utf-8")
    return Paths(Path("content"), ROOT / "templates", Path("static"), Path("_site"))


def config():
    """The project's settings, published under a sub-path."""
    return load_config(ROOT / "pyproject.toml", base_url=BASE_URL)


def problems_of(paths: Paths) -> list[str]:
    """`check`'s problems as the editor reads them."""
    return [str(problem) for problem in check(paths, config()).problems]


def built(paths: Paths) -> dict[str, str]:
    """Build without the search index and return every text file of the output."""
    build(paths, config(), search=False)
    return {path.relative_to(paths.output).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(paths.output.rglob("*")) if path.is_file() and path.suffix not in {".svg", ".png", ".jpg", ".gif", ".webp", ".ico"}}


class InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts, style elements and attributes, event handlers,
    and `javascript:` addresses. A `<script type="application/ld+json">` data block is not code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Note every inline-code construct of one tag."""
        values = dict(attrs)
        line = self.getpos()[0]
        if tag == "script" and not values.get("src") and values.get("type") != "application/ld+json":
            self.found.append(f"line {line}: inline <script>")
        if tag == "style":
            self.found.append(f"line {line}: <style> element")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"line {line}: {name}= attribute on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and value and unsafe_scheme(value):
                self.found.append(f"line {line}: {name}={value[:30]!r} on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """Every inline script, style or event handler of an HTML document."""
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found
