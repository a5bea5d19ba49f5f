"""builder.config: settings and the one URL helper."""

import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import Config, ConfigError, load_config
from builder.problems import display_path

ROOT = Path(__file__).resolve().parent.parent


def test_urls_respect_a_sub_path():
    config = Config(base_url="https://org.github.io/portal")
    assert config.base_path == "/portal/"
    assert config.url("practices/x/") == "/portal/practices/x/"
    assert config.url("") == "/portal/"
    assert config.absolute(config.url("feed.xml")) == "https://org.github.io/portal/feed.xml"


def test_urls_at_a_domain_root():
    config = Config(base_url="https://example.org/")
    assert config.url("/static/style.css") == "/static/style.css"
    assert config.absolute("/") == "https://example.org/"


def test_source_links_need_a_repository():
    assert Config(repository="").source_links("content/practices/a.md") == (None, None)
    edit, history = Config(repository="https://github.com/o/r/", branch="main").source_links("content/practices/a.md")
    assert edit == "https://github.com/o/r/edit/main/content/practices/a.md"
    assert history == "https://github.com/o/r/commits/main/content/practices/a.md"


def test_load_config_reads_the_table_and_applies_overrides(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.portal]\ntitle = "T"\nper_page = 5\n', encoding="utf-8")
    config = load_config(pyproject, base_url="https://x.org/p/", title=None)
    assert (config.title, config.per_page, config.base_url) == ("T", 5, "https://x.org/p/")
    assert load_config(tmp_path / "missing.toml") == Config()


def problems_of(pyproject, **overrides) -> list[str]:
    """The settings' problems as printed."""
    with pytest.raises(ConfigError) as raised:
        load_config(pyproject, **overrides)
    return [str(problem) for problem in raised.value.problems]


def test_settings_are_checked_like_front_matter_all_at_once(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.portal]\ntitel = "T"\nper_page = "5"\n'
                         'base_url = "org.github.io/portal/"\n', encoding="utf-8")
    name = display_path(pyproject)
    assert problems_of(pyproject) == [
        f"{name}:5: unknown setting `titel`; did you mean `title`?",
        f"{name}:6: `per_page` should be a whole number, not `'5'`",
        f"{name}:7: `base_url` should be an absolute http(s) address such as `https://org.github.io/portal/`, "
        "not `org.github.io/portal/`",
    ]


def test_a_base_url_option_without_a_scheme_is_refused(tmp_path):
    assert problems_of(tmp_path / "missing.toml", base_url="org.github.io/portal/") == [
        "command line:1: --base-url should be an absolute http(s) address such as `https://org.github.io/portal/`, "
        "not `org.github.io/portal/`"]
    for good in ("https://org.github.io/portal/", "http://127.0.0.1:8000/"):
        assert load_config(tmp_path / "missing.toml", base_url=good).base_url == good


def test_the_command_line_exits_2_on_a_bad_base_url(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--base-url", "org.github.io/portal/",
                             "--output", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "--base-url should be an absolute http(s) address" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
