"""The preview's site: built by the same pipeline as `build`, into a folder of its own, after every save.

There are no rules here about which pages an edit touches: the pipeline knows that from what each
page declares it shows (depends.py), and reuses the rest through a cache kept in memory. So the
preview reports the same problems as `check` and `build`, and shows exactly what a build publishes.
Unlike `build`, it writes only the files that changed: its folder is its own, and it knows their hashes.
"""

import shutil
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import jinja2

from .build import Paths, refresh
from .cache import Cache
from .config import ConfigError, load_config
from .problems import WARNING, ContentError, Problem
from .produce import TemplateFailure
from .workers import default_jobs
from .write import safe_name


class Preview:
    """The site for `base_url` in a folder of its own, with the problems of its last build."""

    def __init__(self, paths: Paths, pyproject: Path, base_url: str):
        self.pyproject, self.base_url = pyproject, base_url
        self.root = Path(tempfile.mkdtemp(prefix="portal-preview-"))
        self.folder = self.root / "site"
        self.search_folder = self.root / "pagefind"  # the indexer's bundle, outside the folder each build replaces
        self.paths = Paths(paths.content, paths.templates, paths.static, self.folder)
        self.cache = Cache(None)  # in memory, for as long as the preview runs
        self.failure: list[Problem] = []  # what the problem page shows; empty when the site is good
        self.warnings: list[Problem] = []
        self.version = 0
        self.written: dict[str, str] = {}  # the SHA-256 of each file in the folder, by path
        self.lock = threading.RLock()  # one rebuild at a time
        self.serving = threading.Lock()  # held to read the folder, and to change it
        self.rebuild(set())

    def close(self) -> None:
        """Remove the preview's folders."""
        shutil.rmtree(self.root, ignore_errors=True)

    def rebuild(self, changed: set[Path]) -> str:
        """Bring the site up to date with the saved files; say what was done ("problems" when broken)."""
        with self.lock:
            try:
                config = load_config(self.pyproject, base_url=self.base_url)
                content = refresh(self.paths, config, self.cache, self.written, self.serving, default_jobs())
            except (ContentError, TemplateFailure, ConfigError) as error:
                return self.fail(error.problems)
            except Exception:  # a bug of ours is shown in the browser too; the server keeps running
                return self.fail([builder_problem()])
            self.failure, self.warnings = [], [p for p in content.problems if p.severity == WARNING]
            self.version += 1
            return f"{content.rendered} files"

    def file(self, name: str) -> bytes | None:
        """A file of the site, or None when there is none by that name."""
        try:
            with self.serving:
                return (self.folder / safe_name(name)).read_bytes()
        except (OSError, ValueError):
            return None

    def current(self) -> dict[str, bytes]:
        """Every file of the site, by path."""
        with self.serving:
            return {path.relative_to(self.folder).as_posix(): path.read_bytes()
                    for path in sorted(self.folder.rglob("*")) if path.is_file()}

    def fail(self, problems: list[Problem]) -> str:
        """Show the problem page instead of the site until the next good build."""
        self.failure = sorted(problems)
        self.version += 1
        return "problems"


def builder_problem() -> Problem:
    """An unforeseen error as a problem: a template's file and line when Jinja knows them."""
    error = sys.exc_info()[1]
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(error.filename or "templates", error.lineno or 1, error.message or str(error))
    return Problem("(builder)", 1, "internal error: " + "".join(traceback.format_exception_only(error)).strip()
                   + " (please report it)")
