"""Site settings: the `[tool.portal]` table of pyproject.toml, read into a frozen dataclass."""

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit


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

    @property
    def base_path(self) -> str:
        """The path part of the base URL, always ending in a slash: `/` or `/portal/`."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

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
        return urljoin(self.base_url, url)


def load_config(pyproject: Path, **overrides) -> Config:
    """Read `[tool.portal]` from `pyproject`, ignoring unknown keys, then apply overrides."""
    table = {}
    if pyproject.is_file():
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("portal", {})
    known = {f.name for f in fields(Config)}
    settings = {key: value for key, value in table.items() if key in known}
    if not settings.get("repository"):  # a fresh copy of the portal links to its own repository, never to ours
        settings.update(repository_from_workflow(os.environ))
    config = Config(**settings)
    return replace(config, **{key: value for key, value in overrides.items() if value is not None})


def repository_from_workflow(env) -> dict:
    """The repository address and branch that GitHub Actions gives every workflow step, when it runs in one."""
    if not env.get("GITHUB_REPOSITORY"):
        return {}
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    branch = env.get("GITHUB_BASE_REF") or env.get("GITHUB_REF_NAME")  # a pull request's own ref is `N/merge`
    return {"repository": f"{server}/{env['GITHUB_REPOSITORY']}", **({"branch": branch} if branch else {})}
