"""Site settings: the `[tool.portal]` table of pyproject.toml, read into a frozen dataclass."""

import difflib
import functools
import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .problems import Problem, display_path


PLAIN_PATH = re.compile(r"/(?!/)[^\s\\]*")  # from the host's root, without white space or backslashes


@dataclass(frozen=True)
class Config:
    """Settings of one portal; every field has a default so a bare checkout builds."""

    title: str = "Good practices portal"
    description: str = "Regional policy good practices, shared so that other regions can learn from them."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    repository: str = ""
    branch: str = "main"
    licence: str = "CC BY 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    per_page: int = 20
    admin: bool = True  # the web editor at /admin/

    @functools.cached_property
    def base_path(self) -> str:
        """The path part of the base URL, always ending in a slash: `/` or `/portal/`."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @functools.cached_property
    def origin(self) -> str:
        """The scheme and host of the base URL: `https://org.github.io`."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        """The site URL of a site-relative path, e.g. `practices/x/` -> `/portal/practices/x/`."""
        return self.base_path + path.lstrip("/")

    def source_links(self, source: str) -> tuple[str, str] | tuple[None, None]:
        """The "edit this page" and "history" addresses of a content file in the repository."""
        if not self.repository:
            return None, None
        base = self.repository.rstrip("/")
        return f"{base}/edit/{self.branch}/{source}", f"{base}/commits/{self.branch}/{source}"

    def absolute(self, url: str) -> str:
        """The absolute URL of a site URL, for canonical links, feeds and the sitemap."""
        if PLAIN_PATH.fullmatch(url) and "/." not in url:  # nothing for urljoin to normalise
            return self.origin + url
        return urljoin(self.base_url, url)


class ConfigError(Exception):
    """The settings are wrong; carries one problem per mistake, at its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def load_config(pyproject: Path, **overrides) -> Config:
    """Read `[tool.portal]` from `pyproject`, then apply overrides; every mistake in either is a ConfigError."""
    text, table, name = "", {}, display_path(pyproject)
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8-sig")
        try:
            table = tomllib.loads(text).get("tool", {}).get("portal", {})
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            raise ConfigError([Problem(name, int(line[1]) if line else 1, f"the file cannot be read as TOML: {error}")]) from None
    given = {key: value for key, value in overrides.items() if value is not None}
    problems = check_settings(table, lambda key: (name, key_line(text, key)))
    problems += check_settings(given, lambda key: ("command line", 1), option=True)
    if problems:
        raise ConfigError(sorted(problems))
    settings = dict(table)
    if not settings.get("repository"):  # a fresh copy of the portal links to its own repository, never to ours
        settings.update(repository_from_workflow(os.environ))
    return replace(Config(**settings), **given)


def check_settings(table: dict, place, option: bool = False) -> list[Problem]:
    """Unknown keys (with a suggestion), values of the wrong type, and a base URL that is not absolute."""
    known = {f.name: f.type for f in fields(Config)}
    problems = []
    for key, value in table.items():
        shown = f"--{key.replace('_', '-')}" if option else f"`{key}`"
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; the settings are {', '.join(sorted(known))}"
            problems.append(Problem(*place(key), f"unknown setting `{key}`{hint}"))
        elif type(value) is not known[key]:
            kind = {str: "text in quotes", int: "a whole number"}.get(known[key], known[key].__name__)
            problems.append(Problem(*place(key), f"{shown} should be {kind}, not `{value!r}`"))
        elif key == "per_page" and value < 1:
            problems.append(Problem(*place(key), f"{shown} should be at least 1, not {value}"))
        elif key == "base_url" and not absolute_http(value):
            problems.append(Problem(*place(key), f"{shown} should be an absolute http(s) address such as "
                                                 f"`https://org.github.io/portal/`, not `{value}`"))
    return problems


def absolute_http(url: str) -> bool:
    """Whether `url` is an absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
    except ValueError:
        return False


def key_line(text: str, key: str) -> int:
    """The line of `key = ` in the `[tool.portal]` table of the file's text, or that of the table."""
    table_line, inside = 1, False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[tool.portal]"
            table_line = number if inside else table_line
        elif inside and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return table_line


def repository_from_workflow(env) -> dict:
    """The repository address and branch that GitHub Actions gives every workflow step, when it runs in one."""
    if not env.get("GITHUB_REPOSITORY"):
        return {}
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    branch = env.get("GITHUB_BASE_REF") or env.get("GITHUB_REF_NAME")  # a pull request's own ref is `N/merge`
    return {"repository": f"{server}/{env['GITHUB_REPOSITORY']}", **({"branch": branch} if branch else {})}
