"""builder.config: settings and the one URL helper."""

from builder.config import Config, load_config


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


def test_load_config_reads_the_table_ignores_unknown_keys_and_applies_overrides(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.portal]\ntitle = "T"\nper_page = 5\nfuture_setting = 1\n', encoding="utf-8")
    config = load_config(pyproject, base_url="https://x.org/p/", title=None)
    assert (config.title, config.per_page, config.base_url) == ("T", 5, "https://x.org/p/")
    assert load_config(tmp_path / "missing.toml") == Config()
